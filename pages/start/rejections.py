"""S2 Rejection log: add, list, edit, archive and delete rejections."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from workbook import linked, textsafe, timefmt, ui
from workbook.models import Rejection
from workbook.ui import rejection_form

text = ui.texts().rejections
wb = ui.store()
rejections = sorted(wb.all(Rejection), key=lambda r: r.rejected_at, reverse=True)

ui.page_start(text.title, text.intro)

st.header("Add a rejection")
# Drawn only when wanted: a collapsed expander would still build every field on each run.
if not rejections or st.toggle("Add another rejection", key=ui.kept("log.adding", False)):
    add = ui.Form("add_rejection")
    rejection_form.fields(add, "new", None)

    def _add() -> str:
        record = wb.add(Rejection, rejection_form.values("new"))
        wb.set_setting(ui.SELECTED_REJECTION, record.id)
        return f"Saved. {record.company} is in your log."

    add.button("Save rejection", _add, clear=rejection_form.keys("new"))

st.header("Your log")
if not rejections:
    st.write(text.empty)
    st.stop()
show = st.radio(
    "Show", ["Active", "Archived", "All"], horizontal=True, key=ui.kept("log.show", "Active")
)
query = st.text_input("Search company or role", key=ui.kept("log.query", "")).casefold()
shown = [
    r
    for r in rejections
    if (show == "All" or r.archived == (show == "Archived"))
    and (query in r.company.casefold() or query in r.role.casefold())
]
st.caption(text.archive_help)
page = ui.paginate(shown, "log", per_page=20)
zone = ui.tz()
st.dataframe(
    pd.DataFrame(
        {
            "Company": [r.company for r in page],
            "Role": [r.role for r in page],
            "Furthest stage": [text.stage_label(r.stage) for r in page],
            "Date of the “no”": [timefmt.to_local(r.rejected_at, zone).date() for r in page],
            "Status": ["Archived" if r.archived else "Active" for r in page],
            "Found via": [r.channel for r in page],
            "Notes": [textsafe.preview(r.notes) for r in page],
        }
    ),
    hide_index=True,
    width="stretch",
    column_config={"Date of the “no”": st.column_config.DateColumn(format="D MMM YYYY")},
)

st.header("Change one rejection")
chosen = ui.choose_one(
    shown, "log", ui.rejection_label, "Choose a rejection to edit, archive or delete"
)
if chosen is None:
    st.stop()
prefix = f"edit.{chosen.id}"
edit = ui.Form(f"edit_{chosen.id}")
rejection_form.fields(edit, prefix, chosen)


def _save() -> str:
    wb.update(Rejection, chosen.id, rejection_form.values(prefix))
    return "Your changes are saved."


def _archive() -> str:
    wb.update(Rejection, chosen.id, {"archived": not chosen.archived})
    return "Back in your active list." if chosen.archived else "Archived. Well done."


def _question() -> str:
    count = linked.count_linked(wb, chosen.id)
    also = f" and the {count} entries linked to it" if count else ""
    return f"Delete {chosen.company}{also}? This cannot be undone."


save_col, archive_col, delete_col = st.columns(3)
with save_col:
    edit.button("Save changes", _save, clear=rejection_form.keys(prefix))
with archive_col:
    label = "Move back to active" if chosen.archived else "Archive (worked through)"
    edit.button(label, _archive, key=f"_archive.{chosen.id}", primary=False)
with delete_col:
    ui.confirm_delete(
        f"rejection.{chosen.id}",
        _question,
        lambda: linked.delete_rejection(wb, chosen.id),
        done=f"{chosen.company} was deleted.",
    )
