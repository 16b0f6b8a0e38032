"""JSON backup and restore: lossless round trips, safe restores, hostile files refused.

Records are generated for every model from the models' own field types and limits
(lengths, number ranges, options), so a new model or field is covered without new code
here. Every hostile file is checked against a real workbook file: the bytes on disk must
not change and no safety copy may appear.
"""

from __future__ import annotations

import enum
import json
import string
import time
import types
import typing
from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import annotated_types
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import ValidationError
from pydantic.fields import FieldInfo

from workbook import demo
from workbook.exports import Options, Snapshot, backup, make, snapshot, snapshot_of
from workbook.exports.backup import MAX_BYTES, BackupError, dump, parse, restore
from workbook.models import RECORD_TYPES, CheckIn, FeedbackRequest, Record, Rejection, Win
from workbook.repository import STORED, Workbook

NOW = datetime(2025, 6, 1, 12, 0, tzinfo=UTC)
LATER = datetime(2025, 6, 2, 9, 30, tzinfo=UTC)

# -- strategies ------------------------------------------------------------------------------
# Pieces that have broken text handling elsewhere: emoji (with joiners), right-to-left
# script, markup and maths that renderers treat specially, quotes, newlines and tabs.
FRAGMENTS = [
    "😀",
    "👩🏽‍💻",
    "🇫🇷",
    "שלום",
    "مرحبا",
    "\u202eevil",
    "<script>alert(1)</script>",
    "$x$",
    "**bold**",
    "a\nb",
    "\r\n",
    "\t",
    '"quoted"',
    "\\",
    "株式会社",
    "Zürich",
    "\u2028",
    "{}",
    "[]",
]
CHARS = st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00")


def _clean(text: str, most: int) -> str:
    # What a stored text looks like: no NUL, no outer whitespace, within its limit.
    return text[:most].replace("\x00", "").strip()


def texts(most: int, *, required: bool = False) -> st.SearchStrategy[str]:
    pieces = st.lists(st.one_of(st.text(CHARS, max_size=6), st.sampled_from(FRAGMENTS)), max_size=4)
    small = pieces.map("".join)
    # Now and then a text exactly as long as the field allows.
    full = st.sampled_from(["a", "é", "😀", "ש"]).map(lambda c: c * most)
    strategy = st.one_of(small, small, small, full).map(lambda t: _clean(t, most))
    return strategy.filter(bool) if required else strategy


def ids() -> st.SearchStrategy[str]:
    # Real ids are uuid4 hex; anything from 1 to 64 characters is a valid id, and is the
    # record's key in the file, so odd ones are tried too.
    return st.one_of(
        st.uuids().map(lambda u: u.hex),
        st.text(st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=64),
    )


LINKS = st.one_of(
    st.just(""),
    st.text(string.ascii_letters + string.digits + "-._~/?=&%#", max_size=40).map(
        lambda path: f"https://example.org/{path}"
    ),
)
DAYS = st.dates(date(2000, 1, 1), date(2035, 12, 31))
MOMENTS = st.datetimes(datetime(2000, 1, 1), datetime(2035, 12, 31), timezones=st.just(UTC))


def _metadata(annotation: Any) -> tuple[Any, list[Any]]:
    """The bare type and all its constraints, looking through Annotated and FieldInfo."""
    meta: list[Any] = []
    while typing.get_origin(annotation) is typing.Annotated:
        annotation, *extra = typing.get_args(annotation)
        for item in extra:
            meta.extend(item.metadata if isinstance(item, FieldInfo) else [item])
    return annotation, meta


def _limit(meta: list[Any], kind: type, attr: str) -> Any:
    values = [getattr(m, attr) for m in meta if isinstance(m, kind)]
    if not values:
        return None
    return min(values) if kind in (annotated_types.MaxLen, annotated_types.Le) else max(values)


def _validators(meta: list[Any]) -> set[str]:
    return {getattr(getattr(m, "func", None), "__qualname__", "") for m in meta}


