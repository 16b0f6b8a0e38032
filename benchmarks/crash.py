"""Benchmark: crash safety. Kill a saving process with SIGKILL at random moments.

    python benchmarks/crash.py [--kills N] [--max-delay S] [--kills-per-file K] [--seed X]

A child process (forked from this one, or with ``--spawn`` a fresh interpreter running
this file with ``--child``) opens a workbook and saves check-ins in
a loop, printing ``ack <id> <seq>`` on stdout after each ``add`` has returned. The parent
waits until the child has opened the workbook, sleeps a random 0..``--max-delay`` seconds
and kills it with SIGKILL, wherever it is: mid-write, mid-fsync, mid-rename or between
saves. Then it checks the file on disk:

- torn: the workbook file itself no longer decodes and parses, or its journal holds a bad
  entry followed by good ones (before anything repairs it). An append the kill cut short
  (a torn *tail* of the journal: never acknowledged, ignored on open) is counted apart;
- a fresh ``Workbook`` must open it without an exception ("recoveries" counts the
  damaged-file notices it raised: the file had to be set aside and a backup restored);
- lost: acknowledged records that the fresh workbook does not hold.

Kills alternate between a plain and an encrypted (``FileCipher``) workbook; each file takes
``--kills-per-file`` kills (so it keeps growing across restarts) before a fresh one begins.
Exit status is 1 if any acknowledged save was lost, any file was torn, any open failed, or
any recovery was needed.
"""

from __future__ import annotations

import argparse
import os
import random
import select
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import traceback
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = Path(__file__).resolve()
KEY_ENV = "REBOUND_CRASH_KEY"  # hex data key of the encrypted workbook (child only)
CONTEXT = "participant:crash-benchmark"
READY = "ready"


# -- the child -------------------------------------------------------------------------------
def child(path: Path) -> None:
    """Open the workbook at ``path`` and save check-ins until killed, acking each one."""
    sys.path.insert(0, str(ROOT))
    # Only what a save needs: the child is started hundreds of times.
    from workbook.models import CheckIn
    from workbook.repository import Workbook

    codec = None
    key = os.environ.get(KEY_ENV)
    if key:
        from workbook.crypto import FileCipher

        codec = FileCipher(bytes.fromhex(key), CONTEXT)
    wb = Workbook(path, backups=5, codec=codec)
    out = sys.stdout
    out.write(READY + "\n")
    out.flush()
    seq = 0
    while True:
        seq += 1
        entry = {"emotions": ["Sad"], "intensity": seq % 11, "journal": f"Save number {seq}."}
        record = wb.add(CheckIn, entry)
        # One write call per line: a pipe write this small is atomic, so a kill never
        # leaves half an acknowledgement behind.
        out.write(f"ack {record.id} {seq}\n")
        out.flush()


# -- the parent ------------------------------------------------------------------------------
@dataclass
class Totals:
    kills: int = 0
    acked: int = 0
    lost: int = 0
    torn: int = 0
    recoveries: int = 0
    open_errors: int = 0
    unacked_saved: int = 0  # the save in flight at the kill made it to disk anyway
    leftover_temp: int = 0  # kills that left a temp file behind (killed mid-write)
    torn_tails: int = 0  # kills that left half a journal entry behind (killed mid-append)
    save_seconds: float = 0.0  # child time from "ready" to the kill
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not (self.lost or self.torn or self.recoveries or self.open_errors)


@dataclass
class Store:
    """One workbook file under test and what has been acknowledged into it."""

    path: Path
    key: bytes | None
    acked: set[str] = field(default_factory=set)
    kills: int = 0

    def codec(self):
        if self.key is None:
            return None
        from workbook.crypto import FileCipher

        return FileCipher(self.key, CONTEXT)


def _start_spawned(store: Store) -> tuple[subprocess.Popen[bytes], int]:
    env = dict(os.environ)
    env.pop(KEY_ENV, None)
    if store.key is not None:
        env[KEY_ENV] = store.key.hex()
    proc = subprocess.Popen(
        [sys.executable, str(SCRIPT), "--child", str(store.path)],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        env=env,
    )
    assert proc.stdout is not None
    return proc, proc.stdout.fileno()


