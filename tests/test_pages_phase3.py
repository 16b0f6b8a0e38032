"""AppTest: the Phase 3 pages (small wins, skill-gap plan, support team, stay current).

Each page on an empty and on a heavy workbook: what the person sees, and what is saved.
"""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from streamlit.testing.v1.element_tree import Caption, Error

from tests.conftest import store
from tests.test_pages_phase2 import chart_spec, in_order, message_under, shown_errors
from tests.test_pages_start import HOSTILE, texts
from workbook import content, skills, textsafe, timefmt, wins
from workbook.models import (
    FeedbackRequest,
    FollowSource,
    Rejection,
    Skill,
    Stage,
    SupportPerson,
    Win,
)

WINS = "pages/phase3/wins.py"
SKILLS = "pages/phase3/skills.py"
TEAM = "pages/phase3/team.py"
CURRENT = "pages/phase3/stay_current.py"
TEXT = content.load(None).phase3
W, S, T, C = TEXT.wins, TEXT.skills, TEXT.team, TEXT.current
TOO_LONG = "This is longer than one entry can hold"


# -- helpers ---------------------------------------------------------------------------
def today() -> date:
    return timefmt.local_today(timefmt.zone(None))


def run(at):
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def click(at, key: str):
    at.button(key=key).click()
    return run(at)


def message_below(at, key: str) -> str | None:
    """The error under the widget with ``key``, past any hint caption between the two."""
    elements = in_order(at.main)
    where = next(i for i, e in enumerate(elements) if getattr(e, "key", None) == key)
    for after in elements[where + 1 :]:
        if isinstance(after, Error):
            return after.value
        if not isinstance(after, Caption):
            return None
    return None


def metrics(at) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def markdown_source(at) -> str:
    """Markdown exactly as sent to the browser (not unescaped)."""
    return "\n".join(m.value for m in [*at.markdown, *at.caption])


def sent_to_browser(at) -> str:
    parts = [*at.markdown, *at.caption, *at.success, *at.info, *at.warning, *at.error]
    return "\n".join(str(p.value) for p in parts)


def seed_wins(folder: Path, days: list[date], text: str = "Did a thing") -> list[Win]:
    wb = store(folder)
    return [
        wb.add(Win, {"text": f"{text} {n}", "category": "Other", "won_on": d})
        for n, d in enumerate(days)
    ]


def list_lines(at) -> list[str]:
    """The lines of the page's bulleted lists, as shown."""
    return [line[2:] for line in texts(at).splitlines() if line.startswith("- ")]


# == P3.1 Small wins ===================================================================
def test_wins_on_an_empty_workbook(data_dir: Path, open_page) -> None:
    at = open_page(WINS)
    assert at.title[0].value == W.title
    assert metrics(at) == {W.current_label: "0 days", W.longest_label: "0 days", W.total_label: "0"}
    shown = texts(at)
    assert W.empty in shown
    for message in (W.streak_today, W.streak_alive, W.streak_rest):
        assert message not in shown
    spec = chart_spec(at)
    assert not spec["data"]
    assert spec["layout"]["annotations"][0]["text"].replace("<br>", " ") == W.chart_empty
    assert at.text_input(key="keep.win.text").label == W.text_label
    assert at.date_input(key="keep.win.day").value == today()
    assert at.selectbox(key="keep.win.category").options == W.categories
    with pytest.raises(KeyError):
        at.selectbox(key="_choose.wins")  # nothing to choose yet
    assert not at.error


def test_wins_log_one(data_dir: Path, open_page) -> None:
    at = open_page(WINS)
    at.text_input(key="keep.win.text").input("Finished the SQL module")
    at.selectbox(key="keep.win.category").select(W.categories[2])
    click(at, "_submit.win")
    [saved] = store(data_dir).all(Win)
    assert (saved.text, saved.category, saved.won_on) == (
        "Finished the SQL module",
        W.categories[2],
        today(),
    )
    shown = texts(at)
    assert sorted(s.value for s in at.success) == sorted(
        [textsafe.escape_markdown(W.saved), W.streak_today]
    )
    assert W.streak_today in shown
    assert W.empty not in shown
    assert at.text_input(key="keep.win.text").value == ""  # ready for the next one
    assert store(data_dir).text_draft("keep.win.text") == ""
    assert metrics(at) == {W.current_label: "1 day", W.longest_label: "1 day", W.total_label: "1"}
    line = f"{timefmt.format_day(today())} · {W.categories[2]} — Finished the SQL module"
    assert list_lines(at) == [line]
    [bar] = chart_spec(at)["data"]
    assert bar["y"][-1] == 1
    assert sum(bar["y"]) == 1


def test_wins_on_an_earlier_day(data_dir: Path, open_page) -> None:
    at = open_page(WINS)
    day = today() - timedelta(days=4)
    at.text_input(key="keep.win.text").input("Called an old colleague")
    at.date_input(key="keep.win.day").set_value(day)
    click(at, "_submit.win")
    [saved] = store(data_dir).all(Win)
    assert saved.won_on == day
    assert at.date_input(key="keep.win.day").value == today()  # back to today


