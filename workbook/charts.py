"""Charts: records in, ``plotly.graph_objects.Figure`` out. Each has an empty state.

Built with ``graph_objects`` rather than ``plotly.express``: the same figure costs a
fraction of the time on every rerun.
"""

from __future__ import annotations

import textwrap
from collections.abc import Mapping, Sequence
from datetime import date, datetime, timedelta, tzinfo
from typing import Any

import plotly.graph_objects as go

from workbook import skills as skill_plan
from workbook import textsafe
from workbook.channels import MixRow
from workbook.models import CheckIn, Direction, Skill, ThoughtRecord

ACCENT = "#2F6F6A"
# A second colour that stays distinct for colour-blind readers; never the only signal.
WARM = "#B35A1F"
MUTED = "#8A9396"
# The app's own font (Streamlit's Source Sans) and text colour, so charts look like the page.
FONT = {"family": '"Source Sans", "Source Sans Pro", sans-serif', "size": 14, "color": "#111518"}
# Charts in Streamlit: no floating toolbar (it covers the title at phone width).
CONFIG = {"displayModeBar": False}


def _layout(title: str, **extra: Any) -> dict[str, Any]:
    # One complete layout dict, given to the Figure constructor once: plotly's
    # update_layout/update_xaxes path validates property by property and costs several
    # times more on every rerun.
    return {
        "title": {"text": title, "x": 0},
        "font": FONT,
        "margin": {"l": 48, "r": 16, "t": 48, "b": 40},
        "height": 320,
        "paper_bgcolor": "rgba(0,0,0,0)",
        "plot_bgcolor": "rgba(0,0,0,0)",
        "showlegend": False,
        **extra,
    }


def local_stamp(moment: datetime, tz: tzinfo) -> str:
    """Wall-clock time in the person's zone. Plotly reads these strings as dates, and
    validates them far faster than datetime objects."""
    return moment.astimezone(tz).strftime("%Y-%m-%d %H:%M:%S")


def _padded(first: str, last: str, pad: timedelta) -> list[str]:
    """A date-axis range around the data, so a single day or week never zooms to
    milliseconds (Plotly's choice when every point shares one moment)."""
    start = datetime.fromisoformat(first) - pad
    end = datetime.fromisoformat(last) + pad
    return [start.isoformat(sep=" "), end.isoformat(sep=" ")]


EMPTY_LINE = 36  # characters per line: a Plotly annotation never wraps by itself


def empty_figure(title: str, message: str) -> go.Figure:
    """A calm placeholder: no axes, the message in the middle, wrapped to fit a phone."""
    lines = textwrap.wrap(message, EMPTY_LINE) or [""]
    message = "<br>".join(textsafe.plotly_text(line) for line in lines)
    return go.Figure(
        layout=_layout(
            title,
            height=150 + 20 * len(lines),
            xaxis={"visible": False},
            yaxis={"visible": False},
            annotations=[
                {
                    "text": message,
                    "showarrow": False,
                    "x": 0.5,
                    "y": 0.5,
                    "xref": "paper",
                    "yref": "paper",
                    "font": FONT,
                }
            ],
        )
    )


def mood_over_time(
    checkins: Sequence[CheckIn], tz: tzinfo, empty: str = "Your check-ins will appear here."
) -> go.Figure:
    """Intensity of each check-in over time, in the person's time zone."""
    title = "How strong the feelings were, over time"
    if not checkins:
        return empty_figure(title, empty)
    ordered = sorted(checkins, key=lambda c: c.felt_at)
    trace = go.Scatter(
        x=[local_stamp(c.felt_at, tz) for c in ordered],
        y=[c.intensity for c in ordered],
        mode="lines+markers",
        line={"color": ACCENT, "width": 2},
        marker={"size": 7, "symbol": "circle"},
        name="Intensity",
        hovertemplate="%{x|%d %b %Y %H:%M}<br>Intensity %{y}/10<extra></extra>",
    )
    return go.Figure(
        data=[trace],
        layout=_layout(
            title,
            xaxis={"type": "date", "range": _padded(trace.x[0], trace.x[-1], timedelta(hours=12))},
            yaxis={"range": [-0.5, 10.5], "title": {"text": "Intensity (0–10)"}, "dtick": 2},
        ),
    )


