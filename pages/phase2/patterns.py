"""P2.3 Patterns across rejections: where the "no"s came, what keeps coming up, what it means."""

from __future__ import annotations

import streamlit as st

from workbook import charts, next_step, patterns, ui
from workbook.models import FeedbackRequest, Rejection

texts = ui.texts()
text = texts.phase2.patterns
wb = ui.store()

ui.page_start(text.title, text.intro)
rejections = wb.all(Rejection)  # archived ones count too: a pattern spans them all
if len(rejections) < patterns.MIN_REJECTIONS:
    st.info(text.too_few.format(count=len(rejections)), icon=":material/hourglass_empty:")
    ui.page_link("rejections", "Go to the rejection log")
    st.stop()
requests = wb.all(FeedbackRequest)
wb.set_setting(next_step.PATTERNS_SEEN, len(rejections))  # Home stops suggesting this page

counts = patterns.stage_counts(rejections)
labels = {texts.rejections.stage_label(stage): n for stage, n in counts.items()}
st.plotly_chart(
    charts.stages_chart(labels, text.too_few.format(count=len(rejections))),
    width="stretch",
    config=charts.CONFIG,
)

st.header(text.findings_title)
found = patterns.findings(rejections, requests, text.findings)
if not found:
    st.write(text.no_findings)
for finding in found:
    with st.container(border=True):
        # Findings quote the person's own tags and channels: shown as text.
        ui.show_text(finding.text)
        if finding.page in ui.PAGES:
            ui.page_link(finding.page, icon=":material/arrow_forward:")

st.header(text.tags_title)
tags = patterns.tag_counts(requests)
if tags:
    st.dataframe({"Theme": [t for t, _ in tags], "Times": [n for _, n in tags]}, hide_index=True)
else:
    st.write(text.no_tags)
