"""P3.3 Support team: five roles, a person for each, last contact and next check-in."""

from __future__ import annotations

from datetime import timedelta

import streamlit as st

from workbook import timefmt, ui
from workbook.models import SupportPerson

text = ui.texts().phase3.team
wb = ui.store()
today = timefmt.local_today(ui.tz(), ui.now())

ui.page_start(text.title, text.intro)
team = {p.role: p for p in wb.all(SupportPerson)}


def _when(day: object) -> str:
    return timefmt.format_day(day) if day else "not set"  # type: ignore[arg-type]


st.header(text.roles_heading)
for role in text.roles:
    person = team.get(role.key)
    with st.container(border=True):
        st.subheader(role.label)
        st.caption(role.hint)
        if person is None:
            st.markdown(f":material/person_add: {text.empty_role}")
            continue
        ui.show_text(f"{person.name}" + (f" · {person.contact}" if person.contact else ""))
        due = " — due now" if person.next_checkin and person.next_checkin <= today else ""
        st.caption(
            f"Last contact: {_when(person.last_contact)} · "
            f"next check-in: {_when(person.next_checkin)}{due}"
        )

st.header("Fill or update a role")
labels = {r.key: r.label for r in text.roles}
key = st.selectbox("Role", list(labels), format_func=labels.__getitem__, key="_team.role")
person = team.get(key)
r = f"team.{key}"
form = ui.Form(f"team_{key}")
ui.text_input(text.name_label, f"{r}.name", person.name if person else "")
form.error("name")
ui.text_input(text.contact_label, f"{r}.contact", person.contact if person else "")
form.error("contact")
ui.text_area(text.notes_label, f"{r}.notes", person.notes if person else "", height=90)
form.error("notes")
left, right = st.columns(2)
with left:
    ui.day_input(text.last_contact_label, f"{r}.last", person.last_contact if person else None)
    form.error("last_contact")
with right:
    ui.day_input(text.next_checkin_label, f"{r}.next", person.next_checkin if person else None)
    form.error("next_checkin")
fields = [f"{r}.{f}" for f in ("name", "contact", "notes", "last", "next")]


def _save() -> str:
    wb.put_one(
        SupportPerson,
        {"role": key},
        {
            "name": ui.value(f"{r}.name", ""),
            "contact": ui.value(f"{r}.contact", ""),
            "notes": ui.value(f"{r}.notes", ""),
            "last_contact": ui.value(f"{r}.last"),
            "next_checkin": ui.value(f"{r}.next"),
        },
    )
    return f"Saved: {labels[key]}."


form.button("Save", _save, clear=fields)
if person is not None:
    weeks = text.checkin_weeks

    def _touched() -> str:
        nxt = today + timedelta(weeks=weeks)
        wb.update(SupportPerson, person.id, {"last_contact": today, "next_checkin": nxt})
        ui.reset(*fields)
        return f"Noted. Next check-in in {weeks} weeks, on {timefmt.format_day(nxt)}."

    ui.Form(f"team_touch_{key}").button(
        "We were in touch today", _touched, key=f"_team.touch.{key}", primary=False
    )
    ui.confirm_delete(
        f"team.{key}",
        f"Remove {person.name} from this role?",
        lambda: (wb.delete(SupportPerson, person.id), ui.reset(*fields)),
        done="Removed. The role is open again.",
    )
