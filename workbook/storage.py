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
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import shutil
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Protocol

from filelock import FileLock
from tinydb.storages import Storage

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

    @property
    def message(self) -> str:
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


class WorkbookFile:
    """One workbook file on disk, with its locks, cache and backups.

    Hold :meth:`locked` around every read-modify-write; :meth:`read` and :meth:`write`
    assume the caller holds it (the repository always does).
    """

    def __init__(self, path: Path, *, backups: int = 10, codec: Codec | None = None) -> None:
        self.path = Path(path)
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
        self.generation = 0  # bumps on every change: caches of whole-workbook results
        # Finer: ``epoch`` bumps when anything may have changed (a load from disk, a write of
        # the whole workbook such as a restore); a write made inside ``touching(table)``
        # bumps only that table's version. Per-table caches key on :meth:`table_token`.
        self.epoch = 0
        self._table_versions: dict[str, int] = {}
        self._touching: str | None = None
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
    def touching(self, table: str) -> Iterator[None]:
        """Writes inside change only ``table`` (the repository says so; it knows)."""
        with self.locked():
            self._touching = table
            try:
                yield
            finally:
                self._touching = None

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
            self.write(data)
            return
        data = self._load_or_recover()
        data, changed = migrate(data)
        if changed:
            self.write(data)

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
        self._cache, self._stamp = data, (stat.st_ino, stat.st_mtime_ns, stat.st_size)
        self.generation += 1
        self.epoch += 1
        return data

    def _recover(self) -> Data:
        aside = self._set_aside_damaged()
        for backup in self.backups():
            try:
                raw = backup.read_bytes()
                parse(self.codec.decode(raw))
            except (DamagedFileError, OSError):
                continue
            self._atomic_replace(raw, keep_backup=False)
            self.notices.append(RecoveryNotice(aside, backup, datetime.now(UTC)))
            return self._load()
        self.notices.append(RecoveryNotice(aside, None, datetime.now(UTC)))
        data, _ = migrate({})
        self.write(data)
        return data

    def _set_aside_damaged(self) -> Path:
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S")
        base = self.path.with_name(f"{self.path.stem}.damaged-{stamp}{self.path.suffix}")
        aside, n = base, 1
        while aside.exists():  # never overwrite an earlier damaged copy
            aside = base.with_name(f"{base.stem}-{n}{base.suffix}")
            n += 1
        self.path.rename(aside)
        return aside

    # -- reading and writing -----------------------------------------------------
    def read(self) -> Data:
        """The current data; parsed again only if another process changed the file."""
        try:
            stat = self.path.stat()
        except FileNotFoundError:
            self._open()
            stat = self.path.stat()
        stamp = (stat.st_ino, stat.st_mtime_ns, stat.st_size)
        if self._cache is not None and stamp == self._stamp:
            return self._cache
        data = self._load_or_recover()
        data, changed = migrate(data)
        if changed:
            self.write(data)
        return data

    def write(self, data: Data) -> None:
        """Replace the file with ``data`` atomically, keeping the previous state as a backup."""
        try:
            payload = self.codec.encode(
                json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
            )
            self._atomic_replace(payload, keep_backup=True)
        except BaseException:
            # TinyDB mutates the dict it read before calling write; if the write did not
            # happen, forget the cache so the next read comes from the file on disk.
            self._cache, self._stamp = None, None
            self.epoch += 1
            raise
        stat = self.path.stat()
        self._cache, self._stamp = data, (stat.st_ino, stat.st_mtime_ns, stat.st_size)
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

    def _atomic_replace(self, payload: bytes, *, keep_backup: bool) -> None:
        tmp = self.path.with_name(f".{self.path.name}.{os.getpid()}.{threading.get_ident()}.tmp")
        try:
            with tmp.open("wb") as handle:
                handle.write(payload)
                handle.flush()
                os.fsync(handle.fileno())
            if keep_backup:
                self._backup_current()
            tmp.replace(self.path)
            _fsync_dir(self.path.parent)
        finally:
            tmp.unlink(missing_ok=True)

    # -- backups -----------------------------------------------------------------
    def backups(self) -> list[Path]:
        """Backups, newest first."""
        if not self.backup_dir.exists():
            return []
        return sorted(self.backup_dir.glob(f"{self.path.stem}.*.json"), reverse=True)

    def _backup_current(self) -> None:
        if not self.path.exists():
            return
        self.backup_dir.mkdir(exist_ok=True)
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
        target = self.backup_dir / f"{self.path.stem}.{stamp}.json"
        try:
            # A hard link costs nothing: the rename that follows gives the workbook a new
            # file, and the link keeps the previous one exactly as it was.
            os.link(self.path, target)
        except FileExistsError:
            return
        except OSError:
            shutil.copy2(self.path, target)
        for old in self.backups()[self.keep_backups :]:
            old.unlink(missing_ok=True)


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
