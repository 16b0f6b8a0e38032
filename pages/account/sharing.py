"""Sharing: the worksheets a participant chooses to let their facilitator read."""

from __future__ import annotations

import streamlit as st

from workbook import exports, ui
from workbook.navigation import PAGES
from workbook.ui import auth

host = auth.host()
me = auth.session()
assert me is not None
st.title("Sharing")
st.write(
    "Everything in your workbook is private. If you would like your facilitator to read a "
    "worksheet — to talk it through, say — switch it on here. They will see it as it is now "
    "and as you change it, and nothing else. Switch it off and their copy is deleted."
)

shared = set(host.shared(me))


def _toggle(key: str) -> None:
    on = bool(st.session_state[f"_share.{key}"])
    host.share(me, key, on, ui.texts())
    title = PAGES[key].title
    ui.flash(
        f"{title} is now shared with your facilitator." if on else f"{title} is private again."
    )


ui.show_flash()
st.header("Worksheets")
for key in exports.WORKSHEETS:
    if key not in PAGES:
        continue
    st.toggle(
        f"Share “{PAGES[key].title}”",
        value=key in shared,
        key=f"_share.{key}",
        on_change=_toggle,
        args=(key,),
    )
st.caption(
    f"Shared now: {len(shared)} of {len(exports.WORKSHEETS)}. "
    "Shared worksheets are locked so that only your facilitator can open them."
)
