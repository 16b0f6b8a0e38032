"""Personal mode's "delete my data" (``workbook/privacy.py``): every copy goes, nothing else.

Real files made the way Rebound makes them: saves (journal entries), a restore (a
"-before-restore-" safety copy, and a rolling backup of the old file with its journal) and
damage recovery (a ".damaged-" copy, with its journal).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from workbook import exports, privacy, storage
from workbook.exports import backup
from workbook.models import Rejection, Win
from workbook.repository import Workbook

MARKER = "quiet harbour lantern"
REJECTED_AT = "2024-03-01T12:00:00+00:00"


def rejection(company: str) -> dict[str, str]:
    return {"company": company, "role": "Engineer", "rejected_at": REJECTED_AT}


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    return tmp_path / "data"


@pytest.fixture
def path(folder: Path) -> Path:
    return folder / "workbook.json"


@pytest.fixture
def unrelated(folder: Path) -> dict[Path, bytes]:
    """Files in the same folders that are not this workbook's."""
    (folder / "backups").mkdir(parents=True, exist_ok=True)
    files = {
        folder / "another.json": b'{"not": "mine"}',
        folder / "workbook-notes.txt": b"my own notes",
        folder / "my-workbook.json": b"{}",
        folder / "backups" / "another.20240101T000000000000Z.json": b"{}",
        folder / "backups" / "another-before-restore-20240101T000000000000Z.json": b"{}",
        folder / "backups" / "notes.txt": b"keep me",
        folder / "another.damaged-20240101T000000.json": b"x",
    }
    for file, raw in files.items():
        file.write_bytes(raw)
    return files


def test_workbook_files_lists_every_copy_and_nothing_else(
    path: Path, folder: Path, unrelated: dict[Path, bytes]
) -> None:
    wb = Workbook(path, backups=5)
    wb.add(Rejection, rejection(MARKER))
    wb.add(Win, {"text": MARKER, "won_on": "2024-03-02"})
    wb.set_text_draft("journal", MARKER)
    assert wb.file.journal_path.exists()  # record saves go to the journal: no backups yet
    assert wb.file.backups() == []
    # A restore keeps a safety copy of the workbook as it was.
    snapshot = backup.dump(exports.snapshot_of(wb))
    result = backup.restore(wb, backup.parse(snapshot), "merge")
    safety = Path(result.safety_copy)
    assert safety.name.startswith("workbook-before-restore-")
    # ... and, as a full rewrite, a rolling backup: the old main file and its journal.
    [rolling] = wb.file.backups()
    rolling_journal = storage.journal_path(rolling)
    assert rolling_journal.exists()
    wb.add(Win, {"text": MARKER, "won_on": "2024-03-03"})  # a new journal
    # Damage found on open sets the file aside.
    path.write_bytes(b"\x00 not a workbook any more")
    reopened = Workbook(path, backups=5)
    [notice] = reopened.notices
    damaged = notice.damaged_copy
    assert storage.journal_path(damaged).exists()  # the journal is set aside with it
    # A temp file left by a writer that crashed.
    leftover = folder / ".workbook.json.123.456.tmp"
    leftover.write_bytes(MARKER.encode())

    listed = set(privacy.workbook_files(path))

    assert path in listed
    assert path.with_name("workbook.json.lock") in listed
    assert set(reopened.file.backups()) <= listed
    assert safety in listed
    assert damaged in listed
    assert {storage.journal_path(damaged), rolling_journal} <= listed
    assert leftover in listed
    assert not listed & set(unrelated)
    # Exactly the files that hold (or held) this workbook.
    everything = {p for p in folder.rglob("*") if p.is_file()}
    assert listed == everything - set(unrelated)
    assert all(p.exists() for p in listed)


def test_delete_workbook_removes_every_copy_and_starts_empty(
    path: Path, folder: Path, unrelated: dict[Path, bytes]
) -> None:
    wb = Workbook(path, backups=5)
    for n in range(4):
        wb.add(Rejection, rejection(f"{MARKER} {n}"))
    backup.restore(wb, backup.parse(backup.dump(exports.snapshot_of(wb))), "merge")
    wb.add(Rejection, rejection(f"{MARKER} after"))  # a journal again
    path.write_bytes(b"damaged")
    Workbook(path, backups=5)  # sets the damaged file aside, restores a backup
    assert len(list(folder.glob("workbook.damaged-*.json"))) == 1
    expected = len(privacy.workbook_files(path))
    # main, lock, safety copy, a rolling backup and its journal, the damaged file and its
    # journal (record saves append to the journal, so they add no rolling backups).
    assert expected >= 7

    removed = privacy.delete_workbook(path)

    assert removed == expected
    assert privacy.workbook_files(path) == []
    remaining = {p: p.read_bytes() for p in folder.rglob("*") if p.is_file()}
    assert remaining == unrelated  # the unrelated files, untouched
    assert not any(MARKER.encode() in raw for raw in remaining.values())
    assert folder.is_dir()
    fresh = Workbook(path, backups=5)
    assert fresh.all(Rejection) == []
    assert fresh.all(Win) == []
    assert fresh.notices == []
    assert fresh.file.backups() == []


def test_deleting_a_workbook_that_was_never_made_removes_nothing(
    path: Path, unrelated: dict[Path, bytes]
) -> None:
    assert privacy.workbook_files(path) == []
    assert privacy.delete_workbook(path) == 0
    assert {p: p.read_bytes() for p in unrelated} == unrelated
