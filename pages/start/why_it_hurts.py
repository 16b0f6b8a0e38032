"""S3 Why it hurts: two short explainers and the "you, outside your job" list."""

from __future__ import annotations

import streamlit as st

from workbook import textsafe, ui
from workbook.models import ValueItem

text = ui.texts().start.why_it_hurts
exercise = text.exercise
wb = ui.store()

ui.page_start(text.title, text.intro)
for explainer in text.explainers:
    st.header(explainer.title)
    st.write(explainer.body)

st.header(exercise.title)
st.write(exercise.intro)
form = ui.Form("value")
st.selectbox(
    "What kind of thing is it?", exercise.kinds, key=ui.kept("value.kind", exercise.kinds[0])
)
ui.text_input("In a few words", "value.text", placeholder=exercise.placeholder)
form.error("text")


def _add() -> None:
    wb.add(ValueItem, {"kind": ui.value("value.kind", ""), "text": ui.value("value.text", "")})


form.button("Add to my list", _add, done="Added to your list.", clear=["value.text"])

items = wb.all(ValueItem)
if not items:
    st.write(exercise.empty)
kinds = [*exercise.kinds, *sorted({i.kind for i in items} - set(exercise.kinds))]
for kind in kinds:
    mine = [i for i in items if i.kind == kind]
    if mine:
        st.subheader(textsafe.escape_markdown(kind))
        st.markdown("\n".join(f"- {textsafe.escape_markdown(i.text)}" for i in mine))
chosen = ui.choose_one(items, "values", lambda i: i.text, "Choose an item to remove")
if chosen is not None:
    ui.confirm_delete(
        f"value.{chosen.id}",
        f"Remove “{chosen.text}” from your list?",
        lambda: wb.delete(ValueItem, chosen.id),
        done="Removed.",
    )
