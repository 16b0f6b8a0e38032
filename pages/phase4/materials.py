"""P4.1 Materials refresh: a checklist per document, and a bank of better answers."""

from __future__ import annotations

import streamlit as st

from workbook import materials, textsafe, timefmt, ui
from workbook.models import AnswerEntry, FeedbackRequest, MaterialsChecklist

text = ui.texts().phase4.materials
wb = ui.store()
today = timefmt.local_today(ui.tz(), ui.now())

ui.page_start(text.title, text.intro)
checklist = wb.one(MaterialsChecklist)
done, total = materials.checklist_progress(checklist, text.step_keys)
st.progress(done / total if total else 0.0, text=f"{done} of {total} steps done")
ticked = dict(checklist.done) if checklist else {}


def _tick(step: str) -> None:
    # Saved the moment it is ticked: a checklist has no Save button to forget.
    current = dict((wb.one(MaterialsChecklist) or MaterialsChecklist()).done)
    if st.session_state[f"_mat.{step}"]:
        current.setdefault(step, today)
    else:
        current.pop(step, None)
    wb.put_one(MaterialsChecklist, {}, {"done": current})


for part in text.parts:
    with st.expander(part.label, expanded=True):
        for step in part.steps:
            st.session_state[f"_mat.{step.key}"] = step.key in ticked
            when = f" (done {timefmt.format_day(ticked[step.key])})" if step.key in ticked else ""
            st.checkbox(
                step.label + when, key=f"_mat.{step.key}", on_change=_tick, args=(step.key,)
            )

st.header(text.bank_title)
st.write(text.bank_intro)
answers = wb.all(AnswerEntry)
seeds = {
    s.theme: s
    for s in materials.question_seeds(
        wb.all(FeedbackRequest), answers, text.questions_for, text.seed_fallback
    )
}


def _seed() -> None:
    seed = seeds.get(st.session_state.get("_answer_seed") or "")
    if seed is not None:
        st.session_state[ui.KEEP + "answer.question"] = seed.question


if seeds:
    st.selectbox(
        text.seeds_label,
        list(seeds),
        index=None,
        placeholder="Choose…",
        format_func=lambda t: f"{t} (came up {seeds[t].times}×)",
        key="_answer_seed",
        on_change=_seed,
    )
form = ui.Form("answer")
ui.text_input(text.question_label, "answer.question")
form.error("question")
ui.text_area(text.answer_label, "answer.answer", height=140)
form.error("answer")


def _add() -> str:
    wb.add(
        AnswerEntry,
        {
            "question": ui.value("answer.question", ""),
            "answer": ui.value("answer.answer", ""),
            "theme": st.session_state.get("_answer_seed") or "",
        },
    )
    st.session_state["_answer_seed"] = None  # a value empties the chooser in the browser
    return "Added to your answer bank."


form.button("Add to my answers", _add, clear=["answer.question", "answer.answer"])

if not answers:
    st.write(text.bank_empty)
shown = ui.paginate(list(reversed(answers)), "answers")
if shown:
    st.markdown(
        "\n".join(
            f"- {'✓ ready' if a.ready else '○ in progress'} — "
            f"{textsafe.escape_markdown(textsafe.preview(a.question, 120))}"
            for a in shown
        )
    )
chosen = ui.choose_one(shown, "answers", lambda a: a.question, "Choose a question to work on")
if chosen is not None:
    edit = ui.Form(f"answer_{chosen.id}")
    e = f"answer.edit.{chosen.id}"
    ui.show_text(chosen.question)
    ui.text_area(text.answer_label, f"{e}.answer", chosen.answer, height=200)
    edit.error("answer")
    st.checkbox(text.ready_label, key=ui.kept(f"{e}.ready", chosen.ready))
    edit.button(
        "Save answer",
        lambda: wb.update(
            AnswerEntry,
            chosen.id,
            {"answer": ui.value(f"{e}.answer", ""), "ready": ui.value(f"{e}.ready", False)},
        ),
        clear=[f"{e}.answer", f"{e}.ready"],
        done="Answer saved.",
    )
    ui.confirm_delete(
        f"answer.{chosen.id}",
        "Delete this question and its answer?",
        lambda: wb.delete(AnswerEntry, chosen.id),
    )
