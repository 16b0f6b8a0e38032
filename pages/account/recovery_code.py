"""The recovery code, shown once after joining (or after using the old one)."""

from __future__ import annotations

import streamlit as st

from workbook import ui
from workbook.ui import auth

text = ui.texts().cohort.recovery_code
st.title(text.title)
st.write(text.intro)
st.code(auth.recovery_code() or "", language=None)
st.button(
    text.button, type="primary", icon=":material/lock_open:", on_click=auth.recovery_code_kept
)
