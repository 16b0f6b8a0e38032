"""Browser tests: a real Chromium (Debian's) against a real ``streamlit run app.py`` server,
started as ``make run`` starts it (``python -m workbook.ui.serve``).

Fixtures:

- ``browser``: one headless Chromium for the whole session. Missing Chromium FAILS the
  tests (never skips): these tests are the only proof the app works in a browser.
- ``server``: a factory; ``server()`` starts a fresh server on a free port with its own
  empty data folder, ``server(data_dir)`` starts one on an existing folder. A server can
  be ``stop()``-ed and ``start()``-ed again on the same data folder. All are terminated
  at teardown.
- ``shared_server`` / ``heavy_server``: one server per session on an empty workbook and
  on ``python -m workbook.demo --heavy``, for tests that only read.

Helpers ``open_page`` / ``wait_idle`` / ``assert_no_exception`` wait for Streamlit the
way its own e2e tests do (the ``data-test-script-state`` attribute on ``stApp``).
"""

from __future__ import annotations

import contextlib
import http.client
import os
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, Locator, Page, sync_playwright

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
AXE_JS = ROOT / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
HEALTH_TIMEOUT = 30.0
IDLE_TIMEOUT_MS = 30_000

APP_IDLE = "[data-testid='stApp'][data-test-script-state='notRunning']"


# -- the server ------------------------------------------------------------------------
def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class StreamlitServer:
    """One ``streamlit run app.py`` subprocess on a data folder; restartable."""

    def __init__(self, data_dir: Path, log_dir: Path) -> None:
        self.data_dir = data_dir
        self.log_dir = log_dir
        self.port: int | None = None
        self.process: subprocess.Popen[bytes] | None = None
        self._starts = 0

    @property
    def base_url(self) -> str:
        assert self.port is not None, "server is not running"
        return f"http://127.0.0.1:{self.port}"

    def url(self, path: str = "") -> str:
        return f"{self.base_url}/{path.lstrip('/')}"

    def start(self) -> StreamlitServer:
        assert self.process is None, "server already running"
        self._starts += 1
        self.port = free_port()
        self.log_dir.mkdir(parents=True, exist_ok=True)
        self.log = self.log_dir / f"server-{self._starts}.log"
        env = {**os.environ, "REBOUND_DATA_DIR": str(self.data_dir), "PYTHONUNBUFFERED": "1"}
        with self.log.open("wb") as log:
            # Output goes to a file, not a pipe: a full pipe would block the server.
            self.process = subprocess.Popen(
                [
                    # How `make run` starts it: Streamlit's own `streamlit run app.py`,
                    # in-process, with legacy pages/ mode off (see workbook/ui/serve.py).
                    sys.executable,
                    "-m",
                    "workbook.ui.serve",
                    "--server.port",
                    str(self.port),
                    "--server.headless",
                    "true",
                    "--server.address",
                    "127.0.0.1",
                    "--browser.gatherUsageStats",
                    "false",
                ],
                cwd=ROOT,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        self._wait_healthy()
        return self

    def _wait_healthy(self) -> None:
        assert self.process is not None
        deadline = time.monotonic() + HEALTH_TIMEOUT
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                pytest.fail(
                    f"streamlit exited with {self.process.returncode} before answering:\n"
                    f"{self.output()}"
                )
            if self._health() == "ok":
                return
            time.sleep(0.1)
        self.stop()
        pytest.fail(
            f"streamlit did not answer 'ok' within {HEALTH_TIMEOUT:.0f} s:\n{self.output()}"
        )

    def _health(self) -> str | None:
        assert self.port is not None
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=2)
        try:
            connection.request("GET", "/_stcore/health")
            return connection.getresponse().read().decode().strip()
        except (OSError, http.client.HTTPException):
            return None
        finally:
            connection.close()

    def output(self) -> str:
        try:
            return self.log.read_text(errors="replace")
        except (AttributeError, OSError):
            return "(no output)"

    def stop(self) -> None:
        if self.process is None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=10)
        self.process = None
        self.port = None