def test_wins_three_days_in_a_row(data_dir: Path, open_page) -> None:
    seed_wins(data_dir, [today(), today() - timedelta(days=1), today() - timedelta(days=2)])
    at = open_page(WINS)
    assert metrics(at) == {W.current_label: "3 days", W.longest_label: "3 days", W.total_label: "3"}
    assert W.streak_today in [s.value for s in at.success]
    assert not at.info


def test_wins_streak_alive_until_today_is_over(data_dir: Path, open_page) -> None:
    seed_wins(data_dir, [today() - timedelta(days=1), today() - timedelta(days=2)])
    at = open_page(WINS)
    assert metrics(at)[W.current_label] == "2 days"
    assert [i.value for i in at.info] == [W.streak_alive]


def test_wins_streak_resting_is_kind(data_dir: Path, open_page) -> None:
    seed_wins(data_dir, [today() - timedelta(days=2)])
    at = open_page(WINS)
    assert metrics(at) == {W.current_label: "0 days", W.longest_label: "1 day", W.total_label: "1"}
    assert [i.value for i in at.info] == [W.streak_rest]
    assert not at.warning and not at.error  # no guilt
    assert W.streak_alive not in texts(at)


def test_wins_empty_text_is_refused(data_dir: Path, open_page) -> None:
    at = open_page(WINS)
    at.text_input(key="keep.win.text").input("   ")
    click(at, "_submit.win")
    assert message_under(at, "keep.win.text") == "Please add a line about your win."
    assert store(data_dir).count(Win) == 0
    assert W.saved not in texts(at)


def test_wins_future_day_is_refused_and_text_kept(data_dir: Path, open_page) -> None:
    at = open_page(WINS)
    at.text_input(key="keep.win.text").input("Tomorrow's win")
    at.date_input(key="keep.win.day").set_value(today() + timedelta(days=2))
    click(at, "_submit.win")
    assert message_under(at, "keep.win.day") == "This date is in the future. Please check it."
    assert shown_errors(at) == ["This date is in the future. Please check it."]
    assert store(data_dir).count(Win) == 0
    assert at.text_input(key="keep.win.text").value == "Tomorrow's win"
    assert store(data_dir).text_draft("keep.win.text") == "Tomorrow's win"


def test_wins_hostile_text_is_shown_as_typed(data_dir: Path, open_page) -> None:
    at = open_page(WINS)
    at.text_input(key="keep.win.text").input(HOSTILE)
    click(at, "_submit.win")
    [saved] = store(data_dir).all(Win)
    assert saved.text == HOSTILE
    source = markdown_source(at)
    assert textsafe.escape_markdown(HOSTILE) in source
    assert "\\<script\\>" in source
    assert "\\$x\\$" in source
    assert "\\:red\\[hi\\]" in source
    assert "<script>" not in sent_to_browser(at)
    assert HOSTILE in texts(at)  # and it reads exactly as typed


def test_wins_very_long_text_is_refused_and_kept(data_dir: Path, open_page) -> None:
    at = open_page(WINS)
    long = "w" * 100_000
    at.text_input(key="keep.win.text").input(long)
    click(at, "_submit.win")
    message = message_under(at, "keep.win.text")
    assert message is not None
    assert TOO_LONG in message
    assert "1,000 characters" in message
    assert store(data_dir).count(Win) == 0
    assert at.text_input(key="keep.win.text").value == long
    assert store(data_dir).text_draft("keep.win.text") == long


def test_wins_chart_counts_per_week(data_dir: Path, open_page) -> None:
    this_monday = wins.week_start(today())
    days = [
        this_monday,  # this week: 1
        this_monday - timedelta(days=7),  # last week: 3 (two on one day)
        this_monday - timedelta(days=7),
        this_monday - timedelta(days=3),
        this_monday - timedelta(weeks=5) + timedelta(days=2),  # five weeks ago: 1
        this_monday - timedelta(weeks=30),  # outside the last 12 weeks
    ]
    seed_wins(data_dir, days)
    at = open_page(WINS)
    [bar] = chart_spec(at)["data"]
    mondays = [this_monday - timedelta(weeks=n) for n in range(11, -1, -1)]
    assert bar["x"] == [d.isoformat() for d in mondays]
    expected = [0] * 12
    expected[-1], expected[-2], expected[-6] = 1, 3, 1
    assert bar["y"] == expected
    at.segmented_control(key="keep.win.span").set_value("Everything")
    run(at)
    [bar] = chart_spec(at)["data"]
    assert len(bar["x"]) == 31
    assert bar["x"][0] == (this_monday - timedelta(weeks=30)).isoformat()
    assert bar["y"][0] == 1
    assert sum(bar["y"]) == len(days)


def test_wins_edit_and_delete(data_dir: Path, open_page) -> None:
    first, second = seed_wins(data_dir, [today() - timedelta(days=1), today()])
    at = open_page(WINS)
    chooser = at.selectbox(key="_choose.wins")
    assert chooser.options[0].endswith(f"— {second.text}")  # newest first
    chooser.select(first.id)
    run(at)
    field = f"keep.win.edit.{first.id}.text"
    assert at.text_input(key=field).value == first.text
    at.text_input(key=field).input("")
    click(at, f"_submit.win_{first.id}")
    assert message_under(at, field) == "Please add a line about your win."
    assert store(data_dir).get(Win, first.id).text == first.text
    at.text_input(key=field).input("A better line")
    click(at, f"_submit.win_{first.id}")
    assert store(data_dir).get(Win, first.id).text == "A better line"
    assert "Win updated." in texts(at)
    click(at, f"_confirm.win.{first.id}.ask")
    assert "Delete this win?" in texts(at)
    assert store(data_dir).count(Win) == 2
    click(at, f"_confirm.win.{first.id}.yes")
    assert [w.id for w in store(data_dir).all(Win)] == [second.id]
    assert "Deleted." in texts(at)


