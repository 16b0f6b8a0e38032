"""Encrypted workbook storage: ``WorkbookFile`` with a codec, through ``Workbook``.

The key properties are checked for both the plain codec (personal mode) and a
``FileCipher`` (a workshop participant), the way TinyDB runs its tests over each storage.
Real files in tmp_path; nothing stands in for the disk.
"""

from __future__ import annotations

import errno
import json
import logging
from pathlib import Path
from typing import Any

import pytest

from tests.store_helpers import (
    CONTEXT,
    DAMAGED_GLOB,
    MARKER,
    REJECTED_AT,
    TMP_GLOB,
    Codec,
    MakeCodec,
    companies,
    rejection,
)
from workbook import crypto, journal, storage
from workbook.crypto import FileCipher, WrongKeyError
from workbook.models import CheckIn, Rejection, Win
from workbook.repository import RecordInvalid, Workbook
from workbook.storage import RecoveryNotice


@pytest.fixture
def path(tmp_path: Path) -> Path:
    return tmp_path / "person" / "workbook.json"


def on_disk_with_journal(path: Path, codec: Codec) -> storage.Data:
    """The main file at ``path`` with its journal replayed, read straight from the bytes."""
    data = storage.parse(codec.decode(path.read_bytes()))
    journal_file = storage.journal_path(path)
    if journal_file.exists():
        for payload in journal.scan(journal_file.read_bytes()).payloads[1:]:
            entry = json.loads(codec.decode(payload))
            rows = data.setdefault(entry["table"], {})
            for record_id, doc in entry["changes"]:
                if doc is None:
                    rows.pop(record_id, None)
                else:
                    rows[record_id] = doc
    return data


def every_file(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.is_file())


class FailingCodec:
    """A real codec whose encode can be made to fail (e.g. the key was dropped)."""

    def __init__(self, inner: Codec) -> None:
        self.inner = inner
        self.fail = False

    def encode(self, plain: bytes) -> bytes:
        if self.fail:
            raise RuntimeError("encoding failed")
        return self.inner.encode(plain)

    def decode(self, raw: bytes) -> bytes:
        return self.inner.decode(raw)


# -- round trip and what is on disk ------------------------------------------------------
def test_records_round_trip_through_a_reopened_workbook(path: Path, make_codec: MakeCodec) -> None:
    wb = Workbook(path, backups=5, codec=make_codec())
    first = wb.add(Rejection, rejection("Acme", notes=f"{MARKER} — “quoted” ✓\nline two"))
    checkin = wb.add(
        CheckIn,
        {"emotions": ["sad"], "intensity": 6, "journal": MARKER, "felt_at": REJECTED_AT},
    )
    win = wb.add(Win, {"text": MARKER, "won_on": "2024-03-02"})
    first = wb.update(Rejection, first.id, {"archived": True})
    wb.set_setting("timezone", "Europe/Berlin")
    wb.set_text_draft("journal", MARKER)

    reopened = Workbook(path, backups=5, codec=make_codec())  # a restart: a new codec object
    assert reopened.all(Rejection) == [first]
    assert reopened.all(CheckIn) == [checkin]
    assert reopened.all(Win) == [win]
    assert reopened.setting("timezone") == "Europe/Berlin"
    assert reopened.text_draft("journal") == MARKER
    assert reopened.notices == []
    # Record saves went to the journal; a fold makes a backup: the old main file and its
    # journal, a readable earlier state in the same encoding.
    assert reopened.file.backups() == []
    reopened.file.fold()
    [backup] = reopened.file.backups()
    storage.parse(make_codec().decode(backup.read_bytes()))
    earlier, now = on_disk_with_journal(backup, make_codec()), dict(reopened.file.read())
    earlier.pop("_meta"), now.pop("_meta")  # the fold gave the main file a new base token
    assert earlier == now


def test_a_check_in_without_feelings_is_refused_or_reads_back(path: Path) -> None:
    wb = Workbook(path, backups=5)
    try:
        saved = wb.add(CheckIn, {"intensity": 3})
    except RecordInvalid:
        saved = None  # refusing it is fine too
    assert Workbook(path, backups=5).all(CheckIn) == ([saved] if saved else [])


