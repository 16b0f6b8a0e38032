"""AppTest: the hosted-workshop pages (cohort mode), seen by a visitor, a participant and the
facilitator, and "delete my data" in personal mode.

What AppTest does with pages that are not in ``st.navigation`` (found while writing these):

- ``at.switch_page(file)`` for a file the current run did not register raises
  ``ValueError("Could not find a navigation page for …")`` before anything runs.
- A browser asking for such a page by URL is simulated by setting the page's script hash
  (``calc_hash(url_path)``); Streamlit then runs the default page of the current list
  (and sends "page not found", which AppTest does not expose).
- AppTest keeps the last requested page across runs, so a participant on Feelings who
  signs out makes the next run ask for Feelings as a visitor: the sign-in page is shown.

Other AppTest behaviour these tests rely on:

- ``TextInput.input(v)`` silently does nothing when ``v`` is longer than ``max_chars``;
  ``set_value(v)`` sends it, and the server keeps the first ``max_chars`` characters.
- Clicking a disabled button raises ``AppTestError`` (a person cannot press it either).
- ``st.form(clear_on_submit=True)`` is cleared by the browser, so AppTest still shows the
  submitted values afterwards.
- Download buttons with data in hand store it through ``MediaFileManager.add``; the
  ``downloads`` fixture records it by the button's URL.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from streamlit.runtime.media_file_manager import MediaFileManager
from streamlit.testing.v1 import AppTest
from streamlit.testing.v1.errors import AppTestError
from streamlit.util import calc_hash

from tests.cohort_helpers import (
    FACILITATOR,
    FACILITATOR_PASSWORD,
    INVITE_CODE,
    PASSWORD,
    RECOVERY_CODE,
    SIGN_IN_TITLE,
    TITLE,
    app_host,
    button,
    errors,
    facilitator,
    field,
    go,
    join,
    join_form,
    new_app,
    ok,
    page_dump,
    shown,
    sign_in,
    signed_in,
    signed_in_caption,
    texts_of,
    unescape,
    workshop,
)
from tests.conftest import store
from workbook import config, content, demo, navigation
from workbook.cohort import Cohort, CohortError, Host, Session
from workbook.models import RECORD_TYPES, CheckIn, Rejection, Win
from workbook.textsafe import escape_markdown

FEELINGS = "pages/phase1/feelings.py"
SHARED_NOTE = "No one has shared a worksheet with you yet."
SIGNED_OUT = "You have signed out. Everything you saved is kept."
# Private writing: plain words, so markdown escaping cannot hide them from a search.
MARKER_A = "lantern zebra whispers under the quiet harbour"
MARKER_B = "copper owl remembers every purple staircase"


@pytest.fixture
def hosted(data_dir: Path) -> Cohort:
    return workshop(data_dir)


@pytest.fixture
def downloads(monkeypatch: pytest.MonkeyPatch) -> dict[str, tuple[str | None, bytes]]:
    """url -> (file name, bytes) of every download button made with data in hand."""
    seen: dict[str, tuple[str | None, bytes]] = {}
    original = MediaFileManager.add

    def add(self, data, mimetype, coordinates, file_name=None, is_for_static_download=False):
        url = original(self, data, mimetype, coordinates, file_name, is_for_static_download)
        seen[url] = (file_name, data)
        return url

    monkeypatch.setattr(MediaFileManager, "add", add)
    return seen


HEAVY_NAME = "Hana"


@pytest.fixture(scope="session")
def heavy_cohort_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A workshop whose one participant has a heavy (three-year) encrypted workbook."""
    folder = config.cohort_dir(tmp_path_factory.mktemp("heavy-cohort"))
    Cohort.create(folder, title=TITLE, facilitator=FACILITATOR, password=FACILITATOR_PASSWORD)
    host = Host(folder)
    session = join(host.cohort, HEAVY_NAME)
    host.workbook(session, texts_of(host)).add_many(demo.generate(heavy=True))
    return folder


@pytest.fixture
def heavy_hosted(data_dir: Path, heavy_cohort_template: Path) -> Cohort:
    shutil.copytree(heavy_cohort_template, config.cohort_dir(data_dir))
    return Cohort(config.cohort_dir(data_dir))


def person_dir(cohort: Cohort, session: Session) -> Path:
    return cohort.person_dir(session.account_id)


def no_plaintext_anywhere(folder: Path, *secrets: str) -> None:
    for path in folder.rglob("*"):
        if path.is_file():
            raw = path.read_bytes()
            for secret in secrets:
                assert secret.encode() not in raw, f"{secret!r} readable in {path}"


def entries_table(at: AppTest) -> dict[str, int]:
    """The "Your data" page's table: kind of entry -> how many."""
    table = at.dataframe[0].value
    return dict(zip(table["Kind of entry"], table["Entries"], strict=True))


def save_checkin(at: AppTest, journal: str) -> None:
    """Save a check-in through the Feelings page, as the participant would."""
    go(at, FEELINGS)
    at.multiselect(key="keep.feel.emotions").select("Sad")
    at.text_area(key="keep.feel.journal").input(journal)
    at.button(key="_submit.checkin").click()
    ok(at.run())
    assert "Check-in saved" in shown(at)


