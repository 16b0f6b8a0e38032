"""The server side of a workshop: open participants' encrypted workbooks, keep their progress
summaries and shared worksheets up to date, and give the facilitator what they may see.

One :class:`Host` per workshop folder per server process. It keeps one
:class:`~workbook.repository.Workbook` per participant (TinyDB is not thread-safe, so two
tabs of one person must share one object), opened with the key from that person's session.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from workbook import content, crypto, progress
from workbook.cohort import sharing, summary
from workbook.cohort.accounts import Account, Cohort, CohortError, Role, Session
from workbook.content import Content, ContentError
from workbook.repository import Workbook
from workbook.storage import Data

WORKBOOK_FILE = "workbook.json"


@dataclass(frozen=True)
class Row:
    """One participant on the facilitator's dashboard."""

    account_id: str
    label: str  # display name, or "Participant 3" when anonymised
    joined_at: datetime
    summary: summary.Summary | None
    shared: list[str]


class Host:
    def __init__(self, folder: Path) -> None:
        self.cohort = Cohort(folder)
        self._lock = threading.Lock()
        self._open: dict[str, tuple[bytes, Workbook]] = {}

    # -- participants' workbooks ---------------------------------------------------------
    def workbook(self, session: Session, texts: Callable[[], Content]) -> Workbook:
        """The signed-in participant's workbook, decrypted with their session's key."""
        if session.role != Role.PARTICIPANT:
            raise CohortError("Only participants have a workbook here.")
        fingerprint = crypto.key_id(session.key)
        with self._lock:
            found = self._open.get(session.account_id)
            if found is not None:
                if found[0] != fingerprint:
                    raise CohortError("This session's key does not open that workbook.")
                return found[1]
            folder = self.cohort.person_dir(session.account_id)
            if not folder.is_dir():
                raise CohortError("This workbook has been deleted.")
            codec = crypto.FileCipher(session.key, f"participant:{session.account_id}")
            wb = Workbook(folder / WORKBOOK_FILE, codec=codec)
            wb.file.listeners.append(self._after_save(wb, session.account_id, texts))
            self._open[session.account_id] = (fingerprint, wb)
            return wb

    def _after_save(
        self, wb: Workbook, account_id: str, texts: Callable[[], Content]
    ) -> Callable[[Data], None]:
        folder = self.cohort.person_dir(account_id)

        def listener(data: Data) -> None:
            if not folder.is_dir():
                return  # deleted a moment ago; write nothing back
            self.refresh(wb, account_id, texts(), data)

        return listener

    def refresh(
        self, wb: Workbook, account_id: str, text: Content, data: Data | None = None
    ) -> None:
        """Rewrite the participant's summary and re-seal what they share."""
        from workbook import exports

        folder = self.cohort.person_dir(account_id)
        ctx = wb.context_provider()
        tz = ctx.get("tz", UTC)
        now = ctx.get("now") or datetime.now(UTC)
        records = progress.gather(
            wb.all, now, text.phase1.window.hours, tuple(text.phase4.materials.step_keys)
        )
        if data is None:
            with wb.file.locked():
                data = wb.file.read()
        counts = {name: len(table) for name, table in data.items() if not name.startswith("_")}
        summary.write(folder, summary.summarise(records, counts, tz, now))
        keys = sharing.shared(folder)
        if keys:
            public = crypto.unb64(self.cohort.facilitator().public_key)
            snap = exports.snapshot_of(wb)
            for key in keys:
                body = exports.make("md", snap, text, tz, exports.Options(worksheets=(key,)))
                sharing.put(folder, account_id, key, body, public)

    def share(self, session: Session, worksheet: str, on: bool, texts: Content) -> None:
        folder = self.cohort.person_dir(session.account_id)
        if on:
            # An empty placeholder marks it shared; refresh seals the real content.
            public = crypto.unb64(self.cohort.facilitator().public_key)
            sharing.put(folder, session.account_id, worksheet, b"", public)
            self.refresh(self.workbook(session, lambda: texts), session.account_id, texts)
        else:
            sharing.remove(folder, worksheet)

    def shared(self, session: Session) -> list[str]:
        return sharing.shared(self.cohort.person_dir(session.account_id))

    def delete(self, account_id: str) -> None:
        """Delete a participant and every file of theirs (their own choice or the facilitator's)."""
        with self._lock:
            found = self._open.pop(account_id, None)
        if found is not None:
            found[1].file.listeners.clear()
            found[1].file.close()
        self.cohort.remove(account_id)

    # -- the facilitator's view ------------------------------------------------------------
    def rows(self, *, anonymise: bool) -> list[Row]:
        """Every participant with their summary (numbers only) and what they share."""
        rows = []
        for n, account in enumerate(self.cohort.participants(), 1):
            folder = self.cohort.person_dir(account.id)
            rows.append(
                Row(
                    account.id,
                    f"Participant {n}" if anonymise else account.name,
                    account.joined_at,
                    summary.read(folder),
                    sharing.shared(folder),
                )
            )
        return rows

    def read_shared(self, session: Session, account_id: str, worksheet: str) -> str:
        if session.role != Role.FACILITATOR:
            raise CohortError("Only the facilitator reads shared worksheets.")
        return sharing.read(self.cohort.person_dir(account_id), account_id, worksheet, session.key)

    def participant(self, account_id: str) -> Account | None:
        account = self.cohort.account(account_id)
        return account if account and account.role == Role.PARTICIPANT else None

    # -- the workshop's prompts ------------------------------------------------------------
    def prompt_folders(self, base: Path | None) -> tuple[Path, ...]:
        return tuple(f for f in (self.cohort.content_dir, base) if f is not None)

    def set_prompts(self, name: str, raw: bytes, base: Path | None) -> None:
        """Validate ``raw`` as content file ``name``; only a good file takes effect."""
        content.check(name, raw, self.prompt_folders(base))
        target = self.cohort.content_dir / f"{name}.toml"
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_name(f".{target.name}.tmp")
        try:
            tmp.write_bytes(raw)
            tmp.replace(target)
        finally:
            tmp.unlink(missing_ok=True)

    def reset_prompts(self, name: str) -> None:
        if name not in content.FILES:
            raise ContentError(f"there is no content file called {name!r}")
        (self.cohort.content_dir / f"{name}.toml").unlink(missing_ok=True)

    def prompt_text(self, name: str, base: Path | None) -> str:
        """The text of content file ``name`` as this workshop uses it now."""
        source = content.load(base, workshop_dir=self.cohort.content_dir).sources[name]
        return Path(source).read_text(encoding="utf-8")

    def customised(self) -> list[str]:
        return [n for n in content.FILES if (self.cohort.content_dir / f"{n}.toml").is_file()]