def test_no_plaintext_on_disk_or_in_any_backup_when_encrypted(
    path: Path, make_codec: MakeCodec, kind: str
) -> None:
    wb = Workbook(path, backups=5, codec=make_codec())
    wb.add(Rejection, rejection(MARKER, notes=MARKER))
    wb.add(Win, {"text": MARKER, "won_on": "2024-03-02"})
    wb.set_text_draft("feelings.journal", MARKER)
    wb.file.fold()  # a backup: the first (empty) main file and the journal of four saves
    wb.add(CheckIn, {"emotions": [MARKER], "intensity": 3, "journal": MARKER})  # a journal

    files = every_file(path.parent)
    [backup] = wb.file.backups()
    journals = [wb.file.journal_path, storage.journal_path(backup)]
    assert {backup, *journals} <= set(files)
    needle = MARKER.encode()
    holding = sorted(p.name for p in files if needle in p.read_bytes())
    if kind == "plain":
        # The search can find it: in plain mode the workbook and both journals hold it.
        assert holding == sorted([path.name, *(j.name for j in journals)])
    else:
        assert holding == []
        for file in [path, backup]:
            assert file.read_bytes().startswith(crypto.FILE_MAGIC)
        for file in journals:  # every entry is sealed on its own
            for payload in journal.scan(file.read_bytes()).payloads:
                assert payload.startswith(crypto.FILE_MAGIC)
        # Not in another common encoding either.
        for p in files:
            assert MARKER.encode("utf-16-le") not in p.read_bytes()


# -- atomic writes -----------------------------------------------------------------------
def test_a_failing_encode_leaves_the_file_and_backups_as_they_were(
    path: Path, make_codec: MakeCodec
) -> None:
    codec = FailingCodec(make_codec())
    wb = Workbook(path, backups=5, codec=codec)
    wb.add(Rejection, rejection("Acme"))
    before = path.read_bytes()
    backups = [(b, b.read_bytes()) for b in wb.file.backups()]

    codec.fail = True
    with pytest.raises(RuntimeError, match="encoding failed"):
        wb.add(Rejection, rejection("Never Saved"))
    codec.fail = False

    assert path.read_bytes() == before
    assert [(b, b.read_bytes()) for b in wb.file.backups()] == backups
    assert list(path.parent.glob(TMP_GLOB)) == []
    assert companies(Workbook(path, backups=5, codec=make_codec())) == ["Acme"]


def test_a_failing_encode_does_not_leave_the_unsaved_record_in_memory(
    path: Path, make_codec: MakeCodec
) -> None:
    codec = FailingCodec(make_codec())
    wb = Workbook(path, backups=5, codec=codec)
    wb.add(Rejection, rejection("Acme"))
    codec.fail = True
    with pytest.raises(RuntimeError):
        wb.add(Rejection, rejection("Never Saved"))
    codec.fail = False
    assert companies(wb) == ["Acme"]