def test_wins_heavy(heavy_dir: Path, open_page) -> None:
    logged = store(heavy_dir).all(Win)
    assert len(logged) == 800
    streak = wins.streaks((w.won_on for w in logged), today())
    assert streak.current == 6  # the demo's last six days, ending yesterday
    at = open_page(WINS)
    assert metrics(at) == {
        W.current_label: wins.days_text(streak.current),
        W.longest_label: wins.days_text(streak.longest),
        W.total_label: "800",
    }
    assert [i.value for i in at.info] == [W.streak_alive]  # nothing logged today yet
    [bar] = chart_spec(at)["data"]
    assert len(bar["x"]) == 12
    assert bar["y"] == [n for _, n in wins.per_week(logged, today(), 12)]
    assert sum(bar["y"]) > 6
    newest = wins.newest_first(logged)

    def label(win: Win) -> str:
        return f"{timefmt.format_day(win.won_on)} · {win.category} — {win.text}"

    assert list_lines(at) == [label(w) for w in newest[:10]]
    assert "Page 1 of 80 · 800 in all" in texts(at)
    assert at.button(key="_page.wins.prev").disabled
    click(at, "_page.wins.next")
    assert list_lines(at) == [label(w) for w in newest[10:20]]
    assert "Page 2 of 80 · 800 in all" in texts(at)
    assert len(at.selectbox(key="_choose.wins").options) == 10


# == P3.2 Skill-gap plan ================================================================
def add_skill_fields(at, **fields: Any) -> None:
    for name, value in fields.items():
        key = f"keep.skill.{name}"
        if name in {"start", "deadline"}:
            at.date_input(key=key).set_value(value)
        elif name in {"source", "kind"}:
            at.selectbox(key=key).select(value)
        else:
            at.text_input(key=key).input(value)


def seed_skill(folder: Path, name: str = "SQL", **changes: Any) -> Skill:
    data = {"name": name, "start_on": today() - timedelta(days=10)}
    return store(folder).add(Skill, data | changes)


def test_skills_on_an_empty_workbook(data_dir: Path, open_page) -> None:
    at = open_page(SKILLS)
    assert at.title[0].value == S.title
    shown = texts(at)
    assert S.empty in shown
    assert S.from_none in shown
    assert not at.warning
    spec = chart_spec(at)
    assert not spec["data"]
    assert spec["layout"]["annotations"][0]["text"].replace("<br>", " ") == S.chart_empty
    with pytest.raises(KeyError):
        at.selectbox(key="_skill_from")  # nothing from Phase 2 to start from
    with pytest.raises(KeyError):
        at.selectbox(key="_choose.skills")
    assert at.date_input(key="keep.skill.start").value == today()
    assert at.date_input(key="keep.skill.deadline").value is None


def test_skills_deadline_before_start_is_refused(data_dir: Path, open_page) -> None:
    at = open_page(SKILLS)
    add_skill_fields(
        at,
        name="Statistics",
        start=today(),
        deadline=today() - timedelta(days=5),
    )
    click(at, "_submit.skill")
    message = "The deadline is before the start. Please check both."
    assert message_below(at, "keep.skill.deadline") == message
    assert shown_errors(at) == [message]
    assert store(data_dir).count(Skill) == 0
    assert at.text_input(key="keep.skill.name").value == "Statistics"


@pytest.mark.parametrize(
    ("link", "message"),
    [
        ("example.com", "Please give a web address starting with https:// (or leave it empty)."),
        ("https://example.com/a course", "A web address cannot contain spaces. Please check it."),
        ("javascript:alert(1)", "Please give a web address starting with https://"),
    ],
)
def test_skills_bad_link_is_refused(data_dir: Path, open_page, link: str, message: str) -> None:
    at = open_page(SKILLS)
    add_skill_fields(at, name="Statistics", link=link)
    click(at, "_submit.skill")
    under = message_under(at, "keep.skill.link")
    assert under is not None
    assert under.startswith(message)
    assert store(data_dir).count(Skill) == 0
    assert at.text_input(key="keep.skill.link").value == link


