"""Exports: every format in one registry, each a pure function of a workbook snapshot.

    from workbook import exports
    data = exports.make("md", exports.snapshot_of(wb), texts, tz, exports.Options())

The Export page, each worksheet's download button and ``python -m workbook export`` all
call :func:`make`. Formats: Markdown and PDF (a readable document), JSON (a full backup
that restores exactly), CSV (one table, or every table in a zip), ICS (calendar events).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, tzinfo

from workbook.content import Content
from workbook.exports.document import WORKSHEETS, Document, Snapshot, build, snapshot
from workbook.models import RECORD_TYPES
from workbook.repository import Workbook

Progress = Callable[[float, str], None]
TABLE_MODELS = RECORD_TYPES  # CSV: one table per record type, in this order


@dataclass(frozen=True)
class Options:
    worksheets: tuple[str, ...] | None = None  # page keys; None = the whole workbook
    since: date | None = None  # the progress report's date range (Markdown and PDF)
    until: date | None = None
    table: str | None = None  # CSV: one table by name; None = every table, zipped
    now: datetime | None = None
    progress: Progress | None = None  # PDF: told how far the build has got (0..1)


@dataclass(frozen=True)
class Format:
    key: str
    label: str
    mime: str
    extension: str
    make: Callable[[Snapshot, Content, tzinfo, Options], bytes]


def _document(snap: Snapshot, texts: Content, tz: tzinfo, opts: Options) -> Document:
    return build(
        snap,
        texts,
        tz,
        worksheets=opts.worksheets,
        since=opts.since,
        until=opts.until,
        now=opts.now,
    )


def _markdown(snap: Snapshot, texts: Content, tz: tzinfo, opts: Options) -> bytes:
    from workbook.exports import markdown

    return markdown.render(_document(snap, texts, tz, opts)).encode("utf-8")


def _pdf(snap: Snapshot, texts: Content, tz: tzinfo, opts: Options) -> bytes:
    from workbook.exports import pdf

    return pdf.render(_document(snap, texts, tz, opts), snap, texts, tz, opts)


def _json(snap: Snapshot, texts: Content, tz: tzinfo, opts: Options) -> bytes:
    from workbook.exports import backup

    return backup.dump(snap, now=opts.now)


def _csv(snap: Snapshot, texts: Content, tz: tzinfo, opts: Options) -> bytes:
    from workbook.exports import tables

    return tables.one_csv(snap, opts.table) if opts.table else tables.all_csv_zip(snap)


def _ics(snap: Snapshot, texts: Content, tz: tzinfo, opts: Options) -> bytes:
    from workbook.exports import calendar

    return calendar.ics(snap, texts, tz, now=opts.now)


FORMATS: dict[str, Format] = {
    "md": Format("md", "Markdown (readable text)", "text/markdown", "md", _markdown),
    "pdf": Format("pdf", "PDF report (with charts)", "application/pdf", "pdf", _pdf),
    "json": Format("json", "JSON backup (restores exactly)", "application/json", "json", _json),
    "csv": Format("csv", "CSV tables (for a spreadsheet)", "text/csv", "csv", _csv),
    "ics": Format("ics", "Calendar reminders (ICS)", "text/calendar", "ics", _ics),
}


def snapshot_of(wb: Workbook) -> Snapshot:
    """Everything in ``wb``: records, settings and unsaved text."""
    return snapshot(wb.all, wb.settings(), wb.text_drafts())


def make(key: str, snap: Snapshot, texts: Content, tz: tzinfo, opts: Options) -> bytes:
    """The export in format ``key`` (see :data:`FORMATS`)."""
    return FORMATS[key].make(snap, texts, tz, opts)


def filename(key: str, opts: Options, today: date) -> str:
    fmt = FORMATS[key]
    what = "workbook"
    if opts.worksheets and len(opts.worksheets) == 1:
        what = opts.worksheets[0]
    if key == "csv":
        what = opts.table or "tables"
        return f"rebound-{what}-{today.isoformat()}.{'csv' if opts.table else 'zip'}"
    return f"rebound-{what}-{today.isoformat()}.{fmt.extension}"


__all__ = [
    "FORMATS",
    "WORKSHEETS",
    "Document",
    "Format",
    "Options",
    "Snapshot",
    "build",
    "filename",
    "make",
    "snapshot",
    "snapshot_of",
]
