"""P2.3 logic: where the "no"s happen and what keeps coming up, in plain words.

Findings are computed from the records by simple, tested rules. Each finding names the
worksheet that addresses it, by page key; a page that does not exist yet is not linked.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from workbook.content import FindingTexts
from workbook.models import FeedbackRequest, Rejection, Stage

MIN_REJECTIONS = 2
# A stage or channel is worth mentioning when it holds at least this share (and two).
SHARE = 0.4
LATE = {Stage.PANEL_ONSITE, Stage.FINAL_ROUND, Stage.OFFER}
SCREENING = {Stage.RECRUITER_SCREEN, Stage.HIRING_MANAGER}


@dataclass(frozen=True)
class Finding:
    text: str
    page: str | None  # the worksheet that helps, by navigation key
    weight: int  # how many rejections or answers it rests on, for ordering
    tag: str | None = None  # the feedback theme a theme finding is about


def stage_counts(rejections: Sequence[Rejection]) -> dict[Stage, int]:
    """How many rejections ended at each stage, in process order (zeros included)."""
    counts = Counter(r.stage for r in rejections)
    return {stage: counts.get(stage, 0) for stage in Stage}


def tag_counts(requests: Sequence[FeedbackRequest]) -> list[tuple[str, int]]:
    """Themes across feedback, most frequent first; ties in alphabetical order.

    Counted case-insensitively, shown as first written.
    """
    shown: dict[str, str] = {}
    counts: Counter[str] = Counter()
    for request in requests:
        for tag in request.tags:
            key = tag.casefold()
            shown.setdefault(key, tag)
            counts[key] += 1
    return sorted(
        ((shown[k], n) for k, n in counts.items()), key=lambda t: (-t[1], t[0].casefold())
    )


def _notable(n: int, total: int) -> bool:
    return n >= 2 and n / total >= SHARE


def findings(
    rejections: Sequence[Rejection], requests: Sequence[FeedbackRequest], texts: FindingTexts
) -> list[Finding]:
    """Plain-language findings, strongest first; empty below :data:`MIN_REJECTIONS`."""
    total = len(rejections)
    if total < MIN_REJECTIONS:
        return []
    counts = stage_counts(rejections)
    found: list[Finding] = []

    def add(n: int, template: str, page: str | None, **extra: str) -> None:
        if _notable(n, total):
            found.append(Finding(template.format(n=n, total=total, **extra), page, n))

    add(sum(counts[s] for s in LATE), texts.late, "feedback")
    add(counts[Stage.TECHNICAL], texts.technical, "skills")
    add(sum(counts[s] for s in SCREENING), texts.screening, "review")
    add(counts[Stage.APPLICATION], texts.application, "materials")
    channels = Counter(r.channel for r in rejections if r.channel)
    for channel, n in sorted(channels.items(), key=lambda c: (-c[1], c[0]))[:1]:
        add(n, texts.channel, "channels", channel=channel)
    for tag, n in tag_counts(requests):
        if n >= 2:
            found.append(Finding(texts.tag.format(tag=tag, n=n), "skills", n, tag))
    # Strongest first; the order of the rules above breaks ties, so output is stable.
    return sorted(found, key=lambda f: -f.weight)