class ServerPool:
    """Starts servers and always terminates them."""

    def __init__(self, base: Path) -> None:
        self.base = base
        self.servers: list[StreamlitServer] = []

    def __call__(self, data_dir: Path | None = None) -> StreamlitServer:
        n = len(self.servers) + 1
        if data_dir is None:
            data_dir = self.base / f"data-{n}"
            data_dir.mkdir(parents=True)
        server = StreamlitServer(data_dir, self.base / f"logs-{n}")
        self.servers.append(server)
        return server.start()

    def close(self) -> None:
        for server in self.servers:
            with contextlib.suppress(Exception):
                server.stop()


ServerFactory = Callable[..., StreamlitServer]


@pytest.fixture
def server(tmp_path: Path) -> Iterator[ServerFactory]:
    """``server()`` → a fresh server on an empty data folder; ``server(dir)`` → on ``dir``."""
    pool = ServerPool(tmp_path)
    try:
        yield pool
    finally:
        pool.close()


@pytest.fixture(scope="module")
def module_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerFactory]:
    """Like ``server``, for servers shared by the tests of one module."""
    pool = ServerPool(tmp_path_factory.mktemp("module-servers"))
    try:
        yield pool
    finally:
        pool.close()


@pytest.fixture(scope="session")
def _session_pool(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerPool]:
    pool = ServerPool(tmp_path_factory.mktemp("session-servers"))
    try:
        yield pool
    finally:
        pool.close()


def warm_up(browser: Browser, server: StreamlitServer) -> StreamlitServer:
    """Open the home page once, so the server's first session is behind us.

    The very first session after a start runs in Streamlit's legacy multipage mode
    (the project has a ``pages/`` folder); ``test_deep_links`` checks that case on
    fresh servers. Shared servers are warmed up so other tests see normal sessions.
    """
    ctx = browser.new_context(viewport=DESKTOP)
    ctx.set_default_timeout(IDLE_TIMEOUT_MS)
    try:
        page = ctx.new_page()
        open_page(page, server.url())
    finally:
        ctx.close()
    return server


@pytest.fixture(scope="session")
def shared_server(_session_pool: ServerPool, browser: Browser) -> StreamlitServer:
    """A server on an empty workbook, shared by tests that only read (never write to it)."""
    return warm_up(browser, _session_pool())


@pytest.fixture(scope="session")
def heavy_server(
    _session_pool: ServerPool, browser: Browser, tmp_path_factory: pytest.TempPathFactory
) -> StreamlitServer:
    """A server on the heavy demo workbook (about three years of use); read only."""
    data_dir = tmp_path_factory.mktemp("heavy-data")
    subprocess.run(
        [sys.executable, "-m", "workbook.demo", "--heavy", "--data-dir", str(data_dir)],
        cwd=ROOT,
        check=True,
        capture_output=True,
        timeout=120,
    )
    return warm_up(browser, _session_pool(data_dir))


# -- the browser -----------------------------------------------------------------------
@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if not CHROMIUM.exists():
        pytest.fail(
            f"Debian's chromium is required at {CHROMIUM}: apt-get install -y chromium",
            pytrace=False,
        )
    playwright = sync_playwright().start()
    try:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()
    finally:
        playwright.stop()


@pytest.fixture
def context(browser: Browser) -> Iterator[BrowserContext]:
    ctx = browser.new_context(viewport=DESKTOP)
    ctx.set_default_timeout(IDLE_TIMEOUT_MS)
    try:
        yield ctx
    finally:
        ctx.close()


@pytest.fixture
def page(context: BrowserContext) -> Page:
    return context.new_page()


# -- waiting for Streamlit ---------------------------------------------------------------
IDLE_JS = """() => {
    const app = document.querySelector("[data-testid='stApp']");
    return !!app
        && app.getAttribute('data-test-connection-state') === 'CONNECTED'
        && app.getAttribute('data-test-script-state') === 'notRunning'
        && !document.querySelector("[data-testid='stStatusWidgetRunningIcon']")
        && !document.querySelector("[data-testid='stSkeleton']");
}"""


def wait_idle(page: Page, *, initial_wait_ms: int = 250) -> None:
    """Wait until the script run triggered by the last action has finished.

    Like Streamlit's own ``wait_for_app_run``: a short wait lets a just-sent rerun
    request reach the app (widgets debounce), then the app must be connected
    (``data-test-connection-state='CONNECTED'``), its script state ``notRunning``
    (``[data-testid='stApp'][data-test-script-state='notRunning']``), with no running
    indicator in the status widget and no skeleton left (widgets whose code is loaded
    lazily show ``stSkeleton`` until it arrives). Checked on every animation frame.
    """
    if initial_wait_ms:
        page.wait_for_timeout(initial_wait_ms)
    page.wait_for_selector(APP_IDLE, state="attached", timeout=IDLE_TIMEOUT_MS)
    page.wait_for_function(IDLE_JS, polling="raf", timeout=IDLE_TIMEOUT_MS)
    assert_no_exception(page)


