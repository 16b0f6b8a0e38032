"""Phase 1 logic: the processing window and the small rules of the first 48 hours."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol, TypeVar

from workbook.models import Rejection, UnsentDraft
from workbook.timefmt import describe_duration

DEFAULT_HOURS = 48

R = TypeVar("R", bound="_Linked")


class _Linked(Protocol):
    rejection_id: str | None


@dataclass(frozen=True)
class WindowStatus:
    """Where ``now`` sits in a rejection's processing window."""

    starts_at: datetime
    ends_at: datetime
    now: datetime

    @property
    def is_open(self) -> bool:
        return self.now < self.ends_at

    @property
    def remaining(self) -> timedelta:
        return max(self.ends_at - self.now, timedelta(0))

    @property
    def fraction_elapsed(self) -> float:
        total = (self.ends_at - self.starts_at).total_seconds()
        done = (self.now - self.starts_at).total_seconds()
        return min(max(done / total, 0.0), 1.0) if total > 0 else 1.0

    @property
    def remaining_text(self) -> str:
        if not self.is_open:
            return "The window is over"
        return f"{describe_duration(self.remaining)} left"


def window_status(rejection: Rejection, now: datetime, hours: int = DEFAULT_HOURS) -> WindowStatus:
    start = rejection.rejected_at
    return WindowStatus(starts_at=start, ends_at=start + timedelta(hours=hours), now=now)


def for_rejection(records: Iterable[R], rejection_id: str | None) -> list[R]:
    """The records linked to one rejection."""
    return [r for r in records if r.rejection_id == rejection_id]


def drafts_to_decide(
    drafts: Iterable[UnsentDraft], rejection: Rejection, now: datetime, hours: int = DEFAULT_HOURS
) -> list[UnsentDraft]:
    """Drafts of this rejection whose window is over and that nobody chose to keep yet."""
    if window_status(rejection, now, hours).is_open:
        return []
    return [d for d in drafts if d.rejection_id == rejection.id and d.decision == "undecided"]
