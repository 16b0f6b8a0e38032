"""The "add a skill" form of the skill-gap plan, with its start-from-Phase-2 chooser."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

import streamlit as st

from workbook import skills, textsafe, ui
from workbook.models import FeedbackRequest, Rejection, Skill


def add_skill(plan: Sequence[Skill], today: date) -> None:
    """Fields and button to add a skill; a Phase 2 finding or feedback can fill them in."""
    texts = ui.texts()
    text = texts.phase3.skills
    wb = ui.store()
    ideas = {
        s.key: s
        for s in skills.suggestions(
            wb.all(Rejection), wb.all(FeedbackRequest), texts.phase2.patterns.findings, plan
        )
    }

    def _start_from() -> None:
        idea = ideas.get(st.session_state.get("_skill_from") or "")
        if idea is not None:
            for key, value in {
                "skill.name": idea.name,
                "skill.source": idea.source,
                "skill.note": idea.note,
            }.items():
                st.session_state[ui.KEEP + key] = value
            st.session_state["_skill_rejection"] = idea.rejection_id

    if ideas:
        st.selectbox(
            text.from_label,
            list(ideas),
            index=None,
            placeholder="Choose…",
            format_func=lambda k: textsafe.preview(ideas[k].label, 100),
            key="_skill_from",
            on_change=_start_from,
        )
    else:
        st.caption(text.from_none)
    form = ui.Form("skill")
    ui.text_input(text.name_label, "skill.name")
    form.error("name")
    left, right = st.columns(2)
    left.selectbox(
        text.source_label,
        list(text.sources),
        format_func=text.sources.__getitem__,
        key=ui.kept("skill.source", "job_description"),
    )
    right.selectbox(
        text.resource_kind_label,
        list(text.resources),
        format_func=text.resources.__getitem__,
        key=ui.kept("skill.kind", "course"),
    )
    ui.text_input(text.source_note_label, "skill.note")
    form.error("source_note")
    ui.text_input(text.resource_label, "skill.resource")
    form.error("resource")
    ui.text_input(text.link_label, "skill.link", placeholder="https://…")
    form.error("link")
    left, right = st.columns(2)
    with left:
        ui.day_input(text.start_label, "skill.start", today)
    with right:
        ui.day_input(text.deadline_label, "skill.deadline", None)
        st.caption(text.no_deadline_label + ": leave the deadline empty.")
    form.error("deadline")
    form.other_errors(["name", "source_note", "resource", "link", "deadline"])

    def _add() -> Skill:
        skill = wb.add(
            Skill,
            {
                "name": ui.value("skill.name", ""),
                "source": ui.value("skill.source", "other"),
                "source_note": ui.value("skill.note", ""),
                "source_rejection_id": st.session_state.get("_skill_rejection"),
                "resource_kind": ui.value("skill.kind", "course"),
                "resource": ui.value("skill.resource", ""),
                "link": ui.value("skill.link", ""),
                "start_on": ui.value("skill.start") or today,
                "deadline": ui.value("skill.deadline"),
            },
        )
        # None, not pop: only a value tells the browser to empty the chooser.
        st.session_state["_skill_from"] = None
        st.session_state.pop("_skill_rejection", None)
        return f"“{skill.name}” is in your plan."

    fields = [
        "skill.name",
        "skill.source",
        "skill.note",
        "skill.kind",
        "skill.resource",
        "skill.link",
    ]
    form.button("Add to my plan", _add, clear=[*fields, "skill.start", "skill.deadline"])
