"""The recovery code, shown once after joining (or after using the old one)."""

from __future__ import annotations

import streamlit as st

from workbook.ui import auth

code = auth.recovery_code() or ""
st.title("Your recovery code")
st.write(
    "Please keep this code somewhere safe — on paper, or in a password manager. If you ever "
    "forget your password, it is the only way back into your workbook. It is shown only this "
    "once."
)
st.code(code, language=None)
st.button(
    "I have kept it safe — open my workbook",
    type="primary",
    icon=":material/lock_open:",
    on_click=auth.recovery_code_kept,
)