def mood_by_week(
    checkins: Sequence[CheckIn], tz: tzinfo, empty: str = "Your check-ins will appear here."
) -> go.Figure:
    """The average intensity per week (Monday start, the person's zone): years stay readable."""
    title = "How strong the feelings were, week by week"
    if not checkins:
        return empty_figure(title, empty)
    weeks: dict[date, list[int]] = {}
    for c in checkins:
        day = c.felt_at.astimezone(tz).date()
        weeks.setdefault(day - timedelta(days=day.weekday()), []).append(c.intensity)
    ordered = sorted(weeks.items())
    trace = go.Scatter(
        x=[d.isoformat() for d, _ in ordered],
        y=[round(sum(v) / len(v), 1) for _, v in ordered],
        customdata=[len(v) for _, v in ordered],
        mode="lines+markers",
        line={"color": ACCENT, "width": 2},
        marker={"size": 5},
        hovertemplate="Week of %{x|%d %b %Y}<br>Average %{y}/10 over %{customdata} check-ins"
        "<extra></extra>",
    )
    return go.Figure(
        data=[trace],
        layout=_layout(
            title,
            xaxis={"type": "date", "range": _padded(trace.x[0], trace.x[-1], timedelta(days=4))},
            yaxis={
                "range": [-0.5, 10.5],
                "title": {"text": "Average intensity (0–10)"},
                "dtick": 2,
            },
        ),
    )


def stages_chart(counts: Mapping[str, int], empty: str) -> go.Figure:
    """Furthest stage reached, in process order: ``counts`` maps stage label to count."""
    title = "Where in the process the “no”s came"
    if not any(counts.values()):
        return empty_figure(title, empty)
    labels, values = list(counts), list(counts.values())
    bar = go.Bar(
        x=values,
        y=labels,
        orientation="h",
        marker={"color": ACCENT},
        text=values,
        textposition="outside",
        hovertemplate="%{y}: %{x}<extra></extra>",
    )
    return go.Figure(
        data=[bar],
        layout=_layout(
            title,
            height=60 + 36 * len(labels),
            yaxis={"autorange": "reversed", "automargin": True},
            xaxis={"title": {"text": "Rejections"}, "dtick": 1, "rangemode": "tozero"},
        ),
    )


def directions_chart(directions: Sequence[Direction], empty: str) -> go.Figure:
    """Directions on a 2x2 of interest (x) and strength (y), 1 to 5, split at the middle."""
    title = "Interest and strength"
    if not directions:
        return empty_figure(title, empty)
    names = [textsafe.plotly_text(textsafe.preview(d.name, 40)) for d in directions]
    points = go.Scatter(
        x=[d.interest for d in directions],
        y=[d.strength for d in directions],
        mode="markers+text",
        text=names,
        # Alternate above and below, so neighbouring names do not run into each other.
        textposition=["top center" if n % 2 == 0 else "bottom center" for n in range(len(names))],
        textfont={**FONT, "size": 12},
        marker={"size": 14, "color": ACCENT, "symbol": "diamond"},
        hovertemplate="%{text}<br>Interest %{x}/5, strength %{y}/5<extra></extra>",
    )
    # Quadrant names sit in the outer corners, beyond where any point or its label can be.
    corner = {
        "showarrow": False,
        "xref": "x",
        "yref": "y",
        "font": {**FONT, "size": 12, "color": "#4A5356"},
    }
    quadrants = [
        {**corner, "x": 5.5, "y": 6.1, "xanchor": "right", "text": "Keen and strong: go"},
        {**corner, "x": 0.5, "y": 6.1, "xanchor": "left", "text": "Strong, less keen"},
        {**corner, "x": 5.5, "y": -0.1, "xanchor": "right", "text": "Keen: build the skills"},
        {**corner, "x": 0.5, "y": -0.1, "xanchor": "left", "text": "Neither, for now"},
    ]
    middle = {"type": "line", "line": {"color": "#8A9396", "width": 1, "dash": "dot"}}
    return go.Figure(
        data=[points],
        layout=_layout(
            title,
            height=420,
            xaxis={"range": [0.5, 5.5], "dtick": 1, "title": {"text": "Interest"}},
            yaxis={
                "range": [-0.4, 6.4],
                "tickvals": [1, 2, 3, 4, 5],
                "title": {"text": "Strength"},
            },
            annotations=quadrants,
            shapes=[
                {**middle, "x0": 3, "x1": 3, "y0": -0.4, "y1": 6.4},
                {**middle, "x0": 0.5, "x1": 5.5, "y0": 3, "y1": 3},
            ],
        ),
    )


