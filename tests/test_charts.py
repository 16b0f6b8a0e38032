"""Charts are pure functions: records in, a Figure out, with an empty state."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import plotly.graph_objects as go

from workbook import charts
from workbook.models import CheckIn

START = datetime(2026, 11, 1, 22, 30, tzinfo=UTC)


def test_mood_chart_empty_state_says_what_will_appear() -> None:
    fig = charts.mood_over_time([], UTC)
    assert isinstance(fig, go.Figure)
    assert fig.data == ()
    assert fig.layout.annotations[0].text == "Your check-ins will appear here."
    assert fig.layout.xaxis.visible is False


def test_mood_chart_plots_intensity_in_time_order_and_local_time() -> None:
    checkins = [
        CheckIn(emotions=["Sad"], intensity=8, felt_at=START + timedelta(hours=2)),
        CheckIn(emotions=["Calm"], intensity=3, felt_at=START),
    ]
    fig = charts.mood_over_time(checkins, ZoneInfo("Asia/Tokyo"))
    [trace] = fig.data
    assert list(trace.y) == [3, 8]
    # 22:30 UTC on the 1st is 07:30 on the 2nd in Tokyo
    assert list(trace.x) == ["2026-11-02 07:30:00", "2026-11-02 09:30:00"]
    assert fig.layout.yaxis.range == (-0.5, 10.5)
    assert trace.mode == "lines+markers"  # markers: the line's colour is not the only signal


def test_empty_messages_wrap_to_fit_a_phone_and_show_markup_literally() -> None:
    message = "No directions yet. Add the one you are pursuing now, and <b>one</b> or two more."
    text = charts.empty_figure("T", message).layout.annotations[0].text
    lines = text.split("<br>")
    assert len(lines) > 1
    assert all(len(line) <= charts.EMPTY_LINE + 12 for line in lines)  # entities add length
    assert "&lt;b&gt;one&lt;/b&gt;" in text
