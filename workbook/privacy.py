"""X5 "delete my data": remove a personal workbook and every copy of it, for real.

Deleted: the workbook file, its journal, its lock, its rolling backups (and their journals),
the safety copies taken before a restore, and any damaged copies set aside (journals too).
The folder itself stays (it may hold other things); a fresh, empty workbook is made the next
time Rebound opens.
"""

from __future__ import annotations

from pathlib import Path


def workbook_files(path: Path) -> list[Path]:
    """Every file that holds (or held) this workbook's contents."""
    path = Path(path)
    folder, stem = path.parent, path.stem
    found = [path, path.with_name(path.name + ".journal"), path.with_name(path.name + ".lock")]
    found += folder.glob(f"{stem}.damaged-*{path.suffix}")
    found += folder.glob(f"{stem}.damaged-*{path.suffix}.journal")
    found += folder.glob(f".{path.name}.*.tmp")
    backups = folder / "backups"
    if backups.is_dir():
        found += backups.glob(f"{stem}.*.json")
        found += backups.glob(f"{stem}.*.json.journal")
        found += backups.glob(f"{stem}-before-restore-*.json")
    return [p for p in found if p.exists()]


def delete_workbook(path: Path) -> int:
    """Delete the workbook at ``path`` and its copies; returns how many files went."""
    files = workbook_files(path)
    for file in files:
        file.unlink(missing_ok=True)
    return len(files)
