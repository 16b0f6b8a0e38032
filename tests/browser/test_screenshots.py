"""Every page, once, at desktop and phone width, on an empty and a heavy workbook:
full-page screenshots, and the axe-core audit of the desktop view.

Screenshots land in ``$REBOUND_SCREENSHOT_DIR`` (default: a temporary folder) as
``<workbook>-<width>-<page>.png``, for a person to look at; the test checks that each one
was written and is not trivially small (an empty or broken page). The audit
(:func:`tests.browser.test_accessibility.audit`) runs on the same page in the same state,
so every page is loaded once for both (it used to be loaded twice, at a minute each).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from playwright.sync_api import Browser

from workbook.navigation import PAGES

from .conftest import (
    DESKTOP,
    IDLE_TIMEOUT_MS,
    PHONE,
    StreamlitServer,
    begin_navigate,
    begin_open,
    finish_navigate,
    finish_open,
    show_everything,
)
from .test_accessibility import audit

pytestmark = pytest.mark.browser

MIN_BYTES = 15_000  # a blank 390-px-wide page is a few kB; a real page is far more
WIDTHS = {"desktop": DESKTOP, "phone": PHONE}


@pytest.fixture(scope="module")
def screenshot_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    configured = os.environ.get("REBOUND_SCREENSHOT_DIR", "").strip()
    folder = Path(configured) if configured else tmp_path_factory.mktemp("screenshots")
    folder.mkdir(parents=True, exist_ok=True)
    print(f"\nscreenshots go to {folder}")
    return folder


def shoot_every_page(
    browser: Browser,
    server: StreamlitServer,
    workbook: str,
    folder: Path,
    widths: dict[str, dict[str, int]] = WIDTHS,
) -> tuple[list[Path], dict[str, list[str]]]:
    """Every page at every width; the widths load side by side to save time.

    Returns the screenshots and, per page, the blocking axe findings at desktop width.
    """
    written: list[Path] = []
    problems: dict[str, list[str]] = {}
    contexts = {
        name: browser.new_context(
            viewport=viewport,
            device_scale_factor=1,
            is_mobile=name == "phone",
            has_touch=name == "phone",
        )
        for name, viewport in widths.items()
    }
    try:
        pages = {}
        for name, ctx in contexts.items():
            ctx.set_default_timeout(IDLE_TIMEOUT_MS)
            pages[name] = ctx.new_page()
        for n, spec in enumerate(PAGES.values()):
            url = server.url("" if spec.default else spec.url_path)
            for name, page in pages.items():
                page.set_viewport_size(WIDTHS[name])
                # The first page is a real load; the others are reached in-app (fast).
                (begin_open if n == 0 else begin_navigate)(page, url)
            for name, page in pages.items():
                (finish_open if n == 0 else finish_navigate)(page)
                show_everything(page, WIDTHS[name]["width"])
                path = folder / f"{workbook}-{name}-{spec.key}.png"
                path.unlink(missing_ok=True)
                page.screenshot(path=path, full_page=True, animations="disabled")
                written.append(path)
                if name == "desktop":
                    found = audit(page, f"{workbook} workbook, /{spec.url_path}")
                    if found:
                        problems[spec.url_path] = found
    finally:
        for ctx in contexts.values():
            ctx.close()
    return written, problems


def check(result: tuple[list[Path], dict[str, list[str]]], widths: int = len(WIDTHS)) -> None:
    written, problems = result
    assert not problems, "axe found serious or critical problems:\n" + "\n".join(
        f"/{path}:\n  " + "\n  ".join(found) for path, found in problems.items()
    )
    assert len(written) == widths * len(PAGES)
    for path in written:
        assert path.is_file(), f"{path} was not written"
        size = path.stat().st_size
        assert size > MIN_BYTES, f"{path} is only {size} bytes: a blank or broken page?"


def test_every_page_of_an_empty_workbook_screenshots_and_axe(
    browser: Browser, shared_server: StreamlitServer, screenshot_dir: Path
) -> None:
    check(shoot_every_page(browser, shared_server, "empty", screenshot_dir))


def test_every_page_of_a_heavy_workbook_screenshots_and_axe(
    browser: Browser, heavy_server: StreamlitServer, screenshot_dir: Path
) -> None:
    # Desktop only: phone width is covered on the empty workbook and, with long real data,
    # by the journeys' phone screenshots; this halves the slowest test in the suite.
    desktop = {"desktop": DESKTOP}
    check(shoot_every_page(browser, heavy_server, "heavy", screenshot_dir, desktop), 1)
