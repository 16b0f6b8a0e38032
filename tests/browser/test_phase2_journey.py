"""Phase 2 in a real browser: log rejections, ask for feedback, watch the patterns change.

The journey of issue #3 on a fresh server: two rejections logged on /log, a feedback
email built and downloaded (.eml and .txt) on /feedback, marked sent, then answered with
a theme; /patterns read from the Plotly chart's own data before and after a third
rejection. A bad answered date is refused next to its field. Then full-page screenshots
of the four Phase 2 pages at 1280 and 390 px, into ``$REBOUND_SCREENSHOT_DIR`` (default:
a temporary folder) as ``phase2-<width>-<page>.png``, for a person to look at.
"""

from __future__ import annotations

import email
import os
import re
from dataclasses import dataclass, field
from datetime import date, timedelta
from email import policy
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Download, Locator, Page, expect

from workbook import content

from .conftest import (
    DESKTOP,
    IDLE_TIMEOUT_MS,
    PHONE,
    ServerFactory,
    StreamlitServer,
    begin_navigate,
    finish_navigate,
    go_via_sidebar,
    navigate_in_app,
    open_page,
    show_everything,
    wait_idle,
    warm_up,
)

pytestmark = pytest.mark.browser

TEXT = content.load()
FB = TEXT.phase2.feedback
TODAY = date.today()  # the browser and the server run on this machine, in its zone

NORTHWIND = ("Northwind", "Data Analyst", "Final round", TODAY - timedelta(days=4))
BLUE_HARBOR = ("Blue Harbor", "Backend Engineer", "Technical", TODAY - timedelta(days=3))
CEDAR = ("Cedar Labs", "Analytics Engineer", "Final round", TODAY)
ADDRESSEE = "Priya"
QUESTION = FB.questions[1]
ANSWER = "You were a close second. Work on explaining trade-offs in system design."
THEME = "System design"
PHASE2_PAGES = ["review", "feedback", "patterns", "reassess"]


# -- driving Streamlit widgets ------------------------------------------------------------
def alerts(page: Page) -> Locator:
    return page.get_by_test_id("stAlert")


def commit_text(field: Locator, value: str, key: str = "Tab") -> None:
    """Type into a Streamlit text widget and commit it (Enter or Tab), then wait."""
    field.click()
    field.fill(value)
    field.press(key)
    wait_idle(field.page)


def set_date(page: Page, label: str, day: date) -> None:
    """Type a day into a Streamlit date input (segments: year, month, day), then leave it."""
    page.get_by_role("spinbutton", name=f"year, {label}").first.click()
    page.keyboard.type(day.strftime("%Y%m%d"))
    page.keyboard.press("Tab")
    wait_idle(page)
    expect(date_value(page, label)).to_have_value(day.isoformat())


def date_value(page: Page, label: str) -> Locator:
    # The visible field is a row of spin buttons; a hidden <input type=date> holds the value.
    return page.get_by_test_id("stDateInput").filter(has_text=label).first.locator("input")


def choose(page: Page, label: str, option: str | re.Pattern[str]) -> None:
    """Pick an option of a Streamlit selectbox."""
    box = page.get_by_role("combobox", name=label, exact=True).first
    # The arrow button: a click on the text field right after a date was typed only focuses.
    page.get_by_test_id("stSelectbox").filter(has=box).get_by_role("button", name="Open").click()
    options = page.get_by_role("option")
    target = (
        options.filter(has_text=option)
        if isinstance(option, re.Pattern)
        else page.get_by_role("option", name=option, exact=True)
    )
    target.first.click()
    wait_idle(page)


def pick(page: Page, label: str, option: str) -> None:
    """Add one option to a Streamlit multiselect, then close its list."""
    page.get_by_test_id("stMultiSelect").filter(has_text=label).first.locator("input").click()
    page.get_by_role("option", name=option, exact=True).click()
    wait_idle(page)
    page.keyboard.press("Escape")


def status_radio(page: Page) -> Locator:
    return page.get_by_test_id("stRadio").filter(has_text=FB.status_label)


def set_status(page: Page, status: str) -> None:
    status_radio(page).get_by_text(FB.statuses[status], exact=True).click()
    wait_idle(page)


def expect_status(page: Page, status: str) -> None:
    radio = status_radio(page).get_by_role("radio", name=FB.statuses[status], exact=True)
    expect(radio).to_be_checked()


def open_add_form(page: Page) -> None:
    """Show the "Add a rejection" fields (hidden behind a toggle once the log has some)."""
    company = page.get_by_label("Company", exact=True)
    if company.count() and company.first.is_visible():
        return
    toggle = page.get_by_test_id("stCheckbox").filter(has_text="Add another rejection")
    toggle.locator("label").first.click()
    wait_idle(page)
    expect(company.first).to_be_visible()


