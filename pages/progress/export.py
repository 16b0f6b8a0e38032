"""X2 Export and restore: take your work with you, or bring a backup back."""

from __future__ import annotations

from datetime import date

import streamlit as st

from workbook import exports, timefmt, ui
from workbook.navigation import PAGES
from workbook.ui import restore_form

wb = ui.store()
zone = ui.tz()
today = timefmt.local_today(zone, ui.now())

text = ui.texts().progress.export
ui.page_start(text.title, text.intro_hosted if ui.hosted() else text.intro)

st.header("Export")
formats = exports.FORMATS
key = st.radio(
    "Format",
    list(formats),
    format_func=lambda k: formats[k].label,
    key=ui.kept("export.format", "md"),
)
scope: tuple[str, ...] | None = None
since = until = None
table = None
if key in ("md", "pdf"):
    sheets = {"": "The whole workbook"} | {k: PAGES[k].title for k in exports.WORKSHEETS}
    chosen = st.selectbox(
        "What to include",
        list(sheets),
        format_func=sheets.__getitem__,
        key=ui.kept("export.scope", ""),
    )
    scope = (chosen,) if chosen else None
    if st.checkbox("Only entries between two dates", key=ui.kept("export.ranged", False)):
        left, right = st.columns(2)
        since = left.date_input(
            "From",
            key=ui.kept("export.since", date(today.year, 1, 1)),
            min_value=ui.EARLIEST_DAY,
            format="YYYY-MM-DD",
        )
        until = right.date_input(
            "To", key=ui.kept("export.until", today), min_value=ui.EARLIEST_DAY, format="YYYY-MM-DD"
        )
        if since and until and since > until:
            st.error(
                "The first date is after the second. Please check both.", icon=":material/info:"
            )
            key = ""  # nothing to download until the dates are right; restore stays below
if key == "csv":
    tables = {"": "Every table (a zip file)"} | {m.TABLE: m.TABLE for m in exports.TABLE_MODELS}
    table = (
        st.selectbox(
            "Which table",
            list(tables),
            format_func=tables.__getitem__,
            key=ui.kept("export.table", ""),
        )
        or None
    )
opts = exports.Options(worksheets=scope, since=since, until=until, table=table)
name = exports.filename(key, opts, today) if key else ""
mime = "application/zip" if key == "csv" and not table else formats[key].mime if key else ""

if key == "pdf":
    # A PDF with charts takes a few seconds: built on request, with a progress bar.
    if st.button("Build the PDF", icon=":material/picture_as_pdf:", type="primary"):
        bar = st.progress(0.0, text="Starting…")
        report = exports.make(
            "pdf",
            exports.snapshot_of(wb),
            ui.texts(),
            zone,
            exports.Options(
                worksheets=scope,
                since=since,
                until=until,
                progress=lambda f, m: bar.progress(f, text=m),
            ),
        )
        st.session_state["_export.pdf"] = (opts, name, report)
    built = st.session_state.get("_export.pdf")
    if built and built[0] == opts:  # only the PDF of the choices now on screen
        st.download_button(
            "Download the PDF",
            built[2],
            file_name=built[1],
            mime=mime,
            icon=":material/download:",
            on_click="ignore",
        )
elif key:
    texts = ui.texts()
    st.download_button(
        f"Download {name}",
        lambda: exports.make(key, exports.snapshot_of(wb), texts, zone, opts),
        file_name=name,
        mime=mime,
        icon=":material/download:",
        type="primary",
        on_click="ignore",
    )

st.header(text.restore_title)
st.write(text.restore_intro)
restore_form.show(wb, zone)
