"""Cohort hosting in a real browser: participants, the facilitator, and what stays private.

A workshop ("Spring", facilitator Sam) is created in a data folder before its server
starts, as ``python -m workbook cohort init`` would. Three servers are used:

- ``workshop``: two participants, Ada and Bo, join with their own invite codes in two
  browser contexts and each log a win with a marker sentence (the ``pair`` fixture). The
  isolation, facilitator, invite-reuse, screenshot and axe tests run against it. Nothing
  else joins it, so its overview always shows exactly two participants.
- ``crowd``: a workshop with one participant (Robin) made before the server starts; the
  sign-in throttling and hostile-names tests (which add people) run against it.
- a fresh server per run of the deep-link test, whose very first request is a deep link.

Sign-in lives in the Streamlit session only: a reload or ``goto`` starts a new session
signed out, so once signed in the tests move by clicking the sidebar. The participant's
sidebar folds its long list behind "View N more"; ``go`` unfolds it when needed.

Screenshots (1280 px; the sign-in page also at 390 px) go to ``$REBOUND_SCREENSHOT_DIR``
(default: a temporary folder) as ``cohort-<width>-<page>.png``.
"""

from __future__ import annotations

import os
import re
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, Dialog, Locator, Page, expect

from workbook import config, content
from workbook.cohort import Cohort, Host
from workbook.models import Win
from workbook.navigation import FACILITATOR, PAGES, PARTICIPANT_EXTRA, SECTIONS, VISITOR

from .conftest import (
    DESKTOP,
    IDLE_TIMEOUT_MS,
    PHONE,
    ServerFactory,
    StreamlitServer,
    begin_open,
    finish_open,
    go_via_sidebar,
    nav_link,
    navigate_in_app,
    open_page,
    show_everything,
    wait_idle,
    warm_up,
)
from .test_accessibility import audit

pytestmark = pytest.mark.browser

TEXT = content.load()
HOME_TITLE = TEXT.start.home.title
WINS = TEXT.phase3.wins
TITLE = "Spring"
WELCOME = f"Welcome to {TITLE}"
FACILITATOR_NAME = "Sam"
FACILITATOR_PASSWORD = "facilpass123"

# Marker sentences: plain letters only, so no escaping can change how they read.
MARKER_A = "Ada waved at seven quokkas near the harbour"
MARKER_B = "Bo repainted the zeppelin hangar in lilac"
MARKER_D = "Dana hummed along with the walrus choir"
# A word of each marker that appears nowhere else: looked for in any case, too.
RARE = {MARKER_A: "quokkas", MARKER_B: "zeppelin", MARKER_D: "walrus"}

KEEP_CODE = "I have kept it safe — open my workbook"
NOT_MATCHING = "That name and password do not match"
PLEASE_WAIT = re.compile(r"please wait (\d+) seconds? before trying again")
MIN_BYTES = 15_000  # a real page's screenshot is far larger than a blank one


@dataclass(frozen=True)
class Person:
    name: str
    password: str
    marker: str = ""


ADA = Person("Ada", "ada-password-1", MARKER_A)
BO = Person("Bo", "bo-password-22", MARKER_B)
ROBIN = Person("Robin", "robin-password-3")
DANA = Person("Dana", "dana-password-4", MARKER_D)
SAM = Person(FACILITATOR_NAME, FACILITATOR_PASSWORD)


# -- the workshops -------------------------------------------------------------------------
@dataclass
class Workshop:
    app: StreamlitServer
    data_dir: Path
    codes: list[str]
    used: dict[str, str] = field(default_factory=dict)  # participant name -> code used

    @property
    def cohort(self) -> Cohort:
        """The workshop as its files say now (read afresh on each call)."""
        return Cohort(config.cohort_dir(self.data_dir))

    def code(self) -> str:
        """An invite code no test has used yet."""
        return self.codes.pop(0)


