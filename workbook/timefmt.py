"""Time zones and friendly times. Stored in UTC; shown in the person's own zone."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta, tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError


def zone(name: str | None) -> tzinfo:
    """The zone called ``name`` (from the browser), else this computer's zone."""
    if name:
        try:
            return ZoneInfo(name)
        except (ZoneInfoNotFoundError, ValueError):
            pass
    local = datetime.now().astimezone().tzinfo
    return local if local is not None else UTC


def to_local(moment: datetime, tz: tzinfo) -> datetime:
    return moment.astimezone(tz)


def from_local(day: date, at: time, tz: tzinfo) -> datetime:
    """A local date and time as an aware UTC datetime."""
    return datetime.combine(day, at).replace(tzinfo=tz).astimezone(UTC)


def local_today(tz: tzinfo, now: datetime | None = None) -> date:
    return (now or datetime.now(UTC)).astimezone(tz).date()


def format_moment(moment: datetime, tz: tzinfo) -> str:
    """E.g. ``Sat 21 Nov 2026, 14:05``."""
    return to_local(moment, tz).strftime("%a %d %b %Y, %H:%M")


def format_day(day: date) -> str:
    return day.strftime("%d %b %Y")


def describe_duration(span: timedelta) -> str:
    """``1 day and 3 hours``, ``5 hours and 12 minutes``, ``under a minute``."""
    minutes = max(0, int(span.total_seconds() // 60))
    days, rest = divmod(minutes, 24 * 60)
    hours, mins = divmod(rest, 60)
    parts: list[str] = []
    if days:
        parts.append(f"{days} day" + ("s" if days != 1 else ""))
    if hours:
        parts.append(f"{hours} hour" + ("s" if hours != 1 else ""))
    if mins and not days:
        parts.append(f"{mins} minute" + ("s" if mins != 1 else ""))
    if not parts:
        return "under a minute"
    return " and ".join(parts[:2])
