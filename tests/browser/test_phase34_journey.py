"""Phase 3 in a real browser: small wins over three days, and a skill from feedback.

Each journey runs on its own fresh ``streamlit run`` server with an empty data folder:

1. Small wins logged for two days ago, yesterday and today through the form: the
   confirmation, the streak metrics, the kind message and the wins-per-week chart (read
   from the drawn Plotly figure's own data) change after each; the workbook file holds
   exactly the three wins.
2. A feedback theme seeded in the workbook ("System design") starts a skill on the
   Skill-gap plan page: the chooser fills in the name, a deadline is set, the skill shows
   in the list and on the timeline, and is stored with source "feedback".
3. The wins form at phone width (390 px): every field is visible and a win is logged
   with the keyboard alone.

Full-page screenshots of the wins page (after 1) and the skills page (after 2) at 1280
and 390 px go to ``$REBOUND_SCREENSHOT_DIR`` (default: a temporary folder) as
``phase34-<width>-<page>.png``, for a person to look at.
"""

from __future__ import annotations

import os
import re
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Locator, Page, expect
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from tests.conftest import store
from workbook import content, textsafe
from workbook.models import FeedbackRequest, Rejection, Skill, Stage, Win

from .conftest import (
    DESKTOP,
    IDLE_TIMEOUT_MS,
    PHONE,
    ServerFactory,
    StreamlitServer,
    go_via_sidebar,
    open_page,
    show_everything,
    wait_idle,
    warm_up,
)

pytestmark = pytest.mark.browser

TEXT = content.load()
WINS = TEXT.phase3.wins
SKILLS = TEXT.phase3.skills
TODAY = date.today()  # the browser and the server run on this machine, in its zone
YESTERDAY = TODAY - timedelta(days=1)

THEME = "System design"
THEME_NOTE = "Feedback theme, came up 1×"
THEME_CHOICE = f"{THEME} — {THEME_NOTE}"
ANSWER = "You were a close second. Work on explaining trade-offs in system design."
# The other suggestion the seeded feedback makes: the answer itself.
ANSWER_CHOICE = f"What Northwind said — {textsafe.preview(ANSWER, 60)}"
MAX_TABS = 80  # the sidebar menu comes first in the tab order


# -- driving Streamlit widgets ------------------------------------------------------------
def alerts(page: Page) -> Locator:
    return page.get_by_test_id("stAlert")


def main(page: Page) -> Locator:
    return page.get_by_test_id("stMain")


def commit_text(field: Locator, value: str, key: str = "Tab") -> None:
    """Type into a Streamlit text widget and commit it (Enter or Tab), then wait."""
    field.click()
    field.fill(value)
    field.press(key)
    wait_idle(field.page)


def date_input(page: Page, label: str) -> Locator:
    return page.get_by_test_id("stDateInput").filter(has_text=label).first


def date_value(page: Page, label: str) -> Locator:
    # The visible field is a row of spin buttons; a hidden <input type=date> holds the value.
    return date_input(page, label).locator("input")


def set_date(page: Page, label: str, day: date) -> None:
    """Type a day into a Streamlit date input (segments: year, month, day), then leave it."""
    page.get_by_role("spinbutton", name=f"year, {label}").first.click()
    page.keyboard.type(day.strftime("%Y%m%d"))
    page.keyboard.press("Tab")
    wait_idle(page)
    expect(date_value(page, label)).to_have_value(day.isoformat())


def choose(page: Page, label: str, option: str | re.Pattern[str]) -> None:
    """Pick an option of a Streamlit selectbox."""
    box = page.get_by_role("combobox", name=label, exact=True).first
    # Clicking the field opens the list; the "Open" arrow toggles, and after an Escape it
    # may close a list that base-web still thinks is open.
    box.click()
    options = page.get_by_role("option")
    target = (
        options.filter(has_text=option)
        if isinstance(option, re.Pattern)
        else page.get_by_role("option", name=option, exact=True)
    )
    target.first.click()
    wait_idle(page)


def metric(page: Page, label: str) -> Locator:
    return page.get_by_test_id("stMetric").filter(has_text=label).get_by_test_id("stMetricValue")


