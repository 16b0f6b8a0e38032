"""P5.3 Wins beyond offers: seven kinds of gain, shown beside the small wins."""

from __future__ import annotations

import streamlit as st

from workbook import textsafe, timefmt, ui, wins
from workbook.models import BeyondWin, Win

text = ui.texts().phase5.beyond
wb = ui.store()
today = timefmt.local_today(ui.tz(), ui.now())

ui.page_start(text.title, text.intro)
gained = wb.all(BeyondWin)
small = wb.all(Win)

main, side = st.columns([2, 1], gap="large")
with main:
    st.header("Add a win")
    form = ui.Form("beyond")
    labels = {c.key: f"{c.label} — {c.hint}" for c in text.categories}
    st.selectbox(
        text.category_label,
        list(labels),
        format_func=labels.__getitem__,
        key=ui.kept("beyond.kind", text.categories[0].key),
    )
    form.error("category")
    ui.text_input(text.text_label, "beyond.text")
    form.error("text")
    ui.day_input(text.day_label, "beyond.day", today)
    form.error("day")
    form.button(
        "Add",
        lambda: wb.add(
            BeyondWin,
            {
                "category": ui.value("beyond.kind", ""),
                "text": ui.value("beyond.text", ""),
                "day": ui.value("beyond.day"),
            },
        ),
        clear=["beyond.text", "beyond.day"],
        done="Added. That is real progress.",
    )
    st.header("What you have gained")
    if not gained:
        st.write(text.empty)
    for category in text.categories:
        mine = [g for g in gained if g.category == category.key]
        mark = f"{len(mine)}" if mine else "not yet"
        st.subheader(f"{category.label} ({mark})")
        if mine:
            st.markdown(
                "\n".join(f"- {textsafe.escape_markdown(g.text)}" for g in reversed(mine[-10:]))
            )
with side:
    st.header(text.small_wins_title)
    streak = wins.streaks((w.won_on for w in small), today)
    st.metric("Small wins", f"{len(small):,}")
    st.metric("Current streak", wins.days_text(streak.current))
    recent = wins.newest_first(small)[:5]
    if recent:
        st.markdown("\n".join(f"- {textsafe.escape_markdown(w.text)}" for w in recent))
    ui.page_link("wins", "Log a small win", ":material/star:")

chosen = ui.choose_one(
    gained, "beyond", lambda g: f"{text.label(g.category)}: {g.text}", "Choose a win to delete"
)
if chosen is not None:
    ui.confirm_delete(
        f"beyond.{chosen.id}", "Delete this win?", lambda: wb.delete(BeyondWin, chosen.id)
    )
