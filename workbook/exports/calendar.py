"""Calendar export: the workbook's coming reminders as an iCalendar (RFC 5545) file.

One all-day event for each of:

- a feedback request not sent yet, on the first day of its send window (counted in the
  person's time zone from the day of the "no"; the rejection must still be in the
  workbook and not archived, since an archived "no" has been worked through);
- the next check-in with each person of the support team;
- the next check-in with each company whose door is kept open (closed doors are left out);
- the deadline of each skill not done yet.

Events are all-day dates, so they land on the same day in any calendar, whatever its time
zone. Each has a UID made from the record's id and the kind of reminder, so importing a
newer export updates the events instead of doubling them, and a reminder (VALARM) at
09:00 on the day. The person's own words go only into SUMMARY and DESCRIPTION, where
icalendar escapes them; lines are folded at 75 octets and end in CRLF.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, tzinfo
from typing import TypeVar, cast

import icalendar

from workbook.content import Content
from workbook.exports.document import Snapshot
from workbook.feedback import send_window
from workbook.models import DoorOpen, FeedbackRequest, Record, Rejection, Skill, SupportPerson
from workbook.timefmt import format_day

PRODID = "-//Rebound//Rebound workbook//EN"
CALENDAR_NAME = "Rebound"
UID_DOMAIN = "rebound.local"
REMIND_AT = timedelta(hours=9)  # after the start of the all-day event: 09:00 that day

# Control characters are not allowed in iCalendar text (RFC 5545 §3.3.11), except tab;
# line breaks are kept, and icalendar writes them as "\n".
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_SAFE_ID = re.compile(r"[A-Za-z0-9_.-]{1,64}")
R = TypeVar("R", bound=Record)


@dataclass(frozen=True)
class Reminder:
    """One calendar event: an all-day reminder on ``day``."""

    kind: str  # "feedback", "team", "door" or "deadline"
    record_id: str
    day: date
    summary: str
    description: str

    @property
    def uid(self) -> str:
        # Ids are hex by default, but a restored backup may hold any string: anything
        # that is not plainly safe in a UID is replaced by its hash (still stable).
        rid = self.record_id
        if not _SAFE_ID.fullmatch(rid):
            rid = hashlib.sha256(rid.encode("utf-8", "replace")).hexdigest()[:32]
        return f"{rid}-{self.kind}@{UID_DOMAIN}"


def _of(snap: Snapshot, model: type[R]) -> list[R]:
    return cast("list[R]", snap.of(model))


def _text(value: str) -> str:
    return _CONTROL.sub("", value.replace("\r\n", "\n").replace("\r", "\n")).strip()


def _feedback(snap: Snapshot, texts: Content, tz: tzinfo, today: date) -> Iterator[Reminder]:
    rejections = {r.id: r for r in _of(snap, Rejection)}
    first, last = texts.phase2.feedback.window_days
    for request in _of(snap, FeedbackRequest):
        rejection = rejections.get(request.rejection_id or "")
        if request.status != "not_sent" or rejection is None or rejection.archived:
            continue
        window = send_window(rejection, today, tz, (first, last))
        span = (
            format_day(window.opens)
            if window.opens == window.closes
            else f"{format_day(window.opens)} to {format_day(window.closes)}"
        )
        yield Reminder(
            "feedback",
            request.id,
            window.opens,
            f"Ask {rejection.company} for feedback",
            f"About your application for {rejection.role}. A good time to send a short, "
            f"polite request: {span} ({first} to {last} days after the “no”). "
            "Your draft is on the Feedback page of Rebound.",
        )


def _team(snap: Snapshot, texts: Content) -> Iterator[Reminder]:
    roles = texts.phase3.team
    for person in _of(snap, SupportPerson):
        if person.next_checkin is None:
            continue
        about = [f"Your support team: {roles.label(person.role)}."]
        if person.contact:
            about.append(f"How to reach them: {person.contact}")
        if person.last_contact:
            about.append(f"Last contact: {format_day(person.last_contact)}.")
        yield Reminder(
            "team",
            person.id,
            person.next_checkin,
            f"Check in with {person.name} ({roles.label(person.role)})",
            "\n".join(about),
        )


def _doors(snap: Snapshot) -> Iterator[Reminder]:
    rejections = {r.id: r for r in _of(snap, Rejection)}
    for door in _of(snap, DoorOpen):
        rejection = rejections.get(door.rejection_id or "")
        # Like the reminders on Home: a door without its company has no one to check in with.
        if door.closed or door.next_checkin is None or rejection is None:
            continue
        about = [f"Keep the door open: you applied for {rejection.role}."]
        if door.mention:
            about.append("To mention: " + "; ".join(door.mention))
        yield Reminder(
            "door",
            door.id,
            door.next_checkin,
            f"Check in with {rejection.company}",
            "\n".join(about),
        )


def _deadlines(snap: Snapshot) -> Iterator[Reminder]:
    for skill in _of(snap, Skill):
        if skill.deadline is None or skill.status == "done":
            continue
        about = [f"Progress so far: {skill.progress}%."]
        if skill.resource:
            about.append(f"How: {skill.resource}")
        if skill.link:
            about.append(skill.link)
        yield Reminder(
            "deadline", skill.id, skill.deadline, f"Deadline: {skill.name}", "\n".join(about)
        )


def reminders(
    snap: Snapshot, texts: Content, tz: tzinfo, now: datetime | None = None
) -> list[Reminder]:
    """Every reminder the calendar holds, by day (then kind and UID, so the order is stable)."""
    today = (now or datetime.now(UTC)).astimezone(tz).date()
    found = [
        *_feedback(snap, texts, tz, today),
        *_team(snap, texts),
        *_doors(snap),
        *_deadlines(snap),
    ]
    return sorted(found, key=lambda r: (r.day, r.kind, r.uid))


def _event(reminder: Reminder, stamp: datetime) -> icalendar.Event:
    event = icalendar.Event()
    event.add("uid", reminder.uid)
    event.add("dtstamp", stamp)
    event.add("dtstart", reminder.day)  # a DATE value: an all-day event
    event.add("dtend", reminder.day + timedelta(days=1))  # DTEND is exclusive
    event.add("summary", _text(reminder.summary))
    event.add("description", _text(reminder.description))
    event.add("transp", "TRANSPARENT")  # a reminder, not a meeting: the day stays free
    alarm = icalendar.Alarm()
    alarm.add("action", "DISPLAY")
    alarm.add("description", _text(reminder.summary))
    alarm.add("trigger", REMIND_AT, parameters={"RELATED": "START"})
    event.add_component(alarm)
    return event


def ics(snap: Snapshot, texts: Content, tz: tzinfo, now: datetime | None = None) -> bytes:
    """The reminders of ``snap`` as an .ics file (bytes, UTF-8, CRLF line endings)."""
    moment = (now or datetime.now(UTC)).astimezone(UTC)
    cal = icalendar.Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", CALENDAR_NAME)
    for reminder in reminders(snap, texts, tz, now=moment):
        cal.add_component(_event(reminder, moment))
    return cal.to_ical()
