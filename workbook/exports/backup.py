"""The JSON backup: the whole workbook in one file, and restoring it safely.

    data = backup.dump(exports.snapshot_of(wb))   # bytes to save or download
    held = backup.parse(data)                     # BackupError if the file is not right
    held.preview()                                # what the file holds, shown before any change
    backup.restore(wb, held, "merge")             # safety copy first, then one atomic write

A backup is ``{"format": "rebound-backup", "version": 1, "exported_at": …, "tables":
{table: [record, …]}, "settings": {…}, "drafts": {…}}``. Records are written exactly as
the workbook stores them (``model_dump(mode="json")``), so a restore gives back the same
workbook. :func:`parse` trusts nothing in the file: every refusal is a :class:`BackupError`
whose message is written for the person who picked the file, and parsing never touches
the workbook. :func:`restore` copies the current workbook aside before it changes it.
"""

from __future__ import annotations

import copy
import json
import math
import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal

from pydantic import ValidationError

from workbook.exports.document import Snapshot
from workbook.models import RECORD_TYPES, TABLES, Record, field_errors
from workbook.repository import SETTINGS_TABLE, STORED, TEXT_DRAFTS_TABLE, Workbook

FORMAT = "rebound-backup"
VERSION = 1
MAX_BYTES = 50 * 1024 * 1024
# A backup nests five levels (file, tables, table, entry, an entry's answers); settings may
# nest a little more. Anything far deeper is not a backup and could exhaust the stack.
MAX_DEPTH = 20
# Counted on the raw bytes before parsing, brackets inside text included, so generous: a
# file of millions of empty lists would take gigabytes of memory once parsed.
MAX_CONTAINERS = 2_000_000
MAX_ENTRIES = 500_000
MAX_KEY = 200  # a setting's or an unsaved text's name
MAX_SETTING_TEXT = 10_000
MAX_DRAFT_TEXT = 500_000  # unsaved text may be longer than a field accepts; that is why it is kept
_SHOWN = 60  # characters of a name from the file quoted in a message

Mode = Literal["replace", "merge"]
_KEYS = ("format", "version", "exported_at", "tables", "settings", "drafts")

# What each table is called when the person is told about it.
LABELS: dict[str, str] = {
    "rejections": "Rejection log",
    "checkins": "Feelings check-ins",
    "outlets": "Healthy outlets",
    "self_talk": "Self-talk",
    "pledges": "What to avoid: pledges",
    "urges": "What to avoid: urges",
    "drafts_unsent": "Unsent drafts",
    "values": "Why it hurts: what you value",
    "reviews": "Clear-head reviews",
    "feedback": "Feedback requests",
    "directions": "Directions",
    "path_plan": "Course correction",
    "wins": "Small wins",
    "skills": "Skills",
    "support_team": "Support team",
    "following": "Staying current",
    "materials": "Materials checklist",
    "answers": "Better answers",
    "channel_actions": "Channels beyond applying",
    "doors": "Keeping doors open",
    "thought_records": "Thought records",
    "mindset": "“Not yet” rewrites",
    "challenges": "Growth challenges",
    "beyond_wins": "Wins beyond offers",
    "persistence": "Persistence plan",
}


class BackupError(ValueError):
    """The file cannot be restored; the message says why, in plain words."""


def label(table: str) -> str:
    return LABELS.get(table, table)


# -- writing -------------------------------------------------------------------------------
def dump(snap: Snapshot, now: datetime | None = None) -> bytes:
    """The whole workbook in ``snap`` as a backup file (UTF-8 JSON)."""
    moment = _utc(now or datetime.now(UTC))
    tables = {
        model.TABLE: [r.model_dump(mode="json") for r in sorted(snap.of(model), key=_by_id)]
        for model in RECORD_TYPES
    }
    doc = {
        "format": FORMAT,
        "version": VERSION,
        "exported_at": moment.isoformat(),
        "tables": tables,
        # Sorted so two backups of the same workbook are the same bytes.
        "settings": dict(sorted(snap.settings.items())),
        "drafts": dict(sorted(snap.drafts.items())),
    }
    # A small indent keeps the file readable in an editor without doubling its size.
    return json.dumps(doc, ensure_ascii=False, indent=1, allow_nan=False).encode("utf-8")


