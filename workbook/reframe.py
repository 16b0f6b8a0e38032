"""P5.1 logic: spotting rejection language, suggesting reframes, and the thought-record steps.

Detection looks for the content file's phrases as whole words, ignoring case and the kind
of apostrophe, and skips a phrase that a negation earlier in the same clause cancels
("I was not rejected"). It returns the sentence the phrase sits in, to start the record.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from workbook import textsafe
from workbook.content import Detect, ReframeSuggestion
from workbook.models import SENTENCE_TEXT, SHORT_TEXT, CheckIn, Rejection, ThoughtRecord

_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'", "`": "'"})
# Apostrophes inside a word ("can't", "i'm"), never around it: ‘failed’ in quotes is a word.
_WORD = re.compile(r"\w+(?:'\w+)*")
_CLAUSE_END = re.compile(r"[,;:.!?\n()\u2014\u2013]")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+|\n+")
NEGATION_REACH = 3  # words before a phrase that a negation may sit in


@dataclass(frozen=True)
class Found:
    phrase: str  # as listed in the content file
    sentence: str  # the person's sentence that holds it, as typed


def _normal(text: str) -> str:
    # Same length as the input, so positions map back to the person's own text.
    return "".join(
        low if len(low := ch.lower()) == 1 else ch for ch in text.translate(_APOSTROPHES)
    )


def _sentence_at(text: str, position: int) -> str:
    start = 0
    for part in _SENTENCE_END.finditer(text):
        if part.start() >= position:
            return text[start : part.start()].strip()
        start = part.end()
    return text[start:].strip()


def detect(text: str, rules: Detect) -> Found | None:
    """The first rejection phrase in ``text`` that no negation cancels, or None."""
    if not text.strip():
        return None
    return _detect(text, tuple(rules.phrases), tuple(rules.negations))


@functools.lru_cache(maxsize=4096)
def _detect(text: str, phrases_in: tuple[str, ...], negations_in: tuple[str, ...]) -> Found | None:
    # Cached: pages ask again on every rerun about the same few dozen entries.
    normal = _normal(text)
    tokens = [(m.group(), m.start()) for m in _WORD.finditer(normal)]
    words = [w for w, _ in tokens]
    negations = {_normal(n) for n in negations_in}
    # Longer phrases first: "i'm a failure" is a better quote than "failure".
    phrases = sorted(phrases_in, key=lambda p: -len(_WORD.findall(_normal(p))))
    best: tuple[int, str] | None = None
    for phrase in phrases:
        wanted = _WORD.findall(_normal(phrase))
        if not wanted:
            continue
        for i in range(len(words) - len(wanted) + 1):
            if words[i : i + len(wanted)] != wanted:
                continue
            start = tokens[i][1]
            clause = max((m.end() for m in _CLAUSE_END.finditer(normal, 0, start)), default=0)
            before = [w for w, pos in tokens[max(0, i - NEGATION_REACH) : i] if pos >= clause]
            if any(w in negations for w in before):
                continue
            if best is None or start < best[0]:
                best = (start, phrase)
            break
    if best is None:
        return None
    return Found(best[1], _sentence_at(text, best[0]))


def suggestions(thought: str, rules: Sequence[ReframeSuggestion]) -> list[str]:
    """Reframes whose ``match`` appears in the thought, then the general ones."""
    normal = _normal(thought)
    specific = [
        r for rule in rules if rule.match and _normal(rule.match) in normal for r in rule.reframes
    ]
    general = [r for rule in rules if not rule.match for r in rule.reframes]
    return list(dict.fromkeys([*specific, *general]))


def draft_from_checkin(
    checkin: CheckIn, found: Found, rejection: Rejection | None
) -> dict[str, Any]:
    """The fields of a new thought record started from a check-in."""
    situation = (
        f"The “no” from {rejection.company} for the {rejection.role} role." if rejection else ""
    )
    return {
        "situation": situation,
        # A journal may hold far more than a thought record's fields: shortened to fit.
        "feeling": textsafe.preview(", ".join(checkin.emotions), SHORT_TEXT),
        "intensity_before": checkin.intensity * 10,  # check-ins rate 0–10, records 0–100
        "thought": textsafe.preview(found.sentence, SENTENCE_TEXT),
        "source_checkin_id": checkin.id,
    }


SCAN = 50  # newest check-ins looked at for offers: old words are not brought back up


def offers(
    checkins: Sequence[CheckIn], records: Sequence[ThoughtRecord], rules: Detect, limit: int = 5
) -> list[tuple[CheckIn, Found]]:
    """Recent check-ins with rejection language that no thought record was opened from.

    Only the newest :data:`SCAN` check-ins are read, newest first.
    """
    used = {r.source_checkin_id for r in records if r.source_checkin_id}
    found: list[tuple[CheckIn, Found]] = []
    newest = sorted(checkins, key=lambda c: c.felt_at, reverse=True)[:SCAN]
    for checkin in newest:
        if checkin.id in used:
            continue
        hit = detect(checkin.journal, rules)
        if hit is not None:
            found.append((checkin, hit))
            if len(found) >= limit:
                break
    return found


# What each step needs before the next one: field -> message.
_NEEDS: dict[str, dict[str, str]] = {
    "situation": {"situation": "Please describe what happened, in a sentence or two."},
    "feeling": {
        "feeling": "Please name the feeling, in a word or two.",
        "intensity_before": "Please rate how strong it was.",
    },
    "thought": {"thought": "Please write the thought as it came."},
    "rewrite": {"rewritten": "Please write the fairer thought — a first draft is fine."},
    "rerate": {"intensity_after": "Please rate the feeling now."},
}


def missing(step: str, values: dict[str, Any]) -> dict[str, str]:
    """Messages for what ``step`` still needs (empty when it can move on)."""
    return {
        field: message
        for field, message in _NEEDS.get(step, {}).items()
        if _empty(values.get(field))
    }


def _empty(value: Any) -> bool:
    return value is None or value == [] or (isinstance(value, str) and not value.strip())


def change(record: ThoughtRecord) -> int | None:
    """How much the feeling eased (positive) or grew (negative), once both are rated."""
    if record.intensity_before is None or record.intensity_after is None:
        return None
    return record.intensity_before - record.intensity_after