def create_workshop(data_dir: Path, invites: int) -> tuple[Cohort, list[str]]:
    data_dir.mkdir(parents=True, exist_ok=True)
    cohort, _ = Cohort.create(
        config.cohort_dir(data_dir),
        title=TITLE,
        facilitator=FACILITATOR_NAME,
        password=FACILITATOR_PASSWORD,
    )
    return cohort, cohort.invite(invites)


@pytest.fixture(scope="module")
def workshop(
    module_server: ServerFactory, browser: Browser, tmp_path_factory: pytest.TempPathFactory
) -> Workshop:
    data_dir = tmp_path_factory.mktemp("workshop") / "data"
    _, codes = create_workshop(data_dir, invites=4)
    return Workshop(warm_up(browser, module_server(data_dir)), data_dir, codes)


@pytest.fixture(scope="module")
def crowd(
    module_server: ServerFactory, browser: Browser, tmp_path_factory: pytest.TempPathFactory
) -> Workshop:
    data_dir = tmp_path_factory.mktemp("crowd") / "data"
    cohort, codes = create_workshop(data_dir, invites=8)
    cohort.join(codes.pop(), ROBIN.name, ROBIN.password)
    return Workshop(warm_up(browser, module_server(data_dir)), data_dir, codes)


def seed_participant(data_dir: Path, person: Person, win: str) -> None:
    """A workshop with one participant who saved a win (before any server runs)."""
    cohort, codes = create_workshop(data_dir, invites=2)
    joined = cohort.join(codes[0], person.name, person.password)
    host = Host(config.cohort_dir(data_dir))
    texts = lambda: content.load(workshop_dir=host.cohort.content_dir)  # noqa: E731
    wb = host.workbook(joined.session, texts)
    wb.add(Win, {"text": win, "category": WINS.categories[0], "won_on": date.today()})


# -- pages and contexts ----------------------------------------------------------------------
@contextmanager
def fresh_context(browser: Browser, *, phone: bool = False) -> Iterator[BrowserContext]:
    """A new browser context: no cookies, no cache, and so a new Streamlit session."""
    ctx = browser.new_context(
        viewport=PHONE if phone else DESKTOP,
        device_scale_factor=1,
        is_mobile=phone,
        has_touch=phone,
    )
    ctx.set_default_timeout(IDLE_TIMEOUT_MS)
    try:
        yield ctx
    finally:
        ctx.close()


@contextmanager
def fresh_page(browser: Browser, *, phone: bool = False) -> Iterator[Page]:
    with fresh_context(browser, phone=phone) as ctx:
        yield ctx.new_page()


def textbox(page: Page, label: str) -> Locator:
    # By role: labels with a help icon also name the icon's tooltip target.
    return page.get_by_role("textbox", name=label, exact=True)


def h1(page: Page) -> Locator:
    return page.get_by_test_id("stMain").locator("h1")


def alerts(page: Page) -> Locator:
    return page.get_by_test_id("stAlert")


def body_text(page: Page) -> str:
    return str(page.evaluate("() => document.body.innerText"))


def signed_in_caption(page: Page) -> Locator:
    return (
        page.get_by_test_id("stSidebar")
        .get_by_test_id("stCaptionContainer")
        .filter(has_text="Signed in as")
    )


def nav_titles(page: Page) -> list[str]:
    links = page.get_by_test_id("stSidebarNav").get_by_test_id("stSidebarNavLink")
    return [t.strip() for t in links.get_by_test_id("stMarkdownContainer").all_inner_texts()]


def go(page: Page, title: str) -> None:
    """Click a page in the sidebar, unfolding "View N more" first if the link is hidden."""
    if not nav_link(page, title).is_visible():
        more = page.get_by_test_id("stSidebarNav").get_by_role(
            "button", name=re.compile(r"^View \d+ more$")
        )
        if more.count():
            more.click()
        expect(nav_link(page, title)).to_be_visible()
    go_via_sidebar(page, title)


def submit(page: Page, button: str) -> None:
    page.get_by_role("button", name=button, exact=True).click()
    wait_idle(page)


