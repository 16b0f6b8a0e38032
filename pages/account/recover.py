"""Forgot your password: the recovery code shown at sign-up opens the workbook again."""

from __future__ import annotations

import streamlit as st

from workbook import cohort, ui
from workbook.ui import auth

host = auth.host()
texts = ui.texts().cohort
text = texts.recover
st.title(text.title)
st.write(text.intro)

with st.form("recover", enter_to_submit=True):
    name = st.text_input(texts.sign_in.name_label, max_chars=cohort.NAME_MAX)
    code = st.text_input(text.code_label, placeholder="ABCD-EFGH-JKLM-NPQR-STUV")
    password = st.text_input(
        text.password_label,
        type="password",
        help=texts.join.password_help.format(min=cohort.PASSWORD_MIN),
    )
    again = st.text_input(texts.join.again_label, type="password")
    submitted = st.form_submit_button(text.button, type="primary")

if submitted:
    if not name.strip() or not code.strip():
        st.error(text.missing, icon=":material/info:")
    elif password != again:
        st.error(texts.join.mismatch, icon=":material/info:")
    else:
        auth.attempt(
            texts.sign_in.checking,
            lambda: host.cohort.recover(name, code, password, auth.client()),
        )

st.divider()
ui.page_link("sign_in", text.back_link)
