"""Sign-in for a hosted workshop, on the Streamlit side: who is here, and in which role.

The signed-in person's :class:`~workbook.cohort.Session` (with their unwrapped key) lives
only in this browser session's state. It ends when they sign out, when they have been idle
for ``REBOUND_IDLE_MINUTES``, when their account is removed, or when the tab is closed.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import streamlit as st

from workbook import config
from workbook.cohort import CohortError, Host, Joined, Role, Session

_SESSION = "_auth.session"
_NEW_CODE = "_auth.recovery_code"
_NOTICE = "_auth.notice"


@st.cache_resource(show_spinner=False)
def _host(folder: str) -> Host:
    # One per workshop folder for the whole server: it holds the open workbooks.
    return Host(config.cohort_dir(Path(folder)))


def hosted() -> bool:
    return config.cohort_mode()


def host() -> Host:
    return _host(str(config.data_dir()))


def client() -> str:
    """Who is asking, for slowing down guessing: the browser's address.

    Behind a reverse proxy on this machine (deploy/nginx.conf) every browser reaches the
    server from 127.0.0.1, and one shared count would let a few mistakes lock the whole
    room out; so from a loopback peer, and only then, the proxy's X-Forwarded-For is used.
    """
    try:
        peer = st.context.ip_address or ""
        forwarded = st.context.headers.get("X-Forwarded-For", "")
    except Exception:  # no browser (AppTest)
        return "unknown"
    return client_address(peer, forwarded)


def client_address(peer: str, forwarded: str) -> str:
    """The client's address from the direct peer and a proxy's X-Forwarded-For header."""
    if forwarded and _is_loopback(peer):
        # The proxy appends the address it saw last; earlier entries came from the client.
        last = forwarded.split(",")[-1].strip()
        if last:
            return last
    return peer or "unknown"


def _is_loopback(address: str) -> bool:
    try:
        return ipaddress.ip_address(address).is_loopback
    except ValueError:
        return False


def session(now: datetime | None = None) -> Session | None:
    """The signed-in person, or ``None``; ends idle or removed sessions on the way."""
    current: Session | None = st.session_state.get(_SESSION)
    if current is None:
        return None
    now = now or datetime.now(UTC)
    idle = config.idle_minutes()
    if current.idle_for(now) > idle * 60:
        sign_out(
            f"You were signed out after {idle} minutes without activity. "
            "Everything you saved is kept; please sign in again."
        )
        return None
    if not host().cohort.still_valid(current):
        sign_out("This account no longer exists.")
        return None
    current.last_seen = now
    return current


def role() -> str:
    """``personal`` (no workshop), ``visitor``, ``new_code``, ``participant`` or ``facilitator``."""
    if not hosted():
        return "personal"
    current = session()
    if current is None:
        return "visitor"
    if st.session_state.get(_NEW_CODE):
        return "new_code"
    # Compared by value, and anything unknown is a visitor: a session can outlive a reload
    # of this module, and an old enum member is never "not a participant" by identity.
    if current.role == Role.PARTICIPANT:
        return "participant"
    if current.role == Role.FACILITATOR:
        return "facilitator"
    return "visitor"


def attempt(working: str, action: Callable[[], Session | Joined]) -> None:
    """Sign in, join or recover: on success start the session and rerun; else say why."""
    try:
        with st.spinner(working):
            result = action()
    except CohortError as exc:
        st.error(str(exc), icon=":material/info:")
        return
    if isinstance(result, Joined):
        begin(result.session, result.recovery_code)
    else:
        begin(result)
    st.rerun()


def begin(new: Session, recovery_code: str | None = None) -> None:
    """Start a signed-in session (a fresh one: nothing from before carries over)."""
    st.session_state.clear()
    st.session_state[_SESSION] = new
    if recovery_code:
        st.session_state[_NEW_CODE] = recovery_code


def recovery_code() -> str | None:
    return st.session_state.get(_NEW_CODE)


def recovery_code_kept() -> None:
    st.session_state.pop(_NEW_CODE, None)


def sign_out(notice: str = "You have signed out. Everything you saved is kept.") -> None:
    """Forget the session and every field of it; say why on the sign-in page."""
    st.session_state.clear()
    st.session_state[_NOTICE] = notice


def notice() -> str | None:
    return st.session_state.pop(_NOTICE, None)
