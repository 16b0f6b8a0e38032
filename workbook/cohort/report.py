"""The facilitator's view of a workshop, as numbers: pure functions of dashboard rows.

Everything here comes from participants' summaries (:mod:`workbook.cohort.summary`), which
hold counts and completion only; nothing here can reach a word anyone wrote.
"""

from __future__ import annotations

import csv
import io
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from workbook import progress
from workbook.cohort.hosting import Row
from workbook.models import Stage

PHASE_KEYS = tuple(progress.PHASES)


@dataclass(frozen=True)
class Aggregate:
    participants: int
    started: int  # participants with any saved progress
    phase_mean: dict[str, float]  # mean completion of each phase across participants
    worksheet_done: dict[str, int]  # how many finished each worksheet
    furthest: dict[int, int]  # furthest phase reached (0 = not started) -> participants
    stages: dict[Stage, int]  # where everyone's rejections came, together
    checkins_per_day: dict[date, int]


def aggregate(rows: Sequence[Row]) -> Aggregate:
    summaries = [r.summary for r in rows if r.summary is not None]
    n = len(rows)
    phase_mean = {
        key: (sum(s.phases.get(key, 0.0) for s in summaries) / n if n else 0.0)
        for key in PHASE_KEYS
    }
    worksheet_done = {
        key: sum(s.worksheets.get(key, 0.0) >= 1 for s in summaries) for key in progress.RULES
    }
    furthest = Counter(r.summary.furthest_phase if r.summary else 0 for r in rows)
    stages: Counter[Stage] = Counter()
    days: Counter[date] = Counter()
    for s in summaries:
        stages.update(s.stages)
        days.update({date.fromisoformat(d): c for d, c in s.checkins_per_day.items()})
    return Aggregate(
        participants=n,
        started=sum(s.furthest_phase > 0 or any(s.counts.values()) for s in summaries),
        phase_mean=phase_mean,
        worksheet_done=worksheet_done,
        furthest={k: furthest.get(k, 0) for k in range(len(PHASE_KEYS) + 1)},
        stages={stage: stages.get(stage, 0) for stage in Stage},
        checkins_per_day=dict(sorted(days.items())),
    )


def recent_days(per_day: dict[date, int], today: date, days: int = 28) -> list[tuple[date, int]]:
    """The last ``days`` days up to ``today``, with zero for days without check-ins."""
    start = today - timedelta(days=days - 1)
    return [(start + timedelta(i), per_day.get(start + timedelta(i), 0)) for i in range(days)]


COLUMNS = (
    "participant",
    "joined",
    "furthest_phase",
    *(f"{key}_percent" for key in PHASE_KEYS),
    "worksheets_done",
    "checkins",
    "rejections",
    "wins",
    "shared_worksheets",
)


def table(rows: Sequence[Row]) -> list[dict[str, object]]:
    """One line per participant: numbers only (and the label the facilitator chose)."""
    lines = []
    for row in rows:
        s = row.summary
        lines.append(
            {
                "participant": row.label,
                "joined": row.joined_at.date().isoformat(),
                "furthest_phase": s.furthest_phase if s else 0,
                **{
                    f"{k}_percent": round(100 * (s.phases.get(k, 0) if s else 0))
                    for k in PHASE_KEYS
                },
                "worksheets_done": sum(v >= 1 for v in s.worksheets.values()) if s else 0,
                "checkins": s.counts.get("checkins", 0) if s else 0,
                "rejections": s.counts.get("rejections", 0) if s else 0,
                "wins": s.counts.get("wins", 0) if s else 0,
                "shared_worksheets": len(row.shared),
            }
        )
    return lines


def csv_bytes(rows: Sequence[Row]) -> bytes:
    """The table as CSV: UTF-8 with a BOM (spreadsheets read the encoding), CRLF lines."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=COLUMNS, lineterminator="\r\n")
    writer.writeheader()
    for line in table(rows):
        label = str(line["participant"])
        # A name is the only text here; keep a spreadsheet from reading it as a formula.
        if label[:1] in {"=", "+", "-", "@", "\t", "\r"}:
            line = {**line, "participant": "'" + label}
        writer.writerow(line)
    return ("\ufeff" + out.getvalue()).encode("utf-8")