def test_skills_add_one_with_every_field(data_dir: Path, open_page) -> None:
    at = open_page(SKILLS)
    start, deadline = today() - timedelta(days=3), today() + timedelta(days=40)
    add_skill_fields(
        at,
        name="System design",
        source="job_description",
        kind="book",
        note="Asked for in three postings",
        resource="Designing Data-Intensive Applications",
        link="https://example.org/ddia",
        start=start,
        deadline=deadline,
    )
    click(at, "_submit.skill")
    [saved] = store(data_dir).all(Skill)
    assert saved.model_dump(
        include={
            "name",
            "source",
            "source_note",
            "source_rejection_id",
            "resource_kind",
            "resource",
            "link",
            "start_on",
            "deadline",
            "status",
            "progress",
        }
    ) == {
        "name": "System design",
        "source": "job_description",
        "source_note": "Asked for in three postings",
        "source_rejection_id": None,
        "resource_kind": "book",
        "resource": "Designing Data-Intensive Applications",
        "link": "https://example.org/ddia",
        "start_on": start,
        "deadline": deadline,
        "status": "not_started",
        "progress": 0,
    }
    shown = texts(at)
    assert "“System design” is in your plan." in shown
    assert S.empty not in shown
    due = f"due {timefmt.format_day(deadline)}"
    assert list_lines(at) == [f"System design — {S.statuses['not_started']}, 0% — {due}"]
    [bar] = chart_spec(at)["data"]
    assert bar["y"] == [saved.id]
    assert bar["base"] == [start.isoformat()]
    # the form is ready for the next skill
    assert at.text_input(key="keep.skill.name").value == ""
    assert at.text_input(key="keep.skill.link").value == ""
    assert at.date_input(key="keep.skill.deadline").value is None
    assert not at.warning


def test_skills_hostile_name_is_shown_as_typed(data_dir: Path, open_page) -> None:
    at = open_page(SKILLS)
    add_skill_fields(at, name=HOSTILE, note=HOSTILE)
    click(at, "_submit.skill")
    [saved] = store(data_dir).all(Skill)
    assert (saved.name, saved.source_note) == (HOSTILE, HOSTILE)
    assert textsafe.escape_markdown(HOSTILE) in markdown_source(at)
    assert "<script>" not in sent_to_browser(at)
    layout = chart_spec(at)["layout"]
    assert layout["yaxis"]["ticktext"] == [textsafe.plotly_text(textsafe.preview(HOSTILE, 40))]
    assert "<script>" not in json.dumps(chart_spec(at))
    at.selectbox(key="_choose.skills").select(saved.id)
    run(at)
    assert textsafe.escape_markdown(HOSTILE) in [c.value for c in at.caption]  # the note


def test_skills_overdue_is_flagged(data_dir: Path, open_page) -> None:
    late = seed_skill(
        data_dir,
        "Statistics",
        start_on=today() - timedelta(days=30),
        deadline=today() - timedelta(days=3),
        status="in_progress",
        progress=40,
    )
    seed_skill(data_dir, "Docker", deadline=today() + timedelta(days=10))
    at = open_page(SKILLS)
    assert [w.value for w in at.warning] == [S.overdue_note.format(n=1)]
    lines = list_lines(at)
    assert lines[0] == f"Statistics — {S.statuses['in_progress']}, 40% — ⚠ overdue by 3 days"
    assert "overdue" not in lines[1]
    [bar] = chart_spec(at)["data"]
    assert bar["y"][0] == late.id
    assert bar["text"][0].startswith("overdue")
    assert bar["marker"]["pattern"]["shape"][0] == "/"


@pytest.mark.parametrize("status", ["done", "paused"])
def test_skills_done_or_paused_past_deadline_is_not_overdue(
    data_dir: Path, open_page, status: str
) -> None:
    seed_skill(
        data_dir,
        start_on=today() - timedelta(days=30),
        deadline=today() - timedelta(days=3),
        status=status,
        progress=50,
    )
    at = open_page(SKILLS)
    assert not at.warning
    assert "overdue" not in list_lines(at)[0]


def feedback_on_a_rejection(folder: Path) -> tuple[Rejection, FeedbackRequest]:
    wb = store(folder)
    rejection = wb.add(
        Rejection,
        {
            "company": "Acme",
            "role": "Engineer",
            "stage": Stage.APPLICATION,
            "rejected_at": datetime.now(UTC) - timedelta(days=10),
        },
    )
    request = wb.add(
        FeedbackRequest,
        {
            "rejection_id": rejection.id,
            "status": "answered",
            "sent_on": today() - timedelta(days=8),
            "answered_on": today() - timedelta(days=6),
            "feedback": "Strong communication; we wanted more depth in system design.",
            "tags": ["System design"],
        },
    )
    return rejection, request


def test_skills_start_from_a_feedback_theme(data_dir: Path, open_page) -> None:
    _, request = feedback_on_a_rejection(data_dir)
    at = open_page(SKILLS)
    chooser = at.selectbox(key="_skill_from")
    assert chooser.label == S.from_label
    assert chooser.value is None
    theme = "System design — Feedback theme, came up 1×"
    piece = "What Acme said — Strong communication; we wanted more depth in system design."
    assert chooser.options == [theme, piece]
    assert S.from_none not in texts(at)
    chooser.select("tag:system design")
    run(at)
    assert at.text_input(key="keep.skill.name").value == "System design"
    assert at.selectbox(key="keep.skill.source").value == "feedback"
    assert at.text_input(key="keep.skill.note").value == "Feedback theme, came up 1×"
    assert store(data_dir).count(Skill) == 0  # only filled in, not saved yet
    click(at, "_submit.skill")
    [saved] = store(data_dir).all(Skill)
    assert (saved.name, saved.source, saved.source_note) == (
        "System design",
        "feedback",
        "Feedback theme, came up 1×",
    )
    assert saved.source_rejection_id is None  # a theme belongs to no single rejection
    # the theme is in the plan now; the piece of feedback itself is still offered
    assert at.selectbox(key="_skill_from").options == [piece]
    assert at.selectbox(key="_skill_from").value is None
    assert at.text_input(key="keep.skill.name").value == ""
    assert request.id  # the request is untouched
    assert store(data_dir).get(FeedbackRequest, request.id).tags == ["System design"]


