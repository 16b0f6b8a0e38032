"""Rebound: the router. Page config, shared setup, navigation, run — nothing else."""

from __future__ import annotations

import streamlit as st

from workbook import ui
from workbook.navigation import sections_for

st.set_page_config(page_title="Rebound", page_icon=ui.FAVICON, layout="centered")
# Who is here decides which pages exist this run (in a hosted workshop: signed in or not,
# participant or facilitator); a page outside that list cannot be opened, even by URL.
role = ui.setup()
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
        for section, specs in sections_for(role).items()
    }
)
ui.keep_widget_state(navigation.url_path)
navigation.run()
