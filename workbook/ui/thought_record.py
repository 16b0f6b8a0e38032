"""The steps of a thought record (P5.1): one step at a time, saved at each step.

The original thought stays in view on every step once it is written. Each step checks
only what it needs (``workbook.reframe.missing``); finishing checks the whole record.
"""

from __future__ import annotations

from typing import Any

import streamlit as st

from workbook import reframe, textsafe, ui
from workbook.content import ReframeContent
from workbook.models import RecordInvalid, ThoughtRecord

FIELDS: dict[str, tuple[str, ...]] = {
    "situation": ("situation",),
    "feeling": ("feeling", "intensity_before"),
    "thought": ("thought",),
    "traps": ("traps", "own_traps"),
    "evidence": ("evidence_for", "evidence_against"),
    "rewrite": ("rewritten",),
    "rerate": ("intensity_after",),
}


def _key(record: ThoughtRecord, field: str) -> str:
    return f"tr.{record.id}.{field}"


def _values(record: ThoughtRecord, step: str) -> dict[str, Any]:
    values = {f: ui.value(_key(record, f)) for f in FIELDS[step]}
    if step == "traps":
        own = textsafe.split_list(values.pop("own_traps") or "")
        values["traps"] = [*(values["traps"] or []), *own]
    return values


def _move(record: ThoughtRecord, step: str, to: int, *, finish: bool = False) -> str:
    values = _values(record, step)
    problems = reframe.missing(step, values) if to > record.step or finish else {}
    if problems:
        raise RecordInvalid(problems)
    changes = values | {"step": to} | ({"finished": True} if finish else {})
    saved = ui.store().update(ThoughtRecord, record.id, changes)
    ui.reset(*(_key(record, f) for f in FIELDS[step]))
    if not finish:
        return "Saved."
    text = ui.texts().phase5.reframe
    eased = reframe.change(saved)
    if eased:
        return text.finished.format(before=saved.intensity_before, after=saved.intensity_after)
    return text.finished_same


def _pick_suggestion(record: ThoughtRecord) -> None:
    choice = st.session_state.get(f"_tr.{record.id}.idea")
    if choice:
        st.session_state[ui.KEEP + _key(record, "rewritten")] = choice


def show(record: ThoughtRecord, text: ReframeContent) -> None:
    """The current step of ``record``, with Back / Next (or Finish)."""
    steps = text.steps
    index = min(record.step, len(steps) - 1)
    step = steps[index].key
    st.progress(index / len(steps), text=f"Step {index + 1} of {len(steps)}: {steps[index].label}")
    if record.thought and step != "thought":
        with st.container(border=True):
            st.caption(text.your_thought)
            ui.show_text(f"“{record.thought}”")
    form = ui.Form(f"tr_{record.id}")
    k = lambda field: _key(record, field)  # noqa: E731
    if step == "situation":
        ui.text_area(text.situation_label, k("situation"), record.situation, height=100)
    elif step == "feeling":
        ui.text_input(text.feeling_label, k("feeling"), record.feeling)
        form.error("feeling")
        start = record.intensity_before if record.intensity_before is not None else 50
        st.slider(text.intensity_label, 0, 100, step=5, key=ui.kept(k("intensity_before"), start))
    elif step == "thought":
        ui.text_area(
            text.thought_label, k("thought"), record.thought, height=90, help=text.thought_help
        )
    elif step == "traps":
        keys = [t.key for t in text.traps]
        known = [t for t in record.traps if t in keys]
        st.multiselect(
            text.traps_label, keys, format_func=text.trap_label, key=ui.kept(k("traps"), known)
        )
        own = ", ".join(t for t in record.traps if t not in keys)
        ui.text_input(text.own_traps_label, k("own_traps"), own)
        with st.expander("What each trap means"):
            st.markdown("\n".join(f"- **{t.label}** — {t.hint}" for t in text.traps))
    elif step == "evidence":
        ui.text_area(text.for_label, k("evidence_for"), record.evidence_for, height=110)
        ui.text_area(text.against_label, k("evidence_against"), record.evidence_against, height=110)
    elif step == "rewrite":
        ideas = reframe.suggestions(record.thought, text.suggestions)
        if ideas:
            st.selectbox(
                text.suggestions_label,
                ideas,
                index=None,
                placeholder="Choose…",
                key=f"_tr.{record.id}.idea",
                on_change=_pick_suggestion,
                args=(record,),
            )
        ui.text_area(text.rewrite_label, k("rewritten"), record.rewritten, height=100)
    else:
        start = (
            record.intensity_after
            if record.intensity_after is not None
            else (record.intensity_before if record.intensity_before is not None else 50)
        )
        st.slider(text.after_label, 0, 100, step=5, key=ui.kept(k("intensity_after"), start))
    form.other_errors(["feeling"])
    back, forward = st.columns(2)
    with back:
        if index > 0:
            form.button(
                "← Back",
                lambda: _move(record, step, index - 1),
                key=f"_tr.{record.id}.back",
                primary=False,
                done="Saved.",
            )
    with forward:
        if index < len(steps) - 1:
            form.button("Next →", lambda: _move(record, step, index + 1), done="Saved.")
        else:
            form.button("Finish", lambda: _move(record, step, index, finish=True))