def test_skills_start_from_a_piece_of_feedback(data_dir: Path, open_page) -> None:
    rejection, request = feedback_on_a_rejection(data_dir)
    at = open_page(SKILLS)
    at.selectbox(key="_skill_from").select(f"feedback:{request.id}")
    run(at)
    assert at.text_input(key="keep.skill.name").value == "System design"
    assert at.selectbox(key="keep.skill.source").value == "feedback"
    note = at.text_input(key="keep.skill.note").value
    assert note.startswith("Feedback from Acme: Strong communication")
    click(at, "_submit.skill")
    [saved] = store(data_dir).all(Skill)
    assert (saved.source, saved.source_rejection_id) == ("feedback", rejection.id)
    assert saved.source_note == note
    assert at.selectbox(key="_skill_from").value is None  # the chooser starts over
    assert at.text_input(key="keep.skill.note").value == ""


def test_skills_start_from_a_patterns_finding(data_dir: Path, open_page) -> None:
    wb = store(data_dir)
    for company in ("Acme", "Globex"):
        wb.add(
            Rejection,
            {
                "company": company,
                "role": "Engineer",
                "stage": Stage.TECHNICAL,
                "rejected_at": datetime.now(UTC) - timedelta(days=5),
            },
        )
    finding = content.load(None).phase2.patterns.findings.technical.format(n=2, total=2)
    at = open_page(SKILLS)
    chooser = at.selectbox(key="_skill_from")
    # the only finding: every rejection ended at the technical stage
    assert chooser.options == [textsafe.preview(f"Pattern — {finding}", 100)]
    chooser.select("finding:0")
    run(at)
    assert at.selectbox(key="keep.skill.source").value == "pattern"
    assert at.text_input(key="keep.skill.note").value == finding
    assert at.text_input(key="keep.skill.name").value == ""  # the person names the skill
    click(at, "_submit.skill")
    assert message_under(at, "keep.skill.name") == "Please add the skill's name."
    assert store(data_dir).count(Skill) == 0
    at.text_input(key="keep.skill.name").input("Live coding")
    click(at, "_submit.skill")
    [saved] = store(data_dir).all(Skill)
    assert (saved.name, saved.source, saved.source_note) == ("Live coding", "pattern", finding)


def test_skills_update_status_and_progress(data_dir: Path, open_page) -> None:
    skill = seed_skill(
        data_dir,
        "SQL",
        deadline=today() + timedelta(days=20),
        resource_kind="video",
        resource="SQL in an hour",
        link="https://example.org/sql",
    )
    at = open_page(SKILLS)
    at.selectbox(key="_choose.skills").select(skill.id)
    run(at)
    assert f"{S.resources['video']}: SQL in an hour" in texts(at)
    [button] = at.get("link_button")
    assert button.proto.url == "https://example.org/sql"
    e = f"keep.skill.edit.{skill.id}"
    assert at.selectbox(key=f"{e}.status").value == "not_started"
    assert at.slider(key=f"{e}.progress").value == 0
    at.selectbox(key=f"{e}.status").select("in_progress")
    at.slider(key=f"{e}.progress").set_value(35)
    click(at, f"_submit.skill_{skill.id}")
    saved = store(data_dir).get(Skill, skill.id)
    assert (saved.status, saved.progress, saved.deadline) == (
        "in_progress",
        35,
        today() + timedelta(days=20),
    )
    assert "Plan updated." in texts(at)
    assert list_lines(at)[0].startswith(f"SQL — {S.statuses['in_progress']}, 35%")


def test_skills_edit_deadline_before_start_is_refused(data_dir: Path, open_page) -> None:
    skill = seed_skill(data_dir, "SQL", deadline=today() + timedelta(days=20))
    at = open_page(SKILLS)
    at.selectbox(key="_choose.skills").select(skill.id)
    run(at)
    e = f"keep.skill.edit.{skill.id}"
    at.date_input(key=f"{e}.deadline").set_value(skill.start_on - timedelta(days=1))
    click(at, f"_submit.skill_{skill.id}")
    assert message_under(at, f"{e}.deadline") == (
        "The deadline is before the start. Please check both."
    )
    assert store(data_dir).get(Skill, skill.id).deadline == today() + timedelta(days=20)


