"""Benchmark: what hosting a workshop costs, as ratios measured in one run.

    python benchmarks/cohort.py [--runs N]

- a save (one Small win) into a participant's *encrypted* workbook, with the progress
  summary rewritten after it, against the same save into a plain personal workbook of the
  same size (the heavy workbook: about three years of use);
- reading every record back (a page's worth of reads after another process wrote)
  encrypted against plain;
- signing in (Argon2id check + key unwrap, the real RFC 9106 low-memory profile) against
  one plain save, to show where a sign-in's time goes.
Ratios, not seconds, so the figures mean the same on a slower or busier machine.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from workbook import config, content, demo  # noqa: E402
from workbook.cohort import Cohort, Host  # noqa: E402
from workbook.models import RECORD_TYPES, Win  # noqa: E402
from workbook.repository import Workbook  # noqa: E402


def median_time(run: Callable[[], object], n: int) -> float:
    times = []
    for _ in range(n):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    records = demo.generate(heavy=True)
    texts = content.load()
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp)
        plain = Workbook(config.workbook_path(base / "plain"))
        plain.add_many(records)

        cohort, _ = Cohort.create(
            config.cohort_dir(base / "hosted"), title="Bench", facilitator="Sam", password="x" * 12
        )
        code = cohort.invite(1)[0]
        start = time.perf_counter()
        joined = cohort.join(code, "Ana", "partpass123")
        join_s = time.perf_counter() - start
        host = Host(cohort.folder)
        hosted = host.workbook(joined.session, lambda: texts)
        hosted.add_many(records)

        def save(wb: Workbook) -> Callable[[], object]:
            return lambda: wb.add(Win, {"text": "A small step", "won_on": date(2026, 1, 5)})

        def read_all(wb: Workbook) -> Callable[[], object]:
            def run() -> None:
                wb.file._stamp = None  # as if another process had written: parse again
                wb._models.clear()
                for model in RECORD_TYPES:
                    wb.all(model)

            return run

        t_plain_save = median_time(save(plain), args.runs)
        t_hosted_save = median_time(save(hosted), args.runs)
        t_plain_read = median_time(read_all(plain), args.runs)
        t_hosted_read = median_time(read_all(hosted), args.runs)
        t_sign_in = median_time(lambda: cohort.sign_in("Ana", "partpass123"), 5)
        size = hosted.path.stat().st_size

    print(f"heavy workbook: {len(records):,} records, {size / 1e6:.1f} MB encrypted")
    print(
        f"save, encrypted + summary vs plain   {t_hosted_save / t_plain_save:6.2f}x"
        f"   ({t_plain_save * 1e3:.0f} ms plain)"
    )
    print(
        f"read everything, encrypted vs plain  {t_hosted_read / t_plain_read:6.2f}x"
        f"   ({t_plain_read * 1e3:.0f} ms plain)"
    )
    print(
        f"sign-in vs one plain save            {t_sign_in / t_plain_save:6.2f}x"
        f"   ({t_sign_in * 1e3:.0f} ms; joining took {join_s * 1e3:.0f} ms)"
    )
    print(f"(Argon2 profile: {os.environ.get('REBOUND_KDF') or 'default (RFC 9106 low memory)'})")


if __name__ == "__main__":
    main()