def log_rejection(page: Page, company: str, role: str, stage: str, day: date) -> None:
    """Add a rejection on the log page (already open) through the form."""
    open_add_form(page)
    # The add form comes before the edit form, so its fields are the first ones.
    commit_text(page.get_by_label("Company", exact=True).first, company, "Enter")
    commit_text(page.get_by_label("Role", exact=True).first, role)
    set_date(page, "Date of the “no”", day)
    choose(page, "Furthest stage you reached", stage)
    page.get_by_role("button", name="Save rejection").click()
    wait_idle(page)
    expect(alerts(page).filter(has_text=f"Saved. {company} is in your log.")).to_be_visible()


def choose_rejection(page: Page, company: str) -> None:
    choose(page, "The rejection you are working on", re.compile(rf"^{re.escape(company)} — "))
    expect(page.get_by_role("combobox", name="The rejection you are working on")).to_have_value(
        re.compile(rf"^{re.escape(company)} — ")
    )


def save_feedback(page: Page) -> None:
    page.get_by_role("button", name="Save", exact=True).click()
    wait_idle(page)


def email_block(page: Page) -> Locator:
    return page.get_by_test_id("stCode")


def download(page: Page, button: str) -> bytes:
    with page.expect_download() as info:
        page.get_by_role("button", name=button).click()
    got: Download = info.value
    wait_idle(page)  # a download button also reruns the app
    return Path(got.path()).read_bytes()


# -- reading the pattern chart ---------------------------------------------------------------
BARS_JS = """() => {
    const plot = document.querySelector("[data-testid='stPlotlyChart'] .js-plotly-plot");
    if (!plot || !plot.data || !plot.data.length) return null;
    const bar = plot.data[0];
    return {labels: Array.from(bar.y || []), counts: Array.from(bar.x || []),
            shown: [...plot.querySelectorAll('.bartext')].map(t => t.textContent)};
}"""


def stage_bars(page: Page) -> dict[str, int]:
    """Stage label -> count, read from the drawn Plotly chart's own data."""
    expect(page.get_by_test_id("stPlotlyChart").locator(".js-plotly-plot")).to_be_attached()
    page.wait_for_function(f"({BARS_JS})() !== null", timeout=IDLE_TIMEOUT_MS)
    bars = page.evaluate(BARS_JS)
    counts = {label: int(n) for label, n in zip(bars["labels"], bars["counts"], strict=True)}
    # The numbers written at the end of the bars say the same thing.
    assert sorted(bars["shown"]) == sorted(str(n) for n in counts.values()), bars
    return counts


# -- the server shared by the journey and the screenshots -------------------------------------
@dataclass
class Phase2App:
    server: StreamlitServer
    logged: list[str] = field(default_factory=list)


@pytest.fixture(scope="module")
def phase2_app(module_server: ServerFactory, browser: Browser) -> Phase2App:
    """A fresh server on an empty workbook (its first, legacy-mode session is behind it)."""
    return Phase2App(warm_up(browser, module_server()))


