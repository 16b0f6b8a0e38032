"""S1 Home: where you are in the five phases, the one next step, and a word about care."""

from __future__ import annotations

import streamlit as st

from workbook import next_step, phase1, ui
from workbook.models import (
    CheckIn,
    FeedbackRequest,
    OutletEntry,
    Rejection,
    Review,
    SelfTalk,
    UnsentDraft,
)

text = ui.texts()
home, care = text.start.home, text.start.care
wb = ui.store()

st.title(home.title)
st.write(home.welcome)
ui.show_flash()

rejection = ui.current_rejection()
step = next_step.next_step(
    next_step.Snapshot(
        now=ui.now(),
        rejection=rejection,
        checkins=wb.all(CheckIn),
        outlets=wb.all(OutletEntry),
        self_talk=wb.all(SelfTalk),
        drafts=wb.all(UnsentDraft),
        window_hours=text.phase1.window.hours,
        reviews=wb.all(Review),
        requests=wb.all(FeedbackRequest),
        rejection_count=wb.count(Rejection),
        tz=ui.tz(),
        feedback_days=text.phase2.feedback.window_days,
    )
)

st.header(home.next_step)
with st.container(border=True):
    st.write(step.text)
    ui.page_link(step.page, f"Go to {ui.PAGES[step.page].title}", ":material/arrow_forward:")

st.header(home.where_you_are)
if rejection is not None:
    st.write("You are working on:")
    ui.show_text(ui.rejection_label(rejection))
    status = phase1.window_status(rejection, ui.now(), text.phase1.window.hours)
    if status.is_open:
        st.progress(status.fraction_elapsed, text=f"Your 48 hours: {status.remaining_text}")
st.markdown(
    "\n".join(
        f"{n}. **{phase.name}**{' — *you are here*' if phase.key == step.phase else ''}: "
        f"{phase.summary}"
        for n, phase in enumerate(home.phases, start=1)
    )
)

st.header(care.title)
st.info(f"{care.note}\n\n{care.help}", icon=":material/favorite:")
st.caption(f"Your workbook is saved only on this computer, in {wb.path.parent}")
