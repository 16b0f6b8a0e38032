"""The repository: validated records in, records out. All a page ever sees of storage.

One :class:`Workbook` per workbook file. Every call holds the file's locks, so two tabs
(threads) or two processes saving at once never lose an update. Parsed records are
cached per table and rebuilt only when that table changed.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any, TypeVar

from tinydb import TinyDB
from tinydb.table import Document, Table

from workbook import config
from workbook.models import Record, RecordInvalid, build, utcnow
from workbook.storage import Codec, RecoveryNotice, SafeJSONStorage, WorkbookFile

R = TypeVar("R", bound=Record)

SETTINGS_TABLE = "_settings"
STORED = {"stored": True}
TEXT_DRAFTS_TABLE = "_text_drafts"


class _RecordTable(Table):
    # Records are keyed by their own string id, not TinyDB's running integer.
    document_id_class = str


class _RecordDB(TinyDB):
    table_class = _RecordTable


class NotFound(LookupError):
    """The record does not exist (any more)."""


class Workbook:
    """Everything stored in one workbook file."""

    def __init__(
        self,
        path: Path,
        *,
        backups: int | None = None,
        codec: Codec | None = None,
        journal: bool = True,
    ) -> None:
        keep = backups if backups is not None else config.backups_to_keep()
        self.file = WorkbookFile(Path(path), backups=keep, codec=codec, journal=journal)
        self._db = _RecordDB(self.file, storage=SafeJSONStorage)
        self._models: dict[str, tuple[int, list[Record]]] = {}
        # Supplies the validation context of whoever is saving (their now, today and time
        # zone). The UI sets it once; scripts and tests may pass context per call instead.
        self.context_provider: Callable[[], dict[str, Any]] = dict

    @property
    def path(self) -> Path:
        return self.file.path

    @property
    def notices(self) -> list[RecoveryNotice]:
        return self.file.notices

    def _table(self, model: type[Record]) -> Table:
        return self._db.table(model.TABLE, cache_size=0)

    # -- reading -----------------------------------------------------------------
    def all(self, model: type[R]) -> list[R]:
        """Every record of a type, oldest first (by ``created_at``)."""
        with self.file.locked():
            data = self.file.read()  # reloads if another process wrote
            cached = self._models.get(model.TABLE)
            token = self.file.table_token(model.TABLE)
            if cached is not None and cached[0] == token:
                return list(cached[1])  # type: ignore[arg-type]
            docs = data.get(model.TABLE, {})
            # Stored records were judged against "now" when saved; reading never re-judges.
            records = [model.model_validate(doc, context=STORED) for doc in docs.values()]
            records.sort(key=lambda r: r.created_at)
            self._models[model.TABLE] = (token, records)
            return list(records)

    def get(self, model: type[R], record_id: str) -> R:
        for record in self.all(model):
            if record.id == record_id:
                return record
        raise NotFound(f"{model.__name__} {record_id} was not found")

    def one(self, model: type[R], **key: Any) -> R | None:
        """The record whose fields equal ``key`` (for one-per-rejection worksheets)."""
        return next(
            (r for r in self.all(model) if all(getattr(r, k) == v for k, v in key.items())), None
        )

    def count(self, model: type[Record]) -> int:
        with self.file.locked():
            return len(self.file.read().get(model.TABLE, {}))

    # -- writing -----------------------------------------------------------------
    def add(self, model: type[R], data: dict[str, Any], **context: Any) -> R:
        """Validate ``data`` as a new ``model`` and save it; raise RecordInvalid if not valid."""
        data = {k: v for k, v in data.items() if k not in {"id", "created_at", "updated_at"}}
        record = build(model, data, **(self.context_provider() | context))
        self._save_new(record)
        return record  # type: ignore[return-value]

    def update(self, model: type[R], record_id: str, changes: dict[str, Any], **context: Any) -> R:
        """Apply ``changes`` to a stored record after validating the result."""
        with self.file.locked():
            current = self.get(model, record_id)
            merged = current.model_dump() | {
                k: v for k, v in changes.items() if k not in {"id", "created_at"}
            }
            merged["updated_at"] = utcnow()
            # An edit is judged like a new save, dates included.
            record = build(model, merged, **(self.context_provider() | context))
            with self.file.touching(model.TABLE, ids=[record.id]):
                self._table(model).update(_doc(record), doc_ids=[record.id])
            return record  # type: ignore[return-value]

    def put_one(self, model: type[R], key: dict[str, Any], changes: dict[str, Any]) -> R:
        """Update the record matching ``key`` with ``changes``, or add it if there is none."""
        with self.file.locked():
            current = self.one(model, **key)
            if current is None:
                return self.add(model, {**changes, **key})
            return self.update(model, current.id, changes)

    def delete(self, model: type[Record], record_id: str) -> None:
        with self.file.locked():
            table = self._table(model)
            if not table.contains(doc_id=record_id):
                raise NotFound(f"{model.__name__} {record_id} was not found")
            with self.file.touching(model.TABLE, ids=[record_id]):
                table.remove(doc_ids=[record_id])

    def delete_where(self, model: type[R], predicate: Callable[[R], bool]) -> int:
        with self.file.locked():
            ids = [record.id for record in self.all(model) if predicate(record)]
            if ids:
                with self.file.touching(model.TABLE, ids=ids):
                    self._table(model).remove(doc_ids=ids)
            return len(ids)

    def add_many(self, records: Iterable[Record]) -> int:
        """Save already-validated records in one write per table (demo data, imports).

        Each is a full rewrite of the file, not a journal entry: a bulk import is better
        folded into the main file at once.
        """
        by_table: dict[type[Record], list[Record]] = {}
        for record in records:
            by_table.setdefault(type(record), []).append(record)
        with self.file.locked():
            for model, items in by_table.items():
                with self.file.touching(model.TABLE):
                    self._table(model).insert_multiple(
                        Document(_doc(item), doc_id=item.id) for item in items
                    )
        return sum(len(items) for items in by_table.values())

    def _save_new(self, record: Record) -> None:
        with self.file.locked(), self.file.touching(record.TABLE, ids=[record.id]):
            self._table(type(record)).insert(Document(_doc(record), doc_id=record.id))

    # -- settings and unsaved text ---------------------------------------------------
    def setting(self, key: str, default: Any = None) -> Any:
        with self.file.locked():
            doc = self.file.read().get(SETTINGS_TABLE, {}).get(key)
            return default if doc is None else doc.get("value", default)

    def set_setting(self, key: str, value: Any) -> None:
        self._put(SETTINGS_TABLE, key, {"value": value})

    def settings(self) -> dict[str, Any]:
        """Every setting (for a backup)."""
        with self.file.locked():
            table = self.file.read().get(SETTINGS_TABLE, {})
            return {k: doc.get("value") for k, doc in table.items()}

    def text_drafts(self) -> dict[str, str]:
        """Every piece of unsaved text (for a backup: not a word is left behind)."""
        with self.file.locked():
            table = self.file.read().get(TEXT_DRAFTS_TABLE, {})
            return {k: str(doc.get("text", "")) for k, doc in table.items()}

    def text_draft(self, key: str) -> str:
        """Text typed into a field but not saved yet (kept so nothing is lost)."""
        with self.file.locked():
            doc = self.file.read().get(TEXT_DRAFTS_TABLE, {}).get(key)
            return "" if doc is None else str(doc.get("text", ""))

    def set_text_draft(self, key: str, text: str) -> None:
        if text:
            self._put(TEXT_DRAFTS_TABLE, key, {"text": text})
        else:
            self.clear_text_draft(key)

    def clear_text_draft(self, key: str) -> None:
        with self.file.locked():
            table = self._db.table(TEXT_DRAFTS_TABLE, cache_size=0)
            if table.contains(doc_id=key):
                with self.file.touching(TEXT_DRAFTS_TABLE, ids=[key]):
                    table.remove(doc_ids=[key])

    def _put(self, table_name: str, key: str, doc: dict[str, Any]) -> None:
        with self.file.locked():
            table = self._db.table(table_name, cache_size=0)
            current = table.get(doc_id=key)
            if current == doc:
                return  # nothing changed: no write, no backup churn
            # One write either way (TinyDB's upsert writes twice for a new key).
            with self.file.touching(table_name, ids=[key]):
                if current is None:
                    table.insert(Document(doc, doc_id=key))
                else:
                    table.update(doc, doc_ids=[key])


def _doc(record: Record) -> dict[str, Any]:
    return record.model_dump(mode="json")


__all__ = ["NotFound", "RecordInvalid", "Workbook"]
