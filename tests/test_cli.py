"""The command line, run as a person runs it: ``python -m workbook export|restore …``.

Every test starts a real process on a workbook file in a temporary data folder
(REBOUND_DATA_DIR), and reads the files it writes.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import re
import subprocess
import sys
import zipfile
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from workbook import config, demo, exports
from workbook.exports import backup
from workbook.models import RECORD_TYPES, Record, Win
from workbook.repository import Workbook

ROOT = Path(__file__).resolve().parent.parent
NOW = datetime(2026, 3, 10, 12, 0, tzinfo=UTC)
HAS_PDF = (ROOT / "workbook" / "exports" / "pdf.py").exists()
HAS_BACKUP = (ROOT / "workbook" / "exports" / "backup.py").exists()
needs_backup = pytest.mark.skipif(not HAS_BACKUP, reason="workbook/exports/backup.py not written")


def run(data: Path, *args: str | Path, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "REBOUND_DATA_DIR": str(data), "PYTHONIOENCODING": "utf-8"}
    return subprocess.run(
        [sys.executable, "-m", "workbook", *map(str, args)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=timeout,
    )


def digest(folder: Path) -> str:
    return hashlib.sha256(config.workbook_path(folder).read_bytes()).hexdigest()


def by_id(records: list[Record]) -> list[dict]:
    return [r.model_dump(mode="json") for r in sorted(records, key=lambda r: r.id)]


@pytest.fixture(scope="module")
def demo_dir(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A data folder with the demo workbook, a setting and a piece of unsaved text."""
    folder = tmp_path_factory.mktemp("cli-demo")
    wb = Workbook(config.workbook_path(folder))
    wb.add_many(demo.generate(heavy=False, now=NOW))
    wb.set_setting("selected_rejection", wb.all(RECORD_TYPES[0])[0].id)
    wb.set_text_draft("keep.feel.journal", "Half a thought, not saved yet…\nsecond line")
    before = digest(folder)
    yield folder
    assert digest(folder) == before  # no test here changes the demo workbook


@pytest.fixture
def empty_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "data"
    folder.mkdir()
    return folder


# -- help ------------------------------------------------------------------------------
def test_help_mentions_every_format(empty_dir: Path) -> None:
    done = run(empty_dir, "--help")
    assert done.returncode == 0, done.stderr
    assert "export" in done.stdout and "restore" in done.stdout
    for key in exports.FORMATS:
        assert re.search(rf"\b{key}\b", done.stdout), key
    assert "``" not in done.stdout


def test_export_help_mentions_every_format_and_option(empty_dir: Path) -> None:
    done = run(empty_dir, "export", "--help")
    assert done.returncode == 0, done.stderr
    assert "--format {md,pdf,json,csv,ics}" in done.stdout
    for option in ("--out", "--worksheet", "--since", "--until", "--table", "--tz"):
        assert option in done.stdout, option
    for key in exports.WORKSHEETS:
        assert key in done.stdout, key
    done = run(empty_dir, "restore", "--help")
    assert done.returncode == 0
    assert "--mode {merge,replace}" in done.stdout and "--yes" in done.stdout


def test_no_command_is_a_usage_error(empty_dir: Path) -> None:
    done = run(empty_dir)
    assert done.returncode == 2
    assert "usage:" in done.stderr


