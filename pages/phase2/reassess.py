"""P2.4 Reassess your path: directions rated for interest and strength, and a choice."""

from __future__ import annotations

import streamlit as st

from workbook import charts, textsafe, ui
from workbook.models import Direction, PathPlan

text = ui.texts().phase2.reassess
wb = ui.store()

ui.page_start(text.title, text.intro)
directions = wb.all(Direction)
st.plotly_chart(
    charts.directions_chart(directions, text.empty), width="stretch", config=charts.CONFIG
)

st.header("Add a direction")
form = ui.Form("direction")
ui.text_input(text.name_label, "dir.name")
form.error("name")
left, right = st.columns(2)
left.slider(text.interest_label, 1, 5, key=ui.kept("dir.interest", 3))
right.slider(text.strength_label, 1, 5, key=ui.kept("dir.strength", 3))
ui.text_area(text.notes_label, "dir.notes", height=80)
form.error("notes")
form.button(
    "Add direction",
    lambda: wb.add(
        Direction,
        {
            "name": ui.value("dir.name", ""),
            "interest": ui.value("dir.interest", 3),
            "strength": ui.value("dir.strength", 3),
            "notes": ui.value("dir.notes", ""),
        },
    ),
    clear=["dir.name", "dir.interest", "dir.strength", "dir.notes"],
    done="Direction added.",
)

if directions:
    st.markdown(
        "\n".join(
            f"- **{textsafe.escape_markdown(d.name)}** — interest {d.interest}/5, "
            f"strength {d.strength}/5"
            for d in directions
        )
    )
chosen = ui.choose_one(
    directions, "directions", lambda d: d.name, "Choose a direction to re-rate or remove"
)
if chosen is not None:
    edit = ui.Form(f"direction_{chosen.id}")
    e = f"dir.edit.{chosen.id}"
    left, right = st.columns(2)
    left.slider("Interest", 1, 5, key=ui.kept(f"{e}.interest", chosen.interest))
    right.slider("Strength", 1, 5, key=ui.kept(f"{e}.strength", chosen.strength))
    edit.button(
        "Save ratings",
        lambda: wb.update(
            Direction,
            chosen.id,
            {"interest": ui.value(f"{e}.interest"), "strength": ui.value(f"{e}.strength")},
        ),
        clear=[f"{e}.interest", f"{e}.strength"],
        done="Ratings saved.",
    )
    ui.confirm_delete(
        f"direction.{chosen.id}",
        f"Remove “{chosen.name}”?",
        lambda: wb.delete(Direction, chosen.id),
        done="Removed.",
    )

st.header("Your choice")
plan = wb.one(PathPlan) or PathPlan()
ui.text_area(text.correction_label, "plan.correction", plan.correction, height=140)
by_id = {d.id: d for d in directions}
st.selectbox(
    text.chosen_label,
    list(by_id),
    format_func=lambda i: by_id[i].name,
    index=None,
    placeholder="Not decided yet",
    key=ui.kept(
        "plan.chosen", plan.chosen_direction_id if plan.chosen_direction_id in by_id else None
    ),
)
plan_form = ui.Form("plan")
plan_form.error("correction")
plan_form.button(
    "Save my choice",
    lambda: wb.put_one(
        PathPlan,
        {},
        {
            "correction": ui.value("plan.correction", ""),
            "chosen_direction_id": ui.value("plan.chosen"),
        },
    ),
    clear=["plan.correction", "plan.chosen"],
    done="Saved. A direction is a choice for now, not for ever.",
)
