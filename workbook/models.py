"""Validated records: what the workbook stores, and the rules a record must meet.

Every record has an ``id`` and ``created_at``/``updated_at`` times (UTC). Validation
messages are written for the person using the workbook, because they are shown next
to the field that needs attention. Rules that depend on "today" (no dates in the
future) read it from the validation context, so the person's own time zone decides.
"""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, timedelta
from enum import StrEnum
from typing import Annotated, Any, ClassVar, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)

SHORT_TEXT = 200
SENTENCE_TEXT = 1_000
LONG_TEXT = 50_000
# A little slack for clocks that disagree by a few minutes.
FUTURE_SLACK = timedelta(minutes=10)


def utcnow() -> datetime:
    return datetime.now(UTC)


def new_id() -> str:
    return uuid.uuid4().hex


def _as_utc(value: datetime) -> datetime:
    # Naive times only come from our own code paths and are UTC by convention.
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def _clean(value: str) -> str:
    # NUL characters cannot be shown or exported reliably; everything else is kept.
    return value.replace("\x00", "").strip()


UtcDatetime = Annotated[datetime, AfterValidator(_as_utc)]
ShortText = Annotated[str, Field(max_length=SHORT_TEXT), AfterValidator(_clean)]
SentenceText = Annotated[str, Field(max_length=SENTENCE_TEXT), AfterValidator(_clean)]
LongText = Annotated[str, Field(max_length=LONG_TEXT), AfterValidator(_clean)]


class Stage(StrEnum):
    """How far a process got, in order. The furthest stage, not just "rejected"."""

    APPLICATION = "application"
    RECRUITER_SCREEN = "recruiter_screen"
    HIRING_MANAGER = "hiring_manager"
    TECHNICAL = "technical"
    PANEL_ONSITE = "panel_onsite"
    FINAL_ROUND = "final_round"
    OFFER = "offer"


class Record(BaseModel):
    """Base of every stored record."""

    model_config = ConfigDict(extra="forbid", validate_assignment=False, frozen=False)
    TABLE: ClassVar[str] = ""

    id: str = Field(default_factory=new_id, min_length=1, max_length=64)
    created_at: UtcDatetime = Field(default_factory=utcnow)
    updated_at: UtcDatetime = Field(default_factory=utcnow)


def _saving(info: ValidationInfo) -> bool:
    # Rules about "now" and the person's time zone judge what is being saved. Records read
    # back from the file were judged when they were saved and are not judged again.
    return not (info.context or {}).get("stored", False)


def _today(info: ValidationInfo) -> date:
    today = (info.context or {}).get("today")
    return today if isinstance(today, date) else utcnow().date()


def _now(info: ValidationInfo) -> datetime:
    now = (info.context or {}).get("now")
    return _as_utc(now) if isinstance(now, datetime) else utcnow()


def required(what: str) -> AfterValidator:
    """A text field that must not be empty, with the message naming what is missing."""

    def check(value: str) -> str:
        if not value:
            raise ValueError(f"Please add {what}.")
        return value

    return AfterValidator(check)


def _moment_not_future(value: datetime, info: ValidationInfo) -> datetime:
    if _saving(info) and value > _now(info) + FUTURE_SLACK:
        raise ValueError("This time is in the future. Please check it.")
    return value


def _day_not_future(value: date | None, info: ValidationInfo) -> date | None:
    if _saving(info) and value is not None and value > _today(info):
        raise ValueError("This date is in the future. Please check it.")
    return value


PastMoment = Annotated[UtcDatetime, AfterValidator(_moment_not_future)]
PastDay = Annotated[date | None, AfterValidator(_day_not_future)]


class Rejection(Record):
    """S2: one "no", with how far the process got."""

    TABLE: ClassVar[str] = "rejections"

    company: Annotated[ShortText, required("the company's name")]
    role: Annotated[ShortText, required("the role you applied for")]
    applied_on: PastDay = None
    rejected_at: PastMoment
    stage: Stage = Stage.APPLICATION
    channel: ShortText = ""
    notes: LongText = ""
    archived: bool = False

    @model_validator(mode="after")
    def _order(self, info: ValidationInfo) -> Rejection:
        if not _saving(info):
            return self
        tz = (info.context or {}).get("tz")
        local_no = self.rejected_at.astimezone(tz).date() if tz else self.rejected_at.date()
        if self.applied_on is not None and local_no < self.applied_on:
            raise _field_error(
                "rejected_at", "The “no” is dated before the application. Please check both dates."
            )
        return self