def test_a_failing_rename_keeps_the_previous_state(
    path: Path, make_codec: MakeCodec, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Journal off: saves are full rewrites (a failing append: test_storage_journal.py).
    wb = Workbook(path, backups=5, codec=make_codec(), journal=False)
    wb.add(Rejection, rejection("Acme"))
    before = path.read_bytes()

    def failing_replace(self: Path, target: Any) -> Path:
        raise OSError(errno.EIO, "simulated failure before the rename")

    monkeypatch.setattr(Path, "replace", failing_replace)
    with pytest.raises(OSError, match="simulated failure"):
        wb.add(Rejection, rejection("Never Saved"))
    monkeypatch.undo()

    assert path.read_bytes() == before
    assert list(path.parent.glob(TMP_GLOB)) == []
    assert companies(wb) == ["Acme"]
    assert companies(Workbook(path, backups=5, codec=make_codec())) == ["Acme"]


# -- damage and wrong keys ---------------------------------------------------------------
def test_a_flipped_byte_is_set_aside_and_the_last_good_backup_restored(
    path: Path, make_codec: MakeCodec
) -> None:
    # Journal off, so each save leaves a backup (a damaged journal: test_storage_journal.py).
    wb = Workbook(path, backups=5, codec=make_codec(), journal=False)
    records = [wb.add(Rejection, rejection(name)) for name in ("Acme", "Globex", "Initech")]
    newest = wb.file.backups()[0]
    newest_bytes = newest.read_bytes()
    raw = bytearray(path.read_bytes())
    raw[len(raw) // 2] ^= 0xFF  # in the ciphertext (encrypted) or the JSON text (plain)
    damaged = bytes(raw)
    path.write_bytes(damaged)

    reopened = Workbook(path, backups=5, codec=make_codec())

    aside = sorted(path.parent.glob(DAMAGED_GLOB))
    assert len(aside) == 1
    assert aside[0].read_bytes() == damaged
    assert path.read_bytes() == newest_bytes
    assert reopened.all(Rejection) == records[:2]
    [notice] = reopened.notices
    assert isinstance(notice, RecoveryNotice)
    assert (notice.damaged_copy, notice.restored_from) == (aside[0], newest)
    assert aside[0].name in notice.message
    # Saving afterwards works and never touches the damaged copy.
    reopened.add(Rejection, rejection("After"))
    assert companies(Workbook(path, backups=5, codec=make_codec())) == ["Acme", "Globex", "After"]
    assert aside[0].read_bytes() == damaged


def test_a_wrong_key_is_refused_and_the_file_is_left_exactly_as_it_was(path: Path) -> None:
    key = crypto.new_data_key()
    wb = Workbook(path, backups=5, codec=FileCipher(key, CONTEXT))
    record = wb.add(Rejection, rejection("Acme"))
    wb.add(Rejection, rejection("Globex"))
    files_before = {p: p.read_bytes() for p in every_file(path.parent)}
    stat = path.stat()

    with pytest.raises(WrongKeyError, match="has not been changed"):
        Workbook(path, backups=5, codec=FileCipher(crypto.new_data_key(), CONTEXT))

    assert {p: p.read_bytes() for p in every_file(path.parent)} == files_before
    assert (path.stat().st_ino, path.stat().st_mtime_ns) == (stat.st_ino, stat.st_mtime_ns)
    assert list(path.parent.glob(DAMAGED_GLOB)) == []
    # The right key, after a "restart", still reads everything.
    again = Workbook(path, backups=5, codec=FileCipher(bytes(key), CONTEXT))
    assert companies(again) == ["Acme", "Globex"]
    assert again.get(Rejection, record.id) == record
    assert again.notices == []


def test_a_wrong_key_noticed_while_running_changes_nothing(path: Path) -> None:
    key = crypto.new_data_key()
    wb = Workbook(path, backups=5, codec=FileCipher(key, CONTEXT))
    wb.add(Rejection, rejection("Acme"))
    # Another program puts a file locked with a different key in its place.
    foreign = FileCipher(crypto.new_data_key(), CONTEXT).encode(b'{"_meta":{}}')
    path.write_bytes(foreign)
    with pytest.raises(WrongKeyError):
        wb.all(Rejection)
    assert path.read_bytes() == foreign
    assert list(path.parent.glob(DAMAGED_GLOB)) == []


# -- listeners ---------------------------------------------------------------------------
def test_listeners_are_called_after_each_write_with_the_saved_data(
    path: Path, make_codec: MakeCodec
) -> None:
    wb = Workbook(path, backups=5, codec=make_codec())
    seen: list[tuple[int, bool]] = []

    def listener(data: storage.Data) -> None:
        # Called after the write: the file on disk already holds what it is given.
        on_disk = on_disk_with_journal(path, make_codec())
        seen.append((len(data.get("rejections", {})), on_disk == json.loads(json.dumps(data))))

    wb.file.listeners.append(listener)
    wb.add(Rejection, rejection("Acme"))
    wb.add(Rejection, rejection("Globex"))
    wb.set_setting("theme", "dark")
    wb.set_setting("theme", "dark")  # unchanged: no write, no call
    assert seen == [(1, True), (2, True), (2, True)]


def test_a_raising_listener_does_not_undo_the_write(
    path: Path, make_codec: MakeCodec, caplog: pytest.LogCaptureFixture
) -> None:
    wb = Workbook(path, backups=5, codec=make_codec())
    later: list[int] = []

    def broken(data: storage.Data) -> None:
        raise ValueError(f"listener broke on {MARKER}")

    wb.file.listeners += [broken, lambda data: later.append(len(data.get("rejections", {})))]
    with caplog.at_level(logging.WARNING):
        record = wb.add(Rejection, rejection("Acme"))
    assert wb.all(Rejection) == [record]
    assert Workbook(path, backups=5, codec=make_codec()).all(Rejection) == [record]
    assert later == [1]  # the listeners after the broken one still ran
    assert "ValueError" in caplog.text
    assert MARKER not in caplog.text  # the message might quote what the person wrote
