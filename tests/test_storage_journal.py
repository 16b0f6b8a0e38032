"""The append-only journal beside a workbook file (``workbook/storage.py``, ``journal.py``).

Every test runs over the plain codec and a ``FileCipher`` (a workshop participant's
workbook), with real files in tmp_path; nothing stands in for the disk.
"""

from __future__ import annotations

import errno
import json
import subprocess
import sys
import threading
from pathlib import Path
from typing import Any

import pytest

from tests.store_helpers import (
    CONTEXT,
    DAMAGED_GLOB,
    MARKER,
    MakeCodec,
    companies,
    rejection,
)
from workbook import crypto, journal, privacy, storage
from workbook.crypto import FileCipher
from workbook.models import CheckIn, Rejection
from workbook.repository import Workbook
from workbook.storage import PlainCodec, WorkbookFile


@pytest.fixture
def path(tmp_path: Path) -> Path:
    return tmp_path / "person" / "workbook.json"


def opened(path: Path, make_codec: MakeCodec, **kw: Any) -> Workbook:
    return Workbook(path, backups=5, codec=make_codec(), **kw)


def journal_of(path: Path) -> Path:
    return path.with_name(path.name + ".journal")


def frames(path: Path) -> list[tuple[int, int]]:
    """(start, end) of each whole frame in the journal."""
    raw = journal_of(path).read_bytes()
    out, pos = [], 0
    while pos < len(raw):
        length = int.from_bytes(raw[pos + 4 : pos + 8], "big")
        out.append((pos, pos + journal.HEAD_BYTES + length))
        pos = out[-1][1]
    return out


# -- appending instead of rewriting -------------------------------------------------------
def test_a_record_save_appends_and_leaves_the_main_file_alone(
    path: Path, make_codec: MakeCodec
) -> None:
    wb = opened(path, make_codec)
    before, inode = path.read_bytes(), path.stat().st_ino
    first = wb.add(Rejection, rejection("Acme", notes=MARKER))
    wb.update(Rejection, first.id, {"notes": MARKER + " again"})
    wb.set_setting("theme", "dim")
    wb.set_text_draft("journal", "half a thought")

    assert path.read_bytes() == before
    assert path.stat().st_ino == inode
    assert len(frames(path)) == 1 + 4  # the header, then one entry per save
    assert wb.file.backups() == []  # no rewrite, so no backup churn either


def test_reopening_replays_the_journal(path: Path, make_codec: MakeCodec) -> None:
    wb = opened(path, make_codec)
    first = wb.add(Rejection, rejection("Acme"))
    second = wb.add(Rejection, rejection("Globex"))
    second = wb.update(Rejection, second.id, {"archived": True})
    wb.delete(Rejection, first.id)
    checkin = wb.add(CheckIn, {"emotions": ["sad"], "intensity": 4})
    wb.set_setting("timezone", "Europe/Berlin")
    wb.set_text_draft("k", "draft")
    wb.clear_text_draft("k")

    again = opened(path, make_codec)
    assert again.all(Rejection) == [second]
    assert again.all(CheckIn) == [checkin]
    assert again.setting("timezone") == "Europe/Berlin"
    assert again.text_draft("k") == ""
    assert again.notices == []


def test_ignoring_the_journal_would_lose_the_saves(path: Path, make_codec: MakeCodec) -> None:
    # The main file alone does not hold the saves: the journal really is what keeps them.
    wb = opened(path, make_codec)
    wb.add(Rejection, rejection("Acme"))
    main_only = storage.parse(make_codec().decode(path.read_bytes()))
    assert main_only.get("rejections", {}) == {}
    journal_of(path).unlink()
    assert opened(path, make_codec).all(Rejection) == []


def test_encrypted_entries_do_not_show_the_text(path: Path, kind: str) -> None:
    if kind == "plain":
        pytest.skip("only encrypted journals hide the text")
    key = crypto.new_data_key()
    wb = Workbook(path, codec=FileCipher(key, CONTEXT))
    for n in range(3):
        wb.add(Rejection, rejection(f"Acme {n}", notes=MARKER))
    raw = journal_of(path).read_bytes()
    assert MARKER.encode() not in raw and b"Acme" not in raw
    # Every entry has its own nonce: no two ciphertexts share their first bytes.
    nonces = {raw[s + 12 + 12 : s + 12 + 24] for s, _e in frames(path)}
    assert len(nonces) == len(frames(path))
    assert companies(Workbook(path, codec=FileCipher(key, CONTEXT))) == [
        "Acme 0",
        "Acme 1",
        "Acme 2",
    ]


