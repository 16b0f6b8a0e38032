"""Home: where the person is in the five phases, and the one next step to take.

The rules are plain functions of the records and the time, so they are tested
without Streamlit. Each step names the page that helps with it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta, tzinfo

from workbook.doors import Due
from workbook.feedback import send_window
from workbook.models import (
    CheckIn,
    FeedbackRequest,
    OutletEntry,
    Rejection,
    Review,
    SelfTalk,
    UnsentDraft,
)
from workbook.patterns import MIN_REJECTIONS
from workbook.phase1 import drafts_to_decide, window_status

RECENT_CHECKIN = timedelta(hours=12)
PATTERNS_SEEN = "patterns_seen"  # setting: rejections counted when Patterns was last opened
REFRAME_WITHIN = timedelta(days=7)  # check-ins this recent may suggest a thought record
RECENT_OUTLET = timedelta(hours=24)


@dataclass(frozen=True)
class NextStep:
    text: str
    page: str
    phase: str | None  # "phase1".."phase5", or None before anything is logged


@dataclass(frozen=True)
class Snapshot:
    """What the rules look at; built by the page from the repository."""

    now: datetime
    rejection: Rejection | None
    checkins: list[CheckIn]
    outlets: list[OutletEntry]
    self_talk: list[SelfTalk]
    drafts: list[UnsentDraft]
    window_hours: int = 48
    reviews: list[Review] = field(default_factory=list)
    requests: list[FeedbackRequest] = field(default_factory=list)
    rejection_count: int = 1
    tz: tzinfo = UTC
    feedback_days: tuple[int, int] = (3, 5)
    due: list[Due] = field(default_factory=list)  # check-ins, soonest first
    # A recent check-in whose words suggest a thought worth reframing (quoted, as typed).
    reframe_offer: str | None = None
    direction_chosen: bool = False
    patterns_seen: int = 0  # how many rejections the Patterns page showed last time
    won_today: bool = False


def next_step(snap: Snapshot) -> NextStep:
    rejection = snap.rejection
    if rejection is None:
        return NextStep(
            "When you are ready, write down the rejection you are working through.",
            "rejections",
            None,
        )
    mine = rejection.id
    status = window_status(rejection, snap.now, snap.window_hours)
    if status.is_open:
        recent = snap.now - RECENT_CHECKIN
        if not any(c.rejection_id == mine and c.felt_at >= recent for c in snap.checkins):
            return NextStep("Check in with how you are feeling right now.", "feelings", "phase1")
        since = snap.now - RECENT_OUTLET
        if not any(o.rejection_id == mine and o.done_at >= since for o in snap.outlets):
            return NextStep("Do one kind thing for yourself today.", "outlets", "phase1")
        if not any(s.rejection_id == mine for s in snap.self_talk):
            return NextStep("Write the one sentence you will tell yourself.", "self_talk", "phase1")
        return NextStep(
            f"You have done what this window asks. Rest — {status.remaining_text}.",
            "window",
            "phase1",
        )
    if drafts_to_decide(snap.drafts, rejection, snap.now, snap.window_hours):
        return NextStep(
            "Decide whether to keep or let go of your unsent draft.", "drafts", "phase2"
        )
    today = snap.now.astimezone(snap.tz).date()
    request = next((r for r in snap.requests if r.rejection_id == mine), None)
    window = send_window(rejection, today, snap.tz, snap.feedback_days)
    if (request is None or request.status == "not_sent") and window.position == "open":
        return NextStep("Today is a good day to ask for feedback.", "feedback", "phase2")
    reach_out = next((d for d in snap.due if d.day <= today), None)
    if reach_out is not None:
        phase = "phase4" if reach_out.page == "doors" else "phase3"
        return NextStep(f"A check-in is due: reach out to {reach_out.who}.", reach_out.page, phase)
    if snap.reframe_offer:
        return NextStep(
            f"You wrote “{snap.reframe_offer}”. Look at that thought more closely.",
            "reframe",
            "phase5",
        )
    if not any(r.rejection_id == mine and r.finished for r in snap.reviews):
        return NextStep(
            "When you feel ready, look back at it with a clear head.", "review", "phase2"
        )
    if snap.rejection_count >= MIN_REJECTIONS and snap.rejection_count > snap.patterns_seen:
        return NextStep("See what your rejections have in common.", "patterns", "phase2")
    if not snap.direction_chosen:
        return NextStep("Step back and ask whether the direction still fits.", "reassess", "phase2")
    if not snap.won_today:
        return NextStep("Log one small win today — any step counts.", "wins", "phase3")
    return NextStep("See how far you have come.", "dashboard", "phase5")
