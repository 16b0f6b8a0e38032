"""Every page opens straight from its URL, with the same title and menu as through the menu.

A deep link that is the very FIRST request to a fresh server is the hard case: Streamlit
decides then whether the app uses ``st.navigation`` or the legacy ``pages/`` folder mode.
/feelings and /data are checked that way (one fresh server each); the other pages on a
shared server, each in a new session, four tabs loading side by side. Seeing every section
header and page title in the sidebar proves ``app.py`` ran its ``st.navigation`` (legacy
mode would list files, not these titles).
"""

from __future__ import annotations

from urllib.parse import urlparse

import pytest
from playwright.sync_api import Browser, Page, Request, expect

from workbook import content
from workbook.navigation import PAGES, SECTIONS, PageSpec

from .conftest import (
    DESKTOP,
    IDLE_TIMEOUT_MS,
    ServerFactory,
    StreamlitServer,
    begin_open,
    finish_open,
    go_via_sidebar,
    open_page,
)

pytestmark = pytest.mark.browser

TEXT = content.load()
# The h1 of each page: the title its st.title(...) shows (from the content files).
H1 = {
    "home": TEXT.start.home.title,
    "rejections": TEXT.rejections.title,
    "why": TEXT.start.why_it_hurts.title,
    "window": TEXT.phase1.window.title,
    "feelings": TEXT.phase1.feelings.title,
    "outlets": TEXT.phase1.outlets.title,
    "self_talk": TEXT.phase1.self_talk.title,
    "avoid": TEXT.phase1.avoid.title,
    "drafts": TEXT.phase1.drafts.title,
    "review": TEXT.phase2.review.title,
    "feedback": TEXT.phase2.feedback.title,
    "patterns": TEXT.phase2.patterns.title,
    "reassess": TEXT.phase2.reassess.title,
    "wins": TEXT.phase3.wins.title,
    "skills": TEXT.phase3.skills.title,
    "team": TEXT.phase3.team.title,
    "current": TEXT.phase3.current.title,
    "materials": TEXT.phase4.materials.title,
    "channels": TEXT.phase4.channels.title,
    "doors": TEXT.phase4.doors.title,
    "reframe": TEXT.phase5.reframe.title,
    "growth": TEXT.phase5.growth.title,
    "beyond": TEXT.phase5.beyond.title,
    "persistence": TEXT.phase5.persistence.title,
    "dashboard": TEXT.phase5.dashboard.title,
    "export": TEXT.progress.export.title,
    "data": "Your data",
}
COLD = ["feelings", "data"]  # keys opened as a fresh server's first request
TABS = 4  # pages loading side by side on the running server
WARM = [key for key in PAGES if key not in COLD]


class PageNotFoundShown(AssertionError):
    """Streamlit's "Page not found" dialog was shown over a page that exists."""


def test_every_page_has_an_expected_title() -> None:
    assert set(H1) == set(PAGES)


def assert_page_and_menu(page: Page, spec: PageSpec) -> None:
    expect(page.locator("h1")).to_have_count(1)
    expect(page.locator("h1")).to_have_text(H1[spec.key])
    # Streamlit shows the default page at "/", whatever its url_path says.
    assert urlparse(page.url).path.strip("/") in (
        {"", spec.url_path} if spec.default else {spec.url_path}
    )

    nav = page.get_by_test_id("stSidebarNav")
    expect(nav).to_be_visible()
    headers = nav.get_by_test_id("stNavSectionHeader").get_by_test_id("stMarkdownContainer")
    expect(headers).to_have_text(list(SECTIONS))
    links = nav.get_by_test_id("stSidebarNavLink")
    expect(links).to_have_count(len(PAGES))
    for spec_ in PAGES.values():
        expect(links.filter(has=page.get_by_text(spec_.title, exact=True))).to_have_count(1)
    # The page opened is the one the menu marks as current.
    current = nav.locator("[data-testid='stSidebarNavLink'][aria-current='page']")
    expect(current).to_have_count(1)
    expect(current).to_contain_text(spec.title)


def assert_no_page_not_found(page: Page) -> None:
    dialog = page.get_by_role("dialog").filter(has_text="Page not found")
    page.wait_for_timeout(200)
    if dialog.count():
        raise PageNotFoundShown(
            f"{page.url} shows the right page, but under a 'Page not found' dialog: "
            + dialog.first.inner_text().replace("\n", " ")
        )


@pytest.mark.parametrize("key", COLD)
def test_deep_link_as_first_request_to_a_fresh_server(
    key: str, server: ServerFactory, page: Page
) -> None:
    spec = PAGES[key]
    app = server()
    open_page(page, app.url(spec.url_path))
    assert_page_and_menu(page, spec)
    assert_no_page_not_found(page)


def test_deep_links_on_a_running_server(shared_server: StreamlitServer, browser: Browser) -> None:
    """Every other page from its URL, each in a new session (a new context per tab)."""
    failures: dict[str, str] = {}
    for start in range(0, len(WARM), TABS):
        batch = WARM[start : start + TABS]
        contexts = [browser.new_context(viewport=DESKTOP) for _ in batch]
        try:
            tabs = []
            for ctx, key in zip(contexts, batch, strict=True):
                ctx.set_default_timeout(IDLE_TIMEOUT_MS)
                tab = ctx.new_page()
                begin_open(tab, shared_server.url(PAGES[key].url_path))
                tabs.append(tab)
            for tab, key in zip(tabs, batch, strict=True):
                try:
                    finish_open(tab)
                    assert_page_and_menu(tab, PAGES[key])
                    assert_no_page_not_found(tab)
                except AssertionError as exc:
                    failures[key] = str(exc).splitlines()[0]
        finally:
            for ctx in contexts:
                ctx.close()
    assert not failures, "\n".join(f"/{PAGES[k].url_path}: {why}" for k, why in failures.items())
    assert len(WARM) == len(PAGES) - len(COLD)


def test_root_url_opens_the_default_page(shared_server: StreamlitServer, page: Page) -> None:
    default = next(spec for spec in PAGES.values() if spec.default)
    open_page(page, shared_server.url())
    assert_page_and_menu(page, default)
    assert_no_page_not_found(page)


def test_no_request_leaves_this_computer(shared_server: StreamlitServer, browser: Browser) -> None:
    ctx = browser.new_context(viewport=DESKTOP)
    ctx.set_default_timeout(IDLE_TIMEOUT_MS)
    outside: list[str] = []

    def note(request: Request) -> None:
        host = urlparse(request.url).hostname
        if request.url.startswith(("http:", "https:", "ws:", "wss:")) and host != "127.0.0.1":
            outside.append(request.url)

    ctx.on("request", note)
    try:
        page = ctx.new_page()
        open_page(page, shared_server.url())
        # Every page, as a person would open them; Home (already open) last.
        for spec in sorted(PAGES.values(), key=lambda spec: spec.default):
            go_via_sidebar(page, spec.title)
        page.wait_for_timeout(300)
    finally:
        ctx.close()
    assert outside == []
