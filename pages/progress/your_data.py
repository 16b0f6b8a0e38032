"""Your data: where the workbook lives, its backups, and anything recovered."""

from __future__ import annotations

import streamlit as st

from workbook import ui
from workbook.models import RECORD_TYPES

wb = ui.store()
st.title("Your data")
st.write(
    "Everything you write in Rebound stays on this computer. Nothing is sent anywhere, "
    "and no usage statistics are collected."
)

st.header("Where it is saved")
st.code(str(wb.path), language=None, wrap_lines=True)
st.caption("Set REBOUND_DATA_DIR before starting Rebound to keep your workbook somewhere else.")

st.header("What it holds")
counts = {model.__name__: wb.count(model) for model in RECORD_TYPES}
st.dataframe({"Kind of entry": list(counts), "Entries": list(counts.values())}, hide_index=True)

st.header("Backups")
backups = wb.file.backups()
st.write(
    f"Rebound keeps the last {wb.file.keep_backups} states of your workbook, so a damaged "
    f"file can be recovered. There are {len(backups)} right now, in:"
)
st.code(str(wb.file.backup_dir), language=None, wrap_lines=True)

if wb.notices:
    st.header("Recovered")
    for notice in wb.notices:
        st.warning(notice.message, icon=":material/restore:")
