"""P3.2 logic: what is overdue, the plan in order, and skills suggested by what Phase 2 found.

A skill can start from a piece of feedback (its themes or its words) or from a finding on
the Patterns page; :func:`suggestions` lists those not already in the plan.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from workbook import patterns, textsafe
from workbook.content import FindingTexts
from workbook.models import FeedbackRequest, Rejection, Skill

OPEN = ("not_started", "in_progress")  # a paused skill was put down on purpose: never overdue


def is_overdue(skill: Skill, today: date) -> bool:
    return skill.deadline is not None and skill.deadline < today and skill.status in OPEN


def days_left(skill: Skill, today: date) -> int | None:
    return None if skill.deadline is None else (skill.deadline - today).days


def in_order(skills: Sequence[Skill], today: date) -> list[Skill]:
    """Overdue first, then open ones by deadline (none last), then finished ones."""

    def key(skill: Skill) -> tuple[int, date, str]:
        group = 0 if is_overdue(skill, today) else 2 if skill.status == "done" else 1
        return (group, skill.deadline or date.max, skill.name.casefold())

    return sorted(skills, key=key)


@dataclass(frozen=True)
class Suggestion:
    """A skill the person might add, with where the idea came from."""

    key: str
    label: str  # what the chooser shows
    name: str  # the skill name to start from ("" when the person should name it)
    source: str  # a Skill.source value
    note: str
    rejection_id: str | None = None


def _known(skills: Sequence[Skill]) -> set[str]:
    return {s.name.casefold() for s in skills}


def suggestions(
    rejections: Sequence[Rejection],
    requests: Sequence[FeedbackRequest],
    finding_texts: FindingTexts,
    skills: Sequence[Skill],
) -> list[Suggestion]:
    """Feedback themes, pieces of feedback and Patterns findings not yet in the plan."""
    known = _known(skills)
    companies = {r.id: r.company for r in rejections}
    found: list[Suggestion] = []
    for tag, n in patterns.tag_counts(requests):
        if tag.casefold() not in known:
            note = f"Feedback theme, came up {n}×"
            found.append(
                Suggestion(f"tag:{tag.casefold()}", f"{tag} — {note}", tag, "feedback", note)
            )
    for request in requests:
        if request.feedback.strip():
            company = companies.get(request.rejection_id or "", "a company")
            note = f"Feedback from {company}: {textsafe.preview(request.feedback, 160)}"
            name = next((t for t in request.tags if t.casefold() not in known), "")
            found.append(
                Suggestion(
                    f"feedback:{request.id}",
                    f"What {company} said — {textsafe.preview(request.feedback, 60)}",
                    name,
                    "feedback",
                    note,
                    request.rejection_id,
                )
            )
    for n, finding in enumerate(patterns.findings(rejections, requests, finding_texts)):
        # Theme findings are already offered above, by their theme.
        if finding.page == "skills" and finding.tag is None:
            found.append(
                Suggestion(f"finding:{n}", f"Pattern — {finding.text}", "", "pattern", finding.text)
            )
    return found