def test_skills_delete_asks_first(data_dir: Path, open_page) -> None:
    skill = seed_skill(data_dir, "<b>Rust</b>")
    at = open_page(SKILLS)
    at.selectbox(key="_choose.skills").select(skill.id)
    run(at)
    ask = f"_confirm.skill.{skill.id}"
    click(at, f"{ask}.ask")
    assert "Remove “<b>Rust</b>” from your plan?" in texts(at)
    assert "\\<b\\>Rust" in at.warning[0].value  # quoted as typed
    assert store(data_dir).count(Skill) == 1
    click(at, f"{ask}.no")
    assert store(data_dir).count(Skill) == 1
    assert at.button(key=f"{ask}.ask")  # back to the plain button
    click(at, f"{ask}.ask")
    click(at, f"{ask}.yes")
    assert store(data_dir).count(Skill) == 0
    assert "Removed from your plan." in texts(at)
    assert S.empty in texts(at)


def test_skills_heavy(heavy_dir: Path, open_page) -> None:
    plan = store(heavy_dir).all(Skill)
    assert len(plan) == 25
    ordered = skills.in_order(plan, today())
    overdue = [s for s in plan if skills.is_overdue(s, today())]
    assert overdue  # the demo has skills past their deadline
    at = open_page(SKILLS)
    assert [w.value for w in at.warning] == [S.overdue_note.format(n=len(overdue))]
    [bar] = chart_spec(at)["data"]
    assert bar["y"] == [s.id for s in ordered]
    assert sum(t.startswith("overdue") for t in bar["text"]) == len(overdue)
    assert "Page 1 of 3 · 25 in all" in texts(at)
    lines = list_lines(at)
    assert len(lines) == 10
    assert [line.split(" — ")[0] for line in lines] == [s.name for s in ordered[:10]]
    assert sum("overdue" in line for line in lines) == min(len(overdue), 10)
    assert len(at.selectbox(key="_choose.skills").options) == 10
    assert at.selectbox(key="_skill_from").options  # the demo's feedback and patterns


# == P3.3 Support team ==================================================================
def seed_person(folder: Path, role: str = "mentor", name: str = "Ana", **changes: Any):
    return store(folder).add(SupportPerson, {"role": role, "name": name} | changes)


def team_field(role: str, field: str) -> str:
    return f"keep.team.{role}.{field}"


def test_team_on_an_empty_workbook_invites(data_dir: Path, open_page) -> None:
    at = open_page(TEAM)
    assert at.title[0].value == T.title
    labels = [r.label for r in T.roles]
    assert len(labels) == 5
    assert [s.value for s in at.subheader if s.value in labels] == labels
    # The role cards sit under their own h2, so headings go h1 -> h2 -> h3 in order.
    assert at.header[0].value == T.roles_heading
    assert sum(T.empty_role in m.value for m in at.markdown) == 5
    for role in T.roles:
        assert role.hint in texts(at)
    assert not at.error
    assert not at.warning
    role = at.selectbox(key="_team.role")
    assert role.options == labels
    assert role.value == T.roles[0].key
    with pytest.raises(KeyError):
        at.button(key="_team.touch.mentor")  # no one to have been in touch with yet


def test_team_fill_the_mentor_role(data_dir: Path, open_page) -> None:
    at = open_page(TEAM)
    at.selectbox(key="_team.role").select("mentor")
    run(at)
    last = today() - timedelta(days=4)
    nxt = today() + timedelta(days=10)
    at.text_input(key=team_field("mentor", "name")).input("Ana *Lopez*")
    at.text_input(key=team_field("mentor", "contact")).input("ana@example.org")
    at.text_area(key=team_field("mentor", "notes")).input("Knows hiring in data.")
    at.date_input(key=team_field("mentor", "last")).set_value(last)
    at.date_input(key=team_field("mentor", "next")).set_value(nxt)
    click(at, "_submit.team_mentor")
    [saved] = store(data_dir).all(SupportPerson)
    assert (saved.role, saved.name, saved.contact, saved.notes) == (
        "mentor",
        "Ana *Lopez*",
        "ana@example.org",
        "Knows hiring in data.",
    )
    assert (saved.last_contact, saved.next_checkin) == (last, nxt)
    shown = texts(at)
    assert f"Saved: {T.label('mentor')}." in shown
    assert "Ana *Lopez* · ana@example.org" in shown
    assert "\\*Lopez\\*" in markdown_source(at)  # shown as typed, not in italics
    assert (
        f"Last contact: {timefmt.format_day(last)} · next check-in: {timefmt.format_day(nxt)}"
        in shown
    )
    assert "due now" not in shown
    assert sum(T.empty_role in m.value for m in at.markdown) == 4
    # the form now shows the saved person, for updates
    assert at.text_input(key=team_field("mentor", "name")).value == "Ana *Lopez*"
    assert at.button(key="_team.touch.mentor")


def test_team_name_is_needed(data_dir: Path, open_page) -> None:
    at = open_page(TEAM)
    at.text_input(key=team_field("mentor", "contact")).input("ana@example.org")
    click(at, "_submit.team_mentor")
    assert message_under(at, team_field("mentor", "name")) == "Please add their name."
    assert store(data_dir).count(SupportPerson) == 0
    assert at.text_input(key=team_field("mentor", "contact")).value == "ana@example.org"