# == 1. Visitors ==============================================================================
def test_visitor_gets_sign_in_and_only_the_three_welcome_pages(
    hosted: Cohort, data_dir: Path
) -> None:
    at = new_app()
    assert [t.value for t in at.title] == [SIGN_IN_TITLE]
    assert not at.sidebar.caption  # no one is signed in
    assert {p.label for p in at.get("page_link")} >= {
        "Join with an invite code",
        "I forgot my password",
    }
    # A workbook page is not in the navigation, so AppTest refuses to switch to it ...
    with pytest.raises(ValueError, match="Could not find a navigation page") as refused:
        at.switch_page(FEELINGS)
    known = re.findall(r"pages/account/\w+\.py", str(refused.value))
    assert sorted(known) == [
        "pages/account/join.py",
        "pages/account/recover.py",
        "pages/account/sign_in.py",
    ]
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        at.switch_page("pages/facilitator/people.py")
    # ... and a browser asking for it by URL gets the sign-in page, not the worksheet.
    at._page_hash = calc_hash("feelings")  # what /feelings asks for (no public API)
    ok(at.run())
    assert [t.value for t in at.title] == [SIGN_IN_TITLE]
    assert "Feelings check-in" not in shown(at)
    # The other two welcome pages open.
    assert go(at, "pages/account/join.py").title[0].value == "Join the workshop"
    assert go(at, "pages/account/recover.py").title[0].value == "Forgot your password"
    # Looking around made no workbook: not a personal one, not anyone's.
    assert not config.workbook_path(data_dir).exists()
    assert list((hosted.folder / "people").iterdir()) == []


def test_sign_in_asks_for_both_fields_and_never_says_which_was_wrong(hosted: Cohort) -> None:
    at = new_app()
    at.button(key="FormSubmitter:sign_in-Sign in").click()
    ok(at.run())
    assert errors(at) == ["Please fill in both your name and your password."]
    sign_in(at, FACILITATOR, "")
    assert errors(at) == ["Please fill in both your name and your password."]
    mismatch = "That name and password do not match. Please check both and try again."
    assert errors(sign_in(at, FACILITATOR, "not-the-password")) == [mismatch]
    assert errors(sign_in(at, "Nobody", FACILITATOR_PASSWORD)) == [mismatch]  # same words
    assert "_auth.session" not in at.session_state
    assert at.title[0].value == SIGN_IN_TITLE
    # The right pair opens the facilitator's overview; names are matched ignoring case.
    sign_in(at, "  sam ", FACILITATOR_PASSWORD)
    assert at.title[0].value == TITLE
    assert [c.value for c in at.sidebar.caption] == ["Signed in as Sam (facilitator)"]


def test_repeated_failures_slow_down_then_pause_even_the_right_password(
    hosted: Cohort,
) -> None:
    join(hosted, "Alice")
    at = new_app()
    for _ in range(4):  # three mistakes are free; the fourth starts the waiting
        sign_in(at, FACILITATOR, "wrong-password")
    sign_in(at, FACILITATOR, FACILITATOR_PASSWORD)
    assert errors(at) == [
        "That did not match several times, so please wait 2 seconds before trying again."
    ]
    assert at.title[0].value == SIGN_IN_TITLE
    assert "_auth.session" not in at.session_state
    # Reaching the lock takes minutes of waiting between tries: count the rest directly on
    # the app's own throttle (its Host is cached per data folder, shared with this test).
    throttle = app_host().cohort.throttle
    while throttle.failures("account:sam") < 10:
        throttle.failed("account:sam")
    sign_in(at, FACILITATOR, FACILITATOR_PASSWORD)
    assert errors(at) == [
        "After too many attempts, sign-in for this account is paused for 15 minutes. "
        "Your workbook is safe. If you need help sooner, ask your facilitator."
    ]
    assert "_auth.session" not in at.session_state
    # The pause is the account's: someone else in the room still gets in.
    assert sign_in(at, "Alice", PASSWORD).title[0].value == "Rebound"


# == 2. Joining ===============================================================================
def test_join_shows_the_recovery_code_once_then_opens_the_workbook(hosted: Cohort) -> None:
    [code, _spare] = hosted.invite(2)
    at = new_app()
    join_form(at, code.lower().replace("-", " "), "Alice", PASSWORD)  # as typed by hand
    assert [t.value for t in at.title] == ["Your recovery code"]
    [shown_code] = [c.value for c in at.code]
    assert RECOVERY_CODE.fullmatch(shown_code), shown_code
    # Nothing else exists until the code is kept: no workbook page, no Home.
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        at.switch_page("pages/start/home.py")
    [alice] = hosted.participants()
    assert alice.name == "Alice"
    assert [i.state for i in hosted.invites()].count("used") == 1
    assert re.fullmatch(r"[0-9a-f]{32}", person_dir(hosted, at.session_state["_auth.session"]).name)
    button(at, "I have kept it safe — open my workbook").click()
    ok(at.run())
    assert at.title[0].value == "Rebound"  # Home
    assert [c.value for c in at.sidebar.caption] == ["Signed in as Alice (participant)"]
    assert "_auth.recovery_code" not in at.session_state
    assert shown_code not in page_dump(at)  # shown once only
    # The code is the real key: it sets a new password.
    hosted.recover("alice", shown_code, "another-password-1")
    # A used invite code does not work twice.
    again = join_form(new_app(), code, "Bob", PASSWORD)
    assert any("already been used" in e for e in errors(again))
    assert again.title[0].value == "Join the workshop"
    assert [a.name for a in hosted.participants()] == ["Alice"]
    assert [i.state for i in hosted.invites()].count("open") == 1  # the spare is untouched