def sign_in(page: Page, app: StreamlitServer, person: Person, *, load: bool = True) -> None:
    """Fill in the sign-in form (loading "/" first: a new, signed-out session)."""
    if load:
        open_page(page, app.url())
    expect(h1(page)).to_have_text(WELCOME)
    textbox(page, "Your name in this workshop").fill(person.name)
    textbox(page, "Password").fill(person.password)
    submit(page, "Sign in")


def sign_in_ok(page: Page, app: StreamlitServer, person: Person) -> None:
    sign_in(page, app, person)
    expect(signed_in_caption(page)).to_have_count(1)


def fill_join(page: Page, app: StreamlitServer, code: str, name: str, password: str) -> None:
    open_page(page, app.url("join"))
    expect(h1(page)).to_have_text("Join the workshop")
    textbox(page, "Invite code").fill(code)
    textbox(page, "Your name in this workshop").fill(name)
    textbox(page, "Choose a password").fill(password)
    textbox(page, "The same password again").fill(password)


def join(page: Page, workshop: Workshop, person: Person) -> str:
    """Join with a fresh invite code; returns the recovery code shown (not yet kept)."""
    code = workshop.code()
    fill_join(page, workshop.app, code, person.name, person.password)
    submit(page, "Join")
    expect(h1(page)).to_have_text("Your recovery code")
    workshop.used[person.name] = code
    recovery = page.get_by_test_id("stCode").inner_text().strip()
    assert re.fullmatch(r"[A-Z0-9]{4}(-[A-Z0-9]{4}){4}", recovery), recovery
    return recovery


def keep_recovery_code(page: Page) -> None:
    submit(page, KEEP_CODE)
    expect(h1(page)).to_have_text(HOME_TITLE)


def log_win(page: Page, text: str) -> None:
    go(page, WINS.title)
    entry = textbox(page, WINS.text_label)
    entry.click()
    entry.fill(text)
    entry.press("Tab")  # commits the field: its text is kept as an unsaved draft
    wait_idle(page)
    submit(page, WINS.save_label)
    expect(alerts(page).filter(has_text=WINS.saved)).to_have_count(1)


def download_text(page: Page, button: str) -> tuple[str, str]:
    """Click a download button; (the file name offered, its text)."""
    with page.expect_download() as info:
        page.get_by_role("button", name=button, exact=True).click()
    got = info.value
    text = Path(got.path()).read_text(encoding="utf-8-sig")
    return got.suggested_filename, text


def assert_absent(text: str, *markers: str, where: str) -> None:
    for marker in markers:
        assert marker not in text, f"{where} shows {marker!r}"
        assert RARE[marker] not in text.casefold(), f"{where} shows {RARE[marker]!r}"


def assert_no_plain_text_in_files(folder: Path, *markers: str) -> int:
    """No file under ``folder`` holds a marker (or its rare word) readably; files read."""
    needles = []
    for marker in markers:
        for text in (marker, RARE[marker]):
            needles += [text.encode("utf-8").lower(), text.encode("utf-16-le").lower()]
    files = [p for p in folder.rglob("*") if p.is_file()]
    for path in files:
        data = path.read_bytes().lower()
        found = [n for n in needles if n in data]
        assert not found, f"{path} holds {found} in plain text"
    return len(files)


# -- two participants -------------------------------------------------------------------------
@dataclass
class Pair:
    a: Page
    b: Page


@pytest.fixture(scope="module")
def pair(workshop: Workshop, browser: Browser) -> Iterator[Pair]:
    """Ada and Bo join in two browser contexts and each log a win with their marker.

    Their pages stay open (and signed in) for the module.
    """
    with fresh_context(browser) as ctx_a, fresh_context(browser) as ctx_b:
        a, b = ctx_a.new_page(), ctx_b.new_page()
        for page, person in ((a, ADA), (b, BO)):
            join(page, workshop, person)
            keep_recovery_code(page)
            expect(signed_in_caption(page)).to_have_text(
                f"Signed in as {person.name} (participant)"
            )
        # Both have joined before either writes: each save happens with the other signed in.
        for page, person in ((a, ADA), (b, BO)):
            log_win(page, person.marker)
        yield Pair(a, b)