def value_strategy(annotation: Any, meta: list[Any], name: str) -> st.SearchStrategy[Any]:
    annotation, inner_meta = _metadata(annotation)
    meta = meta + inner_meta
    origin = typing.get_origin(annotation)
    args = typing.get_args(annotation)
    if origin in (typing.Union, types.UnionType):
        options = [a for a in args if a is not type(None)]
        choices = [value_strategy(a, meta, name) for a in options]
        return st.one_of(st.none(), *choices) if type(None) in args else st.one_of(*choices)
    if origin is typing.Literal:
        return st.sampled_from(args)
    if isinstance(annotation, type) and issubclass(annotation, enum.Enum):
        return st.sampled_from(list(annotation))
    if annotation is bool:
        return st.booleans()
    if annotation is int:
        low = _limit(meta, annotated_types.Ge, "ge")
        high = _limit(meta, annotated_types.Le, "le")
        return st.integers(-(10**6) if low is None else low, 10**6 if high is None else high)
    if annotation is datetime:
        return MOMENTS
    if annotation is date:
        return DAYS
    if annotation is str:
        if name == "id" or name.endswith("_id"):
            return ids()
        if "_web_link" in _validators(meta):
            return LINKS
        most = _limit(meta, annotated_types.MaxLen, "max_length") or 10_000
        required = any(v.startswith("required.") for v in _validators(meta))
        return texts(most, required=required)
    most = _limit(meta, annotated_types.MaxLen, "max_length") or 3
    if origin is list:
        least = 1 if name == "emotions" else 0  # a check-in names at least one feeling
        cap = 2 if name == "questions" else 3  # a feedback email asks one or two questions
        item = ids() if name.endswith("_ids") else value_strategy(args[0], [], name)
        return st.lists(item, min_size=least, max_size=min(most, cap))
    if origin is dict:
        keys = value_strategy(args[0], [], name)
        return st.dictionaries(keys, value_strategy(args[1], [], name), max_size=min(most, 3))
    raise NotImplementedError(f"no strategy for {name}: {annotation!r}")


def _valid(model: type[Record]) -> Callable[[dict[str, Any]], Record | None]:
    def build(data: dict[str, Any]) -> Record | None:
        try:
            return model.model_validate(data, context=STORED)
        except ValidationError:
            return None  # e.g. every feeling of a check-in was only whitespace

    return build


def records(model: type[Record]) -> st.SearchStrategy[Record]:
    """Valid, stored-as-is records of ``model``: every field, within every limit."""
    fields = {
        name: value_strategy(info.annotation, list(info.metadata), name)
        for name, info in model.model_fields.items()
    }
    return st.fixed_dictionaries(fields).map(_valid(model)).filter(lambda r: r is not None)


def tables(max_size: int = 2) -> st.SearchStrategy[dict[type[Record], list[Record]]]:
    return st.fixed_dictionaries(
        {
            model: st.lists(records(model), max_size=max_size, unique_by=lambda r: r.id)
            for model in RECORD_TYPES
        }
    )


JSON_VALUES = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(CHARS, max_size=20),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(CHARS, max_size=8), inner),
    max_leaves=6,
)
KEYS = st.text(CHARS, min_size=1, max_size=30)
SETTINGS = st.dictionaries(KEYS, JSON_VALUES, max_size=4)
DRAFTS = st.dictionaries(KEYS, texts(500, required=True), max_size=4)


# -- helpers ---------------------------------------------------------------------------------
def fill(
    wb: Workbook,
    content: dict[type[Record], list[Record]],
    settings_: dict[str, Any] | None = None,
    drafts: dict[str, str] | None = None,
) -> None:
    wb.add_many(r for rs in content.values() for r in rs)
    for key, value in (settings_ or {}).items():
        wb.set_setting(key, value)
    for key, text in (drafts or {}).items():
        wb.set_text_draft(key, text)


def dumped(records_: list[Record]) -> list[dict[str, Any]]:
    return sorted((r.model_dump(mode="json") for r in records_), key=lambda d: d["id"])


def assert_same(wb: Workbook, content: dict[type[Record], list[Record]]) -> None:
    for model in RECORD_TYPES:
        assert dumped(wb.all(model)) == dumped(content.get(model, [])), model.TABLE


def snapshot_of_records(content: dict[type[Record], list[Record]]) -> Snapshot:
    return snapshot(lambda m: content.get(m, []))


def safety_copies(wb: Workbook) -> list[Path]:
    folder = wb.file.backup_dir
    return sorted(folder.glob("*before-restore*")) if folder.exists() else []


