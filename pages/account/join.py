"""Join a hosted workshop with a single-use invite code: choose a name and a password."""

from __future__ import annotations

import streamlit as st

from workbook import cohort, ui
from workbook.ui import auth

host = auth.host()
texts = ui.texts().cohort
text = texts.join
st.title(text.title)
st.write(text.intro)

with st.form("join", enter_to_submit=True):
    code = st.text_input(text.code_label, placeholder="ABCD-EFGH-JKLM-NPQR")
    name = st.text_input(texts.sign_in.name_label, max_chars=cohort.NAME_MAX, help=text.name_help)
    password = st.text_input(
        text.password_label,
        type="password",
        help=text.password_help.format(min=cohort.PASSWORD_MIN),
    )
    again = st.text_input(text.again_label, type="password")
    submitted = st.form_submit_button(text.button, type="primary", icon=":material/badge:")

if submitted:
    problem = None
    if not code.strip():
        problem = text.no_code
    elif password != again:
        problem = text.mismatch
    if problem:
        st.error(problem, icon=":material/info:")
    else:
        auth.attempt(text.working, lambda: host.cohort.join(code, name, password, auth.client()))

st.divider()
ui.page_link("sign_in", text.sign_in_link)
