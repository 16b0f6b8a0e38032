"""Sharing: the worksheets a participant chooses to let their facilitator read."""

from __future__ import annotations

import streamlit as st

from workbook import exports, ui
from workbook.navigation import PAGES
from workbook.ui import auth

host = auth.host()
text = ui.texts().cohort.sharing
me = auth.session()
assert me is not None
st.title(text.title)
st.write(text.intro)

shared = set(host.shared(me))


def _toggle(key: str) -> None:
    on = bool(st.session_state[f"_share.{key}"])
    host.share(me, key, on, ui.texts())
    message = text.now_shared if on else text.now_private
    ui.flash(message.format(worksheet=PAGES[key].title))


ui.show_flash()
st.header(text.worksheets)
keys = [key for key in exports.WORKSHEETS if key in PAGES]
for key in keys:
    st.toggle(
        text.toggle.format(worksheet=PAGES[key].title),
        value=key in shared,
        key=f"_share.{key}",
        on_change=_toggle,
        args=(key,),
    )
st.caption(text.summary.format(shared=len(shared), total=len(keys)))
