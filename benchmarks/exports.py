"""Benchmark: every export format on the heavy workbook, as ratios measured in one run.

    python benchmarks/exports.py [--runs N] [--pdf-runs N]

For each format of ``exports.FORMATS``: the median time of ``exports.make`` on a snapshot
of the heavy workbook, divided by the median time of the plainest serialisation of the
same records measured in the same run: ``json.dumps`` of every record's
``model_dump(mode="json")`` (both steps timed, as an export has to do both). The PDF is
slow, so it is built fewer times, and its seconds per page are shown too.
A format whose module is not written yet is reported as "not available yet".
Ratios, not seconds, so the figures mean the same on a slower or busier machine.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from rerun import median_time  # noqa: E402

PACKAGE = "workbook.exports"
EXPORTS_DIR = ROOT / "workbook" / "exports"
# "/Type /Page" opens a page object; "/Type /Pages" is the page tree, not a page.
_PAGE = re.compile(rb"/Type\s*/Page(?![a-zA-Z])")


PDF_TARGET_S = 20.0  # the heavy workbook's full PDF with charts (issue #6)


def pdf_pages(data: bytes) -> int:
    """Pages in a PDF: with pypdf if installed, else by counting page objects."""
    try:
        from pypdf import PdfReader
    except ImportError:
        return len(_PAGE.findall(data))
    import io

    return len(PdfReader(io.BytesIO(data)).pages)


def _missing_module(exc: ImportError) -> str | None:
    """The export module that does not exist yet, if that is what ``exc`` is about."""
    if isinstance(exc, ModuleNotFoundError) and (exc.name or "").startswith(PACKAGE + "."):
        return exc.name
    # "from workbook.exports import pdf" with no pdf.py: a plain ImportError on the package.
    found = re.search(r"cannot import name '(\w+)' from '" + re.escape(PACKAGE) + "'", str(exc))
    if found and not (EXPORTS_DIR / f"{found.group(1)}.py").exists():
        return f"{PACKAGE}.{found.group(1)}"
    return None


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15, help="builds per format (default 15)")
    parser.add_argument("--pdf-runs", type=int, default=2, help="PDF builds (default 2)")
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="rebound-exports-"))
    os.environ["REBOUND_DATA_DIR"] = str(work / "data")

    from workbook import config, content, demo, exports, timefmt
    from workbook.repository import Workbook

    wb = Workbook(config.workbook_path())
    wb.add_many(demo.generate(heavy=True))
    snap = exports.snapshot_of(wb)
    records = [r for rows in snap.records.values() for r in rows]
    texts = content.load()
    zone = timefmt.zone("Europe/Berlin")
    opts = exports.Options(now=datetime.now(UTC))

    def plain() -> bytes:
        return json.dumps([r.model_dump(mode="json") for r in records]).encode("utf-8")

    base = median_time(plain, args.runs)
    print(
        f"Heavy workbook: {len(records):,} records. Plain JSON dump: {base * 1000:.1f} ms, "
        f"{len(plain()) / 1024:,.0f} KB (median of {args.runs}).\n"
    )
    print(f"{'format':<8}{'median ms':>11}{'ratio':>9}{'size KB':>10}  notes")
    failed = False
    for key in exports.FORMATS:
        runs = args.pdf_runs if key == "pdf" else args.runs

        def build(key: str = key) -> bytes:
            return exports.make(key, snap, texts, zone, opts)

        try:
            start = time.perf_counter()
            data = build()  # the first build also warms up (imports, fonts, caches)
            first = time.perf_counter() - start
        except ImportError as exc:
            missing = _missing_module(exc)
            if missing is None:
                raise
            print(f"{key:<8}{'':>11}{'':>9}{'':>10}  not available yet ({missing} is not written)")
            continue
        except Exception as exc:  # report and go on: one broken format should not hide the rest
            print(f"{key:<8}{'':>11}{'':>9}{'':>10}  FAILED: {type(exc).__name__}: {exc}")
            failed = True
            continue
        warmup = 0 if key == "pdf" else 2
        t = median_time(build, runs, warmup=warmup)
        notes = f"median of {runs}"
        if key == "pdf":
            pages = pdf_pages(data)
            per_page = t / pages if pages else float("nan")
            notes = f"median of {runs}, first {first:.1f} s; {pages} pages, {per_page:.3f} s/page"
            slowest = max(first, t)
            verdict = "within" if slowest < PDF_TARGET_S else "OVER"
            notes += f"; target < {PDF_TARGET_S:.0f} s: {verdict}"
        print(f"{key:<8}{t * 1000:>11.1f}{t / base:>8.1f}x{len(data) / 1024:>10,.0f}  {notes}")
    shutil.rmtree(work, ignore_errors=True)
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