def wins_per_week(weeks: Sequence[tuple[date, int]], empty: str) -> go.Figure:
    """Wins per week (Monday to Sunday): ``weeks`` as from :func:`workbook.wins.per_week`."""
    title = "Wins per week"
    if not any(n for _, n in weeks):
        return empty_figure(title, empty)
    starts = [d.isoformat() for d, _ in weeks]
    counts = [n for _, n in weeks]
    bar = go.Bar(
        x=starts,
        y=counts,
        marker={"color": ACCENT},
        customdata=[(d + timedelta(days=6)).strftime("%d %b %Y") for d, _ in weeks],
        hovertemplate="Week of %{x|%d %b %Y} to %{customdata}<br>%{y} wins<extra></extra>",
    )
    return go.Figure(
        data=[bar],
        layout=_layout(
            title,
            xaxis={"type": "date", "title": {"text": "Week starting"}},
            yaxis={"title": {"text": "Wins"}, "rangemode": "tozero", "tickformat": "d"},
            bargap=0.15,
        ),
    )


DEFAULT_SPAN = timedelta(days=30)  # how long a skill without a deadline is drawn
LABEL_ROOM = timedelta(days=45)  # at least this much space after the last bar for its label


def skills_timeline(
    skills: Sequence[Skill],
    today: date,
    empty: str,
    status_labels: Mapping[str, str] | None = None,
) -> go.Figure:
    """A Gantt-style plan: one bar per skill from its start to its deadline.

    Overdue skills are drawn in a warm colour *and* hatched, with "overdue" in their
    label, so the colour is never the only sign. Skills without a deadline are drawn
    for :data:`DEFAULT_SPAN`, faded, and say so.
    """
    title = "Your skill plan over time"
    if not skills:
        return empty_figure(title, empty)
    labels = status_labels or {}
    names, bases, spans, colours, patterns, notes = [], [], [], [], [], []
    for skill in skills:
        end = skill.deadline or skill.start_on + DEFAULT_SPAN
        overdue = skill_plan.is_overdue(skill, today)
        names.append(textsafe.plotly_text(textsafe.preview(skill.name, 40)))
        bases.append(skill.start_on.isoformat())
        # Plotly reads a bar's length on a date axis in milliseconds.
        spans.append(max(1, (end - skill.start_on).days + 1) * 86_400_000)
        colours.append(WARM if overdue else MUTED if skill.status == "done" else ACCENT)
        patterns.append("/" if overdue else "")
        status = labels.get(skill.status, skill.status)
        if overdue:
            status = f"overdue · {status}"
        elif skill.deadline is None:
            status = f"no deadline · {status}"
        notes.append(f"{status} · {skill.progress}%")
    # Rows are keyed by id, labelled by name: two skills of the same name keep two rows.
    ids = [skill.id for skill in skills]
    bar = go.Bar(
        x=spans,
        base=bases,
        y=ids,
        orientation="h",
        marker={"color": colours, "pattern": {"shape": patterns, "fgcolor": "#FFFFFF"}},
        text=notes,
        # Beside the bar, never on it: words on a hatched bar cannot be read.
        textposition="outside",
        cliponaxis=False,
        customdata=[
            [name, (s.deadline or s.start_on + DEFAULT_SPAN).isoformat()]
            for name, s in zip(names, skills, strict=True)
        ],
        hovertemplate="%{customdata[0]}<br>%{base|%d %b %Y} to %{customdata[1]|%d %b %Y}"
        "<br>%{text}<extra></extra>",
    )
    stamp = today.isoformat()
    # Room on the right for the label beside the last-ending bar, and today always in view.
    first = min([today, *(s.start_on for s in skills)])
    last = max([today, *(s.deadline or s.start_on + DEFAULT_SPAN for s in skills)])
    room = max(LABEL_ROOM, (last - first) * 0.45)
    span = [(first - timedelta(days=3)).isoformat(), (last + room).isoformat()]
    return go.Figure(
        data=[bar],
        layout=_layout(
            title,
            height=110 + 34 * len(skills),
            xaxis={"type": "date", "range": span},
            yaxis={
                "autorange": "reversed",
                "automargin": True,
                "type": "category",
                "tickvals": ids,
                "ticktext": names,
            },
            shapes=[
                {
                    "type": "line",
                    "x0": stamp,
                    "x1": stamp,
                    "y0": 0,
                    "y1": 1,
                    "yref": "paper",
                    "line": {"color": "#111518", "width": 1, "dash": "dot"},
                }
            ],
            annotations=[
                {
                    "x": stamp,
                    "y": 1,
                    "yref": "paper",
                    "yanchor": "bottom",
                    "text": "today",
                    "showarrow": False,
                    "font": {**FONT, "size": 12},
                }
            ],
        ),
    )


