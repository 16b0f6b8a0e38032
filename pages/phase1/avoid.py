"""P1.5 What to avoid: pledges, and urges noted instead of acted on."""

from __future__ import annotations

import streamlit as st

from workbook import phase1, timefmt, ui
from workbook.models import AvoidPledge, Urge

avoid = ui.texts().phase1.avoid
wb = ui.store()
zone = ui.tz()

rejection = ui.page_start(avoid.title, avoid.intro, per_rejection=True)
rid = rejection.id if rejection else None
pledge = wb.one(AvoidPledge, rejection_id=rid)

st.header("My pledges")


def _pledge(key: str) -> None:
    items = [i.key for i in avoid.items if st.session_state.get(f"_pledge.{rid}.{i.key}")]
    wb.put_one(AvoidPledge, {"rejection_id": rid}, {"items": items})


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
shown = ui.paginate(urges, "urges", per_page=5)
for urge in shown:
    with st.container(border=True):
        st.caption(f"{avoid.label(urge.item)} · {timefmt.format_moment(urge.noted_at, zone)}")
        ui.show_text(urge.urge + (f"\n\nInstead: {urge.instead}" if urge.instead else ""))
chosen = ui.choose_one(shown, "urges", lambda u: u.urge, "Choose an urge to delete")
if chosen is not None:
    ui.confirm_delete(f"urge.{chosen.id}", "Delete this note?", lambda: wb.delete(Urge, chosen.id))