class CheckIn(Record):
    """P1.2: how the person feels, at a moment in time."""

    TABLE: ClassVar[str] = "checkins"

    rejection_id: str | None = None
    felt_at: PastMoment = Field(default_factory=utcnow)
    # validate_default: a check-in saved without feelings would never read back.
    emotions: list[ShortText] = Field(default_factory=list, max_length=30, validate_default=True)
    intensity: int = Field(ge=0, le=10)
    journal: LongText = ""

    @field_validator("emotions")
    @classmethod
    def _emotions(cls, value: list[str]) -> list[str]:
        seen: dict[str, None] = {}
        for emotion in value:
            if emotion and emotion.casefold() not in {s.casefold() for s in seen}:
                seen[emotion] = None
        if not seen:
            raise ValueError("Please pick at least one feeling, or write your own.")
        return list(seen)


class OutletEntry(Record):
    """P1.3: one healthy thing the person did, and when."""

    TABLE: ClassVar[str] = "outlets"

    rejection_id: str | None = None
    outlet: Annotated[ShortText, required("what you did")]
    done_at: PastMoment = Field(default_factory=utcnow)
    note: SentenceText = ""


class SelfTalk(Record):
    """P1.4: the sentence the person will tell themselves (one per rejection)."""

    TABLE: ClassVar[str] = "self_talk"

    rejection_id: str | None = None
    sentence: Annotated[SentenceText, required("the sentence you will tell yourself")]


class AvoidPledge(Record):
    """P1.5: which of the things to avoid the person has pledged (one per rejection)."""

    TABLE: ClassVar[str] = "pledges"

    rejection_id: str | None = None
    items: list[ShortText] = Field(default_factory=list, max_length=50)


class Urge(Record):
    """P1.5: an urge noticed, and what the person did instead."""

    TABLE: ClassVar[str] = "urges"

    rejection_id: str | None = None
    item: ShortText
    urge: Annotated[LongText, required("a few words about the urge")]
    instead: LongText = ""
    noted_at: UtcDatetime = Field(default_factory=utcnow)


class UnsentDraft(Record):
    """P1.5: the angry email, written where it can never be sent."""

    TABLE: ClassVar[str] = "drafts_unsent"

    rejection_id: str | None = None
    addressed_to: ShortText = ""
    body: Annotated[LongText, required("the words you want to get out")]
    decision: Literal["undecided", "keep"] = "undecided"


class ValueItem(Record):
    """S3: something the person is or values outside their job."""

    TABLE: ClassVar[str] = "values"

    kind: ShortText = ""
    text: Annotated[SentenceText, required("a few words")]


class Review(Record):
    """P2.1: a clear-head look back at one rejection (one per rejection)."""

    TABLE: ClassVar[str] = "reviews"

    rejection_id: str | None = None
    answers: dict[ShortText, LongText] = Field(default_factory=dict, max_length=40)
    finished: bool = False


def _unique_casefold(value: list[str]) -> list[str]:
    """Drop empty items and repeats that differ only in case, keeping the first spelling."""
    seen: dict[str, str] = {}
    for item in value:
        if item and item.casefold() not in seen:
            seen[item.casefold()] = item
    return list(seen.values())


FeedbackStatus = Literal["not_sent", "sent", "answered"]


