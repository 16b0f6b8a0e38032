"""P5.2 Growth mindset: "I can't …" rewritten as "not yet", and challenges as chances to grow."""

from __future__ import annotations

import streamlit as st

from workbook import growth, textsafe, ui
from workbook.models import GrowthChallenge, MindsetRewrite

text = ui.texts().phase5.growth
wb = ui.store()

ui.page_start(text.title, text.intro)
rewrites = wb.all(MindsetRewrite)
challenges = wb.all(GrowthChallenge)


def _suggest() -> None:
    # A first "not yet" appears as soon as the "I can't" is typed; the person edits it.
    if not ui.value("growth.yet"):
        yet = ui.KEEP + "growth.yet"
        st.session_state[yet] = growth.not_yet(ui.value("growth.cant", ""))
        ui.store().set_text_draft(yet, st.session_state[yet])


st.header("From “I can't” to “not yet”")
form = ui.Form("rewrite")
ui.text_input(text.cant_label, "growth.cant", placeholder=text.cant_placeholder, then=_suggest)
form.error("cant")
ui.text_input(text.yet_label, "growth.yet", help=text.yet_help)
form.error("not_yet")
form.button(
    "Save this rewrite",
    lambda: wb.add(
        MindsetRewrite, {"cant": ui.value("growth.cant", ""), "not_yet": ui.value("growth.yet", "")}
    ),
    clear=["growth.cant", "growth.yet"],
    done="Saved. Not yet is a long way from never.",
)
if rewrites:
    st.markdown(
        "\n".join(
            f"- ~~{textsafe.escape_markdown(r.cant)}~~ → **{textsafe.escape_markdown(r.not_yet)}**"
            for r in reversed(rewrites[-20:])
        )
    )
else:
    st.write(text.empty_rewrites)

st.header(text.challenges_title)
cform = ui.Form("challenge")
ui.text_input(text.challenge_label, "growth.challenge")
cform.error("challenge")
ui.text_input(text.growth_label, "growth.growth")
cform.error("growth")
cform.button(
    "Add challenge",
    lambda: wb.add(
        GrowthChallenge,
        {"challenge": ui.value("growth.challenge", ""), "growth": ui.value("growth.growth", "")},
    ),
    clear=["growth.challenge", "growth.growth"],
    done="Added.",
)
if challenges:
    st.markdown(
        "\n".join(
            f"- {textsafe.escape_markdown(c.challenge)} — *{textsafe.escape_markdown(c.growth)}*"
            for c in reversed(challenges[-20:])
        )
    )
else:
    st.write(text.empty_challenges)

everything = [*rewrites, *challenges]
chosen = ui.choose_one(
    everything,
    "growth",
    lambda r: r.cant if isinstance(r, MindsetRewrite) else r.challenge,
    "Choose an entry to delete",
)
if chosen is not None:
    ui.confirm_delete(
        f"growth.{chosen.id}", "Delete this entry?", lambda: wb.delete(type(chosen), chosen.id)
    )
