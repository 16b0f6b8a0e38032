"""Sign in to a hosted workshop: name and password (an invite code first, on Join)."""

from __future__ import annotations

import streamlit as st

from workbook import cohort, ui
from workbook.ui import auth

host = auth.host()
text = ui.texts().cohort.sign_in
st.title(text.title.format(title=host.cohort.title))
st.write(text.intro)
note = auth.notice()
if note:
    st.info(note, icon=":material/info:")

with st.form("sign_in", enter_to_submit=True):
    name = st.text_input(text.name_label, max_chars=cohort.NAME_MAX)
    password = st.text_input(text.password_label, type="password")
    submitted = st.form_submit_button(text.button, type="primary", icon=":material/login:")

if submitted:
    if not name.strip() or not password:
        st.error(text.missing, icon=":material/info:")
    else:
        auth.attempt(text.checking, lambda: host.cohort.sign_in(name, password, auth.client()))

st.divider()
st.write(text.new_here)
ui.page_link("join", text.join_link)
ui.page_link("recover", text.forgot_link)