def _start_forked(store: Store) -> tuple[int, int]:
    read_fd, write_fd = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: never returns into the caller (or pytest)
        status = 70
        try:
            os.close(read_fd)
            os.dup2(write_fd, 1)
            sys.stdout = os.fdopen(1, "w", buffering=1, closefd=False)
            if store.key is not None:
                os.environ[KEY_ENV] = store.key.hex()
            else:
                os.environ.pop(KEY_ENV, None)
            child(store.path)
        except BaseException:
            traceback.print_exc()  # the parent then reports a child that did not start
        finally:
            os._exit(status)
    os.close(write_fd)
    return pid, read_fd


def _read_until(fd: int, buffer: bytearray, deadline: float, stop: bytes | None) -> bool:
    """Read from ``fd`` into ``buffer`` until ``stop`` appears, the deadline or EOF."""
    while True:
        if stop is not None and stop in buffer:
            return True
        left = deadline - time.perf_counter()
        if left <= 0:
            return False
        ready, _, _ = select.select([fd], [], [], left)
        if ready:
            chunk = os.read(fd, 65536)
            if not chunk:
                return False  # EOF
            buffer += chunk


def kill_once(
    store: Store, delay: float, totals: Totals, *, spawn: bool = False, start_timeout: float = 60.0
) -> None:
    """Start a child on ``store``, SIGKILL it ``delay`` s after it is ready, then check.

    The child is a separate process either way: forked from this one (cheap: the workbook
    modules are already imported), or with ``spawn`` a fresh interpreter running this file.
    """
    proc: subprocess.Popen[bytes] | None = None
    if spawn:
        proc, fd = _start_spawned(store)
        pid = proc.pid
    else:
        pid, fd = _start_forked(store)
    buffer = bytearray()
    began = time.perf_counter()
    if not _read_until(fd, buffer, began + start_timeout, (READY + "\n").encode()):
        os.kill(pid, signal.SIGKILL)
        _reap(pid, proc)
        os.close(fd) if proc is None else proc.stdout.close()  # type: ignore[union-attr]
        totals.open_errors += 1
        totals.problems.append(f"child did not open the workbook: {bytes(buffer[-500:])!r}")
        return
    started = time.perf_counter()
    _read_until(fd, buffer, started + delay, None)  # keep draining the pipe while it saves
    os.kill(pid, signal.SIGKILL)
    code = _reap(pid, proc)
    totals.save_seconds += time.perf_counter() - started
    _read_until(fd, buffer, time.perf_counter() + 10, None)  # the rest, up to EOF
    os.close(fd) if proc is None else proc.stdout.close()  # type: ignore[union-attr]
    if code != -signal.SIGKILL:
        totals.open_errors += 1
        totals.problems.append(f"child ended on its own (status {code})")
    totals.kills += 1
    # Only whole lines count: a line is one write, and pipe writes this small are atomic.
    for line in bytes(buffer).decode().split("\n")[:-1]:
        if line.startswith("ack "):
            store.acked.add(line.split()[1])
            totals.acked += 1
    check(store, totals)


def _reap(pid: int, proc: subprocess.Popen[bytes] | None) -> int:
    if proc is not None:
        return proc.wait()
    _, status = os.waitpid(pid, 0)
    return -os.WTERMSIG(status) if os.WIFSIGNALED(status) else os.WEXITSTATUS(status)


def check(store: Store, totals: Totals) -> None:
    """The invariants after a kill: file not torn, opens cleanly, every ack present."""
    from workbook import storage
    from workbook.models import CheckIn
    from workbook.repository import Workbook

    folder = store.path.parent
    if any(folder.glob(f".{store.path.name}.*.tmp")):
        totals.leftover_temp += 1
    codec = store.codec() or storage.PlainCodec()
    try:
        storage.parse(codec.decode(store.path.read_bytes()))
    except Exception as exc:
        totals.torn += 1
        totals.problems.append(f"torn file after kill {totals.kills}: {exc!r}")
    _check_journal(store, totals)
    try:
        wb = Workbook(store.path, backups=5, codec=store.codec())
        present = {record.id for record in wb.all(CheckIn)}
    except Exception as exc:
        totals.open_errors += 1
        totals.problems.append(f"open failed after kill {totals.kills}: {exc!r}")
        return
    if wb.notices:
        totals.recoveries += len(wb.notices)
        totals.problems.extend(
            f"recovery after kill {totals.kills}: {n.message}" for n in wb.notices
        )
    missing = store.acked - present
    if missing:
        totals.lost += len(missing)
        totals.problems.append(f"lost after kill {totals.kills}: {sorted(missing)[:5]}")
    totals.unacked_saved += len(present - store.acked)
    store.acked |= present  # a record on disk now must stay on disk after later kills


