"""Phases 3 and 4 logic: streaks, skills, doors, materials, channels, their charts and content."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, tzinfo
from pathlib import Path
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

import pytest

from workbook import channels, charts, content, doors, materials, skills, textsafe, timefmt, wins
from workbook.models import (
    AnswerEntry,
    ChannelAction,
    DoorOpen,
    FeedbackRequest,
    FollowSource,
    MaterialsChecklist,
    Record,
    RecordInvalid,
    Rejection,
    Skill,
    Stage,
    SupportPerson,
    Win,
    build,
)

TEXTS = content.load(None)
FINDINGS = TEXTS.phase2.patterns.findings
P3 = TEXTS.phase3
P4 = TEXTS.phase4
TOKYO = ZoneInfo("Asia/Tokyo")
AUCKLAND = ZoneInfo("Pacific/Auckland")
LOS_ANGELES = ZoneInfo("America/Los_Angeles")
TODAY = date(2026, 11, 18)  # a Wednesday
MONDAY = date(2026, 11, 16)
DAY_MS = 86_400_000
STORED: dict[str, Any] = {"stored": True}
R = TypeVar("R", bound=Record)


def stored(model: type[R], **data: Any) -> R:
    """A record as read back from the file: rules about "now" are not judged again."""
    return model.model_validate(data, context=STORED)


def a_win(day: date, text: str = "Did a thing") -> Win:
    return stored(Win, text=text, won_on=day)


def a_rejection(
    company: str = "Acme", stage: Stage = Stage.APPLICATION, **changes: Any
) -> Rejection:
    data: dict[str, Any] = {
        "company": company,
        "role": "Analyst",
        "rejected_at": datetime(2026, 10, 1, 12, tzinfo=UTC),
        "stage": stage,
    }
    return stored(Rejection, **(data | changes))


def a_skill(name: str = "SQL", **changes: Any) -> Skill:
    data: dict[str, Any] = {"name": name, "start_on": date(2026, 11, 1)}
    return stored(Skill, **(data | changes))


def timefmt_day(tz: tzinfo, moment: datetime) -> date:
    return timefmt.local_today(tz, moment)


def won(tz: tzinfo, moment: datetime, text: str = "Sent a follow-up") -> dict[str, Any]:
    return {"text": text, "won_on": timefmt_day(tz, moment)}


def days_from(start: date, count: int) -> list[date]:
    return [start + timedelta(days=n) for n in range(count)]


def errors_of(model: type[Record], data: dict[str, Any], **context: Any) -> dict[str, str]:
    with pytest.raises(RecordInvalid) as caught:
        build(model, data, **context)
    return caught.value.errors


# -- streaks ----------------------------------------------------------------------------
def test_no_wins_means_no_streak() -> None:
    result = wins.streaks([], TODAY)
    assert result == wins.Streaks(0, 0, False, None)
    assert result.at_risk is False


def test_a_single_win_today_is_a_streak_of_one_logged_today() -> None:
    result = wins.streaks([TODAY], TODAY)
    assert result == wins.Streaks(1, 1, True, TODAY)
    assert result.at_risk is False


def test_a_win_yesterday_keeps_the_streak_alive_but_at_risk() -> None:
    yesterday = TODAY - timedelta(days=1)
    result = wins.streaks([yesterday], TODAY)
    assert result.current == 1
    assert result.longest == 1
    assert result.logged_today is False
    assert result.last_day == yesterday
    assert result.at_risk is True


def test_a_streak_that_ended_two_days_ago_is_over_but_longest_is_kept() -> None:
    days = days_from(TODAY - timedelta(days=6), 5)  # the 12th to the 16th
    result = wins.streaks(days, TODAY)
    assert result.current == 0
    assert result.longest == 5
    assert result.logged_today is False
    assert result.last_day == TODAY - timedelta(days=2)
    assert result.at_risk is False


def test_a_gap_in_the_middle_separates_longest_from_current() -> None:
    older = days_from(date(2026, 11, 1), 7)  # 1st to 7th
    newer = days_from(date(2026, 11, 9), 3)  # 9th to 11th (8th missed)
    result = wins.streaks(older + newer, date(2026, 11, 11))
    assert (result.current, result.longest) == (3, 7)
    assert result.logged_today is True


def test_several_wins_on_one_day_count_once() -> None:
    result = wins.streaks([TODAY, TODAY, TODAY, TODAY - timedelta(days=1)], TODAY)
    assert (result.current, result.longest) == (2, 2)


def test_unordered_input_with_duplicates_gives_the_same_answer() -> None:
    days = [
        date(2026, 11, 17),
        date(2026, 11, 10),
        date(2026, 11, 18),
        date(2026, 11, 11),
        date(2026, 11, 17),
        date(2026, 11, 12),
        date(2026, 11, 10),
        date(2026, 11, 16),
    ]
    result = wins.streaks(days, TODAY)
    assert result == wins.Streaks(3, 3, True, TODAY)
    assert wins.streaks(iter(days), TODAY) == result  # any iterable, read once


def test_days_after_today_are_not_counted_yet() -> None:
    tomorrow, later = TODAY + timedelta(days=1), TODAY + timedelta(days=5)
    result = wins.streaks([TODAY - timedelta(days=1), tomorrow, later], TODAY)
    assert result.current == 1
    assert result.longest == 1  # yesterday-then-tomorrow would be 1 + 1, not yet a run
    assert result.logged_today is False
    assert result.last_day == TODAY - timedelta(days=1)
    only_future = wins.streaks([tomorrow], TODAY)
    assert (only_future.current, only_future.longest, only_future.last_day) == (0, 0, None)


def test_three_years_of_daily_wins_with_one_gap() -> None:
    days = days_from(date(2023, 1, 1), 1096)  # 2023, 2024 (leap) and 2025
    assert days[-1] == date(2025, 12, 31)
    days.remove(date(2025, 3, 1))
    result = wins.streaks(days, date(2025, 12, 31))
    # 1 Jan 2023 to 28 Feb 2025, then 2 Mar 2025 to 31 Dec 2025.
    assert result == wins.Streaks(305, 790, True, date(2025, 12, 31))
    # A day later the run is still alive, at risk; two days later it is over.
    assert wins.streaks(days, date(2026, 1, 1)).current == 305
    assert wins.streaks(days, date(2026, 1, 1)).at_risk is True
    assert wins.streaks(days, date(2026, 1, 2)).current == 0
    assert wins.streaks(days, date(2026, 1, 2)).longest == 790


@pytest.mark.parametrize(
    ("days", "today", "current", "longest"),
    [
        ([date(2025, 12, 30), date(2025, 12, 31), date(2026, 1, 1)], date(2026, 1, 1), 3, 3),
        ([date(2026, 1, 31), date(2026, 2, 1)], date(2026, 2, 1), 2, 2),
        # Not a leap year: 28 Feb is followed by 1 Mar.
        ([date(2026, 2, 27), date(2026, 2, 28), date(2026, 3, 1)], date(2026, 3, 1), 3, 3),
        # A leap year: 29 Feb sits between them.
        ([date(2028, 2, 28), date(2028, 3, 1)], date(2028, 3, 1), 1, 1),
        ([date(2028, 2, 28), date(2028, 2, 29), date(2028, 3, 1)], date(2028, 3, 1), 3, 3),
        # 1 Mar 2028 with only 28 Feb logged: yesterday (29 Feb) is empty, so it is over.
        ([date(2028, 2, 28)], date(2028, 3, 1), 0, 1),
        ([date(2026, 2, 28)], date(2026, 3, 1), 1, 1),
    ],
)
def test_streaks_across_month_and_year_boundaries(
    days: list[date], today: date, current: int, longest: int
) -> None:
    result = wins.streaks(days, today)
    assert (result.current, result.longest) == (current, longest)


def test_a_streak_follows_local_days_in_tokyo_not_utc_days() -> None:
    late = datetime(2026, 11, 5, 23, 30, tzinfo=TOKYO)
    early = datetime(2026, 11, 6, 0, 30, tzinfo=TOKYO)
    # Both moments fall on 5 Nov in UTC (14:30 and 15:30).
    assert timefmt_day(UTC, late) == timefmt_day(UTC, early) == date(2026, 11, 5)
    local_days = [timefmt_day(TOKYO, late), timefmt_day(TOKYO, early)]
    assert local_days == [date(2026, 11, 5), date(2026, 11, 6)]
    today = timefmt_day(TOKYO, early)
    assert wins.streaks(local_days, today) == wins.Streaks(2, 2, True, date(2026, 11, 6))
    # Counting UTC days instead would lose the second day of the streak.
    utc_days = [timefmt_day(UTC, late), timefmt_day(UTC, early)]
    assert wins.streaks(utc_days, timefmt_day(UTC, early)).current == 1


def test_an_auckland_morning_is_the_previous_utc_day_and_still_extends_the_streak() -> None:
    new_year_eve = datetime(2025, 12, 31, 23, 30, tzinfo=AUCKLAND)
    new_year_morning = datetime(2026, 1, 1, 8, 0, tzinfo=AUCKLAND)
    # 10:30 and 19:00 on 31 Dec in UTC: one UTC day, two Auckland days.
    assert new_year_eve.astimezone(UTC).date() == date(2025, 12, 31)
    assert new_year_morning.astimezone(UTC).date() == date(2025, 12, 31)
    logged: list[date] = []
    for moment in (new_year_eve, new_year_morning):
        record = build(Win, won(AUCKLAND, moment), today=timefmt_day(AUCKLAND, moment), tz=AUCKLAND)
        assert isinstance(record, Win)
        logged.append(record.won_on)
    assert logged == [date(2025, 12, 31), date(2026, 1, 1)]
    result = wins.streaks(logged, timefmt_day(AUCKLAND, new_year_morning))
    assert (result.current, result.longest, result.logged_today) == (2, 2, True)


def test_a_win_on_the_local_day_is_refused_when_today_comes_from_utc() -> None:
    moment = datetime(2026, 11, 6, 0, 30, tzinfo=TOKYO)  # 15:30 UTC on 5 Nov
    data = won(TOKYO, moment)
    assert data["won_on"] == date(2026, 11, 6)
    record = build(Win, data, today=timefmt_day(TOKYO, moment), tz=TOKYO)
    assert isinstance(record, Win)
    assert record.won_on == date(2026, 11, 6)
    errors = errors_of(Win, data, today=timefmt_day(UTC, moment))
    assert set(errors) == {"won_on"}
    assert "future" in errors["won_on"]


def test_the_same_instant_is_logged_today_in_los_angeles_but_not_in_tokyo() -> None:
    instant = datetime(2026, 3, 10, 3, 0, tzinfo=UTC)
    la_today, tokyo_today = timefmt_day(LOS_ANGELES, instant), timefmt_day(TOKYO, instant)
    assert (la_today, tokyo_today) == (date(2026, 3, 9), date(2026, 3, 10))
    days = [date(2026, 3, 8), date(2026, 3, 9)]
    in_la = wins.streaks(days, la_today)
    in_tokyo = wins.streaks(days, tokyo_today)
    assert (in_la.current, in_la.logged_today, in_la.at_risk) == (2, True, False)
    assert (in_tokyo.current, in_tokyo.logged_today, in_tokyo.at_risk) == (2, False, True)
    # One day earlier, the same history is alive in Los Angeles and over in Tokyo.
    earlier = [date(2026, 3, 7), date(2026, 3, 8)]
    assert wins.streaks(earlier, la_today).current == 2
    assert wins.streaks(earlier, tokyo_today).current == 0


# -- wins per week ----------------------------------------------------------------------
def test_week_start_is_the_monday() -> None:
    assert wins.week_start(date(2026, 11, 16)) == MONDAY
    assert wins.week_start(date(2026, 11, 18)) == MONDAY
    assert wins.week_start(date(2026, 11, 22)) == MONDAY  # Sunday
    assert wins.week_start(date(2026, 11, 23)) == date(2026, 11, 23)
    assert wins.week_start(date(2026, 1, 1)) == date(2025, 12, 29)


def test_per_week_without_wins_and_without_a_span_is_empty() -> None:
    assert wins.per_week([], TODAY) == []


def test_per_week_counts_monday_weeks_with_empty_weeks_as_zeros() -> None:
    logged = [
        a_win(date(2026, 10, 26)),  # Monday
        a_win(date(2026, 11, 1)),  # Sunday: still the week of 26 Oct
        a_win(date(2026, 11, 1)),
        a_win(date(2026, 11, 16)),
        a_win(date(2026, 11, 18)),
    ]
    assert wins.per_week(logged, TODAY) == [
        (date(2026, 10, 26), 3),
        (date(2026, 11, 2), 0),
        (date(2026, 11, 9), 0),
        (date(2026, 11, 16), 2),
    ]


def test_per_week_with_a_number_of_weeks_returns_exactly_that_many_ending_this_week() -> None:
    logged = [a_win(date(2026, 9, 1)), a_win(date(2026, 11, 10)), a_win(date(2026, 11, 22))]
    rows = wins.per_week(logged, TODAY, weeks=4)
    assert rows == [
        (date(2026, 10, 26), 0),
        (date(2026, 11, 2), 0),
        (date(2026, 11, 9), 1),
        (date(2026, 11, 16), 1),  # the Sunday win belongs to this week
    ]
    assert wins.per_week([], TODAY, weeks=3) == [
        (date(2026, 11, 2), 0),
        (date(2026, 11, 9), 0),
        (date(2026, 11, 16), 0),
    ]
    assert wins.per_week(logged, TODAY, weeks=1) == [(MONDAY, 1)]
    assert len(wins.per_week(logged, TODAY, weeks=52)) == 52


def test_per_week_with_zero_or_negative_weeks_is_empty() -> None:
    assert wins.per_week([a_win(TODAY)], TODAY, weeks=0) == []
    assert wins.per_week([a_win(TODAY)], TODAY, weeks=-2) == []


def test_newest_first_orders_by_day_then_creation() -> None:
    first = stored(Win, text="a", won_on=date(2026, 11, 1), created_at=datetime(2026, 11, 1, 9))
    second = stored(Win, text="b", won_on=date(2026, 11, 1), created_at=datetime(2026, 11, 1, 10))
    newer = stored(Win, text="c", won_on=date(2026, 11, 3), created_at=datetime(2026, 11, 1, 8))
    assert [w.text for w in wins.newest_first([first, newer, second])] == ["c", "b", "a"]


# -- skills: dates and order ------------------------------------------------------------
@pytest.mark.parametrize(
    ("deadline", "status", "overdue"),
    [
        (TODAY - timedelta(days=1), "in_progress", True),
        (TODAY - timedelta(days=1), "not_started", True),
        (TODAY - timedelta(days=1), "paused", False),
        (TODAY - timedelta(days=1), "done", False),
        (None, "in_progress", False),
        (TODAY, "in_progress", False),
        (TODAY + timedelta(days=1), "not_started", False),
    ],
)
def test_is_overdue(deadline: date | None, status: str, overdue: bool) -> None:
    assert skills.is_overdue(a_skill(deadline=deadline, status=status), TODAY) is overdue


def test_days_left() -> None:
    assert skills.days_left(a_skill(deadline=TODAY + timedelta(days=5)), TODAY) == 5
    assert skills.days_left(a_skill(deadline=TODAY), TODAY) == 0
    assert skills.days_left(a_skill(deadline=TODAY - timedelta(days=3)), TODAY) == -3
    assert skills.days_left(a_skill(), TODAY) is None


def test_in_order_puts_overdue_first_then_deadlines_then_none_then_done() -> None:
    plan = [
        a_skill("Done early", deadline=TODAY - timedelta(days=9), status="done"),
        a_skill("No deadline"),
        a_skill("Later", deadline=TODAY + timedelta(days=20)),
        a_skill("Overdue recent", deadline=TODAY - timedelta(days=1)),
        a_skill("Soon", deadline=TODAY + timedelta(days=2)),
        a_skill("Overdue old", deadline=TODAY - timedelta(days=6)),
        a_skill("Due today", deadline=TODAY),
        a_skill("Done no deadline", status="done"),
        a_skill("another open", status="paused"),
    ]
    assert [s.name for s in skills.in_order(plan, TODAY)] == [
        "Overdue old",
        "Overdue recent",
        "Due today",
        "Soon",
        "Later",
        "another open",
        "No deadline",
        "Done early",
        "Done no deadline",
    ]


# -- skills: model rules ----------------------------------------------------------------
def skill_data(**changes: Any) -> dict[str, Any]:
    return {"name": "SQL", "start_on": date(2026, 11, 10)} | changes


def test_a_deadline_before_the_start_is_refused_under_deadline() -> None:
    errors = errors_of(Skill, skill_data(deadline=date(2026, 11, 9)), today=TODAY)
    assert errors == {"deadline": "The deadline is before the start. Please check both."}
    same_day = build(Skill, skill_data(deadline=date(2026, 11, 10)), today=TODAY)
    assert isinstance(same_day, Skill)
    # A stored record is not judged again.
    back = build(Skill, skill_data(deadline=date(2026, 11, 9)), stored=True)
    assert isinstance(back, Skill)


@pytest.mark.parametrize(
    ("link", "words"),
    [
        ("www.example.com", "https://"),
        ("ftp://example.com/file", "https://"),
        ("javascript:alert(1)", "https://"),
        ("https://exa mple.com", "spaces"),
        ("https://example.com/a\tb", "spaces"),
    ],
)
def test_a_link_must_be_a_plain_web_address(link: str, words: str) -> None:
    errors = errors_of(Skill, skill_data(link=link), today=TODAY)
    assert set(errors) == {"link"}
    assert words in errors["link"]
    follow = errors_of(FollowSource, {"name": "A newsletter", "link": link})
    assert set(follow) == {"link"}


@pytest.mark.parametrize(
    "link", ["", "   ", "https://example.com/course", "http://example.com", "HTTPS://EXAMPLE.COM"]
)
def test_empty_and_web_links_are_accepted(link: str) -> None:
    record = build(Skill, skill_data(link=link), today=TODAY)
    assert isinstance(record, Skill)
    assert record.link == link.strip()


@pytest.mark.parametrize(
    ("progress", "message"),
    [
        (-1, "Please choose a number of at least 0."),
        (101, "Please choose a number no higher than 100."),
    ],
)
def test_progress_is_a_percentage(progress: int, message: str) -> None:
    assert errors_of(Skill, skill_data(progress=progress), today=TODAY) == {"progress": message}


@pytest.mark.parametrize("progress", [0, 100])
def test_progress_bounds_are_included(progress: int) -> None:
    record = build(Skill, skill_data(progress=progress), today=TODAY)
    assert isinstance(record, Skill)
    assert record.progress == progress


def test_a_skill_needs_a_name_and_a_known_status() -> None:
    errors = errors_of(Skill, skill_data(name="  ", status="finished"), today=TODAY)
    assert errors == {
        "name": "Please add the skill's name.",
        "status": "Please choose one of the options.",
    }


# -- skills: suggestions from Phase 2 ---------------------------------------------------
def test_suggestions_from_feedback_themes_feedback_words_and_patterns() -> None:
    acme = a_rejection("Acme", Stage.TECHNICAL)
    globex = a_rejection("Globex", Stage.TECHNICAL)
    initech = a_rejection("Initech", Stage.APPLICATION)
    said = stored(
        FeedbackRequest,
        rejection_id=acme.id,
        tags=["SQL", "System design"],
        feedback="Strong candidate, but SQL depth was lacking.",
    )
    silent = stored(FeedbackRequest, rejection_id=globex.id, tags=["sql"])
    plan = [a_skill("system DESIGN")]
    technical = FINDINGS.technical.format(n=2, total=3)
    found = skills.suggestions([acme, globex, initech], [said, silent], FINDINGS, plan)
    assert found == [
        skills.Suggestion(
            "tag:sql",
            "SQL — Feedback theme, came up 2×",
            "SQL",
            "feedback",
            "Feedback theme, came up 2×",
        ),
        skills.Suggestion(
            f"feedback:{said.id}",
            "What Acme said — Strong candidate, but SQL depth was lacking.",
            "SQL",
            "feedback",
            "Feedback from Acme: Strong candidate, but SQL depth was lacking.",
            acme.id,
        ),
        skills.Suggestion("finding:0", f"Pattern — {technical}", "", "pattern", technical),
    ]
    # The "SQL" theme finding (2 pieces of feedback) is offered once, as a theme.
    assert sum(1 for s in found if "SQL" in s.label) == 2
    assert [s.source for s in found].count("pattern") == 1


def test_a_theme_already_in_the_plan_is_not_suggested_in_any_case() -> None:
    requests = [stored(FeedbackRequest, tags=["Communication", "SQL"])]
    found = skills.suggestions([], requests, FINDINGS, [a_skill("COMMUNICATION"), a_skill("sql")])
    assert found == []


def test_feedback_words_with_all_themes_known_or_no_company_still_suggest() -> None:
    request = stored(
        FeedbackRequest,
        rejection_id="gone",
        tags=["SQL"],
        feedback="  Work on\nyour   storytelling.  ",
    )
    [found] = skills.suggestions([], [request], FINDINGS, [a_skill("Sql")])
    assert found.key == f"feedback:{request.id}"
    assert found.name == ""
    assert found.label == "What a company said — Work on your storytelling."
    assert found.note == "Feedback from a company: Work on your storytelling."
    assert found.rejection_id == "gone"


def test_long_feedback_is_previewed_in_the_label_and_the_note() -> None:
    acme = a_rejection()
    request = stored(FeedbackRequest, rejection_id=acme.id, feedback="word " * 100)
    [found] = skills.suggestions([acme], [request], FINDINGS, [])
    assert found.label == "What Acme said — " + textsafe.preview("word " * 100, 60)
    assert found.label.endswith("…")
    assert found.label == "What Acme said — " + "word " * 11 + "word…"  # 60 characters
    assert found.note.startswith("Feedback from Acme: word word")
    assert found.note.endswith("…")


def test_no_pattern_suggestion_below_two_technical_rejections() -> None:
    rejections = [
        a_rejection("A", Stage.TECHNICAL),
        a_rejection("B", Stage.APPLICATION),
        a_rejection("C", Stage.RECRUITER_SCREEN),
    ]
    assert skills.suggestions(rejections, [], FINDINGS, []) == []
    # Late-stage findings point to feedback, not skills: no suggestion either.
    late = [a_rejection("D", Stage.FINAL_ROUND), a_rejection("E", Stage.OFFER)]
    assert skills.suggestions(late, [], FINDINGS, []) == []


def test_empty_feedback_text_gives_no_feedback_suggestion() -> None:
    requests = [stored(FeedbackRequest, feedback="   \n ")]
    assert skills.suggestions([], requests, FINDINGS, []) == []


# -- doors: dates -----------------------------------------------------------------------
@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (date(2026, 1, 31), 1, date(2026, 2, 28)),
        (date(2028, 1, 31), 1, date(2028, 2, 29)),
        (date(2026, 11, 30), 3, date(2027, 2, 28)),
        (date(2027, 11, 30), 3, date(2028, 2, 29)),
        (date(2026, 3, 15), 12, date(2027, 3, 15)),
        (date(2028, 2, 29), 12, date(2029, 2, 28)),
        (date(2026, 12, 15), 1, date(2027, 1, 15)),
        (date(2026, 10, 31), 2, date(2026, 12, 31)),
        (date(2026, 8, 31), 1, date(2026, 9, 30)),
        (date(2026, 5, 20), 0, date(2026, 5, 20)),
        (date(2026, 1, 31), 25, date(2028, 2, 29)),
        (date(2026, 1, 15), -1, date(2025, 12, 15)),
    ],
)
def test_add_months(day: date, months: int, expected: date) -> None:
    assert doors.add_months(day, months) == expected


def test_checked_in_records_today_and_plans_the_next() -> None:
    assert doors.checked_in(date(2026, 11, 30), 3) == {
        "last_checkin": date(2026, 11, 30),
        "next_checkin": date(2027, 2, 28),
    }
    assert doors.default_next_checkin(date(2026, 1, 31), 1) == date(2026, 2, 28)


def a_door(rejection: Rejection | None, next_checkin: date | None, **changes: Any) -> DoorOpen:
    data: dict[str, Any] = {
        "rejection_id": rejection.id if rejection else None,
        "next_checkin": next_checkin,
    }
    return stored(DoorOpen, **(data | changes))


def a_person(name: str, role: str, next_checkin: date | None) -> SupportPerson:
    return stored(SupportPerson, name=name, role=role, next_checkin=next_checkin)


def test_due_soon_lists_doors_and_team_within_the_window_soonest_first() -> None:
    acme, beta, gamma, closed_co = (a_rejection(c) for c in ("Acme", "beta Co", "Gamma", "Shut"))
    gone = a_rejection("Gone")
    soon = TODAY + timedelta(days=14)
    doors_list = [
        a_door(acme, soon),  # the last day of the window
        a_door(gamma, TODAY + timedelta(days=15)),  # beyond the window
        a_door(beta, TODAY - timedelta(days=3)),  # overdue
        a_door(closed_co, TODAY, closed=True),
        a_door(gone, TODAY),  # its rejection was deleted
        a_door(acme, None),
        a_door(None, TODAY),
    ]
    team = [
        a_person("Zoe", "mentor", soon),
        a_person("Ana", "unknown_role", soon),
        a_person("Bo", "fellow", None),
        a_person("Cy", "honest", TODAY + timedelta(days=30)),
        a_person("dee", "believer", TODAY - timedelta(days=3)),
    ]
    labels = {r.key: r.label for r in P3.team.roles}
    due = doors.due_soon(doors_list, [acme, beta, gamma, closed_co], team, TODAY, 14, labels)
    assert [(d.who, d.why, d.day, d.page) for d in due] == [
        ("beta Co", "Keep the door open", TODAY - timedelta(days=3), "doors"),
        ("dee", "Someone who always believes in you", TODAY - timedelta(days=3), "team"),
        ("Acme", "Keep the door open", soon, "doors"),
        ("Ana", "unknown_role", soon, "team"),
        ("Zoe", "A mentor in your field", soon, "team"),
    ]
    assert due[0].record_id == doors_list[2].id
    assert due[1].record_id == team[4].id
    assert [d.days_from(TODAY) for d in due] == [-3, -3, 14, 14, 14]


def test_due_soon_without_role_labels_shows_the_role_key_and_zero_window_keeps_today() -> None:
    acme = a_rejection()
    doors_list = [a_door(acme, TODAY), a_door(acme, TODAY + timedelta(days=1))]
    team = [a_person("Sam", "mentor", TODAY)]
    due = doors.due_soon(doors_list, [acme], team, TODAY, 0)
    assert [(d.who, d.why) for d in due] == [("Acme", "Keep the door open"), ("Sam", "mentor")]
    assert doors.due_soon([], [], [], TODAY, 14) == []


@pytest.mark.parametrize(
    ("offset", "words"),
    [
        (0, "today"),
        (1, "tomorrow"),
        (2, "in 2 days"),
        (14, "in 14 days"),
        (-1, "yesterday"),
        (-2, "2 days ago"),
        (-30, "30 days ago"),
    ],
)
def test_when_wording(offset: int, words: str) -> None:
    due = doors.Due("Acme", "Keep the door open", TODAY + timedelta(days=offset), "doors", "x")
    assert doors.when(due, TODAY) == words


# -- doors and team: model rules --------------------------------------------------------
def test_a_next_checkin_before_the_last_is_refused() -> None:
    errors = errors_of(
        DoorOpen,
        {"last_checkin": date(2026, 11, 10), "next_checkin": date(2026, 11, 9)},
        today=TODAY,
    )
    assert errors == {
        "next_checkin": "The next check-in is before the last one. Please check both."
    }
    same = build(
        DoorOpen,
        {"last_checkin": date(2026, 11, 10), "next_checkin": date(2026, 11, 10)},
        today=TODAY,
    )
    assert isinstance(same, DoorOpen)


def test_a_future_thank_you_is_refused_when_saving_but_kept_when_read_back() -> None:
    data = {"thank_you_on": TODAY + timedelta(days=1)}
    errors = errors_of(DoorOpen, data, today=TODAY)
    assert errors == {"thank_you_on": "This date is in the future. Please check it."}
    record = build(DoorOpen, data, stored=True, today=TODAY)
    assert isinstance(record, DoorOpen)
    assert record.thank_you_on == TODAY + timedelta(days=1)
    assert isinstance(build(DoorOpen, {"thank_you_on": TODAY}, today=TODAY), DoorOpen)


def test_mentions_are_deduplicated_case_insensitively_keeping_the_first_spelling() -> None:
    record = build(
        DoorOpen, {"mention": ["SQL", "sql", " Python ", "", "python", "dbt"]}, today=TODAY
    )
    assert isinstance(record, DoorOpen)
    assert record.mention == ["SQL", "Python", "dbt"]


def test_support_person_next_checkin_before_last_contact_is_refused() -> None:
    data = {
        "role": "mentor",
        "name": "Sam",
        "last_contact": date(2026, 11, 10),
        "next_checkin": date(2026, 11, 1),
    }
    errors = errors_of(SupportPerson, data, today=TODAY)
    assert set(errors) == {"next_checkin"}
    assert "before the last contact" in errors["next_checkin"]
    assert errors_of(SupportPerson, {"role": "mentor", "name": ""}, today=TODAY) == {
        "name": "Please add their name."
    }


# -- materials --------------------------------------------------------------------------
def test_question_seeds_map_known_themes_and_skip_those_in_the_bank() -> None:
    requests = [
        stored(FeedbackRequest, tags=["communication", "Kubernetes"]),
        stored(FeedbackRequest, tags=["Kubernetes", "Leadership"]),
        stored(FeedbackRequest, tags=["kubernetes", "Salary expectations"]),
    ]
    bank = [
        stored(
            AnswerEntry, question="What are your salary expectations?", theme="SALARY EXPECTATIONS"
        ),
        stored(AnswerEntry, question="Something else", theme=""),
    ]
    mat = P4.materials
    seeds = materials.question_seeds(requests, bank, mat.questions_for, mat.seed_fallback)
    assert seeds == [
        materials.Seed(
            "Kubernetes", "A question about “Kubernetes” that I want to answer better", 3
        ),
        materials.Seed("communication", mat.questions_for["Communication"], 1),
        materials.Seed("Leadership", mat.questions_for["Leadership"], 1),
    ]
    assert (
        seeds[1].question == "Explain a complex piece of your work to someone outside your field."
    )


def test_question_seeds_are_empty_without_themes_or_when_all_are_covered() -> None:
    mat = P4.materials
    assert materials.question_seeds([], [], mat.questions_for, mat.seed_fallback) == []
    requests = [stored(FeedbackRequest, tags=["Culture fit"])]
    bank = [stored(AnswerEntry, question="Q", theme="culture FIT")]
    assert materials.question_seeds(requests, bank, mat.questions_for, mat.seed_fallback) == []


def test_checklist_progress_counts_only_steps_the_content_lists() -> None:
    keys = P4.materials.step_keys
    assert len(keys) == 13
    assert materials.checklist_progress(None, keys) == (0, 13)
    checklist = stored(
        MaterialsChecklist,
        done={
            "resume_target": date(2026, 11, 1),
            "cover_short": date(2026, 11, 2),
            "a_step_a_facilitator_removed": date(2026, 11, 3),
        },
    )
    assert materials.checklist_progress(checklist, keys) == (2, 13)
    assert materials.checklist_progress(checklist, []) == (0, 0)
    everything = stored(MaterialsChecklist, done=dict.fromkeys(keys, TODAY))
    assert materials.checklist_progress(everything, keys) == (13, 13)


# -- channels ---------------------------------------------------------------------------
LABELS = {i.key: i.label for i in P4.channels.items}
ONLINE = P4.channels.online_label


def an_action(channel: str, status: str = "planned") -> ChannelAction:
    done_on = date(2026, 11, 1) if status == "done" else None
    return stored(ChannelAction, channel=channel, action="Do it", status=status, done_on=done_on)


def test_mix_rows_in_content_order_then_unknown_channels_then_online() -> None:
    actions = [
        an_action("events"),
        an_action("podcast"),
        an_action("events", "done"),
        an_action("events"),
        an_action("conversations", "done"),
        an_action("Meetup", "done"),
    ]
    rejections = [
        a_rejection("A", channel="online job board"),
        a_rejection("B", channel="Company careers page"),
        a_rejection("C", channel="Referral"),
        a_rejection("D", channel=""),
    ]
    rows = channels.mix(actions, LABELS, rejections, P4.channels.online_from_log, ONLINE)
    assert rows == [
        channels.MixRow("Industry events", 2, 1),
        channels.MixRow("Informational conversations", 0, 1),
        channels.MixRow("Professional groups", 0, 0),
        channels.MixRow("Short-term projects", 0, 0),
        channels.MixRow("Stepping-stone roles", 0, 0),
        channels.MixRow("podcast", 1, 0),
        channels.MixRow("Meetup", 0, 1),
        channels.MixRow("Online applications (from your log)", 0, 2),
    ]
    assert channels.share_beyond_online(rows, ONLINE) == pytest.approx(3 / 5)


def test_mix_omits_online_applications_when_there_are_none() -> None:
    rejections = [a_rejection("A", channel="Referral")]
    rows = channels.mix([], LABELS, rejections, P4.channels.online_from_log, ONLINE)
    assert [r.label for r in rows] == list(LABELS.values())
    assert all((r.planned, r.done) == (0, 0) for r in rows)
    assert channels.share_beyond_online(rows, ONLINE) is None
    assert channels.mix([], {}) == []


def test_share_beyond_online_is_zero_when_only_applying_online() -> None:
    rows = channels.mix(
        [an_action("events")],
        LABELS,
        [a_rejection(channel="Online job board")],
        P4.channels.online_from_log,
        ONLINE,
    )
    assert rows[-1] == channels.MixRow(ONLINE, 0, 1)
    assert channels.share_beyond_online(rows, ONLINE) == 0.0


def test_a_done_action_needs_its_day() -> None:
    data = {"channel": "events", "action": "Go to the meetup", "status": "done"}
    assert errors_of(ChannelAction, data, today=TODAY) == {
        "done_on": "Please add the day you did it."
    }
    future = errors_of(ChannelAction, data | {"done_on": TODAY + timedelta(days=1)}, today=TODAY)
    assert future == {"done_on": "This date is in the future. Please check it."}
    planned = build(ChannelAction, data | {"status": "planned"}, today=TODAY)
    assert isinstance(planned, ChannelAction)
    back = build(ChannelAction, data, stored=True)
    assert isinstance(back, ChannelAction)
    assert errors_of(ChannelAction, data | {"status": "maybe"}, today=TODAY) == {
        "status": "Please choose one of the options."
    }


# -- charts -----------------------------------------------------------------------------
def test_wins_per_week_chart_empty_state() -> None:
    for weeks in ([], [(MONDAY, 0), (MONDAY + timedelta(days=7), 0)]):
        fig = charts.wins_per_week(weeks, "No wins yet.")
        assert fig.data == ()
        assert "No wins yet." in fig.layout.annotations[0].text
        assert fig.layout.title.text == "Wins per week"


def test_wins_per_week_chart_draws_one_bar_per_week() -> None:
    weeks = [(date(2026, 11, 2), 2), (date(2026, 11, 9), 0), (MONDAY, 5)]
    fig = charts.wins_per_week(weeks, "empty")
    [bar] = fig.data
    assert bar.type == "bar"
    assert list(bar.x) == ["2026-11-02", "2026-11-09", "2026-11-16"]
    assert list(bar.y) == [2, 0, 5]
    assert list(bar.customdata) == ["08 Nov 2026", "15 Nov 2026", "22 Nov 2026"]
    assert fig.layout.xaxis.type == "date"


def test_wins_per_week_chart_from_per_week_output() -> None:
    logged = [a_win(date(2026, 11, 9)), a_win(date(2026, 11, 15)), a_win(TODAY)]
    fig = charts.wins_per_week(wins.per_week(logged, TODAY, weeks=3), "empty")
    assert list(fig.data[0].x) == ["2026-11-02", "2026-11-09", "2026-11-16"]
    assert list(fig.data[0].y) == [0, 2, 1]


def test_skills_timeline_empty_state() -> None:
    fig = charts.skills_timeline([], TODAY, "No skills yet.")
    assert fig.data == ()
    assert "No skills yet." in fig.layout.annotations[0].text


def test_skills_timeline_marks_overdue_in_colour_pattern_and_words() -> None:
    start, deadline = date(2026, 11, 1), date(2026, 11, 10)
    plan = [
        a_skill("Late", start_on=start, deadline=deadline, status="in_progress", progress=40),
        a_skill("Finished", start_on=start, deadline=deadline, status="done", progress=100),
        a_skill("Open ended", start_on=date(2026, 11, 15)),
        a_skill("Ahead", start_on=TODAY, deadline=TODAY, status="paused"),
    ]
    fig = charts.skills_timeline(plan, TODAY, "empty", P3.skills.statuses)
    [bar] = fig.data
    assert bar.orientation == "h"
    assert list(bar.y) == [s.id for s in plan]
    assert list(fig.layout.yaxis.ticktext) == ["Late", "Finished", "Open ended", "Ahead"]
    assert list(bar.base) == ["2026-11-01", "2026-11-01", "2026-11-15", "2026-11-18"]
    assert list(bar.x) == [10 * DAY_MS, 10 * DAY_MS, 31 * DAY_MS, 1 * DAY_MS]
    assert list(bar.marker.color) == [charts.WARM, charts.MUTED, charts.ACCENT, charts.ACCENT]
    assert list(bar.marker.pattern.shape) == ["/", "", "", ""]
    assert list(bar.text) == [
        "overdue · In progress · 40%",
        "Done · 100%",
        "no deadline · Not started · 0%",
        "Paused · 0%",
    ]
    assert [end for _, end in bar.customdata] == [
        "2026-11-10",
        "2026-11-10",
        "2026-12-15",
        "2026-11-18",
    ]
    [today_line] = fig.layout.shapes
    assert today_line.x0 == today_line.x1 == "2026-11-18"


def test_skills_timeline_without_labels_shows_status_keys_and_escapes_names() -> None:
    plan = [a_skill("<b>x</b> & y", deadline=date(2026, 11, 2))]
    fig = charts.skills_timeline(plan, TODAY, "empty")
    [bar] = fig.data
    assert list(fig.layout.yaxis.ticktext) == ["&lt;b&gt;x&lt;/b&gt; &amp; y"]
    assert list(bar.text) == ["overdue · not_started · 0%"]


def test_skills_timeline_gives_each_skill_its_own_row() -> None:
    plan = [
        a_skill("SQL", start_on=date(2026, 9, 1), deadline=date(2026, 9, 30), status="done"),
        a_skill("SQL", start_on=date(2026, 11, 1), deadline=date(2026, 12, 1)),
    ]
    fig = charts.skills_timeline(plan, TODAY, "empty")
    [bar] = fig.data
    assert len(set(bar.y)) == 2
    assert list(fig.layout.yaxis.ticktext) == ["SQL", "SQL"]


def test_channel_mix_empty_state() -> None:
    rows = channels.mix([], LABELS)
    fig = charts.channel_mix(rows, "Nothing planned yet.")
    assert fig.data == ()
    assert "Nothing planned yet." in fig.layout.annotations[0].text
    assert charts.channel_mix([], "x").data == ()


def test_channel_mix_draws_done_and_planned_per_row_with_escaped_labels() -> None:
    rows = [
        channels.MixRow("Industry events", 2, 1),
        channels.MixRow("<b>x</b>", 0, 3),
        channels.MixRow("Professional groups", 0, 0),
    ]
    fig = charts.channel_mix(rows, "empty")
    done, planned = fig.data
    assert (done.name, planned.name) == ("Done", "Planned")
    expected_y = ["Industry events", "&lt;b&gt;x&lt;/b&gt;", "Professional groups"]
    assert list(done.y) == list(planned.y) == expected_y
    assert expected_y[1] == textsafe.plotly_text("<b>x</b>")
    assert list(done.x) == [1, 3, 0]
    assert list(planned.x) == [2, 0, 0]
    assert planned.marker.pattern.shape == "/"
    assert fig.layout.barmode == "stack"


# -- content ----------------------------------------------------------------------------
def test_phase3_and_phase4_content_load() -> None:
    assert [r.key for r in P3.team.roles] == [
        "mentor",
        "fellow",
        "believer",
        "accountability",
        "honest",
    ]
    assert P3.team.label("mentor") == "A mentor in your field"
    assert P3.team.label("gone") == "gone"
    assert [i.key for i in P4.channels.items] == [
        "events",
        "conversations",
        "groups",
        "projects",
        "stepping_stones",
    ]
    assert sorted(P3.skills.statuses) == ["done", "in_progress", "not_started", "paused"]
    assert sorted(P4.channels.statuses) == ["done", "planned"]
    assert (P4.doors.checkin_months, P4.doors.due_within_days) == (3, 14)
    assert "{theme}" in P4.materials.seed_fallback
    assert [p.key for p in P4.materials.parts] == ["resume", "linkedin", "cover", "answers"]


def write_override(folder: Path, name: str, old: str, new: str) -> Path:
    source = (content.BUILTIN_DIR / name).read_text(encoding="utf-8")
    assert old in source
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(source.replace(old, new, 1), encoding="utf-8")
    return path


def test_an_override_replaces_phase3_whole(tmp_path: Path) -> None:
    folder = tmp_path / "ok"
    path = write_override(folder, "phase3.toml", 'title = "Small wins"', 'title = "Little wins"')
    loaded = content.load(folder)
    assert loaded.phase3.wins.title == "Little wins"
    assert loaded.sources["phase3"] == str(path)
    assert loaded.sources["phase4"] == str(content.BUILTIN_DIR / "phase4.toml")


def test_an_override_missing_a_skill_status_names_the_file(tmp_path: Path) -> None:
    folder = tmp_path / "missing-status"
    path = write_override(folder, "phase3.toml", 'paused = "Paused"\n', "")
    with pytest.raises(content.ContentError) as caught:
        content.load(folder)
    message = str(caught.value)
    assert str(path) in message
    assert "skills.statuses" in message
    assert "not_started, in_progress, done, paused" in message


def test_an_override_with_a_duplicated_step_key_is_refused(tmp_path: Path) -> None:
    folder = tmp_path / "duplicated-step"
    path = write_override(folder, "phase4.toml", 'key = "cover_short"', 'key = "resume_target"')
    with pytest.raises(content.ContentError) as caught:
        content.load(folder)
    message = str(caught.value)
    assert str(path) in message
    assert "each step key must appear once" in message


def test_an_override_with_a_wrong_channel_status_is_refused(tmp_path: Path) -> None:
    folder = tmp_path / "channel-status"
    path = write_override(folder, "phase4.toml", 'planned = "Planned"', 'later = "Later"')
    with pytest.raises(content.ContentError) as caught:
        content.load(folder)
    assert str(path) in str(caught.value)
    assert "channels.statuses" in str(caught.value)