def _by_id(record: Record) -> str:
    return record.id


def _utc(value: datetime) -> datetime:
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


# -- reading -------------------------------------------------------------------------------
@dataclass(frozen=True)
class Backup:
    """What a backup file holds, checked and validated; nothing is restored yet."""

    exported_at: datetime
    version: int
    records: dict[type[Record], list[Record]]
    settings: dict[str, Any] = field(default_factory=dict)
    drafts: dict[str, str] = field(default_factory=dict)

    def of(self, model: type[Record]) -> list[Record]:
        return self.records.get(model, [])

    def counts(self) -> dict[str, int]:
        """Entries per table, every table in the workbook's order (for the preview)."""
        return {model.TABLE: len(self.of(model)) for model in RECORD_TYPES}

    @property
    def total(self) -> int:
        return sum(self.counts().values())

    def preview(self) -> list[tuple[str, int]]:
        """(label, entries) for every table that holds something, in the workbook's order."""
        return [(label(table), n) for table, n in self.counts().items() if n]

    def snapshot(self) -> Snapshot:
        """The backup as a snapshot, so the readable exports can show it before a restore."""
        return Snapshot(
            {model: list(self.of(model)) for model in RECORD_TYPES},
            dict(self.settings),
            dict(self.drafts),
        )


def load(path: Path) -> Backup:
    """Read and check the backup file at ``path`` (the size is checked before reading)."""
    try:
        size = Path(path).stat().st_size
        if size > MAX_BYTES:
            raise BackupError(_too_large())
        with Path(path).open("rb") as handle:
            # The file may grow between the check and the read: never read more than needed.
            data = handle.read(MAX_BYTES + 1)
    except OSError as exc:
        raise BackupError(f"The file could not be read: {exc.strerror or exc}.") from None
    return parse(data)


def parse(data: bytes) -> Backup:
    """Check ``data`` as a backup file; raise :class:`BackupError` saying why it is refused."""
    if not isinstance(data, bytes | bytearray | memoryview):
        raise BackupError("This file is not a Rebound backup.")
    raw = bytes(data)
    # Size first: nothing of an oversized file is decoded or parsed.
    if len(raw) > MAX_BYTES:
        raise BackupError(_too_large())
    if not raw.strip():
        raise BackupError("The file is empty: it holds no backup.")
    if raw.count(b"[") + raw.count(b"{") > MAX_CONTAINERS:
        raise BackupError(_too_complex())
    try:
        # Editors on some systems add a byte-order mark; it is not part of the content.
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise BackupError("This file is not a Rebound backup: it is not readable text.") from None
    doc = _load_json(text)
    _check_depth(doc)
    return _read(doc)


def _too_large() -> str:
    return (
        f"The file is larger than {MAX_BYTES // (1024 * 1024)} MB, more than any Rebound "
        "backup holds, so it was not read."
    )


def _too_complex() -> str:
    return "The file has far more pieces than a Rebound backup can hold, so it was not read."


def _shown(name: object) -> str:
    text = str(name)
    return text if len(text) <= _SHOWN else text[: _SHOWN - 1] + "…"


class _Refused(Exception):
    # Raised from inside the JSON parser's hooks; turned into a BackupError outside it.
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    doc = dict(pairs)
    if len(doc) != len(pairs):
        # JSON lets a name repeat and keeps the last one silently; a backup never repeats
        # one, and guessing which was meant could restore something the preview hid.
        seen: set[str] = set()
        for key, _ in pairs:
            if key in seen:
                raise _Refused(f"The file is cut off or damaged: “{_shown(key)}” appears twice.")
            seen.add(key)
    return doc