def _check_journal(store: Store, totals: Totals) -> None:
    from workbook import journal, storage

    try:
        raw = storage.journal_path(store.path).read_bytes()
    except FileNotFoundError:
        return
    try:
        totals.torn_tails += journal.scan(raw).torn
    except journal.JournalDamaged as exc:
        totals.torn += 1
        totals.problems.append(f"damaged journal after kill {totals.kills}: {exc!r}")


def run(
    kills: int,
    *,
    max_delay: float = 0.25,
    kills_per_file: int = 20,
    encrypted: bool = True,
    seed: int | None = None,
    work: Path | None = None,
    spawn: bool = False,
) -> Totals:
    """Run ``kills`` kill-and-check rounds; the figures are in the returned totals."""
    rng = random.Random(seed)
    if not spawn:
        # Import once here, so every forked child starts with it loaded.
        sys.path.insert(0, str(ROOT))
        import workbook.crypto
        import workbook.repository  # noqa: F401
    work = work or Path(tempfile.mkdtemp(prefix="rebound-crash-"))
    totals = Totals()
    stores: dict[bool, Store] = {}
    for n in range(kills):
        secret = encrypted and n % 2 == 1
        store = stores.get(secret)
        if store is None or store.kills >= kills_per_file:
            key = os.urandom(32) if secret else None
            folder = work / f"{'encrypted' if secret else 'plain'}-{n:04d}"
            store = stores[secret] = Store(folder / "workbook.json", key)
        store.kills += 1
        kill_once(store, rng.uniform(0.0, max_delay), totals, spawn=spawn)
    return totals


def report(totals: Totals, seconds: float) -> str:
    rate = totals.acked / totals.save_seconds if totals.save_seconds else 0.0
    return "\n".join(
        [
            f"kills:                 {totals.kills}",
            f"acknowledged saves:    {totals.acked}",
            f"lost (must be 0):      {totals.lost}",
            f"torn files (must be 0): {totals.torn}",
            f"recoveries (0):        {totals.recoveries}",
            f"open errors (0):       {totals.open_errors}",
            f"killed mid-write (temp file left, removed on open): {totals.leftover_temp}",
            f"killed mid-append (torn journal tail, ignored): {totals.torn_tails}",
            f"in-flight save on disk though unacknowledged: {totals.unacked_saved}",
            f"throughput while saving: {rate:,.0f} acknowledged saves/s",
            f"wall time: {seconds:.1f} s",
        ]
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kills", type=int, default=200, help="SIGKILLs (default 200)")
    parser.add_argument("--max-delay", type=float, default=0.25, help="seconds (default 0.25)")
    parser.add_argument("--kills-per-file", type=int, default=20, help="(default 20)")
    parser.add_argument("--plain-only", action="store_true", help="no encrypted workbook")
    parser.add_argument("--seed", type=int, default=None)
    parser.add_argument(
        "--spawn", action="store_true", help="a fresh interpreter per kill instead of a fork"
    )
    parser.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child)
        return 0
    sys.path.insert(0, str(ROOT))
    start = time.perf_counter()
    work = Path(tempfile.mkdtemp(prefix="rebound-crash-"))
    totals = run(
        args.kills,
        max_delay=args.max_delay,
        kills_per_file=args.kills_per_file,
        encrypted=not args.plain_only,
        seed=args.seed,
        work=work,
        spawn=args.spawn,
    )
    print(report(totals, time.perf_counter() - start))
    for problem in totals.problems[:20]:
        print("PROBLEM:", problem)
    if totals.ok:
        shutil.rmtree(work, ignore_errors=True)
    else:
        print(f"Files kept for inspection in {work}")
    return 0 if totals.ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
