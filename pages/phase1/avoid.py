"""P1.5 What to avoid: pledges, urges noted instead of acted on, and unsent drafts."""

from __future__ import annotations

import streamlit as st

from workbook import phase1, timefmt, ui
from workbook.models import AvoidPledge, UnsentDraft, Urge

text = ui.texts().phase1
avoid, drafts_text = text.avoid, text.drafts
wb = ui.store()
zone = ui.tz()

rejection = ui.page_start(avoid.title, avoid.intro, per_rejection=True)
rid = rejection.id if rejection else None
pledge = next(iter(phase1.for_rejection(wb.all(AvoidPledge), rid)), None)

st.header("My pledges")


def _pledge(key: str) -> None:
    items = [i.key for i in avoid.items if st.session_state.get(f"_pledge.{rid}.{i.key}")]
    if pledge is None:
        wb.add(AvoidPledge, {"rejection_id": rid, "items": items})
    else:
        wb.update(AvoidPledge, pledge.id, {"items": items})


for item in avoid.items:
    st.checkbox(
        f"{item.label}",
        value=bool(pledge and item.key in pledge.items),
        key=f"_pledge.{rid}.{item.key}",
        help=item.why,
        on_change=_pledge,
        args=(item.key,),
    )
st.caption("Each tick is saved as you make it.")

st.header("When an urge comes")
form = ui.Form("urge")
labels = {i.key: i.label for i in avoid.items}
st.selectbox(
    "Which one?",
    list(labels),
    format_func=labels.__getitem__,
    key=ui.kept("urge.item", avoid.items[0].key),
)
ui.text_area(avoid.urge_label, "urge.text", height=80)
form.error("urge")
ui.text_area(avoid.instead_label, "urge.instead", height=80)
form.error("instead")


def _save_urge() -> None:
    wb.add(
        Urge,
        {
            "rejection_id": rid,
            "item": ui.value("urge.item"),
            "urge": ui.value("urge.text", ""),
            "instead": ui.value("urge.instead", ""),
        },
    )


form.button(
    "Save this urge",
    _save_urge,
    done="Noted. Writing it down instead of acting on it was the strong move.",
    clear=["urge.text", "urge.instead"],
)
urges = sorted(phase1.for_rejection(wb.all(Urge), rid), key=lambda u: u.noted_at, reverse=True)
for urge in ui.paginate(urges, "urges", per_page=5):
    instead = f"\n\nInstead: {urge.instead}" if urge.instead else ""
    st.caption(f"{avoid.label(urge.item)} · {timefmt.format_moment(urge.noted_at, zone)}")
    ui.show_text(f"{urge.urge}{instead}")

st.header(drafts_text.title)
st.write(drafts_text.intro)
form = ui.Form("draft")
ui.text_input(drafts_text.to_label, "draft.to")
form.error("addressed_to")
ui.text_area(drafts_text.body_label, "draft.body", height=220)
form.error("body")


def _save_draft() -> None:
    wb.add(
        UnsentDraft,
        {
            "rejection_id": rid,
            "addressed_to": ui.value("draft.to", ""),
            "body": ui.value("draft.body", ""),
        },
    )


form.button(
    "Keep it here, unsent",
    _save_draft,
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
for draft in ui.paginate(mine, "drafts", per_page=5):
    with st.container(border=True):
        st.caption(f"Written {timefmt.format_moment(draft.created_at, zone)}")
        if draft.addressed_to:
            ui.show_text(f"To: {draft.addressed_to}", caption=True)
        ui.show_text(draft.body)
        if draft.id in to_decide:
            st.write(drafts_text.after_window)
            st.button(
                "Keep it",
                key=f"_keep.{draft.id}",
                on_click=lambda d=draft: wb.update(UnsentDraft, d.id, {"decision": "keep"}),
            )
        ui.confirm_delete(
            f"draft.{draft.id}",
            "Delete this draft for good?",
            lambda d=draft: wb.delete(UnsentDraft, d.id),
            done="Let go. It's gone.",
        )
