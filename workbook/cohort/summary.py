"""A participant's progress summary: counts and completion only, never a word they wrote.

The facilitator's dashboard cannot open anyone's workbook, so each participant's session
writes ``people/<id>/summary.json`` beside the encrypted workbook after every save. What it
holds is fixed by :class:`Summary`: shares of each worksheet and phase, how many entries of
each kind, how many rejections ended at each stage, and how many check-ins fell on each
day. Nothing free-form: every key is one Rebound defines, every value a number.
"""

from __future__ import annotations

import json
import os
import threading
from collections import Counter
from collections.abc import Mapping
from datetime import UTC, date, datetime, tzinfo
from pathlib import Path
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from workbook import progress, timefmt
from workbook.models import RECORD_TYPES, CheckIn, Rejection, Stage

SUMMARY_FILE = "summary.json"
Share = Annotated[float, Field(ge=0, le=1)]
Count = Annotated[int, Field(ge=0)]
_KNOWN_TABLES = {model.TABLE for model in RECORD_TYPES}


class Summary(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    updated_at: datetime
    worksheets: dict[str, Share]
    phases: dict[str, Share]
    counts: dict[str, Count]
    stages: dict[Stage, Count]
    checkins_per_day: dict[str, Count]

    @field_validator("worksheets")
    @classmethod
    def _worksheets(cls, value: dict[str, float]) -> dict[str, float]:
        unknown = set(value) - set(progress.RULES)
        if unknown:
            raise ValueError(f"unknown worksheets {sorted(unknown)}")
        return value

    @field_validator("phases")
    @classmethod
    def _phases(cls, value: dict[str, float]) -> dict[str, float]:
        if set(value) - set(progress.PHASES):
            raise ValueError("unknown phases")
        return value

    @field_validator("counts")
    @classmethod
    def _counts(cls, value: dict[str, int]) -> dict[str, int]:
        if set(value) - _KNOWN_TABLES:
            raise ValueError("unknown tables")
        return value

    @field_validator("checkins_per_day")
    @classmethod
    def _days(cls, value: dict[str, int]) -> dict[str, int]:
        for day in value:
            if len(day) != 10:  # a date and nothing else: YYYY-MM-DD
                raise ValueError("not a day")
            date.fromisoformat(day)
        return value

    @property
    def furthest_phase(self) -> int:
        """The highest phase with any progress (0 when nothing has been started)."""
        started = [i for i, key in enumerate(progress.PHASES, 1) if self.phases.get(key, 0) > 0]
        return max(started, default=0)


def summarise(
    records: progress.Records,
    all_counts: Mapping[str, int],
    tz: tzinfo,
    now: datetime | None = None,
) -> Summary:
    """The summary of one workbook, from the records the completion rules read."""
    done = progress.worksheets(records)
    checkins = records.of(CheckIn)
    days = Counter(timefmt.to_local(c.felt_at, tz).date().isoformat() for c in checkins)
    stages = Counter(r.stage for r in records.of(Rejection))
    return Summary(
        updated_at=now or datetime.now(UTC),
        worksheets={k: round(c.share, 4) for k, c in done.items()},
        phases={k: round(v, 4) for k, v in progress.phases(done).items()},
        counts={k: v for k, v in all_counts.items() if k in _KNOWN_TABLES},
        stages=dict(stages),
        checkins_per_day=dict(sorted(days.items())),
    )


_write_lock = threading.Lock()


def write(folder: Path, summary: Summary) -> None:
    """Replace ``folder``'s summary atomically (skipped when nothing changed but the time)."""
    path = Path(folder) / SUMMARY_FILE
    current = read(folder)
    if (
        current is not None
        and current.model_copy(update={"updated_at": summary.updated_at}) == summary
    ):
        return
    payload = summary.model_dump_json().encode("utf-8")
    tmp = path.with_name(f".{SUMMARY_FILE}.{os.getpid()}.{threading.get_ident()}.tmp")
    with _write_lock:
        try:
            with tmp.open("wb") as handle:
                handle.write(payload)
                handle.flush()
                os.fsync(handle.fileno())
            tmp.replace(path)
        finally:
            tmp.unlink(missing_ok=True)


def read(folder: Path) -> Summary | None:
    """The summary in ``folder``; ``None`` if there is none or it does not check out."""
    path = Path(folder) / SUMMARY_FILE
    try:
        return Summary.model_validate(json.loads(path.read_bytes()))
    except (OSError, ValueError, ValidationError):
        return None
