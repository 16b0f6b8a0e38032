"""Markdown export: the document with headings per phase and worksheet, words as typed."""

from __future__ import annotations

from workbook.exports.document import Document
from workbook.textsafe import escape_markdown


def _block(text: str) -> str:
    # Multi-line answers become a quote block, every line escaped, breaks kept.
    lines = text.replace("\r\n", "\n").split("\n")
    return "\n".join(f"> {escape_markdown(line)}" if line else ">" for line in lines)


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
                heading = escape_markdown(entry.title) or "Entry"
                when = f" — {entry.when}" if entry.when else ""
                out += [f"#### {heading}{when}", ""]
                for label, value in entry.fields:
                    if "\n" in value:
                        out += [f"**{label}:**", "", _block(value), ""]
                    else:
                        colon = "" if label.endswith(("?", ":")) else ":"
                        out.append(f"- **{label}{colon}** {escape_markdown(value)}")
                out.append("")
    return "\n".join(out).rstrip() + "\n"
