"""Storage tests: real files, real processes, real threads. Nothing stands in for the disk.

Covers ``workbook/storage.py`` (WorkbookFile) through ``workbook/repository.py`` (Workbook).
"""

from __future__ import annotations

import errno
import json
import subprocess
import sys
import threading
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import tinydb

from tests.store_helpers import DAMAGED_GLOB, TMP_GLOB, companies, rejection
from workbook import storage
from workbook.models import CheckIn, RecordInvalid, Rejection, Stage
from workbook.repository import Workbook
from workbook.storage import SCHEMA_VERSION, NewerSchemaError, RecoveryNotice

HELPERS = Path(__file__).with_name("storage_helpers.py")


# -- helpers -------------------------------------------------------------------------------
def on_disk(path: Path) -> dict[str, Any]:
    """The file parsed with plain ``json``: what any other program would see."""
    return json.loads(path.read_bytes().decode("utf-8"))


def damaged_copies(folder: Path) -> list[Path]:
    return sorted(folder.glob(DAMAGED_GLOB))


@pytest.fixture
def path(tmp_path: Path) -> Path:
    return tmp_path / "workbook.json"


@pytest.fixture
def seeded(path: Path) -> tuple[Workbook, list[Rejection]]:
    """A workbook after three saves (so backups exist), keeping 5 backups.

    Without the journal: each save is then a full atomic rewrite with a backup of the
    previous file, the path restores, imports, migrations and journal folds all take, and
    what these tests of failed renames and of damaged-file recovery are about. The journal
    has its own tests in ``test_storage_journal.py``.
    """
    wb = Workbook(path, backups=5, journal=False)
    records = [wb.add(Rejection, rejection(name)) for name in ("Acme", "Globex", "Initech")]
    return wb, records


# -- 1. round trip -------------------------------------------------------------------------
def test_round_trip_through_a_new_workbook(path: Path) -> None:
    wb = Workbook(path, backups=5)
    first = wb.add(Rejection, rejection("Acme", notes="Line one\nLine two — “quoted” ✓"))
    second = wb.add(Rejection, rejection("Globex", applied_on="2024-02-01", channel="referral"))
    checkin = wb.add(
        CheckIn,
        {"emotions": ["sad", "relieved"], "intensity": 7, "rejection_id": first.id},
    )
    many = [
        Rejection.model_validate(rejection(f"Bulk {i}", stage=Stage.FINAL_ROUND)) for i in range(3)
    ]
    assert wb.add_many(many) == 3
    second = wb.update(Rejection, second.id, {"archived": True, "stage": "offer"})
    wb.set_setting("timezone", "Europe/Berlin")
    wb.set_text_draft("journal", "half a thought")

    reopened = Workbook(path, backups=5)
    reopened.file.fold()  # the main file alone then holds everything
    assert reopened.all(Rejection) == [first, second, *many]
    assert reopened.get(Rejection, second.id).archived is True
    assert reopened.get(Rejection, second.id).stage is Stage.OFFER
    assert reopened.get(Rejection, second.id).applied_on == date(2024, 2, 1)
    assert reopened.all(CheckIn) == [checkin]
    assert reopened.setting("timezone") == "Europe/Berlin"
    assert reopened.text_draft("journal") == "half a thought"
    assert reopened.notices == []
    # Records are keyed on disk by their own id, next to the schema version.
    data = on_disk(path)
    assert set(data["rejections"]) == {first.id, second.id, *(r.id for r in many)}
    assert data["_meta"]["1"] == {"schema_version": SCHEMA_VERSION}
    assert set(data["_meta"]) == {"1", "journal"}  # "journal": the base token of its journal


# -- 2. failure between write and rename, in process ---------------------------------------
def _add(wb: Workbook, target: Rejection) -> None:
    wb.add(Rejection, rejection("Never Saved"))


def _update(wb: Workbook, target: Rejection) -> None:
    wb.update(Rejection, target.id, {"company": "Never Saved"})


def _delete(wb: Workbook, target: Rejection) -> None:
    wb.delete(Rejection, target.id)


def _change_setting(wb: Workbook, target: Rejection) -> None:
    wb.set_setting("theme", "never saved")


