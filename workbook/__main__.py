"""The command line: ``python -m workbook export …`` and ``python -m workbook restore …``.

    python -m workbook export --format pdf --out report.pdf
    python -m workbook export --format md --worksheet wins --out wins.md
    python -m workbook export --format csv --table wins --out wins.csv
    python -m workbook restore backup.json            # shows what it holds, changes nothing
    python -m workbook restore backup.json --mode merge --yes
    python -m workbook cohort --help                  # host a workshop (see README)

The workbook is the one in REBOUND_DATA_DIR (or the usual data folder), or --data-dir.
"""

from __future__ import annotations

import argparse
import os
import sys
from datetime import date
from pathlib import Path

from workbook import config, content, exports, timefmt
from workbook.cohort import cli as cohort_cli
from workbook.repository import Workbook


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m workbook",
        description="Export the workbook (formats: " + ", ".join(exports.FORMATS) + ") or "
        "restore a JSON backup, or host a workshop ('cohort'). "
        "Run 'python -m workbook export --help' for the options.",
    )
    parser.add_argument("--data-dir", type=Path, help="the folder holding workbook.json")
    commands = parser.add_subparsers(dest="command", required=True)
    out = commands.add_parser("export", help="write an export file")
    out.add_argument(
        "--format",
        required=True,
        choices=list(exports.FORMATS),
        help="md, pdf, json (backup), csv or ics",
    )
    out.add_argument("--out", required=True, type=Path, help="the file to write ('-' for stdout)")
    out.add_argument(
        "--worksheet",
        action="append",
        choices=list(exports.WORKSHEETS),
        help="only this worksheet (md and pdf; may be given more than once)",
    )
    out.add_argument("--since", type=date.fromisoformat, help="first day, YYYY-MM-DD (md, pdf)")
    out.add_argument("--until", type=date.fromisoformat, help="last day, YYYY-MM-DD (md, pdf)")
    out.add_argument("--table", help="one table by name (csv; default: every table in a zip)")
    out.add_argument(
        "--tz", help="time zone for dates, e.g. Europe/Berlin (default: this computer's)"
    )
    back = commands.add_parser("restore", help="restore a JSON backup")
    back.add_argument("file", type=Path)
    back.add_argument("--mode", choices=["merge", "replace"], default="merge")
    back.add_argument("--yes", action="store_true", help="really restore (otherwise only show)")
    cohort_cli.add_to(commands)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.data_dir:
        os.environ["REBOUND_DATA_DIR"] = str(args.data_dir)
    if args.command == "cohort":
        return cohort_cli.run(args)
    wb = Workbook(config.workbook_path())
    if args.command == "export":
        if args.since and args.until and args.since > args.until:
            print("--since is after --until. Please check both.", file=sys.stderr)
            return 2
        opts = exports.Options(
            worksheets=tuple(args.worksheet) if args.worksheet else None,
            since=args.since,
            until=args.until,
            table=args.table,
        )
        try:
            data = exports.make(
                args.format, exports.snapshot_of(wb), content.load(), timefmt.zone(args.tz), opts
            )
        except ValueError as exc:
            print(str(exc), file=sys.stderr)
            return 2
        if str(args.out) == "-":
            sys.stdout.buffer.write(data)
            return 0
        try:
            args.out.write_bytes(data)
        except OSError as exc:
            print(f"Could not write {args.out}: {exc.strerror or exc}.", file=sys.stderr)
            return 2
        print(f"Wrote {args.out} ({len(data):,} bytes).")
        return 0
    from workbook.exports import backup

    try:
        found = backup.load(args.file)  # checks the size before reading it
    except (OSError, backup.BackupError) as exc:
        print(f"Not restored: {exc}", file=sys.stderr)
        return 2
    for table, n in found.counts().items():
        if n:
            print(f"{n:6,}  {backup.label(table)}")
    if not args.yes:
        print("Nothing changed. Add --yes to restore (a copy of the workbook is kept first).")
        return 0
    result = backup.restore(wb, found, args.mode)
    print(f"Restored ({args.mode}). The workbook as it was is kept at {result.safety_copy}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
