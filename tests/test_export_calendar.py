"""Calendar export: the events it holds, their days and UIDs, hostile text and RFC 5545 form."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

import icalendar
import pytest

from workbook import content, demo, exports
from workbook.exports import calendar
from workbook.exports.document import Snapshot, snapshot
from workbook.models import (
    DoorOpen,
    FeedbackRequest,
    Record,
    Rejection,
    Skill,
    SupportPerson,
)

NOW = datetime(2026, 3, 10, 12, 0, tzinfo=UTC)
BERLIN = ZoneInfo("Europe/Berlin")
TEXTS = content.load(None)
R = TypeVar("R", bound=Record)
HOSTILE = 'Acme, Inc.; "Quoted"\nsecond line\\ 🎉👩🏽‍💻 שלום مرحبا 株式会社サクラ'


def stored(model: type[R], **data: Any) -> R:
    """A record as read back from the file: rules about "now" are not judged again."""
    return model.model_validate(data, context={"stored": True})


def snap_of(records: list[Record]) -> Snapshot:
    by: dict[type[Record], list[Record]] = {}
    for record in records:
        by.setdefault(type(record), []).append(record)
    return snapshot(lambda model: by.get(model, []))


def events(data: bytes) -> dict[str, icalendar.Event]:
    cal = icalendar.Calendar.from_ical(data)
    found = {str(e["UID"]): e for e in cal.walk("VEVENT")}
    assert len(found) == len(cal.walk("VEVENT")), "UIDs must be unique"
    return found


def export(records: list[Record], now: datetime = NOW) -> bytes:
    return calendar.ics(snap_of(records), TEXTS, BERLIN, now=now)


def northwind(**extra: Any) -> Rejection:
    # 23:30 UTC on the 9th is already the 10th in Berlin: the window counts from the 10th.
    data = {
        "company": "Northwind",
        "role": "Data Analyst",
        "rejected_at": datetime(2026, 3, 9, 23, 30, tzinfo=UTC),
    }
    return stored(Rejection, **data | extra)


def a_skill(**extra: Any) -> Skill:
    data = {
        "name": "SQL window functions",
        "start_on": date(2026, 3, 1),
        "deadline": date(2026, 4, 30),
    }
    return stored(Skill, **data | extra)


@pytest.fixture(scope="module")
def workbook_events() -> tuple[list[Record], dict[str, icalendar.Event]]:
    rejection = northwind()
    records: list[Record] = [
        rejection,
        stored(FeedbackRequest, rejection_id=rejection.id, status="not_sent"),
        stored(
            SupportPerson,
            role="mentor",
            name="Ana",
            contact="ana@example.org",
            next_checkin=date(2026, 3, 20),
        ),
        stored(DoorOpen, rejection_id=rejection.id, next_checkin=date(2026, 4, 2)),
        a_skill(),
    ]
    return records, events(export(records))


def test_a_feedback_request_not_sent_lands_on_the_first_day_of_its_window(
    workbook_events: tuple[list[Record], dict[str, icalendar.Event]],
) -> None:
    records, found = workbook_events
    event = found[f"{records[1].id}-feedback@rebound.local"]
    assert str(event["SUMMARY"]) == "Ask Northwind for feedback"
    assert event.decoded("DTSTART") == date(2026, 3, 13)  # 3 days after the 10th, Berlin
    assert event.decoded("DTEND") == date(2026, 3, 14)
    description = str(event["DESCRIPTION"])
    assert "13 Mar 2026 to 15 Mar 2026" in description
    assert "Data Analyst" in description
    # In UTC the "no" came on the 9th, so the window opens a day earlier.
    in_utc = events(calendar.ics(snap_of(records), TEXTS, UTC, now=NOW))
    assert in_utc[f"{records[1].id}-feedback@rebound.local"].decoded("DTSTART") == date(2026, 3, 12)


def test_team_door_and_deadline_events(
    workbook_events: tuple[list[Record], dict[str, icalendar.Event]],
) -> None:
    records, found = workbook_events
    expected = {
        f"{records[2].id}-team@rebound.local": (
            "Check in with Ana (A mentor in your field)",
            date(2026, 3, 20),
        ),
        f"{records[3].id}-door@rebound.local": ("Check in with Northwind", date(2026, 4, 2)),
        f"{records[4].id}-deadline@rebound.local": (
            "Deadline: SQL window functions",
            date(2026, 4, 30),
        ),
    }
    for uid, (summary, day) in expected.items():
        event = found[uid]
        assert str(event["SUMMARY"]) == summary
        start = event.decoded("DTSTART")
        assert start == day and not isinstance(start, datetime)  # all-day
    assert len(found) == 4
    assert "ana@example.org" in str(found[f"{records[2].id}-team@rebound.local"]["DESCRIPTION"])


def test_every_event_has_a_stamp_a_free_day_and_a_morning_alarm(
    workbook_events: tuple[list[Record], dict[str, icalendar.Event]],
) -> None:
    _, found = workbook_events
    for event in found.values():
        assert event.decoded("DTSTAMP") == NOW
        assert str(event["TRANSP"]) == "TRANSPARENT"
        (alarm,) = event.walk("VALARM")
        assert str(alarm["ACTION"]) == "DISPLAY"
        assert alarm.decoded("TRIGGER") == timedelta(hours=9)
        assert str(alarm["DESCRIPTION"]) == str(event["SUMMARY"])


def test_the_calendar_is_named_and_versioned() -> None:
    cal = icalendar.Calendar.from_ical(export([]))
    assert str(cal["VERSION"]) == "2.0"
    assert str(cal["PRODID"]) == calendar.PRODID
    assert str(cal["X-WR-CALNAME"]) == "Rebound"
    assert cal.walk("VEVENT") == []


def test_an_empty_snapshot_gives_a_valid_empty_calendar() -> None:
    data = export([])
    assert data.startswith(b"BEGIN:VCALENDAR\r\n")
    assert data.endswith(b"END:VCALENDAR\r\n")
    assert icalendar.Calendar.from_ical(data).walk("VEVENT") == []


def test_nothing_to_remind_gives_no_event() -> None:
    rejection = northwind()
    archived = northwind(company="Old Co", archived=True)
    records: list[Record] = [
        rejection,
        archived,
        stored(FeedbackRequest, rejection_id=rejection.id, status="sent", sent_on=date(2026, 3, 1)),
        stored(FeedbackRequest, rejection_id=archived.id, status="not_sent"),
        stored(FeedbackRequest, rejection_id="removed", status="not_sent"),
        stored(DoorOpen, rejection_id=rejection.id, next_checkin=date(2026, 4, 2), closed=True),
        stored(DoorOpen, rejection_id=rejection.id, next_checkin=None),
        stored(DoorOpen, rejection_id="removed", next_checkin=date(2026, 4, 2)),
        stored(SupportPerson, role="fellow", name="Bo", next_checkin=None),
        a_skill(status="done", progress=100),
        a_skill(deadline=None),
    ]
    assert events(export(records)) == {}


def test_done_skill_and_closed_door_drop_out_of_an_otherwise_full_calendar() -> None:
    rejection = northwind()
    door = stored(DoorOpen, rejection_id=rejection.id, next_checkin=date(2026, 4, 2))
    skill = a_skill()
    before = events(export([rejection, door, skill]))
    assert len(before) == 2
    after = events(
        export(
            [
                rejection,
                door.model_copy(update={"closed": True}),
                skill.model_copy(update={"status": "done"}),
            ]
        )
    )
    assert after == {}


def expected_count(records: list[Record]) -> int:
    live = {r.id for r in records if isinstance(r, Rejection) and not r.archived}
    every = {r.id for r in records if isinstance(r, Rejection)}
    n = 0
    for r in records:
        if isinstance(r, FeedbackRequest):
            n += r.status == "not_sent" and r.rejection_id in live
        elif isinstance(r, SupportPerson):
            n += r.next_checkin is not None
        elif isinstance(r, DoorOpen):
            n += not r.closed and r.next_checkin is not None and r.rejection_id in every
        elif isinstance(r, Skill):
            n += r.deadline is not None and r.status != "done"
    return n


@pytest.mark.parametrize("heavy", [False, True], ids=["demo", "heavy"])
def test_event_count_on_demo_workbooks(heavy: bool) -> None:
    records = demo.generate(heavy=heavy, now=NOW)
    found = events(export(records))
    assert len(found) == expected_count(records)
    assert len(found) > (50 if heavy else 3)
    kinds = {uid.split("@")[0].rsplit("-", 1)[1] for uid in found}
    every = {"feedback", "team", "door", "deadline"}
    # The small demo has no unsent request: its one older "no" is answered, the other sent.
    assert kinds == (every if heavy else every - {"feedback"})


def test_uids_are_stable_and_the_stamp_follows_now() -> None:
    records = demo.generate(heavy=False, now=NOW)
    first = events(export(records))
    later = events(export(records, now=NOW + timedelta(days=3)))
    assert first.keys() == later.keys()
    for uid in first:
        assert re.fullmatch(r"[0-9a-f]{32}-(feedback|team|door|deadline)@rebound\.local", uid)
        assert later[uid].decoded("DTSTAMP") == NOW + timedelta(days=3)


def test_an_odd_record_id_still_gives_a_safe_stable_uid() -> None:
    skill = a_skill(id="restored id/with spaces é")
    (uid,) = events(export([skill]))
    assert re.fullmatch(r"[0-9a-f]{32}-deadline@rebound\.local", uid)
    assert events(export([skill])).keys() == {uid}


def test_hostile_text_round_trips_in_summary_and_description() -> None:
    rejection = northwind(company=HOSTILE, role=HOSTILE)
    person = stored(
        SupportPerson, role="own role, with; commas", name=HOSTILE, next_checkin=date(2026, 3, 20)
    )
    records: list[Record] = [
        rejection,
        stored(FeedbackRequest, rejection_id=rejection.id),
        stored(
            DoorOpen, rejection_id=rejection.id, next_checkin=date(2026, 4, 2), mention=[HOSTILE]
        ),
        person,
        a_skill(name=HOSTILE, resource="Bell\x07 and\x00 nulls"),
    ]
    data = export(records)
    found = events(data)
    assert len(found) == 4
    summaries = sorted(str(e["SUMMARY"]) for e in found.values())
    assert summaries == sorted(
        [
            f"Ask {HOSTILE} for feedback",
            f"Check in with {HOSTILE} (own role, with; commas)",
            f"Check in with {HOSTILE}",
            f"Deadline: {HOSTILE}",
        ]
    )
    door = next(e for u, e in found.items() if u.endswith("-door@rebound.local"))
    assert f"you applied for {HOSTILE}." in str(door["DESCRIPTION"])
    assert f"To mention: {HOSTILE}" in str(door["DESCRIPTION"])
    skill = next(e for u, e in found.items() if u.endswith("-deadline@rebound.local"))
    assert "How: Bell and nulls" in str(skill["DESCRIPTION"])  # control characters dropped
    # The user's text never starts a property of its own.
    names = {line.split(b":")[0].split(b";")[0] for line in data.split(b"\r\n") if line[:1] != b" "}
    assert names <= {
        b"BEGIN", b"END", b"VERSION", b"PRODID", b"CALSCALE", b"METHOD", b"X-WR-CALNAME",
        b"UID", b"DTSTAMP", b"DTSTART", b"DTEND", b"SUMMARY", b"DESCRIPTION", b"TRANSP",
        b"ACTION", b"TRIGGER", b"",
    }  # fmt: skip


def test_lines_are_folded_at_75_octets_and_end_in_crlf() -> None:
    rejection = northwind(company=HOSTILE, role=HOSTILE * 3)
    records: list[Record] = [
        rejection,
        stored(FeedbackRequest, rejection_id=rejection.id),
        *demo.generate(heavy=True, now=NOW),
    ]
    data = export(records)
    assert data.endswith(b"\r\n")
    assert data.count(b"\n") == data.count(b"\r\n")  # no bare LF
    assert data.count(b"\r") == data.count(b"\r\n")  # no bare CR
    lines = data.split(b"\r\n")[:-1]
    assert max(len(line) for line in lines) <= 75
    assert any(line.startswith(b" ") for line in lines)  # folding happened
    for line in lines:
        line.decode("utf-8")  # never folded inside a character


def test_the_registry_makes_the_same_calendar() -> None:
    records = demo.generate(heavy=False, now=NOW)
    snap = snap_of(records)
    made = exports.make("ics", snap, TEXTS, BERLIN, exports.Options(now=NOW))
    assert made == calendar.ics(snap, TEXTS, BERLIN, now=NOW)
