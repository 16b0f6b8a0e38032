"""P4.3 Keep doors open: light touches with each company that said no, and check-ins due."""

from __future__ import annotations

import streamlit as st

from workbook import doors, textsafe, timefmt, ui
from workbook.models import DoorOpen, Rejection, Skill

text = ui.texts().phase4.doors
wb = ui.store()
today = timefmt.local_today(ui.tz(), ui.now())

ui.page_start(text.title, text.intro)
rejections = sorted(wb.all(Rejection), key=lambda r: r.rejected_at, reverse=True)
if not rejections:
    st.info(text.empty, icon=":material/add:")
    ui.page_link("rejections", "Go to the rejection log")
    st.stop()
kept_open = wb.all(DoorOpen)

st.header(text.due_title)
due = [d for d in doors.due_soon(kept_open, rejections, [], today, text.due_within_days)]
if due:
    st.markdown(
        "\n".join(
            f"- **{textsafe.escape_markdown(d.who)}** — check-in {doors.due_phrase(d, today)} "
            f"({timefmt.format_day(d.day)})"
            for d in due
        )
    )
else:
    st.write(text.due_none.format(days=text.due_within_days))

st.header("One company at a time")
by_id = {r.id: r for r in rejections}
zone = ui.tz()
labels = {r.id: ui.rejection_label(r, zone) for r in rejections}
current = ui.current_rejection()
choice = st.selectbox(
    text.company_label,
    list(by_id),
    format_func=labels.__getitem__,
    index=list(by_id).index(current.id) if current and current.id in by_id else 0,
    key="_doors.company",
)
rejection = by_id[choice]
door = next((d for d in kept_open if d.rejection_id == rejection.id), None)
k = f"door.{rejection.id}"
form = ui.Form(f"door_{rejection.id}")


def _tick(label: str, field: str) -> None:
    day = getattr(door, field) if door else None
    st.checkbox(
        label + (f" ({timefmt.format_day(day)})" if day else ""),
        key=ui.kept(f"{k}.{field}", day is not None),
    )


_tick(text.thank_you_label, "thank_you_on")
_tick(text.connected_label, "connected_on")
_tick(text.shared_label, "shared_on")
ui.text_input(text.shared_what_label, f"{k}.shared_what", door.shared_what if door else "")
form.error("shared_what")
default_next = (
    door.next_checkin
    if door and door.next_checkin
    else doors.default_next_checkin(today, text.checkin_months)
)
ui.day_input(text.next_checkin_label, f"{k}.next", default_next)
form.error("next_checkin")
skill_names = [s.name for s in wb.all(Skill)]
options = list(dict.fromkeys([*skill_names, *(door.mention if door else [])]))
st.multiselect(
    text.mention_label, options, key=ui.kept(f"{k}.mention", door.mention if door else [])
)
ui.text_input(text.own_mention_label, f"{k}.own_mention")
ui.text_area(text.notes_label, f"{k}.notes", door.notes if door else "", height=90)
form.error("notes")
st.checkbox(text.closed_label, key=ui.kept(f"{k}.closed", door.closed if door else False))
form.other_errors(["shared_what", "next_checkin", "notes"])


def _day(field: str) -> object:
    # Keep the day first ticked; a new tick is dated today.
    if not ui.value(f"{k}.{field}"):
        return None
    return (getattr(door, field) if door else None) or today


def _save() -> str:
    own = textsafe.split_list(ui.value(f"{k}.own_mention", ""))
    wb.put_one(
        DoorOpen,
        {"rejection_id": rejection.id},
        {
            "thank_you_on": _day("thank_you_on"),
            "connected_on": _day("connected_on"),
            "shared_on": _day("shared_on"),
            "shared_what": ui.value(f"{k}.shared_what", ""),
            "next_checkin": ui.value(f"{k}.next"),
            "mention": [*ui.value(f"{k}.mention", []), *own],
            "notes": ui.value(f"{k}.notes", ""),
            "closed": ui.value(f"{k}.closed", False),
        },
    )
    return f"Saved for {rejection.company}."


fields = [
    f"{k}.{f}"
    for f in (
        "thank_you_on",
        "connected_on",
        "shared_on",
        "shared_what",
        "next",
        "mention",
        "own_mention",
        "notes",
        "closed",
    )
]
form.button("Save", _save, clear=fields)
if door is not None and not door.closed:

    def _checked_in() -> str:
        changes = doors.checked_in(today, text.checkin_months)
        wb.update(DoorOpen, door.id, changes)
        ui.reset(*fields)
        return text.checked_in_done.format(day=timefmt.format_day(changes["next_checkin"]))

    ui.Form(f"door_touch_{rejection.id}").button(
        text.checked_in_label, _checked_in, key=f"_doors.touch.{rejection.id}", primary=False
    )
