"""P4.2 More ways in: planned and done actions in channels beyond online applications."""

from __future__ import annotations

import streamlit as st

from workbook import channels, charts, textsafe, timefmt, ui
from workbook.models import ChannelAction, Rejection

text = ui.texts().phase4.channels
wb = ui.store()
today = timefmt.local_today(ui.tz(), ui.now())

ui.page_start(text.title, text.intro)
actions = wb.all(ChannelAction)
labels = {item.key: item.label for item in text.items}
rows = channels.mix(actions, labels, wb.all(Rejection), text.online_from_log, text.online_label)
st.plotly_chart(charts.channel_mix(rows, text.chart_empty), width="stretch", config=charts.CONFIG)
share = channels.share_beyond_online(rows, text.online_label)
if share is not None:
    st.caption(text.beyond_note.format(share=f"{share:.0%}"))

st.header("Plan or log an action")
form = ui.Form("action")
hints = {item.key: f"{item.label} — {item.hint}" for item in text.items}
st.radio(
    text.channel_label,
    list(hints),
    format_func=hints.__getitem__,
    key=ui.kept("action.channel", text.items[0].key),
)
ui.text_input(text.action_label, "action.text")
form.error("action")
status = st.radio(
    text.status_label,
    list(text.statuses),
    format_func=text.statuses.__getitem__,
    key=ui.kept("action.status", "planned"),
    horizontal=True,
)
if status == "done":
    ui.day_input(text.done_on_label, "action.done_on", today)
    form.error("done_on")
else:
    ui.day_input(text.planned_on_label, "action.planned_on", None)
ui.text_input(text.note_label, "action.note")
form.error("note")
form.button(
    "Save action",
    lambda: wb.add(
        ChannelAction,
        {
            "channel": ui.value("action.channel", ""),
            "action": ui.value("action.text", ""),
            "status": status,
            "planned_on": ui.value("action.planned_on") if status == "planned" else None,
            "done_on": ui.value("action.done_on") if status == "done" else None,
            "note": ui.value("action.note", ""),
        },
    ),
    clear=["action.text", "action.note", "action.planned_on", "action.done_on"],
    done="Saved. Every channel you open is another way in.",
)

st.header("Your actions")
if not actions:
    st.write(text.empty)


def _label(action: ChannelAction) -> str:
    if action.status == "done" and action.done_on:
        when = f"done {timefmt.format_day(action.done_on)}"
    elif action.planned_on:
        when = f"planned for {timefmt.format_day(action.planned_on)}"
    else:
        when = "planned"
    return f"{labels.get(action.channel, action.channel)}: {action.action} ({when})"


# What is still planned first, then what is done, newest first in each.
planned = sorted((a for a in actions if a.status == "planned"), key=lambda a: a.created_at)
finished = sorted((a for a in actions if a.status == "done"), key=lambda a: a.done_on or today)
ordered = [*reversed(planned), *reversed(finished)]
shown = ui.paginate(ordered, "actions")
if shown:
    st.markdown("\n".join(f"- {textsafe.escape_markdown(_label(a))}" for a in shown))
chosen = ui.choose_one(shown, "actions", _label, "Choose an action to mark done or delete")
if chosen is not None:
    if chosen.status == "planned":
        edit = ui.Form(f"action_{chosen.id}")
        ui.day_input(text.done_on_label, f"action.edit.{chosen.id}.done_on", today)
        edit.error("done_on")
        edit.button(
            "Mark as done",
            lambda: wb.update(
                ChannelAction,
                chosen.id,
                {"status": "done", "done_on": ui.value(f"action.edit.{chosen.id}.done_on")},
            ),
            clear=[f"action.edit.{chosen.id}.done_on"],
            done="Marked as done. Well done.",
        )
    ui.confirm_delete(
        f"action.{chosen.id}", "Delete this action?", lambda: wb.delete(ChannelAction, chosen.id)
    )