def test_two_participants_see_only_their_own_words(workshop: Workshop, pair: Pair) -> None:
    """Each sees their own marker, never the other's; on disk neither is readable."""
    for page, mine, theirs in ((pair.a, MARKER_A, MARKER_B), (pair.b, MARKER_B, MARKER_A)):
        # Away and back: the wins page is drawn afresh from the stored workbook.
        go(page, PAGES["home"].title)
        assert_absent(body_text(page), theirs, where="Home")
        go(page, WINS.title)
        listed = page.get_by_test_id("stMain").locator("li").filter(has_text=mine)
        expect(listed).to_have_count(1)
        expect(page.get_by_test_id("stMetric").filter(has_text=WINS.total_label)).to_contain_text(
            "1"
        )
        assert_absent(body_text(page), theirs, where=f"{page.url} (the other participant's)")
        # The worksheet download holds their win and only theirs.
        name, text = download_text(page, "Download this worksheet")
        assert name.endswith(".md"), name
        assert mine in text
        assert_absent(text, theirs, where=f"the downloaded {name}")
        wait_idle(page)

    # Every byte of every file of the workshop: both markers are encrypted.
    assert assert_no_plain_text_in_files(workshop.data_dir, MARKER_A, MARKER_B) > 0
    people = workshop.cohort.participants()
    assert [p.name for p in people] == [ADA.name, BO.name]
    for person in people:
        folder = workshop.cohort.person_dir(person.id)
        assert (folder / "workbook.json").is_file(), f"{folder} has no workbook"
    # The server's own log does not quote them either.
    assert_absent(workshop.app.output(), MARKER_A, MARKER_B, where="the server log")


# -- the facilitator ---------------------------------------------------------------------------
FACILITATOR_PAGES = [spec.title for specs in FACILITATOR.values() for spec in specs]


def test_facilitator_sees_numbers_and_only_what_is_shared(
    workshop: Workshop, pair: Pair, browser: Browser
) -> None:
    with fresh_page(browser) as sam:
        sign_in_ok(sam, workshop.app, SAM)
        expect(signed_in_caption(sam)).to_have_text(f"Signed in as {SAM.name} (facilitator)")
        assert nav_titles(sam) == FACILITATOR_PAGES

        # The overview: two participants, and numbers only (on screen and in the CSV).
        expect(h1(sam)).to_have_text(TITLE)
        participants = sam.get_by_test_id("stMetric").filter(has_text="Participants")
        expect(participants.get_by_test_id("stMetricValue")).to_have_text("2")
        assert_absent(body_text(sam), MARKER_A, MARKER_B, where="the overview")
        name, csv_text = download_text(sam, "Download this table (CSV)")
        assert name == "workshop-progress.csv"
        lines = csv_text.strip().splitlines()
        assert lines[0].startswith("participant,"), lines[0]
        assert [line.split(",")[0] for line in lines[1:]] == ["Participant 1", "Participant 2"]
        assert_absent(csv_text, MARKER_A, MARKER_B, where="the overview CSV")

        # Every other page of theirs, through the sidebar.
        for title in FACILITATOR_PAGES[1:]:
            go(sam, title)
            assert_absent(body_text(sam), MARKER_A, MARKER_B, where=f"the {title} page")
        go(sam, "Shared with you")
        expect(alerts(sam).filter(has_text="No one has shared a worksheet")).to_have_count(1)

        # Ada shares her Small wins worksheet.
        a = pair.a
        go(a, "Sharing")
        switch = a.get_by_test_id("stCheckbox").filter(has_text=f"Share “{WINS.title}”")
        switch.locator("label").first.click()
        wait_idle(a)
        expect(switch.get_by_role("switch")).to_be_checked()
        expect(alerts(a).filter(has_text=f"{WINS.title} is now shared")).to_have_count(1)
        expect(a.get_by_text("Shared now: 1 of", exact=False)).to_have_count(1)

        # Sam sees Ada's win (and only hers: Bo shares nothing).
        go(sam, "People")
        go(sam, "Shared with you")
        main = sam.get_by_test_id("stMain")
        expect(main).to_contain_text(MARKER_A)
        expect(main).to_contain_text("Shared by Participant 1")
        assert_absent(body_text(sam), MARKER_B, where="Shared with you")
        participant = sam.get_by_role("combobox", name="Participant", exact=True)
        participant.click()
        expect(sam.get_by_role("option")).to_have_text(["Participant 1"])
        sam.keyboard.press("Escape")

    # The sealed copy of the shared worksheet is no more readable on disk than the workbook.
    shared = list(workshop.data_dir.rglob("*.sealed"))
    assert [p.name for p in shared] == ["wins.sealed"], shared
    assert_no_plain_text_in_files(workshop.data_dir, MARKER_A, MARKER_B)