def test_join_refuses_bad_input_and_keeps_the_code_unspent(hosted: Cohort) -> None:
    [code] = hosted.invite(1)
    at = new_app()
    cases = [
        ("", "Alice", PASSWORD, None, "Please enter your invite code."),
        ("ABCD-EFGH-JKMN-PQRS", "Alice", PASSWORD, None, "That invite code does not work"),
        (code, "Alice", PASSWORD, "participant-pw2", "The two passwords are not the same"),
        (code, "Alice", "short", None, "at least 10 characters"),
        (code, "Al\x00ice", PASSWORD, None, "cannot contain line breaks or control characters"),
        (code, "   ", PASSWORD, None, "Please choose a name"),
        (code, "SAM", PASSWORD, None, "Someone in this workshop already uses that name."),
    ]
    for invite, name, password, again, message in cases:
        join_form(at, invite, name, password, again)
        assert at.title[0].value == "Join the workshop", name
        assert len(at.error) == 1 and message in errors(at)[0], (name, errors(at))
    assert hosted.participants() == []
    assert [i.state for i in hosted.invites()] == ["open"]
    assert list((hosted.folder / "people").iterdir()) == []


def test_join_a_500_character_name(hosted: Cohort) -> None:
    [code] = hosted.invite(1)
    at = new_app()
    ok(at.switch_page("pages/account/join.py").run())
    name_field = field(at, "Your name in this workshop")
    assert name_field.max_chars == 40
    # AppTest's input() silently ignores text longer than max_chars (a browser would not
    # let it be typed), so the form goes out with an empty name.
    name_field.input("x" * 500)
    assert name_field.value == ""
    field(at, "Invite code").input(code)
    field(at, "Choose a password").input(PASSWORD)
    field(at, "The same password again").input(PASSWORD)
    at.button(key="FormSubmitter:join-Join").click()
    ok(at.run())
    assert errors(at) == ["Please choose a name to show in the workshop."]
    # A client that sends 500 characters anyway: the server keeps the first 40.
    field(at, "Your name in this workshop").set_value("y" * 500)
    at.button(key="FormSubmitter:join-Join").click()
    ok(at.run())
    assert at.title[0].value == "Your recovery code"
    assert [a.name for a in hosted.participants()] == ["y" * 40]
    # Behind the form, the workshop itself refuses a long name in plain words.
    with pytest.raises(CohortError, match="40 characters or fewer"):
        hosted.join(hosted.invite(1)[0], "z" * 500, PASSWORD)


def test_a_name_with_markup_and_a_path_is_kept_and_shown_as_text(
    hosted: Cohort, data_dir: Path
) -> None:
    name = "**x** <b>y</b> ../z"
    [code] = hosted.invite(1)
    at = join_form(new_app(), code, name, PASSWORD)
    button(at, "I have kept it safe — open my workbook").click()
    ok(at.run())
    [caption] = [c.value for c in at.sidebar.caption]
    assert caption == signed_in_caption(name, "participant")
    assert caption == r"Signed in as \*\*x\*\* \<b\>y\<\/b\> \.\.\/z (participant)"
    assert unescape(caption) == f"Signed in as {name} (participant)"  # reads as typed
    [account] = hosted.participants()
    assert account.name == name
    # Files are named by a random id, never by what was typed.
    [folder] = (hosted.folder / "people").iterdir()
    assert re.fullmatch(r"[0-9a-f]{32}", folder.name)
    assert sorted(p.name for p in data_dir.iterdir()) == ["cohort"]
    # The facilitator sees the same words, as text.
    fac = go(facilitator(), "pages/facilitator/people.py")
    assert [e.label for e in fac.expander] == [escape_markdown(name)]
    account_page = go(signed_in(name, PASSWORD), "pages/account/account.py")
    assert f"Name: {name}" in [t.value for t in account_page.text]


