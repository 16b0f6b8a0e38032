"""Pure logic: the 48-hour window, the next step on Home, safe text, times, navigation."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from workbook import navigation, next_step, phase1, textsafe, timefmt
from workbook.models import (
    CheckIn,
    FeedbackRequest,
    OutletEntry,
    Rejection,
    Review,
    SelfTalk,
    UnsentDraft,
)

NOW = datetime(2026, 11, 21, 12, 0, tzinfo=UTC)


def a_rejection(hours_ago: float) -> Rejection:
    return Rejection(company="Acme", role="Analyst", rejected_at=NOW - timedelta(hours=hours_ago))


@pytest.mark.parametrize(
    ("hours_ago", "is_open", "text"),
    [
        (0, True, "2 days left"),
        (1, True, "1 day and 23 hours left"),
        (47.5, True, "30 minutes left"),
        (48, False, "The window is over"),
        (100, False, "The window is over"),
    ],
)
def test_window_counts_down_from_the_no(hours_ago: float, is_open: bool, text: str) -> None:
    status = phase1.window_status(a_rejection(hours_ago), NOW)
    assert status.is_open is is_open
    assert status.remaining_text == text
    assert 0.0 <= status.fraction_elapsed <= 1.0


def test_window_length_comes_from_content() -> None:
    assert phase1.window_status(a_rejection(30), NOW, hours=24).is_open is False


def test_own_feelings_are_split_and_deduplicated() -> None:
    assert textsafe.split_list(" tired,a bit  lost,\nTired ,, ") == ["tired", "a bit lost"]


def test_drafts_are_offered_for_a_decision_only_after_the_window() -> None:
    open_one, over = a_rejection(2), a_rejection(60)
    drafts = [
        UnsentDraft(rejection_id=open_one.id, body="x"),
        UnsentDraft(rejection_id=over.id, body="y"),
        UnsentDraft(rejection_id=over.id, body="z", decision="keep"),
    ]
    assert phase1.drafts_to_decide(drafts, open_one, NOW) == []
    assert [d.body for d in phase1.drafts_to_decide(drafts, over, NOW)] == ["y"]


def snap(rejection: Rejection | None, **records: list) -> next_step.Snapshot:
    lists = {"checkins": [], "outlets": [], "self_talk": [], "drafts": []} | records
    return next_step.Snapshot(now=NOW, rejection=rejection, **lists)


def test_next_step_rules_in_order() -> None:
    assert next_step.next_step(snap(None)).page == "rejections"
    fresh = a_rejection(3)
    assert next_step.next_step(snap(fresh)).page == "feelings"
    checked = [
        CheckIn(
            rejection_id=fresh.id, emotions=["Sad"], intensity=5, felt_at=NOW - timedelta(hours=1)
        )
    ]
    assert next_step.next_step(snap(fresh, checkins=checked)).page == "outlets"
    outlet = [OutletEntry(rejection_id=fresh.id, outlet="move", done_at=NOW)]
    assert next_step.next_step(snap(fresh, checkins=checked, outlets=outlet)).page == "self_talk"
    talk = [SelfTalk(rejection_id=fresh.id, sentence="I will be OK.")]
    done = next_step.next_step(snap(fresh, checkins=checked, outlets=outlet, self_talk=talk))
    assert (done.page, done.phase) == ("window", "phase1")
    assert "left" in done.text


def test_an_old_checkin_or_another_rejections_checkin_does_not_count() -> None:
    fresh = a_rejection(3)
    old = CheckIn(
        rejection_id=fresh.id, emotions=["Sad"], intensity=5, felt_at=NOW - timedelta(hours=13)
    )
    other = CheckIn(rejection_id="someone-else", emotions=["Sad"], intensity=5, felt_at=NOW)
    assert next_step.next_step(snap(fresh, checkins=[old, other])).page == "feelings"


def test_after_the_window_undecided_drafts_come_first() -> None:
    over = a_rejection(50)
    draft = UnsentDraft(rejection_id=over.id, body="angry words")
    assert next_step.next_step(snap(over, drafts=[draft])).page == "drafts"
    assert next_step.next_step(snap(over)).phase == "phase2"


def test_feedback_window_open_means_send_the_email() -> None:
    day4 = a_rejection(24 * 4)  # 4 days after the no: inside the 3-5 day window
    assert next_step.next_step(snap(day4)).page == "feedback"
    sent = FeedbackRequest(rejection_id=day4.id, status="sent", sent_on=NOW.date())
    assert next_step.next_step(snap(day4, requests=[sent])).page == "review"
    unsent = FeedbackRequest(rejection_id=day4.id, status="not_sent")
    assert next_step.next_step(snap(day4, requests=[unsent])).page == "feedback"


def test_before_the_feedback_window_the_review_comes_next() -> None:
    day2 = a_rejection(50)  # window over, feedback window not open until day 3
    step = next_step.next_step(snap(day2))
    assert (step.page, step.phase) == ("review", "phase2")


def test_after_a_finished_review_patterns_or_reassess() -> None:
    old = a_rejection(24 * 10)  # feedback window long closed
    done = [Review(rejection_id=old.id, answers={"x": "y"}, finished=True)]
    unfinished = [Review(rejection_id=old.id, answers={"x": "y"}, finished=False)]
    assert next_step.next_step(snap(old, reviews=unfinished)).page == "review"
    assert next_step.next_step(snap(old, reviews=done)).page == "reassess"
    assert next_step.next_step(snap(old, reviews=done, rejection_count=3)).page == "patterns"


def test_every_next_step_names_a_real_page() -> None:
    for rejection in (None, a_rejection(1), a_rejection(100)):
        assert next_step.next_step(snap(rejection)).page in navigation.PAGES


@pytest.mark.parametrize(
    "text",
    ["**bold**", "<b>x</b>", "$x$", ":red[hi]", "# h", "1. item", "a_b_c", "[l](u)", "\\n", "`c`"],
)
def test_escaped_markdown_has_every_punctuation_escaped(text: str) -> None:
    escaped = textsafe.escape_markdown(text)
    # Removing the escapes gives back exactly what was typed.
    assert re.sub(r"\\(.)", r"\1", escaped) == text
    assert all(escaped[i - 1] == "\\" for i, ch in enumerate(escaped) if ch in "*<$:[`#_" and i)


def test_escaped_markdown_keeps_line_breaks() -> None:
    assert textsafe.escape_markdown("one\ntwo") == "one  \ntwo"


def test_preview_is_one_short_line() -> None:
    assert textsafe.preview("a\n\nb   c") == "a b c"
    assert len(textsafe.preview("x" * 500, limit=80)) == 80


def test_times_round_trip_through_the_persons_zone() -> None:
    tokyo = ZoneInfo("Asia/Tokyo")
    moment = timefmt.from_local(NOW.date(), datetime.min.time().replace(hour=9), tokyo)
    assert moment == datetime(2026, 11, 21, 0, 0, tzinfo=UTC)
    assert timefmt.format_moment(moment, tokyo) == "Sat 21 Nov 2026, 09:00"
    assert timefmt.zone("Not/AZone") is not None
    assert timefmt.zone("Europe/Berlin") == ZoneInfo("Europe/Berlin")


@pytest.mark.parametrize(
    ("minutes", "text"),
    [
        (0, "under a minute"),
        (1, "1 minute"),
        (61, "1 hour and 1 minute"),
        (60 * 25, "1 day and 1 hour"),
        (60 * 48, "2 days"),
    ],
)
def test_durations_read_naturally(minutes: int, text: str) -> None:
    assert timefmt.describe_duration(timedelta(minutes=minutes)) == text


def test_every_page_file_exists_and_pages_has_no_top_level_scripts() -> None:
    root = navigation.ROOT
    for spec in navigation.PAGES.values():
        assert spec.path.is_file(), spec.file
        assert Path(spec.file).parent.parent == Path("pages")
    # Top-level scripts in pages/ would switch Streamlit into legacy multipage mode for a
    # deep link on a fresh server, bypassing app.py.
    assert not list((root / "pages").glob("*.py"))
    assert sum(spec.default for spec in navigation.PAGES.values()) == 1
    assert len({spec.url_path for spec in navigation.PAGES.values()}) == len(navigation.PAGES)


def test_no_page_opens_tinydb_or_builds_figures_or_uses_unsafe_html() -> None:
    for page in (navigation.ROOT / "pages").rglob("*.py"):
        source = page.read_text()
        for forbidden in ("tinydb", "TinyDB", "import plotly", "go.Figure", "unsafe_allow_html"):
            assert forbidden not in source, f"{page.name} uses {forbidden}"


def test_only_pages_and_ui_import_streamlit() -> None:
    for module in (navigation.ROOT / "workbook").rglob("*.py"):
        if "ui" in module.relative_to(navigation.ROOT / "workbook").parts:
            continue
        assert "import streamlit" not in module.read_text(), module