def fresh(folder: Path) -> Workbook:
    folder.mkdir(parents=True, exist_ok=True)
    return Workbook(folder / "workbook.json")


# -- round trips -----------------------------------------------------------------------------
@pytest.mark.parametrize("model", RECORD_TYPES, ids=lambda m: m.TABLE)
@settings(max_examples=15, deadline=None)
@given(data=st.data())
def test_every_model_survives_dump_and_parse(model: type[Record], data: st.DataObject) -> None:
    items = data.draw(st.lists(records(model), min_size=1, max_size=3, unique_by=lambda r: r.id))
    held = parse(dump(snapshot_of_records({model: items}), now=NOW))
    assert dumped(held.of(model)) == dumped(items)
    assert held.counts()[model.TABLE] == len(items)


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(content=tables(), settings_=SETTINGS, drafts=DRAFTS)
def test_workbook_round_trips_through_a_backup(
    tmp_path_factory: pytest.TempPathFactory,
    content: dict[type[Record], list[Record]],
    settings_: dict[str, Any],
    drafts: dict[str, str],
) -> None:
    folder = tmp_path_factory.mktemp("roundtrip")
    source = fresh(folder / "source")
    fill(source, content, settings_, drafts)
    data = dump(snapshot_of(source), now=NOW)

    target = fresh(folder / "target")
    result = restore(target, parse(data), "replace", now=LATER)

    assert_same(target, content)
    assert target.settings() == settings_
    assert target.text_drafts() == drafts
    assert result.added == sum(len(v) for v in content.values())
    # A workbook restored from a backup backs up to the very same bytes.
    assert dump(snapshot_of(target), now=NOW) == data
    # And a fresh repository on the restored file (another process) reads the same.
    assert_same(Workbook(target.path), content)


def test_dump_is_stable_and_readable() -> None:
    wins = [
        Win(id="b", text="Second", won_on=date(2025, 5, 2), created_at=NOW, updated_at=NOW),
        Win(id="a", text="First 😀", won_on=date(2025, 5, 1), created_at=NOW, updated_at=NOW),
    ]
    data = dump(snapshot_of_records({Win: wins}), now=NOW)
    doc = json.loads(data)
    assert doc["format"] == "rebound-backup" and doc["version"] == 1
    assert doc["exported_at"] == "2025-06-01T12:00:00+00:00"
    assert list(doc["tables"]) == [m.TABLE for m in RECORD_TYPES]  # every table, in order
    assert [w["id"] for w in doc["tables"]["wins"]] == ["a", "b"]  # sorted by id
    assert "First 😀".encode() in data  # not \u escapes: readable in any editor
    assert b"\n" in data
    assert dump(snapshot_of_records({Win: list(reversed(wins))}), now=NOW) == data


def test_the_export_registry_makes_the_backup(tmp_path: Path) -> None:
    wb = fresh(tmp_path)
    fill(wb, {Win: [Win(text="Ran 5k", won_on=date(2025, 5, 1))]})
    data = make("json", snapshot_of(wb), None, UTC, Options(now=NOW))  # type: ignore[arg-type]
    assert data == dump(snapshot_of(wb), now=NOW)


def test_preview_says_what_the_file_holds_before_anything_changes(tmp_path: Path) -> None:
    wb = fresh(tmp_path / "wb")
    fill(wb, {Win: [Win(text="Kept", won_on=date(2025, 5, 1))]})
    before = wb.path.read_bytes()
    source = fresh(tmp_path / "source")
    source.add_many(demo.generate(heavy=False, now=NOW))
    held = parse(dump(snapshot_of(source), now=NOW))

    assert held.exported_at == NOW
    assert held.version == 1
    counts = held.counts()
    assert list(counts) == [m.TABLE for m in RECORD_TYPES]
    assert counts["rejections"] == 3 and counts["checkins"] == 12
    assert ("Rejection log", 3) in held.preview()
    assert all(n > 0 for _, n in held.preview())
    assert held.total == sum(counts.values())
    assert held.snapshot().of(Rejection) == held.of(Rejection)
    # Parsing, counting and previewing never touched the workbook.
    assert wb.path.read_bytes() == before
    assert safety_copies(wb) == []