class FeedbackRequest(Record):
    """P2.2: asking the company for feedback, and what came back (one per rejection)."""

    TABLE: ClassVar[str] = "feedback"

    rejection_id: str | None = None
    addressee: ShortText = ""
    thanks: SentenceText = ""
    questions: list[SentenceText] = Field(default_factory=list)
    status: FeedbackStatus = "not_sent"
    sent_on: PastDay = None
    answered_on: PastDay = None
    feedback: LongText = ""
    tags: list[ShortText] = Field(default_factory=list, max_length=30)

    @field_validator("questions")
    @classmethod
    def _questions(cls, value: list[str]) -> list[str]:
        kept = [q for q in value if q]
        if len(kept) > 2:
            raise ValueError("Please keep it to one or two questions: short emails get answers.")
        return kept

    @field_validator("tags")
    @classmethod
    def _tags(cls, value: list[str]) -> list[str]:
        return _unique_casefold(value)

    @model_validator(mode="after")
    def _dates(self, info: ValidationInfo) -> FeedbackRequest:
        if not _saving(info):
            return self
        if self.status in ("sent", "answered") and self.sent_on is None:
            raise _field_error("sent_on", "Please add the day you sent it.")
        if self.status == "answered" and self.answered_on is None:
            raise _field_error("answered_on", "Please add the day they answered.")
        if self.sent_on and self.answered_on and self.answered_on < self.sent_on:
            raise _field_error(
                "answered_on", "The answer is dated before the email was sent. Please check both."
            )
        return self


class Direction(Record):
    """P2.4: a direction the person might take, rated for interest and strength."""

    TABLE: ClassVar[str] = "directions"

    name: Annotated[ShortText, required("a name for this direction")]
    interest: int = Field(ge=1, le=5)
    strength: int = Field(ge=1, le=5)
    notes: LongText = ""


class PathPlan(Record):
    """P2.4: notes on a course correction and the direction chosen (one per workbook)."""

    TABLE: ClassVar[str] = "path_plan"

    correction: LongText = ""
    chosen_direction_id: str | None = None


def _web_link(value: str) -> str:
    # Links are opened from the page, so only plain web addresses are kept.
    if value and not value.lower().startswith(("http://", "https://")):
        raise ValueError("Please give a web address starting with https:// (or leave it empty).")
    if any(ch.isspace() for ch in value):
        raise ValueError("A web address cannot contain spaces. Please check it.")
    return value


WebLink = Annotated[ShortText, Field(max_length=2_000), AfterValidator(_web_link)]


class Win(Record):
    """P3.1: one small, achievable step, on the person's own calendar day."""

    TABLE: ClassVar[str] = "wins"

    text: Annotated[SentenceText, required("a line about your win")]
    category: ShortText = ""
    # The person's local day: streaks count their days, not UTC's.
    won_on: Annotated[date, AfterValidator(_day_not_future)]


SkillSource = Literal["job_description", "feedback", "pattern", "other"]
ResourceKind = Literal["course", "book", "video", "bootcamp", "open_source", "other"]
SkillStatus = Literal["not_started", "in_progress", "done", "paused"]


class Skill(Record):
    """P3.2: a skill to build, where the need came from, how, and by when."""

    TABLE: ClassVar[str] = "skills"

    name: Annotated[ShortText, required("the skill's name")]
    source: SkillSource = "other"
    source_note: SentenceText = ""
    # Not "rejection_id": a skill outlives the rejection that revealed the need for it.
    source_rejection_id: str | None = None
    resource_kind: ResourceKind = "course"
    resource: ShortText = ""
    link: WebLink = ""
    start_on: date
    deadline: date | None = None
    status: SkillStatus = "not_started"
    progress: int = Field(default=0, ge=0, le=100)

    @model_validator(mode="after")
    def _rules(self, info: ValidationInfo) -> Skill:
        if not _saving(info):
            return self
        if self.deadline is not None and self.deadline < self.start_on:
            raise _field_error("deadline", "The deadline is before the start. Please check both.")
        return self


class SupportPerson(Record):
    """P3.3: the person who fills one of the five support roles (one per role)."""

    TABLE: ClassVar[str] = "support_team"

    role: Annotated[ShortText, required("the role")]
    name: Annotated[ShortText, required("their name")]
    contact: ShortText = ""
    notes: LongText = ""
    last_contact: PastDay = None
    next_checkin: date | None = None

    @model_validator(mode="after")
    def _order(self, info: ValidationInfo) -> SupportPerson:
        if not _saving(info):
            return self
        if self.last_contact and self.next_checkin and self.next_checkin < self.last_contact:
            raise _field_error(
                "next_checkin", "The next check-in is before the last contact. Please check both."
            )
        return self


