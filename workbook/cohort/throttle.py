"""Slowing down and locking out repeated failed sign-ins, per account and per client.

A few mistakes are free. After that each further attempt must wait longer (2, 4, 8 … up
to 60 seconds), and after many failures the account (or the device) is locked for a while.
A success clears the account's count. Counts live in the server's memory: a restart clears
them, which a lockout of minutes does not need to survive.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta


@dataclass(frozen=True)
class Policy:
    free: int  # failures before any waiting
    lock_after: int  # failures that lock
    lock_for: timedelta
    max_wait: timedelta = timedelta(seconds=60)


ACCOUNT = Policy(free=3, lock_after=10, lock_for=timedelta(minutes=15))
# A workshop room may share one address, so a client gets more room than one account.
CLIENT = Policy(free=10, lock_after=30, lock_for=timedelta(minutes=15))


@dataclass
class _Count:
    failures: int = 0
    last: datetime | None = None


@dataclass(frozen=True)
class Refusal:
    """Why an attempt may not be made now, in plain words, and until when."""

    message: str
    until: datetime


def _minutes(delta: timedelta) -> str:
    minutes = max(1, round(delta.total_seconds() / 60))
    return f"{minutes} minute{'s' if minutes != 1 else ''}"


def _seconds(delta: timedelta) -> str:
    seconds = max(1, int(delta.total_seconds() + 0.999))
    return f"{seconds} second{'s' if seconds != 1 else ''}"


class Throttle:
    """Failure counts by key (``account:<name>``, ``client:<address>``)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._counts: dict[str, _Count] = {}

    @staticmethod
    def _until(count: _Count, policy: Policy) -> tuple[datetime, bool] | None:
        if count.last is None or count.failures <= policy.free:
            return None
        if count.failures >= policy.lock_after:
            return count.last + policy.lock_for, True
        wait = timedelta(seconds=2 ** (count.failures - policy.free))
        return count.last + min(wait, policy.max_wait), False

    def check(self, key: str, policy: Policy, now: datetime | None = None) -> Refusal | None:
        """A refusal if ``key`` must wait, else ``None``."""
        now = now or datetime.now(UTC)
        with self._lock:
            count = self._counts.get(key)
            if count is None:
                return None
            found = self._until(count, policy)
            if found is None or found[0] <= now:
                if found is not None and found[1]:
                    self._counts.pop(key, None)  # a served lockout starts afresh
                return None
            until, locked = found
        who = "this device" if key.startswith("client:") else "this account"
        if locked:
            return Refusal(
                f"After too many attempts, sign-in for {who} is paused for "
                f"{_minutes(until - now)}. Your workbook is safe. If you need help sooner, "
                "ask your facilitator.",
                until,
            )
        return Refusal(
            f"That did not match several times, so please wait {_seconds(until - now)} "
            "before trying again.",
            until,
        )

    def failed(self, key: str, now: datetime | None = None) -> None:
        with self._lock:
            count = self._counts.setdefault(key, _Count())
            count.failures += 1
            count.last = now or datetime.now(UTC)

    def succeeded(self, key: str) -> None:
        with self._lock:
            self._counts.pop(key, None)

    def failures(self, key: str) -> int:
        with self._lock:
            count = self._counts.get(key)
            return count.failures if count else 0
