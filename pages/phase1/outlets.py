"""P1.3 Healthy outlets: tick what you did to look after yourself, and when."""

from __future__ import annotations

import streamlit as st

from workbook import textsafe, timefmt, ui
from workbook.models import OutletEntry

text = ui.texts().phase1.outlets
wb = ui.store()
zone = ui.tz()

rejection = ui.page_start(text.title, text.intro, per_rejection=True)
mine = [o for o in wb.all(OutletEntry) if rejection is None or o.rejection_id == rejection.id]

st.header("Tick one off")
form = ui.Form("outlet")
keys = [item.key for item in text.items]
hints = {item.key: f"{item.label} — {item.hint}" for item in text.items}
st.radio(
    "What did you do?", keys, format_func=hints.__getitem__, key=ui.kept("outlet.kind", keys[0])
)
now_local = timefmt.to_local(ui.now(), zone)
left, right = st.columns(2)
left.date_input("When (day)", key=ui.kept("outlet.day", now_local.date()), format="YYYY-MM-DD")
right.time_input(
    "When (time)",
    key=ui.kept("outlet.time", now_local.time().replace(second=0, microsecond=0)),
    step=300,
)
form.error("done_at")
ui.text_input(
    "A note (optional)", "outlet.note", placeholder="Who you talked to, where you walked…"
)
form.error("note")


def _save() -> str:
    done_at = timefmt.from_local(ui.value("outlet.day"), ui.value("outlet.time"), zone)
    wb.add(
        OutletEntry,
        {
            "rejection_id": rejection.id if rejection else None,
            "outlet": ui.value("outlet.kind"),
            "done_at": done_at,
            "note": ui.value("outlet.note", ""),
        },
    )
    return "Ticked off. That was a kind thing to do for yourself."


form.button("Tick it off", _save, clear=["outlet.note", "outlet.day", "outlet.time"])

st.header("What you have done so far")
for item in text.items:
    done = [o for o in mine if o.outlet == item.key]
    last = max((o.done_at for o in done), default=None)
    status = f"done {len(done)}×, last {timefmt.format_moment(last, zone)}" if last else "not yet"
    st.markdown(f"{'✓' if done else '○'} **{item.label}** — {status}")

st.subheader("History")
if not mine:
    st.write("Nothing ticked off yet. Even one small thing counts.")
shown = ui.paginate(sorted(mine, key=lambda o: o.done_at, reverse=True), "outlets")


def _label(entry: OutletEntry) -> str:
    note = f" — {entry.note}" if entry.note else ""
    return f"{timefmt.format_moment(entry.done_at, zone)}: {text.label(entry.outlet)}{note}"


if shown:
    st.markdown("\n".join(f"- {textsafe.escape_markdown(_label(e))}" for e in shown))
chosen = ui.choose_one(shown, "outlets", _label, "Choose an entry to delete")
if chosen is not None:
    ui.confirm_delete(
        f"outlet.{chosen.id}", "Delete this entry?", lambda: wb.delete(OutletEntry, chosen.id)
    )
