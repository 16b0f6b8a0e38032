"""P1.4 Self-talk: the one sentence the person will tell themselves."""

from __future__ import annotations

import streamlit as st

from workbook import ui
from workbook.models import SelfTalk

text = ui.texts().phase1.self_talk
wb = ui.store()

rejection = ui.page_start(text.title, text.intro, per_rejection=True)
rejection_id = rejection.id if rejection else None
current = wb.one(SelfTalk, rejection_id=rejection_id)

if current is not None:
    st.header("Your sentence")
    with st.container(border=True):
        ui.show_text(current.sentence)

st.header("Write it" if current is None else "Change it")
st.write("Some people start from one of these:")
for example in text.examples:
    st.markdown(f"- {example}")
form = ui.Form("self_talk")
field = f"self_talk.{rejection_id}"
ui.text_area(text.label, field, current.sentence if current else "", height=100)
form.error("sentence")


form.button(
    "Save my sentence",
    lambda: wb.put_one(SelfTalk, {"rejection_id": rejection_id}, {"sentence": ui.value(field, "")}),
    clear=[field],
    done="Saved. Come back to it whenever you need it.",
)
