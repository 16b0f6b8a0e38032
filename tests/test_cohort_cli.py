"""``python -m workbook cohort …`` in real child processes, on a real data folder.

Each child costs about a second, so the checks are grouped into few calls.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from workbook import content, crypto
from workbook.cohort import Cohort, CohortError, Host
from workbook.models import Win

SUBCOMMANDS = ("init", "invite", "list", "revoke", "remove")
PASSWORD = "facilpass123"
CODE_4 = re.compile(r"^[23456789A-HJKMNP-Z]{4}(-[23456789A-HJKMNP-Z]{4}){3}$")
CODE_5 = re.compile(r"[23456789A-HJKMNP-Z]{4}(?:-[23456789A-HJKMNP-Z]{4}){4}")


def run(data: Path, *args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    env = os.environ | {"REBOUND_DATA_DIR": str(data), "REBOUND_KDF": "test"}
    return subprocess.run(
        [sys.executable, "-m", "workbook", "cohort", *args],
        input=stdin,
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        check=False,
    )


def snapshot(folder: Path) -> dict[Path, bytes]:
    return {p: p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


# Several commands in one child (each child costs about a second): the same entry point
# `python -m workbook` uses, with each command's exit code and output reported as JSON.
_MANY_SCRIPT = r"""
import contextlib, io, json, sys
from workbook.__main__ import main
results = []
for argv in json.loads(sys.argv[1]):
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = main(argv)
        except SystemExit as exc:
            code = exc.code
    results.append([code, out.getvalue(), err.getvalue()])
sys.__stdout__.write(json.dumps(results))
"""


def run_many(data: Path, *argvs: list[str]) -> list[tuple[int, str, str]]:
    env = os.environ | {"REBOUND_DATA_DIR": str(data), "REBOUND_KDF": "test"}
    child = subprocess.run(
        [sys.executable, "-c", _MANY_SCRIPT, json.dumps(argvs)],
        capture_output=True,
        text=True,
        env=env,
        stdin=subprocess.DEVNULL,
        timeout=60,
        check=False,
    )
    assert child.returncode == 0, child.stderr
    return [tuple(r) for r in json.loads(child.stdout)]


def test_help_and_commands_without_a_workshop(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    helps = [["cohort", "--help"]] + [["cohort", sub, "--help"] for sub in SUBCOMMANDS]
    without = [
        ["cohort", "invite", "2"],
        ["cohort", "list"],
        ["cohort", "revoke", "ABCD-EFGH-JKMN-PQRS"],
        ["cohort", "remove", "Ann", "--yes"],
    ]
    results = run_many(data, *helps, *without)

    code, out, _err = results[0]
    assert code == 0
    for sub in SUBCOMMANDS:
        assert sub in out
    expected_words = {
        "init": ["--facilitator", "--password-stdin", "--title"],
        "invite": ["how many codes"],
        "list": ["-h"],
        "revoke": ["CODE"],
        "remove": ["name", "--yes"],
    }
    for sub, (code, out, _err) in zip(SUBCOMMANDS, results[1:6], strict=True):
        assert code == 0, sub
        assert f"cohort {sub}" in out
        for word in expected_words[sub]:
            assert word in out, (sub, word)
    for argv, (code, out, err) in zip(without, results[6:], strict=True):
        assert code == 2, argv
        assert "There is no workshop" in err
        assert "cohort init" in err
        assert "Traceback" not in err + out
    # Asking about a workshop never creates one.
    assert not (data / "cohort").exists()


def test_a_workshop_from_init_to_remove(tmp_path: Path) -> None:
    data = tmp_path / "data"
    folder = data / "cohort"

    # init
    made = run(
        data,
        *["init", "--title", "Spring", "--facilitator", "Sam", "--password-stdin"],
        stdin=PASSWORD + "\n",
    )
    assert made.returncode == 0, made.stderr
    assert (folder / "cohort.json").is_file()
    [recovery] = CODE_5.findall(made.stdout)
    assert "Recovery code" in made.stdout
    assert "Spring" in made.stdout
    cohort = Cohort(folder)
    assert cohort.title == "Spring"
    assert cohort.sign_in("Sam", PASSWORD).name == "Sam"  # the newline was not kept
    revoke_me = cohort.invite(1)[0]

    # invite 3
    invited = run(data, "invite", "3")
    assert invited.returncode == 0, invited.stderr
    codes = invited.stdout.split()
    assert len(codes) == len(set(codes)) == 3
    assert all(CODE_4.match(code) for code in codes)
    names = ["Ann", "Bob", "Quillon Fenwright"]
    sessions = [
        Cohort(folder).join(c, n, "participant-pw") for c, n in zip(codes, names, strict=True)
    ]
    assert [s.session.name for s in sessions] == names
    texts = content.load(None)
    wb = Host(folder).workbook(sessions[2].session, lambda: texts)
    wb.add(Win, {"text": "quiet harbour lantern", "won_on": "2024-03-02"})

    # revoke
    revoked = run(data, "revoke", revoke_me.lower())
    assert revoked.returncode == 0, revoked.stderr
    with pytest.raises(CohortError, match="does not work"):
        Cohort(folder).join(revoke_me, "Dee", "participant-pw")

    # init twice and remove without --yes change nothing; list shows counts, never a code
    quillon = sessions[2].session.account_id
    before = snapshot(folder)
    again, dry, listed = run_many(
        data,
        ["cohort", "init", "--facilitator", "Kim", "--password-stdin"],
        ["cohort", "remove", "quillon fenwright"],
        ["cohort", "list"],
    )
    assert again[0] == 2
    assert "already exists" in again[2]
    assert "Traceback" not in again[2]
    assert dry[0] == 0, dry[2]
    assert "--yes" in dry[1]
    assert snapshot(folder) == before
    assert (folder / "people" / quillon / "workbook.json").is_file()
    assert (folder / "people" / quillon / "summary.json").is_file()

    code, shown, err = listed
    assert code == 0, err
    assert "Workshop: Spring" in shown
    assert "Facilitator: Sam" in shown
    assert "Participants: 3" in shown
    assert "0 open, 3 used, 1 revoked" in shown
    for name in names:
        assert name in shown
    for secret in [*codes, revoke_me, recovery]:
        assert crypto.normalise_code(secret).replace("-", "") not in shown.upper().replace("-", "")
        assert secret[:9] not in shown.upper()

    # remove --yes deletes the person and every file of theirs
    gone = run(data, "remove", "Quillon Fenwright", "--yes")
    assert gone.returncode == 0, gone.stderr
    assert "Deleted Quillon Fenwright" in gone.stdout
    cohort = Cohort(folder)
    assert [a.name for a in cohort.participants()] == ["Ann", "Bob"]
    assert not (folder / "people" / quillon).exists()
    assert not any(b"Quillon" in raw for raw in snapshot(folder).values())
    # The recovery code init printed opens the facilitator's account.
    assert cohort.recover("Sam", recovery, "a new password").session.name == "Sam"
