"""Markdown export: the document with headings per phase and worksheet, words as typed."""

from __future__ import annotations

import re

from workbook.exports.document import Document
from workbook.textsafe import escape_markdown

_LEADING = re.compile(r"^[ \t]+")


def _line(text: str) -> str:
    # Leading spaces would make an indented code block: keep them as no-break spaces.
    text = _LEADING.sub(lambda m: "\u00a0" * len(m.group().expandtabs(4)), text)
    return escape_markdown(text)


def _block(text: str) -> str:
    # Multi-line answers become a quote block, every line escaped and ending in a hard
    # break (two spaces), so a viewer keeps the person's line breaks.
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    return "\n".join(f"> {_line(line)}  " if line.strip() else ">" for line in lines)


def _label(label: str) -> str:
    return f"**{label}{'' if label.endswith(('?', ':')) else ':'}**"


def render(doc: Document) -> str:
    # Titles, dates and labels are the workbook's own words; only the person's are escaped.
    out = [f"# {escape_markdown(doc.title)}", "", f"*{doc.subtitle}*", ""]
    for phase in doc.phases:
        out += [f"## {escape_markdown(phase.title)}", ""]
        for sheet in phase.worksheets:
            out += [f"### {escape_markdown(sheet.title)}", ""]
            if not sheet.entries:
                out += ["*Nothing written here yet.*", ""]
            for entry in sheet.entries:
                # A heading is one line: a title typed over several lines is joined.
                heading = escape_markdown(" ".join(entry.title.split())) or "Entry"
                when = f" — {entry.when}" if entry.when else ""
                out += [f"#### {heading}{when}", ""]
                for label, value in entry.fields:
                    if "\n" in value or "\r" in value:
                        # Blank lines around it, or it would join the list item above.
                        out += ["", _label(label), "", _block(value), ""]
                    else:
                        out.append(f"- {_label(label)} {_line(value)}")
                out.append("")
    text = "\n".join(out)
    return re.sub(r"\n{3,}", "\n\n", text).rstrip() + "\n"