def test_signed_in_people_cannot_open_the_other_roles_pages(
    workshop: Workshop, pair: Pair, browser: Browser
) -> None:
    """A URL of another role's page, asked for inside a signed-in session, is not shown."""
    a = pair.a
    go(a, WINS.title)
    for path in ("people", "prompts", "shared"):
        navigate_in_app(a, workshop.app.url(path))
        expect(h1(a)).to_have_text(HOME_TITLE)  # the participant's default page
        expect(signed_in_caption(a)).to_have_text(f"Signed in as {ADA.name} (participant)")
        go(a, WINS.title)
    with fresh_page(browser) as sam:
        sign_in_ok(sam, workshop.app, SAM)
        go(sam, "People")
        for path in ("wins", "export", "sharing"):
            navigate_in_app(sam, workshop.app.url(path))
            expect(h1(sam)).to_have_text(TITLE)  # the facilitator's default page
            assert_absent(body_text(sam), MARKER_A, MARKER_B, where=f"/{path} for Sam")
            go(sam, "People")


@pytest.mark.xfail(
    strict=True,
    reason="BUG: in a hosted workshop Home still says 'Your workbook is saved only on this "
    "computer, in <path>' and shows the server's folder (pages/start/home.py line 116)",
)
def test_participant_home_does_not_claim_the_workbook_is_on_this_computer(
    workshop: Workshop, pair: Pair, browser: Browser
) -> None:
    with fresh_page(browser) as page:
        sign_in_ok(page, workshop.app, ADA)
        expect(h1(page)).to_have_text(HOME_TITLE)
        text = body_text(page)
        assert "only on this computer" not in text
        assert str(workshop.data_dir) not in text


# -- invite codes ------------------------------------------------------------------------------
def test_a_used_invite_code_is_refused(workshop: Workshop, pair: Pair, browser: Browser) -> None:
    used = workshop.used[ADA.name]
    before = workshop.cohort
    accounts = [a.id for a in before.accounts()]
    folders = sorted(p.name for p in (config.cohort_dir(workshop.data_dir) / "people").iterdir())
    with fresh_page(browser) as page:
        # As given, and as someone might type it again: lower case, no dashes.
        for typed in (used, used.lower().replace("-", "")):
            fill_join(page, workshop.app, typed, "Another Person", "another-pass-1")
            submit(page, "Join")
            expect(alerts(page).filter(has_text="already been used")).to_have_count(1)
            expect(h1(page)).to_have_text("Join the workshop")
            expect(signed_in_caption(page)).to_have_count(0)
    after = workshop.cohort
    assert [a.id for a in after.accounts()] == accounts
    assert all(a.name != "Another Person" for a in after.accounts())
    assert sorted(p.name for p in (after.folder / "people").iterdir()) == folders


