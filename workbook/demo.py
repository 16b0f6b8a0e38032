"""Demo workbooks: ``python -m workbook.demo`` (a few weeks) or ``--heavy`` (about three years).

The heavy workbook fills every model so pages and benchmarks see years of use:
60 rejections, 1,500 check-ins (200 with long journal entries), outlets, self-talk,
pledges, urges, unsent drafts, a long values list, and for Phase 2 a review and a
feedback request per rejection (a third answered, with themes), directions and a plan;
for Phases 3 and 4, 800 small wins (the last days in a row), 25 skills (some overdue),
four of the five support roles, 30 sources followed, a half-done materials checklist,
40 answers, 120 channel actions and doors kept open with 30 companies (some due);
for Phase 5, 40 thought records (one in progress), 20 "not yet" rewrites, 15 challenges,
50 wins beyond offers and a persistence plan.
Data is random but seeded, so every run writes the same workbook relative to "now".
"""

from __future__ import annotations

import argparse
import random
import sys
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from workbook import config
from workbook.models import (
    RECORD_TYPES,
    AnswerEntry,
    AvoidPledge,
    BeyondWin,
    ChannelAction,
    CheckIn,
    Direction,
    DoorOpen,
    FeedbackRequest,
    FollowSource,
    GrowthChallenge,
    MaterialsChecklist,
    MindsetRewrite,
    OutletEntry,
    PathPlan,
    PersistencePlan,
    Record,
    Rejection,
    Review,
    SelfTalk,
    Skill,
    Stage,
    SupportPerson,
    ThoughtRecord,
    UnsentDraft,
    Urge,
    ValueItem,
    Win,
)
from workbook.repository import Workbook

COMPANIES = [
    "Northwind",
    "Blue Harbor Labs",
    "Kestrel & Co",
    "Lumen Health",
    "Orbital Analytics",
    "Riverstone Bank",
    "Tessellate",
    "Greenfield Foods",
    "Quanta Systems",
    "Atlas Learning",
    "Maple Robotics",
    "Société Lumière",
    "Zürich Data AG",
    "Café Núcleo",
    "株式会社サクラ",
]
ROLES = [
    "Data Analyst",
    "Software Engineer",
    "Product Manager",
    "UX Researcher",
    "ML Engineer",
    "Project Coordinator",
    "Business Analyst",
    "Support Lead",
]
CHANNELS = [
    "Online job board",
    "Company careers page",
    "Referral from someone I know",
    "A recruiter contacted me",
    "Event or meetup",
]
EMOTIONS = [
    "Disappointed",
    "Sad",
    "Angry",
    "Frustrated",
    "Anxious",
    "Tired",
    "Hopeful",
    "Calm",
    "Determined",
    "Relieved",
]
OUTLETS = ["journal", "talk", "move", "self_care"]
AVOID = ["angry_reply", "big_decisions", "public_criticism", "panic_applying", "isolating"]
SENTENCES = [
    "This is hard, and I will get through it.",
    "One decision about one role does not decide my worth.",
    "I got further than last time.",
]
JOURNAL = (
    "Today was heavier than I expected. I keep replaying the last interview and the question "
    "about system design. I know I prepared, and I know the panel seemed engaged for most of it. "
    "Talked to Sam in the evening, which helped. Tomorrow I will take a walk before opening my "
    "laptop. "
)


def _moments(rng: random.Random, start: datetime, end: datetime, n: int) -> list[datetime]:
    span = (end - start).total_seconds()
    return sorted(start + timedelta(seconds=rng.uniform(0, span)) for _ in range(n))


