"""The workbook as a document: phases, worksheets, entries and their fields, in order.

Markdown and PDF both render this one structure, so they always hold the same content.
Entries are built generically from the records: a title, a date, and every field the
person filled in, labelled in plain words (prompts from the content files where the
field holds answers to prompts). Nothing here formats or escapes: renderers do.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, tzinfo
from typing import Any

from workbook import content as content_mod
from workbook.models import (
    RECORD_TYPES,
    AnswerEntry,
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
    Urge,
    ValueItem,
    Win,
)
from workbook.navigation import PAGES

# Which records each worksheet holds, by page key, in the order the workbook shows them.
WORKSHEETS: dict[str, tuple[type[Record], ...]] = {
    "rejections": (Rejection,),
    "why": (ValueItem,),
    "feelings": (CheckIn,),
    "outlets": (OutletEntry,),
    "self_talk": (SelfTalk,),
    "avoid": (AvoidPledge, Urge),
    "drafts": (UnsentDraft,),
    "review": (Review,),
    "feedback": (FeedbackRequest,),
    "reassess": (Direction, PathPlan),
    "wins": (Win,),
    "skills": (Skill,),
    "team": (SupportPerson,),
    "current": (FollowSource,),
    "materials": (MaterialsChecklist, AnswerEntry),
    "channels": (ChannelAction,),
    "doors": (DoorOpen,),
    "reframe": (ThoughtRecord,),
    "growth": (MindsetRewrite, GrowthChallenge),
    "beyond": (BeyondWin,),
    "persistence": (PersistencePlan,),
}
PHASE_OF: dict[str, str] = {
    "rejections": "start", "why": "start",
    "feelings": "phase1", "outlets": "phase1", "self_talk": "phase1", "avoid": "phase1",
    "drafts": "phase1",
    "review": "phase2", "feedback": "phase2", "reassess": "phase2",
    "wins": "phase3", "skills": "phase3", "team": "phase3", "current": "phase3",
    "materials": "phase4", "channels": "phase4", "doors": "phase4",
    "reframe": "phase5", "growth": "phase5", "beyond": "phase5", "persistence": "phase5",
}  # fmt: skip

# The field that names an entry, tried in order.
_TITLE_FIELDS = (
    "company", "name", "text", "thought", "question", "action", "challenge", "cant",
    "sentence", "item", "outlet", "role",
)  # fmt: skip
# When an entry happened (the person's own date where the record has one).
_WHEN_FIELDS = (
    "rejected_at",
    "felt_at",
    "done_at",
    "noted_at",
    "won_on",
    "day",
    "done_on",
    "start_on",
)
_HIDDEN = {"id", "created_at", "updated_at", "step", "source_checkin_id", "chosen_direction_id"}
LABELS: dict[str, str] = {
    "applied_on": "Applied on", "rejected_at": "The “no” came", "stage": "Furthest stage",
    "felt_at": "When", "done_at": "When", "won_on": "Day", "intensity": "Intensity (0–10)",
    "intensity_before": "Feeling before (0–100)", "intensity_after": "Feeling after (0–100)",
    "evidence_for": "What supports the thought", "evidence_against": "What does not fit it",
    "rewritten": "A fairer thought", "traps": "Thinking traps", "not_yet": "Not yet",
    "cant": "I can't", "growth": "Growth it offers", "thank_you_on": "Thank-you note sent",
    "connected_on": "Connected", "shared_on": "Shared something", "shared_what": "What was shared",
    "next_checkin": "Next check-in", "last_checkin": "Last check-in", "mention": "To mention",
    "last_contact": "Last contact", "went_wrong": "What went wrong", "changes": "What changes",
    "next_steps": "What comes next", "source_note": "Where the need came from",
    "resource_kind": "How", "progress": "Progress (%)", "sent_on": "Sent on",
    "answered_on": "Answered on", "addressed_to": "To", "body": "The draft",
    "rejection_id": "About", "source_rejection_id": "From", "rejection_ids": "About",
    "skill_ids": "Skills", "action_ids": "Actions", "door_ids": "Doors",
}  # fmt: skip


@dataclass(frozen=True)
class Entry:
    title: str
    when: str  # already formatted, may be ""
    fields: list[tuple[str, str]]  # (label, value as the person wrote it)


@dataclass(frozen=True)
class Worksheet:
    key: str
    title: str
    entries: list[Entry]


@dataclass(frozen=True)
class Phase:
    key: str
    title: str
    worksheets: list[Worksheet]


@dataclass(frozen=True)
class Document:
    title: str
    subtitle: str
    phases: list[Phase] = field(default_factory=list)

    @property
    def entry_count(self) -> int:
        return sum(len(w.entries) for p in self.phases for w in p.worksheets)


@dataclass(frozen=True)
class Snapshot:
    """Every record of a workbook, by type, read once; with settings and unsaved text."""

    records: dict[type[Record], list[Record]]
    settings: dict[str, Any] = field(default_factory=dict)
    drafts: dict[str, str] = field(default_factory=dict)

    def of(self, model: type[Record]) -> list[Record]:
        return self.records.get(model, [])


def snapshot(
    read: Callable[[type[Record]], list[Record]],
    settings: dict[str, Any] | None = None,
    drafts: dict[str, str] | None = None,
) -> Snapshot:
    """Read every record type through ``read`` (e.g. ``Workbook.all``)."""
    return Snapshot({model: read(model) for model in RECORD_TYPES}, settings or {}, drafts or {})


def _when_field(record: Record) -> str:
    return next((n for n in _WHEN_FIELDS if getattr(record, n, None) is not None), "")


def _when(record: Record) -> datetime | date | None:
    name = _when_field(record)
    return getattr(record, name) if name else record.created_at


def _day(value: datetime | date, tz: tzinfo) -> date:
    return value.astimezone(tz).date() if isinstance(value, datetime) else value


def _show(value: datetime | date, tz: tzinfo) -> str:
    if isinstance(value, datetime):
        return value.astimezone(tz).strftime("%d %b %Y, %H:%M")
    return value.strftime("%d %b %Y")


class _Context:
    def __init__(self, snap: Snapshot, texts: content_mod.Content, tz: tzinfo) -> None:
        self.tz = tz
        self.texts = texts
        self.names: dict[str, str] = {}
        for r in snap.of(Rejection):
            self.names[r.id] = f"{r.company} — {r.role}"  # type: ignore[attr-defined]
        for model in (Skill, ChannelAction):
            for r in snap.of(model):
                self.names[r.id] = getattr(r, "name", None) or getattr(r, "action", "")
        for d in snap.of(DoorOpen):
            owner = self.names.get(d.rejection_id or "", "")  # type: ignore[attr-defined]
            self.names[d.id] = f"Keep in touch: {owner}"
        self.prompts = {p.key: p.label for p in texts.phase2.review.prompts}
        # Fields that store a content key: shown with the label the worksheet shows.
        self.keyed: dict[str, Callable[[str], str]] = {
            "outlet": texts.phase1.outlets.label,
            "items": texts.phase1.avoid.label,
            "item": texts.phase1.avoid.label,
        }
        self.steps = {s.key: s.label for part in texts.phase4.materials.parts for s in part.steps}

    def value(self, name: str, value: Any) -> str:
        if isinstance(value, bool):
            return "yes" if value else ""
        if isinstance(value, (datetime, date)):
            return _show(value, self.tz)
        if name.endswith("_id") or name.endswith("_ids"):
            ids = value if isinstance(value, list) else [value]
            return ", ".join(self.names.get(i, "(removed)") for i in ids if i)
        if name == "traps":
            return ", ".join(self.texts.phase5.reframe.trap_label(t) for t in value)
        if name in self.keyed:
            shown = self.keyed[name]
            return ", ".join(shown(v) for v in value) if isinstance(value, list) else shown(value)
        if isinstance(value, list):
            return ", ".join(str(v) for v in value)
        if hasattr(value, "value"):  # enums
            return str(value.value).replace("_", " ")
        return str(value)

    def fields(self, record: Record, skip: tuple[str, ...] = ()) -> list[tuple[str, str]]:
        out: list[tuple[str, str]] = []
        for name in type(record).model_fields:
            value = getattr(record, name)
            if name in _HIDDEN or name in skip or value in (None, "", [], {}) or value is False:
                continue
            if name == "answers":  # Review: prompt -> answer, in the content's order
                order = [*self.prompts, *(k for k in value if k not in self.prompts)]
                out += [(self.prompts.get(k, k), value[k]) for k in order if value.get(k)]
                continue
            if name == "done":  # materials checklist: step -> day
                out += [
                    (self.steps.get(k, k), f"done {_show(v, self.tz)}") for k, v in value.items()
                ]
                continue
            if name == "notes" and isinstance(value, dict):
                out += [(self.steps.get(k, k), v) for k, v in value.items() if v]
                continue
            shown = self.value(name, value)
            if shown:
                out.append((LABELS.get(name, name.replace("_", " ").capitalize()), shown))
        return out


def _title(record: Record, ctx: _Context) -> tuple[str, str]:
    """(the field that names the entry, its text); the field is not repeated below it."""
    for name in _TITLE_FIELDS:
        value = getattr(record, name, None)
        if isinstance(value, str) and value:
            return name, ctx.value(name, value) if name in ctx.keyed else value
    if isinstance(record, CheckIn):
        return "emotions", ", ".join(record.emotions)
    owner = getattr(record, "rejection_id", None)
    if owner:
        return "rejection_id", ctx.names.get(owner, "")
    return "", ""


def build(
    snap: Snapshot,
    texts: content_mod.Content,
    tz: tzinfo = UTC,
    *,
    worksheets: Sequence[str] | None = None,
    since: date | None = None,
    until: date | None = None,
    now: datetime | None = None,
) -> Document:
    """The document of the chosen worksheets (all by default), entries between the days."""
    ctx = _Context(snap, texts, tz)
    keys = [k for k in WORKSHEETS if worksheets is None or k in worksheets]
    phase_names = {p.key: p.name for p in texts.start.home.phases} | {"start": "Getting started"}
    phases: dict[str, list[Worksheet]] = {}
    for key in keys:
        entries: list[Entry] = []
        for model in WORKSHEETS[key]:
            records = sorted(snap.of(model), key=lambda r: (str(_when(r)), r.created_at))
            for record in records:
                day = _day(_when(record) or record.created_at, tz)
                if (since and day < since) or (until and day > until):
                    continue
                when = _when(record)
                named, title = _title(record, ctx)
                shown = _show(when, tz) if when else ""
                skip = (named, _when_field(record))  # shown in the heading already
                entries.append(Entry(title, shown, ctx.fields(record, skip=skip)))
        phases.setdefault(PHASE_OF[key], []).append(Worksheet(key, PAGES[key].title, entries))
    moment = (now or datetime.now(UTC)).astimezone(tz)
    span = ""
    if since or until:
        span = f" · entries from {since or 'the start'} to {until or 'today'}"
    single = worksheets is not None and len(keys) == 1
    return Document(
        f"Rebound — {PAGES[keys[0]].title}" if single else "Rebound — my workbook",
        f"Exported {moment.strftime('%d %b %Y, %H:%M')}{span}",
        [Phase(k, phase_names.get(k, k), ws) for k, ws in phases.items()],
    )
