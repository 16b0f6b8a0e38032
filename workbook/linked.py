"""Records linked to a rejection: counting and deleting them together."""

from __future__ import annotations

from workbook.models import RECORD_TYPES, Rejection
from workbook.repository import Workbook

LINKED_TYPES = [m for m in RECORD_TYPES if "rejection_id" in m.model_fields]


def count_linked(wb: Workbook, rejection_id: str) -> int:
    return sum(
        1
        for model in LINKED_TYPES
        for r in wb.all(model)
        if getattr(r, "rejection_id", None) == rejection_id
    )


def delete_rejection(wb: Workbook, rejection_id: str) -> int:
    """Delete a rejection and every entry linked to it; return how many linked entries went."""
    with wb.file.locked():
        removed = sum(
            wb.delete_where(model, lambda r: getattr(r, "rejection_id", None) == rejection_id)
            for model in LINKED_TYPES
        )
        wb.delete(Rejection, rejection_id)
    return removed
