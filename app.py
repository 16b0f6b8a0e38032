"""Rebound: the router. Page config, shared setup, navigation, run — nothing else."""

from __future__ import annotations

import streamlit as st

from workbook import ui
from workbook.navigation import SECTIONS

st.set_page_config(page_title="Rebound", page_icon=ui.FAVICON, layout="centered")
ui.setup()
navigation = st.navigation(
    {
        section: [
            st.Page(
                spec.file,
                title=spec.title,
                icon=spec.icon,
                url_path=spec.url_path,
                default=spec.default,
            )
            for spec in specs
        ]
        for section, specs in SECTIONS.items()
    }
)
ui.keep_widget_state(navigation.url_path)
navigation.run()
