"""P4.1 logic: the refresh checklist's progress, and the answer bank's starting questions.

The answer bank is seeded from the themes tagged on feedback in Phase 2: each theme not
yet in the bank becomes a suggested question (the content file maps familiar themes to a
typical question; any other theme gets a general one).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from workbook import patterns
from workbook.models import AnswerEntry, FeedbackRequest, MaterialsChecklist


@dataclass(frozen=True)
class Seed:
    theme: str
    question: str
    times: int  # pieces of feedback that carried the theme


def question_seeds(
    requests: Sequence[FeedbackRequest],
    answers: Sequence[AnswerEntry],
    questions_for: Mapping[str, str],
    fallback: str,
) -> list[Seed]:
    """Themes from feedback with no entry in the bank yet, most frequent first."""
    covered = {a.theme.casefold() for a in answers if a.theme}
    by_theme = {k.casefold(): v for k, v in questions_for.items()}
    return [
        Seed(tag, by_theme.get(tag.casefold(), fallback.format(theme=tag)), n)
        for tag, n in patterns.tag_counts(requests)
        if tag.casefold() not in covered
    ]


def checklist_progress(
    checklist: MaterialsChecklist | None, keys: Sequence[str]
) -> tuple[int, int]:
    """(steps done, steps in all) counting only steps the content still lists."""
    done = checklist.done if checklist else {}
    return sum(1 for k in keys if k in done), len(keys)