def test_an_entry_moved_to_another_place_is_damage(path: Path, make_codec: MakeCodec) -> None:
    wb = opened(path, make_codec)
    for name in ("Acme", "Globex", "Initech"):
        wb.add(Rejection, rejection(name))
    raw = journal_of(path).read_bytes()
    (h, e1, e2, e3) = [raw[s:e] for s, e in frames(path)]
    journal_of(path).write_bytes(h + e2 + e1 + e3)  # each frame checks out on its own
    reopened = opened(path, make_codec)
    assert len(reopened.notices) == 1


# -- torn last entry -----------------------------------------------------------------------
@pytest.mark.parametrize("cut", [1, 5, 12, 13, 40, "all_but_header"])
def test_a_torn_last_entry_is_ignored_and_cut_off(
    path: Path, make_codec: MakeCodec, cut: int | str
) -> None:
    wb = opened(path, make_codec)
    for name in ("Acme", "Globex", "Initech"):
        wb.add(Rejection, rejection(name))
    last_start, last_end = frames(path)[-1]
    k = last_end - last_start - 1 if cut == "all_but_header" else int(cut)
    raw = journal_of(path).read_bytes()
    journal_of(path).write_bytes(raw[:-k])

    reopened = opened(path, make_codec)
    assert companies(reopened) == ["Acme", "Globex"]
    assert reopened.notices == []
    assert list(path.parent.glob(DAMAGED_GLOB)) == []
    reopened.add(Rejection, rejection("Initech"))  # an entry of the same size as the torn one
    assert journal_of(path).stat().st_size == last_end  # torn bytes gone, one entry instead
    assert frames(path)[-1] == (last_start, last_end)
    assert companies(opened(path, make_codec)) == ["Acme", "Globex", "Initech"]


def test_a_torn_first_append_leaves_the_main_file(path: Path, make_codec: MakeCodec) -> None:
    wb = opened(path, make_codec)
    wb.add(Rejection, rejection("Acme"))
    raw = journal_of(path).read_bytes()
    journal_of(path).write_bytes(raw[:7])
    reopened = opened(path, make_codec)
    assert companies(reopened) == []
    assert reopened.notices == []
    reopened.add(Rejection, rejection("Globex"))
    assert companies(opened(path, make_codec)) == ["Globex"]


def test_zeros_after_the_last_entry_are_a_torn_tail(path: Path, make_codec: MakeCodec) -> None:
    wb = opened(path, make_codec)
    wb.add(Rejection, rejection("Acme"))
    with journal_of(path).open("ab") as handle:
        handle.write(b"\x00" * 300)
    reopened = opened(path, make_codec)
    assert companies(reopened) == ["Acme"]
    assert reopened.notices == []


# -- damage --------------------------------------------------------------------------------
@pytest.mark.parametrize("where", ["magic", "length", "payload"])
def test_a_bad_middle_entry_sets_both_files_aside_and_recovers(
    path: Path, make_codec: MakeCodec, where: str
) -> None:
    wb = opened(path, make_codec)
    wb.add_many([Rejection.model_validate(rejection("Imported"))])  # a rewrite: a backup
    for name in ("Acme", "Globex", "Initech"):
        wb.add(Rejection, rejection(name))
    start, end = frames(path)[2]
    offset = {"magic": start, "length": start + 5, "payload": end - 3}[where]
    raw = bytearray(journal_of(path).read_bytes())
    raw[offset] ^= 0x40
    main_bytes = path.read_bytes()
    journal_of(path).write_bytes(bytes(raw))

    reopened = opened(path, make_codec)

    [aside] = sorted(path.parent.glob(DAMAGED_GLOB))
    assert aside.read_bytes() == main_bytes  # byte-for-byte, never overwritten
    assert journal_of(aside).read_bytes() == bytes(raw)
    [notice] = reopened.notices
    assert notice.damaged_copy == aside
    assert notice.restored_from == reopened.file.backups()[0]
    assert companies(reopened) == []  # the backup: the state before the import
    reopened.add(Rejection, rejection("After"))
    assert companies(opened(path, make_codec)) == ["After"]
    assert journal_of(aside).read_bytes() == bytes(raw)


