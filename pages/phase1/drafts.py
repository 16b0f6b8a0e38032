"""P1.5 Unsent drafts: the angry email, written where it can never be sent."""

from __future__ import annotations

import streamlit as st

from workbook import phase1, timefmt, ui
from workbook.models import UnsentDraft

text = ui.texts().phase1
drafts = text.drafts
wb = ui.store()
zone = ui.tz()

rejection = ui.page_start(drafts.title, drafts.intro, per_rejection=True)
rid = rejection.id if rejection else None

st.header("Write it out")
form = ui.Form("draft")
ui.text_input(drafts.to_label, "draft.to")
form.error("addressed_to")
ui.text_area(drafts.body_label, "draft.body", height=220)
form.error("body")


def _save() -> None:
    body = {"addressed_to": ui.value("draft.to", ""), "body": ui.value("draft.body", "")}
    wb.add(UnsentDraft, {"rejection_id": rid, **body})


form.button(
    "Keep it here, unsent",
    _save,
    done="Saved here, safely unsent.",
    clear=["draft.to", "draft.body"],
)

mine = sorted(
    phase1.for_rejection(wb.all(UnsentDraft), rid), key=lambda d: d.created_at, reverse=True
)
to_decide = (
    {d.id for d in phase1.drafts_to_decide(mine, rejection, ui.now(), text.window.hours)}
    if rejection
    else set()
)
st.header(text.drafts.yours)
if not mine:
    st.write(text.drafts.empty_hosted if ui.hosted() else text.drafts.empty)
shown = ui.paginate(mine, "drafts", per_page=5)
for draft in shown:
    with st.container(border=True):
        to = f" · to {draft.addressed_to}" if draft.addressed_to else ""
        ui.show_text(f"Written {timefmt.format_moment(draft.created_at, zone)}{to}", caption=True)
        ui.show_text(draft.body)
        if draft.id in to_decide:
            st.write(drafts.after_window)
            st.button(
                "Keep it",
                key=f"_keep.{draft.id}",
                on_click=wb.update,
                args=(UnsentDraft, draft.id, {"decision": "keep"}),
            )

chosen = ui.choose_one(shown, "drafts", lambda d: d.body, "Choose a draft to change or let go")
if chosen is not None:
    edit = ui.Form(f"draft_{chosen.id}")
    field = f"draft.edit.{chosen.id}"
    ui.text_area(drafts.body_label, field, chosen.body, height=220)
    edit.error("body")
    edit.button(
        "Save changes",
        lambda: wb.update(UnsentDraft, chosen.id, {"body": ui.value(field, "")}),
        clear=[field],
        done="Your draft is updated.",
    )
    ui.confirm_delete(
        f"draft.{chosen.id}",
        "Let this draft go for good?",
        lambda: wb.delete(UnsentDraft, chosen.id),
        done="Let go. It's gone.",
    )
