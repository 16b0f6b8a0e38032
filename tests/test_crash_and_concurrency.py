"""Short runs of ``benchmarks/crash.py`` and ``benchmarks/concurrency.py`` for ``make test``.

Real processes on real files: ten SIGKILLs at random moments while a child saves, then
two processes of four threads saving into one workbook. The invariants are the ones the
full benchmarks check (docs/reliability.md): nothing acknowledged is ever lost, no file
is torn, no save raises.
"""

from __future__ import annotations

import sys
from pathlib import Path

BENCHMARKS = Path(__file__).resolve().parent.parent / "benchmarks"
sys.path.insert(0, str(BENCHMARKS))

import concurrency  # noqa: E402
import crash  # noqa: E402

from workbook.models import CheckIn  # noqa: E402
from workbook.repository import Workbook  # noqa: E402


def test_ten_sigkills_lose_no_acknowledged_save(tmp_path: Path) -> None:
    totals = crash.run(10, max_delay=0.2, kills_per_file=3, seed=7, work=tmp_path)

    assert totals.problems == []
    assert totals.kills == 10
    assert totals.acked > 0, "the children must have saved something before the kills"
    assert (totals.lost, totals.torn, totals.recoveries, totals.open_errors) == (0, 0, 0, 0)
    assert totals.ok
    # Both kinds of workbook were killed: plain and encrypted.
    assert sorted(p.name.split("-")[0] for p in tmp_path.iterdir()) == [
        "encrypted",
        "encrypted",
        "plain",
        "plain",
    ]


def test_the_crash_check_notices_a_lost_save(tmp_path: Path) -> None:
    # The invariant can fail: a record acknowledged but missing is counted as lost.
    path = tmp_path / "wb" / "workbook.json"
    Workbook(path, backups=5).add(CheckIn, {"emotions": ["Sad"], "intensity": 1})
    store = crash.Store(path, None, acked={"never-saved"})
    totals = crash.Totals()
    crash.check(store, totals)
    assert totals.lost == 1
    assert not totals.ok


def test_the_crash_check_notices_a_torn_file(tmp_path: Path) -> None:
    path = tmp_path / "wb" / "workbook.json"
    record = Workbook(path, backups=5).add(CheckIn, {"emotions": ["Sad"], "intensity": 1})
    Workbook(path, backups=5).add(CheckIn, {"emotions": ["Calm"], "intensity": 2})
    path.write_bytes(path.read_bytes()[:-7])  # a half-written file, as a torn write leaves
    store = crash.Store(path, None, acked={record.id})
    totals = crash.Totals()
    crash.check(store, totals)
    assert (totals.torn, totals.recoveries) == (1, 1)
    assert not totals.ok


def test_the_crash_check_notices_a_damaged_journal(tmp_path: Path) -> None:
    path = tmp_path / "wb" / "workbook.json"
    wb = Workbook(path, backups=5)
    record = wb.add(CheckIn, {"emotions": ["Sad"], "intensity": 1})
    for n in range(3):
        wb.add(CheckIn, {"emotions": ["Calm"], "intensity": n})
    journal = path.with_name("workbook.json.journal")
    raw = bytearray(journal.read_bytes())
    raw[len(raw) // 2] ^= 0x01  # inside an entry with good ones after it: not a torn tail
    journal.write_bytes(bytes(raw))
    store = crash.Store(path, None, acked={record.id})
    totals = crash.Totals()
    crash.check(store, totals)
    assert (totals.torn, totals.recoveries, totals.torn_tails) == (1, 1, 0)
    assert not totals.ok


def test_the_crash_check_counts_a_torn_journal_tail_apart(tmp_path: Path) -> None:
    path = tmp_path / "wb" / "workbook.json"
    wb = Workbook(path, backups=5)
    record = wb.add(CheckIn, {"emotions": ["Sad"], "intensity": 1})
    wb.add(CheckIn, {"emotions": ["Calm"], "intensity": 2})
    journal = path.with_name("workbook.json.journal")
    journal.write_bytes(journal.read_bytes()[:-9])  # the last append cut short
    store = crash.Store(path, None, acked={record.id})
    totals = crash.Totals()
    crash.check(store, totals)
    assert (totals.torn, totals.recoveries, totals.lost, totals.torn_tails) == (0, 0, 0, 1)
    assert totals.ok


def test_two_processes_of_four_threads_lose_no_update(tmp_path: Path) -> None:
    result = concurrency.run_case(tmp_path, shared=True, processes=2, threads=4, saves=3)

    assert result.problems == []
    assert (result.lost, result.errors) == (0, 0)
    assert result.saved == result.present == result.expected == 2 * 4 * 3
    assert result.ok