def channel_mix(rows: Sequence[MixRow], empty: str) -> go.Figure:
    """Planned and done actions per channel, as stacked bars (done solid, planned hatched)."""
    title = "Your mix of channels"
    if not any(r.planned or r.done for r in rows):
        return empty_figure(title, empty)
    labels = [textsafe.plotly_text(textsafe.preview(r.label, 40)) for r in rows]
    done = go.Bar(
        x=[r.done for r in rows],
        y=labels,
        orientation="h",
        name="Done",
        marker={"color": ACCENT},
        hovertemplate="%{y}: %{x} done<extra></extra>",
    )
    planned = go.Bar(
        x=[r.planned for r in rows],
        y=labels,
        orientation="h",
        name="Planned",
        marker={
            "color": "#FFFFFF",
            "line": {"color": ACCENT, "width": 1.5},
            "pattern": {"shape": "/", "fgcolor": ACCENT},
        },
        hovertemplate="%{y}: %{x} planned<extra></extra>",
    )
    return go.Figure(
        data=[done, planned],
        layout=_layout(
            title,
            barmode="stack",
            showlegend=True,
            legend={"orientation": "h", "y": -0.2, "x": 0},
            height=140 + 36 * len(rows),
            yaxis={"autorange": "reversed", "automargin": True},
            xaxis={"title": {"text": "Actions"}, "rangemode": "tozero", "tickformat": "d"},
        ),
    )


BEFORE_AFTER_ROWS = 12  # the newest records; a longer list does not fit a screen


