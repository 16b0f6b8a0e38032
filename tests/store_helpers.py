"""What the storage test modules share: record builders, file globs, codec types.

``test_storage``, ``test_cohort_storage`` and ``test_storage_journal`` all build the same
rejection and list companies the same way; the latter two also run every test over the plain
codec and a ``FileCipher`` through the ``kind`` and ``make_codec`` fixtures in ``conftest``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from workbook.crypto import FileCipher
from workbook.models import Rejection
from workbook.repository import Workbook
from workbook.storage import PlainCodec

REJECTED_AT = "2024-03-01T12:00:00+00:00"
TMP_GLOB = ".workbook.json.*.tmp"
DAMAGED_GLOB = "workbook.damaged-*.json"
MARKER = "quiet harbour lantern"
CONTEXT = "participant:" + "c" * 32

Codec = PlainCodec | FileCipher
MakeCodec = Callable[[], Codec]


def rejection(company: str, **extra: Any) -> dict[str, Any]:
    return {
        "company": company,
        "role": "Engineer",
        "rejected_at": REJECTED_AT,
        "stage": "technical",
    } | extra


def companies(wb: Workbook) -> list[str]:
    return [r.company for r in wb.all(Rejection)]
