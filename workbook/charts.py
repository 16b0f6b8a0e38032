"""Charts: records in, ``plotly.graph_objects.Figure`` out. Each has an empty state.

Built with ``graph_objects`` rather than ``plotly.express``: the same figure costs a
fraction of the time on every rerun.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, tzinfo
from typing import Any

import plotly.graph_objects as go

from workbook.models import CheckIn

ACCENT = "#2F6F6A"
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


def empty_figure(title: str, message: str) -> go.Figure:
    """A calm placeholder: no axes, one sentence in the middle."""
    return go.Figure(
        layout=_layout(
            title,
            height=180,
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
            yaxis={"range": [-0.5, 10.5], "title": {"text": "Intensity (0–10)"}, "dtick": 2},
        ),
    )
