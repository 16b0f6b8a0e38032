"""Framing for the append-only journal that sits beside a workbook file.

A journal is a sequence of *frames*: ``RBJ1`` · u32 length · u32 CRC-32 of the payload ·
payload (big-endian). The payloads are codec-encoded JSON (so an encrypted workbook's
journal is encrypted too); :class:`workbook.storage.WorkbookFile` decides what they say.

The CRC only tells a frame that was written whole from one that was not: authenticity,
where it matters, comes from the codec (ChaCha20-Poly1305 per frame).

What :func:`scan` makes of the bytes after the last whole frame:

- nothing, an incomplete frame (a header cut short, or a length that runs past the end of
  the file) or only zero bytes: a *torn tail*, an append that a crash interrupted. It was
  never acknowledged (the save returns only after the fsync), so it is ignored;
- anything else (a complete frame that does not check out, or a bad frame followed by good
  ones): damage, :class:`~workbook.storage.DamagedFileError`.
"""

from __future__ import annotations

import struct
import zlib
from dataclasses import dataclass

MAGIC = b"RBJ1"
_HEAD = struct.Struct(">4sII")  # magic, payload length, crc32 of the payload
HEAD_BYTES = _HEAD.size


class JournalDamaged(ValueError):
    """A frame in the middle of the journal does not check out."""


@dataclass(frozen=True)
class Scan:
    """The whole frames found, where the last one ends, and whether a torn tail follows."""

    payloads: list[bytes]
    end: int  # offset just after the last whole frame
    torn: bool  # bytes after ``end`` that never made a whole frame


def frame(payload: bytes) -> bytes:
    """One frame holding ``payload``."""
    return _HEAD.pack(MAGIC, len(payload), zlib.crc32(payload)) + payload


def _frame_end(raw: bytes, pos: int) -> int | None:
    """Where the whole, checked frame starting at ``pos`` ends; None if there is none."""
    if len(raw) - pos < HEAD_BYTES:
        return None
    magic, length, crc = _HEAD.unpack_from(raw, pos)
    end = pos + HEAD_BYTES + length
    if magic != MAGIC or end > len(raw):
        return None
    if zlib.crc32(raw[pos + HEAD_BYTES : end]) != crc:
        return None
    return end


def _is_torn(raw: bytes, pos: int) -> bool:
    """Whether the bytes from ``pos`` look like an interrupted append and nothing more."""
    rest = raw[pos:]
    if not rest.strip(b"\x00"):
        return True  # some file systems extend the file with zeros before the data lands
    if len(rest) < HEAD_BYTES:
        return MAGIC.startswith(rest[: len(MAGIC)])
    magic, length, _crc = _HEAD.unpack_from(raw, pos)
    # A header written whole whose payload runs past the end: the write stopped midway.
    # Anything else complete but wrong is not what a crash leaves behind.
    return (
        magic == MAGIC
        and pos + HEAD_BYTES + length > len(raw)
        and not _good_frame_after(raw, pos + 1)
    )


def _good_frame_after(raw: bytes, pos: int) -> bool:
    at = raw.find(MAGIC, pos)
    while at != -1:
        if _frame_end(raw, at) is not None:
            return True
        at = raw.find(MAGIC, at + 1)
    return False


def first_frame(raw: bytes) -> bytes | None:
    """The payload of the first frame, if it is whole."""
    end = _frame_end(raw, 0)
    return None if end is None else raw[HEAD_BYTES:end]


def scan(raw: bytes) -> Scan:
    """Split ``raw`` into frames; raise :class:`JournalDamaged` for damage (see the module)."""
    payloads: list[bytes] = []
    pos = 0
    while pos < len(raw):
        end = _frame_end(raw, pos)
        if end is None:
            break
        payloads.append(raw[pos + HEAD_BYTES : end])
        pos = end
    if pos < len(raw) and not _is_torn(raw, pos):
        raise JournalDamaged(f"the journal does not check out at byte {pos}")
    return Scan(payloads, pos, pos < len(raw))
