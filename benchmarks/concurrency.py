"""Benchmark: many processes and threads saving at once, with no lost update.

    python benchmarks/concurrency.py [--processes P] [--threads T] [--saves N]

P separate processes (default 4), each with T threads (default 8) sharing one ``Workbook``
object the way the app's browser tabs do, each thread saving N check-ins (default 25):

- shared: every process saves into ONE workbook file (the file lock serialises them);
- separate: each process saves into its own workbook file.

Every process waits at a start line (a "go" file) so that they really save at the same
time. Afterwards a fresh ``Workbook`` opens each file and counts: every acknowledged
record must be there (lost updates: 0) and no save may have raised (errors: 0). The
throughput is the number of saves divided by the time from the first save starting to
the last one returning, measured in this run. Exit status 1 on any loss or error.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = Path(__file__).resolve()


# -- the child -------------------------------------------------------------------------------
def child(path: Path, tag: str, threads: int, saves: int, ready: Path, go: Path) -> None:
    """Save ``threads`` x ``saves`` check-ins into ``path``; print a JSON summary."""
    sys.path.insert(0, str(ROOT))
    from workbook.models import CheckIn
    from workbook.repository import Workbook

    wb = Workbook(path, backups=5)
    ids: list[str] = []
    errors: list[str] = []
    guard = threading.Lock()

    def work(n: int) -> None:
        for i in range(saves):
            entry = {"emotions": ["Calm"], "intensity": i % 11, "journal": f"{tag}-{n}-{i}"}
            try:
                record = wb.add(CheckIn, entry)
            except Exception as exc:
                with guard:
                    errors.append(f"{type(exc).__name__}: {exc}")
                continue
            with guard:
                ids.append(record.id)

    workers = [threading.Thread(target=work, args=(n,)) for n in range(threads)]
    ready.touch()
    deadline = time.monotonic() + 120
    while not go.exists():
        if time.monotonic() > deadline:
            sys.exit(4)
        time.sleep(0.001)
    start = time.time()
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    end = time.time()
    print(json.dumps({"tag": tag, "ids": ids, "errors": errors, "start": start, "end": end}))


# -- the parent ------------------------------------------------------------------------------
@dataclass
class Result:
    case: str
    expected: int = 0
    saved: int = 0  # acknowledged by the children
    present: int = 0  # found afterwards by a fresh Workbook
    lost: int = 0
    errors: int = 0
    seconds: float = 0.0
    problems: list[str] = field(default_factory=list)

    @property
    def rate(self) -> float:
        return self.saved / self.seconds if self.seconds else 0.0

    @property
    def ok(self) -> bool:
        return not (self.lost or self.errors) and self.present == self.expected


def run_case(
    work: Path, *, shared: bool, processes: int = 4, threads: int = 8, saves: int = 25
) -> Result:
    """Run one case in ``work`` and count what reached the files."""
    sys.path.insert(0, str(ROOT))
    from workbook.models import CheckIn
    from workbook.repository import Workbook

    case = "shared" if shared else "separate"
    result = Result(case, expected=processes * threads * saves)
    folder = work / case
    folder.mkdir(parents=True)
    go = folder / "go"
    paths = [folder / ("one" if shared else f"p{p}") / "workbook.json" for p in range(processes)]
    readies = [folder / f"ready-{p}" for p in range(processes)]
    children = [
        subprocess.Popen(
            [
                sys.executable,
                str(SCRIPT),
                "--child",
                str(paths[p]),
                f"p{p}",
                str(threads),
                str(saves),
                str(readies[p]),
                str(go),
            ],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for p in range(processes)
    ]
    try:
        deadline = time.monotonic() + 120
        while not all(r.exists() for r in readies):
            if time.monotonic() > deadline or any(c.poll() is not None for c in children):
                raise RuntimeError("a child did not reach the start line")
            time.sleep(0.005)
        go.touch()
        outputs = [c.communicate(timeout=600) for c in children]
    finally:
        for c in children:
            if c.poll() is None:
                c.kill()
                c.wait()
    acked: dict[Path, set[str]] = {}
    starts, ends = [], []
    for p, (child_proc, (out, err)) in enumerate(zip(children, outputs, strict=True)):
        if child_proc.returncode != 0:
            result.errors += 1
            result.problems.append(f"process p{p} exited {child_proc.returncode}: {err[-2000:]}")
            continue
        summary = json.loads(out.strip().splitlines()[-1])
        result.errors += len(summary["errors"])
        result.problems.extend(summary["errors"][:5])
        result.saved += len(summary["ids"])
        acked.setdefault(paths[p], set()).update(summary["ids"])
        starts.append(summary["start"])
        ends.append(summary["end"])
    if starts:
        result.seconds = max(ends) - min(starts)
    for path, ids in acked.items():
        present = {r.id for r in Workbook(path, backups=5).all(CheckIn)}
        result.present += len(present)
        missing = ids - present
        result.lost += len(missing)
        if missing:
            result.problems.append(f"{len(missing)} acknowledged saves missing from {path}")
    return result


def report(result: Result) -> str:
    return (
        f"{result.case:<9} saves {result.saved:>5}/{result.expected:<5} present "
        f"{result.present:>5}  lost {result.lost}  errors {result.errors}  "
        f"{result.seconds:6.2f} s  {result.rate:7.1f} saves/s"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--processes", type=int, default=4, help="(default 4)")
    parser.add_argument("--threads", type=int, default=8, help="per process (default 8)")
    parser.add_argument("--saves", type=int, default=25, help="per thread (default 25)")
    parser.add_argument("--child", nargs=6, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        path, tag, threads, saves, ready, go = args.child
        child(Path(path), tag, int(threads), int(saves), Path(ready), Path(go))
        return 0
    work = Path(tempfile.mkdtemp(prefix="rebound-concurrency-"))
    print(
        f"{args.processes} processes x {args.threads} threads x {args.saves} saves "
        f"= {args.processes * args.threads * args.saves} saves per case\n"
    )
    results = []
    for shared in (True, False):
        result = run_case(
            work,
            shared=shared,
            processes=args.processes,
            threads=args.threads,
            saves=args.saves,
        )
        results.append(result)
        print(report(result))
        for problem in result.problems[:10]:
            print("  PROBLEM:", problem)
    ok = all(r.ok for r in results)
    if ok:
        shutil.rmtree(work, ignore_errors=True)
    else:
        print(f"Files kept for inspection in {work}")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
