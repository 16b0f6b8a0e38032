"""P1.2 Feelings check-in: emotions, intensity, a journal entry; any number over time."""

from __future__ import annotations

import streamlit as st

from workbook import charts, textsafe, timefmt, ui
from workbook.models import CheckIn
from workbook.ui import reframe_offer

text = ui.texts().phase1.feelings
care = ui.texts().start.care
wb = ui.store()

rejection = ui.page_start(text.title, text.intro, per_rejection=True)
if st.session_state.pop("_feelings.heavy", False):
    st.warning(f"{text.high_intensity_note}\n\n{care.help}", icon=":material/favorite:")
reframe_offer.show()

st.header("How are you feeling?")
form = ui.Form("checkin")
st.multiselect("Feelings", text.emotions, key=ui.kept("feel.emotions", []))
ui.text_input(text.own_label, "feel.own")
form.error("emotions")
st.slider(text.intensity_label, 0, 10, key=ui.kept("feel.intensity", 5))
ui.text_area(text.journal_label, "feel.journal", placeholder=text.journal_placeholder, height=160)
form.error("journal")


def _save() -> str:
    intensity = ui.value("feel.intensity", 5)
    record = wb.add(
        CheckIn,
        {
            "rejection_id": rejection.id if rejection else None,
            "emotions": [
                *ui.value("feel.emotions", []),
                *textsafe.split_list(ui.value("feel.own", "")),
            ],
            "intensity": intensity,
            "journal": ui.value("feel.journal", ""),
        },
    )
    st.session_state["_feelings.heavy"] = record.intensity >= 8
    reframe_offer.remember(record)
    return "Check-in saved. Thank you for taking a moment for yourself."


form.button(
    "Save check-in", _save, clear=["feel.emotions", "feel.own", "feel.intensity", "feel.journal"]
)

mine = [c for c in wb.all(CheckIn) if rejection is None or c.rejection_id == rejection.id]
zone = ui.tz()
st.header("Your check-ins")
figure = charts.mood_over_time(mine, zone, empty=text.empty)
st.plotly_chart(figure, width="stretch", config=charts.CONFIG)
shown = ui.paginate(sorted(mine, key=lambda c: c.felt_at, reverse=True), "checkins")
for entry in shown:
    st.subheader(f"{timefmt.format_moment(entry.felt_at, zone)} · intensity {entry.intensity}/10")
    ui.show_text(", ".join(entry.emotions) + (f"\n\n{entry.journal}" if entry.journal else ""))


def _label(entry: CheckIn) -> str:
    return f"{timefmt.format_moment(entry.felt_at, zone)} — {', '.join(entry.emotions)}"


chosen = ui.choose_one(shown, "checkins", _label, "Choose a check-in to change or delete")
if chosen is not None:
    edit = ui.Form(f"checkin_{chosen.id}")
    st.slider("Intensity", 0, 10, key=ui.kept(f"feel.edit.{chosen.id}.intensity", chosen.intensity))
    ui.text_area(text.journal_label, f"feel.edit.{chosen.id}.journal", chosen.journal)
    edit.error("journal")
    fields = [f"feel.edit.{chosen.id}.intensity", f"feel.edit.{chosen.id}.journal"]

    def _update() -> None:
        changes = {"intensity": ui.value(fields[0]), "journal": ui.value(fields[1], "")}
        wb.update(CheckIn, chosen.id, changes)

    edit.button("Save changes", _update, clear=fields, done="Your check-in is updated.")
    ui.confirm_delete(
        f"checkin.{chosen.id}",
        "Delete this check-in? This cannot be undone.",
        lambda: wb.delete(CheckIn, chosen.id),
    )
