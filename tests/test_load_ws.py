"""A short run of ``benchmarks/load_ws.py``: 2 participants x 2 wins over the websocket.

A real server (``python -m workbook.ui.serve``) on a free port and a temporary workshop
folder, and the protocol client the load test uses; no mocks. Every save must be
confirmed by the page and found in its owner's encrypted workbook, and in no other.
"""

from __future__ import annotations

import sys
from pathlib import Path

BENCHMARKS = Path(__file__).resolve().parent.parent / "benchmarks"
sys.path.insert(0, str(BENCHMARKS))

import load  # noqa: E402
import load_ws  # noqa: E402


def test_two_participants_save_over_the_websocket(tmp_path: Path) -> None:
    # conftest.py sets REBOUND_KDF=test: cheap Argon2 here and in the server it starts.
    data = tmp_path / "data"
    people = load.prepare(data, 2)
    proc, url = load.start_server(data, tmp_path / "server.log")
    try:
        opts = load_ws.Options(saves=2, think=(0.05, 0.2), ramp=0.2, timeout=20)
        result = load_ws.run(url, people, opts, duration=25)
    finally:
        proc.terminate()
        proc.wait(timeout=10)

    assert result.errors == []
    assert result.done == 2
    assert len(result.save) == 4, "every save is confirmed by 'Win logged'"
    prefix = f"load-{opts.run_id}-"
    assert sorted(text.removeprefix(prefix) for _, text in result.saved) == [
        "000-0", "000-1", "001-0", "001-1",
    ]  # fmt: skip
    assert load.verify(data, people, result.saved, prefix) == {
        "lost": 0,
        "misplaced": 0,
        "duplicated": 0,
    }
    # And the check can fail: a save claimed for the other participant is lost from
    # theirs and misplaced in its real owner's workbook.
    owner, text = result.saved[0]
    other = next(p["id"] for p in people if p["id"] != owner)
    claimed = [(other, text), *result.saved[1:]]
    assert load.verify(data, people, claimed, prefix)["lost"] == 1
    assert load.verify(data, people, claimed, prefix)["misplaced"] == 1