def test_team_next_checkin_before_last_contact_is_refused(data_dir: Path, open_page) -> None:
    at = open_page(TEAM)
    at.text_input(key=team_field("mentor", "name")).input("Ana")
    at.date_input(key=team_field("mentor", "last")).set_value(today() - timedelta(days=2))
    at.date_input(key=team_field("mentor", "next")).set_value(today() - timedelta(days=5))
    click(at, "_submit.team_mentor")
    message = "The next check-in is before the last contact. Please check both."
    assert message_under(at, team_field("mentor", "next")) == message
    assert message_under(at, team_field("mentor", "last")) is None
    assert store(data_dir).count(SupportPerson) == 0


def test_team_last_contact_in_the_future_is_refused(data_dir: Path, open_page) -> None:
    at = open_page(TEAM)
    at.text_input(key=team_field("mentor", "name")).input("Ana")
    at.date_input(key=team_field("mentor", "last")).set_value(today() + timedelta(days=3))
    click(at, "_submit.team_mentor")
    assert message_under(at, team_field("mentor", "last")) == (
        "This date is in the future. Please check it."
    )
    assert store(data_dir).count(SupportPerson) == 0


def test_team_update_keeps_one_person_per_role(data_dir: Path, open_page) -> None:
    person = seed_person(data_dir, "mentor", "Ana", contact="ana@example.org")
    at = open_page(TEAM)
    name = at.text_input(key=team_field("mentor", "name"))
    assert name.value == "Ana"
    assert at.text_input(key=team_field("mentor", "contact")).value == "ana@example.org"
    name.input("Ana Lopez")
    click(at, "_submit.team_mentor")
    [saved] = store(data_dir).all(SupportPerson)
    assert (saved.id, saved.role, saved.name) == (person.id, "mentor", "Ana Lopez")
    assert saved.contact == "ana@example.org"
    assert "Ana Lopez · ana@example.org" in texts(at)


def test_team_in_touch_today(data_dir: Path, open_page) -> None:
    person = seed_person(
        data_dir,
        "fellow",
        "Bo",
        last_contact=today() - timedelta(days=30),
        next_checkin=today(),  # due today
    )
    at = open_page(TEAM)
    assert "— due now" in texts(at)
    at.selectbox(key="_team.role").select("fellow")
    run(at)
    assert at.text_input(key=team_field("fellow", "name")).value == "Bo"
    click(at, "_team.touch.fellow")
    saved = store(data_dir).get(SupportPerson, person.id)
    nxt = today() + timedelta(weeks=T.checkin_weeks)
    assert (saved.last_contact, saved.next_checkin) == (today(), nxt)
    assert (saved.name, saved.role) == ("Bo", "fellow")
    shown = texts(at)
    assert (
        f"Noted. Next check-in in {T.checkin_weeks} weeks, on {timefmt.format_day(nxt)}." in shown
    )
    assert "due now" not in shown
    # the form shows the new dates, so a later Save does not undo them
    assert at.date_input(key=team_field("fellow", "last")).value == today()
    assert at.date_input(key=team_field("fellow", "next")).value == nxt


def test_team_remove_asks_first(data_dir: Path, open_page) -> None:
    seed_person(data_dir, "believer", "Chidi")
    at = open_page(TEAM)
    at.selectbox(key="_team.role").select("believer")
    run(at)
    ask = "_confirm.team.believer"
    click(at, f"{ask}.ask")
    assert "Remove Chidi from this role?" in texts(at)
    assert store(data_dir).count(SupportPerson) == 1
    click(at, f"{ask}.no")
    assert store(data_dir).count(SupportPerson) == 1
    click(at, f"{ask}.ask")
    click(at, f"{ask}.yes")
    assert store(data_dir).count(SupportPerson) == 0
    assert "Removed. The role is open again." in texts(at)
    assert sum(T.empty_role in m.value for m in at.markdown) == 5
    with pytest.raises(KeyError):
        at.button(key=f"{ask}.ask")  # no one left to remove


def test_team_remove_empties_the_roles_form(data_dir: Path, open_page) -> None:
    seed_person(data_dir, "believer", "Chidi", contact="chidi@example.org")
    at = open_page(TEAM)
    at.selectbox(key="_team.role").select("believer")
    run(at)
    click(at, "_confirm.team.believer.ask")
    click(at, "_confirm.team.believer.yes")
    assert store(data_dir).count(SupportPerson) == 0
    assert at.text_input(key=team_field("believer", "name")).value == ""
    assert at.text_input(key=team_field("believer", "contact")).value == ""


def test_team_heavy(heavy_dir: Path, open_page) -> None:
    people = {p.role: p for p in store(heavy_dir).all(SupportPerson)}
    assert sorted(people) == sorted(["mentor", "fellow", "believer", "accountability"])
    at = open_page(TEAM)
    assert [s.value for s in at.subheader] == [r.label for r in T.roles]
    assert sum(T.empty_role in m.value for m in at.markdown) == 1
    shown = texts(at)
    for person in people.values():
        assert person.name in shown
        assert f"Last contact: {timefmt.format_day(person.last_contact)}" in shown
    assert "Ana · ana@example.org" in shown
    due = [p for p in people.values() if p.next_checkin and p.next_checkin <= today()]
    assert due  # the demo has check-ins that are due
    assert shown.count("— due now") == len(due)
    assert not at.error
    # the one open role is "honest": its invitation sits in its own box
    honest = T.roles[[r.key for r in T.roles].index("honest")].label
    boxes = [b for b in at.main.children.values() if honest in texts_of(b)]
    assert boxes and T.empty_role in texts_of(boxes[0])
    at.selectbox(key="_team.role").select("accountability")
    run(at)
    assert at.text_input(key=team_field("accountability", "name")).value == "Dana"


