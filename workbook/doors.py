"""P4.3 logic and reminders: when to check in again, and which check-ins are due soon.

Check-ins come from two places: companies that said no (keep doors open) and the people
of the support team. Both are listed together on Home, soonest first.
"""

from __future__ import annotations

import calendar
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from workbook.models import DoorOpen, Rejection, SupportPerson


def add_months(day: date, months: int) -> date:
    """The same day ``months`` later, or the month's last day if it is shorter."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def default_next_checkin(today: date, months: int) -> date:
    return add_months(today, months)


def checked_in(today: date, months: int) -> dict[str, Any]:
    """The changes that record a check-in made today and plan the next one."""
    return {"last_checkin": today, "next_checkin": add_months(today, months)}


@dataclass(frozen=True)
class Due:
    """A check-in due within the window (or already past)."""

    who: str  # a company or a person's name, as the person wrote it
    why: str  # "Keep the door open" / the support role
    day: date
    page: str  # navigation key of the page to act on it
    record_id: str

    def days_from(self, today: date) -> int:
        return (self.day - today).days


def due_soon(
    doors: Sequence[DoorOpen],
    rejections: Sequence[Rejection],
    team: Sequence[SupportPerson],
    today: date,
    within_days: int,
    role_label: dict[str, str] | None = None,
) -> list[Due]:
    """Check-ins on or before ``today + within_days``, overdue ones included, soonest first."""
    companies = {r.id: r for r in rejections}
    roles = role_label or {}
    found: list[Due] = []
    for door in doors:
        rejection = companies.get(door.rejection_id or "")
        if door.closed or door.next_checkin is None or rejection is None:
            continue
        if (door.next_checkin - today).days <= within_days:
            found.append(
                Due(rejection.company, "Keep the door open", door.next_checkin, "doors", door.id)
            )
    for person in team:
        if person.next_checkin and (person.next_checkin - today).days <= within_days:
            why = roles.get(person.role, person.role)
            found.append(Due(person.name, why, person.next_checkin, "team", person.id))
    return sorted(found, key=lambda d: (d.day, d.who.casefold()))


def when(due: Due, today: date) -> str:
    """``today``, ``tomorrow``, ``in 5 days``, ``3 days ago``."""
    days = due.days_from(today)
    if days == 0:
        return "today"
    if days == 1:
        return "tomorrow"
    if days > 1:
        return f"in {days} days"
    return "yesterday" if days == -1 else f"{-days} days ago"


def due_phrase(due: Due, today: date) -> str:
    """``due in 5 days``, ``due today``, ``was due 2 days ago``."""
    return ("was due " if due.days_from(today) < 0 else "due ") + when(due, today)
