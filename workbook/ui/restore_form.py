"""Restore from a JSON backup: what the file holds first, then replace or merge on request."""

from __future__ import annotations

from datetime import tzinfo

import streamlit as st

from workbook import textsafe, timefmt, ui
from workbook.exports import backup
from workbook.repository import Workbook


def show(wb: Workbook, zone: tzinfo) -> None:
    """The uploader, the preview of a valid file (or why it was refused), and the restore."""
    upload = st.file_uploader("Backup file", type=["json"], key="_restore.file")
    if upload is not None:
        try:
            found = backup.parse(upload.getvalue())
        except backup.BackupError as exc:
            st.error(textsafe.escape_markdown(str(exc)), icon=":material/block:")
            st.caption("Nothing has been changed.")
            return
        kinds = ui.texts().progress.your_data
        counts = {kinds.kind(t): n for t, n in found.counts().items() if n}
        made = timefmt.format_moment(found.exported_at, zone)
        st.write(f"This backup was made on {made} and holds:")
        st.dataframe({"What": list(counts), "Entries": list(counts.values())}, hide_index=True)
        modes = {
            "merge": "Add it to my workbook (entries with the same id are replaced)",
            "replace": "Replace my workbook with it",
        }
        mode = st.radio(
            "How to restore", list(modes), format_func=modes.__getitem__, key="_restore.mode"
        )
        sure = st.checkbox(
            "I understand. My current workbook is copied aside first.", key="_restore.sure"
        )
        if st.button("Restore", type="primary", disabled=not sure, icon=":material/restore:"):
            result = backup.restore(wb, found, mode)
            ui.flash(f"Restored. Your workbook as it was is kept at {result.safety_copy}")
            st.rerun()
