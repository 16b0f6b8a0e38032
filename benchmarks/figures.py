"""Benchmark: each chart on the heavy workbook, built and serialised, as ratios in one run.

    python benchmarks/figures.py [--runs N]

For every chart the dashboard draws: the median time to build the figure from records
and turn it into the JSON the browser receives, as a ratio to a one-point reference
figure built the same way in the same run. For the busiest chart (every check-in's mood)
the same figure is also built with ``plotly.express`` to show why Rebound does not.
Ratios, not seconds, so the figures mean the same on a slower or busier machine.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from rerun import median_time  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=25)
    args = parser.parse_args()
    os.environ.setdefault("REBOUND_DATA_DIR", tempfile.mkdtemp(prefix="rebound-figs-"))

    import plotly.express as px
    import plotly.graph_objects as go

    from workbook import channels, charts, content, demo, patterns, skills, timefmt, wins
    from workbook.models import (
        ChannelAction,
        CheckIn,
        Record,
        Rejection,
        Skill,
        ThoughtRecord,
        Win,
    )

    records = demo.generate(heavy=True)
    by: dict[type[Record], list] = {}
    for record in records:
        by.setdefault(type(record), []).append(record)
    texts = content.load()
    zone = timefmt.zone("Europe/Berlin")
    today = datetime.now(UTC).date()
    ch = texts.phase4.channels
    labels = {i.key: i.label for i in ch.items}

    def reference() -> object:
        return go.Figure(data=[go.Scatter(x=[1], y=[1])]).to_json()

    builders = {
        "Mood, every check-in": lambda: charts.mood_over_time(by[CheckIn], zone),
        "Mood, week by week": lambda: charts.mood_by_week(by[CheckIn], zone),
        "Wins per week (26)": lambda: charts.wins_per_week(
            wins.per_week(by[Win], today, 26), "empty"
        ),
        "Stages": lambda: charts.stages_chart(
            {s.value: n for s, n in patterns.stage_counts(by[Rejection]).items()}, "empty"
        ),
        "Skill plan timeline": lambda: charts.skills_timeline(
            skills.in_order(by[Skill], today), today, "empty"
        ),
        "Channel mix": lambda: charts.channel_mix(
            channels.mix(by[ChannelAction], labels, by[Rejection], ch.online_from_log), "empty"
        ),
        "Thought records before/after": lambda: charts.before_after(by[ThoughtRecord], "empty"),
    }

    def express_mood() -> object:
        ordered = sorted(by[CheckIn], key=lambda c: c.felt_at)
        return px.line(
            x=[c.felt_at.astimezone(zone) for c in ordered],
            y=[c.intensity for c in ordered],
            markers=True,
        ).to_json()

    base = median_time(reference, args.runs)
    print(f"Reference one-point figure: {base * 1000:.2f} ms (median of {args.runs}).\n")
    print(f"{'chart':34s} {'median ms':>9s} {'ratio':>7s}")
    for name, build in builders.items():
        t = median_time(lambda build=build: build().to_json(), args.runs)
        print(f"{name:34s} {t * 1000:9.2f} {t / base:6.1f}x")
    ours = median_time(lambda: builders["Mood, every check-in"]().to_json(), args.runs)
    theirs = median_time(express_mood, args.runs)
    print(
        f"\nMood, every check-in: plotly.express {theirs * 1000:.1f} ms vs graph_objects "
        f"{ours * 1000:.1f} ms -> express costs {theirs / ours:.1f}x"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
