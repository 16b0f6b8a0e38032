"""P3.4 Stay current: newsletters, people and communities followed, and why."""

from __future__ import annotations

import streamlit as st

from workbook import textsafe, ui
from workbook.models import FollowSource

text = ui.texts().phase3.current
wb = ui.store()

ui.page_start(text.title, text.intro)
following = wb.all(FollowSource)

st.header("Add something you follow")
form = ui.Form("follow")
left, right = st.columns([1, 2])
left.selectbox(text.kind_label, text.kinds, key=ui.kept("follow.kind", text.kinds[0]))
with right:
    ui.text_input(text.name_label, "follow.name")
    form.error("name")
ui.text_input(text.link_label, "follow.link", placeholder="https://…")
form.error("link")
ui.text_input(text.why_label, "follow.why")
form.error("why")
form.button(
    text.save_label,
    lambda: wb.add(
        FollowSource,
        {
            "kind": ui.value("follow.kind", ""),
            "name": ui.value("follow.name", ""),
            "link": ui.value("follow.link", ""),
            "why": ui.value("follow.why", ""),
        },
    ),
    clear=["follow.name", "follow.link", "follow.why"],
    done="Added.",
)

st.header("What you follow")
if not following:
    st.write(text.empty)
kinds = list(dict.fromkeys([*text.kinds, *(f.kind for f in following)]))
for kind in kinds:
    mine = [f for f in following if f.kind == kind]
    if not mine:
        continue
    st.subheader(f"{kind} ({len(mine)})")
    lines = []
    for item in mine:
        why = f" — {item.why}" if item.why else ""
        link = f" ({item.link})" if item.link else ""
        lines.append(
            f"- **{textsafe.escape_markdown(item.name)}**{textsafe.escape_markdown(why + link)}"
        )
    st.markdown("\n".join(lines))


def _label(item: FollowSource) -> str:
    return f"{item.kind}: {item.name}"


chosen = ui.choose_one(following, "following", _label, "Choose one to remove")
if chosen is not None:
    if chosen.link:
        st.link_button("Open it", chosen.link, icon=":material/open_in_new:")
    ui.confirm_delete(
        f"follow.{chosen.id}",
        f"Remove “{chosen.name}”?",
        lambda: wb.delete(FollowSource, chosen.id),
        done="Removed.",
    )
