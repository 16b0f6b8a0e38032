"""P1.1 Processing window: 48 hours from the "no", with the time left."""

from __future__ import annotations

import streamlit as st

from workbook import phase1, timefmt, ui
from workbook.models import CheckIn, OutletEntry

text = ui.texts().phase1.window
wb = ui.store()

rejection = ui.page_start(text.title, text.intro, per_rejection=True)
if rejection is None:
    st.stop()

zone = ui.tz()
status = phase1.window_status(rejection, ui.now(), text.hours)
st.header("Time left" if status.is_open else "Your window is over")
st.progress(status.fraction_elapsed, text=status.remaining_text)
st.write(
    f"Started {timefmt.format_moment(status.starts_at, zone)} · "
    f"ends {timefmt.format_moment(status.ends_at, zone)}"
)
if status.is_open:
    st.info(text.open_text, icon=":material/self_improvement:")
    ui.page_link("feelings", "Check in with how you feel")
else:
    st.success(f"{text.over_text} {text.over_invite}", icon=":material/directions_walk:")
    ui.page_link("drafts", "Look back at your unsent drafts")

st.header("During this window")
checkins = phase1.for_rejection(wb.all(CheckIn), rejection.id)
outlets = phase1.for_rejection(wb.all(OutletEntry), rejection.id)
left, right = st.columns(2)
left.metric("Check-ins", len(checkins))
right.metric("Kind things done for yourself", len(outlets))
