"""The workbook by keyboard alone: reach every field with Tab, type, and save."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from .conftest import ServerFactory, open_page, wait_idle

pytestmark = pytest.mark.browser

MAX_TABS = 80  # a generous bound: the sidebar menu comes first in the tab order

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


def test_a_rejection_can_be_logged_with_the_keyboard_only(
    server: ServerFactory, page: Page
) -> None:
    app = server()
    open_page(page, app.url("log"))
    page.locator("body").focus()
    tab_to(page, "Company")
    page.keyboard.type("Keyboard Co")
    tab_to(page, "Role")
    page.keyboard.type("Analyst")
    focused = tab_to(page, "Save rejection")
    assert focused["tag"] == "BUTTON"
    page.keyboard.press("Enter")
    wait_idle(page)
    expect(
        page.get_by_test_id("stAlert").filter(has_text="Keyboard Co is in your log")
    ).to_be_visible()


def test_a_feeling_can_be_checked_in_with_the_keyboard_only(
    server: ServerFactory, page: Page
) -> None:
    app = server()
    open_page(page, app.url("log"))
    page.get_by_label("Company", exact=True).fill("Acme")
    page.get_by_label("Company", exact=True).press("Tab")
    page.get_by_label("Role", exact=True).fill("Analyst")
    page.get_by_label("Role", exact=True).press("Tab")
    wait_idle(page)
    page.get_by_role("button", name="Save rejection").click()
    wait_idle(page)
    open_page(page, app.url("feelings"))
    page.locator("body").focus()
    tab_to(page, "Other feelings, in your own words (separate with commas)")
    page.keyboard.type("tired, hopeful")
    tab_to(page, "Journal (optional)")
    page.keyboard.type("Typed without a mouse.")
    tab_to(page, "Save check-in")
    page.keyboard.press("Enter")
    wait_idle(page)
    expect(page.get_by_test_id("stAlert").filter(has_text="Check-in saved")).to_be_visible()
    expect(page.get_by_text("Typed without a mouse.", exact=True)).to_be_visible()
