"""Shared setup for AppTest tests of a hosted workshop (cohort mode).

A workshop exists when ``<data>/cohort/cohort.json`` exists; each test makes one in its own
data folder, so the app's per-folder caches (``auth._host``, the stores) never overlap.
"""

from __future__ import annotations

import re
from pathlib import Path

from streamlit.testing.v1 import AppTest
from streamlit.testing.v1.element_tree import Block, Button, TextInput

from tests.conftest import APP
from workbook import config, content
from workbook.cohort import Cohort, Host, Session
from workbook.textsafe import escape_markdown
from workbook.ui import auth

TITLE = "Spring"
FACILITATOR = "Sam"
FACILITATOR_PASSWORD = "facilpass123"
PASSWORD = "participant-pw1"
SIGN_IN_TITLE = f"Welcome to {TITLE}"
# Every code Rebound makes: groups of four from an alphabet without 0/O, 1/I/L.
GROUP = "[23456789ABCDEFGHJKMNPQRSTUVWXYZ]{4}"
RECOVERY_CODE = re.compile(rf"{GROUP}(-{GROUP}){{4}}")
INVITE_CODE = re.compile(rf"{GROUP}(-{GROUP}){{3}}")


def workshop(data_dir: Path, title: str = TITLE) -> Cohort:
    cohort, _ = Cohort.create(
        config.cohort_dir(data_dir),
        title=title,
        facilitator=FACILITATOR,
        password=FACILITATOR_PASSWORD,
    )
    return cohort


def app_host() -> Host:
    """The Host the app itself uses (cached per data folder): same throttle, same workbooks."""
    return auth.host()


def texts_of(host: Host):
    return lambda: content.load(workshop_dir=host.cohort.content_dir)


def join(cohort: Cohort, name: str, password: str = PASSWORD) -> Session:
    """A participant who joined (through the API) and kept their recovery code."""
    [code] = cohort.invite(1)
    return cohort.join(code, name, password).session


# -- driving the app -----------------------------------------------------------------
def ok(at: AppTest) -> AppTest:
    """``at`` after a run that raised nothing."""
    assert not at.exception, [e.value for e in at.exception]
    return at


def new_app() -> AppTest:
    return ok(AppTest.from_file(str(APP), default_timeout=30).run())


def field(at: AppTest | Block, label: str) -> TextInput:
    found = [t for t in at.text_input if t.label == label]
    assert found, f"no text field {label!r}: {[t.label for t in at.text_input]}"
    return found[0]


def button(at: AppTest, label: str) -> Button:
    """A button of the page itself (the sidebar has its own "Sign out")."""
    found = [b for b in at.main.button if b.label == label]
    assert found, f"no button {label!r}: {[b.label for b in at.main.button]}"
    return found[0]


def sign_in(at: AppTest, name: str, password: str) -> AppTest:
    field(at, "Your name in this workshop").input(name)
    field(at, "Password").input(password)
    at.button(key="FormSubmitter:sign_in-Sign in").click()
    return ok(at.run())


def signed_in(name: str, password: str) -> AppTest:
    """A fresh browser session, signed in through the sign-in page."""
    at = sign_in(new_app(), name, password)
    assert at.session_state["_auth.session"].name.casefold() == name.casefold()
    return at


def facilitator() -> AppTest:
    return signed_in(FACILITATOR, FACILITATOR_PASSWORD)


def join_form(at: AppTest, code: str, name: str, password: str, again: str | None = None):
    if at.title[0].value != "Join the workshop":
        ok(at.switch_page("pages/account/join.py").run())
    field(at, "Invite code").input(code)
    field(at, "Your name in this workshop").input(name)
    field(at, "Choose a password").input(password)
    field(at, "The same password again").input(password if again is None else again)
    at.button(key="FormSubmitter:join-Join").click()
    return ok(at.run())


def go(at: AppTest, page: str) -> AppTest:
    return ok(at.switch_page(page).run())


# -- what the person sees --------------------------------------------------------------
def unescape(text: str) -> str:
    return re.sub(r"\\(.)", r"\1", text)


def shown(at: AppTest) -> str:
    """The visible words of the page, read as shown (markdown escapes removed)."""
    parts = [
        *at.title,
        *at.header,
        *at.subheader,
        *at.markdown,
        *at.caption,
        *at.info,
        *at.success,
        *at.warning,
        *at.error,
        *at.text,
        *at.code,
    ]
    return unescape("\n".join(str(p.value) for p in parts))


def errors(at: AppTest) -> list[str]:
    return [unescape(e.value) for e in at.error]


def page_dump(at: AppTest) -> str:
    """Everything the server sent for this page: every element's full message, charts'
    specs and tables' data included (for "this never reaches the page" checks)."""
    parts: list[str] = []

    def walk(node) -> None:
        proto = getattr(node, "proto", None)
        if proto is not None:
            parts.append(str(proto))
            arrow = getattr(proto, "data", None)
            if isinstance(arrow, bytes):  # dataframes travel as Arrow bytes
                parts.append(arrow.decode("latin-1"))
        for child in getattr(node, "children", {}).values():
            walk(child)

    walk(at.main)
    walk(at.sidebar)
    for df in at.dataframe:
        parts.append(df.value.to_csv())
    return "\n".join(parts)


def signed_in_caption(name: str, role: str) -> str:
    return f"Signed in as {escape_markdown(name)} ({role})"
