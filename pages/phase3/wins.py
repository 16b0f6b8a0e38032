"""P3.1 Small wins: log a step in one action, see the streak and the weekly momentum."""

from __future__ import annotations

import streamlit as st

from workbook import charts, textsafe, timefmt, ui, wins
from workbook.models import Win

text = ui.texts().phase3.wins
wb = ui.store()
today = timefmt.local_today(ui.tz(), ui.now())

ui.page_start(text.title, text.intro)
logged = wb.all(Win)
streak = wins.streaks((w.won_on for w in logged), today)

current, longest, total = st.columns(3)
current.metric(text.current_label, wins.days_text(streak.current))
longest.metric(text.longest_label, wins.days_text(streak.longest))
total.metric(text.total_label, f"{len(logged):,}")
if streak.logged_today:
    st.success(text.streak_today, icon=":material/star:")
elif streak.current:
    st.info(text.streak_alive, icon=":material/local_fire_department:")
elif logged:
    st.info(text.streak_rest, icon=":material/self_improvement:")

st.header("Log a win")
form = ui.Form("win")
ui.text_input(text.text_label, "win.text", placeholder=text.text_placeholder)
form.error("text")
left, right = st.columns(2)
with left:
    st.selectbox(
        text.category_label, text.categories, key=ui.kept("win.category", text.categories[0])
    )
with right:
    ui.day_input(text.day_label, "win.day", today)
form.error("won_on")
form.button(
    text.save_label,
    lambda: wb.add(
        Win,
        {
            "text": ui.value("win.text", ""),
            "category": ui.value("win.category", ""),
            "won_on": ui.value("win.day") or today,
        },
    ),
    clear=["win.text", "win.day"],
    done=text.saved,
)

st.header("Momentum")
spans = {"Last 12 weeks": 12, "Last 6 months": 26, "Last year": 52, "Everything": None}
span = st.segmented_control(
    "Show", list(spans), key=ui.kept("win.span", "Last 12 weeks"), selection_mode="single"
)
weeks = wins.per_week(logged, today, spans.get(span or "Last 12 weeks", 12))
st.plotly_chart(
    charts.wins_per_week(weeks, text.chart_empty), width="stretch", config=charts.CONFIG
)

st.header("Your wins")
if not logged:
    st.write(text.empty)
shown = ui.paginate(wins.newest_first(logged), "wins")


def _label(win: Win) -> str:
    category = f" · {win.category}" if win.category else ""
    return f"{timefmt.format_day(win.won_on)}{category} — {win.text}"


if shown:
    st.markdown("\n".join(f"- {textsafe.escape_markdown(_label(w))}" for w in shown))
chosen = ui.choose_one(shown, "wins", _label, "Choose a win to change or delete")
if chosen is not None:
    edit = ui.Form(f"win_{chosen.id}")
    e = f"win.edit.{chosen.id}"
    ui.text_input("Your win", f"{e}.text", chosen.text)
    edit.error("text")
    edit.button(
        "Save changes",
        lambda: wb.update(Win, chosen.id, {"text": ui.value(f"{e}.text", "")}),
        clear=[f"{e}.text"],
        done="Win updated.",
    )
    ui.confirm_delete(f"win.{chosen.id}", "Delete this win?", lambda: wb.delete(Win, chosen.id))