def assert_no_exception(page: Page) -> None:
    exceptions = page.get_by_test_id("stException")
    if exceptions.count():
        pytest.fail(
            f"Streamlit shows an exception on {page.url}:\n"
            + "\n---\n".join(exceptions.all_inner_texts())
        )


def begin_open(page: Page, url: str) -> None:
    """Start loading ``url`` without waiting for the app (pair with ``finish_open``)."""
    page.goto(url, wait_until="commit")


def finish_open(page: Page) -> None:
    page.wait_for_selector(
        "[data-testid='stAppViewContainer']", state="attached", timeout=IDLE_TIMEOUT_MS
    )
    # A fresh load starts in script state "initial", so no head start is needed here.
    wait_idle(page, initial_wait_ms=0)


def open_page(page: Page, url: str) -> None:
    """Load ``url`` and wait until the app has run to the end without an exception."""
    begin_open(page, url)
    finish_open(page)


NAVIGATE_JS = """(url) => {
    const h1 = document.querySelector("[data-testid='stMain'] h1");
    window.__reboundTitleBefore = h1 ? h1.innerText : null;
    history.pushState({}, '', url);
    window.dispatchEvent(new PopStateEvent('popstate', {state: {}}));
}"""

# The new page has arrived once its h1 differs from the old one. (Watching the script
# state is not enough: a fast run can go running -> notRunning within one render.)
ARRIVED_JS = """() => {
    const h1 = document.querySelector("[data-testid='stMain'] h1");
    return !!h1 && h1.innerText !== window.__reboundTitleBefore;
}"""


def begin_navigate(page: Page, url: str) -> None:
    """Go to another page of the open app the way the browser's back/forward buttons do.

    No reload of Streamlit's frontend: much faster than ``goto`` for visiting every
    page. Pair with ``finish_navigate``. Only for going to a page with another title.
    """
    page.evaluate(NAVIGATE_JS, url)


def finish_navigate(page: Page) -> None:
    page.wait_for_function(ARRIVED_JS, polling="raf", timeout=IDLE_TIMEOUT_MS)
    wait_idle(page, initial_wait_ms=0)


def navigate_in_app(page: Page, url: str) -> None:
    begin_navigate(page, url)
    finish_navigate(page)


def nav_link(page: Page, title: str) -> Locator:
    """The sidebar navigation link whose label is exactly ``title``."""
    return page.get_by_test_id("stSidebarNavLink").filter(has=page.get_by_text(title, exact=True))


def go_via_sidebar(page: Page, title: str) -> None:
    """Click a page in the sidebar menu and wait until that page has run."""
    page.evaluate(
        """() => {
            const h1 = document.querySelector("[data-testid='stMain'] h1");
            window.__reboundTitleBefore = h1 ? h1.innerText : null;
        }"""
    )
    nav_link(page, title).click()
    finish_navigate(page)


def main_scroll_height(page: Page) -> int:
    """Height of the main content: Streamlit scrolls inside ``stMain``, not the document."""
    return int(
        page.evaluate(
            """() => {
                const main = document.querySelector("[data-testid='stMain']");
                return Math.max(main ? main.scrollHeight : 0,
                                document.documentElement.scrollHeight);
            }"""
        )
    )


def show_everything(page: Page, width: int) -> int:
    """Make the viewport as tall as the content, so nothing is scrolled out of view.

    Streamlit scrolls inside ``stMain``: a plain full-page screenshot would cut the page
    at the viewport, and axe's contrast check skips what is outside the viewport.
    Returns the height used.
    """
    base = DESKTOP["height"] if width >= DESKTOP["width"] else PHONE["height"]
    height = base
    for _ in range(3):  # the layout can grow once more after a resize (charts, wrapping)
        wanted = max(base, main_scroll_height(page))
        if wanted == height and page.viewport_size == {"width": width, "height": height}:
            break
        height = wanted
        page.set_viewport_size({"width": width, "height": height})
        page.wait_for_timeout(250)
    return height