def test_a_damaged_header_with_entries_after_it_is_damage(
    path: Path, make_codec: MakeCodec
) -> None:
    wb = opened(path, make_codec)
    for name in ("Acme", "Globex"):
        wb.add(Rejection, rejection(name))
    raw = bytearray(journal_of(path).read_bytes())
    raw[journal.HEAD_BYTES + 2] ^= 0x10  # inside the header's payload
    journal_of(path).write_bytes(bytes(raw))

    reopened = opened(path, make_codec)

    assert len(reopened.notices) == 1
    [aside] = sorted(path.parent.glob(DAMAGED_GLOB))
    assert journal_of(aside).read_bytes() == bytes(raw)


def test_a_stale_journal_is_ignored_and_replaced(path: Path, make_codec: MakeCodec) -> None:
    wb = opened(path, make_codec)
    wb.add(Rejection, rejection("Acme"))
    stale = journal_of(path).read_bytes()
    wb.add_many([Rejection.model_validate(rejection("Imported"))])  # new main, new token
    assert not journal_of(path).exists()
    # A crash between the new main file's rename and the journal's removal leaves this:
    journal_of(path).write_bytes(stale + journal.frame(b"never read"))

    reopened = opened(path, make_codec)
    assert sorted(companies(reopened)) == ["Acme", "Imported"]
    assert reopened.notices == []
    reopened.add(Rejection, rejection("Globex"))
    assert sorted(companies(opened(path, make_codec))) == ["Acme", "Globex", "Imported"]
    assert len(frames(path)) == 2  # a fresh journal: header and the one new entry


