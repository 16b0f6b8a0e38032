"""``python -m workbook cohort …``: set up and look after a hosted workshop.

    python -m workbook cohort init --title "Spring workshop" --facilitator "Sam"
    python -m workbook cohort invite 12          # prints 12 single-use invite codes
    python -m workbook cohort list               # participants and invite codes
    python -m workbook cohort revoke CODE …      # make unused codes unusable
    python -m workbook cohort remove NAME        # delete a participant and all their files

Passwords are asked for without echo; ``--password-stdin`` reads one line instead (scripts).
"""

from __future__ import annotations

import argparse
import getpass
import sys

from workbook import config
from workbook.cohort.accounts import Cohort, CohortError, exists, name_key
from workbook.cohort.hosting import Host


def add_to(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    cohort = commands.add_parser(
        "cohort",
        help="host a workshop: accounts, invite codes, participants",
        description="Set up and look after a workshop hosted from this data folder. Once a "
        "workshop exists, 'make run' starts in cohort mode (everyone signs in).",
    )
    sub = cohort.add_subparsers(dest="cohort_command", required=True)
    init = sub.add_parser("init", help="create the workshop and the facilitator's account")
    init.add_argument("--title", default="Rebound workshop", help="the workshop's name")
    init.add_argument("--facilitator", required=True, help="the facilitator's sign-in name")
    init.add_argument(
        "--password-stdin", action="store_true", help="read the password from standard input"
    )
    invite = sub.add_parser("invite", help="print new single-use invite codes")
    invite.add_argument("n", type=int, help="how many codes (1-500)")
    sub.add_parser("list", help="list participants and invite codes (no private writing)")
    revoke = sub.add_parser("revoke", help="make unused invite codes unusable")
    revoke.add_argument("codes", nargs="+", metavar="CODE")
    remove = sub.add_parser("remove", help="delete a participant and every file of theirs")
    remove.add_argument("name", help="the participant's display name")
    remove.add_argument("--yes", action="store_true", help="really delete (otherwise only show)")


def _password(from_stdin: bool) -> str:
    if from_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    first = getpass.getpass("Facilitator's password: ")
    if getpass.getpass("The same password again: ") != first:
        raise CohortError("The two passwords are not the same. Nothing was created.")
    return first


def run(args: argparse.Namespace) -> int:
    folder = config.cohort_dir()
    try:
        if args.cohort_command == "init":
            cohort, recovery = Cohort.create(
                folder,
                title=args.title,
                facilitator=args.facilitator,
                password=_password(args.password_stdin),
            )
            print(f"Created the workshop “{cohort.title}” in {folder}.")
            print(f"Facilitator: {args.facilitator}")
            print(f"Recovery code (shown once; keep it safe): {recovery}")
            print("Next: python -m workbook cohort invite N, then make run.")
            return 0
        if not exists(folder):
            raise CohortError(f"There is no workshop in {folder}. Start with 'cohort init'.")
        cohort = Cohort(folder)
        if args.cohort_command == "invite":
            for code in cohort.invite(args.n):
                print(code)
            return 0
        if args.cohort_command == "list":
            return _list(cohort)
        if args.cohort_command == "revoke":
            for code in args.codes:
                cohort.revoke(code)
                print(f"Revoked {code}.")
            return 0
        if args.cohort_command == "remove":
            wanted = name_key(args.name)
            found = [a for a in cohort.participants() if name_key(a.name) == wanted]
            if not found:
                raise CohortError(f"No participant is called {args.name!r}.")
            if not args.yes:
                print(f"Would delete {found[0].name} and all their files. Add --yes to do it.")
                return 0
            Host(folder).delete(found[0].id)
            print(f"Deleted {found[0].name} and all their files.")
            return 0
    except CohortError as exc:
        print(str(exc), file=sys.stderr)
        return 2
    return 2  # pragma: no cover - argparse requires a command


def _list(cohort: Cohort) -> int:
    print(f"Workshop: {cohort.title}")
    print(f"Facilitator: {cohort.facilitator().name}")
    people = cohort.participants()
    print(f"Participants: {len(people)}")
    for account in people:
        print(f"  {account.name}  (joined {account.joined_at:%Y-%m-%d})")
    invites = cohort.invites()
    states = {s: sum(i.state == s for i in invites) for s in ("open", "used", "revoked")}
    print(
        f"Invite codes: {states['open']} open, {states['used']} used, "
        f"{states['revoked']} revoked (codes are stored only as hashes)"
    )
    return 0
