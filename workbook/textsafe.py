"""Showing the person's own words exactly as typed.

Streamlit renders markdown (and LaTeX between dollar signs, colour directives such as
``:red[...]`` and emoji shortcodes) in ``st.markdown``, ``st.caption`` and friends.
User text must read exactly as typed, so it is escaped before it reaches any of them.
HTML is never rendered: Rebound never passes user text with ``unsafe_allow_html``.
"""

from __future__ import annotations

import re

# Every ASCII punctuation character may be backslash-escaped in CommonMark, and an escaped
# character is always shown literally. Escaping all of them is simpler and safer than
# guessing which ones a given renderer treats as syntax.
_PUNCTUATION = re.compile(r"([!\"#$%&'()*+,\-./:;<=>?@\[\\\]^_`{|}~])")


def escape_markdown(text: str) -> str:
    """Escape ``text`` so markdown shows it literally, line breaks included."""
    escaped = _PUNCTUATION.sub(r"\\\1", text)
    # Markdown joins single newlines into one paragraph; keep the person's line breaks.
    return escaped.replace("\r\n", "\n").replace("\n", "  \n")


def split_list(text: str) -> list[str]:
    """Split "tired, a bit lost,  Tired" into ["tired", "a bit lost"] (own feelings, tags)."""
    seen: dict[str, str] = {}
    for part in text.replace("\n", ",").split(","):
        word = " ".join(part.split())
        if word and word.casefold() not in seen:
            seen[word.casefold()] = word
    return list(seen.values())


def preview(text: str, limit: int = 80) -> str:
    """A one-line preview of ``text`` (not escaped: for tables and labels, which show text)."""
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1].rstrip() + "…"


def plotly_text(text: str) -> str:
    """User text for a Plotly label: Plotly reads a few HTML tags (<b>, <a href>, <br>) in
    labels, so ``<``, ``>`` and ``&`` become entities and the words show exactly as typed."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
