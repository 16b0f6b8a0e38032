"""Safe on-disk storage for one workbook file.

:class:`WorkbookFile` owns the file: it writes atomically (temp file, fsync, rename,
fsync of the folder), keeps rolling backups, detects a damaged file on open and sets
it aside, migrates old schema versions, and serialises access with a thread lock and
an inter-process file lock. A :class:`Codec` turns the JSON into the bytes on disk and
back: plain by default, encrypted for a workshop participant (:mod:`workbook.crypto`) —
backups are copies of those bytes, so they are encrypted too. :class:`SafeJSONStorage` is
the TinyDB ``Storage`` that routes TinyDB's reads and writes through it.

TinyDB re-reads and re-parses the whole file on every query with its own
``JSONStorage``; here reads are served from the parsed data in memory and the file is
parsed again only when it changed on disk (another process wrote it).

A save of known records (the repository says which, through ``touching(table, ids)``) does
not rewrite the file: it appends one framed, codec-encoded entry to ``<file>.journal`` and
fsyncs it, so a save costs the size of the records, not of the workbook (framing and torn
tails: :mod:`workbook.journal`). The journal's header carries the random *base token* of the
main file it belongs to (kept in ``_meta``); every full rewrite makes a new token, so a
journal left behind by a crash during a fold is recognised as stale and ignored. Past a
limit the journal is folded into the main file (one atomic rewrite) and moved beside the
backup of the old main file, so a backup is a main file plus, perhaps, its journal.
Another process's appends are picked up by reading just the journal's new tail.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import shutil
import threading
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Protocol

from filelock import FileLock
from tinydb.storages import Storage

from workbook import journal

SCHEMA_VERSION = 1
META_TABLE = "_meta"
META_ID = "1"

Data = dict[str, dict[str, dict[str, Any]]]
_log = logging.getLogger(__name__)


class Codec(Protocol):
    """How workbook JSON becomes the bytes on disk, and back."""

    def encode(self, plain: bytes) -> bytes: ...

    def decode(self, raw: bytes) -> bytes:
        """The JSON bytes; raise :class:`DamagedFileError` for bytes that do not check out."""
        ...


class PlainCodec:
    """The bytes on disk are the JSON itself (personal mode)."""

    def encode(self, plain: bytes) -> bytes:
        return plain

    def decode(self, raw: bytes) -> bytes:
        return raw


class StorageError(RuntimeError):
    """A problem with the workbook file that the person should be told about."""


class NewerSchemaError(StorageError):
    """The file was written by a newer Rebound; it is left untouched."""


class DamagedFileError(StorageError):
    """The file could not be read as a workbook."""


@dataclass(frozen=True)
class RecoveryNotice:
    """What happened when a damaged file was found, in plain words."""

    damaged_copy: Path
    restored_from: Path | None
    at: datetime
    # True when the backup and the journal kept since it gave back every acknowledged save.
    complete: bool = False

    @property
    def message(self) -> str:
        if self.restored_from is not None and self.complete:
            return (
                "Your workbook file could not be read, so Rebound set it aside and rebuilt your "
                "workbook from its backup and the saves made since — nothing you saved was lost. "
                f"The unreadable file was kept as “{self.damaged_copy.name}”."
            )
        if self.restored_from is not None:
            return (
                "Your workbook file could not be read, so Rebound set it aside and restored "
                f"your most recent good backup (saved {_backup_time_text(self.restored_from)}). "
                f"Nothing was deleted: the unreadable file was kept as “{self.damaged_copy.name}”."
            )
        return (
            "Your workbook file could not be read and no good backup was found, so Rebound "
            "started a fresh workbook. Nothing was deleted: the unreadable file was kept as "
            f"“{self.damaged_copy.name}” in the same folder."
        )


def _backup_time_text(path: Path) -> str:
    stamp = path.stem.rsplit(".", 1)[-1]
    try:
        when = datetime.strptime(stamp, "%Y%m%dT%H%M%S%fZ").replace(tzinfo=UTC)
    except ValueError:
        return "earlier"
    return when.strftime("%Y-%m-%d %H:%M UTC")


def _fsync_dir(folder: Path) -> None:
    # The rename is only durable once the folder entry itself reaches the disk.
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _validate_shape(data: Any) -> Data:
    if not isinstance(data, dict):
        raise DamagedFileError("the file does not hold a workbook")
    for name, table in data.items():
        if not isinstance(name, str) or not isinstance(table, dict):
            raise DamagedFileError(f"table {name!r} is not readable")
        for doc_id, doc in table.items():
            if not isinstance(doc, dict):
                raise DamagedFileError(f"entry {doc_id!r} in {name!r} is not readable")
    return data


def parse(raw: bytes) -> Data:
    """Parse file bytes into workbook data, or raise :class:`DamagedFileError`."""
    try:
        data = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise DamagedFileError(f"the file is not valid JSON ({exc})") from None
    except RecursionError:
        # Deeply nested JSON exhausts the parser's stack; no workbook looks like that.
        raise DamagedFileError("the file is nested too deeply to be a workbook") from None
    return _validate_shape(data)


def schema_version(data: Data) -> int:
    """The file's schema version; 0 for files written before versions existed."""
    meta = data.get(META_TABLE, {}).get(META_ID, {})
    version = meta.get("schema_version", 0)
    if isinstance(version, bool) or not isinstance(version, int) or version < 0:
        # Guessing would mean migrating (and rewriting) a file we do not understand.
        raise NewerSchemaError(
            "This workbook carries a version mark Rebound does not understand "
            f"({version!r}). The file has not been changed."
        )
    return version


