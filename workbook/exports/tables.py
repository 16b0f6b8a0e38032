"""CSV export: every record table as a spreadsheet-friendly CSV, one table or all of them zipped.

Each table is one CSV file named after the model's ``TABLE`` (``rejections.csv``), with
one column per model field, in the order the model declares them, headed by the field's
name. Cells are written so a spreadsheet reads them the same everywhere:

- Encoding: UTF-8 with a byte order mark, so Excel and friends detect UTF-8 (names like
  "Société Lumière" or "株式会社サクラ" stay intact). Lines end in CRLF (RFC 4180); a cell
  is quoted only when it has to be (a comma, a quote or a line break in it).
- Dates: ISO 8601 ``YYYY-MM-DD``. Moments (``created_at``, ``rejected_at`` …) in UTC, to
  the second, with a ``Z``: ``2025-03-12T09:30:00Z``.
- Lists: items joined with ``"; "`` (``Sad; Tired``). Dictionaries: compact JSON, keys in
  the order they were written. Yes/no: ``true``/``false``. Nothing: an empty cell.
- Formula guard: a text cell starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage
  return gets a ``'`` in front, so a spreadsheet shows it as text instead of running it
  as a formula (OWASP "CSV injection"). Numbers are never prefixed.

The JSON backup, not these tables, is what restores a workbook exactly.
"""

from __future__ import annotations

import csv
import io
import json
import re
import zipfile
from datetime import UTC, date, datetime
from enum import Enum
from typing import Any

from workbook.exports.document import Snapshot
from workbook.models import RECORD_TYPES, Record

# Table name -> model, in RECORD_TYPES order (the order of the zip and of its README).
TABLES: dict[str, type[Record]] = {model.TABLE: model for model in RECORD_TYPES}
LIST_SEPARATOR = "; "
BOM = "\ufeff"
# Characters that make a spreadsheet treat a cell as a formula (or, for tab and CR, that
# some of them strip before looking for one).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# A fixed time inside the zip, so the same workbook always gives the same bytes.
_ZIP_TIME = (2000, 1, 1, 0, 0, 0)


def columns(model: type[Record]) -> list[str]:
    """The CSV header of ``model``'s table: its field names, in declaration order."""
    return list(model.model_fields)


def _moment(value: datetime) -> str:
    if value.tzinfo is None:  # naive times are UTC by the models' convention
        value = value.replace(tzinfo=UTC)
    # isoformat is several times faster than strftime, which shows on years of check-ins.
    return value.astimezone(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def _json_default(value: Any) -> str:
    if isinstance(value, datetime):
        return _moment(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Enum):
        return str(value.value)
    raise TypeError(f"cannot write {type(value).__name__} as JSON")


def guard(text: str) -> str:
    """``text``, with a ``'`` in front if a spreadsheet would read it as a formula."""
    return "'" + text if text.startswith(FORMULA_START) else text


def cell(value: Any) -> str:
    """One value as a CSV cell (see the module docstring for each kind)."""
    if type(value) is str:  # the common case first
        return guard(value)
    if value is None:
        return ""
    if isinstance(value, bool):  # before int: a bool is an int to Python
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return str(value)
    if isinstance(value, datetime):  # before date: a datetime is a date to Python
        return _moment(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Enum):
        return guard(str(value.value))
    if isinstance(value, (list, tuple)):
        items = (item if isinstance(item, str) else cell(item) for item in value)
        return guard(LIST_SEPARATOR.join(items))
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False, separators=(",", ":"), default=_json_default)
    return guard(str(value))


def rows(model: type[Record], records: list[Record]) -> list[list[str]]:
    names = columns(model)
    return [[cell(getattr(record, name)) for name in names] for record in records]


def _model(table: str) -> type[Record]:
    model = TABLES.get(table)
    if model is None:
        known = ", ".join(TABLES)
        raise ValueError(f"There is no table called {table!r}. The tables are: {known}.")
    return model


def _csv_text(model: type[Record], records: list[Record]) -> str:
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow(columns(model))
    writer.writerows(rows(model, records))
    return out.getvalue()


def _encode(text: str) -> bytes:
    # A lone surrogate (possible in text read back from JSON) cannot be UTF-8: it becomes
    # "?" rather than failing the whole export.
    return (BOM + text).encode("utf-8", errors="replace")


def one_csv(snap: Snapshot, table: str) -> bytes:
    """The table named ``table`` (a model's ``TABLE``) as CSV bytes; ValueError if unknown."""
    model = _model(table)
    return _encode(_csv_text(model, snap.of(model)))


def readme() -> str:
    """The README.txt of the zip: how the files are written and what the columns mean."""
    lines = [
        "Rebound: every table of your workbook as CSV",
        "",
        "One file per table, named after the table. The first line of each file names",
        "the columns; each further line is one entry.",
        "",
        "How the files are written",
        "- Encoding: UTF-8 with a byte order mark (spreadsheets detect UTF-8 from it).",
        "- Separator: a comma; lines end in CRLF. A cell holding a comma, a quote or a",
        '  line break is wrapped in double quotes, and a quote inside it is doubled ("").',
        "- Dates: YYYY-MM-DD. Moments: UTC, YYYY-MM-DDTHH:MM:SSZ (Z means UTC).",
        f"- Lists: items joined with {LIST_SEPARATOR!r} (a semicolon and a space).",
        '- Groups of named values: compact JSON, e.g. {"resume_target":"2025-03-12"}.',
        "- Yes/no: true or false. An empty cell means nothing was written there.",
        "- Text starting with = + - @, a tab or a carriage return has a ' put in front,",
        "  so a spreadsheet shows it as text and never runs it as a formula.",
        "",
        "Columns",
        "- id: the entry's own identifier. Columns ending in _id or _ids hold the id of",
        "  the entry they refer to (rejection_id -> the id column of rejections.csv).",
        "- created_at, updated_at: when the entry was first saved and last changed (UTC).",
        "- Every other column is a field of the workbook, named as the app stores it.",
        "",
        "Tables",
    ]
    for name, model in TABLES.items():
        # The first docstring line, without the workbook's section code ("P1.2: ").
        about = re.sub(r"^[A-Z]\d(\.\d)?: ", "", (model.__doc__ or "").strip().split("\n")[0])
        lines.append(f"- {name}.csv: {about}")
    lines += [
        "",
        "To restore a workbook exactly, use the JSON backup: these tables are for reading.",
    ]
    return "\r\n".join(lines) + "\r\n"


def all_csv_zip(snap: Snapshot) -> bytes:
    """A zip of every table as ``<table>.csv``, plus README.txt."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:

        def put(name: str, data: bytes) -> None:
            info = zipfile.ZipInfo(name, date_time=_ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, data)

        put("README.txt", _encode(readme()))
        for name, model in TABLES.items():
            put(f"{name}.csv", _encode(_csv_text(model, snap.of(model))))
    return buffer.getvalue()
