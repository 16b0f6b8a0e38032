"""Worksheets a participant chose to share with the facilitator, sealed to the facilitator.

A shared worksheet is its Markdown export (:mod:`workbook.exports`), sealed with the
facilitator's public key (:func:`workbook.crypto.seal`) into
``people/<id>/shared/<worksheet>.sealed``: only the facilitator's private key — unwrapped
by the facilitator's password when they sign in — opens it. It is sealed again after every
save, so the facilitator reads what is there now. Un-sharing deletes the file.
"""

from __future__ import annotations

import os
import threading
from pathlib import Path

from workbook import crypto
from workbook.exports.document import WORKSHEETS

SHARED = "shared"
SUFFIX = ".sealed"


def _context(account_id: str, worksheet: str) -> str:
    return f"share:{account_id}:{worksheet}"


def _path(person_dir: Path, worksheet: str) -> Path:
    if worksheet not in WORKSHEETS:
        raise ValueError(f"{worksheet!r} is not a worksheet")
    return Path(person_dir) / SHARED / f"{worksheet}{SUFFIX}"


def shared(person_dir: Path) -> list[str]:
    """The worksheets shared from this folder, in the workbook's order."""
    folder = Path(person_dir) / SHARED
    if not folder.is_dir():
        return []
    found = {p.name[: -len(SUFFIX)] for p in folder.glob(f"*{SUFFIX}")}
    return [key for key in WORKSHEETS if key in found]


def put(
    person_dir: Path, account_id: str, worksheet: str, markdown: bytes, facilitator_public: bytes
) -> None:
    """Seal ``markdown`` for the facilitator and write it atomically."""
    path = _path(person_dir, worksheet)
    path.parent.mkdir(parents=True, exist_ok=True)
    blob = crypto.seal(facilitator_public, markdown, _context(account_id, worksheet))
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{threading.get_ident()}.tmp")
    try:
        tmp.write_bytes(blob)
        tmp.replace(path)
    finally:
        tmp.unlink(missing_ok=True)


def remove(person_dir: Path, worksheet: str) -> None:
    _path(person_dir, worksheet).unlink(missing_ok=True)


def read(person_dir: Path, account_id: str, worksheet: str, facilitator_private: bytes) -> str:
    """The shared worksheet's Markdown, opened with the facilitator's private key."""
    blob = _path(person_dir, worksheet).read_bytes()
    plain = crypto.open_sealed(facilitator_private, blob, _context(account_id, worksheet))
    return plain.decode("utf-8")