def test_forgotten_password_with_the_recovery_code(hosted: Cohort) -> None:
    [code] = hosted.invite(1)
    at = join_form(new_app(), code, "Alice", PASSWORD)
    first_code = at.code[0].value
    button(at, "I have kept it safe — open my workbook").click()
    ok(at.run())
    at.sidebar.button(key="_sign_out").click()
    ok(at.run())
    go(at, "pages/account/recover.py")

    def recover(name: str, code: str, password: str, again: str | None = None) -> None:
        field(at, "Your name in this workshop").input(name)
        field(at, "Recovery code").input(code)
        field(at, "New password").input(password)
        field(at, "The same password again").input(password if again is None else again)
        at.button(key="FormSubmitter:recover-Set the new password").click()
        ok(at.run())

    recover("", "", "new-password-1")
    assert errors(at) == ["Please fill in your name and your recovery code."]
    recover("Alice", first_code, "new-password-1", "new-password-2")
    assert "The two passwords are not the same" in errors(at)[0]
    recover("Alice", "AAAA-BBBB-CCCC-DDDD-EEEE", "new-password-1")
    assert errors(at) == [
        "That name and recovery code do not match. Please check both and try again."
    ]
    recover("alice", first_code.lower(), "new-password-1")
    assert at.title[0].value == "Your recovery code"
    second_code = at.code[0].value
    assert RECOVERY_CODE.fullmatch(second_code) and second_code != first_code
    button(at, "I have kept it safe — open my workbook").click()
    assert ok(at.run()).title[0].value == "Rebound"
    # The old password and the old code are finished; the new ones work.
    assert errors(sign_in(new_app(), "Alice", PASSWORD))
    assert signed_in("Alice", "new-password-1").title[0].value == "Rebound"
    with pytest.raises(CohortError, match="do not match"):
        hosted.recover("Alice", first_code, "third-password-1")


# == 3. A participant's pages =================================================================
def _expected_title(spec: navigation.PageSpec) -> str:
    return content.load().start.home.title if spec.key == "home" else spec.title


def test_participant_opens_every_page_of_an_empty_workbook(hosted: Cohort, data_dir: Path) -> None:
    alice = join(hosted, "Alice")
    at = signed_in("Alice", PASSWORD)
    caption = [signed_in_caption("Alice", "participant")]
    pages = [
        spec
        for sections in (navigation.SECTIONS, navigation.PARTICIPANT_EXTRA)
        for specs in sections.values()
        for spec in specs
    ]
    assert len(pages) == 29
    for spec in pages:
        go(at, spec.file)
        assert [t.value for t in at.title][:1] == [_expected_title(spec)], spec.key
        assert [c.value for c in at.sidebar.caption] == caption, spec.key
    # "Your data" in a workshop sends people to their account to delete, with no button here.
    go(at, "pages/progress/your_data.py")
    assert not [t for t in at.text_input if t.key == "_delete_confirm"]
    assert "Your account" in {p.label for p in at.get("page_link")}
    # No workshop page for a participant, and the workbook on disk is encrypted.
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        at.switch_page("pages/facilitator/overview.py")
    at._page_hash = calc_hash("people")  # asked for by URL
    assert ok(at.run()).title[0].value == "Rebound"
    raw = (person_dir(hosted, alice) / "workbook.json").read_bytes()
    assert not raw.lstrip().startswith(b"{")
    assert not config.workbook_path(data_dir).exists()


def test_participant_pages_on_a_heavy_workbook(heavy_hosted: Cohort) -> None:
    at = signed_in(HEAVY_NAME, PASSWORD)
    assert at.title[0].value == "Rebound"
    assert "you are here" in shown(at)
    for key in ("rejections", "feelings", "wins", "dashboard", "export", "data"):
        spec = navigation.PAGES[key]
        assert go(at, spec.file).title[0].value == spec.title, key
    counts = entries_table(at)
    assert counts["Rejections logged"] == 60
    assert counts["Feelings check-ins"] == 1500
    go(at, "pages/start/rejections.py")
    assert len(at.dataframe[0].value) == 10  # paginated
    go(at, "pages/account/sharing.py")
    at.toggle(key="_share.feelings").set_value(True)
    ok(at.run())
    assert "Feelings check-in is now shared" in shown(at)


def test_signing_out_leaves_nothing_for_the_next_person(hosted: Cohort) -> None:
    join(hosted, "Alice")
    join(hosted, "Bob")
    at = go(signed_in("Alice", PASSWORD), FEELINGS)
    at.text_area(key="keep.feel.journal").input(f"unsaved {MARKER_A}")
    ok(at.run())
    at.sidebar.button(key="_sign_out").click()
    ok(at.run())
    # Still asking for Feelings (AppTest keeps the page), as a visitor: the sign-in page.
    assert [t.value for t in at.title] == [SIGN_IN_TITLE]
    assert [i.value for i in at.info] == [SIGNED_OUT]
    assert MARKER_A not in page_dump(at)
    assert not [k for k in at.session_state if str(k).startswith("keep.")]
    sign_in(at, "Bob", PASSWORD)
    go(at, FEELINGS)
    assert at.text_area(key="keep.feel.journal").value == ""
    assert MARKER_A not in page_dump(at)
    # Alice's unsaved words wait for her in her own (encrypted) workbook.
    alice = go(signed_in("Alice", PASSWORD), FEELINGS)
    assert alice.text_area(key="keep.feel.journal").value == f"unsaved {MARKER_A}"
    no_plaintext_anywhere(hosted.folder, MARKER_A)


