"""Validation rules of the records, with the messages a person sees."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from workbook.models import (
    LONG_TEXT,
    CheckIn,
    RecordInvalid,
    Rejection,
    Stage,
    UnsentDraft,
    build,
)

NOW = datetime(2026, 11, 21, 12, 0, tzinfo=UTC)
CTX = {"now": NOW, "today": NOW.date(), "tz": UTC}


def rejection(**changes: object) -> dict[str, object]:
    return {"company": "Acme", "role": "Analyst", "rejected_at": NOW - timedelta(hours=1)} | changes


def test_a_valid_rejection_gets_an_id_and_utc_times() -> None:
    record = build(Rejection, rejection(stage="final_round"), **CTX)
    assert isinstance(record, Rejection)
    assert len(record.id) == 32
    assert record.stage is Stage.FINAL_ROUND
    assert record.created_at.tzinfo is not None
    assert record.rejected_at.utcoffset() == timedelta(0)


@pytest.mark.parametrize(
    ("changes", "field", "words"),
    [
        ({"company": ""}, "company", "company's name"),
        ({"company": "   "}, "company", "company's name"),
        ({"role": ""}, "role", "role"),
        ({"applied_on": date(2026, 12, 1)}, "applied_on", "future"),
        ({"rejected_at": NOW + timedelta(days=2)}, "rejected_at", "future"),
        (
            {"applied_on": date(2026, 11, 25), "rejected_at": NOW - timedelta(days=30)},
            "applied_on",
            "future",
        ),
        (
            {"applied_on": date(2026, 11, 10), "rejected_at": datetime(2026, 11, 1, tzinfo=UTC)},
            "rejected_at",
            "before the application",
        ),
        ({"notes": "x" * 100_000}, "notes", "longer than one entry can hold"),
        ({"stage": "rejected"}, "stage", "choose one of the options"),
    ],
)
def test_bad_rejections_get_a_clear_message_on_the_right_field(
    changes: dict[str, object], field: str, words: str
) -> None:
    with pytest.raises(RecordInvalid) as caught:
        build(Rejection, rejection(**changes), **CTX)
    assert words.casefold() in caught.value.errors[field].casefold()


def test_no_before_application_is_judged_in_the_persons_time_zone() -> None:
    # 23:30 UTC on the 9th is already the 10th in Tokyo: same day as the application.
    data = rejection(
        applied_on=date(2026, 11, 10), rejected_at=datetime(2026, 11, 9, 23, 30, tzinfo=UTC)
    )
    assert build(Rejection, data, **(CTX | {"tz": ZoneInfo("Asia/Tokyo")}))
    with pytest.raises(RecordInvalid):
        build(Rejection, data, **(CTX | {"tz": ZoneInfo("America/New_York")}))


@pytest.mark.parametrize(
    "text",
    [
        "<script>alert(1)</script>",
        "**bold** _it_ [link](http://x) # heading",
        "שלום, זו דחייה",
        "😢🙂 emoji",
        "$x^2$ :red[colour] :smile:",
    ],
)
def test_text_is_stored_exactly_as_typed(text: str) -> None:
    record = build(Rejection, rejection(company=text, notes=text), **CTX)
    assert record.company == text
    assert record.notes == text


def test_long_text_up_to_the_limit_is_kept() -> None:
    body = "word " * (LONG_TEXT // 5)
    assert build(UnsentDraft, {"body": body}).body == body.strip()


def test_a_checkin_needs_a_feeling_and_keeps_own_words_without_duplicates() -> None:
    with pytest.raises(RecordInvalid) as caught:
        build(CheckIn, {"emotions": [], "intensity": 3}, **CTX)
    assert "at least one feeling" in caught.value.errors["emotions"]
    record = build(CheckIn, {"emotions": ["Sad", "sad", "Lost"], "intensity": 3}, **CTX)
    assert record.emotions == ["Sad", "Lost"]


@pytest.mark.parametrize("intensity", [-1, 11])
def test_intensity_stays_between_0_and_10(intensity: int) -> None:
    with pytest.raises(RecordInvalid) as caught:
        build(CheckIn, {"emotions": ["Sad"], "intensity": intensity}, **CTX)
    assert "intensity" in caught.value.errors


@given(st.text(max_size=300))
def test_any_text_either_saves_exactly_or_gets_a_message(text: str) -> None:
    try:
        record = build(Rejection, rejection(company=text), **CTX)
    except RecordInvalid as exc:
        assert set(exc.errors) == {"company"}
        assert exc.errors["company"]
    else:
        assert record.company == text.replace("\x00", "").strip()


def test_rules_about_now_judge_saving_not_reading(tmp_path) -> None:
    from workbook.repository import Workbook

    tokyo = ZoneInfo("Asia/Tokyo")
    wb = Workbook(tmp_path / "workbook.json")
    wb.context_provider = lambda: {"now": NOW, "today": NOW.date(), "tz": tokyo}
    # 23:30 UTC on the 9th is the morning of the 10th in Tokyo: the day of the application.
    saved = wb.add(
        Rejection,
        rejection(
            applied_on=date(2026, 11, 10), rejected_at=datetime(2026, 11, 9, 23, 30, tzinfo=UTC)
        ),
    )
    # Read back without any context (another process, a restart): no rule is re-judged.
    assert Workbook(tmp_path / "workbook.json").all(Rejection) == [saved]
    # Edits are judged in the saver's zone again, so archiving works.
    assert wb.update(Rejection, saved.id, {"archived": True}).archived is True
