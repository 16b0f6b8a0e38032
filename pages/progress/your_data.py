"""Your data: where the workbook lives, what it holds, its backups, anything recovered."""

from __future__ import annotations

import streamlit as st

from workbook import ui
from workbook.models import RECORD_TYPES

text = ui.texts().progress.your_data
wb = ui.store()
ui.page_start(text.title, text.intro_hosted if ui.hosted() else text.intro)

st.header(text.location)
st.code(str(wb.path), language=None, wrap_lines=True)
st.caption(text.location_hint)

st.header(text.holds)
st.dataframe(
    {
        "Kind of entry": [text.kind(model.TABLE) for model in RECORD_TYPES],
        "Entries": [wb.count(model) for model in RECORD_TYPES],
    },
    hide_index=True,
)

st.header(text.backups)
backups = wb.file.backups()
st.write(
    f"Rebound keeps the last {wb.file.keep_backups} states of your workbook, so a damaged "
    "file can be recovered. Everyday saves are added to a journal next to the file; a state "
    "is kept each time that journal is folded into the file (about every 500 saves) and at "
    f"every restore or import. There are {len(backups)} right now, in:"
)
st.code(str(wb.file.backup_dir), language=None, wrap_lines=True)

if wb.notices:
    st.header(text.recovered)
    for notice in wb.notices:
        st.warning(notice.message, icon=":material/restore:")

st.header(text.delete_title)
if ui.hosted():
    st.write(text.delete_hosted)
    ui.page_link("account")
else:
    st.write(text.delete_intro)
    confirm = st.text_input(text.delete_confirm, key="_delete_confirm")

    def _delete() -> None:
        ui.delete_personal_workbook()
        st.session_state.clear()
        ui.flash(text.deleted)

    st.button(
        text.delete_button,
        icon=":material/delete_forever:",
        disabled=confirm.strip().casefold() != "delete",
        on_click=_delete,
    )