class FollowSource(Record):
    """P3.4: a newsletter, person or community followed to stay current."""

    TABLE: ClassVar[str] = "following"

    kind: ShortText = ""
    name: Annotated[ShortText, required("a name")]
    link: WebLink = ""
    why: SentenceText = ""


class MaterialsChecklist(Record):
    """P4.1: which refresh steps are done, and when (one per workbook)."""

    TABLE: ClassVar[str] = "materials"

    done: dict[ShortText, date] = Field(default_factory=dict, max_length=200)
    notes: dict[ShortText, LongText] = Field(default_factory=dict, max_length=50)


class AnswerEntry(Record):
    """P4.1: a hard question faced, and a better answer to it."""

    TABLE: ClassVar[str] = "answers"

    question: Annotated[SentenceText, required("the question")]
    answer: LongText = ""
    theme: ShortText = ""  # the feedback theme it grew from, if any
    ready: bool = False


ActionStatus = Literal["planned", "done"]


class ChannelAction(Record):
    """P4.2: one planned or done action in a channel beyond online applications."""

    TABLE: ClassVar[str] = "channel_actions"

    channel: Annotated[ShortText, required("the channel")]
    action: Annotated[SentenceText, required("what you will do")]
    status: ActionStatus = "planned"
    planned_on: date | None = None
    done_on: PastDay = None
    note: LongText = ""

    @model_validator(mode="after")
    def _done_day(self, info: ValidationInfo) -> ChannelAction:
        if _saving(info) and self.status == "done" and self.done_on is None:
            raise _field_error("done_on", "Please add the day you did it.")
        return self


class DoorOpen(Record):
    """P4.3: keeping in touch with a company that said no (one per rejection)."""

    TABLE: ClassVar[str] = "doors"

    rejection_id: str | None = None
    thank_you_on: PastDay = None
    connected_on: PastDay = None
    shared_on: PastDay = None
    shared_what: SentenceText = ""
    last_checkin: PastDay = None
    next_checkin: date | None = None
    mention: list[ShortText] = Field(default_factory=list, max_length=30)
    notes: LongText = ""
    closed: bool = False  # no longer want to work there: no more reminders

    @field_validator("mention")
    @classmethod
    def _mention(cls, value: list[str]) -> list[str]:
        return _unique_casefold(value)

    @model_validator(mode="after")
    def _order(self, info: ValidationInfo) -> DoorOpen:
        if not _saving(info):
            return self
        if self.last_checkin and self.next_checkin and self.next_checkin < self.last_checkin:
            raise _field_error(
                "next_checkin", "The next check-in is before the last one. Please check both."
            )
        return self


class ThoughtRecord(Record):
    """P5.1: a thought record, filled in step by step; finished once re-rated."""

    TABLE: ClassVar[str] = "thought_records"

    step: int = Field(default=0, ge=0, le=20)  # the next step to work on
    situation: SentenceText = ""
    feeling: ShortText = ""
    intensity_before: int | None = Field(default=None, ge=0, le=100)
    thought: SentenceText = ""
    traps: list[ShortText] = Field(default_factory=list, max_length=30)
    evidence_for: LongText = ""
    evidence_against: LongText = ""
    rewritten: SentenceText = ""
    intensity_after: int | None = Field(default=None, ge=0, le=100)
    finished: bool = False
    source_checkin_id: str | None = None  # the check-in it was opened from, if any

    @field_validator("traps")
    @classmethod
    def _traps(cls, value: list[str]) -> list[str]:
        return _unique_casefold(value)

    @model_validator(mode="after")
    def _complete(self, info: ValidationInfo) -> ThoughtRecord:
        if not (_saving(info) and self.finished):
            return self
        if not self.thought:
            raise _field_error("thought", "Please write the thought you are working with.")
        if not self.rewritten:
            raise _field_error("rewritten", "Please write the fairer thought.")
        if self.intensity_before is None:
            raise _field_error("intensity_before", "Please rate the feeling at the start.")
        if self.intensity_after is None:
            raise _field_error("intensity_after", "Please rate the feeling now.")
        return self


