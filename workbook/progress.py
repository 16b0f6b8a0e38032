"""X1 progress: what counts as done, per worksheet and per phase, defined in one place.

Each rule looks at the records and returns a :class:`Completion`: a share from 0 to 1
(some worksheets fill up step by step, like the five support roles) and a short note in
plain words. A worksheet is done at 1. A phase's share is the mean of its worksheets'.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import TypeVar

from workbook.models import (
    AvoidPledge,
    BeyondWin,
    ChannelAction,
    CheckIn,
    Direction,
    DoorOpen,
    FeedbackRequest,
    FollowSource,
    GrowthChallenge,
    MaterialsChecklist,
    MindsetRewrite,
    OutletEntry,
    PathPlan,
    PersistencePlan,
    Record,
    Rejection,
    Review,
    SelfTalk,
    Skill,
    SupportPerson,
    ThoughtRecord,
    UnsentDraft,
    ValueItem,
    Win,
)
from workbook.patterns import MIN_REJECTIONS
from workbook.phase1 import window_status

R = TypeVar("R", bound=Record)
TEAM_ROLES = 5
BEYOND_KINDS = 3  # kinds of wins beyond offers that make the worksheet feel done
VALUES_FOR_DONE = 3


@dataclass(frozen=True)
class Records:
    """Everything the rules look at. Build it with :func:`gather` or by hand in tests."""

    now: datetime
    window_hours: int = 48
    materials_steps: tuple[str, ...] = ()
    by_type: dict[type[Record], list[Record]] = field(default_factory=dict)

    def of(self, model: type[R]) -> list[R]:
        return self.by_type.get(model, [])  # type: ignore[return-value]


def gather(
    read: Callable[[type[Record]], list[Record]],
    now: datetime,
    window_hours: int,
    materials_steps: tuple[str, ...],
) -> Records:
    """Read every type the rules need through ``read`` (e.g. ``Workbook.all``)."""
    models = {model for rule in RULES.values() for model in rule.needs}
    return Records(now, window_hours, materials_steps, {m: read(m) for m in models})


@dataclass(frozen=True)
class Completion:
    share: float
    note: str

    @property
    def done(self) -> bool:
        return self.share >= 1


def _count(n: int, one: str, many: str | None = None) -> str:
    return f"{n} {one if n == 1 else (many or one + 's')}"


def _atleast(n: int, target: int, one: str, many: str | None = None) -> Completion:
    return Completion(min(1.0, n / target), _count(n, one, many))


@dataclass(frozen=True)
class Rule:
    needs: tuple[type[Record], ...]
    judge: Callable[[Records], Completion]


def _window(r: Records) -> Completion:
    over = [x for x in r.of(Rejection) if not window_status(x, r.now, r.window_hours).is_open]
    if over:
        return Completion(1.0, "through the first 48 hours")
    return Completion(
        0.5 if r.of(Rejection) else 0.0,
        "in the first 48 hours" if r.of(Rejection) else "not started",
    )


def _drafts(r: Records) -> Completion:
    drafts = r.of(UnsentDraft)
    if not drafts:
        return Completion(0.0, "no drafts")
    waiting = sum(1 for d in drafts if d.decision == "undecided")
    if waiting:
        return Completion(0.5, f"{_count(waiting, 'draft')} to decide on")
    return Completion(1.0, _count(len(drafts), "draft") + " decided")


def _avoid(r: Records) -> Completion:
    pledged = [p for p in r.of(AvoidPledge) if p.items]
    return _atleast(len(pledged), 1, "pledge")


def _review(r: Records) -> Completion:
    reviews = r.of(Review)
    done = sum(1 for x in reviews if x.finished)
    if done:
        return Completion(1.0, _count(done, "review") + " finished")
    return Completion(0.5 if reviews else 0.0, "started" if reviews else "not started")


def _feedback(r: Records) -> Completion:
    sent = [x for x in r.of(FeedbackRequest) if x.status != "not_sent"]
    if sent:
        return Completion(1.0, _count(len(sent), "request") + " sent")
    return Completion(
        0.5 if r.of(FeedbackRequest) else 0.0, "drafted" if r.of(FeedbackRequest) else "not started"
    )


def _patterns(r: Records) -> Completion:
    return _atleast(len(r.of(Rejection)), MIN_REJECTIONS, "rejection logged", "rejections logged")


def _reassess(r: Records) -> Completion:
    chosen = any(p.chosen_direction_id for p in r.of(PathPlan))
    directions = len(r.of(Direction))
    if chosen:
        return Completion(1.0, "a direction chosen")
    return Completion(0.5 if directions else 0.0, _count(directions, "direction") + " rated")


def _team(r: Records) -> Completion:
    roles = {p.role for p in r.of(SupportPerson)}
    return Completion(
        min(1.0, len(roles) / TEAM_ROLES), f"{len(roles)} of {TEAM_ROLES} roles filled"
    )


def _materials(r: Records) -> Completion:
    done = {k for c in r.of(MaterialsChecklist) for k in c.done}
    steps = r.materials_steps
    n = sum(1 for k in steps if k in done)
    share = n / len(steps) if steps else 0.0
    return Completion(share, f"{n} of {len(steps)} steps")


def _channels(r: Records) -> Completion:
    actions = r.of(ChannelAction)
    done = sum(1 for a in actions if a.status == "done")
    if done:
        return Completion(1.0, _count(done, "action") + " done")
    return Completion(0.5 if actions else 0.0, _count(len(actions), "action") + " planned")


def _doors(r: Records) -> Completion:
    touched = [
        d
        for d in r.of(DoorOpen)
        if d.thank_you_on or d.connected_on or d.shared_on or d.last_checkin
    ]
    if touched:
        return Completion(1.0, _count(len(touched), "door") + " kept open")
    return Completion(
        0.5 if r.of(DoorOpen) else 0.0, "check-ins planned" if r.of(DoorOpen) else "not started"
    )


def _reframe(r: Records) -> Completion:
    records = r.of(ThoughtRecord)
    done = sum(1 for x in records if x.finished)
    if done:
        return Completion(1.0, _count(done, "thought record") + " finished")
    return Completion(
        0.5 if records else 0.0, f"{len(records)} in progress" if records else "not started"
    )


def _growth(r: Records) -> Completion:
    rewrites, challenges = len(r.of(MindsetRewrite)), len(r.of(GrowthChallenge))
    parts = bool(rewrites) + bool(challenges)
    return Completion(
        parts / 2, f"{_count(rewrites, 'rewrite')}, {_count(challenges, 'challenge')}"
    )


def _beyond(r: Records) -> Completion:
    kinds = {w.category for w in r.of(BeyondWin)}
    return Completion(min(1.0, len(kinds) / BEYOND_KINDS), _count(len(kinds), "kind") + " of win")


def _persistence(r: Records) -> Completion:
    plans = r.of(PersistencePlan)
    filled = 0
    if plans:
        p = plans[0]
        filled = sum(bool(x.strip()) for x in (p.went_wrong, p.changes, p.next_steps))
    return Completion(filled / 3, f"{filled} of 3 parts written")


# The rule for each worksheet, by navigation key. Pages not listed (Home, the dashboard,
# Your data) have nothing to complete.
RULES: dict[str, Rule] = {
    "rejections": Rule((Rejection,), lambda r: _atleast(len(r.of(Rejection)), 1, "rejection")),
    "why": Rule(
        (ValueItem,),
        lambda r: _atleast(len(r.of(ValueItem)), VALUES_FOR_DONE, "thing listed", "things listed"),
    ),
    "window": Rule((Rejection,), _window),
    "feelings": Rule((CheckIn,), lambda r: _atleast(len(r.of(CheckIn)), 1, "check-in")),
    "outlets": Rule(
        (OutletEntry,), lambda r: _atleast(len(r.of(OutletEntry)), 1, "kind act", "kind acts")
    ),
    "self_talk": Rule((SelfTalk,), lambda r: _atleast(len(r.of(SelfTalk)), 1, "sentence")),
    "avoid": Rule((AvoidPledge,), _avoid),
    "drafts": Rule((UnsentDraft,), _drafts),
    "review": Rule((Review,), _review),
    "feedback": Rule((FeedbackRequest,), _feedback),
    "patterns": Rule((Rejection,), _patterns),
    "reassess": Rule((Direction, PathPlan), _reassess),
    "wins": Rule((Win,), lambda r: _atleast(len(r.of(Win)), 1, "win")),
    "skills": Rule((Skill,), lambda r: _atleast(len(r.of(Skill)), 1, "skill")),
    "team": Rule((SupportPerson,), _team),
    "current": Rule((FollowSource,), lambda r: _atleast(len(r.of(FollowSource)), 1, "source")),
    "materials": Rule((MaterialsChecklist,), _materials),
    "channels": Rule((ChannelAction,), _channels),
    "doors": Rule((DoorOpen,), _doors),
    "reframe": Rule((ThoughtRecord,), _reframe),
    "growth": Rule((MindsetRewrite, GrowthChallenge), _growth),
    "beyond": Rule((BeyondWin,), _beyond),
    "persistence": Rule((PersistencePlan,), _persistence),
}

PHASES: dict[str, tuple[str, ...]] = {
    "phase1": ("window", "feelings", "outlets", "self_talk", "avoid", "drafts"),
    "phase2": ("review", "feedback", "patterns", "reassess"),
    "phase3": ("wins", "skills", "team", "current"),
    "phase4": ("materials", "channels", "doors"),
    "phase5": ("reframe", "growth", "beyond", "persistence"),
}


def worksheets(records: Records) -> dict[str, Completion]:
    return {key: rule.judge(records) for key, rule in RULES.items()}


def phases(done: dict[str, Completion]) -> dict[str, float]:
    """Each phase's share: the mean of its worksheets' shares."""
    return {phase: sum(done[k].share for k in keys) / len(keys) for phase, keys in PHASES.items()}