# -- folding -------------------------------------------------------------------------------
def test_the_journal_is_folded_at_its_limit(
    path: Path, make_codec: MakeCodec, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(storage, "JOURNAL_MAX_ENTRIES", 5)
    wb = opened(path, make_codec)
    made = [wb.add(Rejection, rejection(f"Co {n}")) for n in range(5)]
    assert len(frames(path)) == 6
    inode = path.stat().st_ino
    before = opened(path, make_codec).all(Rejection)

    made.append(wb.add(Rejection, rejection("Co 5")))  # the sixth save folds

    assert not journal_of(path).exists()
    assert path.stat().st_ino != inode
    data = storage.parse(make_codec().decode(path.read_bytes()))
    assert sorted(data["rejections"]) == sorted(r.id for r in made)
    assert opened(path, make_codec).all(Rejection) == made
    assert before == made[:5]
    # The backup of the fold is the old main file with its journal beside it.
    [backup] = wb.file.backups()
    assert journal_of(backup).exists()
    wb.add(Rejection, rejection("Co 6"))
    assert len(frames(path)) == 2


def test_a_backup_with_its_journal_restores_everything(
    path: Path, make_codec: MakeCodec, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(storage, "JOURNAL_MAX_ENTRIES", 3)
    wb = opened(path, make_codec)
    for n in range(4):  # three entries, then the fourth save is appended and folded
        wb.add(Rejection, rejection(f"Co {n}"))
    [backup] = wb.file.backups()
    assert len(frames(backup)) == 1 + 4  # the save that folded is in the backup too
    path.write_bytes(b"\x00 rubbish")
    reopened = opened(path, make_codec)
    assert [n.restored_from for n in reopened.notices] == [backup]
    assert companies(reopened) == ["Co 0", "Co 1", "Co 2", "Co 3"]


def fold_then_save(path: Path, make_codec: MakeCodec, after: int) -> tuple[Workbook, list[str]]:
    """Four saves (the fourth folds at a limit of 3), then ``after`` more in a new journal."""
    wb = opened(path, make_codec)
    names = [f"Co {n}" for n in range(4 + after)]
    for name in names:
        wb.add(Rejection, rejection(name))
    return wb, names


@pytest.mark.parametrize("after", [0, 1, 2])
def test_a_damaged_main_file_after_a_fold_loses_no_save(
    path: Path, make_codec: MakeCodec, monkeypatch: pytest.MonkeyPatch, after: int
) -> None:
    monkeypatch.setattr(storage, "JOURNAL_MAX_ENTRIES", 3)
    wb, names = fold_then_save(path, make_codec, after)
    wb.set_text_draft("review.went_well", MARKER)
    assert len(frames(path)) == 1 + after + 1  # a journal started on the folded main file
    damaged = b"\x00 rubbish"
    journal_bytes = journal_of(path).read_bytes()
    path.write_bytes(damaged)

    reopened = opened(path, make_codec)

    assert companies(reopened) == names
    assert reopened.text_draft("review.went_well") == MARKER
    [notice] = reopened.notices
    assert notice.complete
    assert "nothing you saved was lost" in notice.message
    [aside] = sorted(path.parent.glob(DAMAGED_GLOB))
    assert aside.read_bytes() == damaged  # both set aside byte-for-byte, never overwritten
    assert journal_of(aside).read_bytes() == journal_bytes
    reopened.add(Rejection, rejection("After"))
    assert companies(opened(path, make_codec)) == [*names, "After"]


def test_a_damaged_main_file_and_journal_fall_back_to_the_backup(
    path: Path, make_codec: MakeCodec, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(storage, "JOURNAL_MAX_ENTRIES", 3)
    _, names = fold_then_save(path, make_codec, 3)
    _, end = frames(path)[2]
    raw = bytearray(journal_of(path).read_bytes())
    raw[end - 3] ^= 0x40
    journal_of(path).write_bytes(bytes(raw))
    path.write_bytes(b"\x00 rubbish")

    reopened = opened(path, make_codec)

    [notice] = reopened.notices
    assert not notice.complete
    assert "most recent good backup" in notice.message
    assert companies(reopened) == names[:4]  # the fold's backup: what could be checked


def test_a_journal_after_a_rewrite_that_was_no_fold_is_not_replayed_onto_a_backup(
    path: Path, make_codec: MakeCodec
) -> None:
    wb = opened(path, make_codec)
    wb.add(Rejection, rejection("Acme"))
    wb.add_many([Rejection.model_validate(rejection("Imported"))])  # a rewrite, not a fold
    wb.add(Rejection, rejection("Globex"))
    path.write_bytes(b"\x00 rubbish")

    reopened = opened(path, make_codec)

    # The backup (before the import) is not the state the journal continues, so its entry
    # is not applied to it: the newest good backup, as before journals.
    [notice] = reopened.notices
    assert not notice.complete
    assert companies(reopened) == ["Acme"]


# -- other readers -------------------------------------------------------------------------
def test_another_workbook_sees_appended_entries(path: Path, make_codec: MakeCodec) -> None:
    a = opened(path, make_codec)
    b = opened(path, make_codec)
    assert a.all(Rejection) == []
    added = b.add(Rejection, rejection("By B"))
    assert a.all(Rejection) == [added]
    token = a.file.table_token("rejections")
    epoch = a.file.epoch
    b.set_setting("theme", "dark")
    assert a.setting("theme") == "dark"
    assert a.file.epoch == epoch  # a tail read: only the touched table moves
    assert a.file.table_token("rejections") == token
    changed = a.update(Rejection, added.id, {"notes": "by A"})
    assert b.get(Rejection, added.id) == changed
    b.delete(Rejection, added.id)
    assert a.all(Rejection) == []


def test_another_process_sees_appended_entries(path: Path, kind: str) -> None:
    key = crypto.new_data_key()
    codec = (lambda: PlainCodec()) if kind == "plain" else (lambda: FileCipher(key, CONTEXT))
    wb = Workbook(path, codec=codec())
    assert wb.all(Rejection) == []
    script = (
        "import sys; from workbook.repository import Workbook; from workbook.models import "
        "Rejection; from workbook.crypto import FileCipher; from workbook.storage import "
        "PlainCodec; k=sys.argv[2]; c=FileCipher(bytes.fromhex(k), sys.argv[3]) if k else "
        "PlainCodec(); wb=Workbook(sys.argv[1], codec=c); "
        "wb.add(Rejection, {'company':'Child','role':'R','rejected_at':'2024-03-01T12:00:00"
        "+00:00','stage':'technical'})"
    )
    subprocess.run(
        [sys.executable, "-c", script, str(path), key.hex() if kind != "plain" else "", CONTEXT],
        check=True,
        timeout=60,
    )
    assert companies(wb) == ["Child"]


def test_a_workbook_file_without_a_token_is_rewritten_first(path: Path) -> None:
    # A file from before journals: the first save rewrites it (with a token), then appends.
    path.parent.mkdir(parents=True)
    path.write_text(json.dumps({"_meta": {"1": {"schema_version": 1}}}))
    wb = Workbook(path)
    wb.add(Rejection, rejection("Acme"))
    assert storage.base_token(storage.parse(path.read_bytes()))
    assert not journal_of(path).exists()
    wb.add(Rejection, rejection("Globex"))
    assert journal_of(path).exists()
    assert companies(Workbook(path)) == ["Acme", "Globex"]


# -- copies and deletion -------------------------------------------------------------------
def test_delete_my_data_removes_the_journal_too(path: Path, make_codec: MakeCodec) -> None:
    wb = opened(path, make_codec)
    wb.add(Rejection, rejection("Acme"))
    wb.add_many([Rejection.model_validate(rejection("Imported"))])
    wb.add(Rejection, rejection("Globex"))
    assert journal_of(path).exists()
    assert any(journal_of(b).exists() for b in wb.file.backups())
    listed = set(privacy.workbook_files(path))
    assert journal_of(path) in listed
    privacy.delete_workbook(path)
    left = [p.name for p in path.parent.rglob("*") if p.is_file()]
    assert left == []


def test_snapshot_holds_the_journal(path: Path, make_codec: MakeCodec) -> None:
    wb = opened(path, make_codec)
    added = wb.add(Rejection, rejection("Acme"))
    data = storage.parse(make_codec().decode(wb.file.snapshot()))
    assert list(data["rejections"]) == [added.id]


def test_workbook_file_writes_outside_touching_rewrite(path: Path, make_codec: MakeCodec) -> None:
    wf = WorkbookFile(path, codec=make_codec())
    data = wf.read()
    data["notes"] = {"a": {"text": "x"}}
    inode = path.stat().st_ino
    wf.write(data)
    assert path.stat().st_ino != inode
    assert not journal_of(path).exists()


def test_a_failing_append_keeps_the_previous_state(
    path: Path, make_codec: MakeCodec, monkeypatch: pytest.MonkeyPatch
) -> None:
    wb = opened(path, make_codec)
    wb.add(Rejection, rejection("Acme"))
    size = journal_of(path).stat().st_size

    def failing_fsync(fd: int) -> None:
        raise OSError(errno.EIO, "simulated failure of the fsync")

    monkeypatch.setattr(storage.os, "fsync", failing_fsync)
    with pytest.raises(OSError, match="simulated"):
        wb.add(Rejection, rejection("Never Saved"))
    monkeypatch.undo()

    assert journal_of(path).stat().st_size == size  # the unacknowledged entry was cut off
    assert companies(wb) == ["Acme"]
    assert companies(opened(path, make_codec)) == ["Acme"]
    wb.add(Rejection, rejection("Saved Later"))
    assert companies(opened(path, make_codec)) == ["Acme", "Saved Later"]


def test_threads_and_a_second_workbook_lose_nothing(path: Path, make_codec: MakeCodec) -> None:
    wb, other = opened(path, make_codec), opened(path, make_codec)
    errors: list[BaseException] = []

    def work(n: int) -> None:
        try:
            for i in range(15):
                (wb if n % 2 else other).add(Rejection, rejection(f"t{n}-{i}"))
        except BaseException as exc:  # re-raised below
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    expected = {f"t{n}-{i}" for n in range(4) for i in range(15)}
    for reader in (wb, other, opened(path, make_codec)):
        assert set(companies(reader)) == expected


def test_a_write_without_a_fresh_read_never_drops_anothers_entries(
    path: Path, make_codec: MakeCodec
) -> None:
    a = WorkbookFile(path, codec=make_codec())
    stale = a.read()
    b = opened(path, make_codec)
    added = b.add(Rejection, rejection("By B"))  # a's view of the journal is now out of date
    with a.touching("notes", ids=["n"]), pytest.raises(storage.StorageError, match="changed"):
        a.write({**stale, "notes": {"n": {"text": "x"}}})
    assert companies(opened(path, make_codec)) == ["By B"]
    assert a.read()["rejections"] == {added.id: added.model_dump(mode="json")}
