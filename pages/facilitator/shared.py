"""Worksheets participants chose to share: the only writing a facilitator can read."""

from __future__ import annotations

import streamlit as st

from workbook import cohort, ui
from workbook.navigation import PAGES
from workbook.ui import auth

host = auth.host()
text = ui.texts().cohort.shared
me = auth.session()
assert me is not None
st.title(text.title)
st.write(text.intro)

anonymise = not bool(host.cohort.setting("show_names", False))
sharing = [row for row in host.rows(anonymise=anonymise) if row.shared]
if not sharing:
    st.info(text.none, icon=":material/info:")
    st.stop()

labels = {row.account_id: row.label for row in sharing}
who = st.selectbox(text.participant_label, list(labels), format_func=labels.__getitem__)
row = next(r for r in sharing if r.account_id == who)
worksheet = st.selectbox(
    text.worksheet_label, row.shared, format_func=lambda k: PAGES[k].title if k in PAGES else k
)
try:
    body = host.read_shared(me, row.account_id, worksheet)
except (cohort.CohortError, OSError, ValueError):
    st.warning(text.unavailable, icon=":material/info:")
    st.stop()
with st.container(border=True):
    if body.strip():
        # The export escapes everything the person wrote, so this shows their words as text.
        st.markdown(body.split("\n", 1)[1] if body.startswith("# ") else body)
    else:
        st.write(text.empty)
ui.show_text(text.shared_by.format(name=labels[who]), caption=True)
