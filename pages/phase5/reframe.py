"""P5.1 Reframe a thought: a thought record, step by step, with the feeling before and after."""

from __future__ import annotations

import streamlit as st

from workbook import charts, reframe, textsafe, timefmt, ui
from workbook.models import CheckIn, Rejection, ThoughtRecord
from workbook.ui import thought_record

text = ui.texts().phase5.reframe
wb = ui.store()
zone = ui.tz()

ui.page_start(text.title, text.intro)
records = wb.all(ThoughtRecord)
in_progress = sorted((r for r in records if not r.finished), key=lambda r: r.updated_at)
current = next((r for r in in_progress if r.id == st.session_state.get("_tr.current")), None)
current = current or (in_progress[-1] if in_progress else None)


def _start(data: dict[str, object]) -> None:
    record = wb.add(ThoughtRecord, data)
    st.session_state["_tr.current"] = record.id


if current is not None:
    if len(in_progress) > 1:
        st.caption(text.resume_note)
    thought_record.show(current, text)
    st.divider()
st.button(
    text.start_label,
    on_click=_start,
    args=({},),
    icon=":material/add:",
    type="secondary" if current else "primary",
)

offers = reframe.offers(wb.all(CheckIn), records, text.detect, limit=3)
if offers:
    st.subheader("From your check-ins")
    rejections = {r.id: r for r in wb.all(Rejection)}
    for checkin, found in offers:
        ui.show_text(
            f"{timefmt.format_moment(checkin.felt_at, zone)}: “{found.sentence}”", caption=True
        )
        draft = reframe.draft_from_checkin(
            checkin, found, rejections.get(checkin.rejection_id or "")
        )
        st.button(
            "Look at this thought", key=f"_tr.offer.{checkin.id}", on_click=_start, args=(draft,)
        )

st.header("Before and after")
st.plotly_chart(
    charts.before_after(records, text.empty_history), width="stretch", config=charts.CONFIG
)
finished = sorted((r for r in records if r.finished), key=lambda r: r.updated_at, reverse=True)
shown = ui.paginate(finished, "thought_records")


def _label(record: ThoughtRecord) -> str:
    feeling = f"{record.intensity_before} → {record.intensity_after}"
    return f"“{record.thought}” → “{record.rewritten}” ({feeling})"


if shown:
    st.markdown("\n".join(f"- {textsafe.escape_markdown(_label(r))}" for r in shown))
chosen = ui.choose_one(
    shown, "thought_records", lambda r: r.thought, "Choose a record to read or delete"
)
if chosen is not None:
    traps = ", ".join(text.trap_label(t) for t in chosen.traps) or "none noted"
    ui.show_text(
        f"What happened: {chosen.situation}\n\nFeeling: {chosen.feeling}\n\nTraps: {traps}\n\n"
        f"For: {chosen.evidence_for}\n\nAgainst: {chosen.evidence_against}"
    )
    ui.confirm_delete(
        f"tr.{chosen.id}",
        "Delete this thought record?",
        lambda: wb.delete(ThoughtRecord, chosen.id),
    )