# -- restoring -------------------------------------------------------------------------------
def _win(record_id: str, text: str) -> Win:
    return Win(id=record_id, text=text, won_on=date(2025, 5, 1), created_at=NOW, updated_at=NOW)


def test_restore_takes_a_safety_copy_first(tmp_path: Path) -> None:
    wb = fresh(tmp_path / "wb")
    fill(wb, {Win: [_win("w1", "Mine")]}, {"theme": "calm"}, {"k": "half a thought"})
    # The setting and the draft are journal entries: the main file alone does not hold them,
    # the safety copy (the main file with the journal folded in) must.
    before = json.loads(json.dumps(wb.file.read()))
    assert "_settings" not in json.loads(wb.path.read_bytes())
    backups_before = wb.file.backups()
    held = parse(dump(snapshot_of_records({Win: [_win("w2", "From the backup")]}), now=NOW))

    result = restore(wb, held, "replace", now=LATER)

    assert json.loads(result.safety_copy.read_bytes()) == before
    assert result.safety_copy.parent == wb.file.backup_dir
    assert result.safety_copy.name == "workbook-before-restore-20250602T093000000000Z.json"
    assert safety_copies(wb) == [result.safety_copy]
    # It is kept apart from the rolling backups, so they never prune it or restore it first.
    assert result.safety_copy not in wb.file.backups()
    # The restore was one write: one new rolling backup.
    assert len(wb.file.backups()) == min(len(backups_before) + 1, wb.file.keep_backups)
    assert [w.text for w in wb.all(Win)] == ["From the backup"]
    assert wb.settings() == {} and wb.text_drafts() == {}
    assert (result.added, result.replaced, result.kept, result.removed) == (1, 0, 0, 1)

    # A second restore in the same instant gets its own copy; none is overwritten.
    again = restore(wb, held, "replace", now=LATER)
    assert again.safety_copy != result.safety_copy
    assert json.loads(result.safety_copy.read_bytes()) == before
    # The safety copy is a workbook file that opens as one.
    assert [w.text for w in Workbook(result.safety_copy).all(Win)] == ["Mine"]


def test_merge_replaces_matching_ids_and_keeps_the_rest(tmp_path: Path) -> None:
    wb = fresh(tmp_path / "wb")
    fill(
        wb,
        {Win: [_win("a", "Old a"), _win("b", "Old b")], CheckIn: []},
        {"theme": "calm", "name": "Sam"},
        {"k1": "mine", "k2": "also mine"},
    )
    rejection = Rejection(company="Northwind", role="Analyst", rejected_at=NOW)
    fill(wb, {Rejection: [rejection]})
    incoming = {
        Win: [_win("b", "New b"), _win("c", "New c")],
        CheckIn: [CheckIn(id="ch", emotions=["Sad"], intensity=4, felt_at=NOW)],
    }
    source = fresh(tmp_path / "source")
    fill(source, incoming, {"theme": "bright"}, {"k2": "from the backup"})
    held = parse(dump(snapshot_of(source), now=NOW))
    assert wb.all(Win)  # fill the repository's cache: the restore must refresh it

    result = restore(wb, held, "merge", now=LATER)

    assert {w.id: w.text for w in wb.all(Win)} == {"a": "Old a", "b": "New b", "c": "New c"}
    assert [c.id for c in wb.all(CheckIn)] == ["ch"]
    assert wb.all(Rejection) == [rejection]
    assert wb.settings() == {"theme": "bright", "name": "Sam"}
    assert wb.text_drafts() == {"k1": "mine", "k2": "from the backup"}
    assert (result.added, result.replaced, result.kept, result.removed) == (2, 1, 2, 0)
    assert result.mode == "merge"


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(stored=tables(max_size=2), incoming=tables(max_size=2))
def test_merge_is_the_union_by_id(
    tmp_path_factory: pytest.TempPathFactory,
    stored: dict[type[Record], list[Record]],
    incoming: dict[type[Record], list[Record]],
) -> None:
    folder = tmp_path_factory.mktemp("merge")
    wb = fresh(folder / "wb")
    fill(wb, stored)
    held = parse(dump(snapshot_of_records(incoming), now=NOW))
    restore(wb, held, "merge", now=LATER)
    for model in RECORD_TYPES:
        expected = {r.id: r for r in stored[model]} | {r.id: r for r in incoming[model]}
        assert dumped(wb.all(model)) == dumped(list(expected.values())), model.TABLE