# -- reading the drawn Plotly chart ------------------------------------------------------------
CHART_JS = """() => {
    const plot = document.querySelector("[data-testid='stPlotlyChart'] .js-plotly-plot");
    if (!plot || !plot.layout) return null;
    const notes = [...plot.querySelectorAll('.annotation-text')].map(note => {
        // Wrapped lines are separate <tspan class="line"> elements: read them as a person does.
        const lines = [...note.querySelectorAll('tspan.line')].map(t => t.textContent);
        return lines.length ? lines.join(' ') : note.textContent;
    });
    const yaxis = plot.layout.yaxis || {};
    return {
        traces: (plot.data || []).map(t => ({
            type: t.type,
            x: Array.from(t.x || []).map(String),
            y: Array.from(t.y || []).map(String),
            base: Array.from(t.base || []).map(String),
        })),
        title: (plot.querySelector('.gtitle') || {}).textContent || '',
        tickvals: Array.from(yaxis.tickvals || []).map(String),
        ticktext: Array.from(yaxis.ticktext || []).map(String),
        yticks: [...plot.querySelectorAll('.ytick text')].map(t => t.textContent),
        notes: notes,
    };
}"""


def chart(page: Page) -> dict[str, Any]:
    """The page's one Plotly chart, as drawn: its data, axis labels and annotations."""
    expect(page.get_by_test_id("stPlotlyChart")).to_have_count(1)
    page.wait_for_function(f"({CHART_JS})() !== null", timeout=IDLE_TIMEOUT_MS)
    return page.evaluate(CHART_JS)


def wins_in_chart(page: Page, expected: int) -> dict[str, Any]:
    """Wait until the wins-per-week bars add up to ``expected``; return the chart."""
    js = f"""() => {{
        const c = ({CHART_JS})();
        if (!c || c.traces.length !== 1) return false;
        return c.traces[0].y.reduce((a, b) => a + Number(b), 0) === {expected};
    }}"""
    try:
        page.wait_for_function(js, timeout=IDLE_TIMEOUT_MS)
    except PlaywrightTimeoutError:  # show what the chart holds, not a bare timeout
        pytest.fail(f"wins chart does not add up to {expected}: {chart(page)}")
    return chart(page)


# -- seeing the wins page -----------------------------------------------------------------------
def expect_streak(page: Page, current: str, longest: str, total: str) -> None:
    expect(metric(page, WINS.current_label)).to_have_text(current)
    expect(metric(page, WINS.longest_label)).to_have_text(longest)
    expect(metric(page, WINS.total_label)).to_have_text(total)


def expect_kind_message(page: Page, shown: str) -> None:
    """Exactly one of the three streak messages is on the page: ``shown``."""
    for message in (WINS.streak_rest, WINS.streak_alive, WINS.streak_today):
        expect(alerts(page).filter(has_text=message)).to_have_count(1 if message == shown else 0)


def log_win(page: Page, text: str, category: str, day: date | None) -> None:
    """Log a win through the form; ``day=None`` leaves the Day at its default (today)."""
    commit_text(page.get_by_label(WINS.text_label, exact=True), text)
    choose(page, WINS.category_label, category)
    if day is not None:
        set_date(page, WINS.day_label, day)
    else:
        expect(date_value(page, WINS.day_label)).to_have_value(TODAY.isoformat())
    page.get_by_role("button", name=WINS.save_label, exact=True).click()
    wait_idle(page)
    expect(alerts(page).filter(has_text=WINS.saved)).to_have_count(1)
    # The form is ready for the next one: empty text, the Day back at today.
    expect(page.get_by_label(WINS.text_label, exact=True)).to_have_value("")
    expect(date_value(page, WINS.day_label)).to_have_value(TODAY.isoformat())
    # The win is in the list, with its day and kind.
    line = f"{day_label(day or TODAY)} · {category} — {text}"
    expect(main(page).locator("li").filter(has_text=line)).to_have_count(1)


def day_label(day: date) -> str:
    return day.strftime("%d %b %Y")


