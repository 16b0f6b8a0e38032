"""S1 Home: where you are in the five phases, the one next step, and a word about care."""

from __future__ import annotations

import streamlit as st

from workbook import doors, next_step, phase1, progress, reframe, textsafe, timefmt, ui, wins
from workbook.models import (
    CheckIn,
    DoorOpen,
    FeedbackRequest,
    OutletEntry,
    PathPlan,
    Rejection,
    Review,
    SelfTalk,
    SupportPerson,
    ThoughtRecord,
    UnsentDraft,
    Win,
)

HOME_REMINDERS = 5  # the soonest few; the pages list them all

text = ui.texts()
home, care = text.start.home, text.start.care
wb = ui.store()

st.title(home.title)
st.write(home.welcome_hosted if ui.hosted() else home.welcome)
ui.show_flash()

rejection = ui.current_rejection()
zone = ui.tz()
today = timefmt.local_today(zone, ui.now())
reminders = doors.due_soon(
    wb.all(DoorOpen),
    wb.all(Rejection),
    wb.all(SupportPerson),
    today,
    text.phase4.doors.due_within_days,
    {role.key: role.label for role in text.phase3.team.roles},
)
checkins = wb.all(CheckIn)
logged = wb.all(Win)
recent = [c for c in checkins if c.felt_at >= ui.now() - next_step.REFRAME_WITHIN]
offer = reframe.offers(recent, wb.all(ThoughtRecord), text.phase5.reframe.detect, limit=1)
step = next_step.next_step(
    next_step.Snapshot(
        now=ui.now(),
        rejection=rejection,
        checkins=checkins,
        outlets=wb.all(OutletEntry),
        self_talk=wb.all(SelfTalk),
        drafts=wb.all(UnsentDraft),
        window_hours=text.phase1.window.hours,
        reviews=wb.all(Review),
        requests=wb.all(FeedbackRequest),
        rejection_count=wb.count(Rejection),
        tz=zone,
        feedback_days=text.phase2.feedback.window_days,
        due=reminders,
        reframe_offer=offer[0][1].sentence if offer else None,
        direction_chosen=any(p.chosen_direction_id for p in wb.all(PathPlan)),
        won_today=any(w.won_on == today for w in logged),
        patterns_seen=wb.setting(next_step.PATTERNS_SEEN, 0),
    )
)

st.header(home.next_step)
with st.container(border=True):
    ui.show_text(step.text)  # it may name a company or a person, as they were typed
    ui.page_link(step.page, f"Go to {ui.PAGES[step.page].title}", ":material/arrow_forward:")

if logged:
    streak = wins.streaks((w.won_on for w in logged), today)
    left, right = st.columns(2)
    left.metric("Small wins, current streak", wins.days_text(streak.current))
    right.metric("Small wins in all", f"{len(logged):,}")
    ui.page_link("wins", "Log a small win", ":material/star:")

if reminders:
    st.header("Check-ins coming up")
    st.markdown(
        "\n".join(
            f"- **{textsafe.escape_markdown(d.who)}** ({textsafe.escape_markdown(d.why)}) — "
            f"{doors.due_phrase(d, today)} ({timefmt.format_day(d.day)})"
            for d in reminders[:HOME_REMINDERS]
        )
    )
    if len(reminders) > HOME_REMINDERS:
        st.caption(f"And {len(reminders) - HOME_REMINDERS} more.")
    pages = list(dict.fromkeys(d.page for d in reminders))
    for page in pages:
        ui.page_link(page, icon=":material/arrow_forward:")

st.header(home.where_you_are)
if rejection is not None:
    st.write("You are working on:")
    ui.show_text(ui.rejection_label(rejection))
    status = phase1.window_status(rejection, ui.now(), text.phase1.window.hours)
    if status.is_open:
        st.progress(status.fraction_elapsed, text=f"Your 48 hours: {status.remaining_text}")
shares = progress.phases(ui.completion())
st.markdown(
    "\n".join(
        f"{n}. **{phase.name}** ({shares.get(phase.key, 0):.0%} done)"
        f"{' — *you are here*' if phase.key == step.phase else ''}: {phase.summary}"
        for n, phase in enumerate(home.phases, start=1)
    )
)
ui.page_link("dashboard", "See your progress", ":material/monitoring:")

st.header(care.title)
st.info(f"{care.note}\n\n{care.help}", icon=":material/favorite:")
st.caption(home.saved_hosted if ui.hosted() else home.saved_here.format(folder=wb.path.parent))