# -- sign-in throttling ------------------------------------------------------------------------
def test_repeated_wrong_passwords_make_sign_in_wait(crowd: Workshop, browser: Browser) -> None:
    """Three free mistakes; then each further one makes the next attempt wait (2, 4 … s).

    Only the waiting is driven through the browser: locking the account takes ten
    failures with 2+4+8+16+32+60 s of waits between them (two minutes), which the unit
    tests of the throttle cover instead.
    """
    wrong = Person(ROBIN.name, "not-the-password")
    with fresh_page(browser) as page:
        open_page(page, crowd.app.url())
        for attempt in range(1, 5):
            sign_in(page, crowd.app, wrong, load=False)
            expect(alerts(page).filter(has_text=NOT_MATCHING)).to_have_count(1)
            assert not PLEASE_WAIT.search(body_text(page)), f"attempt {attempt} had to wait"
        # The fourth failure set a 2-second wait: served, a fifth attempt is checked (and
        # fails), and sets a 4-second wait.
        page.wait_for_timeout(2_200)
        sign_in(page, crowd.app, wrong, load=False)
        expect(alerts(page).filter(has_text=NOT_MATCHING)).to_have_count(1)
        fifth = time.monotonic()

        # Within those 4 seconds even the right password is refused, with the wait named.
        sign_in(page, crowd.app, ROBIN, load=False)
        refusal = alerts(page).filter(has_text=PLEASE_WAIT)
        expect(refusal).to_have_count(1)
        seconds = int(PLEASE_WAIT.search(refusal.inner_text()).group(1))  # type: ignore[union-attr]
        assert 1 <= seconds <= 4, refusal.inner_text()
        assert time.monotonic() - fifth < 4, "the check came too late to prove anything"
        expect(alerts(page).filter(has_text=NOT_MATCHING)).to_have_count(0)
        expect(signed_in_caption(page)).to_have_count(0)
        expect(h1(page)).to_have_text(WELCOME)

        # Once the wait is over, the right password opens the workbook.
        page.wait_for_timeout(max(0, int((fifth + 4.5 - time.monotonic()) * 1000)))
        sign_in(page, crowd.app, ROBIN, load=False)
        expect(signed_in_caption(page)).to_have_text(f"Signed in as {ROBIN.name} (participant)")
        expect(h1(page)).to_have_text(HOME_TITLE)


# -- hostile names -----------------------------------------------------------------------------
LONG_NAME = ("Bartholomew" * 50)[:500]
HOSTILE_NAMES = ["../../etc/passwd", "<img src=x onerror=alert(1)>", "**bold**"]


def test_hostile_names_stay_plain_text(crowd: Workshop, browser: Browser) -> None:
    dialogs: list[str] = []

    def on_dialog(dialog: Dialog) -> None:
        dialogs.append(dialog.message)
        dialog.dismiss()

    with fresh_page(browser) as page:
        page.on("dialog", on_dialog)

        # 500 characters: pasted at once, the field refuses the whole text (it allows 40);
        # typed, it stops at 40. The name joined with is the first 40 characters.
        open_page(page, crowd.app.url("join"))
        name_field = textbox(page, "Your name in this workshop")
        name_field.click()
        page.keyboard.insert_text(LONG_NAME)  # how a paste arrives
        pasted = name_field.input_value()
        assert pasted in ("", LONG_NAME[:40]), f"a pasted long name became {pasted!r}"
        name_field.fill("")
        name_field.press_sequentially(LONG_NAME)
        expect(name_field).to_have_value(LONG_NAME[:40])

        joined: list[str] = []
        for typed in [LONG_NAME, *HOSTILE_NAMES]:
            person = Person(typed, "hostile-pass-1")
            code = crowd.code()
            fill_join(page, crowd.app, code, typed if typed != LONG_NAME else "", person.password)
            if typed == LONG_NAME:
                textbox(page, "Your name in this workshop").press_sequentially(typed)
            submit(page, "Join")
            expect(h1(page)).to_have_text("Your recovery code")
            keep_recovery_code(page)
            shown = typed[:40]
            joined.append(shown)
            caption = signed_in_caption(page)
            expect(caption).to_have_count(1)
            assert caption.inner_text() == f"Signed in as {shown} (participant)"
            sidebar = page.get_by_test_id("stSidebar")
            expect(sidebar.locator("img")).to_have_count(0)
            expect(sidebar.locator("strong, b, em")).to_have_count(0)

        # The facilitator's People page lists each name as typed, as text.
        sign_in_ok(page, crowd.app, SAM)
        go(page, "People")
        main = page.get_by_test_id("stMain")
        summaries = main.get_by_test_id("stExpander").locator("summary")
        labels = [t.strip() for t in summaries.all_inner_texts()]
        for shown in joined:
            assert any(label.endswith(shown) for label in labels), (shown, labels)
        expect(main.locator("img")).to_have_count(0)
        expect(main.locator("summary strong, summary em")).to_have_count(0)
        page.wait_for_timeout(300)
        assert dialogs == [], f"a name opened a browser dialog: {dialogs}"

    # The accounts hold the names; no file or folder is named after any of them.
    names = {a.name for a in crowd.cohort.participants()}
    assert set(joined) <= names, names
    for path in crowd.data_dir.rglob("*"):
        relative = path.relative_to(crowd.data_dir).as_posix()
        for typed in [LONG_NAME[:40], *HOSTILE_NAMES, "passwd", "onerror", "bold", "Bartholo"]:
            assert typed.casefold() not in relative.casefold(), f"{relative} names {typed!r}"
    people = config.cohort_dir(crowd.data_dir) / "people"
    assert all(re.fullmatch(r"[0-9a-f]{32}", p.name) for p in people.iterdir())
    for base in (crowd.data_dir, crowd.data_dir.parent, people, people.parent):
        assert not (base / "etc").exists(), f"{base / 'etc'} was created"


