"""Sign in to a hosted workshop: name and password (an invite code first, on Join)."""

from __future__ import annotations

import streamlit as st

from workbook import cohort, ui
from workbook.ui import auth

host = auth.host()
st.title(f"Welcome to {host.cohort.title}")
st.write(
    "Sign in to open your workbook. What you write there is locked with your password: "
    "no one else can read it — not other participants, not your facilitator."
)
note = auth.notice()
if note:
    st.info(note, icon=":material/info:")

with st.form("sign_in", enter_to_submit=True):
    name = st.text_input("Your name in this workshop", max_chars=cohort.NAME_MAX)
    password = st.text_input("Password", type="password")
    submitted = st.form_submit_button("Sign in", type="primary", icon=":material/login:")

if submitted:
    if not name.strip() or not password:
        st.error("Please fill in both your name and your password.", icon=":material/info:")
    else:
        try:
            with st.spinner("Checking…"):
                session = host.cohort.sign_in(name, password, auth.client())
        except cohort.CohortError as exc:
            st.error(str(exc), icon=":material/info:")
        else:
            auth.begin(session)
            st.rerun()

st.divider()
st.write("New here? You need the invite code your facilitator gave you.")
ui.page_link("join", "Join with an invite code")
ui.page_link("recover", "I forgot my password")
