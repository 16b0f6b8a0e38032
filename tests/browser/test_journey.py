"""The foundation journey in a real browser against a real server, across a restart."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, timedelta

import pytest
from playwright.sync_api import Browser, Dialog, Locator, Page, expect

from workbook import content

from .conftest import (
    DESKTOP,
    IDLE_TIMEOUT_MS,
    ServerFactory,
    StreamlitServer,
    go_via_sidebar,
    open_page,
    wait_idle,
    warm_up,
)

pytestmark = pytest.mark.browser

TEXT = content.load()
COMPANY = "Northwind Traders"
ROLE = "Data Analyst"
JOURNAL = "I really wanted this one. Tomorrow I will go for a long walk."
DRAFT = "Dear hiring team, I think you made a mistake and I am furious about it."
BAD_ROLE = "<script>alert(1)</script> **bold** $x$ :red[hi]"


def commit_text(field: Locator, value: str, key: str = "Tab") -> None:
    """Type into a Streamlit text widget and commit it (Enter or Tab), then wait."""
    field.click()
    field.fill(value)
    field.press(key)
    wait_idle(field.page)


def open_add_form(page: Page) -> None:
    """Show the "Add a rejection" fields if they are folded away (expander or toggle)."""
    company = page.get_by_label("Company", exact=True)
    if company.count() and company.first.is_visible():
        return
    expander = page.get_by_test_id("stExpander").filter(has_text="Add a rejection")
    if expander.count():
        expander.first.locator("summary").click()
    else:
        # A toggle such as "Add another rejection".
        switch = page.get_by_test_id("stCheckbox").filter(has_text=re.compile(r"[Aa]dd"))
        switch.first.locator("label").first.click()
    wait_idle(page)
    expect(company.first).to_be_visible()


def add_rejection(page: Page, company: str, role: str) -> None:
    open_add_form(page)
    # The add form comes before the edit form, so its fields are the first ones.
    commit_text(page.get_by_label("Company", exact=True).first, company, "Enter")
    commit_text(page.get_by_label("Role", exact=True).first, role, "Tab")
    # The date of the "no" is left at today, as the form seeds it.
    date_of_no = page.get_by_test_id("stDateInput").filter(has_text="Date of the “no”")
    no_day = date_of_no.first.locator("input").input_value()
    today = date.today()
    assert no_day in {today.isoformat(), (today - timedelta(days=1)).isoformat()}, no_day
    page.get_by_role("button", name="Save rejection").click()
    wait_idle(page)


def alerts(page: Page) -> Locator:
    return page.get_by_test_id("stAlert")


def grid_cells(page: Page) -> Locator:
    # st.dataframe draws on a canvas; glide-data-grid keeps an accessible table in the DOM.
    return page.get_by_test_id("stDataFrame").locator("td[role=gridcell]")


def save_checkin(page: Page) -> None:
    feelings = page.get_by_test_id("stMultiSelect").filter(has_text="Feelings")
    feelings.locator("input").click()
    page.get_by_role("option", name="Disappointed", exact=True).click()
    wait_idle(page)
    page.keyboard.press("Escape")
    journal = page.get_by_label(TEXT.phase1.feelings.journal_label, exact=True)
    commit_text(journal, JOURNAL)
    page.get_by_role("button", name="Save check-in").click()
    wait_idle(page)


def save_draft(page: Page) -> None:
    body = page.get_by_label(TEXT.phase1.drafts.body_label, exact=True)
    commit_text(body, DRAFT)
    page.get_by_role("button", name="Keep it here, unsent").click()
    wait_idle(page)


@contextmanager
def fresh_page(browser: Browser) -> Iterator[Page]:
    """A page in a new browser context (no cookies, no cache, a new Streamlit session)."""
    context = browser.new_context(viewport=DESKTOP)
    context.set_default_timeout(IDLE_TIMEOUT_MS)
    try:
        yield context.new_page()
    finally:
        context.close()


def test_journey_survives_a_restart(browser: Browser, server: ServerFactory) -> None:
    app = server()
    with fresh_page(browser) as page:
        open_page(page, app.url())
        expect(page.locator("h1")).to_have_text(TEXT.start.home.title)

        # Rejection log: add one, with the date of the "no" left at today.
        go_via_sidebar(page, "Rejection log")
        assert page.url.endswith("/log")
        add_rejection(page, COMPANY, ROLE)
        expect(alerts(page).filter(has_text="is in your log")).to_contain_text(COMPANY)
        expect(grid_cells(page).filter(has_text=COMPANY)).to_have_count(1)

        # Feelings check-in.
        go_via_sidebar(page, "Feelings check-in")
        assert page.url.endswith("/feelings")
        save_checkin(page)
        expect(alerts(page).filter(has_text="Check-in saved")).to_be_visible()
        expect(page.get_by_text(JOURNAL, exact=True)).to_be_visible()

        # An unsent draft.
        go_via_sidebar(page, "Unsent drafts")
        assert page.url.endswith("/drafts")
        save_draft(page)
        expect(alerts(page).filter(has_text="Saved here, safely unsent")).to_be_visible()

    # Stop the server, start it again on the same data folder, in a fresh browser.
    data_dir = app.data_dir
    app.stop()
    app.start()
    assert app.data_dir == data_dir
    with fresh_page(browser) as page:
        open_page(page, app.url("log"))
        expect(grid_cells(page).filter(has_text=COMPANY)).to_have_count(1)

        open_page(page, app.url("feelings"))
        expect(page.get_by_text(JOURNAL, exact=True)).to_be_visible()
        expect(page.get_by_text("Disappointed", exact=True).first).to_be_visible()

        open_page(page, app.url("drafts"))
        expect(page.get_by_text(DRAFT, exact=True)).to_be_visible()

        open_page(page, app.url("window"))
        progress = page.get_by_test_id("stProgress")
        expect(progress).to_contain_text(re.compile(r"\d+ (day|hour)s?\b.* left"))


@pytest.fixture(scope="module")
def log_app(module_server: ServerFactory, browser: Browser) -> StreamlitServer:
    """One server for the journey checks that need no restart."""
    return warm_up(browser, module_server())


def test_unsaved_text_survives_switching_pages(log_app: StreamlitServer, page: Page) -> None:
    text = "Half a thought I have not saved yet"
    open_page(page, log_app.url("feelings"))
    journal = page.get_by_label(TEXT.phase1.feelings.journal_label, exact=True)
    journal.click()
    journal.fill(text)
    journal.press("Tab")  # focus moves out: Streamlit commits the text area
    wait_idle(page)

    go_via_sidebar(page, "Why it hurts")
    expect(page.locator("h1")).to_have_text(TEXT.start.why_it_hurts.title)
    go_via_sidebar(page, "Feelings check-in")
    expect(page.get_by_label(TEXT.phase1.feelings.journal_label, exact=True)).to_have_value(text)


def assert_nothing_became_markup(page: Page) -> None:
    injected = page.evaluate(
        """() => [...document.querySelectorAll('script')]
                  .filter(s => (s.textContent || '').includes('alert(1)')).length"""
    )
    assert injected == 0, "a <script> with the typed text was put into the page"
    main = page.get_by_test_id("stMain")
    expect(main.locator("strong", has_text=re.compile(r"^bold$"))).to_have_count(0)
    expect(main.locator(".katex")).to_have_count(0)  # $x$ was not turned into maths
    expect(main.locator("span", has_text=re.compile(r"^hi$"))).to_have_count(0)  # no :red[]


def test_hostile_text_is_shown_literally(log_app: StreamlitServer, page: Page) -> None:
    dialogs: list[str] = []

    def on_dialog(dialog: Dialog) -> None:
        dialogs.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", on_dialog)
    open_page(page, log_app.url("log"))
    add_rejection(page, "Careful Co", BAD_ROLE)
    expect(alerts(page).filter(has_text="is in your log")).to_contain_text("Careful Co")

    # The table cell holds exactly what was typed.
    cells = grid_cells(page).filter(has_text="<script>")
    expect(cells).to_have_count(1)
    assert cells.first.inner_text() == BAD_ROLE
    assert_nothing_became_markup(page)

    # Home shows the rejection being worked on through markdown: it must stay literal.
    go_via_sidebar(page, "Home")
    shown = page.get_by_test_id("stMarkdownContainer").filter(has_text=BAD_ROLE)
    expect(shown).to_have_count(1)
    assert BAD_ROLE in shown.inner_text()
    assert_nothing_became_markup(page)

    # Reload the log: the saved text still shows literally and still runs nothing.
    open_page(page, log_app.url("log"))
    expect(grid_cells(page).filter(has_text=BAD_ROLE)).to_have_count(1)
    assert_nothing_became_markup(page)
    page.wait_for_timeout(300)
    assert dialogs == [], f"the typed text opened a browser dialog: {dialogs}"
