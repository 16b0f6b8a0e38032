"""Benchmark: how a personal workbook's size changes save latency and page times.

    python benchmarks/size.py [--scales 1 10 30] [--saves 5]

For each scale S the heavy demo workbook (``demo.generate(heavy=True)``, ~3,700 records,
about three years of use) is written S times over (copies get new ids; the one-per-workbook
plans are kept once; references in copies point at the first copy's records, which exist),
with ``Workbook.add_many``. Then:

- file size on disk;
- ``Workbook.add`` of one Small win through a freshly opened ``Workbook``: the first (cold)
  and the median of ``--saves`` more (warm). Each is one journal entry appended and fsynced;
- "fold": ``WorkbookFile.fold()``, the full atomic rewrite the journal gets once it holds
  500 entries (or a quarter of the main file), i.e. what one save in ~500 pays on top;
- the first run of app.py (Home) in a fresh state, which parses the workbook file (what
  the first visit after a server start, or after another process wrote, pays);
- a page's time, with Streamlit's AppTest running app.py in personal mode on that folder:
  Home and Small wins, opened after a first run (so the file is already parsed): the
  first and a second run of that page (what a person waits for on a click). AppTest adds
  little over a real server run; no browser rendering or network.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ["REBOUND_MODE"] = "personal"

from workbook import config, demo  # noqa: E402
from workbook.models import (  # noqa: E402
    MaterialsChecklist,
    PathPlan,
    PersistencePlan,
    Win,
    new_id,
)
from workbook.repository import Workbook  # noqa: E402

SINGLETONS = (MaterialsChecklist, PathPlan, PersistencePlan)
PAGES = {"Home": "pages/start/home.py", "Small wins": "pages/phase3/wins.py"}


def build(folder: Path, scale: int) -> tuple[int, float]:
    base = demo.generate(heavy=True)
    wb = Workbook(config.workbook_path(folder))
    start = time.perf_counter()
    records = list(base)
    for _ in range(scale - 1):
        records += [
            r.model_copy(update={"id": new_id()}) for r in base if not isinstance(r, SINGLETONS)
        ]
    wb.add_many(records)
    wb.file.close() if hasattr(wb.file, "close") else None
    return len(records), time.perf_counter() - start


def time_saves(folder: Path, n: int) -> tuple[float, float, float]:
    wb = Workbook(config.workbook_path(folder))  # a fresh object: nothing cached yet

    def one() -> float:
        t = time.perf_counter()
        wb.add(Win, {"text": "A small step", "won_on": date.today()})
        return time.perf_counter() - t

    cold = one()
    warm = statistics.median(one() for _ in range(n))
    t = time.perf_counter()
    wb.file.fold()
    return cold, warm, time.perf_counter() - t


def time_first_run() -> float:
    """The first run of app.py (Home) in a fresh process state: the workbook is parsed."""
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=600)
    t = time.perf_counter()
    at.run()
    return time.perf_counter() - t


def time_page(page: str) -> tuple[float, float]:
    from streamlit.testing.v1 import AppTest

    times = []
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=600)
    at.run()
    for _ in range(2):
        if page != "pages/start/home.py":
            at.switch_page(page)
        t = time.perf_counter()
        at.run()
        times.append(time.perf_counter() - t)
        if at.exception:
            raise SystemExit(f"{page}: {[e.value for e in at.exception]}")
    return times[0], times[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scales", type=int, nargs="+", default=[1, 10, 30])
    parser.add_argument("--saves", type=int, default=5)
    args = parser.parse_args()
    rows = []
    for scale in args.scales:
        with tempfile.TemporaryDirectory(prefix="rebound-size-") as tmp:
            folder = Path(tmp)
            os.environ["REBOUND_DATA_DIR"] = str(folder)
            n, build_s = build(folder, scale)
            size_mb = config.workbook_path(folder).stat().st_size / 1e6
            cold, warm, fold = time_saves(folder, args.saves)
            first = time_first_run()
            pages = {name: time_page(f) for name, f in PAGES.items()}
            row = (scale, n, size_mb, build_s, cold, warm, fold, first, pages)
            rows.append(row)
            print(
                f"{scale}x: {n} records, {size_mb:.1f} MB, built in {build_s:.1f} s, "
                f"save cold {cold:.3f} s warm {warm:.3f} s, fold {fold:.3f} s, "
                f"first run {first:.2f} s, "
                + ", ".join(f"{k} {c:.2f}/{w:.2f} s" for k, (c, w) in pages.items()),
                flush=True,
            )
    print()
    head = "| scale | records | file MB | save (cold) | save (warm, median) | fold | first run |"
    head += "".join(f" {k} 1st | {k} 2nd |" for k in PAGES)
    print(head)
    print("|" + "---|" * (7 + 2 * len(PAGES)))
    for scale, n, size_mb, _, cold, warm, fold, first, pages in rows:
        line = f"| {scale}x | {n:,} | {size_mb:.1f} | {cold:.3f} s | {warm:.3f} s | {fold:.3f} s |"
        line += f" {first:.2f} s |"
        line += "".join(f" {c:.2f} s | {w:.2f} s |" for c, w in pages.values())
        print(line)


if __name__ == "__main__":
    main()