def _migrate_0_to_1(data: Data) -> Data:
    """Unversioned files (plain TinyDB, or very early Rebound) get ids and times.

    Plain TinyDB numbers its documents; Rebound keys each record by its own ``id``.
    """
    now = datetime.now(UTC).isoformat()
    migrated: Data = {}
    for name, table in data.items():
        if name == META_TABLE:
            continue
        new_table: dict[str, dict[str, Any]] = {}
        for doc in table.values():
            record = dict(doc)
            record_id = str(record.get("id") or os.urandom(16).hex())
            record["id"] = record_id
            record.setdefault("created_at", now)
            record.setdefault("updated_at", record["created_at"])
            new_table[record_id] = record
        migrated[name] = new_table
    return migrated


# MIGRATIONS[n] turns a version-n file into version n+1.
MIGRATIONS: dict[int, Callable[[Data], Data]] = {0: _migrate_0_to_1}


def migrate(data: Data) -> tuple[Data, bool]:
    """Bring ``data`` to :data:`SCHEMA_VERSION`; return it and whether anything changed."""
    version = schema_version(data)
    if version > SCHEMA_VERSION:
        raise NewerSchemaError(
            "This workbook was saved by a newer version of Rebound. Please update Rebound to "
            "open it; the file has not been changed."
        )
    changed = version < SCHEMA_VERSION
    while version < SCHEMA_VERSION:
        data = MIGRATIONS[version](data)
        version += 1
    data.setdefault(META_TABLE, {})[META_ID] = {"schema_version": SCHEMA_VERSION}
    return data, changed


# The journal is folded into the main file once it holds this many entries, or once it
# is larger than a quarter of the main file (but never below JOURNAL_MIN_BYTES). A fold
# costs one full rewrite, O(main file); coming after at least a quarter of the main file's
# size in appends, its cost per save stays a small constant multiple of the entry size.
# The entry cap bounds how much replaying an open does (one JSON parse, and for encrypted
# workbooks one decryption, per entry), and the floor keeps a small workbook from folding
# every few saves.
JOURNAL_MAX_ENTRIES = 500
JOURNAL_MIN_BYTES = 64 * 1024
JOURNAL_META_ID = "journal"  # _meta document holding the main file's base token


@dataclass
class _JournalState:
    """What this process knows of the journal file (see :mod:`workbook.journal`)."""

    ino: int | None = None
    end: int = 0  # offset just after the last whole frame; 0: no header written yet
    seq: int = 0  # number of the next entry (entries so far)
    stale: bool = False  # based on another main file: ignored, replaced at the next write
    torn: bool = False  # an interrupted append after ``end``: cut off at the next write
    stamp: tuple[int, int, int] | None = None


def _continues_of(data: Data) -> dict[str, Any] | None:
    folded = data.get(META_TABLE, {}).get(JOURNAL_META_ID, {}).get("continues")
    return folded if isinstance(folded, dict) else None