# -- screenshots ------------------------------------------------------------------------------
@pytest.fixture
def screenshot_dir(tmp_path: Path) -> Path:
    configured = os.environ.get("REBOUND_SCREENSHOT_DIR", "").strip()
    folder = Path(configured) if configured else tmp_path / "screenshots"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def shoot(browser: Browser, app: StreamlitServer, key: str, folder: Path) -> list[Path]:
    """Full-page screenshots of one page at desktop and phone width."""
    written: list[Path] = []
    for viewport in (DESKTOP,):  # phone width: every page in test_screenshots
        phone = viewport is PHONE
        ctx = browser.new_context(
            viewport=viewport, device_scale_factor=1, is_mobile=phone, has_touch=phone
        )
        ctx.set_default_timeout(IDLE_TIMEOUT_MS)
        try:
            page = ctx.new_page()
            open_page(page, app.url(key))
            chart(page)  # the chart is drawn before the picture is taken
            show_everything(page, viewport["width"])
            path = folder / f"phase34-{viewport['width']}-{key}.png"
            path.unlink(missing_ok=True)
            page.screenshot(path=path, full_page=True, animations="disabled")
            written.append(path)
        finally:
            ctx.close()
    for path in written:
        assert path.stat().st_size > 15_000, f"{path.name} looks empty"
    return written


# -- 1. small wins over three days ------------------------------------------------------------
FIRST = ("Finished the first module of a SQL course", "Learned something", 2)
SECOND = ("Sent a thank-you note to the interviewer", "Met or reached out to someone", 1)
THIRD = ("Went for a long walk without my phone", "Looked after myself", 0)


def test_small_wins_over_three_days(
    server: ServerFactory, browser: Browser, page: Page, screenshot_dir: Path
) -> None:
    app = warm_up(browser, server())
    open_page(page, app.url())
    go_via_sidebar(page, WINS.title)
    assert page.url.endswith("/wins")
    expect(page.locator("h1")).to_have_text(WINS.title)

    # Nothing yet: zeros, no streak message, the chart's calm empty message.
    expect_streak(page, "0 days", "0 days", "0")
    expect_kind_message(page, "")
    empty = chart(page)
    assert empty["traces"] == [], empty
    assert empty["notes"] == [WINS.chart_empty], empty
    expect(page.get_by_text(WINS.empty, exact=True)).to_be_visible()

    # Two days ago: one win, but neither yesterday nor today has one, so the streak rests.
    text, category, ago = FIRST
    log_win(page, text, category, TODAY - timedelta(days=ago))
    expect_streak(page, "0 days", "1 day", "1")
    expect_kind_message(page, WINS.streak_rest)
    shown = wins_in_chart(page, 1)
    assert shown["notes"] == [], f"the empty message is still on the chart: {shown}"
    assert shown["title"] == "Wins per week", shown
    expect(page.get_by_text(WINS.empty, exact=True)).to_have_count(0)

    # Yesterday: two days in a row, alive until today is over.
    text, category, ago = SECOND
    log_win(page, text, category, TODAY - timedelta(days=ago))
    expect_streak(page, "2 days", "2 days", "2")
    expect_kind_message(page, WINS.streak_alive)
    wins_in_chart(page, 2)

    # Today, with the Day left as it is.
    text, category, _ = THIRD
    log_win(page, text, category, None)
    expect_streak(page, "3 days", "3 days", "3")
    expect_kind_message(page, WINS.streak_today)
    shown = wins_in_chart(page, 3)
    assert shown["notes"] == [], shown
    # Each win counted in the week of its day (the last bar is this week).
    weeks = {
        date.fromisoformat(x[:10]): int(float(y))
        for x, y in zip(shown["traces"][0]["x"], shown["traces"][0]["y"], strict=True)
    }
    this_week = TODAY - timedelta(days=TODAY.weekday())
    assert max(weeks) == this_week, weeks
    expected: dict[date, int] = {}
    for _, _, ago in (FIRST, SECOND, THIRD):
        day = TODAY - timedelta(days=ago)
        monday = day - timedelta(days=day.weekday())
        expected[monday] = expected.get(monday, 0) + 1
    assert {d: n for d, n in weeks.items() if n} == expected, weeks

    # Newest first in the list.
    items = main(page).locator("li").all_inner_texts()
    assert items == [
        f"{day_label(TODAY - timedelta(days=ago))} · {category} — {text}"
        for text, category, ago in (THIRD, SECOND, FIRST)
    ], items

    # The workbook file holds exactly the three wins.
    saved = sorted(store(app.data_dir).all(Win), key=lambda w: w.won_on)
    assert [(w.won_on, w.text, w.category) for w in saved] == [
        (TODAY - timedelta(days=ago), text, category)
        for text, category, ago in (FIRST, SECOND, THIRD)
    ]
    assert len({w.won_on for w in saved}) == 3

    shoot(browser, app, "wins", screenshot_dir)