def test_replace_into_an_empty_workbook_keeps_its_schema_mark(tmp_path: Path) -> None:
    wb = fresh(tmp_path)
    meta = wb.file.read()["_meta"]
    restore(wb, parse(dump(snapshot_of_records({Win: [_win("a", "x")]}), now=NOW)), "replace")
    assert json.loads(wb.path.read_bytes())["_meta"] == meta


def test_unknown_mode_changes_nothing(tmp_path: Path) -> None:
    wb = fresh(tmp_path)
    before = wb.path.read_bytes()
    with pytest.raises(ValueError, match="mode"):
        restore(wb, parse(dump(snapshot_of_records({}), now=NOW)), "everything")  # type: ignore[arg-type]
    assert wb.path.read_bytes() == before and safety_copies(wb) == []


@pytest.mark.parametrize("heavy", [False, True], ids=["demo", "heavy"])
def test_demo_workbooks_round_trip_exactly(
    tmp_path: Path, heavy_template: Path, heavy: bool
) -> None:
    source = fresh(tmp_path / "source")
    if heavy:
        source.path.write_bytes(heavy_template.read_bytes())
        source = Workbook(source.path)
    else:
        source.add_many(demo.generate(heavy=False, now=NOW))
    source.set_setting("sign_off_name", "Sam")
    source.set_text_draft("keep.review.went_well", "Half a sentence…")
    snap = snapshot_of(source)

    started = time.perf_counter()
    data = dump(snap, now=NOW)
    dumped_in = time.perf_counter() - started
    started = time.perf_counter()
    held = parse(data)
    parsed_in = time.perf_counter() - started
    target = fresh(tmp_path / "target")
    started = time.perf_counter()
    restore(target, held, "replace", now=LATER)
    restored_in = time.perf_counter() - started
    print(
        f"\n{'heavy' if heavy else 'demo'} backup: {len(data) / 1e6:.2f} MB, "
        f"{held.total} entries; dump {dumped_in * 1000:.0f} ms, parse {parsed_in * 1000:.0f} ms, "
        f"restore {restored_in * 1000:.0f} ms"
    )

    assert_same(target, snap.records)
    assert target.settings() == snap.settings
    assert target.text_drafts() == snap.drafts
    assert dump(snapshot_of(target), now=NOW) == data
    if heavy:
        assert held.total > 3_000
        assert dumped_in < 5 and parsed_in < 5  # generous: a slow CI machine, not a benchmark


# -- hostile and broken files ----------------------------------------------------------------
def _valid_doc() -> dict[str, Any]:
    return json.loads(dump(snapshot_of_records({Win: [_win("a", "A win")]}), now=NOW))


def _with(change: Callable[[dict[str, Any]], None]) -> bytes:
    doc = _valid_doc()
    change(doc)
    return json.dumps(doc, ensure_ascii=False).encode()


def _real_dump() -> bytes:
    content = {
        Win: [_win("a", "A win"), _win("b", "Another")],
        Rejection: [Rejection(company="Northwind", role="Analyst", rejected_at=NOW)],
    }
    return dump(snapshot_of_records(content), now=NOW)


def _oversized() -> bytes:
    # Just over the limit, and cheap: a valid start, then spaces (which JSON allows).
    head = _real_dump()
    return head + b" " * (MAX_BYTES + 1 - len(head))


def _set(key: str, value: Any) -> Callable[[dict[str, Any]], None]:
    def change(doc: dict[str, Any]) -> None:
        doc[key] = value

    return change


def _entry(field: str, value: Any, table: str = "wins") -> Callable[[dict[str, Any]], None]:
    def change(doc: dict[str, Any]) -> None:
        doc["tables"][table][0][field] = value

    return change


def _add_entry(table: str, entry: dict[str, Any]) -> Callable[[dict[str, Any]], None]:
    def change(doc: dict[str, Any]) -> None:
        doc["tables"].setdefault(table, []).append(entry)

    return change


def _duplicate(doc: dict[str, Any]) -> None:
    doc["tables"]["wins"].append(dict(doc["tables"]["wins"][0], text="Twin"))