# == 4. Sharing ===============================================================================
def test_sharing_a_worksheet_lets_only_the_facilitator_read_it(hosted: Cohort) -> None:
    alice = join(hosted, "Alice")
    at = signed_in("Alice", PASSWORD)
    save_checkin(at, f"{MARKER_A} ![t](http://example.com/a.png) **b**")
    go(at, "pages/account/sharing.py")
    toggles = {t.key: t.value for t in at.toggle}
    assert len(toggles) == 21 and not any(toggles.values())
    assert "Shared now: 0 of 21" in shown(at)
    at.toggle(key="_share.feelings").set_value(True)
    ok(at.run())
    assert "Feelings check-in is now shared with your facilitator." in shown(at)
    assert "Shared now: 1 of 21" in shown(at)
    assert at.toggle(key="_share.feelings").value is True
    sealed = person_dir(hosted, alice) / "shared" / "feelings.sealed"
    assert sealed.is_file()
    assert app_host().shared(alice) == ["feelings"]
    # Sealed: only the facilitator's key opens it.
    sam = hosted.sign_in(FACILITATOR, FACILITATOR_PASSWORD)
    assert MARKER_A in app_host().read_shared(sam, alice.account_id, "feelings")
    with pytest.raises(CohortError):
        app_host().read_shared(alice, alice.account_id, "feelings")
    no_plaintext_anywhere(hosted.folder, MARKER_A)

    fac = go(facilitator(), "pages/facilitator/shared.py")
    assert [(s.label, s.format_func(s.value)) for s in fac.selectbox] == [
        ("Participant", "Participant 1"),
        ("Worksheet", "Feelings check-in"),
    ]
    body = "\n".join(m.value for m in fac.markdown)
    assert MARKER_A in body
    # What she wrote is shown as text: no image fetched, no bold.
    assert r"\!\[t\]\(http\:\/\/example\.com\/a\.png\)" in body
    assert "![t](" not in body and "**b**" not in body
    assert "Shared by Participant 1" in [unescape(c.value) for c in fac.caption]
    assert "Alice" not in page_dump(fac)  # names are off

    # The facilitator reads it as it is now: a later save is sealed again.
    save_checkin(at, MARKER_B)
    assert MARKER_B in "\n".join(m.value for m in ok(fac.run()).markdown)

    go(at, "pages/account/sharing.py")
    at.toggle(key="_share.feelings").set_value(False)
    ok(at.run())
    assert "Feelings check-in is private again." in shown(at)
    assert not sealed.exists()
    assert app_host().shared(alice) == []
    ok(fac.run())
    assert [i.value for i in fac.info] == [SHARED_NOTE]
    assert MARKER_A not in page_dump(fac)


# == 5. Your account ==========================================================================
def _change_password(at: AppTest, old: str, new: str, again: str | None = None) -> None:
    field(at, "Current password").input(old)
    field(at, "New password").input(new)
    field(at, "The same new password again").input(new if again is None else again)
    at.button(key="FormSubmitter:password-Change the password").click()
    ok(at.run())


def test_participant_changes_their_password(hosted: Cohort) -> None:
    alice = join(hosted, "Alice")
    app_host().workbook(alice, texts_of(app_host())).add(
        CheckIn, {"emotions": ["Sad"], "intensity": 4, "journal": MARKER_A}
    )
    at = go(signed_in("Alice", PASSWORD), "pages/account/account.py")
    assert at.title[0].value == "Your account"
    assert f"You are signed in to {TITLE}." in shown(at)
    _change_password(at, "not-my-password", "new-password-1")
    assert errors(at) == ["Your current password does not match."]
    _change_password(at, PASSWORD, "new-password-1", "new-password-2")
    assert errors(at) == ["The two new passwords are not the same."]
    _change_password(at, PASSWORD, "short")
    assert errors(at) == ["Please choose a password of at least 10 characters."]
    assert not at.success
    _change_password(at, PASSWORD, "new-password-1")
    assert [s.value for s in at.success] == ["Your password has been changed."]
    assert not at.error
    # Only the lock changed: the new password opens the same workbook.
    assert errors(sign_in(new_app(), "Alice", PASSWORD))
    later = go(signed_in("Alice", "new-password-1"), "pages/progress/your_data.py")
    counts = entries_table(later)
    assert counts["Feelings check-ins"] == 1


def test_sign_out_from_the_account_page(hosted: Cohort) -> None:
    join(hosted, "Alice")
    at = go(signed_in("Alice", PASSWORD), "pages/account/account.py")
    button(at, "Sign out").click()
    ok(at.run())
    assert [t.value for t in at.title] == [SIGN_IN_TITLE]
    assert [i.value for i in at.info] == [SIGNED_OUT]
    assert "_auth.session" not in at.session_state
    assert not at.sidebar.caption
    ok(at.run())
    assert not at.info  # said once