# -- deep links to a fresh server ------------------------------------------------------------
def other_urls() -> list[tuple[str, str]]:
    """(url_path, title) of every signed-in page, once each, but for / and /feelings."""
    found: dict[str, str] = {}
    for sections in (SECTIONS, PARTICIPANT_EXTRA, FACILITATOR):
        for specs in sections.values():
            for spec in specs:
                if spec.url_path and spec.url_path != "feelings":
                    found.setdefault(spec.url_path, spec.title)
    return list(found.items())


VISITOR_TITLES = [spec.title for specs in VISITOR.values() for spec in specs]


def assert_sign_in_only(page: Page, url: str, own_title: str) -> None:
    expect(h1(page)).to_have_count(1)
    expect(h1(page)).to_have_text(WELCOME)
    assert h1(page).inner_text() != own_title
    assert nav_titles(page) == VISITOR_TITLES, f"{url}: {nav_titles(page)}"
    expect(textbox(page, "Password")).to_be_visible()
    expect(signed_in_caption(page)).to_have_count(0)
    assert_absent(body_text(page), MARKER_D, where=url)


def test_deep_links_to_a_fresh_server_show_sign_in(
    server: ServerFactory, browser: Browser, tmp_path: Path
) -> None:
    data_dir = tmp_path / "deep" / "data"
    seed_participant(data_dir, DANA, MARKER_D)
    app = server(data_dir)
    not_found: list[str] = []

    def note_not_found(page: Page) -> None:
        dialog = page.get_by_role("dialog").filter(has_text="Page not found")
        if dialog.count():
            not_found.append(page.url)

    # The very first request this server answers is a deep link into the workbook.
    with fresh_page(browser) as page:
        open_page(page, app.url("feelings"))
        assert_sign_in_only(page, "/feelings", PAGES["feelings"].title)
        expect(page.get_by_text(TEXT.phase1.feelings.journal_label)).to_have_count(0)
        note_not_found(page)

    # Every other page of every role, each in a new session (several tabs side by side).
    urls = other_urls()
    assert len(urls) >= 29, urls
    tabs = 5
    with fresh_context(browser) as ctx:
        pages = [ctx.new_page() for _ in range(tabs)]
        for start in range(0, len(urls), tabs):
            batch = list(zip(pages, urls[start : start + tabs], strict=False))
            for page, (path, _) in batch:
                begin_open(page, app.url(path))
            for page, (path, title) in batch:
                finish_open(page)
                assert_sign_in_only(page, f"/{path}", title)
                note_not_found(page)
    print(f"\n'Page not found' shown over the sign-in page for: {not_found}")