def texts_of(node) -> str:
    return "\n".join(str(getattr(e, "value", "")) for e in in_order(node))


# == P3.4 Stay current ==================================================================
def follow(at, kind: str | None = None, **fields: str) -> None:
    if kind is not None:
        at.selectbox(key="keep.follow.kind").select(kind)
    for name, value in fields.items():
        at.text_input(key=f"keep.follow.{name}").input(value)
    click(at, "_submit.follow")


def test_current_on_an_empty_workbook(data_dir: Path, open_page) -> None:
    at = open_page(CURRENT)
    assert at.title[0].value == C.title
    assert C.empty in texts(at)
    assert at.selectbox(key="keep.follow.kind").options == C.kinds
    assert not at.subheader
    with pytest.raises(KeyError):
        at.selectbox(key="_choose.following")


def test_current_add_one(data_dir: Path, open_page) -> None:
    at = open_page(CURRENT)
    follow(
        at,
        "Podcast",
        name="Data Skeptic",
        link="https://example.org/podcast",
        why="Weekly, **short**",
    )
    [saved] = store(data_dir).all(FollowSource)
    assert (saved.kind, saved.name, saved.link, saved.why) == (
        "Podcast",
        "Data Skeptic",
        "https://example.org/podcast",
        "Weekly, **short**",
    )
    shown = texts(at)
    assert "Added." in shown
    assert C.empty not in shown
    assert [s.value for s in at.subheader] == ["Podcast (1)"]
    assert "- **Data Skeptic** — Weekly, **short** (https://example.org/podcast)" in shown
    assert "\\*\\*short\\*\\*" in markdown_source(at)
    assert at.text_input(key="keep.follow.name").value == ""
    assert at.selectbox(key="keep.follow.kind").value == "Podcast"  # kept for the next one


def test_current_name_is_needed(data_dir: Path, open_page) -> None:
    at = open_page(CURRENT)
    follow(at, why="Good summaries")
    assert message_under(at, "keep.follow.name") == "Please add a name."
    assert store(data_dir).count(FollowSource) == 0
    assert at.text_input(key="keep.follow.why").value == "Good summaries"


@pytest.mark.parametrize("link", ["example.com", "https://exa mple.com"])
def test_current_bad_link_is_refused(data_dir: Path, open_page, link: str) -> None:
    at = open_page(CURRENT)
    follow(at, name="A newsletter", link=link)
    message = message_under(at, "keep.follow.link")
    assert message is not None
    assert "web address" in message
    assert message_under(at, "keep.follow.name") is None
    assert store(data_dir).count(FollowSource) == 0
    assert at.text_input(key="keep.follow.link").value == link


def test_current_grouped_by_kind(data_dir: Path, open_page) -> None:
    wb = store(data_dir)
    for kind, name in [
        ("Person", "Grace"),
        ("Newsletter", "Weekly A"),
        ("Blog", "Own kind"),
        ("Newsletter", "Weekly B"),
        ("Newsletter", HOSTILE),
    ]:
        wb.add(FollowSource, {"kind": kind, "name": name})
    at = open_page(CURRENT)
    assert [s.value for s in at.subheader] == ["Newsletter (3)", "Person (1)", "Blog (1)"]
    assert f"**{textsafe.escape_markdown(HOSTILE)}**" in markdown_source(at)
    assert "<script>" not in sent_to_browser(at)


def test_current_remove_asks_first(data_dir: Path, open_page) -> None:
    wb = store(data_dir)
    keep = wb.add(FollowSource, {"kind": "Person", "name": "Grace"})
    drop = wb.add(
        FollowSource, {"kind": "Podcast", "name": "Old show", "link": "https://example.org"}
    )
    at = open_page(CURRENT)
    at.selectbox(key="_choose.following").select(drop.id)
    run(at)
    assert at.get("link_button")  # open it before deciding
    ask = f"_confirm.follow.{drop.id}"
    click(at, f"{ask}.ask")
    assert "Remove “Old show”?" in texts(at)
    assert store(data_dir).count(FollowSource) == 2
    click(at, f"{ask}.no")
    assert store(data_dir).count(FollowSource) == 2
    click(at, f"{ask}.ask")
    click(at, f"{ask}.yes")
    assert [f.id for f in store(data_dir).all(FollowSource)] == [keep.id]
    assert "Removed." in texts(at)
    assert [s.value for s in at.subheader] == ["Person (1)"]


def test_current_heavy(heavy_dir: Path, open_page) -> None:
    following = store(heavy_dir).all(FollowSource)
    assert len(following) == 30
    at = open_page(CURRENT)
    counts = {k: sum(f.kind == k for f in following) for k in C.kinds}
    assert [s.value for s in at.subheader] == [f"{k} ({n})" for k, n in counts.items() if n]
    assert sum(counts.values()) == 30
    items = [line for line in list_lines(at) if line.startswith("**")]
    assert len(items) == 30
    assert len(at.selectbox(key="_choose.following").options) == 30
