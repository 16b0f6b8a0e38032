"""Fuzzing: every form's validation and the JSON restore, fed arbitrary input.

Whatever comes in, a save either succeeds and reads back exactly, or is refused with
per-field messages (RecordInvalid) and the workbook folder is byte-for-byte unchanged; a
backup file is either restored (and the workbook re-opens) or refused with a BackupError
and nothing changed. No other exception type, ever.
"""

from __future__ import annotations

import json
import shutil
import tempfile
from datetime import UTC, date, datetime, timedelta, timezone
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from workbook import config, demo
from workbook.exports import backup
from workbook.exports.backup import BackupError
from workbook.exports.document import Snapshot
from workbook.models import RECORD_TYPES, Record, RecordInvalid
from workbook.repository import Workbook

FUZZ = settings(deadline=None, suppress_health_check=list(HealthCheck))
NOW = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)
NEWER = "This backup was made by a newer version of Rebound"

# -- strategies ------------------------------------------------------------------------------
ODD_TEXT = st.sampled_from(
    [
        "",
        " ",
        "\x00",
        "a\x00b",
        "😀👩‍👩‍👧",
        "שלום עולם",
        "\u202eevil\u202c",
        "2026-03-01",
        "2026-03-01T10:00:00",
        "2026-03-01T10:00:00+05:00",
        "9999-12-31T23:59:59Z",
        "0001-01-01",
        "yesterday",
        "1e309",
        "NaN",
        "true",
        "null",
        "[]",
        "{}",
        "application",
        "offer",
    ]
)
HUGE_TEXT = st.tuples(
    st.sampled_from(["a", "é", "😀", "ש", "\x00", " "]), st.integers(1, 100_000)
).map(lambda p: p[0] * p[1])
TEXT = st.one_of(st.text(max_size=30), ODD_TEXT, HUGE_TEXT)
NUMBERS = st.one_of(
    st.integers(-20, 20),
    st.integers(),
    st.sampled_from([2**63, -(2**63) - 1, 10**400]),
    st.floats(),  # nan and inf included
)
ZONES = st.one_of(
    st.none(),
    st.just(UTC),
    st.integers(-23 * 60, 23 * 60).map(lambda m: timezone(timedelta(minutes=m))),
)
MOMENTS = st.one_of(
    st.datetimes(timezones=ZONES),  # far past and far future, naive and aware
    st.datetimes(datetime(2025, 1, 1), datetime(2027, 1, 1), timezones=ZONES),
)
DAYS = st.one_of(st.dates(), st.dates(date(2025, 1, 1), date(2027, 1, 1)))
SCALARS = st.one_of(st.none(), st.booleans(), NUMBERS, TEXT, DAYS, MOMENTS)
VALUES = st.recursive(
    SCALARS,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.dictionaries(st.text(max_size=8), inner, max_size=4),
    ),
    max_leaves=8,
)
JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner),
    max_leaves=10,
)


@cache
def examples() -> dict[type[Record], Record]:
    """One valid record of every type (the demo generates them all)."""
    found: dict[type[Record], Record] = {}
    for record in demo.generate(heavy=False, now=datetime.now(UTC) - timedelta(hours=1)):
        found.setdefault(type(record), record)
    assert set(found) == set(RECORD_TYPES)
    return found


def changes(model: type[Record]) -> st.SearchStrategy[dict[str, Any]]:
    """Some of the model's fields, each either a valid value or anything at all."""
    valid = examples()[model].model_dump()
    names = list(model.model_fields)

    def one(name: str) -> st.SearchStrategy[Any]:
        return st.one_of(st.just(valid[name]), VALUES)

    fields = st.lists(st.sampled_from(names), unique=True, max_size=len(names)).flatmap(
        lambda chosen: st.fixed_dictionaries({n: one(n) for n in chosen})
    )
    unknown = st.dictionaries(st.text(min_size=1, max_size=12), VALUES, max_size=2)
    return st.tuples(fields, st.one_of(st.just({}), st.just({}), unknown)).map(
        lambda pair: {**pair[1], **pair[0]}
    )


def new_data(model: type[Record]) -> st.SearchStrategy[dict[str, Any]]:
    # Mostly the valid example with some fields changed, sometimes arbitrary fields only.
    valid = {
        k: v
        for k, v in examples()[model].model_dump().items()
        if k not in {"id", "created_at", "updated_at"}
    }
    return st.one_of(changes(model).map(lambda c: {**valid, **c}), changes(model))