def _finite(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise _Refused("The file is cut off or damaged: it holds a number too large to read.")
    return value


def _not_a_number(text: str) -> float:
    raise _Refused(f"The file is cut off or damaged: it holds “{text}”, which is not a number.")


def _load_json(text: str) -> Any:
    try:
        return json.loads(
            text,
            object_pairs_hook=_unique_keys,
            parse_float=_finite,
            parse_constant=_not_a_number,
        )
    except _Refused as exc:
        raise BackupError(exc.message) from None
    except RecursionError:
        raise BackupError(_too_deep()) from None
    except json.JSONDecodeError as exc:
        raise BackupError(_json_problem(text, exc)) from None
    except ValueError:
        # Python refuses integers of thousands of digits; no backup holds one.
        raise BackupError(
            "The file is cut off or damaged: it holds a number too large to read."
        ) from None


def _json_problem(text: str, exc: json.JSONDecodeError) -> str:
    start = text.lstrip()[:1]
    if start not in ("{", "["):
        return "This file is not a Rebound backup: it is not a JSON file."
    if exc.pos >= len(text.rstrip()) or exc.msg.startswith("Unterminated string"):
        return "The file is cut off or damaged: it ends in the middle of the backup."
    return (
        "The file is cut off or damaged: it cannot be read past line "
        f"{exc.lineno}, column {exc.colno}."
    )


def _too_deep() -> str:
    return "The file is nested too deeply to be a Rebound backup."


def _check_depth(doc: Any) -> None:
    # An explicit stack, not recursion: the check itself must not be what overflows.
    stack: list[tuple[Any, int]] = [(doc, 1)]
    while stack:
        value, depth = stack.pop()
        if isinstance(value, dict):
            children: Iterable[Any] = value.values()
        elif isinstance(value, list):
            children = value
        else:
            continue
        if depth > MAX_DEPTH:
            raise BackupError(_too_deep())
        stack.extend((child, depth + 1) for child in children)


def _read(doc: Any) -> Backup:
    if not isinstance(doc, dict) or doc.get("format") != FORMAT:
        raise BackupError("This file is not a Rebound backup.")
    version = doc.get("version")
    if isinstance(version, bool) or not isinstance(version, int) or version < 1:
        raise BackupError(
            "This file is not a Rebound backup: its version mark "
            f"“{_shown(json.dumps(version, ensure_ascii=False))}” is not one Rebound knows."
        )
    if version > VERSION:
        # Before any other check: a newer format may well hold things this one does not.
        raise BackupError(
            f"This backup was made by a newer version of Rebound (format {_shown(version)}); "
            "please update Rebound to restore it."
        )
    for key in doc:
        if key not in _KEYS:
            raise BackupError(f"The file holds something Rebound does not know: “{_shown(key)}”.")
    for key in _KEYS:
        if key not in doc:
            raise BackupError(f"The file is cut off or damaged: it has no “{key}”.")
    return Backup(
        exported_at=_exported_at(doc["exported_at"]),
        version=version,
        records=_records(doc["tables"]),
        settings=_settings(doc["settings"]),
        drafts=_drafts(doc["drafts"]),
    )


def _exported_at(value: Any) -> datetime:
    try:
        if not isinstance(value, str) or len(value) > 64:
            raise ValueError
        return _utc(datetime.fromisoformat(value))
    except ValueError:
        raise BackupError(
            "The file is cut off or damaged: the time it was made is not readable."
        ) from None


def _records(tables: Any) -> dict[type[Record], list[Record]]:
    if not isinstance(tables, dict):
        raise BackupError("The file is cut off or damaged: “tables” does not hold tables.")
    for name in tables:
        if name not in TABLES:
            raise BackupError(f"The file holds something Rebound does not know: “{_shown(name)}”.")
    if sum(len(v) for v in tables.values() if isinstance(v, list)) > MAX_ENTRIES:
        raise BackupError(_too_complex())
    records: dict[type[Record], list[Record]] = {}
    for model in RECORD_TYPES:  # a table missing from the file is an empty one
        docs = tables.get(model.TABLE, [])
        if not isinstance(docs, list):
            raise BackupError(
                f"The file is cut off or damaged: “{label(model.TABLE)}” is not a list of entries."
            )
        records[model] = _table(model, docs)
    return records


def _table(model: type[Record], docs: list[Any]) -> list[Record]:
    where = label(model.TABLE)
    out: list[Record] = []
    first_at: dict[str, int] = {}
    for number, doc in enumerate(docs, start=1):
        if not isinstance(doc, dict):
            raise BackupError(f"Entry {number} in “{where}” is not valid: it is not an entry.")
        try:
            # "Now" rules judged the entry when it was first saved; a restore does not
            # judge them again, exactly as reading the workbook file does not.
            record = model.model_validate(doc, context=STORED)
        except ValidationError as exc:
            raise BackupError(_invalid(exc, number, where)) from None
        if record.id in first_at:
            raise BackupError(
                f"Entries {first_at[record.id]} and {number} in “{where}” have the same id, "
                "so one would overwrite the other."
            )
        first_at[record.id] = number
        out.append(record)
    return out


# Wrong types the worksheets' messages do not cover (a form cannot produce them; a file can).
_WRONG_TYPE = {
    "string_type": "this should be text.",
    "int_type": "Please enter a whole number.",
    "int_from_float": "Please enter a whole number.",
    "bool_type": "this should be yes or no (true or false).",
    "bool_parsing": "this should be yes or no (true or false).",
    "date_from_datetime_parsing": "Please enter a date.",
    "date_from_datetime_inexact": "Please enter a date.",
    "datetime_from_date_parsing": "Please enter a date and time.",
    "list_type": "this should be a list.",
    "dict_type": "this should be a set of named values.",
    "model_type": "it is not an entry.",
    "timezone_aware": "Please enter a date and time.",
}


def _invalid(exc: ValidationError, number: int, where: str) -> str:
    errors = exc.errors()
    first = errors[0] if errors else {}
    loc = ".".join(_shown(part) for part in first.get("loc", ()))
    kind = first.get("type")
    if kind == "extra_forbidden":
        return (
            f"The file holds something Rebound does not know: “{loc}” "
            f"(entry {number} in “{where}”)."
        )
    if kind == "string_too_long":
        most = (first.get("ctx") or {}).get("max_length", 0)
        reason = f"{loc}: longer than an entry can hold ({most:,} characters)."
    elif kind in _WRONG_TYPE:
        reason = f"{loc}: {_WRONG_TYPE[kind]}"
    else:
        # The same calm, per-field words the worksheets show.
        name, message = next(iter(field_errors(exc).items()), ("", "it cannot be read."))
        reason = f"{_shown(name)}: {message}" if name else message
    return f"Entry {number} in “{where}” is not valid: {reason}"


def _settings(value: Any) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise BackupError("The file is cut off or damaged: the settings are not readable.")
    for key, setting in value.items():
        if len(key) > MAX_KEY or not _small_json(setting):
            raise BackupError(
                f"The file is cut off or damaged: the setting “{_shown(key)}” is not readable."
            )
    return value


def _small_json(value: Any) -> bool:
    # Depth is already limited; here only text is: settings are names, ids and numbers.
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            if len(item) > MAX_SETTING_TEXT:
                return False
        elif isinstance(item, dict):
            if any(len(k) > MAX_SETTING_TEXT for k in item):
                return False
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return True


def _drafts(value: Any) -> dict[str, str]:
    if not isinstance(value, dict):
        raise BackupError("The file is cut off or damaged: the unsaved text is not readable.")
    for key, text in value.items():
        if len(key) > MAX_KEY or not isinstance(text, str) or len(text) > MAX_DRAFT_TEXT:
            raise BackupError(
                f"The file is cut off or damaged: the unsaved text “{_shown(key)}” is not readable."
            )
    return value


# -- restoring -----------------------------------------------------------------------------
@dataclass(frozen=True)
class RestoreResult:
    """What a restore did, for the confirmation the person sees."""

    mode: Mode
    safety_copy: Path  # the workbook exactly as it was before the restore
    added: int  # entries from the backup that were not in the workbook
    replaced: int  # entries from the backup that took the place of one with the same id
    kept: int  # entries of the workbook the backup did not hold, still there (merge)
    removed: int  # entries of the workbook the backup did not hold, gone (replace)


def restore(wb: Workbook, backup: Backup, mode: Mode, now: datetime | None = None) -> RestoreResult:
    """Put ``backup`` into ``wb``: ``replace`` everything, or ``merge`` by record id.

    Under the workbook's lock, the current file is first copied aside (see
    :attr:`RestoreResult.safety_copy`), then the new workbook is written in one atomic
    write, so a failure at any point leaves either the old workbook or the new one.
    """
    if mode not in ("replace", "merge"):
        raise ValueError(f"unknown restore mode {mode!r}")
    with wb.file.locked():
        current = wb.file.read()  # also brings the file on disk up to date
        safety = _safety_copy(wb, now or datetime.now(UTC))
        data, counts = _combined(current, backup, mode)
        wb.file.write(data)
    return RestoreResult(mode, safety, *counts)


def _safety_copy(wb: Workbook, now: datetime) -> Path:
    folder = wb.file.backup_dir
    folder.mkdir(parents=True, exist_ok=True)
    stamp = _utc(now).strftime("%Y%m%dT%H%M%S%fZ")
    # Named "<stem>-before-restore-…", not "<stem>.…": the rolling backups are
    # "<stem>.*.json", and a safety copy among them would be pruned with them, and would be
    # what damage recovery restores first (its name sorts after every rolling backup's).
    base = f"{wb.path.stem}-before-restore-{stamp}"
    payload = wb.file.snapshot()  # the main file with any journal folded in
    for n in range(1000):
        target = folder / (f"{base}.json" if n == 0 else f"{base}-{n}.json")
        try:
            handle = target.open("xb")  # never overwrite an earlier safety copy
        except FileExistsError:
            continue
        try:
            with handle:
                handle.write(payload)
                handle.flush()
                os.fsync(handle.fileno())
            _fsync_dir(folder)
        except BaseException:
            target.unlink(missing_ok=True)
            raise
        return target
    raise OSError(f"no free name for a safety copy in {folder}")


def _fsync_dir(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _combined(
    current: dict[str, dict[str, dict[str, Any]]], backup: Backup, mode: Mode
) -> tuple[dict[str, dict[str, dict[str, Any]]], tuple[int, int, int, int]]:
    # A new dict: the current one is the file's cache and must not change before the write.
    data = dict(current)
    added = replaced = kept = removed = 0
    for model in RECORD_TYPES:
        stored = current.get(model.TABLE, {})
        incoming = {r.id: r.model_dump(mode="json") for r in backup.of(model)}
        matched = sum(1 for record_id in incoming if record_id in stored)
        added += len(incoming) - matched
        replaced += matched
        others = len(stored) - matched
        if mode == "replace":
            removed += others
            table = incoming
        else:
            kept += others
            table = {**stored, **incoming}
        data[model.TABLE] = table
    settings = {k: {"value": copy.deepcopy(v)} for k, v in backup.settings.items()}
    drafts = {k: {"text": t} for k, t in backup.drafts.items()}
    if mode == "merge":
        settings = {**current.get(SETTINGS_TABLE, {}), **settings}
        drafts = {**current.get(TEXT_DRAFTS_TABLE, {}), **drafts}
    data[SETTINGS_TABLE] = settings
    data[TEXT_DRAFTS_TABLE] = drafts
    # Everything else (the schema mark in "_meta") stays as it is.
    return data, (added, replaced, kept, removed)


__all__ = [
    "FORMAT",
    "LABELS",
    "MAX_BYTES",
    "VERSION",
    "Backup",
    "BackupError",
    "RestoreResult",
    "dump",
    "label",
    "load",
    "parse",
    "restore",
]
