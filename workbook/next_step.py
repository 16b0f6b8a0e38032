"""Home: where the person is in the five phases, and the one next step to take.

The rules are plain functions of the records and the time, so they are tested
without Streamlit. Each step names the page that helps with it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from workbook.models import CheckIn, OutletEntry, Rejection, SelfTalk, UnsentDraft
from workbook.phase1 import drafts_to_decide, window_status

RECENT_CHECKIN = timedelta(hours=12)
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
    return NextStep(
        "Your 48 hours are over. When you feel ready, move into action mode.",
        "window",
        "phase2",
    )
