"""P5.2 logic: turning "I can't …" into "not yet"."""

from __future__ import annotations

import re

_CANT = re.compile(r"^\s*i\s+(?:can['\u2019]?t|cannot|can not)\s+(?P<rest>.+?)[\s.!?]*$", re.I)


def not_yet(cant: str) -> str:
    """A first "not yet" version of an "I can't …" sentence, for the person to adjust."""
    text = cant.strip()
    if not text:
        return ""
    match = _CANT.match(text)
    if match:
        return f"I can't {match.group('rest')} yet — and I am learning how."
    return f"{text.rstrip('.!? ')} — for now. With practice, this can change."
