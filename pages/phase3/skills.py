"""P3.2 Skill-gap plan: skills with a source, a resource, a deadline and progress, on a timeline."""

from __future__ import annotations

import streamlit as st

from workbook import charts, skills, textsafe, timefmt, ui
from workbook.models import Skill
from workbook.ui import skill_form

texts = ui.texts()
text = texts.phase3.skills
wb = ui.store()
today = timefmt.local_today(ui.tz(), ui.now())

ui.page_start(text.title, text.intro)
plan = skills.in_order(wb.all(Skill), today)
overdue = [s for s in plan if skills.is_overdue(s, today)]
if overdue:
    st.warning(text.overdue_note.format(n=len(overdue)), icon=":material/schedule:")
st.plotly_chart(
    charts.skills_timeline(plan, today, text.chart_empty, text.statuses),
    width="stretch",
    config=charts.CONFIG,
)

st.header("Add a skill")
skill_form.add_skill(plan, today)

st.header("Your plan")
if not plan:
    st.write(text.empty)


def _line(skill: Skill) -> str:
    left = skills.days_left(skill, today)
    due = "no deadline" if skill.deadline is None else f"due {timefmt.format_day(skill.deadline)}"
    if skills.is_overdue(skill, today):
        due = f"⚠ overdue by {-left} day{'s' if left != -1 else ''}" if left is not None else due
    status = text.statuses.get(skill.status, skill.status)
    return f"{skill.name} — {status}, {skill.progress}% — {due}"


shown = ui.paginate(plan, "skills")
if shown:
    st.markdown("\n".join(f"- {textsafe.escape_markdown(_line(s))}" for s in shown))
chosen = ui.choose_one(shown, "skills", lambda s: s.name, "Choose a skill to update")
if chosen is not None:
    edit = ui.Form(f"skill_{chosen.id}")
    e = f"skill.edit.{chosen.id}"
    if chosen.resource or chosen.link:
        ui.show_text(f"{text.resources.get(chosen.resource_kind, '')}: {chosen.resource}")
        if chosen.link:
            st.link_button("Open the resource", chosen.link, icon=":material/open_in_new:")
    if chosen.source_note:
        ui.show_text(chosen.source_note, caption=True)
    left, right = st.columns(2)
    left.selectbox(
        text.status_label,
        list(text.statuses),
        format_func=text.statuses.__getitem__,
        key=ui.kept(f"{e}.status", chosen.status),
    )
    right.slider(text.progress_label, 0, 100, step=5, key=ui.kept(f"{e}.progress", chosen.progress))
    ui.day_input(text.deadline_label, f"{e}.deadline", chosen.deadline)
    edit.error("deadline")
    edit.other_errors(["deadline"])
    edit.button(
        "Save changes",
        lambda: wb.update(
            Skill,
            chosen.id,
            {
                "status": ui.value(f"{e}.status"),
                "progress": ui.value(f"{e}.progress"),
                "deadline": ui.value(f"{e}.deadline"),
            },
        ),
        clear=[f"{e}.status", f"{e}.progress", f"{e}.deadline"],
        done="Plan updated.",
    )
    ui.confirm_delete(
        f"skill.{chosen.id}",
        f"Remove “{chosen.name}” from your plan?",
        lambda: wb.delete(Skill, chosen.id),
        done="Removed from your plan.",
    )