def before_after(records: Sequence[ThoughtRecord], empty: str) -> go.Figure:
    """Finished thought records: the feeling's strength before (circle) and after (diamond).

    One row per record, the newest :data:`BEFORE_AFTER_ROWS` at the top, keyed by id and
    labelled by the thought.
    """
    title = "The feeling before and after each thought record"
    done = [
        r
        for r in records
        if r.finished and r.intensity_before is not None and r.intensity_after is not None
    ]
    if not done:
        return empty_figure(title, empty)
    done.sort(key=lambda r: r.updated_at, reverse=True)
    done = done[:BEFORE_AFTER_ROWS]
    ids = [r.id for r in done]
    names = [textsafe.plotly_text(textsafe.preview(r.thought, 36)) for r in done]
    lines_x: list[float | None] = []
    lines_y: list[str | None] = []
    for r in done:
        lines_x += [r.intensity_before, r.intensity_after, None]
        lines_y += [r.id, r.id, None]
    link = go.Scatter(
        x=lines_x,
        y=lines_y,
        mode="lines",
        line={"color": MUTED, "width": 2},
        hoverinfo="skip",
        showlegend=False,
    )
    before = go.Scatter(
        x=[r.intensity_before for r in done],
        y=ids,
        mode="markers",
        name="Before",
        marker={"size": 12, "color": WARM, "symbol": "circle"},
        customdata=names,
        hovertemplate="%{customdata}<br>Before: %{x}/100<extra></extra>",
    )
    after = go.Scatter(
        x=[r.intensity_after for r in done],
        y=ids,
        mode="markers",
        name="After",
        marker={"size": 13, "color": ACCENT, "symbol": "diamond"},
        customdata=names,
        hovertemplate="%{customdata}<br>After: %{x}/100<extra></extra>",
    )
    return go.Figure(
        data=[link, before, after],
        layout=_layout(
            title,
            showlegend=True,
            legend={"orientation": "h", "y": 1.0, "yanchor": "bottom", "x": 1, "xanchor": "right"},
            height=150 + 34 * len(done),
            xaxis={"range": [-3, 103], "title": {"text": "Strength of the feeling (0–100)"}},
            yaxis={
                "type": "category",
                "tickvals": ids,
                "ticktext": names,
                "autorange": "reversed",
                "automargin": True,
            },
        ),
    )


# -- a workshop, for its facilitator (numbers only) -----------------------------------------
def cohort_phases(means: Mapping[str, float], empty: str) -> go.Figure:
    """Mean completion of each phase across a workshop: ``means`` maps phase name to 0..1."""
    title = "How far the group has come, phase by phase"
    if not any(means.values()):
        return empty_figure(title, empty)
    labels = list(means)
    values = [round(100 * v) for v in means.values()]
    bar = go.Bar(
        x=values,
        y=labels,
        orientation="h",
        marker={"color": ACCENT},
        text=[f"{v}%" for v in values],
        textposition="outside",
        hovertemplate="%{y}: %{x}% on average<extra></extra>",
    )
    return go.Figure(
        data=[bar],
        layout=_layout(
            title,
            height=60 + 40 * len(labels),
            yaxis={"autorange": "reversed", "automargin": True},
            xaxis={"title": {"text": "Average completion (%)"}, "range": [0, 110]},
        ),
    )


def cohort_furthest(counts: Mapping[str, int], empty: str) -> go.Figure:
    """How many participants have reached each phase as their furthest: label -> people."""
    title = "Furthest phase reached"
    if not any(counts.values()):
        return empty_figure(title, empty)
    bar = go.Bar(
        x=list(counts),
        y=list(counts.values()),
        marker={"color": ACCENT},
        text=list(counts.values()),
        textposition="outside",
        hovertemplate="%{x}: %{y} people<extra></extra>",
    )
    return go.Figure(
        data=[bar],
        layout=_layout(
            title,
            yaxis={
                "title": {"text": "People"},
                "rangemode": "tozero",
                "tickformat": "d",
                # Whole people: with few, Plotly would otherwise tick at halves.
                **({"dtick": 1} if max(counts.values()) <= 10 else {}),
            },
            xaxis={"automargin": True},
        ),
    )


def cohort_checkins(days: Sequence[tuple[date, int]], empty: str) -> go.Figure:
    """Feelings check-ins per day across the workshop (counts only)."""
    title = "Check-ins per day"
    if not any(n for _, n in days):
        return empty_figure(title, empty)
    bar = go.Bar(
        x=[d.isoformat() for d, _ in days],
        y=[n for _, n in days],
        marker={"color": ACCENT},
        hovertemplate="%{x|%d %b %Y}: %{y} check-ins<extra></extra>",
    )
    return go.Figure(
        data=[bar],
        layout=_layout(
            title,
            xaxis={"type": "date", "title": {"text": "Day"}},
            yaxis={"title": {"text": "Check-ins"}, "rangemode": "tozero", "tickformat": "d"},
            bargap=0.15,
        ),
    )