def _new_setting(wb: Workbook, target: Rejection) -> None:
    wb.set_setting("other", "never saved")


@pytest.mark.parametrize(
    "operation",
    [_add, _update, _delete, _change_setting, _new_setting],
    ids=lambda f: f.__name__.strip("_"),
)
def test_failed_rename_keeps_previous_state_everywhere(
    seeded: tuple[Workbook, list[Rejection]],
    path: Path,
    monkeypatch: pytest.MonkeyPatch,
    operation: Any,
) -> None:
    wb, records = seeded
    wb.set_setting("theme", "light")
    before_bytes = path.read_bytes()
    before = wb.all(Rejection)  # warm every cache the workbook has
    assert wb.setting("theme") == "light"
    calls: list[Path] = []

    def failing_replace(self: Path, target: Any) -> Path:
        calls.append(self)
        raise OSError(errno.EIO, "simulated failure before the rename")

    monkeypatch.setattr(Path, "replace", failing_replace)
    with pytest.raises(OSError, match="simulated failure"):
        operation(wb, records[1])
    monkeypatch.undo()

    assert len(calls) == 1, "the save must have reached the rename"
    # The file on disk is byte-for-byte the previous state and still parses.
    assert path.read_bytes() == before_bytes
    assert storage.parse(path.read_bytes())
    assert list(path.parent.glob(TMP_GLOB)) == []
    # A fresh workbook sees the previous state ...
    fresh = Workbook(path, backups=5)
    assert fresh.all(Rejection) == before
    assert (fresh.setting("theme"), fresh.setting("other")) == ("light", None)
    # ... and so does the workbook whose save failed (its cache was dropped).
    assert wb.all(Rejection) == before
    assert wb.count(Rejection) == len(before)
    assert (wb.setting("theme"), wb.setting("other")) == ("light", None)
    # And it keeps working: the next save holds the previous state plus the new record only.
    wb.add(Rejection, rejection("Saved Later"))
    assert companies(Workbook(path, backups=5)) == ["Acme", "Globex", "Initech", "Saved Later"]


# -- 3. a real crash in a child process ----------------------------------------------------
def test_process_killed_before_rename_leaves_first_save_intact(path: Path) -> None:
    result = subprocess.run(
        # The helper saves with the journal off: this is the full rewrite's crash.
        [sys.executable, str(HELPERS), "crash", str(path)],
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )
    assert result.returncode == 9, result.stderr
    first = Rejection.model_validate_json(result.stdout.strip())

    # The child died with its fully written temp file still next to the workbook.
    leftovers = list(path.parent.glob(TMP_GLOB))
    assert len(leftovers) == 1
    assert sorted(r["company"] for r in on_disk(leftovers[0])["rejections"].values()) == [
        "First Co",
        "Second Co",
    ]
    # The workbook itself is not torn: it is exactly the first save.
    data = on_disk(path)
    assert list(data["rejections"]) == [first.id]
    assert storage.parse(path.read_bytes()) == data

    wb = Workbook(path, backups=5)
    assert wb.all(Rejection) == [first]
    assert wb.notices == []
    assert list(path.parent.glob(TMP_GLOB)) == [], "stale temp files are removed on open"
    assert damaged_copies(path.parent) == []


