"""P3.1 logic: streaks and weekly momentum of small wins, on the person's own calendar.

A win belongs to the local day it was logged for (``Win.won_on``), so a streak follows
the person's days wherever their clock is. A streak is still alive until a whole day
passes without a win: a run that ended yesterday counts as current until today is over.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from itertools import pairwise

from workbook.models import Win

ONE_DAY = timedelta(days=1)


@dataclass(frozen=True)
class Streaks:
    current: int  # days in a row up to today (or up to yesterday, if today is still open)
    longest: int
    logged_today: bool
    last_day: date | None

    @property
    def at_risk(self) -> bool:
        """A current run that today's win would extend (nothing logged yet today)."""
        return self.current > 0 and not self.logged_today


def streaks(days: Iterable[date], today: date) -> Streaks:
    """Current and longest runs of consecutive days with at least one win.

    Several wins on one day count once; days after ``today`` (another zone's tomorrow)
    are not counted yet.
    """
    unique = sorted({d for d in days if d <= today})
    if not unique:
        return Streaks(0, 0, False, None)
    longest = run = 1
    for before, after in pairwise(unique):
        run = run + 1 if after - before == ONE_DAY else 1
        longest = max(longest, run)
    present = set(unique)
    logged_today = today in present
    end = today if logged_today else today - ONE_DAY
    current = 0
    while end in present:
        current += 1
        end -= ONE_DAY
    return Streaks(current, longest, logged_today, unique[-1])


def week_start(day: date) -> date:
    """The Monday of ``day``'s week."""
    return day - timedelta(days=day.weekday())


def per_week(wins: Sequence[Win], today: date, weeks: int | None = None) -> list[tuple[date, int]]:
    """(Monday, wins that week) for every week, empty weeks included, oldest first.

    ``weeks`` keeps only the most recent weeks; ``None`` spans from the first win.
    """
    this_week = week_start(today)
    if weeks is not None and weeks < 1:
        return []
    if weeks is not None:
        first = this_week - timedelta(weeks=weeks - 1)
    elif wins:
        first = min(week_start(w.won_on) for w in wins)
    else:
        return []
    counts = Counter(week_start(w.won_on) for w in wins)
    span = max(0, (this_week - first).days // 7)
    return [
        (first + timedelta(weeks=n), counts.get(first + timedelta(weeks=n), 0))
        for n in range(span + 1)
    ]


def newest_first(wins: Sequence[Win]) -> list[Win]:
    return sorted(wins, key=lambda w: (w.won_on, w.created_at), reverse=True)


def days_text(n: int) -> str:
    """``1 day``, ``5 days``."""
    return f"{n:,} day" + ("" if n == 1 else "s")
