"""A hosted workshop's accounts and invite codes, kept in ``<data>/cohort/cohort.json``.

That file holds what sign-in needs and nothing private: display names, Argon2id password
hashes, each person's key *wrapped* under their password and under their recovery code
(:mod:`workbook.crypto`), the facilitator's public key, and invite codes as hashes. It is a
:class:`~workbook.storage.WorkbookFile`, so it is written atomically, locked and backed up
like a workbook.

Each participant's own files live in ``people/<random id>/`` — the id is random, never
anything the person typed — and their workbook there is encrypted with their data key.
"""

from __future__ import annotations

import secrets
import shutil
import unicodedata
from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import StrEnum
from pathlib import Path
from typing import Any, ClassVar

from pydantic import BaseModel, ConfigDict

from workbook import crypto
from workbook.cohort.throttle import ACCOUNT, CLIENT, Refusal, Throttle
from workbook.crypto import WrappedKey, WrongSecret
from workbook.storage import WorkbookFile

COHORT_FILE = "cohort.json"
PEOPLE = "people"
CONTENT = "content"
NAME_MAX = 40
PASSWORD_MIN = 10
PASSWORD_MAX = 1000
INVITES_MAX = 500
SETTINGS = "_settings"


class Role(StrEnum):
    FACILITATOR = "facilitator"
    PARTICIPANT = "participant"


class CohortError(ValueError):
    """Something the person should be told, in plain words (nothing has changed)."""


class SignInRefused(CohortError):
    """A sign-in that did not go through; the message never says which part was wrong."""


