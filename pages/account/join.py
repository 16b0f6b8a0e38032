"""Join a hosted workshop with a single-use invite code: choose a name and a password."""

from __future__ import annotations

import streamlit as st

from workbook import cohort, ui
from workbook.ui import auth

host = auth.host()
st.title("Join the workshop")
st.write(
    "Use the invite code from your facilitator once, to choose the name others will see and "
    "a password only you know. Your workbook is locked with that password."
)

with st.form("join", enter_to_submit=True):
    code = st.text_input("Invite code", placeholder="ABCD-EFGH-JKLM-NPQR")
    name = st.text_input(
        "Your name in this workshop",
        max_chars=cohort.NAME_MAX,
        help="Shown to your facilitator; you sign in with it. A first name is enough.",
    )
    password = st.text_input(
        "Choose a password", type="password", help=f"At least {cohort.PASSWORD_MIN} characters."
    )
    again = st.text_input("The same password again", type="password")
    submitted = st.form_submit_button("Join", type="primary", icon=":material/badge:")

if submitted:
    problem = None
    if not code.strip():
        problem = "Please enter your invite code."
    elif password != again:
        problem = "The two passwords are not the same. Please type them again."
    if problem:
        st.error(problem, icon=":material/info:")
    else:
        try:
            with st.spinner("Setting up your private workbook…"):
                joined = host.cohort.join(code, name, password, auth.client())
        except cohort.CohortError as exc:
            st.error(str(exc), icon=":material/info:")
        else:
            auth.begin(joined.session, joined.recovery_code)
            st.rerun()

st.divider()
ui.page_link("sign_in", "I already joined: sign in")