def _stat_stamp(path: Path) -> tuple[int, int, int] | None:
    try:
        stat = path.stat()
    except FileNotFoundError:
        return None
    return stat.st_ino, stat.st_mtime_ns, stat.st_size


def base_token(data: Data) -> str | None:
    """The random token a journal must carry to belong to this main file."""
    token = data.get(META_TABLE, {}).get(JOURNAL_META_ID, {}).get("base")
    return token if isinstance(token, str) else None


def _dumps(value: Any) -> bytes:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


class WorkbookFile:
    """One workbook file on disk, with its journal, locks, cache and backups.

    A save made inside ``touching(table, ids=[...])`` appends one entry to the journal
    (``<name>.journal``); any other save rewrites the main file atomically and retires the
    journal. Reading is the main file plus the journal replayed in order.

    Hold :meth:`locked` around every read-modify-write; :meth:`read` and :meth:`write`
    assume the caller holds it (the repository always does).
    """

    def __init__(
        self,
        path: Path,
        *,
        backups: int = 10,
        codec: Codec | None = None,
        journal: bool = True,
    ) -> None:
        self.path = Path(path)
        self.journal_path = journal_path(self.path)
        # Off: every save is a full rewrite with a backup of the previous file (as before
        # journals existed). An existing journal is still read, and folded at the next save.
        self.use_journal = journal
        self.codec: Codec = codec or PlainCodec()
        # Called with the new data after every successful write (e.g. a workshop
        # participant's progress summary); a failing listener never undoes the write.
        self.listeners: list[Callable[[Data], None]] = []
        self.backup_dir = self.path.parent / "backups"
        self.keep_backups = backups
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._thread_lock = threading.RLock()
        self._file_lock = FileLock(str(self.path) + ".lock", thread_local=False)
        self._cache: Data | None = None
        self._closed = False
        self._stamp: tuple[int, int, int] | None = None
        self._base: str | None = None
        # Set when the main file is exactly its newest backup with that backup's journal
        # folded in (a fold): {"base": the backup's token, "entries": its journal's entries}.
        # Every journal started on this main file carries it in its header, so a damaged main
        # file can be rebuilt from that backup plus the journal without losing a save.
        self._continues: dict[str, Any] | None = None
        self._main_size = 0
        self._journal = _JournalState()
        self.generation = 0  # bumps on every change: caches of whole-workbook results
        # Finer: ``epoch`` bumps when anything may have changed (a load from disk, a write of
        # the whole workbook such as a restore); a write made inside ``touching(table)``
        # bumps only that table's version. Per-table caches key on :meth:`table_token`.
        self.epoch = 0
        self._table_versions: dict[str, int] = {}
        self._touching: str | None = None
        self._touching_ids: list[str] | None = None
        self.notices: list[RecoveryNotice] = []
        with self.locked():
            self._open()

    # -- locking -----------------------------------------------------------------
    @contextlib.contextmanager
    def locked(self) -> Iterator[None]:
        """Exclusive access across threads of this process and across processes."""
        self._check_open()
        with self._thread_lock, self._file_lock:
            self._check_open()
            yield

    def _check_open(self) -> None:
        # A deleted workbook must stay deleted: a tab still holding this object must not
        # bring the file (or its folder, which the file lock would re-create) back.
        if self._closed:
            raise StorageError("This workbook has been deleted. Nothing was saved.")
        if not self.path.parent.is_dir():
            raise StorageError(
                f"The folder that held this workbook ({self.path.parent}) is gone. "
                "Nothing was saved; restart Rebound to begin a new workbook."
            )

    @contextlib.contextmanager
    def touching(self, table: str, ids: Iterable[str] | None = None) -> Iterator[None]:
        """Writes inside change only ``table`` (the repository says so; it knows).

        With ``ids`` (the records the write adds, changes or removes) the write is one
        journal entry holding just those records instead of a rewrite of the whole file.
        """
        with self.locked():
            self._touching = table
            self._touching_ids = None if ids is None else [str(i) for i in ids]
            try:
                yield
            finally:
                self._touching = None
                self._touching_ids = None

    def table_token(self, table: str) -> tuple[int, int]:
        return self.epoch, self._table_versions.get(table, 0)

    def close(self) -> None:
        """Refuse every later read and write (the workbook is being deleted)."""
        with self._thread_lock:
            self._closed = True
            self._cache = None

    # -- opening -----------------------------------------------------------------
    def _open(self) -> None:
        self._remove_stale_temp_files()
        if not self.path.exists():
            data, _ = migrate({})
            self._commit(data, None)
            return
        data = self._load_or_recover()
        data, changed = migrate(data)
        if changed:
            self._commit(data, None)

    def _remove_stale_temp_files(self) -> None:
        # Only a writer holding the file lock creates temp files, and we hold it now,
        # so any temp file left here belongs to a writer that crashed.
        for leftover in self.path.parent.glob(f".{self.path.name}.*.tmp"):
            leftover.unlink(missing_ok=True)

    def _load_or_recover(self) -> Data:
        try:
            return self._load()
        except DamagedFileError:
            return self._recover()

    def _load(self) -> Data:
        stat = self.path.stat()
        data = parse(self.codec.decode(self.path.read_bytes()))
        base = base_token(data)
        try:
            raw = self.journal_path.read_bytes()
            jstamp = _stat_stamp(self.journal_path)
        except FileNotFoundError:
            raw, jstamp = b"", None
        state = _JournalState(ino=None if jstamp is None else jstamp[0], stamp=jstamp)
        self._replay(data, base, raw, state)
        self._cache, self._stamp = data, (stat.st_ino, stat.st_mtime_ns, stat.st_size)
        self._base, self._main_size, self._journal = base, stat.st_size, state
        self._continues = _continues_of(data)
        self.generation += 1
        self.epoch += 1
        return data

    def _replay(self, data: Data, base: str | None, raw: bytes, state: _JournalState) -> set[str]:
        """Apply the journal bytes ``raw`` (read from ``state.end`` on) to ``data``.

        Updates ``state``; returns the tables changed. Raises :class:`DamagedFileError`.
        """
        if state.end == 0:
            header = journal.first_frame(raw)
            if header is None:
                # Nothing, or a first append cut short (no entry was ever acknowledged);
                # a damaged header with entries after it is damage, and scan says so.
                self._scan(raw)
                state.torn = bool(raw)
                return set()
            if self._decode_json(header).get("base") != base or base is None:
                # Left behind by a crash during a fold, or by a file since restored.
                state.stale = True
                return set()
        found = self._scan(raw)
        payloads = found.payloads[1:] if state.end == 0 else found.payloads
        touched = {self._apply_entry(data, base, state.seq + n, p) for n, p in enumerate(payloads)}
        state.seq += len(payloads)
        state.end += found.end
        state.torn = found.torn
        return touched

    @staticmethod
    def _scan(raw: bytes) -> journal.Scan:
        try:
            return journal.scan(raw)
        except journal.JournalDamaged as exc:
            raise DamagedFileError(str(exc)) from None

    def _decode_json(self, payload: bytes) -> dict[str, Any]:
        try:
            value = json.loads(self.codec.decode(payload).decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError, RecursionError):
            raise DamagedFileError("a journal entry is not readable") from None
        if not isinstance(value, dict):
            raise DamagedFileError("a journal entry is not readable")
        return value

    def _apply_entry(self, data: Data, base: str | None, seq: int, payload: bytes) -> str:
        entry = self._decode_json(payload)
        table, changes = entry.get("table"), entry.get("changes")
        # Base and number are inside the (for encrypted workbooks, authenticated) payload,
        # so an entry cannot be moved to another journal or to another place in this one.
        if entry.get("base") != base or entry.get("seq") != seq:
            raise DamagedFileError("a journal entry is out of place")
        if not isinstance(table, str) or not isinstance(changes, list):
            raise DamagedFileError("a journal entry is not readable")
        rows = data.setdefault(table, {})
        for change in changes:
            if not (isinstance(change, list) and len(change) == 2 and isinstance(change[0], str)):
                raise DamagedFileError("a journal entry is not readable")
            record_id, doc = change
            if doc is None:
                rows.pop(record_id, None)
            elif isinstance(doc, dict):
                rows[record_id] = doc
            else:
                raise DamagedFileError("a journal entry is not readable")
        return table

    def _recover(self) -> Data:
        rebuilt = self._rebuild_from_backup_and_journal()
        aside = self._set_aside_damaged()
        if rebuilt is not None:
            data, backup = rebuilt
            self._commit(data, None)
            self.notices.append(RecoveryNotice(aside, backup, datetime.now(UTC), complete=True))
            return self._load()
        for backup in self.backups():
            try:
                payload = self._backup_payload(backup)
            except (DamagedFileError, OSError):
                continue
            self._atomic_replace(payload, keep_backup=False)
            self.notices.append(RecoveryNotice(aside, backup, datetime.now(UTC)))
            return self._load()
        self.notices.append(RecoveryNotice(aside, None, datetime.now(UTC)))
        data, _ = migrate({})
        self._commit(data, None)
        return data

    def _rebuild_from_backup_and_journal(self) -> tuple[Data, Path] | None:
        """Every save, when only the main file is damaged and it was an exact fold.

        The journal's header names the fold it continues (see ``_continues``); the backup
        with that token and that many journal entries holds what the damaged main file held,
        and this journal's entries come after it. None when that does not all check out.
        """
        try:
            raw = self.journal_path.read_bytes()
            header = journal.first_frame(raw)
            if header is None:
                return None
            head = self._decode_json(header)
            base, folded = head.get("base"), head.get("continues")
            if not isinstance(base, str) or not isinstance(folded, dict):
                return None
            for backup in self.backups():
                try:
                    data, backup_base, entries = self._backup_state(backup)
                except (DamagedFileError, OSError):
                    continue
                if backup_base == folded.get("base") and entries == folded.get("entries"):
                    self._replay(data, base, raw, _JournalState())
                    return data, backup
        except (DamagedFileError, OSError):
            pass  # the journal is damaged too: fall back to the newest good backup
        return None

    def _backup_state(self, backup: Path) -> tuple[Data, str | None, int]:
        """A backup with its journal (if any) replayed; its base token; the entries replayed."""
        data = parse(self.codec.decode(backup.read_bytes()))
        base = base_token(data)
        state = _JournalState()
        with contextlib.suppress(FileNotFoundError):
            self._replay(data, base, journal_path(backup).read_bytes(), state)
        return data, base, state.seq

    def _backup_payload(self, backup: Path) -> bytes:
        """The bytes of a main file holding ``backup`` with its journal (if any) folded in."""
        data, _, entries = self._backup_state(backup)
        if entries == 0:
            return backup.read_bytes()
        data.setdefault(META_TABLE, {})[JOURNAL_META_ID] = {"base": os.urandom(16).hex()}
        return self.codec.encode(_dumps(data))

    def _set_aside_damaged(self) -> Path:
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S")
        base = self.path.with_name(f"{self.path.stem}.damaged-{stamp}{self.path.suffix}")
        aside, n = base, 1
        # Never overwrite an earlier damaged copy (of the file or of its journal).
        while aside.exists() or journal_path(aside).exists():
            aside = base.with_name(f"{base.stem}-{n}{base.suffix}")
            n += 1
        self.path.rename(aside)
        if self.journal_path.exists():
            self.journal_path.rename(journal_path(aside))
        self._journal = _JournalState()
        return aside

    # -- reading and writing -----------------------------------------------------
    def read(self) -> Data:
        """The current data; parsed again only if another process changed the files."""
        try:
            stat = self.path.stat()
        except FileNotFoundError:
            self._open()
            stat = self.path.stat()
        stamp = (stat.st_ino, stat.st_mtime_ns, stat.st_size)
        if self._cache is not None and stamp == self._stamp:
            state = self._journal
            if not state.torn and _stat_stamp(self.journal_path) == state.stamp:
                return self._cache
            if self._read_journal_tail():
                return self._cache
        data = self._load_or_recover()
        data, changed = migrate(data)
        if changed:
            self._commit(data, None)
        return data

    def _read_journal_tail(self) -> bool:
        """Apply what another process appended to the journal; False if a full load is due."""
        state, cache = self._journal, self._cache
        try:
            with self.journal_path.open("rb") as handle:
                stat = os.fstat(handle.fileno())
                same_file = state.ino is None or stat.st_ino == state.ino
                if state.stale or not same_file or stat.st_size < state.end or cache is None:
                    return False
                handle.seek(state.end)
                raw = handle.read()
        except FileNotFoundError:
            return False
        grown = _JournalState(stat.st_ino, state.end, state.seq)
        grown.stamp = (stat.st_ino, stat.st_mtime_ns, stat.st_size)
        try:
            touched = self._replay(cache, self._base, raw, grown)
        except DamagedFileError:
            return False  # the full load sets the damage aside
        if grown.stale:
            return False
        self._journal = grown
        for table in touched:
            self._table_versions[table] = self._table_versions.get(table, 0) + 1
        if touched:
            self.generation += 1
        return True

    def write(self, data: Data) -> None:
        """Save ``data``: one journal entry inside ``touching(table, ids)``, else a rewrite."""
        self._commit(data, self._touching_ids)

    def _commit(self, data: Data, ids: list[str] | None) -> None:
        try:
            if ids is not None and self._touching is not None and self._can_append():
                self._append(self._touching, ids, data)
            elif ids is not None and self._touching is not None and self._journal_usable():
                # The journal is full. Append this save first, so the backup the fold keeps
                # (old main file + journal) holds exactly what the new main file holds.
                self._append(self._touching, ids, data)
                folded = {"base": self._base, "entries": self._journal.seq}
                self._rewrite(data, continues=folded)
            else:
                self._rewrite(data)
        except BaseException:
            # TinyDB mutates the dict it read before calling write; if the write did not
            # happen, forget the cache so the next read comes from the files on disk.
            self._cache, self._stamp = None, None
            self.epoch += 1
            raise
        self._cache = data
        self.generation += 1
        if self._touching is None:
            self.epoch += 1
        else:
            self._table_versions[self._touching] = self._table_versions.get(self._touching, 0) + 1
        for listener in self.listeners:
            try:
                listener(data)
            except Exception as exc:
                # The save itself succeeded; log only the kind of problem, never a message
                # that might quote what the person wrote.
                _log.warning("a listener after a save failed: %s", type(exc).__name__)

    def _journal_usable(self) -> bool:
        if not self.use_journal:
            return False
        # Not for a main file from before journals, or one not read yet.
        return self._base is not None and self._cache is not None and self._stamp is not None

    def _can_append(self) -> bool:
        state = self._journal
        limit = max(JOURNAL_MIN_BYTES, self._main_size // 4)
        return self._journal_usable() and state.seq < JOURNAL_MAX_ENTRIES and state.end < limit

    def _rewrite(self, data: Data, *, continues: dict[str, Any] | None = None) -> None:
        """Replace the main file atomically (a fresh base token), retiring the journal."""
        token = os.urandom(16).hex()
        meta: dict[str, Any] = {"base": token}
        if continues is not None:
            meta["continues"] = continues
        data.setdefault(META_TABLE, {})[JOURNAL_META_ID] = meta
        payload = self.codec.encode(_dumps(data))
        backup = self._atomic_replace(payload, keep_backup=True)
        stat = self.path.stat()
        self._stamp = (stat.st_ino, stat.st_mtime_ns, stat.st_size)
        self._base, self._main_size = token, stat.st_size
        # Only an exact fold that kept its backup can be continued from that backup.
        self._continues = continues if backup is not None else None

    def _append(self, table: str, ids: list[str], data: Data) -> None:
        """Append one entry with the current state of ``ids`` in ``table``; durable on return.

        One entry per save (not per record), so a save of several records is all or nothing.
        """
        state = self._journal
        if _stat_stamp(self.journal_path) != state.stamp:
            # Another writer appended since this process last read (a write without the
            # read TinyDB always makes first): appending, or starting a fresh journal,
            # could build on a stale copy or drop entries. Refuse; the cache is dropped.
            raise StorageError(
                "The workbook changed on disk while saving. Nothing was saved; please try again."
            )
        rows = data.get(table, {})
        entry = {"base": self._base, "seq": state.seq, "table": table}
        entry["changes"] = [[i, rows.get(i)] for i in ids]
        # The codec seals every entry on its own (a fresh random nonce each time).
        out = journal.frame(self.codec.encode(_dumps(entry)))
        fresh = state.end == 0 or state.stale
        if fresh:
            # A new journal: a stale or torn one goes, and a new inode tells readers so.
            self.journal_path.unlink(missing_ok=True)
            header: dict[str, Any] = {"base": self._base}
            if self._continues is not None:
                header["continues"] = self._continues
            out = journal.frame(self.codec.encode(_dumps(header))) + out
        fd = os.open(self.journal_path, os.O_WRONLY | os.O_CREAT, 0o666)
        try:
            if state.torn:
                os.ftruncate(fd, state.end)  # never acknowledged: cut it off
            _write_all(fd, state.end if not fresh else 0, out)
            os.fsync(fd)
            stat = os.fstat(fd)
        except BaseException:
            with contextlib.suppress(OSError):
                os.ftruncate(fd, 0 if fresh else state.end)
            raise
        finally:
            os.close(fd)
        if fresh:
            _fsync_dir(self.path.parent)  # the new journal's name must reach the disk too
        self._journal = _JournalState(
            ino=stat.st_ino,
            end=(0 if fresh else state.end) + len(out),
            seq=state.seq + 1,
            stamp=(stat.st_ino, stat.st_mtime_ns, stat.st_size),
        )

    def fold(self) -> None:
        """Fold the journal into the main file now (one full rewrite)."""
        with self.locked():
            self._commit(self.read(), None)

    def snapshot(self) -> bytes:
        """The encoded bytes of a main file holding everything saved so far (for copies)."""
        with self.locked():
            data = self.read()
            if self._journal.seq == 0:
                return self.path.read_bytes()  # exactly the file, as before journals
            return self.codec.encode(_dumps(data))

    def _atomic_replace(self, payload: bytes, *, keep_backup: bool) -> Path | None:
        """Replace the main file; returns the backup kept of the previous one, if any."""
        tmp = self.path.with_name(f".{self.path.name}.{os.getpid()}.{threading.get_ident()}.tmp")
        backup = None
        try:
            with tmp.open("wb") as handle:
                handle.write(payload)
                handle.flush()
                os.fsync(handle.fileno())
            backup = self._backup_current() if keep_backup else None
            tmp.replace(self.path)
            self._retire_journal(backup)
            _fsync_dir(self.path.parent)
        finally:
            tmp.unlink(missing_ok=True)
        self._journal = _JournalState()
        return backup

    def _retire_journal(self, backup: Path | None) -> None:
        # The new main file has a new base token, so a journal still here after a crash is
        # stale and ignored; moving it next to the backup of the old main file keeps that
        # backup whole (main file + journal = the state before this rewrite).
        if not self.journal_path.exists():
            return
        if backup is not None:
            self.journal_path.replace(journal_path(backup))
        else:
            self.journal_path.unlink()

    # -- backups -----------------------------------------------------------------
    def backups(self) -> list[Path]:
        """Backups, newest first (each may have a journal beside it: see :func:`journal_path`)."""
        if not self.backup_dir.exists():
            return []
        return sorted(self.backup_dir.glob(f"{self.path.stem}.*.json"), reverse=True)

    def delete_backups(self) -> None:
        """Remove every rolling backup, journals included."""
        for backup in self.backups():
            backup.unlink(missing_ok=True)
            journal_path(backup).unlink(missing_ok=True)

    def _backup_current(self) -> Path | None:
        if not self.path.exists():
            return None
        self.backup_dir.mkdir(exist_ok=True)
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
        target = self.backup_dir / f"{self.path.stem}.{stamp}.json"
        try:
            # A hard link costs nothing: the rename that follows gives the workbook a new
            # file, and the link keeps the previous one exactly as it was.
            os.link(self.path, target)
        except FileExistsError:
            return None
        except OSError:
            shutil.copy2(self.path, target)
        for old in self.backups()[self.keep_backups :]:
            old.unlink(missing_ok=True)
            journal_path(old).unlink(missing_ok=True)
        return target


def journal_path(path: Path) -> Path:
    """The journal beside a workbook file (or beside a backup or damaged copy of one)."""
    return path.with_name(path.name + ".journal")


def _write_all(fd: int, offset: int, payload: bytes) -> None:
    view = memoryview(payload)
    while view:
        written = os.pwrite(fd, view, offset)
        view, offset = view[written:], offset + written


class SafeJSONStorage(Storage):
    """TinyDB storage adapter over a :class:`WorkbookFile`."""

    def __init__(self, workbook_file: WorkbookFile) -> None:
        self._file = workbook_file

    def read(self) -> Data | None:
        return self._file.read()

    def write(self, data: Data) -> None:
        self._file.write(data)

    def close(self) -> None:
        pass
