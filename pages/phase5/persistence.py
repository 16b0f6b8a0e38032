"""P5.4 Persistence plan: what went wrong, what changes, the next opportunities — linked."""

from __future__ import annotations

import streamlit as st

from workbook import textsafe, ui
from workbook.models import ChannelAction, DoorOpen, PersistencePlan, Rejection, Skill

text = ui.texts().phase5.persistence
wb = ui.store()
zone = ui.tz()

ui.page_start(text.title, text.intro)
plan = wb.one(PersistencePlan) or PersistencePlan()
rejections = {r.id: r for r in sorted(wb.all(Rejection), key=lambda r: r.rejected_at, reverse=True)}
skills = {s.id: s for s in wb.all(Skill)}
actions = {a.id: a for a in wb.all(ChannelAction) if a.status == "planned"}
doors = {d.id: d for d in wb.all(DoorOpen) if not d.closed and d.rejection_id in rejections}
labels = {r.id: ui.rejection_label(r, zone) for r in rejections.values()}
labels |= {s.id: s.name for s in skills.values()}
labels |= {a.id: f"Planned: {a.action}" for a in actions.values()}
labels |= {
    d.id: f"Keep in touch: {rejections[d.rejection_id or ''].company}" for d in doors.values()
}


def _links(label: str, key: str, options: dict[str, object], saved: list[str]) -> None:
    if options:
        st.multiselect(
            label,
            list(options),
            format_func=lambda i: textsafe.preview(labels[i], 90),
            key=ui.kept(key, [i for i in saved if i in options]),
        )


form = ui.Form("persistence")
st.header("What went wrong")
ui.text_area(text.went_wrong_label, "persist.wrong", plan.went_wrong, height=120)
form.error("went_wrong")
_links(text.went_wrong_links, "persist.rejections", rejections, plan.rejection_ids)
st.header("What you will change")
ui.text_area(text.changes_label, "persist.changes", plan.changes, height=120)
form.error("changes")
_links(text.changes_links, "persist.skills", skills, plan.skill_ids)
if not skills:
    ui.page_link("skills", "Add skills to your plan", ":material/school:")
st.header("What comes next")
ui.text_area(text.next_label, "persist.next", plan.next_steps, height=120)
form.error("next_steps")
_links(text.next_links, "persist.next_links", actions | doors, [*plan.action_ids, *plan.door_ids])
if not actions and not doors:
    ui.page_link("channels", "Plan an action in another channel", ":material/hub:")


def _save() -> PersistencePlan:
    chosen = ui.value("persist.next_links", []) or []
    return wb.put_one(
        PersistencePlan,
        {},
        {
            "went_wrong": ui.value("persist.wrong", ""),
            "changes": ui.value("persist.changes", ""),
            "next_steps": ui.value("persist.next", ""),
            "rejection_ids": ui.value("persist.rejections", []) or [],
            "skill_ids": ui.value("persist.skills", []) or [],
            "action_ids": [i for i in chosen if i in actions],
            "door_ids": [i for i in chosen if i in doors],
        },
    )


form.button(
    "Save my plan",
    _save,
    done=text.saved,
    clear=[
        "persist.wrong",
        "persist.changes",
        "persist.next",
        "persist.rejections",
        "persist.skills",
        "persist.next_links",
    ],
)