# -- 4. threads sharing one Workbook -------------------------------------------------------
def test_eight_threads_share_one_workbook(path: Path) -> None:
    wb = Workbook(path, backups=3)
    shared = wb.add(Rejection, rejection("Shared"))
    threads_n, per_thread = 8, 25
    start = threading.Barrier(threads_n)
    errors: list[BaseException] = []
    appended = [0] * threads_n

    def work(n: int) -> None:
        try:
            start.wait(timeout=10)
            for i in range(per_thread):
                wb.add(Rejection, rejection(f"t{n}-{i:02d}"))
                if n % 2 == 0:
                    # Read-modify-write of a shared field: must never lose an update.
                    with wb.file.locked():
                        current = wb.get(Rejection, shared.id)
                        wb.update(Rejection, shared.id, {"notes": current.notes + "x"})
                    appended[n] += 1
                elif i % 5 == 0:
                    wb.update(Rejection, shared.id, {"channel": f"thread {n}"})
                wb.all(Rejection)
        except BaseException as exc:  # collected and re-raised in the main thread
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(n,)) for n in range(threads_n)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in threads)
    assert errors == []

    expected = {f"t{n}-{i:02d}" for n in range(threads_n) for i in range(per_thread)}
    for reader in (wb, Workbook(path, backups=3)):
        records = reader.all(Rejection)
        assert len(records) == threads_n * per_thread + 1
        assert {r.company for r in records} == expected | {"Shared"}
        final = reader.get(Rejection, shared.id)
        assert final.notes == "x" * sum(appended) == "x" * (threads_n // 2 * per_thread)
        assert final.channel.startswith("thread ")
        assert int(final.channel.split()[1]) % 2 == 1
    assert list(path.parent.glob(TMP_GLOB)) == []


# -- 5. two processes on one file ----------------------------------------------------------
def test_two_processes_add_and_increment_without_lost_updates(tmp_path: Path, path: Path) -> None:
    records, increments = 50, 50
    Workbook(path, backups=5)  # both children then open an existing file
    go = tmp_path / "go"
    tags = ["p0", "p1"]
    ready = {tag: tmp_path / f"ready-{tag}" for tag in tags}
    children = [
        subprocess.Popen(
            [
                sys.executable,
                str(HELPERS),
                "worker",
                str(path),
                tag,
                str(records),
                str(increments),
                str(ready[tag]),
                str(go),
            ],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for tag in tags
    ]
    try:
        deadline = time.monotonic() + 15
        while not all(r.exists() for r in ready.values()):
            assert all(c.poll() is None for c in children), "a worker exited before starting"
            assert time.monotonic() < deadline, "workers did not start in time"
            time.sleep(0.01)
        go.touch()  # both processes start saving at the same moment
        outputs = [child.communicate(timeout=30) for child in children]
    finally:
        for child in children:
            if child.poll() is None:
                child.kill()
                child.wait()
    for child, (_out, err) in zip(children, outputs, strict=True):
        assert child.returncode == 0, err
    summaries = {s["tag"]: s for s in (json.loads(out) for out, _err in outputs)}

    wb = Workbook(path, backups=5)
    stored = wb.all(Rejection)
    assert len(stored) == 2 * records
    assert {r.id for r in stored} == set(summaries["p0"]["ids"]) | set(summaries["p1"]["ids"])
    assert {r.company for r in stored} == {f"{t}-{i:03d}" for t in tags for i in range(records)}
    assert wb.setting("counter") == 2 * increments
    for tag in tags:  # settings written without an outer lock are not lost either
        assert [wb.setting(f"seen-{tag}-{i:03d}") for i in range(20)] == list(range(20))
    assert list(path.parent.glob(TMP_GLOB)) == []
    assert damaged_copies(path.parent) == []


# -- 6. another writer's changes are seen --------------------------------------------------
def test_changes_made_through_another_workbook_are_seen(path: Path) -> None:
    a = Workbook(path, backups=5)
    b = Workbook(path, backups=5)
    assert a.all(Rejection) == []  # A has now cached the empty state
    assert a.setting("theme") is None

    added = b.add(Rejection, rejection("Made By B"))
    b.set_setting("theme", "dark")
    assert a.all(Rejection) == [added]
    assert a.count(Rejection) == 1
    assert a.setting("theme") == "dark"

    changed = a.update(Rejection, added.id, {"notes": "edited by A"})
    assert b.get(Rejection, added.id) == changed
    # Same-size changes are still seen (size alone would not tell them apart).
    for value in ("aa", "bb", "cc", "dd"):
        b.set_setting("theme", value)
        assert a.setting("theme") == value

    b.delete(Rejection, added.id)
    assert a.all(Rejection) == []
    # A's next write builds on B's latest state instead of a stale copy.
    later = a.add(Rejection, rejection("Made By A"))
    assert b.all(Rejection) == [later]
    assert b.setting("theme") == "dd"


# -- 7. damaged file recovery --------------------------------------------------------------
def _garbage(valid: bytes) -> bytes:
    return b"\x00\xff\xfe garbage \x89PNG\r\n\x1a\n" + bytes(range(256))


def _truncated(valid: bytes) -> bytes:
    return valid[: len(valid) // 2]


def _empty(valid: bytes) -> bytes:
    return b""


def _json_list(valid: bytes) -> bytes:
    return b'[{"company": "Acme"}]'


def _json_null(valid: bytes) -> bytes:
    return b"null"


def _table_not_dict(valid: bytes) -> bytes:
    data = json.loads(valid)
    data["rejections"] = ["not", "a", "table"]
    return json.dumps(data).encode()


def _record_not_dict(valid: bytes) -> bytes:
    data = json.loads(valid)
    first = next(iter(data["rejections"]))
    data["rejections"][first] = "not a record"
    return json.dumps(data).encode()


def _deeply_nested(valid: bytes) -> bytes:
    return b"[" * 100_000


DAMAGE = [
    _garbage,
    _truncated,
    _empty,
    _json_list,
    _json_null,
    _table_not_dict,
    _record_not_dict,
    _deeply_nested,
]


def _assert_plain_words(message: str) -> None:
    for technical in ("Traceback", "Error", "Exception", "JSON", "errno", "{", "}"):
        assert technical not in message


@pytest.mark.parametrize("damage", DAMAGE, ids=lambda f: f.__name__.strip("_"))
def test_damaged_file_is_set_aside_and_newest_backup_restored(
    seeded: tuple[Workbook, list[Rejection]], path: Path, damage: Any
) -> None:
    wb, records = seeded
    newest_backup = wb.file.backups()[0]
    backup_bytes = newest_backup.read_bytes()
    bad = damage(path.read_bytes())
    path.write_bytes(bad)

    reopened = Workbook(path, backups=5)

    aside = damaged_copies(path.parent)
    assert len(aside) == 1
    assert aside[0].read_bytes() == bad  # byte-for-byte, nothing lost
    # The newest backup holds the state before the last save; that is what comes back.
    assert path.read_bytes() == backup_bytes
    assert reopened.all(Rejection) == records[:2]
    assert Workbook(path, backups=5).all(Rejection) == records[:2]
    assert len(reopened.notices) == 1
    notice = reopened.notices[0]
    assert isinstance(notice, RecoveryNotice)
    assert notice.damaged_copy == aside[0]
    assert notice.restored_from == newest_backup
    assert aside[0].name in notice.message
    assert "backup" in notice.message
    _assert_plain_words(notice.message)
    # Saving after the recovery works and keeps the damaged copy.
    reopened.add(Rejection, rejection("After Recovery"))
    assert companies(Workbook(path, backups=5)) == ["Acme", "Globex", "After Recovery"]
    assert aside[0].read_bytes() == bad


def test_newest_backup_damaged_too_falls_back_to_an_older_one(
    seeded: tuple[Workbook, list[Rejection]], path: Path
) -> None:
    wb, records = seeded
    newest, second = wb.file.backups()[:2]
    second_bytes = second.read_bytes()
    newest.write_bytes(b"{ torn")
    path.write_bytes(b"\x00" * 64)

    reopened = Workbook(path, backups=5)
    assert path.read_bytes() == second_bytes
    assert reopened.all(Rejection) == records[:1]
    assert [n.restored_from for n in reopened.notices] == [second]


@pytest.mark.parametrize("backups_state", ["none_ever_made", "all_damaged"])
def test_no_good_backup_starts_fresh_and_keeps_the_damaged_copy(
    path: Path, backups_state: str
) -> None:
    if backups_state == "all_damaged":
        wb = Workbook(path, backups=5, journal=False)
        for name in ("Acme", "Globex"):
            wb.add(Rejection, rejection(name))
        assert wb.file.backups()
        for backup in wb.file.backups():
            backup.write_bytes(b"not json either")
    bad = b"\xde\xad\xbe\xef this was a workbook once"
    path.write_bytes(bad)

    wb = Workbook(path, backups=5)

    assert wb.all(Rejection) == []
    assert on_disk(path)["_meta"]["1"] == {"schema_version": SCHEMA_VERSION}
    assert set(on_disk(path)) == {"_meta"}
    aside = damaged_copies(path.parent)
    assert len(aside) == 1
    assert aside[0].read_bytes() == bad
    assert len(wb.notices) == 1
    notice = wb.notices[0]
    assert notice.restored_from is None
    assert notice.damaged_copy == aside[0]
    assert "no good backup" in notice.message
    assert aside[0].name in notice.message
    _assert_plain_words(notice.message)


class _FrozenDatetime(datetime):
    """``datetime`` whose ``now`` is always the same second (for same-second collisions)."""

    frozen = datetime(2024, 5, 6, 7, 8, 9, 123456, tzinfo=UTC)

    @classmethod
    def now(cls, tz: Any = None) -> datetime:  # type: ignore[override]
        return cls.frozen if tz is not None else cls.frozen.replace(tzinfo=None)


def test_damages_in_the_same_second_never_overwrite_an_earlier_copy(
    seeded: tuple[Workbook, list[Rejection]], path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(storage, "datetime", _FrozenDatetime)
    bad = [f"damage number {n} ".encode() * (n + 1) for n in range(3)]
    seen: list[Path] = []
    for content in bad:
        path.write_bytes(content)
        reopened = Workbook(path, backups=5)
        assert reopened.notices[0].damaged_copy not in seen
        seen.append(reopened.notices[0].damaged_copy)
        assert reopened.notices[0].damaged_copy.name in reopened.notices[0].message

    aside = damaged_copies(path.parent)
    assert len(aside) == 3
    assert sorted(seen) == aside
    assert all("20240506T070809" in p.name for p in aside)  # really the same second
    assert [p.read_bytes() for p in seen] == bad


def test_damage_noticed_while_running_is_recovered(
    seeded: tuple[Workbook, list[Rejection]], path: Path
) -> None:
    wb, records = seeded
    assert wb.all(Rejection) == records  # cached
    backup_bytes = wb.file.backups()[0].read_bytes()
    path.write_bytes(b"\x00\x00\x00")  # another program wrote rubbish over it

    assert wb.all(Rejection) == records[:2]
    assert path.read_bytes() == backup_bytes
    assert len(wb.notices) == 1
    assert [p.read_bytes() for p in damaged_copies(path.parent)] == [b"\x00\x00\x00"]


# -- 8. migration --------------------------------------------------------------------------
def test_plain_tinydb_file_is_migrated_with_a_backup_of_the_original(path: Path) -> None:
    legacy = {
        "company": "Old Corp",
        "role": "Analyst",
        "rejected_at": "2023-11-02T09:30:00+00:00",
        "stage": "recruiter_screen",
    }
    db = tinydb.TinyDB(path)
    db.table("rejections").insert(legacy)
    db.close()
    original = path.read_bytes()
    assert "_meta" not in json.loads(original)
    before_open = datetime.now(UTC) - timedelta(seconds=1)

    wb = Workbook(path, backups=5)

    [record] = wb.all(Rejection)
    assert isinstance(record, Rejection)
    assert (record.company, record.role, record.stage) == (
        "Old Corp",
        "Analyst",
        Stage.RECRUITER_SCREEN,
    )
    assert record.rejected_at == datetime(2023, 11, 2, 9, 30, tzinfo=UTC)
    assert record.id
    assert record.created_at >= before_open
    assert record.created_at.tzinfo is not None
    assert record.updated_at == record.created_at
    data = on_disk(path)
    assert data["_meta"]["1"]["schema_version"] == SCHEMA_VERSION == 1
    assert list(data["rejections"]) == [record.id]  # keyed by its own id now
    assert [b.read_bytes() for b in wb.file.backups()] == [original]
    assert wb.notices == []

    # Opening again does not migrate again: same id, same times, no new backup.
    again = Workbook(path, backups=5)
    assert again.all(Rejection) == [record]
    assert len(again.file.backups()) == 1


def test_newer_schema_is_refused_and_left_untouched(path: Path) -> None:
    path.write_bytes(
        b'{"_meta":{"1":{"schema_version":999}},"rejections":{"x":{"future":"field"}}}'
    )
    before = path.read_bytes()
    stat = path.stat()

    with pytest.raises(NewerSchemaError):
        Workbook(path, backups=5)

    assert path.read_bytes() == before
    assert path.stat().st_ino == stat.st_ino
    assert path.stat().st_mtime_ns == stat.st_mtime_ns
    assert damaged_copies(path.parent) == []
    assert not (path.parent / "backups").exists()


# -- 9. backups ----------------------------------------------------------------------------
def test_rolling_backups_keep_the_newest_five(path: Path) -> None:
    wb = Workbook(path, backups=5, journal=False)  # every save a full rewrite
    states: list[bytes] = []
    for i in range(15):
        states.append(path.read_bytes())
        wb.add(Rejection, rejection(f"Company {i}"))

    backups = wb.file.backups()
    assert len(backups) == 5
    assert len(list((path.parent / "backups").iterdir())) == 5
    assert backups[0].read_bytes() == states[-1]  # the state before the last save
    # Newest first, and they are exactly the five states before the last five saves.
    assert [b.read_bytes() for b in backups] == states[::-1][:5]
    for number, backup in enumerate(backups):
        data = storage.parse(backup.read_bytes())
        assert len(data["rejections"]) == 14 - number
        assert storage.schema_version(data) == SCHEMA_VERSION


@pytest.mark.parametrize(
    "change",
    [
        pytest.param(lambda wb, r: wb.add(Rejection, rejection("New")), id="add"),
        pytest.param(lambda wb, r: wb.update(Rejection, r.id, {"notes": "n"}), id="update"),
        pytest.param(lambda wb, r: wb.delete(Rejection, r.id), id="delete"),
        pytest.param(lambda wb, r: wb.set_setting("theme", "dim"), id="change_setting"),
        pytest.param(lambda wb, r: wb.set_setting("fresh", 1), id="new_setting"),
        pytest.param(lambda wb, r: wb.set_text_draft("fresh", "t"), id="new_text_draft"),
    ],
)
def test_one_change_is_one_save_and_one_backup(path: Path, change: Any) -> None:
    wb = Workbook(path, backups=50, journal=False)
    record = wb.add(Rejection, rejection("Acme"))
    wb.set_setting("theme", "light")
    before = path.read_bytes()
    backups = wb.file.backups()

    change(wb, record)

    after = wb.file.backups()
    assert len(after) == len(backups) + 1
    assert after[0].read_bytes() == before  # the one new backup is the state before the change
    assert path.read_bytes() != before


@pytest.mark.parametrize(
    "change",
    [
        pytest.param(lambda wb, r: wb.add(Rejection, rejection("New")), id="add"),
        pytest.param(lambda wb, r: wb.update(Rejection, r.id, {"notes": "n"}), id="update"),
        pytest.param(lambda wb, r: wb.delete(Rejection, r.id), id="delete"),
        pytest.param(lambda wb, r: wb.set_setting("theme", "dim"), id="change_setting"),
        pytest.param(lambda wb, r: wb.set_text_draft("fresh", "t"), id="new_text_draft"),
    ],
)
def test_one_change_is_one_journal_entry_and_no_backup(path: Path, change: Any) -> None:
    wb = Workbook(path, backups=50)
    record = wb.add(Rejection, rejection("Acme"))
    wb.set_setting("theme", "light")
    before, inode, backups = path.read_bytes(), path.stat().st_ino, wb.file.backups()
    journal_before = wb.file.journal_path.stat().st_size

    change(wb, record)

    assert wb.file.backups() == backups
    assert (path.read_bytes(), path.stat().st_ino) == (before, inode)
    assert wb.file.journal_path.stat().st_size > journal_before


def test_unchanged_setting_does_not_write(path: Path) -> None:
    wb = Workbook(path, backups=5)
    wb.set_setting("theme", "dark")
    before, backups = path.read_bytes(), wb.file.backups()
    inode = path.stat().st_ino
    journal = wb.file.journal_path.read_bytes()
    wb.set_setting("theme", "dark")
    assert wb.file.journal_path.read_bytes() == journal
    assert path.read_bytes() == before
    assert path.stat().st_ino == inode
    assert wb.file.backups() == backups


# -- 10. validation never half-saves -------------------------------------------------------
def _invalid_add_empty_company(wb: Workbook, target: Rejection) -> None:
    wb.add(Rejection, rejection("   "))


def _invalid_add_future_no(wb: Workbook, target: Rejection) -> None:
    future = (datetime.now(UTC) + timedelta(days=3)).isoformat()
    wb.add(Rejection, rejection("Acme", rejected_at=future))


def _invalid_checkin(wb: Workbook, target: Rejection) -> None:
    wb.add(CheckIn, {"emotions": ["sad"], "intensity": 11})


def _invalid_update(wb: Workbook, target: Rejection) -> None:
    wb.update(Rejection, target.id, {"company": ""})


@pytest.mark.parametrize(
    ("invalid", "field"),
    [
        (_invalid_add_empty_company, "company"),
        (_invalid_add_future_no, "rejected_at"),
        (_invalid_checkin, "intensity"),
        (_invalid_update, "company"),
    ],
    ids=["add_empty_company", "add_future_no", "checkin_intensity", "update_empty_company"],
)
def test_invalid_record_never_touches_the_file(
    seeded: tuple[Workbook, list[Rejection]], path: Path, invalid: Any, field: str
) -> None:
    wb, records = seeded
    before = path.read_bytes()
    backups = [(b, b.read_bytes()) for b in wb.file.backups()]
    inode = path.stat().st_ino

    with pytest.raises(RecordInvalid) as caught:
        invalid(wb, records[0])
    assert list(caught.value.errors) == [field]
    assert caught.value.errors[field]

    assert path.read_bytes() == before
    assert path.stat().st_ino == inode
    assert [(b, b.read_bytes()) for b in wb.file.backups()] == backups
    assert list(path.parent.glob(TMP_GLOB)) == []
    assert wb.all(Rejection) == records
    fresh = Workbook(path, backups=5)
    assert fresh.all(Rejection) == records
    assert fresh.all(CheckIn) == []


@pytest.mark.parametrize("mark", ["2", 2.0, True, -1, None, [1]])
def test_a_version_mark_we_do_not_understand_is_refused_untouched(path: Path, mark: Any) -> None:
    raw = json.dumps({"_meta": {"1": {"schema_version": mark}}, "rejections": {}}).encode()
    path.write_bytes(raw)
    with pytest.raises(storage.NewerSchemaError, match="has not been changed"):
        Workbook(path)
    assert path.read_bytes() == raw


# -- per-table caching ---------------------------------------------------------------
def test_a_save_rebuilds_only_the_table_it_changed(tmp_path: Path) -> None:
    from datetime import date

    from workbook.models import CheckIn, Win

    wb = Workbook(tmp_path / "workbook.json")
    wb.add(CheckIn, {"emotions": ["calm"], "intensity": 2})
    wb.add(Win, {"text": "first", "won_on": date(2026, 1, 5)})
    checkins, wins = wb.all(CheckIn), wb.all(Win)
    wb.add(Win, {"text": "second", "won_on": date(2026, 1, 6)})
    # Check-ins were not touched: the very same parsed objects are served again.
    assert wb.all(CheckIn)[0] is checkins[0]
    assert [w.text for w in wb.all(Win)] == ["first", "second"]
    assert wb.all(Win)[0] is not wins[0]
    wb.update(CheckIn, checkins[0].id, {"intensity": 7})
    assert wb.all(CheckIn)[0].intensity == 7
    wb.delete(Win, wins[0].id)
    assert [w.text for w in wb.all(Win)] == ["second"]


def test_a_whole_workbook_write_or_another_process_refreshes_every_table(
    tmp_path: Path,
) -> None:
    from workbook.models import CheckIn

    path = tmp_path / "workbook.json"
    wb = Workbook(path)
    first = wb.add(CheckIn, {"emotions": ["calm"], "intensity": 2})
    assert wb.all(CheckIn)[0].intensity == 2
    # A write of the whole workbook (as a restore does) outside any one table.
    with wb.file.locked():
        data = wb.file.read()
        data["checkins"][first.id]["intensity"] = 9
        wb.file.write(data)
    assert wb.all(CheckIn)[0].intensity == 9
    # Another Workbook object (another process, in effect) writes the same file.
    other = Workbook(path)
    other.update(CheckIn, first.id, {"intensity": 4})
    assert wb.all(CheckIn)[0].intensity == 4