def _deep_setting(doc: dict[str, Any]) -> None:
    value: Any = "bottom"
    for _ in range(50):
        value = [value]
    doc["settings"]["deep"] = value


HOSTILE: dict[str, tuple[Callable[[], bytes], str]] = {
    "wrong format marker": (
        lambda: _with(_set("format", "someone-elses-backup")),
        "This file is not a Rebound backup.",
    ),
    "no format marker": (
        lambda: _with(lambda d: d.pop("format")),
        "This file is not a Rebound backup.",
    ),
    "not JSON": (
        lambda: b"Dear hiring manager,\nthank you for ...",
        "This file is not a Rebound backup: it is not a JSON file.",
    ),
    "not text": (
        lambda: b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\xff\xfe",
        "This file is not a Rebound backup: it is not readable text.",
    ),
    "truncated": (
        lambda: _real_dump()[: len(_real_dump()) // 2],
        "The file is cut off or damaged: it ends in the middle of the backup.",
    ),
    "truncated at the last brace": (
        lambda: _real_dump()[:-1],
        "The file is cut off or damaged: it ends in the middle of the backup.",
    ),
    "damaged in the middle": (
        lambda: _real_dump().replace(b'"tables": {', b'"tables": {,', 1),
        "The file is cut off or damaged: it cannot be read past line",
    ),
    "empty": (lambda: b"", "The file is empty: it holds no backup."),
    "only whitespace": (lambda: b"  \n ", "The file is empty: it holds no backup."),
    "a list at top level": (
        lambda: json.dumps([_valid_doc()]).encode(),
        "This file is not a Rebound backup.",
    ),
    "a string at top level": (lambda: b'"rebound-backup"', "This file is not a Rebound backup."),
    "future version": (
        lambda: _with(_set("version", 3)),
        "This backup was made by a newer version of Rebound (format 3); "
        "please update Rebound to restore it.",
    ),
    "future version with new keys": (
        lambda: _with(lambda d: d.update(version=2, attachments=[])),
        "This backup was made by a newer version of Rebound (format 2);",
    ),
    "version zero": (
        lambda: _with(_set("version", 0)),
        "This file is not a Rebound backup: its version mark “0” is not one Rebound knows.",
    ),
    "version as text": (
        lambda: _with(_set("version", "1")),
        'This file is not a Rebound backup: its version mark “"1"” is not one Rebound knows.',
    ),
    "version as true": (
        lambda: _with(_set("version", True)),
        "This file is not a Rebound backup: its version mark “true” is not one Rebound knows.",
    ),
    "oversized": (
        _oversized,
        "The file is larger than 50 MB, more than any Rebound backup holds, so it was not read.",
    ),
    "deep nesting": (
        lambda: b"[" * 100_000 + b"]" * 100_000,
        "The file is nested too deeply to be a Rebound backup.",
    ),
    "deep nesting of objects": (
        lambda: b'{"a":' * 50_000 + b"1" + b"}" * 50_000,
        "The file is nested too deeply to be a Rebound backup.",
    ),
    "deep nesting the parser accepts": (
        lambda: _with(_deep_setting),
        "The file is nested too deeply to be a Rebound backup.",
    ),
    "millions of empty lists": (
        lambda: b"[" + b"[]," * 2_100_000 + b"[]]",
        "The file has far more pieces than a Rebound backup can hold, so it was not read.",
    ),
    "a 10 MB string in a short field": (
        lambda: _with(_entry("category", "x" * 10_000_000)),
        "Entry 1 in “Small wins” is not valid: category: longer than an entry can hold "
        "(200 characters).",
    ),
    "a string where a number is needed": (
        lambda: _with(
            _add_entry(
                "checkins",
                {"id": "c", "emotions": ["Sad"], "intensity": "very", "felt_at": NOW.isoformat()},
            )
        ),
        "Entry 1 in “Feelings check-ins” is not valid: intensity: Please enter a whole number.",
    ),
    "a number where text is needed": (
        lambda: _with(_entry("text", 42)),
        "Entry 1 in “Small wins” is not valid: text: this should be text.",
    ),
    "a date that is not a date": (
        lambda: _with(_entry("won_on", "last Tuesday")),
        "Entry 1 in “Small wins” is not valid: won_on: Please enter a date.",
    ),
    "a number out of range": (
        lambda: _with(
            _add_entry(
                "checkins",
                {"id": "c", "emotions": ["Sad"], "intensity": 11, "felt_at": NOW.isoformat()},
            )
        ),
        "Entry 1 in “Feelings check-ins” is not valid: intensity: "
        "Please choose a number no higher than 10.",
    ),
    "text where a list is needed": (
        lambda: _with(
            _add_entry(
                "checkins",
                {"id": "c", "emotions": "Sad", "intensity": 3, "felt_at": NOW.isoformat()},
            )
        ),
        "Entry 1 in “Feelings check-ins” is not valid: emotions: this should be a list.",
    ),
    "a fraction where a whole number is needed": (
        lambda: _with(
            _add_entry(
                "checkins",
                {"id": "c", "emotions": ["Sad"], "intensity": 2.5, "felt_at": NOW.isoformat()},
            )
        ),
        "Entry 1 in “Feelings check-ins” is not valid: intensity: Please enter a whole number.",
    ),
    "an id that is not text": (
        lambda: _with(_entry("id", 7)),
        "Entry 1 in “Small wins” is not valid: id: this should be text.",
    ),
    "a missing required text": (
        lambda: _with(_entry("text", "   ")),
        "Entry 1 in “Small wins” is not valid: text: Please add a line about your win.",
    ),
    "a missing field": (
        lambda: _with(lambda d: d["tables"]["wins"][0].pop("won_on")),
        "Entry 1 in “Small wins” is not valid: won_on: This is needed.",
    ),
    "an entry that is not an object": (
        lambda: _with(_add_entry("wins", ["not", "an", "entry"])),
        "Entry 2 in “Small wins” is not valid: it is not an entry.",
    ),
    "a table that is not a list": (
        lambda: _with(lambda d: d["tables"].update(wins={"a": {}})),
        "The file is cut off or damaged: “Small wins” is not a list of entries.",
    ),
    "tables that are not tables": (
        lambda: _with(_set("tables", [])),
        "The file is cut off or damaged: “tables” does not hold tables.",
    ),
    "unknown field in a record": (
        lambda: _with(_entry("mood_ring", "blue")),
        "The file holds something Rebound does not know: “mood_ring” (entry 1 in “Small wins”).",
    ),
    "unknown table": (
        lambda: _with(lambda d: d["tables"].update(horoscopes=[])),
        "The file holds something Rebound does not know: “horoscopes”.",
    ),
    "a TinyDB table name": (
        lambda: _with(lambda d: d["tables"].update(_meta=[])),
        "The file holds something Rebound does not know: “_meta”.",
    ),
    "unknown top-level key": (
        lambda: _with(_set("macros", "run me")),
        "The file holds something Rebound does not know: “macros”.",
    ),
    "a very long unknown key": (
        lambda: _with(_set("k" * 1_000_000, 1)),
        "The file holds something Rebound does not know: “" + "k" * 59 + "…”.",
    ),
    "missing top-level key": (
        lambda: _with(lambda d: d.pop("drafts")),
        "The file is cut off or damaged: it has no “drafts”.",
    ),
    "duplicate ids": (
        lambda: _with(_duplicate),
        "Entries 1 and 2 in “Small wins” have the same id, so one would overwrite the other.",
    ),
    "a key given twice": (
        lambda: _real_dump().replace(b'"settings": {}', b'"settings": {}, "settings": {}', 1),
        "The file is cut off or damaged: “settings” appears twice.",
    ),
    "NaN": (
        lambda: _real_dump().replace(b'"settings": {}', b'"settings": {"a": NaN}', 1),
        "The file is cut off or damaged: it holds “NaN”, which is not a number.",
    ),
    "an infinite number": (
        lambda: _real_dump().replace(b'"settings": {}', b'"settings": {"a": 1e999}', 1),
        "The file is cut off or damaged: it holds a number too large to read.",
    ),
    "a number of 5,000 digits": (
        lambda: _real_dump().replace(b'"settings": {}', b'"settings": {"a": ' + b"9" * 5000 + b"}"),
        "The file is cut off or damaged: it holds a number too large to read.",
    ),
    "settings that are not settings": (
        lambda: _with(_set("settings", ["theme"])),
        "The file is cut off or damaged: the settings are not readable.",
    ),
    "a huge setting": (
        lambda: _with(_set("settings", {"name": "x" * 1_000_000})),
        "The file is cut off or damaged: the setting “name” is not readable.",
    ),
    "unsaved text that is not text": (
        lambda: _with(_set("drafts", {"k": {"text": "hidden"}})),
        "The file is cut off or damaged: the unsaved text “k” is not readable.",
    ),
    "drafts that are not drafts": (
        lambda: _with(_set("drafts", "all of them")),
        "The file is cut off or damaged: the unsaved text is not readable.",
    ),
    "an unreadable export time": (
        lambda: _with(_set("exported_at", "yesterday")),
        "The file is cut off or damaged: the time it was made is not readable.",
    ),
    "an export time of the wrong type": (
        lambda: _with(_set("exported_at", 1717243200)),
        "The file is cut off or damaged: the time it was made is not readable.",
    ),
}


@pytest.fixture
def lived_in(tmp_path: Path) -> Workbook:
    wb = fresh(tmp_path / "wb")
    wb.add_many(demo.generate(heavy=False, now=NOW))
    wb.set_setting("sign_off_name", "Sam")
    wb.set_text_draft("keep.x", "unsaved words")
    return wb


@pytest.mark.parametrize("case", list(HOSTILE))
def test_hostile_file_is_refused_and_changes_nothing(
    lived_in: Workbook, tmp_path: Path, case: str
) -> None:
    make_bytes, message = HOSTILE[case]
    data = make_bytes()
    before = lived_in.path.read_bytes()
    backups_before = lived_in.file.backups()
    file = tmp_path / "picked.json"
    file.write_bytes(data)

    with pytest.raises(BackupError) as refused:
        parse(data)
    assert str(refused.value).startswith(message), str(refused.value)[:300]
    assert len(str(refused.value)) < 300  # one readable line, never an echo of the file
    # Reading it from disk says the same.
    with pytest.raises(BackupError) as from_disk:
        backup.load(file)
    assert str(from_disk.value) == str(refused.value)

    assert lived_in.path.read_bytes() == before
    assert lived_in.file.backups() == backups_before
    assert safety_copies(lived_in) == []


def test_every_table_has_a_plain_name() -> None:
    assert set(backup.LABELS) == {m.TABLE for m in RECORD_TYPES}


def test_oversized_file_is_refused_before_it_is_read(tmp_path: Path) -> None:
    big = tmp_path / "big.json"
    with big.open("wb") as handle:
        handle.truncate(MAX_BYTES * 4)  # sparse: costs no disk, would cost memory to read
    with pytest.raises(BackupError, match="larger than 50 MB"):
        backup.load(big)


def test_a_missing_file_is_a_clear_refusal(tmp_path: Path) -> None:
    with pytest.raises(BackupError, match="The file could not be read"):
        backup.load(tmp_path / "nowhere.json")


def test_a_byte_order_mark_is_fine() -> None:
    held = parse(b"\xef\xbb\xbf" + _real_dump())
    assert held.counts()["wins"] == 2


def test_a_backup_from_before_a_table_existed_restores(tmp_path: Path) -> None:
    # Tables added later are simply missing from older backups: they restore as empty.
    held = parse(_with(lambda d: d["tables"].pop("persistence")))
    assert held.counts()["persistence"] == 0


def test_stored_entries_are_not_judged_against_today() -> None:
    # A backup made in another time zone, or restored on a machine whose clock is behind,
    # still restores: "no future dates" was judged when each entry was saved.
    future = _win("f", "From tomorrow")
    future = future.model_copy(update={"won_on": date(2099, 1, 1)})
    held = parse(dump(snapshot_of_records({Win: [future]}), now=NOW))
    assert held.of(Win)[0].won_on == date(2099, 1, 1)


def test_feedback_rules_that_always_apply_still_apply() -> None:
    doc = _valid_doc()
    doc["tables"]["feedback"] = [
        FeedbackRequest(id="f").model_dump(mode="json") | {"questions": ["a?", "b?", "c?"]}
    ]
    with pytest.raises(BackupError, match="Entry 1 in “Feedback requests” is not valid: questions"):
        parse(json.dumps(doc).encode())
