"""P2.1 Clear-head review: six prompts about one rejection, best after the 48 hours."""

from __future__ import annotations

import streamlit as st

from workbook import phase1, ui
from workbook.models import RecordInvalid, Review

texts = ui.texts()
text = texts.phase2.review
wb = ui.store()

rejection = ui.page_start(text.title, text.intro, per_rejection=True)
if rejection is None:
    st.stop()
if phase1.window_status(rejection, ui.now(), texts.phase1.window.hours).is_open:
    st.info(text.early_note, icon=":material/schedule:")
review = wb.one(Review, rejection_id=rejection.id)
answers = review.answers if review else {}
if review and review.finished:
    st.success(text.finished_note, icon=":material/task_alt:")

form = ui.Form(f"review_{rejection.id}")
fields = {p.key: f"review.{rejection.id}.{p.key}" for p in text.prompts}
for prompt in text.prompts:
    ui.text_area(prompt.label, fields[prompt.key], answers.get(prompt.key, ""), height=110)
    # The guidance is shown under the box, not hidden in a tooltip a phone cannot hover.
    st.caption(prompt.help)
form.other_errors([])


def _save(finished: bool | None) -> None:
    written = {key: ui.value(field, "") for key, field in fields.items()}
    if finished and not all(answer.strip() for answer in written.values()):
        raise RecordInvalid({"answers": text.need_all})
    changes: dict[str, object] = {"answers": written}
    if finished is not None:
        changes["finished"] = finished
    wb.put_one(Review, {"rejection_id": rejection.id}, changes)


left, right = st.columns(2)
with left:
    form.button(
        "Save my answers",
        lambda: _save(None),
        list(fields.values()),
        done="Your answers are saved.",
    )
with right:
    finishing = not (review and review.finished)
    form.button(
        text.finish_label if finishing else text.unfinish_label,
        lambda: _save(finishing),
        list(fields.values()),
        key=f"_finish.{rejection.id}",
        primary=False,
        done="Review finished. Well done for looking back." if finishing else "Review reopened.",
    )