class Account(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: str
    role: Role
    name: str
    password_hash: str
    key_by_password: WrappedKey
    key_by_recovery: WrappedKey
    public_key: str = ""  # the facilitator's, for sealed shares
    joined_at: datetime
    invite: str = ""  # digest of the invite used


class Invite(BaseModel):
    model_config = ConfigDict(extra="forbid")

    digest: str
    created_at: datetime
    used_at: datetime | None = None
    used_by: str = ""
    revoked_at: datetime | None = None

    @property
    def state(self) -> str:
        if self.revoked_at is not None:
            return "revoked"
        return "used" if self.used_at is not None else "open"


@dataclass
class Session:
    """A signed-in person. ``key`` is their data key (participant) or private key."""

    account_id: str
    role: Role
    name: str
    key: bytes = field(repr=False)
    signed_in_at: datetime
    last_seen: datetime

    def idle_for(self, now: datetime) -> float:
        return (now - self.last_seen).total_seconds()


@dataclass(frozen=True)
class Joined:
    session: Session
    recovery_code: str


def name_key(name: str) -> str:
    """Names are compared as people read them: "Zoë" and "ZOË" are the same name."""
    return unicodedata.normalize("NFKC", name).casefold().strip()


def check_name(name: str) -> str:
    """A display name, tidied, or :class:`CohortError` saying what to change."""
    cleaned = unicodedata.normalize("NFC", name).strip()
    if not cleaned:
        raise CohortError("Please choose a name to show in the workshop.")
    if any(unicodedata.category(ch) in {"Cc", "Zl", "Zp"} for ch in cleaned):
        raise CohortError("A name cannot contain line breaks or control characters.")
    if len(cleaned) > NAME_MAX:
        raise CohortError(f"Please keep the name to {NAME_MAX} characters or fewer.")
    return cleaned


def check_password(password: str) -> str:
    if len(password) < PASSWORD_MIN:
        raise CohortError(f"Please choose a password of at least {PASSWORD_MIN} characters.")
    if len(password) > PASSWORD_MAX:
        raise CohortError(f"Please keep the password under {PASSWORD_MAX} characters.")
    return password


def _now() -> datetime:
    return datetime.now(UTC)


class Cohort:
    """One workshop in one folder. Safe to share between the server's threads."""

    FILE: ClassVar[str] = COHORT_FILE

    def __init__(self, folder: Path) -> None:
        self.folder = Path(folder)
        if not (self.folder / COHORT_FILE).is_file():
            raise CohortError(f"There is no workshop in {self.folder}.")
        self.file = WorkbookFile(self.folder / COHORT_FILE)
        self.throttle = Throttle()

    # -- creating ----------------------------------------------------------------------
    @classmethod
    def create(
        cls, folder: Path, *, title: str, facilitator: str, password: str
    ) -> tuple[Cohort, str]:
        """A new workshop with its facilitator; returns it and the facilitator's recovery code."""
        folder = Path(folder)
        if (folder / COHORT_FILE).exists():
            raise CohortError(f"A workshop already exists in {folder}.")
        name = check_name(facilitator)
        check_password(password)
        title = check_name(title)
        (folder / PEOPLE).mkdir(parents=True, exist_ok=True)
        (folder / CONTENT).mkdir(exist_ok=True)
        WorkbookFile(folder / COHORT_FILE)  # an empty, versioned file
        cohort = cls(folder)
        private, public = crypto.new_keypair()
        account, recovery = cohort._new_account(Role.FACILITATOR, name, password, private)
        account = account.model_copy(update={"public_key": crypto.b64(public)})
        with cohort.file.locked():
            data = cohort.file.read()
            data.setdefault("accounts", {})[account.id] = account.model_dump(mode="json")
            data.setdefault(SETTINGS, {})["title"] = {"value": title}
            cohort.file.write(data)
        return cohort, recovery

    def _new_account(self, role: Role, name: str, password: str, key: bytes) -> tuple[Account, str]:
        account_id = secrets.token_hex(16)
        recovery = crypto.new_code(5)
        context = f"account:{account_id}"
        return (
            Account(
                id=account_id,
                role=role,
                name=name,
                password_hash=crypto.hash_password(password),
                key_by_password=crypto.wrap(key, password, context),
                key_by_recovery=crypto.wrap(key, crypto.normalise_code(recovery), context),
                joined_at=_now(),
            ),
            recovery,
        )

    # -- reading -----------------------------------------------------------------------
    def _data(self) -> dict[str, Any]:
        with self.file.locked():
            return self.file.read()

    def accounts(self) -> list[Account]:
        docs = self._data().get("accounts", {}).values()
        return sorted((Account.model_validate(d) for d in docs), key=lambda a: a.joined_at)

    def participants(self) -> list[Account]:
        return [a for a in self.accounts() if a.role == Role.PARTICIPANT]

    def facilitator(self) -> Account:
        return next(a for a in self.accounts() if a.role == Role.FACILITATOR)

    def account(self, account_id: str) -> Account | None:
        doc = self._data().get("accounts", {}).get(account_id)
        return Account.model_validate(doc) if doc else None

    def _by_name(self, name: str) -> Account | None:
        wanted = name_key(name)
        return next((a for a in self.accounts() if name_key(a.name) == wanted), None)

    def invites(self) -> list[Invite]:
        docs = self._data().get("invites", {}).values()
        return sorted((Invite.model_validate(d) for d in docs), key=lambda i: i.created_at)

    def setting(self, key: str, default: Any = None) -> Any:
        doc = self._data().get(SETTINGS, {}).get(key)
        return default if doc is None else doc.get("value", default)

    def set_setting(self, key: str, value: Any) -> None:
        with self.file.locked():
            data = self.file.read()
            data.setdefault(SETTINGS, {})[key] = {"value": value}
            self.file.write(data)

    @property
    def title(self) -> str:
        return str(self.setting("title", "Workshop"))

    @property
    def content_dir(self) -> Path:
        return self.folder / CONTENT

    def person_dir(self, account_id: str) -> Path:
        # Ids are made here (token_hex), but a path is built only from one that checks out.
        if len(account_id) != 32 or any(c not in "0123456789abcdef" for c in account_id):
            raise CohortError("That is not an account id.")
        return self.folder / PEOPLE / account_id

    # -- invites -----------------------------------------------------------------------
    def invite(self, n: int) -> list[str]:
        """``n`` new single-use invite codes (only their hashes are kept)."""
        if not 1 <= n <= INVITES_MAX:
            raise CohortError(f"Please ask for between 1 and {INVITES_MAX} invite codes.")
        codes = [crypto.new_code(4) for _ in range(n)]
        now = _now()
        with self.file.locked():
            data = self.file.read()
            table = data.setdefault("invites", {})
            for code in codes:
                digest = crypto.code_digest(code)
                table[digest] = Invite(digest=digest, created_at=now).model_dump(mode="json")
            self.file.write(data)
        return codes

    def revoke(self, code: str) -> Invite:
        """Make an unused invite code unusable."""
        digest = crypto.code_digest(code)
        with self.file.locked():
            data = self.file.read()
            doc = data.get("invites", {}).get(digest)
            if doc is None:
                raise CohortError("There is no such invite code.")
            invite = Invite.model_validate(doc)
            if invite.state == "used":
                raise CohortError("That invite code has already been used to join.")
            invite = invite.model_copy(update={"revoked_at": invite.revoked_at or _now()})
            data["invites"][digest] = invite.model_dump(mode="json")
            self.file.write(data)
            return invite

    # -- joining and signing in ------------------------------------------------------------
    def join(self, code: str, name: str, password: str, client: str = "") -> Joined:
        """Use an invite code: a new participant with a new, empty, encrypted workbook."""
        refusal = self.throttle.check(f"client:{client}", CLIENT)
        if refusal:
            raise SignInRefused(refusal.message)
        name = check_name(name)
        check_password(password)
        digest = crypto.code_digest(code)
        with self.file.locked():
            data = self.file.read()
            doc = data.get("invites", {}).get(digest)
            invite = Invite.model_validate(doc) if doc else None
            if invite is None or invite.state != "open":
                self.throttle.failed(f"client:{client}")
                if invite is not None and invite.state == "used":
                    raise CohortError(
                        "That invite code has already been used. Each code works once; "
                        "if you joined before, sign in with your name and password."
                    )
                raise CohortError(
                    "That invite code does not work. Please check it, or ask your "
                    "facilitator for a new one."
                )
            if self._by_name(name) is not None:
                raise CohortError("Someone in this workshop already uses that name.")
            account, recovery = self._new_account(
                Role.PARTICIPANT, name, password, crypto.new_data_key()
            )
            account = account.model_copy(update={"invite": digest})
            invite = invite.model_copy(update={"used_at": _now(), "used_by": account.id})
            data.setdefault("accounts", {})[account.id] = account.model_dump(mode="json")
            data["invites"][digest] = invite.model_dump(mode="json")
            self.file.write(data)
        self.person_dir(account.id).mkdir(parents=True, exist_ok=True)
        key = crypto.unwrap(account.key_by_password, password, f"account:{account.id}")
        return Joined(self._session(account, key), recovery)

    def sign_in(self, name: str, password: str, client: str = "") -> Session:
        """Check name and password; the session holds the unwrapped key."""
        account_key = f"account:{name_key(name)}"
        for key, policy in ((account_key, ACCOUNT), (f"client:{client}", CLIENT)):
            refusal = self.throttle.check(key, policy)
            if refusal:
                raise SignInRefused(refusal.message)
        account = self._by_name(name)
        if account is None:
            crypto.dummy_verify(password)
            ok = False
        else:
            ok = crypto.verify_password(account.password_hash, password)
        if not ok or account is None:
            self.throttle.failed(account_key)
            self.throttle.failed(f"client:{client}")
            raise SignInRefused(
                "That name and password do not match. Please check both and try again."
            )
        self.throttle.succeeded(account_key)
        key = crypto.unwrap(account.key_by_password, password, f"account:{account.id}")
        return self._session(account, key)

    def recover(self, name: str, code: str, new_password: str, client: str = "") -> Joined:
        """Forgotten password: the recovery code opens the key; a new code replaces it."""
        account_key = f"account:{name_key(name)}"
        for key, policy in ((account_key, ACCOUNT), (f"client:{client}", CLIENT)):
            refusal = self.throttle.check(key, policy)
            if refusal:
                raise SignInRefused(refusal.message)
        check_password(new_password)
        account = self._by_name(name)
        secret = None
        if account is not None:
            try:
                secret = crypto.unwrap(
                    account.key_by_recovery, crypto.normalise_code(code), f"account:{account.id}"
                )
            except WrongSecret:
                secret = None
        if account is None or secret is None:
            self.throttle.failed(account_key)
            self.throttle.failed(f"client:{client}")
            raise SignInRefused(
                "That name and recovery code do not match. Please check both and try again."
            )
        self.throttle.succeeded(account_key)
        recovery = self._rewrap(account, secret, password=new_password, new_recovery=True)
        assert recovery is not None
        return Joined(self._session(account, secret), recovery)

    def change_password(self, session: Session, old: str, new: str) -> None:
        account = self.account(session.account_id)
        if account is None:
            raise CohortError("This account no longer exists.")
        check_password(new)
        if not crypto.verify_password(account.password_hash, old):
            raise CohortError("Your current password does not match.")
        self._rewrap(account, session.key, password=new, new_recovery=False)

    def _rewrap(
        self, account: Account, secret: bytes, *, password: str, new_recovery: bool
    ) -> str | None:
        context = f"account:{account.id}"
        changes: dict[str, Any] = {
            "password_hash": crypto.hash_password(password),
            "key_by_password": crypto.wrap(secret, password, context),
        }
        recovery = None
        if new_recovery:
            recovery = crypto.new_code(5)
            changes["key_by_recovery"] = crypto.wrap(
                secret, crypto.normalise_code(recovery), context
            )
        with self.file.locked():
            data = self.file.read()
            if account.id not in data.get("accounts", {}):
                raise CohortError("This account no longer exists.")
            updated = account.model_copy(update=changes)
            data["accounts"][account.id] = updated.model_dump(mode="json")
            self.file.write(data)
        return recovery

    def _session(self, account: Account, key: bytes) -> Session:
        now = _now()
        return Session(account.id, account.role, account.name, key, now, now)

    def still_valid(self, session: Session) -> bool:
        """Whether the account behind a session still exists (it may have been removed)."""
        return self.account(session.account_id) is not None

    # -- removing ----------------------------------------------------------------------
    def remove(self, account_id: str) -> None:
        """Delete a participant: their account, workbook, backups, summary and shares."""
        account = self.account(account_id)
        if account is None:
            raise CohortError("There is no such participant.")
        if account.role == Role.FACILITATOR:
            raise CohortError("The facilitator's account cannot be removed here.")
        with self.file.locked():
            data = self.file.read()
            data["accounts"].pop(account_id, None)
            self.file.write(data)
        folder = self.person_dir(account_id)
        if folder.exists():
            shutil.rmtree(folder)
        # Earlier states of the workshop file still name the person: let them go too.
        self.file.delete_backups()

    def refusal_for(self, name: str, client: str) -> Refusal | None:
        """Whether a sign-in for ``name`` from ``client`` would be refused right now."""
        return self.throttle.check(f"account:{name_key(name)}", ACCOUNT) or self.throttle.check(
            f"client:{client}", CLIENT
        )


def exists(folder: Path) -> bool:
    return (Path(folder) / COHORT_FILE).is_file()