# -- 2. a skill from a feedback theme ----------------------------------------------------------
def seed_answered_feedback(data_dir: Path) -> tuple[Rejection, FeedbackRequest]:
    """A "no" from twelve days ago, and its feedback answered with the theme."""
    no_at = datetime.now(UTC) - timedelta(days=12)
    rejection = Rejection(
        company="Northwind",
        role="Backend Engineer",
        rejected_at=no_at,
        stage=Stage.FINAL_ROUND,
    )
    request = FeedbackRequest(
        rejection_id=rejection.id,
        addressee="Priya",
        status="answered",
        sent_on=TODAY - timedelta(days=9),
        answered_on=TODAY - timedelta(days=5),
        feedback=ANSWER,
        tags=[THEME],
    )
    assert store(data_dir).add_many([rejection, request]) == 2
    return rejection, request


def start_from_options(page: Page) -> list[str]:
    """The choices the "Start from something you learned in Phase 2" list offers now."""
    box = page.get_by_role("combobox", name=SKILLS.from_label, exact=True)
    # Clicking the field opens the list; the "Open" arrow toggles, and after an Escape it
    # may close a list that base-web still thinks is open.
    options = page.get_by_role("option")
    for attempt in range(3):
        box.click()
        try:
            # Right after a rerun the list can open and close again as Streamlit redraws
            # the chooser with its new options; a person's second click opens it.
            expect(options.first).to_be_visible(timeout=3000)
            break
        except AssertionError:
            if attempt == 2:
                raise
            page.keyboard.press("Escape")
            page.wait_for_timeout(300)
    shown = [o.strip() for o in options.all_inner_texts()]
    page.keyboard.press("Escape")
    expect(options).to_have_count(0)
    return shown


def test_a_skill_starts_from_a_feedback_theme(
    server: ServerFactory, browser: Browser, page: Page, screenshot_dir: Path
) -> None:
    app = server()
    seed_answered_feedback(app.data_dir)
    warm_up(browser, app)
    deadline = TODAY + timedelta(days=45)

    open_page(page, app.url())
    go_via_sidebar(page, SKILLS.title)
    assert page.url.endswith("/skills")
    expect(page.locator("h1")).to_have_text(SKILLS.title)
    expect(page.get_by_text(SKILLS.empty, exact=True)).to_be_visible()
    before = chart(page)
    assert before["traces"] == [] and before["notes"] == [SKILLS.chart_empty], before

    # The theme from the feedback fills in the name and where the need came from.
    name = page.get_by_label(SKILLS.name_label, exact=True)
    expect(name).to_have_value("")
    choose(page, SKILLS.from_label, re.compile(rf"^{re.escape(THEME)} — Feedback theme"))
    expect(page.get_by_role("combobox", name=SKILLS.from_label, exact=True)).to_have_value(
        re.compile(rf"^{re.escape(THEME)} — Feedback theme, came up 1×")
    )
    expect(name).to_have_value(THEME)
    expect(page.get_by_role("combobox", name=SKILLS.source_label, exact=True)).to_have_value(
        SKILLS.sources["feedback"]
    )
    expect(page.get_by_label(SKILLS.source_note_label, exact=True)).to_have_value(THEME_NOTE)
    expect(date_value(page, SKILLS.start_label)).to_have_value(TODAY.isoformat())
    expect(date_value(page, SKILLS.deadline_label)).to_have_value("")
    set_date(page, SKILLS.deadline_label, deadline)

    page.get_by_role("button", name="Add to my plan", exact=True).click()
    wait_idle(page)
    expect(alerts(page).filter(has_text=f"“{THEME}” is in your plan.")).to_have_count(1)
    expect(name).to_have_value("")  # ready for the next one
    expect(date_value(page, SKILLS.deadline_label)).to_have_value("")

    # In the list, with its status, progress and deadline.
    line = f"{THEME} — {SKILLS.statuses['not_started']}, 0% — due {day_label(deadline)}"
    expect(main(page).locator("li").filter(has_text=line)).to_have_count(1)
    expect(page.get_by_text(SKILLS.empty, exact=True)).to_have_count(0)

    # On the timeline: one bar, labelled with the skill's name.
    page.wait_for_function(
        f"() => {{ const c = ({CHART_JS})(); return !!c && c.traces.length === 1; }}",
        timeout=IDLE_TIMEOUT_MS,
    )
    shown = chart(page)
    assert SKILLS.chart_empty not in shown["notes"], shown
    bars = shown["traces"][0]
    assert bars["type"] == "bar", shown
    # From today to the deadline, both days included (a bar's length is in milliseconds).
    assert bars["base"] == [TODAY.isoformat()], shown
    assert bars["x"] == [str(((deadline - TODAY).days + 1) * 86_400_000)], shown
    # Rows may be keyed by id and labelled through the axis's tick texts.
    labels = dict(zip(shown["tickvals"], shown["ticktext"], strict=True))
    names = [labels.get(y, y) for y in bars["y"]]
    assert names == [THEME], shown
    assert THEME in shown["yticks"], shown

    # The workbook file: one skill, from feedback, tied to the rejection it came from.
    saved = store(app.data_dir).all(Skill)
    assert len(saved) == 1, saved
    skill = saved[0]
    assert (skill.name, skill.source) == (THEME, "feedback")
    assert skill.deadline == deadline
    assert skill.start_on == TODAY
    assert skill.source_note == THEME_NOTE
    # A theme gathers feedback from any number of rejections: it is tied to none of them.
    assert skill.source_rejection_id is None

    # The theme is in the plan now, so it is no longer offered; the answer itself still is.
    open_page(page, app.url("skills"))
    expect(page.get_by_role("combobox", name=SKILLS.from_label, exact=True)).to_have_value("")
    wait_idle(page)
    assert start_from_options(page) == [ANSWER_CHOICE]

    shoot(browser, app, "skills", screenshot_dir)


