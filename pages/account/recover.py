"""Forgot your password: the recovery code shown at sign-up opens the workbook again."""

from __future__ import annotations

import streamlit as st

from workbook import cohort, ui
from workbook.ui import auth

host = auth.host()
st.title("Forgot your password")
st.write(
    "When you joined, Rebound showed you a recovery code. It is the only other key to your "
    "workbook: with it you can choose a new password. Without it, no one can open the "
    "workbook — not even your facilitator."
)

with st.form("recover", enter_to_submit=True):
    name = st.text_input("Your name in this workshop", max_chars=cohort.NAME_MAX)
    code = st.text_input("Recovery code", placeholder="ABCD-EFGH-JKLM-NPQR-STUV")
    password = st.text_input(
        "New password", type="password", help=f"At least {cohort.PASSWORD_MIN} characters."
    )
    again = st.text_input("The same password again", type="password")
    submitted = st.form_submit_button("Set the new password", type="primary")

if submitted:
    if not name.strip() or not code.strip():
        st.error("Please fill in your name and your recovery code.", icon=":material/info:")
    elif password != again:
        st.error(
            "The two passwords are not the same. Please type them again.", icon=":material/info:"
        )
    else:
        try:
            with st.spinner("Checking…"):
                joined = host.cohort.recover(name, code, password, auth.client())
        except cohort.CohortError as exc:
            st.error(str(exc), icon=":material/info:")
        else:
            auth.begin(joined.session, joined.recovery_code)
            st.rerun()

st.divider()
ui.page_link("sign_in", "Back to sign in")