class MindsetRewrite(Record):
    """P5.2: an "I can't …" turned into "not yet"."""

    TABLE: ClassVar[str] = "mindset"

    cant: Annotated[SentenceText, required("what you told yourself you can't do")]
    not_yet: Annotated[SentenceText, required("the “not yet” version")]


class GrowthChallenge(Record):
    """P5.2: a challenge, and the growth it offers."""

    TABLE: ClassVar[str] = "challenges"

    challenge: Annotated[SentenceText, required("the challenge")]
    growth: Annotated[SentenceText, required("what it could teach you")]


class BeyondWin(Record):
    """P5.3: a win that is not an offer, in one of the seven kinds."""

    TABLE: ClassVar[str] = "beyond_wins"

    category: Annotated[ShortText, required("the kind of win")]
    text: Annotated[SentenceText, required("what you gained")]
    day: PastDay = None


class PersistencePlan(Record):
    """P5.4: what went wrong, what changes, what is next, linked to existing entries."""

    TABLE: ClassVar[str] = "persistence"

    went_wrong: LongText = ""
    changes: LongText = ""
    next_steps: LongText = ""
    rejection_ids: list[str] = Field(default_factory=list, max_length=500)
    skill_ids: list[str] = Field(default_factory=list, max_length=500)
    action_ids: list[str] = Field(default_factory=list, max_length=500)
    door_ids: list[str] = Field(default_factory=list, max_length=500)


RECORD_TYPES: tuple[type[Record], ...] = (
    Rejection,
    CheckIn,
    OutletEntry,
    SelfTalk,
    AvoidPledge,
    Urge,
    UnsentDraft,
    ValueItem,
    Review,
    FeedbackRequest,
    Direction,
    PathPlan,
    Win,
    Skill,
    SupportPerson,
    FollowSource,
    MaterialsChecklist,
    AnswerEntry,
    ChannelAction,
    DoorOpen,
    ThoughtRecord,
    MindsetRewrite,
    GrowthChallenge,
    BeyondWin,
    PersistencePlan,
)
TABLES: dict[str, type[Record]] = {model.TABLE: model for model in RECORD_TYPES}


class _FieldError(ValueError):
    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


def _field_error(field: str, message: str) -> _FieldError:
    return _FieldError(field, message)


_FRIENDLY = {
    "missing": "This is needed.",
    "string_too_long": "This is longer than one entry can hold ({max_length:,} characters). "
    "Your text is still here: please shorten it or split it into two entries.",
    "too_long": "That is more than this list can hold ({max_length:,}).",
    "greater_than_equal": "Please choose a number of at least {ge}.",
    "less_than_equal": "Please choose a number no higher than {le}.",
    "date_parsing": "Please enter a date.",
    "date_type": "Please enter a date.",
    "datetime_type": "Please enter a date and time.",
    "datetime_parsing": "Please enter a date and time.",
    "int_parsing": "Please enter a whole number.",
    "enum": "Please choose one of the options.",
    "literal_error": "Please choose one of the options.",
}


def field_errors(exc: ValidationError) -> dict[str, str]:
    """Turn a ValidationError into one calm message per field name."""
    messages: dict[str, str] = {}
    for error in exc.errors():
        loc = error.get("loc") or ("",)
        field = str(loc[0]) if loc else ""
        cause = (error.get("ctx") or {}).get("error")
        if isinstance(cause, _FieldError):
            field, message = cause.field, str(cause)
        elif error["type"] == "value_error":
            message = str(cause) if cause is not None else error["msg"]
        else:
            template = _FRIENDLY.get(error["type"])
            try:
                message = template.format(**(error.get("ctx") or {})) if template else error["msg"]
            except (KeyError, ValueError):
                message = error["msg"]
        messages.setdefault(field, message)
    return messages


class RecordInvalid(ValueError):
    """A record did not pass validation; ``errors`` maps field names to messages."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__("; ".join(f"{k}: {v}" for k, v in errors.items()))
        self.errors = errors


def build(model: type[Record], data: dict[str, Any], **context: Any) -> Record:
    """Validate ``data`` as ``model``; raise :class:`RecordInvalid` with friendly messages."""
    try:
        return model.model_validate(data, context=context)
    except ValidationError as exc:
        raise RecordInvalid(field_errors(exc)) from None