# -- screenshots -------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def screenshot_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    configured = os.environ.get("REBOUND_SCREENSHOT_DIR", "").strip()
    folder = Path(configured) if configured else tmp_path_factory.mktemp("screenshots")
    folder.mkdir(parents=True, exist_ok=True)
    print(f"\nscreenshots go to {folder}")
    return folder


def shoot(page: Page, folder: Path, name: str) -> Path:
    width = page.viewport_size["width"] if page.viewport_size else DESKTOP["width"]
    show_everything(page, width)
    page.wait_for_timeout(300)  # charts finish their transitions
    path = folder / f"cohort-{width}-{name}.png"
    path.unlink(missing_ok=True)
    page.screenshot(path=path, full_page=True, animations="disabled")
    size = path.stat().st_size
    assert size > MIN_BYTES, f"{path.name} is only {size} bytes: a blank page?"
    return path


def sideways_overflow(page: Page) -> int:
    """How many pixels the page (or its main column) scrolls sideways."""
    return int(
        page.evaluate(
            """() => {
                const doc = document.documentElement;
                const main = document.querySelector("[data-testid='stMain']");
                return Math.max(doc.scrollWidth - doc.clientWidth,
                                main ? main.scrollWidth - main.clientWidth : 0);
            }"""
        )
    )


def test_screenshots(
    workshop: Workshop, crowd: Workshop, pair: Pair, browser: Browser, screenshot_dir: Path
) -> None:
    written: list[Path] = []
    with fresh_page(browser) as page:
        open_page(page, workshop.app.url())
        written.append(shoot(page, screenshot_dir, "sign-in"))
        open_page(page, workshop.app.url("join"))
        written.append(shoot(page, screenshot_dir, "join"))
    with fresh_page(browser) as page:  # joining uses a code: on the other workshop
        join(page, crowd, Person("Pat", "pat-password-1"))
        written.append(shoot(page, screenshot_dir, "recovery-code"))
    with fresh_page(browser) as page:
        sign_in_ok(page, workshop.app, ADA)
        written.append(shoot(page, screenshot_dir, "participant-home"))
        go(page, "Sharing")
        written.append(shoot(page, screenshot_dir, "sharing"))
    with fresh_page(browser) as page:
        sign_in_ok(page, workshop.app, SAM)
        expect(page.get_by_test_id("stPlotlyChart").first).to_be_visible()
        written.append(shoot(page, screenshot_dir, "workshop-overview"))
        go(page, "People")
        written.append(shoot(page, screenshot_dir, "people"))
        go(page, "Prompts")
        written.append(shoot(page, screenshot_dir, "prompts"))
    with fresh_page(browser, phone=True) as page:
        open_page(page, workshop.app.url())
        assert sideways_overflow(page) <= 0, "the sign-in page scrolls sideways at 390 px"
        written.append(shoot(page, screenshot_dir, "sign-in"))
    assert len({p.name for p in written}) == 9


# -- accessibility -----------------------------------------------------------------------------
def test_axe_on_cohort_pages(workshop: Workshop, pair: Pair, browser: Browser) -> None:
    problems: dict[str, list[str]] = {}

    def check(page: Page, label: str) -> None:
        show_everything(page, DESKTOP["width"])  # axe skips contrast outside the viewport
        found = audit(page, f"cohort, {label}")
        if found:
            problems[label] = found
        page.set_viewport_size(DESKTOP)

    with fresh_page(browser) as page:
        open_page(page, workshop.app.url())
        check(page, "sign in")
        open_page(page, workshop.app.url("join"))
        check(page, "join")
    with fresh_page(browser) as page:
        sign_in_ok(page, workshop.app, ADA)
        go(page, "Sharing")
        check(page, "participant's Sharing")
    with fresh_page(browser) as page:
        sign_in_ok(page, workshop.app, SAM)
        expect(page.get_by_test_id("stPlotlyChart").first).to_be_visible()
        check(page, "facilitator's overview")
    assert not problems, "\n".join(
        f"{label}:\n  " + "\n  ".join(found) for label, found in problems.items()
    )
