"""X1 Progress: completion per phase and worksheet, and every chart in one place."""

from __future__ import annotations

import streamlit as st

from workbook import channels, charts, patterns, progress, skills, timefmt, ui, wins
from workbook.models import ChannelAction, CheckIn, Rejection, Skill, ThoughtRecord, Win

texts = ui.texts()
text = texts.phase5.dashboard
wb = ui.store()
zone = ui.tz()
today = timefmt.local_today(zone, ui.now())

ui.page_start(text.title, text.intro)
done = ui.completion()
names = {p.key: p.name for p in texts.start.home.phases}

st.header(text.phases_title)
for phase, share in progress.phases(done).items():
    keys = progress.PHASES[phase]
    finished = sum(done[k].done for k in keys)
    st.progress(share, text=f"{names.get(phase, phase)}: {finished} of {len(keys)} worksheets done")

st.header(text.worksheets_title)
for phase, keys in progress.PHASES.items():
    with st.expander(names.get(phase, phase)):
        lines = []
        for key in keys:
            c = done[key]
            mark = f"✓ {text.done_label}" if c.done else f"○ {text.not_yet_label}"
            lines.append(f"- **{ui.PAGES[key].title}** — {mark} · {c.note}")
        st.markdown("\n".join(lines))
        for key in keys:
            if not done[key].done:
                ui.page_link(key, f"Open {ui.PAGES[key].title}", ":material/arrow_forward:")

st.header(text.charts_title)


@st.cache_resource(max_entries=4, show_spinner=False)
def _figures(path: str, generation: int, zone_key: str, day: object) -> list[object]:
    # Built once per saved state of the workbook (and zone and day), not on every rerun.
    rejections = wb.all(Rejection)
    stages = {
        texts.rejections.stage_label(s): n for s, n in patterns.stage_counts(rejections).items()
    }
    ch = texts.phase4.channels
    labels = {i.key: i.label for i in ch.items}
    mix = channels.mix(
        wb.all(ChannelAction), labels, rejections, ch.online_from_log, ch.online_label
    )
    plan = skills.in_order(wb.all(Skill), today)
    return [
        charts.mood_by_week(wb.all(CheckIn), zone, texts.phase1.feelings.empty),
        charts.wins_per_week(wins.per_week(wb.all(Win), today, 26), texts.phase3.wins.chart_empty),
        charts.stages_chart(stages, texts.phase2.patterns.too_few.format(count=len(rejections))),
        charts.skills_timeline(
            plan, today, texts.phase3.skills.chart_empty, texts.phase3.skills.statuses
        ),
        charts.channel_mix(mix, ch.chart_empty),
        charts.before_after(wb.all(ThoughtRecord), texts.phase5.reframe.empty_history),
    ]


for figure in _figures(str(wb.path), wb.file.generation, str(zone), today):
    st.plotly_chart(figure, width="stretch", config=charts.CONFIG)
