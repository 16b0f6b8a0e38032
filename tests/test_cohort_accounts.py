"""Workshop accounts (``workbook/cohort/accounts.py``) and sign-in throttling (``throttle.py``).

Real cohort folders in tmp_path; ``REBOUND_KDF=test`` keeps Argon2 cheap.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from workbook import content, crypto
from workbook.cohort import (
    NAME_MAX,
    PASSWORD_MIN,
    Cohort,
    CohortError,
    Host,
    Role,
    Session,
    SignInRefused,
)
from workbook.cohort.accounts import name_key
from workbook.cohort.throttle import ACCOUNT, CLIENT, Throttle
from workbook.models import Win

FACILITATOR_PASSWORD = "facilpass123"
PASSWORD = "annpassword1"
HEX_ID = re.compile(r"[0-9a-f]{32}")
CODE_5 = re.compile(r"[23456789A-HJKMNP-Z]{4}(-[23456789A-HJKMNP-Z]{4}){4}")


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    return tmp_path / "cohort"


@pytest.fixture
def cohort(folder: Path) -> Cohort:
    made, _ = Cohort.create(
        folder, title="Spring", facilitator="Sam", password=FACILITATOR_PASSWORD
    )
    return made


def join(cohort: Cohort, name: str, password: str = PASSWORD) -> Session:
    [code] = cohort.invite(1)
    return cohort.join(code, name, password).session


def every_file(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.is_file())


def write_a_win(folder: Path, session: Session, text: str = "quiet harbour lantern") -> None:
    texts = content.load(None)
    wb = Host(folder).workbook(session, lambda: texts)
    wb.add(Win, {"text": text, "won_on": "2024-03-02"})


def wins(folder: Path, session: Session) -> list[str]:
    texts = content.load(None)
    return [w.text for w in Host(folder).workbook(session, lambda: texts).all(Win)]


# -- creating ----------------------------------------------------------------------------
def test_create_makes_the_facilitator_and_a_recovery_code(folder: Path) -> None:
    cohort, recovery = Cohort.create(
        folder, title="Spring", facilitator="Sam", password=FACILITATOR_PASSWORD
    )
    assert CODE_5.fullmatch(recovery)
    assert (folder / "cohort.json").is_file()
    assert cohort.title == "Spring"
    [account] = cohort.accounts()
    assert account.role is Role.FACILITATOR
    assert account.name == "Sam"
    assert HEX_ID.fullmatch(account.id)
    assert len(crypto.unb64(account.public_key)) == 32
    assert cohort.participants() == []
    # What is stored holds no password, no recovery code and no private key as is.
    raw = (folder / "cohort.json").read_bytes()
    assert FACILITATOR_PASSWORD.encode() not in raw
    assert recovery.encode() not in raw
    assert crypto.normalise_code(recovery).replace("-", "").encode() not in raw
    session = cohort.sign_in("Sam", FACILITATOR_PASSWORD)
    assert session.role is Role.FACILITATOR
    assert crypto.b64(session.key).encode() not in raw
    # The private key in the session belongs to the stored public key.
    blob = crypto.seal(crypto.unb64(account.public_key), b"hello", "c")
    assert crypto.open_sealed(session.key, blob, "c") == b"hello"
    # The recovery code opens the same private key.
    joined = cohort.recover("Sam", recovery.lower(), "another password")
    assert joined.session.key == session.key


def test_create_twice_is_refused_and_changes_nothing(cohort: Cohort, folder: Path) -> None:
    before = (folder / "cohort.json").read_bytes()
    with pytest.raises(CohortError, match="already exists"):
        Cohort.create(folder, title="Again", facilitator="Kim", password=FACILITATOR_PASSWORD)
    assert (folder / "cohort.json").read_bytes() == before
    assert [a.name for a in Cohort(folder).accounts()] == ["Sam"]


def test_opening_a_folder_without_a_workshop_is_refused(tmp_path: Path) -> None:
    with pytest.raises(CohortError, match="no workshop"):
        Cohort(tmp_path)
    assert list(tmp_path.iterdir()) == []


def test_create_checks_the_password_and_names(tmp_path: Path) -> None:
    with pytest.raises(CohortError, match="at least 10"):
        Cohort.create(tmp_path / "a", title="T", facilitator="Sam", password="short")
    with pytest.raises(CohortError, match="name"):
        Cohort.create(tmp_path / "b", title="T", facilitator="   ", password=FACILITATOR_PASSWORD)
    assert not (tmp_path / "a" / "cohort.json").exists()
    assert not (tmp_path / "b" / "cohort.json").exists()


# -- invites -----------------------------------------------------------------------------
@pytest.mark.parametrize("n", [0, -1, 501])
def test_invite_refuses_counts_out_of_bounds(cohort: Cohort, n: int) -> None:
    with pytest.raises(CohortError, match="between 1 and 500"):
        cohort.invite(n)
    assert cohort.invites() == []


def test_invite_gives_distinct_single_use_codes_stored_as_hashes(
    cohort: Cohort, folder: Path
) -> None:
    codes = cohort.invite(500)
    assert len(set(codes)) == 500
    assert len(cohort.invite(1)) == 1
    invites = cohort.invites()
    assert len(invites) == 501
    assert {i.state for i in invites} == {"open"}
    assert {i.digest for i in invites} >= {crypto.code_digest(c) for c in codes}
    raw = (folder / "cohort.json").read_bytes()
    assert not any(code.encode() in raw for code in codes[:50])


def test_join_with_a_code_gives_a_participant_session(cohort: Cohort, folder: Path) -> None:
    [code] = cohort.invite(1)
    joined = cohort.join(" " + code.lower().replace("-", " ") + " ", "Ann", PASSWORD)
    session = joined.session
    assert session.role is Role.PARTICIPANT
    assert session.name == "Ann"
    assert len(session.key) == 32
    assert CODE_5.fullmatch(joined.recovery_code)
    assert (folder / "people" / session.account_id).is_dir()
    [account] = cohort.participants()
    assert account.id == session.account_id
    assert account.invite == crypto.code_digest(code)
    [invite] = cohort.invites()
    assert invite.state == "used"
    assert invite.used_by == session.account_id
    assert cohort.sign_in("ann", PASSWORD).key == session.key


def test_a_used_code_is_refused_with_a_clear_message(cohort: Cohort) -> None:
    [code] = cohort.invite(1)
    cohort.join(code, "Ann", PASSWORD)
    with pytest.raises(CohortError, match="already been used") as caught:
        cohort.join(code, "Bob", PASSWORD)
    assert "sign in" in str(caught.value)
    assert [a.name for a in cohort.participants()] == ["Ann"]


def test_revoked_and_unknown_codes_are_refused(cohort: Cohort) -> None:
    used, revoked = cohort.invite(2)
    cohort.join(used, "Ann", PASSWORD)
    assert cohort.revoke(revoked.lower()).state == "revoked"
    with pytest.raises(CohortError, match="does not work"):
        cohort.join(revoked, "Bob", PASSWORD)
    with pytest.raises(CohortError, match="does not work"):
        cohort.join("ABCD-EFGH-JKMN-PQRS", "Bob", PASSWORD)
    with pytest.raises(CohortError, match="no such invite"):
        cohort.revoke("ABCD-EFGH-JKMN-PQRS")
    with pytest.raises(CohortError, match="already been used"):
        cohort.revoke(used)
    assert [a.name for a in cohort.participants()] == ["Ann"]
    assert sorted(i.state for i in cohort.invites()) == ["revoked", "used"]


# -- names -------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("first", "second"),
    [("Zoë", "ZOË"), ("Zoë", "Zoe\u0308"), ("Ann", "  ann "), ("ﬁona", "Fiona")],
    ids=["case", "decomposed", "spaces", "ligature_nfkc"],
)
def test_duplicate_names_are_refused_and_the_code_stays_open(
    cohort: Cohort, first: str, second: str
) -> None:
    join(cohort, first)
    [code] = cohort.invite(1)
    with pytest.raises(CohortError, match="already uses that name"):
        cohort.join(code, second, PASSWORD)
    assert len(cohort.participants()) == 1
    # Nothing was used up: the same code still works with another name.
    assert cohort.join(code, "Someone Else", PASSWORD).session.name == "Someone Else"


def test_a_participant_cannot_take_the_facilitators_name(cohort: Cohort) -> None:
    [code] = cohort.invite(1)
    with pytest.raises(CohortError, match="already uses that name"):
        cohort.join(code, "SAM", PASSWORD)


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("bad\x00name", "control characters"),
        ("two\nlines", "line breaks"),
        ("x" * 500, f"{NAME_MAX} characters"),
        ("x" * (NAME_MAX + 1), f"{NAME_MAX} characters"),
        ("   ", "choose a name"),
        ("\u3000\t ", "choose a name"),
        ("", "choose a name"),
    ],
    ids=["nul", "newline", "500_chars", "one_too_long", "spaces", "wide_space_tab", "empty"],
)
def test_bad_names_are_refused(cohort: Cohort, folder: Path, name: str, message: str) -> None:
    [code] = cohort.invite(1)
    with pytest.raises(CohortError, match=message):
        cohort.join(code, name, PASSWORD)
    assert cohort.participants() == []
    assert list((folder / "people").iterdir()) == []
    assert [i.state for i in cohort.invites()] == ["open"]


@pytest.mark.parametrize(
    "name",
    [
        "../../etc",
        "<script>alert(1)</script>",
        "**bold** _it_ [x](y)",
        "Ünïcødé 名前",
        "x" * NAME_MAX,
    ],
    ids=["traversal", "html", "markdown", "unicode", "longest"],
)
def test_odd_names_are_kept_verbatim_and_never_become_a_path(
    cohort: Cohort, folder: Path, tmp_path: Path, name: str
) -> None:
    session = join(cohort, name)
    write_a_win(folder, session)  # the person's files now exist
    assert session.name == name
    assert cohort.account(session.account_id).name == name  # type: ignore[union-attr]
    assert cohort.sign_in(name, PASSWORD).account_id == session.account_id
    people = list((folder / "people").iterdir())
    assert [p.name for p in people] == [session.account_id]
    assert HEX_ID.fullmatch(session.account_id)
    # No file or folder anywhere is named after what the person typed.
    parts = {part for p in tmp_path.rglob("*") for part in p.relative_to(tmp_path).parts}
    assert not any(name in part or part == "etc" for part in parts)
    assert not (tmp_path.parent / "etc").exists()


def test_person_dir_only_accepts_account_ids(cohort: Cohort) -> None:
    for bad in ("../../etc", "A" * 32, "a" * 31, "", "a" * 31 + "/"):
        with pytest.raises(CohortError, match="not an account id"):
            cohort.person_dir(bad)


# -- passwords and signing in ------------------------------------------------------------
def test_passwords_shorter_than_the_minimum_are_refused(cohort: Cohort) -> None:
    [code] = cohort.invite(1)
    with pytest.raises(CohortError, match=f"at least {PASSWORD_MIN}"):
        cohort.join(code, "Ann", "x" * (PASSWORD_MIN - 1))
    assert cohort.participants() == []
    assert cohort.join(code, "Ann", "x" * PASSWORD_MIN).session.name == "Ann"


def test_sign_in_right_and_wrong(cohort: Cohort) -> None:
    joined = join(cohort, "Ann")
    session = cohort.sign_in("Ann", PASSWORD, client="10.0.0.1")
    assert (session.account_id, session.role, session.key) == (
        joined.account_id,
        Role.PARTICIPANT,
        joined.key,
    )
    with pytest.raises(SignInRefused, match="do not match"):
        cohort.sign_in("Ann", PASSWORD + "x", client="10.0.0.1")
    facilitator = cohort.sign_in("sam", FACILITATOR_PASSWORD)
    assert facilitator.role is Role.FACILITATOR


def test_unknown_name_and_wrong_password_give_the_same_message(cohort: Cohort) -> None:
    join(cohort, "Ann")
    with pytest.raises(SignInRefused) as unknown:
        cohort.sign_in("Nobody", PASSWORD, client="a")
    with pytest.raises(SignInRefused) as wrong:
        cohort.sign_in("Ann", "wrong password!", client="b")
    assert str(unknown.value) == str(wrong.value)
    assert "Nobody" not in str(unknown.value)


def test_repeated_failures_ask_to_wait_then_lock_even_the_right_password(
    cohort: Cohort,
) -> None:
    join(cohort, "Ann")
    for _ in range(ACCOUNT.free + 1):
        with pytest.raises(SignInRefused, match="do not match"):
            cohort.sign_in("Ann", "wrong password!", client="10.0.0.1")
    # Now even the right password has to wait, from any device.
    with pytest.raises(SignInRefused, match=r"please wait \d+ seconds?"):
        cohort.sign_in("Ann", PASSWORD, client="10.0.0.2")
    # An unknown name is slowed down in exactly the same way (nothing tells them apart).
    for _ in range(ACCOUNT.free + 1):
        with pytest.raises(SignInRefused, match="do not match"):
            cohort.sign_in("Nobody", "wrong password!", client="10.0.0.3")
    with pytest.raises(SignInRefused, match=r"please wait \d+ seconds?"):
        cohort.sign_in("Nobody", "wrong password!", client="10.0.0.4")
    # Further failures (as if the waits had been served) reach the lock at 10.
    key = f"account:{name_key('Ann')}"
    while cohort.throttle.failures(key) < ACCOUNT.lock_after:
        cohort.throttle.failed(key)
    with pytest.raises(SignInRefused, match="paused for 15 minutes") as caught:
        cohort.sign_in("ann", PASSWORD, client="10.0.0.9")
    assert "this account" in str(caught.value)
    assert cohort.refusal_for("Ann", "10.0.0.9") is not None
    # Someone else still signs in.
    assert cohort.sign_in("Sam", FACILITATOR_PASSWORD, client="10.0.0.9").name == "Sam"


def test_a_success_clears_the_accounts_failures(cohort: Cohort) -> None:
    join(cohort, "Ann")
    for _ in range(ACCOUNT.free):
        with pytest.raises(SignInRefused):
            cohort.sign_in("Ann", "wrong password!")
    cohort.sign_in("Ann", PASSWORD)
    assert cohort.throttle.failures(f"account:{name_key('Ann')}") == 0
    for _ in range(ACCOUNT.free):  # the free mistakes are free again
        with pytest.raises(SignInRefused, match="do not match"):
            cohort.sign_in("Ann", "wrong password!")


def test_one_client_guessing_many_names_is_slowed_down_alone(cohort: Cohort) -> None:
    join(cohort, "Ann")
    for n in range(CLIENT.free + 1):
        with pytest.raises(SignInRefused, match="do not match"):
            cohort.sign_in(f"Guess {n}", "wrong password!", client="10.9.9.9")
    with pytest.raises(SignInRefused, match="please wait"):
        cohort.sign_in("Ann", PASSWORD, client="10.9.9.9")
    # The same person from another address is not held up.
    assert cohort.sign_in("Ann", PASSWORD, client="10.1.1.1").name == "Ann"
    # Joining from the guessing client is slowed down too.
    [code] = cohort.invite(1)
    with pytest.raises(SignInRefused, match="please wait"):
        cohort.join(code, "Bob", PASSWORD, client="10.9.9.9")


def test_wrong_invite_codes_count_against_the_client(cohort: Cohort) -> None:
    for _ in range(CLIENT.free + 1):
        with pytest.raises(CohortError, match="does not work"):
            cohort.join("ABCD-EFGH-JKMN-PQRS", "Bob", PASSWORD, client="10.7.7.7")
    [code] = cohort.invite(1)
    with pytest.raises(SignInRefused, match="please wait"):
        cohort.join(code, "Bob", PASSWORD, client="10.7.7.7")
    assert cohort.join(code, "Bob", PASSWORD, client="10.8.8.8").session.name == "Bob"


# -- the throttle on its own, with explicit times ----------------------------------------
T0 = datetime(2024, 5, 1, 12, 0, tzinfo=UTC)


def test_throttle_waits_grow_and_expire() -> None:
    throttle = Throttle()
    key = "account:ann"
    for _ in range(ACCOUNT.free):
        throttle.failed(key, now=T0)
    assert throttle.check(key, ACCOUNT, now=T0) is None  # the free mistakes
    throttle.failed(key, now=T0)
    refusal = throttle.check(key, ACCOUNT, now=T0)
    assert refusal is not None
    assert refusal.until == T0 + timedelta(seconds=2)
    assert "wait 2 seconds" in refusal.message
    assert "1 second " in throttle.check(key, ACCOUNT, now=T0 + timedelta(seconds=1)).message  # type: ignore[union-attr]
    assert throttle.check(key, ACCOUNT, now=T0 + timedelta(seconds=2)) is None
    throttle.failed(key, now=T0)
    assert throttle.check(key, ACCOUNT, now=T0).until == T0 + timedelta(seconds=4)  # type: ignore[union-attr]
    while throttle.failures(key) < ACCOUNT.lock_after - 1:
        throttle.failed(key, now=T0)
    # 2 ** 6 = 64 seconds, capped at a minute.
    assert throttle.check(key, ACCOUNT, now=T0).until == T0 + timedelta(seconds=60)  # type: ignore[union-attr]
    assert throttle.check(key, ACCOUNT, now=T0 + timedelta(seconds=60)) is None


def test_throttle_locks_after_ten_and_a_served_lock_starts_afresh() -> None:
    throttle = Throttle()
    key = "account:ann"
    for _ in range(ACCOUNT.lock_after):
        throttle.failed(key, now=T0)
    refusal = throttle.check(key, ACCOUNT, now=T0)
    assert refusal is not None
    assert refusal.until == T0 + timedelta(minutes=15)
    assert "paused for 15 minutes" in refusal.message
    assert "this account" in refusal.message
    late = throttle.check(key, ACCOUNT, now=T0 + timedelta(minutes=14, seconds=50))
    assert late is not None
    assert "paused for 1 minute." in late.message
    assert throttle.check(key, ACCOUNT, now=T0 + timedelta(minutes=15)) is None
    assert throttle.failures(key) == 0


def test_throttle_keeps_keys_apart_and_clients_get_more_room() -> None:
    throttle = Throttle()
    for _ in range(ACCOUNT.free + 1):
        throttle.failed("client:10.0.0.1", now=T0)
        throttle.failed("account:ann", now=T0)
    assert throttle.check("account:ann", ACCOUNT, now=T0) is not None
    assert throttle.check("client:10.0.0.1", CLIENT, now=T0) is None  # 4 of 10 free
    assert throttle.check("client:10.0.0.2", CLIENT, now=T0) is None
    assert throttle.check("account:bob", ACCOUNT, now=T0) is None
    while throttle.failures("client:10.0.0.1") < CLIENT.lock_after:
        throttle.failed("client:10.0.0.1", now=T0)
    locked = throttle.check("client:10.0.0.1", CLIENT, now=T0)
    assert locked is not None
    assert "this device" in locked.message
    throttle.succeeded("account:ann")
    assert throttle.check("account:ann", ACCOUNT, now=T0) is None
    assert throttle.check("client:10.0.0.1", CLIENT, now=T0) is not None


# -- recovery and password changes -------------------------------------------------------
def test_recover_sets_a_new_password_and_gives_a_new_code(cohort: Cohort, folder: Path) -> None:
    [code] = cohort.invite(1)
    joined = cohort.join(code, "Ann", PASSWORD)
    write_a_win(folder, joined.session)

    again = cohort.recover("ann", joined.recovery_code.lower().replace("-", " "), "brand new pw")
    assert again.recovery_code != joined.recovery_code
    assert CODE_5.fullmatch(again.recovery_code)
    assert again.session.key == joined.session.key  # the same data key
    with pytest.raises(SignInRefused):
        cohort.sign_in("Ann", PASSWORD)
    session = cohort.sign_in("Ann", "brand new pw")
    assert wins(folder, session) == ["quiet harbour lantern"]  # written before, opens after
    # The old recovery code no longer works; the new one does.
    with pytest.raises(SignInRefused, match="recovery code do not match"):
        cohort.recover("Ann", joined.recovery_code, "third password")
    third = cohort.recover("Ann", again.recovery_code, "third password")
    assert third.session.key == joined.session.key


def test_recover_refusals_look_alike_and_change_nothing(cohort: Cohort, folder: Path) -> None:
    [code] = cohort.invite(1)
    joined = cohort.join(code, "Ann", PASSWORD)
    before = (folder / "cohort.json").read_bytes()
    with pytest.raises(SignInRefused) as wrong_code:
        cohort.recover("Ann", "ABCD-EFGH-JKMN-PQRS-TUVW", "brand new pw", client="a")
    with pytest.raises(SignInRefused) as unknown:
        cohort.recover("Nobody", joined.recovery_code, "brand new pw", client="b")
    assert str(wrong_code.value) == str(unknown.value)
    with pytest.raises(CohortError, match="at least"):
        cohort.recover("Ann", joined.recovery_code, "short")
    assert (folder / "cohort.json").read_bytes() == before
    assert cohort.sign_in("Ann", PASSWORD).key == joined.session.key


def test_change_password_rewraps_without_touching_the_workbook(
    cohort: Cohort, folder: Path
) -> None:
    session = join(cohort, "Ann")
    write_a_win(folder, session)
    person = folder / "people" / session.account_id
    workbook_files = {p: p.read_bytes() for p in every_file(person)}

    with pytest.raises(CohortError, match="does not match"):
        cohort.change_password(session, "not my password", "another password")
    with pytest.raises(CohortError, match="at least"):
        cohort.change_password(session, PASSWORD, "short")
    assert cohort.sign_in("Ann", PASSWORD).key == session.key

    cohort.change_password(session, PASSWORD, "another password")
    with pytest.raises(SignInRefused):
        cohort.sign_in("Ann", PASSWORD)
    fresh = cohort.sign_in("Ann", "another password")
    assert fresh.key == session.key
    assert {p: p.read_bytes() for p in every_file(person)} == workbook_files
    assert wins(folder, fresh) == ["quiet harbour lantern"]


# -- removing ----------------------------------------------------------------------------
def test_remove_deletes_the_person_their_files_and_every_earlier_state(
    cohort: Cohort, folder: Path
) -> None:
    name = "Quillon Fenwright"
    ann = join(cohort, name)
    bob = join(cohort, "Bob")
    texts = content.load(None)
    host = Host(folder)
    wb = host.workbook(ann, lambda: texts)
    wb.add(Win, {"text": "one", "won_on": "2024-03-02"})
    wb.add(Win, {"text": "two", "won_on": "2024-03-02"})
    wb.file.fold()  # a rolling backup (with its journal) ...
    wb.add(Win, {"text": "three", "won_on": "2024-03-02"})  # ... and a live journal
    host.share(ann, "wins", True, texts)
    write_a_win(folder, bob)
    person = folder / "people" / ann.account_id
    parts = ("workbook.json", "workbook.json.journal", "summary.json", "backups", "shared")
    for part in (*parts, "shared/wins.sealed"):
        assert (person / part).exists(), part
    assert cohort.file.backups()
    assert any(name.encode() in b.read_bytes() for b in cohort.file.backups())

    cohort.remove(ann.account_id)

    assert not person.exists()
    assert cohort.account(ann.account_id) is None
    assert [a.name for a in cohort.participants()] == ["Bob"]
    assert not cohort.still_valid(ann)
    assert cohort.file.backups() == []
    assert not any(name.encode() in p.read_bytes() for p in every_file(folder))
    with pytest.raises(SignInRefused):
        cohort.sign_in(name, PASSWORD)
    # Bob's things are untouched.
    assert wins(folder, cohort.sign_in("Bob", PASSWORD)) == ["quiet harbour lantern"]


def test_the_facilitator_and_unknown_ids_cannot_be_removed(cohort: Cohort, folder: Path) -> None:
    facilitator = cohort.facilitator()
    before = (folder / "cohort.json").read_bytes()
    with pytest.raises(CohortError, match="cannot be removed"):
        cohort.remove(facilitator.id)
    with pytest.raises(CohortError, match="no such participant"):
        cohort.remove("0" * 32)
    assert (folder / "cohort.json").read_bytes() == before
    assert cohort.sign_in("Sam", FACILITATOR_PASSWORD).role is Role.FACILITATOR