def test_feedback_request_and_patterns_journey(phase2_app: Phase2App, page: Page) -> None:
    app = phase2_app.server
    open_page(page, app.url("log"))
    for company, role, stage, day in (NORTHWIND, BLUE_HARBOR):
        log_rejection(page, company, role, stage, day)
        phase2_app.logged.append(company)

    # -- Ask for feedback, about Northwind (the newest one, Blue Harbor, is preselected).
    go_via_sidebar(page, "Ask for feedback")
    assert page.url.endswith("/feedback")
    choose_rejection(page, "Northwind")
    # The "no" was 4 days ago: inside the 3-to-5-day window.
    expect(page.get_by_test_id("stProgress")).to_contain_text("Now is a good time to send")

    commit_text(page.get_by_label(FB.addressee_label, exact=True), ADDRESSEE)
    pick(page, FB.questions_label, QUESTION)
    shown = email_block(page)
    expect(shown).to_contain_text(f"Subject: Feedback on my application for {NORTHWIND[1]}")
    expect(shown).to_contain_text(f"Hello {ADDRESSEE},")
    expect(shown).to_contain_text(QUESTION)

    eml_bytes = download(page, "Download as email (.eml)")
    eml = email.message_from_bytes(eml_bytes, policy=policy.default)
    assert eml["Subject"] == f"Feedback on my application for {NORTHWIND[1]}"
    assert eml["X-Unsent"] == "1"  # mail programs open it as a draft
    body = eml.get_body(preferencelist=("plain",))
    assert body is not None
    body_text = body.get_content()
    assert QUESTION in body_text
    assert f"Hello {ADDRESSEE}," in body_text

    txt = download(page, "Download as text (.txt)").decode()
    assert txt.startswith(f"Subject: Feedback on my application for {NORTHWIND[1]}\n\n")
    assert QUESTION in txt

    # Sent (yesterday), saved.
    set_status(page, "sent")
    set_date(page, FB.sent_on_label, TODAY - timedelta(days=1))
    save_feedback(page)
    expect(alerts(page).filter(has_text="Saved. Asking took courage.")).to_be_visible()
    expect_status(page, "sent")
    expect(email_block(page)).to_contain_text(f"Hello {ADDRESSEE},")  # kept after saving

    # They answered (today), with a theme.
    set_status(page, "answered")
    expect(date_value(page, FB.answered_on_label)).to_have_value(TODAY.isoformat())
    commit_text(page.get_by_label(FB.feedback_label, exact=True), ANSWER)
    pick(page, FB.tags_label, THEME)
    save_feedback(page)
    expect(alerts(page).filter(has_text="Saved. Asking took courage.")).to_be_visible()
    expect_status(page, "answered")

    # A new session reads it all back from the workbook.
    open_page(page, app.url("feedback"))
    choose_rejection(page, "Northwind")
    expect_status(page, "answered")
    expect(page.get_by_label(FB.feedback_label, exact=True)).to_have_value(ANSWER)
    expect(
        page.get_by_test_id("stMultiSelect").filter(has_text=FB.tags_label).get_by_text(THEME)
    ).to_be_visible()
    expect(date_value(page, FB.sent_on_label)).to_have_value(
        (TODAY - timedelta(days=1)).isoformat()
    )

    # -- Patterns: one final round, one technical.
    go_via_sidebar(page, "Patterns")
    assert page.url.endswith("/patterns")
    before = stage_bars(page)
    assert before["Final round"] == 1, before
    assert before["Technical"] == 1, before
    assert sum(before.values()) == 2, before
    late = TEXT.phase2.patterns.findings.late.format(n=2, total=3)
    expect(page.get_by_text(late)).to_have_count(0)
    # The theme from the answer is counted.
    expect(page.get_by_test_id("stDataFrame").locator("td[role=gridcell]")).to_contain_text(
        [THEME, "1"]
    )

    # -- A third "no" at the final round, then the chart again.
    go_via_sidebar(page, "Rejection log")
    log_rejection(page, *CEDAR)
    phase2_app.logged.append(CEDAR[0])
    go_via_sidebar(page, "Patterns")
    after = stage_bars(page)
    assert after["Final round"] == 2, after
    assert after["Technical"] == 1, after
    assert sum(after.values()) == 3, after
    assert {k: v for k, v in after.items() if k != "Final round"} == {
        k: v for k, v in before.items() if k != "Final round"
    }
    # 2 of 3 is a large enough share: the finding appears, with a link to feedback.
    said = page.get_by_test_id("stMarkdownContainer").filter(has_text=late)
    expect(said).to_have_count(1)
    expect(said).to_contain_text("2 of your 3 rejections came at the final round or later")
    finding = said.locator("xpath=ancestor::div[@data-testid='stVerticalBlock'][1]")
    expect(finding.get_by_test_id("stPageLink")).to_contain_text("Ask for feedback")


def test_an_answer_dated_before_the_email_is_refused_next_to_the_field(
    server: ServerFactory, browser: Browser, page: Page
) -> None:
    app = warm_up(browser, server())
    sent_on = TODAY - timedelta(days=2)
    open_page(page, app.url("log"))
    log_rejection(page, "Quiet Co", "Designer", "Recruiter screen", TODAY - timedelta(days=6))
    navigate_in_app(page, app.url("feedback"))

    set_status(page, "sent")
    set_date(page, FB.sent_on_label, sent_on)
    save_feedback(page)
    expect(alerts(page).filter(has_text="Saved. Asking took courage.")).to_be_visible()

    set_status(page, "answered")
    set_date(page, FB.answered_on_label, sent_on - timedelta(days=3))
    commit_text(page.get_by_label(FB.feedback_label, exact=True), "Thanks, no feedback.")
    save_feedback(page)

    message = "The answer is dated before the email was sent. Please check both."
    # Right under "Day they answered": the next element of the page is the message.
    answered = page.get_by_test_id("stDateInput").filter(has_text=FB.answered_on_label)
    next_element = answered.locator(
        "xpath=ancestor::div[@data-testid='stElementContainer'][1]"
        "/following-sibling::div[@data-testid='stElementContainer'][1]"
    )
    expect(next_element.get_by_test_id("stAlert")).to_have_text(re.compile(re.escape(message)))
    expect(alerts(page).filter(has_text=message)).to_have_count(1)
    expect(alerts(page).filter(has_text="Saved.")).to_have_count(0)
    # What was typed is kept, to be corrected.
    expect(date_value(page, FB.answered_on_label)).to_have_value(
        (sent_on - timedelta(days=3)).isoformat()
    )
    expect(page.get_by_label(FB.feedback_label, exact=True)).to_have_value("Thanks, no feedback.")

    # A new session shows what is stored: still "Sent", on the day it was sent.
    open_page(page, app.url("feedback"))
    expect_status(page, "sent")
    expect(date_value(page, FB.sent_on_label)).to_have_value(sent_on.isoformat())
    expect(page.get_by_test_id("stDateInput").filter(has_text=FB.answered_on_label)).to_have_count(
        0
    )
    expect(alerts(page).filter(has_text=message)).to_have_count(0)