def choose_theme_and_add(page: Page) -> None:
    choose(page, SKILLS.from_label, THEME_CHOICE)
    expect(page.get_by_label(SKILLS.name_label, exact=True)).to_have_value(THEME)
    page.get_by_role("button", name="Add to my plan", exact=True).click()
    wait_idle(page)
    expect(alerts(page).filter(has_text=f"“{THEME}” is in your plan.")).to_have_count(1)


def test_the_start_from_chooser_is_empty_again_after_adding(
    server: ServerFactory, browser: Browser, page: Page
) -> None:
    app = server()
    seed_answered_feedback(app.data_dir)
    warm_up(browser, app)
    open_page(page, app.url("skills"))
    assert start_from_options(page) == [THEME_CHOICE, ANSWER_CHOICE]
    choose_theme_and_add(page)
    expect(page.get_by_label(SKILLS.name_label, exact=True)).to_have_value("")
    # Like every other field of the form, the chooser is back at "Choose…", and it
    # offers what is left: the answer, not the theme that is in the plan now.
    expect(page.get_by_role("combobox", name=SKILLS.from_label, exact=True)).to_have_value("")
    wait_idle(page)
    assert start_from_options(page) == [ANSWER_CHOICE]


BAR_TEXT_JS = """() => {
    const chart = document.querySelector("[data-testid='stPlotlyChart']");
    const box = chart.getBoundingClientRect();
    return [...chart.querySelectorAll('.bartext')].map(t => {
        const r = t.getBoundingClientRect();
        return {text: t.textContent, left: r.left, right: r.right,
                chartLeft: box.left, chartRight: box.right};
    });
}"""


def test_the_skill_timeline_labels_are_not_cut_off(server: ServerFactory, browser: Browser) -> None:
    app = server()
    store(app.data_dir).add_many(
        [Skill(name=THEME, source="feedback", start_on=TODAY, deadline=TODAY + timedelta(days=45))]
    )
    warm_up(browser, app)
    clipped = []
    for viewport in (DESKTOP, PHONE):
        ctx = browser.new_context(viewport=viewport)
        ctx.set_default_timeout(IDLE_TIMEOUT_MS)
        try:
            page = ctx.new_page()
            open_page(page, app.url("skills"))
            chart(page)
            labels = page.evaluate(BAR_TEXT_JS)
        finally:
            ctx.close()
        assert [label["text"] for label in labels] == [f"{SKILLS.statuses['not_started']} · 0%"], (
            labels
        )
        clipped += [
            (viewport["width"], label)
            for label in labels
            if label["left"] < label["chartLeft"] - 1 or label["right"] > label["chartRight"] + 1
        ]
    assert clipped == [], f"bar labels cut off at the chart's edge: {clipped}"


