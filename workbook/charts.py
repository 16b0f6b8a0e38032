"""Charts: records in, ``plotly.graph_objects.Figure`` out. Each has an empty state.

Built with ``graph_objects`` rather than ``plotly.express``: the same figure costs a
fraction of the time on every rerun.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import tzinfo

import plotly.graph_objects as go

from workbook.models import CheckIn

ACCENT = "#2F6F6A"
FONT = {"family": "sans-serif", "size": 14, "color": "#1F2A2E"}


def _base(title: str) -> go.Figure:
    fig = go.Figure()
    fig.update_layout(
        title={"text": title, "x": 0},
        font=FONT,
        margin={"l": 40, "r": 16, "t": 48, "b": 40},
        height=320,
        paper_bgcolor="rgba(0,0,0,0)",
        plot_bgcolor="rgba(0,0,0,0)",
        showlegend=False,
    )
    return fig


def empty_figure(title: str, message: str) -> go.Figure:
    """A calm placeholder: no axes, one sentence in the middle."""
    fig = _base(title)
    fig.add_annotation(
        text=message, showarrow=False, x=0.5, y=0.5, xref="paper", yref="paper", font=FONT
    )
    fig.update_xaxes(visible=False)
    fig.update_yaxes(visible=False)
    return fig


def mood_over_time(checkins: Sequence[CheckIn], tz: tzinfo) -> go.Figure:
    """Intensity of each check-in over time, in the person's time zone."""
    title = "How strong the feelings were, over time"
    if not checkins:
        return empty_figure(title, "Your check-ins will appear here.")
    ordered = sorted(checkins, key=lambda c: c.felt_at)
    fig = _base(title)
    fig.add_trace(
        go.Scatter(
            x=[c.felt_at.astimezone(tz) for c in ordered],
            y=[c.intensity for c in ordered],
            mode="lines+markers",
            line={"color": ACCENT, "width": 2},
            marker={"size": 7, "symbol": "circle"},
            name="Intensity",
            hovertemplate="%{x|%d %b %Y %H:%M}<br>Intensity %{y}/10<extra></extra>",
        )
    )
    fig.update_yaxes(range=[-0.5, 10.5], title_text="Intensity (0–10)", dtick=2)
    fig.update_xaxes(title_text=None)
    return fig
