"""The rejection form, shared by "add" and "edit" on the rejection log."""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Any

import streamlit as st

from workbook import timefmt, ui
from workbook.models import Rejection, Stage

FIELDS = ("company", "role", "applied_on", "no_day", "no_time", "stage", "channel", "notes")


def keys(prefix: str) -> list[str]:
    return [f"{prefix}.{field}" for field in FIELDS]


def fields(form: ui.Form, prefix: str, record: Rejection | None) -> None:
    """Draw the fields, seeded from ``record`` (editing) or from today (adding)."""
    zone = ui.tz()
    now = timefmt.to_local(ui.now(), zone)
    no_local = timefmt.to_local(record.rejected_at, zone) if record else now
    text = ui.texts().rejections
    left, right = st.columns(2)
    with left:
        ui.text_input(
            "Company",
            f"{prefix}.company",
            record.company if record else "",
            max_chars=None,
            placeholder="Who said no?",
        )
        form.error("company")
    with right:
        ui.text_input(
            "Role", f"{prefix}.role", record.role if record else "", placeholder="The job title"
        )
        form.error("role")
    left, middle, right = st.columns(3)
    with left:
        ui.day_input(
            "Date you applied (optional)",
            f"{prefix}.applied_on",
            record.applied_on if record else None,
        )
        form.error("applied_on")
    with middle:
        ui.day_input("Date of the “no”", f"{prefix}.no_day", no_local.date())
        form.error("rejected_at")
    with right:
        st.time_input(
            "Time it arrived",
            key=ui.kept(f"{prefix}.no_time", no_local.time().replace(second=0, microsecond=0)),
            step=300,
        )
    stages = list(Stage)
    st.selectbox(
        "Furthest stage you reached",
        stages,
        key=ui.kept(f"{prefix}.stage", record.stage if record else Stage.APPLICATION),
        format_func=text.stage_label,
        help="Count every round you passed: this is how patterns show up later.",
    )
    channels = list(text.channels.options)
    if record and record.channel and record.channel not in channels:
        channels.append(record.channel)
    # Not pre-filled: a default would count in the patterns as if the person had chosen it.
    st.selectbox(
        "How you found the job (optional)",
        channels,
        placeholder="Choose…",
        key=ui.kept(f"{prefix}.channel", record.channel if record and record.channel else None),
    )
    ui.text_area("Notes (optional)", f"{prefix}.notes", record.notes if record else "")
    form.error("notes")
    form.other_errors(["company", "role", "applied_on", "rejected_at", "notes"])


def values(prefix: str) -> dict[str, Any]:
    """The record data the fields hold now (local date and time turned into UTC)."""
    day = ui.value(f"{prefix}.no_day")
    at = ui.value(f"{prefix}.no_time") or time(12, 0)
    rejected_at: datetime | None = (
        timefmt.from_local(day, at, ui.tz()) if isinstance(day, date) else None
    )
    return {
        "company": ui.value(f"{prefix}.company", ""),
        "role": ui.value(f"{prefix}.role", ""),
        "applied_on": ui.value(f"{prefix}.applied_on"),
        "rejected_at": rejected_at,
        "stage": ui.value(f"{prefix}.stage", Stage.APPLICATION),
        "channel": ui.value(f"{prefix}.channel") or "",
        "notes": ui.value(f"{prefix}.notes", ""),
    }