def test_delete_my_workbook(hosted: Cohort) -> None:
    alice = join(hosted, "Alice")
    join(hosted, "Bob")
    at = signed_in("Alice", PASSWORD)
    save_checkin(at, MARKER_A)
    go(at, "pages/account/sharing.py")
    at.toggle(key="_share.feelings").set_value(True)
    ok(at.run())
    folder = person_dir(hosted, alice)
    assert (folder / "shared" / "feelings.sealed").is_file()
    assert (folder / "summary.json").is_file()
    go(at, "pages/account/account.py")
    delete = button(at, "Delete my workbook")
    assert delete.disabled
    at.text_input(key="_delete_confirm").input("yes please")
    assert button(ok(at.run()), "Delete my workbook").disabled
    at.text_input(key="_delete_confirm").input("  Delete ")
    assert not button(ok(at.run()), "Delete my workbook").disabled
    button(at, "Delete my workbook").click()
    ok(at.run())
    assert [t.value for t in at.title] == [SIGN_IN_TITLE]
    assert [i.value for i in at.info] == [
        "Your workbook and every copy of it have been deleted. Take good care."
    ]
    assert "_auth.session" not in at.session_state
    assert not folder.exists()
    assert hosted.account(alice.account_id) is None
    assert [a.name for a in hosted.participants()] == ["Bob"]
    assert errors(sign_in(at, "Alice", PASSWORD)) == [
        "That name and password do not match. Please check both and try again."
    ]
    no_plaintext_anywhere(hosted.folder, MARKER_A)  # backups of cohort.json included
    fac = facilitator()
    assert {m.label: m.value for m in fac.metric}["Participants"] == "1"


def test_facilitator_account_has_no_workbook_to_delete_and_a_new_password_keeps_shares(
    hosted: Cohort,
) -> None:
    alice = join(hosted, "Alice")
    host = app_host()
    host.workbook(alice, texts_of(host)).add(
        CheckIn, {"emotions": ["Sad"], "intensity": 4, "journal": MARKER_A}
    )
    host.share(alice, "feelings", True, texts_of(host)())
    at = go(facilitator(), "pages/account/account.py")
    assert "Delete my workbook" not in [h.value for h in at.header]
    assert not [t for t in at.text_input if t.key == "_delete_confirm"]
    _change_password(at, FACILITATOR_PASSWORD, "facilitator-pw-2")
    assert [s.value for s in at.success] == ["Your password has been changed."]
    # The same private key, under a new lock: shared worksheets still open.
    fac = go(signed_in(FACILITATOR, "facilitator-pw-2"), "pages/facilitator/shared.py")
    assert not fac.warning
    assert MARKER_A in "\n".join(m.value for m in fac.markdown)


# == 6. The facilitator =======================================================================
FACILITATOR_TITLES = {
    "cohort": TITLE,
    "shared": "Shared with you",
    "prompts": "Prompts for this workshop",
    "people": "People",
    "account": "Your account",
}


def test_facilitator_pages_on_an_empty_workshop(hosted: Cohort) -> None:
    at = facilitator()
    assert at.title[0].value == TITLE
    assert {m.label: m.value for m in at.metric} == {
        "Participants": "0",
        "Started": "0",
        "Invite codes open": "0",
    }
    assert [i.value for i in at.info] == [
        "No one has joined yet. Create invite codes on the People page and hand them out."
    ]
    assert len(at.get("plotly_chart")) == 4
    assert at.dataframe[1].value.empty
    for spec in (s for specs in navigation.FACILITATOR.values() for s in specs):
        go(at, spec.file)
        assert at.title[0].value == FACILITATOR_TITLES[spec.key], spec.key
        assert [c.value for c in at.sidebar.caption] == ["Signed in as Sam (facilitator)"]
    go(at, "pages/facilitator/shared.py")
    assert [i.value for i in at.info] == [SHARED_NOTE]
    go(at, "pages/facilitator/people.py")
    assert "No one has joined yet." in [i.value for i in at.info]
    # A facilitator has no workbook: its pages do not exist, even by URL.
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        at.switch_page(FEELINGS)
    at._page_hash = calc_hash("feelings")
    assert ok(at.run()).title[0].value == TITLE


def test_overview_with_two_participants_shows_numbers_never_their_words(
    hosted: Cohort, downloads
) -> None:
    host = app_host()
    alice, bob = join(hosted, "Alice"), join(hosted, "@Bob")
    host.workbook(alice, texts_of(host)).add_many(demo.generate(heavy=False))
    host.workbook(alice, texts_of(host)).add(
        CheckIn, {"emotions": ["Sad"], "intensity": 4, "journal": MARKER_A}
    )
    host.workbook(bob, texts_of(host)).add(
        Win, {"text": MARKER_B, "won_on": date.today() - timedelta(days=1)}
    )
    hosted.invite(2)

    at = facilitator()
    assert at.title[0].value == TITLE
    assert {m.label: m.value for m in at.metric} == {
        "Participants": "2",
        "Started": "2",
        "Invite codes open": "2",
    }
    assert not at.info
    people = at.dataframe[1].value
    assert list(people["participant"]) == ["Participant 1", "Participant 2"]
    assert list(people["checkins"]) == [13, 0]
    assert list(people["wins"])[1] == 1
    assert list(people["shared_worksheets"]) == [0, 0]
    [csv_button] = at.get("download_button")
    name, data = downloads[csv_button.proto.url]
    assert name == "workshop-progress.csv"
    csv = data.decode("utf-8-sig").splitlines()
    assert csv[0].startswith("participant,joined,furthest_phase,")
    assert [line.split(",")[0] for line in csv[1:]] == ["Participant 1", "Participant 2"]
    page = page_dump(at)
    for secret in (MARKER_A, MARKER_B, "Alice", "@Bob", "Felt good about the team"):
        assert secret not in page, secret
        assert secret.encode() not in data, secret

    toggle = at.toggle[0]
    assert toggle.label == "Show participants' names" and toggle.value is False
    toggle.set_value(True)
    ok(at.run())
    assert list(at.dataframe[1].value["participant"]) == ["Alice", "@Bob"]
    assert hosted.setting("show_names") is True
    [csv_button] = at.get("download_button")
    csv = downloads[csv_button.proto.url][1].decode("utf-8-sig").splitlines()
    # A name that a spreadsheet would run as a formula is kept as text.
    assert [line.split(",")[0] for line in csv[1:]] == ["Alice", "'@Bob"]
    page = page_dump(at)
    for secret in (MARKER_A, MARKER_B, "Felt good about the team"):
        assert secret not in page, secret
    # The choice is the workshop's: the next facilitator session starts with names shown.
    assert facilitator().toggle[0].value is True


