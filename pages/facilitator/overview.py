"""The facilitator's overview: how the group is doing, from numbers only."""

from __future__ import annotations

import streamlit as st

from workbook import charts, progress, timefmt, ui
from workbook.cohort import report
from workbook.navigation import PAGES
from workbook.ui import auth

host = auth.host()
texts = ui.texts()
zone = ui.tz()
st.title(host.cohort.title)
st.write(
    "How the group is doing, from each person's progress numbers. Their writing is locked "
    "with their own passwords: you see a worksheet only when someone shares it with you."
)

anonymise = not st.toggle(
    "Show participants' names",
    value=bool(host.cohort.setting("show_names", False)),
    help="Off: people are shown as Participant 1, 2, 3… in the order they joined.",
)
if anonymise == bool(host.cohort.setting("show_names", False)):
    host.cohort.set_setting("show_names", not anonymise)
rows = host.rows(anonymise=anonymise)
agg = report.aggregate(rows)

left, middle, right = st.columns(3)
left.metric("Participants", agg.participants)
middle.metric("Started", agg.started)
right.metric("Invite codes open", sum(i.state == "open" for i in host.cohort.invites()))
if not rows:
    st.info(
        "No one has joined yet. Create invite codes on the People page and hand them out.",
        icon=":material/info:",
    )
    ui.page_link("people", "Go to People")

names = {p.key: p.name for p in texts.start.home.phases}
empty = "Nothing to show until participants save some work."
st.header("Progress")
st.plotly_chart(
    charts.cohort_phases({names.get(k, k): v for k, v in agg.phase_mean.items()}, empty),
    config={"displayModeBar": False},
)
furthest = {
    "Not started" if k == 0 else names.get(report.PHASE_KEYS[k - 1], f"Phase {k}"): n
    for k, n in agg.furthest.items()
}
st.plotly_chart(charts.cohort_furthest(furthest, empty), config={"displayModeBar": False})
stages = {texts.rejections.stage_label(s): n for s, n in agg.stages.items()}
st.plotly_chart(
    charts.stages_chart(stages, "No rejections logged yet."), config={"displayModeBar": False}
)
today = timefmt.local_today(zone, ui.now())
st.plotly_chart(
    charts.cohort_checkins(report.recent_days(agg.checkins_per_day, today), empty),
    config={"displayModeBar": False},
)

st.header("Worksheets finished")
st.dataframe(
    {
        "Worksheet": [PAGES[k].title for k in progress.RULES],
        "People who finished it": [agg.worksheet_done[k] for k in progress.RULES],
    },
    hide_index=True,
)

st.header("Participants")
st.dataframe(report.table(rows), hide_index=True)
st.download_button(
    "Download this table (CSV)",
    report.csv_bytes(rows),
    file_name="workshop-progress.csv",
    mime="text/csv",
    icon=":material/download:",
    on_click="ignore",
)