def generate(*, heavy: bool, now: datetime | None = None, seed: int = 7) -> list[Record]:
    """Records for a demo (a few weeks) or heavy (about three years) workbook."""
    rng = random.Random(seed)
    now = now or datetime.now(UTC)
    n_rejections, n_checkins, years = (60, 1500, 3.0) if heavy else (3, 12, 0.08)
    start = now - timedelta(days=365 * years)
    records: list[Record] = []
    rejections: list[Rejection] = []
    # The newest rejection arrived ten hours ago, so its 48-hour window is open.
    moments = [
        *_moments(rng, start, now - timedelta(days=3), n_rejections - 1),
        now - timedelta(hours=10),
    ]
    for i, moment in enumerate(moments):
        applied: date = (moment - timedelta(days=rng.randint(7, 60))).date()
        rejection = Rejection(
            company=COMPANIES[i % len(COMPANIES)],
            role=rng.choice(ROLES),
            applied_on=applied,
            rejected_at=moment,
            stage=rng.choice(list(Stage)),
            channel=rng.choice(CHANNELS),
            notes="Felt good about the team. Waiting to hear about feedback." if i % 3 else "",
            archived=heavy and i < n_rejections - 10,
            created_at=moment,
            updated_at=moment,
        )
        rejections.append(rejection)
    records.extend(rejections)
    for j, moment in enumerate(_moments(rng, start, now - timedelta(hours=1), n_checkins)):
        owner = max(
            (r for r in rejections if r.rejected_at <= moment),
            key=lambda r: r.rejected_at,
            default=rejections[0],
        )
        long_entry = j % max(1, n_checkins // 200) == 0
        records.append(
            CheckIn(
                rejection_id=owner.id,
                felt_at=moment,
                emotions=rng.sample(EMOTIONS, rng.randint(1, 3)),
                intensity=rng.randint(1, 9),
                journal=(JOURNAL * rng.randint(2, 6)) if long_entry else "",
                created_at=moment,
                updated_at=moment,
            )
        )
    for rejection in rejections:
        t = rejection.rejected_at
        for k in range(rng.randint(3, 12) if heavy else 2):
            done = min(t + timedelta(hours=2 + 5 * k), now - timedelta(minutes=5))
            records.append(
                OutletEntry(
                    rejection_id=rejection.id,
                    outlet=rng.choice(OUTLETS),
                    done_at=done,
                    note="Walked by the river." if k % 2 else "",
                    created_at=done,
                    updated_at=done,
                )
            )
        records.append(
            SelfTalk(
                rejection_id=rejection.id,
                sentence=rng.choice(SENTENCES),
                created_at=t,
                updated_at=t,
            )
        )
        records.append(
            AvoidPledge(
                rejection_id=rejection.id, items=rng.sample(AVOID, 3), created_at=t, updated_at=t
            )
        )
        for _ in range(rng.randint(1, 3) if heavy else 1):
            records.append(
                Urge(
                    rejection_id=rejection.id,
                    item=rng.choice(AVOID),
                    urge="Wanted to reply and tell them they got it wrong.",
                    instead="Wrote it in the drafts box and went for a walk.",
                    noted_at=t + timedelta(hours=3),
                    created_at=t,
                    updated_at=t,
                )
            )
        records.append(
            UnsentDraft(
                rejection_id=rejection.id,
                addressed_to="The hiring team",
                body="Dear hiring team,\n\nI cannot believe you would…\n\n(Not sending this.)",
                decision="keep" if rng.random() < 0.5 else "undecided",
                created_at=t,
                updated_at=t,
            )
        )
    records.extend(_phase2(rng, rejections, heavy=heavy, now=now))
    records.extend(_phase34(rng, rejections, heavy=heavy, now=now))
    records.extend(_phase5(rng, heavy=heavy, now=now))
    kinds = ["A role I play", "Something I value", "Something I enjoy", "A strength"]
    things = [
        "a patient friend",
        "honesty",
        "baking bread",
        "explaining hard ideas simply",
        "an aunt people call for advice",
        "long walks",
        "finishing what I start",
    ]
    for i in range(40 if heavy else 4):
        records.append(ValueItem(kind=kinds[i % len(kinds)], text=things[i % len(things)]))
    return records


TAGS = [
    "Technical depth",
    "System design",
    "Communication",
    "Experience level",
    "Culture fit",
    "Domain knowledge",
]
PROMPTS = ["went_well", "interest_dropped", "requirements", "fit", "outsider", "differently"]


def _phase2(
    rng: random.Random, rejections: list[Rejection], *, heavy: bool, now: datetime
) -> list[Record]:
    """Reviews, feedback requests, directions and a path plan (Phase 2)."""
    records: list[Record] = []
    for i, rejection in enumerate(rejections[:-1]):  # the newest is still in its 48 hours
        t = rejection.rejected_at + timedelta(days=3)
        answers = {
            key: f"Thinking about {key.replace('_', ' ')}: the panel liked the project "
            "walkthrough; the system design question went less well."
            for key in PROMPTS
        }
        records.append(
            Review(
                rejection_id=rejection.id,
                answers=answers,
                finished=i % 3 != 0,
                created_at=t,
                updated_at=t,
            )
        )
        status = ("answered", "sent", "not_sent")[i % 3]
        sent = (t + timedelta(days=1)).date()
        records.append(
            FeedbackRequest(
                rejection_id=rejection.id,
                addressee="Sam",
                thanks="Thank you for your time.",
                questions=["Was there one area where I could have been stronger?"],
                status=status,
                sent_on=sent if status != "not_sent" else None,
                answered_on=sent + timedelta(days=4) if status == "answered" else None,
                feedback="Strong communication; we wanted more depth in system design."
                if status == "answered"
                else "",
                tags=rng.sample(TAGS, 2) if status == "answered" else [],
                created_at=t,
                updated_at=t,
            )
        )
    names = [
        "Data analysis",
        "AI research",
        "Product analytics",
        "Machine learning engineering",
        "Teaching",
        "Consulting",
    ]
    directions = [
        Direction(
            name=name,
            interest=rng.randint(1, 5),
            strength=rng.randint(1, 5),
            notes="Worth a conversation with someone who does this.",
        )
        for name in names[: 6 if heavy else 2]
    ]
    records.extend(directions)
    records.append(
        PathPlan(
            correction="Lean towards analytics roles; keep ML as a longer goal.",
            chosen_direction_id=directions[0].id,
            created_at=now,
            updated_at=now,
        )
    )
    return records


WINS = [
    ("Finished a chapter of the statistics book", "Learned something"),
    ("Coffee with a former colleague", "Met or reached out to someone"),
    ("Fixed the flaky test in my portfolio project", "Solved a problem"),
    ("Sent two tailored applications", "Applied or followed up"),
    ("Practised the system design question out loud", "Practised (interviews, tests, portfolio)"),
    ("Went for a run before opening the laptop", "Looked after myself"),
    ("Reviewed a friend's résumé", "Helped someone"),
]
SKILLS = [
    "SQL window functions",
    "System design",
    "Stakeholder communication",
    "A/B testing",
    "Python packaging",
    "Data visualisation",
    "Cloud basics",
    "Public speaking",
]


def _phase34(
    rng: random.Random, rejections: list[Rejection], *, heavy: bool, now: datetime
) -> list[Record]:
    """Wins, skills, support team, sources, materials, answers, channels, doors."""
    records: list[Record] = []
    today = now.date()
    n_wins = 800 if heavy else 5
    span = 365 * 3 if heavy else 20
    # The last days are in a row (ending yesterday), so a current streak shows.
    days = [today - timedelta(days=d) for d in range(1, 7)]
    days += [today - timedelta(days=rng.randint(7, span)) for _ in range(n_wins - len(days))]
    for n, day in enumerate(sorted(days)):
        text, category = WINS[n % len(WINS)]
        at = datetime.combine(day, datetime.min.time(), UTC) + timedelta(hours=18)
        records.append(Win(text=text, category=category, won_on=day, created_at=at, updated_at=at))
    statuses = ["not_started", "in_progress", "done", "paused"]
    for n in range(25 if heavy else 3):
        start = today - timedelta(days=rng.randint(0, 300 if heavy else 20))
        status = statuses[n % 4]
        records.append(
            Skill(
                name=f"{SKILLS[n % len(SKILLS)]}"
                + (f" ({n // len(SKILLS) + 1})" if n >= 8 else ""),
                source=("job_description", "feedback", "pattern", "other")[n % 4],
                source_note="Came up in two interviews." if n % 2 else "",
                resource_kind=("course", "book", "video", "bootcamp", "open_source", "other")[
                    n % 6
                ],
                resource="An evening course" if n % 3 else "A well-reviewed book",
                link="https://example.org/course" if n % 2 else "",
                start_on=start,
                deadline=start + timedelta(days=rng.randint(20, 200)) if n % 5 else None,
                status=status,
                progress=100 if status == "done" else rng.randrange(0, 100, 10),
            )
        )
    roles = ["mentor", "fellow", "believer", "accountability"]  # "honest" is left open
    for n, role in enumerate(roles if heavy else roles[:2]):
        last = today - timedelta(days=10 + 9 * n)
        records.append(
            SupportPerson(
                role=role,
                name=("Ana", "Bo", "Chidi", "Dana")[n],
                contact="ana@example.org" if n == 0 else "",
                notes="Meets for coffee once a month.",
                last_contact=last,
                next_checkin=last + timedelta(days=21),
            )
        )
    kinds = ["Newsletter", "Person", "Community", "Podcast"]
    for n in range(30 if heavy else 2):
        records.append(
            FollowSource(
                kind=kinds[n % 4],
                name=f"{kinds[n % 4]} number {n + 1}",
                link="https://example.org/feed" if n % 2 else "",
                why="Short weekly summary of what changed in the field.",
            )
        )
    records.append(
        MaterialsChecklist(
            done={"resume_target": today - timedelta(days=3), "linkedin_headline": today}
            | ({"cover_personal": today, "answers_hard": today} if heavy else {})
        )
    )
    for n in range(40 if heavy else 2):
        records.append(
            AnswerEntry(
                question=f"Tell us about a time you disagreed with a decision ({n + 1}).",
                answer="Situation, what I did, the result — in under two minutes." if n % 2 else "",
                theme=TAGS[n % len(TAGS)] if n < len(TAGS) else "",
                ready=n % 3 == 0,
            )
        )
    channels = ["events", "conversations", "groups", "projects", "stepping_stones"]
    for n in range(120 if heavy else 3):
        done = n % 3 != 0
        records.append(
            ChannelAction(
                channel=channels[n % 5],
                action=f"Reach out to a contact met at meetup {n + 1}",
                status="done" if done else "planned",
                planned_on=today + timedelta(days=n % 20) if not done else None,
                done_on=today - timedelta(days=rng.randint(1, 600)) if done else None,
            )
        )
    for n, rejection in enumerate(rejections[: 30 if heavy else 1]):
        records.append(
            DoorOpen(
                rejection_id=rejection.id,
                thank_you_on=today - timedelta(days=30),
                connected_on=today - timedelta(days=28) if n % 2 else None,
                next_checkin=today + timedelta(days=rng.randint(-5, 120)),
                mention=["SQL window functions"] if n % 3 == 0 else [],
                notes="Liked the team; the hiring manager said to stay in touch.",
            )
        )
    return records


THOUGHTS = [
    ("I failed again.", "This attempt did not work out; I learned what to practise next."),
    ("They didn't want me.", "They chose a closer match for this role, this time."),
    ("I'll never get an offer.", "It has not happened yet. Not yet is not never."),
    ("I can't do system design.", "I can't do it well yet, and I have a plan to learn it."),
]


def _phase5(rng: random.Random, *, heavy: bool, now: datetime) -> list[Record]:
    """Thought records, growth-mindset entries, wins beyond offers, a persistence plan."""
    records: list[Record] = []
    n_records = 40 if heavy else 2
    for n in range(n_records):
        thought, rewritten = THOUGHTS[n % len(THOUGHTS)]
        before = rng.randrange(50, 100, 5)
        at = now - timedelta(days=3 * (n_records - n))
        last = n == n_records - 1  # the newest is still in progress
        records.append(
            ThoughtRecord(
                step=3 if last else 6,
                situation="The email saying they went with another candidate.",
                feeling="Disappointed, ashamed",
                intensity_before=before,
                thought=thought,
                traps=["overgeneralising", "labelling"] if n % 2 else ["fortune_telling"],
                evidence_for="" if last else "I did not get the last three roles.",
                evidence_against="" if last else "I reached the final round twice.",
                rewritten="" if last else rewritten,
                intensity_after=None if last else max(0, before - rng.randrange(10, 50, 5)),
                finished=not last,
                created_at=at,
                updated_at=at,
            )
        )
    for n in range(20 if heavy else 1):
        records.append(
            MindsetRewrite(
                cant=f"I can't explain my projects clearly ({n + 1})",
                not_yet=f"I can't explain my projects clearly yet ({n + 1}) — I am practising.",
            )
        )
    for n in range(15 if heavy else 1):
        records.append(
            GrowthChallenge(
                challenge=f"A take-home task in an unfamiliar language ({n + 1})",
                growth="A reason to learn the basics of a second language properly.",
            )
        )
    kinds = ["skills", "connections", "interviews", "resilience", "goals", "industry", "paths"]
    for n in range(50 if heavy else 2):
        records.append(
            BeyondWin(
                category=kinds[n % len(kinds)],
                text=f"Something I gained along the way ({n + 1})",
                day=(now - timedelta(days=rng.randint(0, 700 if heavy else 10))).date(),
            )
        )
    records.append(
        PersistencePlan(
            went_wrong="I applied widely without tailoring, and froze on design questions.",
            changes="Fewer, tailored applications; weekly system design practice.",
            next_steps="Two informational chats this month; follow up with Northwind in spring.",
        )
    )
    return records


def _has_entries(path: Path) -> bool:
    wb = Workbook(path)
    return any(wb.count(model) for model in RECORD_TYPES)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m workbook.demo",
        description="Write a demo workbook into the data folder (REBOUND_DATA_DIR).",
    )
    parser.add_argument("--heavy", action="store_true", help="about three years of use")
    parser.add_argument("--data-dir", type=Path, help="folder to write into")
    parser.add_argument(
        "--replace",
        action="store_true",
        help="set an existing workbook aside (renamed, not deleted) and write the demo",
    )
    args = parser.parse_args(argv)
    path = config.workbook_path(args.data_dir.resolve() if args.data_dir else None)
    if path.exists() and _has_entries(path):
        if not args.replace:
            print(
                f"A workbook already exists at {path}.\nNothing was changed. Use --replace to "
                "set it aside (it is renamed, never deleted) and write the demo.",
                file=sys.stderr,
            )
            return 2
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S")
        aside = path.with_name(f"{path.stem}.before-demo-{stamp}{path.suffix}")
        path.rename(aside)
        print(f"Your previous workbook was kept as {aside}")
    wb = Workbook(path)
    count = wb.add_many(generate(heavy=args.heavy))
    print(f"Wrote {'a heavy' if args.heavy else 'a demo'} workbook with {count} entries to {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