def test_overview_and_shared_on_a_heavy_participant(heavy_hosted: Cohort) -> None:
    at = facilitator()
    assert {m.label: m.value for m in at.metric}["Participants"] == "1"
    row = at.dataframe[1].value.iloc[0]
    assert (row["checkins"], row["rejections"]) == (1500, 60)
    assert row["furthest_phase"] == 5
    session = heavy_hosted.sign_in(HEAVY_NAME, PASSWORD)
    app_host().share(session, "wins", True, texts_of(app_host())())
    go(at, "pages/facilitator/shared.py")
    assert [s.format_func(s.value) for s in at.selectbox] == ["Participant 1", "Small wins"]
    assert max(len(m.value) for m in at.markdown) > 10_000  # hundreds of wins, as text


def test_prompts_change_what_participants_see_and_refuse_a_broken_file(
    hosted: Cohort,
) -> None:
    join(hosted, "Alice")
    participant = signed_in("Alice", PASSWORD)
    assert participant.title[0].value == "Rebound"
    at = go(facilitator(), "pages/facilitator/prompts.py")
    [chooser] = at.selectbox
    assert chooser.value == "start" and len(chooser.options) == len(content.FILES)
    assert button(at, "Go back to Rebound's own text").disabled
    editor = at.text_area(key="_prompts.text.start")
    original = editor.value
    assert 'title = "Rebound"' in original
    editor.input(original.replace('title = "Rebound"', 'title = "Spring workbook"', 1))
    button(at, "Check and use this text").click()
    ok(at.run())
    assert [s.value for s in at.success] == ["start.toml is now in use for this workshop."]
    assert not at.error
    custom = hosted.content_dir / "start.toml"
    saved = custom.read_bytes()
    assert b'title = "Spring workbook"' in saved
    assert not button(at, "Go back to Rebound's own text").disabled
    assert "start.toml (changed for this workshop)" in at.selectbox[0].options
    assert ok(participant.run()).title[0].value == "Spring workbook"  # on the next click

    for broken, problem in [
        ("[home\ntitle = ", "start.toml: cannot be read as TOML"),
        ("x = 1\n", "home: Field required"),
    ]:
        at.text_area(key="_prompts.text.start").input(broken)
        button(at, "Check and use this text").click()
        ok(at.run())
        [error] = [e.value for e in at.error]
        assert error.startswith("Not used — the file has a problem: ") and problem in error
        assert not at.success
        assert custom.read_bytes() == saved  # nothing changed
        assert ok(participant.run()).title[0].value == "Spring workbook"

    button(at, "Go back to Rebound's own text").click()
    ok(at.run())
    assert [s.value for s in at.success] == ["start.toml is back to Rebound's own text."]
    assert not custom.exists()
    assert at.text_area(key="_prompts.text.start").value == original
    assert button(at, "Go back to Rebound's own text").disabled
    assert ok(participant.run()).title[0].value == "Rebound"


def test_people_invite_codes_work_once_and_revoked_codes_never(hosted: Cohort) -> None:
    at = go(facilitator(), "pages/facilitator/people.py")
    at.number_input[0].set_value(3)
    at.button(key="FormSubmitter:invite-Create invite codes").click()
    ok(at.run())
    [block] = [c.value for c in at.code]
    codes = block.split("\n")
    assert len(codes) == 3 and all(INVITE_CODE.fullmatch(c) for c in codes)
    assert [i.state for i in hosted.invites()] == ["open"] * 3
    assert not any(c.encode() in hosted.file.path.read_bytes() for c in codes)  # hashed

    def revoke(code: str) -> None:
        at.text_input[0].input(code)
        at.button(key="FormSubmitter:revoke-Revoke").click()
        ok(at.run())

    revoke(codes[2])
    assert [s.value for s in at.success] == ["That code can no longer be used."]
    assert sorted(i.state for i in hosted.invites()) == ["open", "open", "revoked"]
    revoke("NOPE-NOPE-NOPE-NOPE")
    assert errors(at) == ["There is no such invite code."]

    joined = join_form(new_app(), codes[0], "Alice", PASSWORD)
    assert joined.title[0].value == "Your recovery code"
    refused = join_form(new_app(), codes[2], "Bob", PASSWORD)
    assert any("That invite code does not work" in e for e in errors(refused))
    revoke(codes[0])
    assert errors(at) == ["That invite code has already been used to join."]


