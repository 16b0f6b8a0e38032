"""Settings read from the environment, in one place.

Rebound has only a few settings and every one is listed in the README:

- ``REBOUND_DATA_DIR``: the folder that holds the workbook file and its backups
  (default: the user's data folder from platformdirs).
- ``REBOUND_CONTENT_DIR``: a folder of content files that replace the built-in
  prompts and explanations (for a facilitator running a workshop).
- ``REBOUND_BACKUPS``: how many earlier states of the workbook to keep (default 10).
- ``REBOUND_MODE``: ``personal`` or ``cohort``; unset, Rebound hosts a workshop (cohort
  mode) exactly when the data folder holds one (``python -m workbook cohort init``).
- ``REBOUND_IDLE_MINUTES``: in cohort mode, sign a person out after this many minutes
  without activity (default 30).
- ``REBOUND_KDF``: ``test`` makes password hashing and key derivation cheap, for the test
  suite only; anything else (the default) uses Argon2id's RFC 9106 low-memory profile.
"""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

APP_SLUG = "rebound"
WORKBOOK_FILENAME = "workbook.json"
DEFAULT_BACKUPS = 10
DEFAULT_IDLE_MINUTES = 30
COHORT_FOLDER = "cohort"


def data_dir() -> Path:
    """The folder that holds the workbook; created on first use."""
    configured = os.environ.get("REBOUND_DATA_DIR", "").strip()
    path = Path(configured).expanduser() if configured else platformdirs.user_data_path(APP_SLUG)
    return path.resolve()


def workbook_path(folder: Path | None = None) -> Path:
    """The single workbook file inside ``folder`` (default: :func:`data_dir`)."""
    return (folder or data_dir()) / WORKBOOK_FILENAME


def content_dir() -> Path | None:
    """A facilitator's content folder, if one is set."""
    configured = os.environ.get("REBOUND_CONTENT_DIR", "").strip()
    return Path(configured).expanduser().resolve() if configured else None


def backups_to_keep() -> int:
    """How many earlier states to keep; a bad value falls back to the default."""
    raw = os.environ.get("REBOUND_BACKUPS", "").strip()
    try:
        value = int(raw)
    except ValueError:
        return DEFAULT_BACKUPS
    return value if value >= 1 else DEFAULT_BACKUPS


def _positive_int(name: str, default: int) -> int:
    try:
        value = int(os.environ.get(name, "").strip())
    except ValueError:
        return default
    return value if value >= 1 else default


def cohort_dir(folder: Path | None = None) -> Path:
    """Where a hosted workshop keeps its accounts, workbooks and prompts."""
    return (folder or data_dir()) / COHORT_FOLDER


def cohort_mode(folder: Path | None = None) -> bool:
    """Whether this server hosts a workshop (see ``REBOUND_MODE``)."""
    mode = os.environ.get("REBOUND_MODE", "").strip().lower()
    if mode == "personal":
        return False
    if mode == "cohort":
        return True
    return (cohort_dir(folder) / "cohort.json").is_file()


def idle_minutes() -> int:
    return _positive_int("REBOUND_IDLE_MINUTES", DEFAULT_IDLE_MINUTES)


def kdf_profile() -> str:
    return "test" if os.environ.get("REBOUND_KDF", "").strip().lower() == "test" else "default"