# -- 3. the wins form at phone width, by keyboard ----------------------------------------------
FOCUS_JS = """() => {
    const el = document.activeElement;
    if (!el) return null;
    const label = el.getAttribute('aria-label')
        || (el.labels && el.labels[0] && el.labels[0].innerText)
        || (el.id && document.querySelector(`label[for="${el.id}"]`)?.innerText)
        || el.innerText || '';
    return {tag: el.tagName, label: label.trim()};
}"""


def tab_to(page: Page, label: str) -> dict[str, str]:
    """Press Tab until the focused element is labelled ``label``; fail if never reached."""
    seen: list[str] = []
    for _ in range(MAX_TABS):
        page.keyboard.press("Tab")
        focused = page.evaluate(FOCUS_JS) or {"tag": "", "label": ""}
        if focused["label"] == label:
            return focused
        seen.append(f"{focused['tag']}:{focused['label'][:30]}")
    pytest.fail(f"Tab never reached {label!r}; focus went through: {seen}")


def expect_fits(page: Page, target: Locator, what: str) -> None:
    """Visible, and inside the phone's width once scrolled to (nothing cut off)."""
    expect(target).to_be_visible()
    target.scroll_into_view_if_needed()
    expect(target).to_be_in_viewport()
    box = target.bounding_box()
    assert box is not None, what
    assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"] + 0.5, (what, box)
    assert box["width"] >= 40 and box["height"] >= 24, (what, box)  # big enough to tap


def test_wins_form_at_phone_width_by_keyboard(server: ServerFactory, browser: Browser) -> None:
    app = warm_up(browser, server())
    ctx = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    ctx.set_default_timeout(IDLE_TIMEOUT_MS)
    try:
        page = ctx.new_page()
        open_page(page, app.url("wins"))
        expect(page.locator("h1")).to_have_text(WINS.title)

        text_field = page.get_by_label(WINS.text_label, exact=True)
        category = page.get_by_role("combobox", name=WINS.category_label, exact=True)
        day = date_input(page, WINS.day_label)
        button = page.get_by_role("button", name=WINS.save_label, exact=True)
        for target, what in (
            (text_field, "win text"),
            (category, "category"),
            (day, "Day"),
            (button, "Log this win"),
        ):
            expect_fits(page, target, what)
        expect(date_value(page, WINS.day_label)).to_have_value(TODAY.isoformat())

        # Keyboard only from here.
        page.locator("body").focus()
        tab_to(page, WINS.text_label)
        page.keyboard.type("Asked a former colleague for coffee")
        tab_to(page, WINS.category_label)
        page.keyboard.type("Helped")
        page.keyboard.press("Enter")
        wait_idle(page)
        expect(category).to_have_value("Helped someone")
        # The Day is a row of spin buttons (year, month, day): typed straight through.
        tab_to(page, f"year, {WINS.day_label}")
        page.keyboard.type(YESTERDAY.strftime("%Y%m%d"))
        focused = tab_to(page, WINS.save_label)
        assert focused["tag"] == "BUTTON", focused
        page.keyboard.press("Enter")
        wait_idle(page)

        expect(alerts(page).filter(has_text=WINS.saved)).to_have_count(1)
        expect_streak(page, "1 day", "1 day", "1")
        expect_kind_message(page, WINS.streak_alive)  # yesterday's win: today keeps it going
        line = f"{day_label(YESTERDAY)} · Helped someone — Asked a former colleague for coffee"
        expect(main(page).locator("li").filter(has_text=line)).to_have_count(1)
        # Nothing wider than the phone: no sideways scrolling.
        overflow = page.evaluate(
            "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 0, f"the page scrolls sideways by {overflow} px"
    finally:
        ctx.close()

    saved = store(app.data_dir).all(Win)
    assert [(w.text, w.category, w.won_on) for w in saved] == [
        ("Asked a former colleague for coffee", "Helped someone", YESTERDAY)
    ]