@pytest.fixture(scope="module")
def screenshot_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    configured = os.environ.get("REBOUND_SCREENSHOT_DIR", "").strip()
    folder = Path(configured) if configured else tmp_path_factory.mktemp("screenshots")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def test_phase2_pages_after_the_journey_screenshots(
    phase2_app: Phase2App, browser: Browser, screenshot_dir: Path
) -> None:
    app = phase2_app.server
    widths = {DESKTOP["width"]: DESKTOP, PHONE["width"]: PHONE}
    contexts = {
        width: browser.new_context(
            viewport=viewport,
            device_scale_factor=1,
            is_mobile=viewport is PHONE,
            has_touch=viewport is PHONE,
        )
        for width, viewport in widths.items()
    }
    try:
        pages: dict[int, Page] = {}
        for width, ctx in contexts.items():
            ctx.set_default_timeout(IDLE_TIMEOUT_MS)
            pages[width] = ctx.new_page()
        desktop = pages[DESKTOP["width"]]
        if len(phase2_app.logged) < 3:  # run on its own: give the pages something to show
            open_page(desktop, app.url("log"))
            for company, role, stage, day in (NORTHWIND, BLUE_HARBOR, CEDAR):
                if company not in phase2_app.logged:
                    log_rejection(desktop, company, role, stage, day)
                    phase2_app.logged.append(company)
        # Show the rejection that has an answer (the choice is kept in the workbook).
        open_page(desktop, app.url("feedback"))
        choose_rejection(desktop, "Northwind")

        written: list[Path] = []
        for n, key in enumerate(PHASE2_PAGES):
            for width, page in pages.items():
                page.set_viewport_size(widths[width])
                if n == 0:
                    open_page(page, app.url(key))
                else:
                    begin_navigate(page, app.url(key))
                    finish_navigate(page)
                show_everything(page, width)
                path = screenshot_dir / f"phase2-{width}-{key}.png"
                path.unlink(missing_ok=True)
                page.screenshot(path=path, full_page=True, animations="disabled")
                written.append(path)
    finally:
        for ctx in contexts.values():
            ctx.close()
    assert len(written) == 8
    for path in written:
        assert path.stat().st_size > 15_000, f"{path.name} looks empty"


EMPTY_MESSAGE_JS = """() => {
    const chart = document.querySelector("[data-testid='stPlotlyChart']");
    const note = chart && chart.querySelector('.annotation-text');
    if (!note) return null;
    const box = chart.getBoundingClientRect(), text = note.getBoundingClientRect();
    // Wrapped lines are separate <tspan class="line"> elements: read them as a person does.
    const lines = [...note.querySelectorAll('tspan.line')].map(t => t.textContent);
    return {text: lines.length ? lines.join(' ') : note.textContent,
            chartLeft: box.left, chartRight: box.right,
            textLeft: text.left, textRight: text.right};
}"""


def test_the_empty_direction_chart_message_fits_a_phone(
    phase2_app: Phase2App, browser: Browser
) -> None:
    ctx = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    ctx.set_default_timeout(IDLE_TIMEOUT_MS)
    try:
        page = ctx.new_page()
        open_page(page, phase2_app.server.url("reassess"))  # no directions in this workbook
        page.wait_for_function(f"({EMPTY_MESSAGE_JS})() !== null", timeout=IDLE_TIMEOUT_MS)
        shown = page.evaluate(EMPTY_MESSAGE_JS)
    finally:
        ctx.close()
    assert shown["text"] == TEXT.phase2.reassess.empty
    assert shown["textLeft"] >= shown["chartLeft"] - 1, shown
    assert shown["textRight"] <= shown["chartRight"] + 1, shown
