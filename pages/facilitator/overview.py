"""The facilitator's overview: how the group is doing, from numbers only."""

from __future__ import annotations

import streamlit as st

from workbook import charts, progress, timefmt, ui
from workbook.cohort import report
from workbook.navigation import PAGES
from workbook.ui import auth

host = auth.host()
texts = ui.texts()
text = texts.cohort.overview
zone = ui.tz()
st.title(host.cohort.title)
st.write(text.intro)

anonymise = not st.toggle(
    text.names_toggle,
    value=bool(host.cohort.setting("show_names", False)),
    help=text.names_help,
)
if anonymise == bool(host.cohort.setting("show_names", False)):
    host.cohort.set_setting("show_names", not anonymise)
rows = host.rows(anonymise=anonymise)
agg = report.aggregate(rows)

left, middle, right = st.columns(3)
left.metric(text.participants, agg.participants)
middle.metric(text.started, agg.started)
right.metric(text.open_codes, sum(i.state == "open" for i in host.cohort.invites()))
if not rows:
    st.info(text.no_one, icon=":material/info:")
    ui.page_link("people", text.people_link)

names = {p.key: p.name for p in texts.start.home.phases}
empty = text.empty_chart
st.header(text.progress_title)
st.plotly_chart(
    charts.cohort_phases({names.get(k, k): v for k, v in agg.phase_mean.items()}, empty),
    config={"displayModeBar": False},
)
furthest = {
    text.not_started if k == 0 else names.get(report.PHASE_KEYS[k - 1], f"Phase {k}"): n
    for k, n in agg.furthest.items()
}
st.plotly_chart(charts.cohort_furthest(furthest, empty), config={"displayModeBar": False})
stages = {texts.rejections.stage_label(s): n for s, n in agg.stages.items()}
st.plotly_chart(charts.stages_chart(stages, text.no_rejections), config={"displayModeBar": False})
today = timefmt.local_today(zone, ui.now())
st.plotly_chart(
    charts.cohort_checkins(report.recent_days(agg.checkins_per_day, today), empty),
    config={"displayModeBar": False},
)

st.header(text.worksheets_title)
st.dataframe(
    {
        text.worksheet_column: [PAGES[k].title for k in progress.RULES],
        text.finished_column: [agg.worksheet_done[k] for k in progress.RULES],
    },
    hide_index=True,
    height=35 * (len(progress.RULES) + 1) + 3,  # every worksheet, no scrolling inside
)

st.header(text.participants_title)
lines = report.table(rows)
phase_columns = {f"{k}_percent": f"Phase {n}" for n, k in enumerate(report.PHASE_KEYS, 1)}
st.dataframe(
    lines,
    hide_index=True,
    column_order=["participant", "furthest_phase", *phase_columns, "worksheets_done"],
    column_config={
        "participant": text.participant_column,
        "furthest_phase": st.column_config.NumberColumn(text.furthest_column, format="%d"),
        **{
            key: st.column_config.ProgressColumn(label, min_value=0, max_value=100, format="%d%%")
            for key, label in phase_columns.items()
        },
        "worksheets_done": st.column_config.NumberColumn(text.done_column, format="%d"),
    },
)
st.download_button(
    text.download,
    report.csv_bytes(rows),
    file_name="workshop-progress.csv",
    mime="text/csv",
    icon=":material/download:",
    on_click="ignore",
)
