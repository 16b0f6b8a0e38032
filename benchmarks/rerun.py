"""Benchmark: page reruns and saves on the heavy workbook, as ratios measured in one run.

    python benchmarks/rerun.py [--runs N]

- Page ratio: the median AppTest rerun time of each page on the heavy workbook, divided by
  the median rerun time of a one-line Streamlit script measured in the same run.
  Target: every page <= 10x.
- Save ratio: the median time to save one check-in through the repository on the heavy
  workbook, divided by the median time of a plain TinyDB insert (default JSONStorage) into
  a copy of the same file. Target: <= 3x.

Ratios, not seconds, so the figures mean the same on a slower or busier machine.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PAGE_TARGET = 10.0
SAVE_TARGET = 3.0


def median_time(action: Callable[[], object], runs: int, warmup: int = 2) -> float:
    for _ in range(warmup):
        action()
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15, help="reruns per page (default 15)")
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="rebound-bench-"))
    os.environ["REBOUND_DATA_DIR"] = str(work / "data")

    from streamlit.testing.v1 import AppTest
    from tinydb import TinyDB

    from workbook import config, demo
    from workbook.models import CheckIn
    from workbook.navigation import PAGES
    from workbook.repository import Workbook

    path = config.workbook_path()
    Workbook(path).add_many(demo.generate(heavy=True))
    size_kb = path.stat().st_size / 1024

    baseline_script = work / "one_line.py"
    baseline_script.write_text("import streamlit as st\nst.write('hello')\n")
    baseline = AppTest.from_file(str(baseline_script), default_timeout=60)
    base = median_time(baseline.run, args.runs)

    print(
        f"Heavy workbook: {size_kb:,.0f} KB. One-line script rerun: {base * 1000:.1f} ms "
        f"(median of {args.runs}).\n"
    )
    print(f"{'page':<28}{'median ms':>10}{'ratio':>8}  target <= {PAGE_TARGET:.0f}x")
    worst = 0.0
    for spec in PAGES.values():
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
        at.run()
        at.switch_page(spec.file)
        at.run()
        if at.exception:
            print(f"{spec.title}: exception {at.exception[0].value}")
            return 1
        page = median_time(at.run, args.runs)
        ratio = page / base
        worst = max(worst, ratio)
        flag = "" if ratio <= PAGE_TARGET else "  OVER"
        print(f"{spec.title:<28}{page * 1000:>10.1f}{ratio:>7.1f}x{flag}")

    wb = Workbook(path)
    entry = {"emotions": ["Sad"], "intensity": 4, "journal": "A short note."}
    ours = median_time(lambda: wb.add(CheckIn, entry), args.runs)

    plain_path = work / "plain.json"
    shutil.copy2(path, plain_path)
    plain = TinyDB(plain_path)
    doc = CheckIn(**entry, felt_at=datetime.now(UTC)).model_dump(mode="json")
    # A table of its own: plain TinyDB numbers documents, Rebound keys them by id.
    theirs = median_time(lambda: plain.table("plain_checkins").insert(dict(doc)), args.runs)
    plain.close()
    save_ratio = ours / theirs
    print(
        f"\nSave one check-in: Rebound {ours * 1000:.1f} ms, plain TinyDB insert "
        f"{theirs * 1000:.1f} ms -> {save_ratio:.2f}x (target <= {SAVE_TARGET:.0f}x)"
    )
    print(f"Worst page ratio: {worst:.1f}x")
    shutil.rmtree(work, ignore_errors=True)
    return 0 if worst <= PAGE_TARGET and save_ratio <= SAVE_TARGET else 1


if __name__ == "__main__":
    raise SystemExit(main())