# -- helpers ---------------------------------------------------------------------------------
def folder_state(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder`` and its bytes (workbook, rolling backups, safety copies)."""
    return {
        str(p.relative_to(folder)): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and not p.name.endswith(".lock")
    }


def counts(wb: Workbook) -> dict[str, int]:
    return {model.TABLE: wb.count(model) for model in RECORD_TYPES}


def assert_refusal(errors: dict[str, str]) -> None:
    assert errors, "a refusal names at least one field"
    for name, message in errors.items():
        assert isinstance(name, str)
        assert isinstance(message, str) and message.strip()


@cache
def template(kind: str) -> Path:
    """A workbook file, written once and copied per example."""
    folder = Path(tempfile.mkdtemp(prefix=f"fuzz-{kind}-"))
    wb = Workbook(config.workbook_path(folder))
    if kind == "examples":
        wb.add_many(examples().values())
    elif kind == "demo":
        wb.add_many(demo.generate(heavy=False, now=NOW))
        wb.set_setting("sign_off_name", "Sam")
        wb.set_text_draft("keep.x", "unsaved words")
    return config.workbook_path(folder)


def copy_of(kind: str, folder: Path) -> Workbook:
    target = config.workbook_path(folder)
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy2(template(kind), target)
    return Workbook(target)


# -- 1. adding -------------------------------------------------------------------------------
@pytest.mark.parametrize("model", RECORD_TYPES, ids=lambda m: m.TABLE)
@settings(FUZZ, max_examples=12)
@given(data=st.data())
def test_add_saves_exactly_or_refuses_and_changes_nothing(
    model: type[Record], data: st.DataObject
) -> None:
    payload = data.draw(new_data(model), label="data")
    with tempfile.TemporaryDirectory() as tmp:
        wb = copy_of("empty", Path(tmp))
        before, counted = folder_state(Path(tmp)), counts(wb)
        try:
            record = wb.add(model, payload)
        except RecordInvalid as refused:
            event("refused")
            assert_refusal(refused.errors)
            assert folder_state(Path(tmp)) == before
            assert counts(wb) == counted
        else:
            event("saved")
            assert wb.get(model, record.id) == record
            assert Workbook(wb.path).get(model, record.id) == record  # from disk, too
            assert wb.count(model) == counted[model.TABLE] + 1


# -- 2. editing ------------------------------------------------------------------------------
@pytest.mark.parametrize("model", RECORD_TYPES, ids=lambda m: m.TABLE)
@settings(FUZZ, max_examples=10)
@given(data=st.data())
def test_update_saves_exactly_or_refuses_and_changes_nothing(
    model: type[Record], data: st.DataObject
) -> None:
    edit = data.draw(changes(model), label="changes")
    stored = examples()[model]
    with tempfile.TemporaryDirectory() as tmp:
        wb = copy_of("examples", Path(tmp))
        before, counted = folder_state(Path(tmp)), counts(wb)
        try:
            record = wb.update(model, stored.id, edit)
        except RecordInvalid as refused:
            event("refused")
            assert_refusal(refused.errors)
            assert folder_state(Path(tmp)) == before
            assert counts(wb) == counted
            assert wb.get(model, stored.id) == stored
        else:
            event("saved")
            assert record.id == stored.id
            assert wb.get(model, stored.id) == record
            assert Workbook(wb.path).get(model, stored.id) == record
            assert counts(wb) == counted


# -- 3. restoring ----------------------------------------------------------------------------
@cache
def real_backup() -> dict[str, Any]:
    records: dict[type[Record], list[Record]] = {m: [] for m in RECORD_TYPES}
    for record in demo.generate(heavy=False, now=NOW):
        records[type(record)].append(record)
    snap = Snapshot(records, {"sign_off_name": "Sam", "theme": "bright"}, {"k": "words"})
    return json.loads(backup.dump(snap, now=NOW))


def _paths(doc: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    out = [prefix]
    if isinstance(doc, dict):
        for k, v in doc.items():
            out.extend(_paths(v, (*prefix, k)))
    elif isinstance(doc, list):
        for i, v in enumerate(doc):
            out.extend(_paths(v, (*prefix, i)))
    return out


def _retyped(value: Any) -> Any:
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, int | float):
        return str(value)
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return {str(i): v for i, v in enumerate(value)}
    if isinstance(value, dict):
        return list(value.values())
    return 0


@st.composite
def mutated_backup(draw: st.DrawFn) -> bytes:
    doc = json.loads(json.dumps(real_backup()))
    for _ in range(draw(st.integers(1, 3))):
        paths = _paths(doc)[1:]
        if not paths:
            break
        path = draw(st.sampled_from(paths))
        *parent_path, key = path
        parent = doc
        for part in parent_path:
            parent = parent[part]
        kind = draw(st.sampled_from(["drop", "replace", "retype", "text", "dup"]))
        if kind == "drop":
            del parent[key]
        elif kind == "replace":
            parent[key] = draw(JSON_VALUES)
        elif kind == "retype":
            parent[key] = _retyped(parent[key])
        elif kind == "text":
            parent[key] = draw(TEXT)
        elif isinstance(parent, list):
            parent.append(json.loads(json.dumps(parent[key])))
    if draw(st.booleans()):
        doc["version"] = draw(st.one_of(NUMBERS, JSON_VALUES, st.sampled_from([0, 1, 2, -1])))
    raw = json.dumps(doc, ensure_ascii=draw(st.booleans()), allow_nan=True).encode()
    if draw(st.integers(0, 3)) == 0:
        raw = raw[: draw(st.integers(0, len(raw)))]
    if draw(st.integers(0, 5)) == 0:
        at = draw(st.integers(0, len(raw)))
        raw = raw[:at] + draw(st.binary(min_size=1, max_size=4)) + raw[at:]
    return raw


BACKUP_BYTES = st.one_of(
    mutated_backup(),
    mutated_backup(),
    JSON_VALUES.map(lambda v: json.dumps(v, allow_nan=True).encode()),
    st.fixed_dictionaries(
        {
            "format": st.one_of(st.just("rebound-backup"), JSON_VALUES),
            "version": st.one_of(st.just(1), NUMBERS.filter(lambda n: n == n), JSON_VALUES),
            "exported_at": st.one_of(st.just(NOW.isoformat()), JSON_VALUES, ODD_TEXT),
            "tables": st.one_of(st.just({}), JSON_VALUES),
            "settings": st.one_of(st.just({}), JSON_VALUES),
            "drafts": st.one_of(st.just({}), JSON_VALUES),
        }
    ).map(lambda d: json.dumps(d, allow_nan=True).encode()),
    st.binary(max_size=200),
)


@settings(FUZZ, max_examples=250)
@given(raw=BACKUP_BYTES, mode=st.sampled_from(["replace", "merge"]))
def test_restore_accepts_or_refuses_cleanly(raw: bytes, mode: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        wb = copy_of("demo", folder / "wb")
        before = folder_state(folder / "wb")
        picked = folder / "picked.json"
        picked.write_bytes(raw)
        try:
            held = backup.parse(raw)
        except BackupError as refused:
            event("refused")
            message = str(refused)
            assert message.strip()
            assert len(message) < 300, message[:500]  # one line, never an echo of the file
            with pytest.raises(BackupError) as from_disk:
                backup.load(picked)
            assert str(from_disk.value) == message
            assert folder_state(folder / "wb") == before
            return
        event("restored")
        assert backup.load(picked).counts() == held.counts()
        backup.restore(wb, held, mode)  # type: ignore[arg-type]
        reopened = Workbook(wb.path)
        assert not reopened.notices
        for model in RECORD_TYPES:
            stored = {r.id: r for r in reopened.all(model)}
            for record in held.of(model):
                assert stored[record.id] == record
            if mode == "replace":
                assert len(stored) == len(held.of(model))
        assert reopened.settings() == wb.settings()
        if mode == "replace":
            assert reopened.settings() == held.settings
            assert reopened.text_drafts() == held.drafts


def test_a_huge_version_number_is_not_echoed_in_full() -> None:
    doc = {**real_backup(), "version": 10**4000}
    with pytest.raises(BackupError) as refused:
        backup.parse(json.dumps(doc).encode())
    assert str(refused.value).startswith(NEWER)
    assert len(str(refused.value)) < 300