def test_people_remove_a_participant_and_all_their_files(hosted: Cohort) -> None:
    alice, bob = join(hosted, "Alice"), join(hosted, "Bob")
    participant = signed_in("Alice", PASSWORD)
    save_checkin(participant, MARKER_A)
    folder = person_dir(hosted, alice)
    assert (folder / "workbook.json").is_file()
    at = go(facilitator(), "pages/facilitator/people.py")
    assert [e.label for e in at.expander] == ["Alice", "Bob"]
    remove = at.button(key=f"_rm.go.{alice.account_id}")
    assert remove.disabled
    with pytest.raises(AppTestError, match="disabled"):  # AppTest will not press it either
        remove.click()
    at.checkbox(key=f"_rm.{alice.account_id}").check()
    ok(at.run())
    at.button(key=f"_rm.go.{alice.account_id}").click()
    ok(at.run())
    assert [unescape(s.value) for s in at.success] == [
        "Alice and all their files have been removed."
    ]
    assert [e.label for e in at.expander] == ["Bob"]
    assert not folder.exists()
    assert hosted.account(alice.account_id) is None
    assert person_dir(hosted, bob).is_dir()
    no_plaintext_anywhere(hosted.folder, MARKER_A)
    # Alice, still on her Feelings page, is signed out on her next click.
    ok(participant.run())
    assert participant.title[0].value == SIGN_IN_TITLE
    assert [i.value for i in participant.info] == ["This account no longer exists."]


def test_people_invite_counts_follow_what_was_just_done(hosted: Cohort) -> None:
    at = go(facilitator(), "pages/facilitator/people.py")
    counts = "0 open · 0 used · 0 revoked"
    assert counts in [c.value for c in at.caption]
    at.number_input[0].set_value(3)
    at.button(key="FormSubmitter:invite-Create invite codes").click()
    ok(at.run())
    codes = at.code[0].value.split("\n")
    assert "3 open · 0 used · 0 revoked" in [c.value for c in at.caption]
    at.text_input[0].input(codes[0])
    at.button(key="FormSubmitter:revoke-Revoke").click()
    ok(at.run())
    assert "2 open · 0 used · 1 revoked" in [c.value for c in at.caption]


# == 7. Personal mode: delete my data =========================================================
def _personal_with_backups(data_dir: Path) -> list[Path]:
    wb = store(data_dir)
    wb.add_many(demo.generate(heavy=False))
    wb.add(
        Rejection,
        {
            "company": "Acme",
            "role": "Analyst",
            "rejected_at": datetime.now(UTC) - timedelta(days=1),
        },
    )
    backups = sorted((data_dir / "backups").glob("*"))
    assert backups  # earlier states kept
    return backups


def test_personal_delete_my_data(data_dir: Path, open_page: Callable[[str], AppTest]) -> None:
    backups = _personal_with_backups(data_dir)
    at = open_page("pages/progress/your_data.py")
    assert entries_table(at)["Rejections logged"] == 4
    delete = button(at, "Delete my workbook")
    assert delete.disabled
    at.text_input(key="_delete_confirm").input("del")
    assert button(ok(at.run()), "Delete my workbook").disabled
    at.text_input(key="_delete_confirm").input("delete")
    assert not button(ok(at.run()), "Delete my workbook").disabled
    button(at, "Delete my workbook").click()
    ok(at.run())
    assert at.title[0].value == "Your data"
    assert [unescape(s.value) for s in at.success] == [
        "Your workbook and every copy of it have been deleted. "
        "Rebound has started a fresh, empty one."
    ]
    assert not any(path.exists() for path in backups)
    fresh = store(data_dir)
    assert all(fresh.count(model) == 0 for model in RECORD_TYPES)
    assert set(at.dataframe[0].value["Entries"]) == {0}
    assert at.text_input(key="_delete_confirm").value == ""
    assert button(at, "Delete my workbook").disabled
    assert not any(b"Acme" in p.read_bytes() for p in data_dir.rglob("*") if p.is_file())


def test_progress_after_delete_my_data_starts_from_nothing(
    data_dir: Path, open_page: Callable[[str], AppTest], monkeypatch: pytest.MonkeyPatch
) -> None:
    moment = datetime.now(UTC)
    monkeypatch.setattr("workbook.ui.now", lambda: moment)  # no minute boundary mid-test
    _personal_with_backups(data_dir)
    at = open_page("pages/progress/dashboard.py")
    assert max(p.value for p in at.get("progress")) > 0  # the demo has progress
    go(at, "pages/progress/your_data.py")
    at.text_input(key="_delete_confirm").input("delete")
    ok(at.run())
    button(at, "Delete my workbook").click()
    ok(at.run())
    assert all(store(data_dir).count(model) == 0 for model in RECORD_TYPES)
    go(at, "pages/progress/dashboard.py")
    assert [p.value for p in at.get("progress")] == [0] * len(at.get("progress"))
    go(at, "pages/start/home.py")
    assert "(0% done)" in shown(at)
    assert not re.search(r"\([1-9]\d*% done\)", shown(at))