# -- export ----------------------------------------------------------------------------
def test_export_markdown(demo_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "report.md"
    done = run(demo_dir, "export", "--format", "md", "--out", out, "--tz", "UTC")
    assert done.returncode == 0, done.stderr
    assert f"Wrote {out}" in done.stdout
    text = out.read_text(encoding="utf-8")
    assert text.startswith("# Rebound — my workbook\n")
    wb = Workbook(config.workbook_path(demo_dir))
    assert text.count("\n#### ") == sum(wb.count(m) for m in RECORD_TYPES)
    assert f"{out.stat().st_size:,} bytes" in done.stdout


def test_export_markdown_of_one_worksheet_and_a_range(demo_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "wins.md"
    done = run(demo_dir, "export", "--format", "md", "--worksheet", "wins", "--out", out)
    assert done.returncode == 0, done.stderr
    text = out.read_text(encoding="utf-8")
    assert text.startswith("# Rebound — Small wins\n")
    wins = Workbook(config.workbook_path(demo_dir)).all(Win)
    assert text.count("\n#### ") == len(wins) > 0
    two = tmp_path / "two.md"
    args = ["--worksheet", "wins", "--worksheet", "rejections", "--since", "2000-01-01"]
    done = run(demo_dir, "export", "--format", "md", *args, "--until", "2000-12-31", "--out", two)
    assert done.returncode == 0, done.stderr
    text = two.read_text(encoding="utf-8")
    assert [line for line in text.splitlines() if line.startswith("### ")] == [
        "### Rejection log",
        "### Small wins",
    ]
    assert "\n#### " not in text  # nothing from the year 2000
    assert "entries from 2000-01-01 to 2000-12-31" in text


def test_export_to_stdout(demo_dir: Path) -> None:
    done = run(demo_dir, "export", "--format", "md", "--worksheet", "wins", "--out", "-")
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("# Rebound — Small wins\n")
    assert "Wrote" not in done.stdout


def test_export_csv_zip_and_one_table(demo_dir: Path, tmp_path: Path) -> None:
    every = tmp_path / "tables.zip"
    done = run(demo_dir, "export", "--format", "csv", "--out", every)
    assert done.returncode == 0, done.stderr
    data = every.read_bytes()
    assert data[:2] == b"PK"
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert archive.testzip() is None
        assert "wins.csv" in archive.namelist()
    one = tmp_path / "wins.csv"
    done = run(demo_dir, "export", "--format", "csv", "--table", "wins", "--out", one)
    assert done.returncode == 0, done.stderr
    data = one.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    lines = data.decode("utf-8-sig").splitlines()
    assert lines[0].split(",")[:3] == ["id", "created_at", "updated_at"]
    assert len(lines) == 1 + len(Workbook(config.workbook_path(demo_dir)).all(Win))


def test_export_ics(demo_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "reminders.ics"
    done = run(demo_dir, "export", "--format", "ics", "--out", out)
    assert done.returncode == 0, done.stderr
    text = out.read_bytes().decode("utf-8")
    assert text.startswith("BEGIN:VCALENDAR")
    assert text.rstrip().endswith("END:VCALENDAR")
    assert "BEGIN:VEVENT" in text


def test_export_json_backup(demo_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "backup.json"
    done = run(demo_dir, "export", "--format", "json", "--out", out)
    assert done.returncode == 0, done.stderr
    doc = json.loads(out.read_bytes().decode("utf-8"))
    assert doc["format"] == "rebound-backup"
    wb = Workbook(config.workbook_path(demo_dir))
    for model in RECORD_TYPES:
        assert len(doc["tables"][model.TABLE]) == wb.count(model), model.TABLE
    assert doc["drafts"] == wb.text_drafts()


def test_export_with_the_data_dir_option(demo_dir: Path, empty_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "b.json"
    # REBOUND_DATA_DIR names the empty folder; --data-dir wins
    done = run(empty_dir, "--data-dir", demo_dir, "export", "--format", "json", "--out", out)
    assert done.returncode == 0, done.stderr
    doc = json.loads(out.read_text(encoding="utf-8"))
    assert len(doc["tables"]["wins"]) == len(Workbook(config.workbook_path(demo_dir)).all(Win))


def test_an_empty_workbook_exports_in_every_format(empty_dir: Path, tmp_path: Path) -> None:
    for key in ("md", "json", "csv", "ics"):
        out = tmp_path / f"empty.{key}"
        done = run(empty_dir, "export", "--format", key, "--out", out)
        assert done.returncode == 0, (key, done.stderr)
        assert out.stat().st_size > 0, key


def test_since_after_until_is_refused_clearly(demo_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "x.md"
    args = ["--since", "2026-03-02", "--until", "2026-03-01", "--out", out]
    done = run(demo_dir, "export", "--format", "md", *args)
    assert done.returncode == 2
    assert "--since is after --until" in done.stderr
    assert "Traceback" not in done.stderr
    assert not out.exists()


def test_a_date_that_is_not_a_date_is_refused(demo_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "x.md"
    done = run(demo_dir, "export", "--format", "md", "--since", "2026-13-01", "--out", out)
    assert done.returncode == 2
    assert "--since" in done.stderr and "2026-13-01" in done.stderr
    assert "Traceback" not in done.stderr
    assert not out.exists()


def test_an_unknown_table_is_refused_clearly(demo_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "x.csv"
    done = run(demo_dir, "export", "--format", "csv", "--table", "nope", "--out", out)
    assert done.returncode == 2
    assert "no table called 'nope'" in done.stderr
    assert "wins" in done.stderr  # the names it knows
    assert "Traceback" not in done.stderr
    assert not out.exists()


def test_unknown_format_and_worksheet_are_usage_errors(demo_dir: Path, tmp_path: Path) -> None:
    done = run(demo_dir, "export", "--format", "docx", "--out", tmp_path / "x")
    assert done.returncode == 2
    assert "invalid choice: 'docx'" in done.stderr
    done = run(demo_dir, "export", "--format", "md", "--worksheet", "nope", "--out", tmp_path / "x")
    assert done.returncode == 2
    assert "invalid choice: 'nope'" in done.stderr


def test_an_output_file_that_cannot_be_written_is_refused_clearly(
    demo_dir: Path, tmp_path: Path
) -> None:
    out = tmp_path / "no such folder" / "x.md"
    done = run(demo_dir, "export", "--format", "md", "--out", out)
    assert done.returncode == 2
    assert "Traceback" not in done.stderr
    assert "no such folder" in done.stderr


@pytest.mark.skipif(not HAS_PDF, reason="workbook/exports/pdf.py is not written yet")
def test_export_pdf_of_one_worksheet(demo_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "wins.pdf"
    done = run(demo_dir, "export", "--format", "pdf", "--worksheet", "wins", "--out", out)
    assert done.returncode == 0, done.stderr
    data = out.read_bytes()
    assert data.startswith(b"%PDF-")
    assert data.rstrip().endswith(b"%%EOF")
    assert len(data) > 1000


# -- restore ---------------------------------------------------------------------------
@pytest.fixture(scope="module")
def backup_file(demo_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("cli-backup") / "backup.json"
    done = run(demo_dir, "export", "--format", "json", "--out", out)
    assert done.returncode == 0, done.stderr
    return out


@needs_backup
def test_restore_without_yes_only_shows_what_the_file_holds(
    demo_dir: Path, backup_file: Path, tmp_path: Path
) -> None:
    target = tmp_path / "target"
    target.mkdir()
    wb = Workbook(config.workbook_path(target))
    wb.add_many([Win(text="Mine", won_on=NOW.date())])
    before = config.workbook_path(target).read_bytes()
    files = sorted(target.rglob("*"))
    done = run(target, "restore", backup_file)
    assert done.returncode == 0, done.stderr
    assert config.workbook_path(target).read_bytes() == before
    assert "Nothing changed" in done.stdout and "--yes" in done.stdout
    source = Workbook(config.workbook_path(demo_dir))
    for model in RECORD_TYPES:
        n = source.count(model)
        # Each table is listed by its plain name (the one the Your data page uses).
        name = backup.label(model.TABLE)
        shown = [line.strip() for line in done.stdout.splitlines()]
        if n:
            assert f"{n:,}  {name}" in shown, model.TABLE
    assert sorted(target.rglob("*")) == files  # not even a safety copy
    # --mode alone is not --yes either
    done = run(target, "restore", backup_file, "--mode", "replace")
    assert done.returncode == 0
    assert config.workbook_path(target).read_bytes() == before


@needs_backup
def test_restore_replace_into_an_empty_folder_gives_back_the_workbook(
    demo_dir: Path, backup_file: Path, empty_dir: Path
) -> None:
    done = run(empty_dir, "restore", backup_file, "--mode", "replace", "--yes")
    assert done.returncode == 0, done.stderr
    assert "Restored (replace)" in done.stdout
    source = exports.snapshot_of(Workbook(config.workbook_path(demo_dir)))
    restored = exports.snapshot_of(Workbook(config.workbook_path(empty_dir)))
    for model in RECORD_TYPES:
        assert by_id(restored.of(model)) == by_id(source.of(model)), model.TABLE
    assert restored.settings == source.settings
    assert restored.drafts == source.drafts
    assert "Half a thought" in restored.drafts["keep.feel.journal"]
    # the safety copy it names exists
    copy = Path(done.stdout.rsplit(" ", 1)[-1].strip())
    assert copy.exists() and copy.parent == empty_dir / "backups"


@needs_backup
def test_restore_merge_keeps_what_was_there(
    demo_dir: Path, backup_file: Path, tmp_path: Path
) -> None:
    target = tmp_path / "target"
    target.mkdir()
    mine = Win(text="Mine, not in the backup", won_on=NOW.date())
    Workbook(config.workbook_path(target)).add_many([mine])
    done = run(target, "restore", backup_file, "--yes")  # merge is the default
    assert done.returncode == 0, done.stderr
    assert "Restored (merge)" in done.stdout
    wins = Workbook(config.workbook_path(target)).all(Win)
    source = Workbook(config.workbook_path(demo_dir)).all(Win)
    assert {w.id for w in wins} == {mine.id} | {w.id for w in source}


@needs_backup
@pytest.mark.parametrize(
    "content",
    [
        b"",
        b"not json at all",
        b'{"format": "something else"}',
        b'{"format": "rebound-backup", "version": 1',
        json.dumps({"format": "rebound-backup", "version": 99}).encode(),
    ],
    ids=["empty", "text", "other-json", "cut-off", "newer"],
)
def test_a_bad_file_is_not_restored(demo_dir: Path, tmp_path: Path, content: bytes) -> None:
    bad = tmp_path / "bad.json"
    bad.write_bytes(content)
    before = digest(demo_dir)
    done = run(demo_dir, "restore", bad, "--mode", "replace", "--yes")
    assert done.returncode == 2
    assert done.stderr.startswith("Not restored:")
    assert "Traceback" not in done.stderr
    assert digest(demo_dir) == before


@needs_backup
def test_a_missing_file_is_not_restored(empty_dir: Path, tmp_path: Path) -> None:
    done = run(empty_dir, "restore", tmp_path / "nowhere.json", "--yes")
    assert done.returncode == 2
    assert done.stderr.startswith("Not restored:")
    assert "Traceback" not in done.stderr
