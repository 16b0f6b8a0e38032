"""Programs that ``tests/test_storage.py`` runs in child processes.

This file is run as a script (``python storage_helpers.py MODE ...``), never collected by
pytest, so that the children are real, separate Python processes working on real files.

Modes:

``crash PATH``
    Open the workbook without its journal (so saves are full rewrites), save one record,
    print it as JSON on stdout, then make every rename kill the process with exit code 9
    and try to save a second record.

``worker PATH TAG RECORDS INCREMENTS READY_FILE GO_FILE``
    Open the workbook, create READY_FILE, wait for GO_FILE, then interleave RECORDS
    ``add`` calls with INCREMENTS read-modify-write increments of the ``counter``
    setting under ``wb.file.locked()``, and set SEEN_KEYS settings of its own without an
    outer lock. Print a JSON summary on stdout.
"""

from __future__ import annotations

import json
import os
import pathlib
import sys
import time
from pathlib import Path

from workbook.models import Rejection
from workbook.repository import Workbook

REJECTED_AT = "2024-03-01T12:00:00+00:00"
COUNTER = "counter"
SEEN_KEYS = 20


def rejection(company: str, role: str = "Engineer") -> dict[str, str]:
    return {"company": company, "role": role, "rejected_at": REJECTED_AT, "stage": "technical"}


def crash(path: Path) -> None:
    # Journal off: every save is a full rewrite, which is the rename this crash is about.
    wb = Workbook(path, backups=5, journal=False)
    first = wb.add(Rejection, rejection("First Co"))
    sys.stdout.write(first.model_dump_json() + "\n")
    sys.stdout.flush()

    def die(*_args: object, **_kwargs: object) -> None:
        os._exit(9)

    os.replace = die  # type: ignore[assignment]
    pathlib.Path.replace = die  # type: ignore[assignment, method-assign]
    wb.add(Rejection, rejection("Second Co"))
    # Only reached if the save did not go through a rename at all.
    sys.exit(3)


def worker(path: Path, tag: str, records: int, increments: int, ready: Path, go: Path) -> None:
    wb = Workbook(path, backups=5)
    ready.touch()
    deadline = time.monotonic() + 15
    while not go.exists():
        if time.monotonic() > deadline:
            sys.exit(4)
        time.sleep(0.002)
    added: list[str] = []
    for i in range(max(records, increments)):
        if i < records:
            added.append(wb.add(Rejection, rejection(f"{tag}-{i:03d}")).id)
        if i < SEEN_KEYS:
            # No outer lock here: set_setting must hold the file lock on its own.
            wb.set_setting(f"seen-{tag}-{i:03d}", i)
        if i < increments:
            with wb.file.locked():
                value = wb.setting(COUNTER, 0)
                wb.set_setting(COUNTER, value + 1)
    sys.stdout.write(json.dumps({"tag": tag, "ids": added}) + "\n")


def main(argv: list[str]) -> None:
    mode, *args = argv
    if mode == "crash":
        crash(Path(args[0]))
    elif mode == "worker":
        path, tag, records, increments, ready, go = args
        worker(Path(path), tag, int(records), int(increments), Path(ready), Path(go))
    else:
        raise SystemExit(f"unknown mode {mode!r}")


if __name__ == "__main__":
    main(sys.argv[1:])
