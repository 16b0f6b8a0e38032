"""People: invite codes, and removing a participant with everything of theirs."""

from __future__ import annotations

import streamlit as st

from workbook import cohort, textsafe, ui
from workbook.ui import auth

host = auth.host()
text = ui.texts().cohort.people
st.title(text.title)

st.header(text.invites_title)
st.write(text.invites_intro)
counts = st.empty()  # filled in below, after this run's create or revoke
with st.form("invite"):
    n = st.number_input(text.how_many, min_value=1, max_value=100, value=5)
    made = st.form_submit_button(text.create_button)
if made:
    st.session_state["_people.codes"] = host.cohort.invite(int(n))
codes = st.session_state.get("_people.codes")
if codes:
    st.code("\n".join(codes), language=None)

with st.form("revoke", clear_on_submit=True):
    code = st.text_input(text.revoke_label)
    revoke = st.form_submit_button(text.revoke_button)
if revoke:
    try:
        host.cohort.revoke(code)
    except cohort.CohortError as exc:
        st.error(str(exc), icon=":material/info:")
    else:
        st.success(text.revoked, icon=":material/check_circle:")

states = [i.state for i in host.cohort.invites()]
counts.caption(
    text.invite_counts.format(
        open=states.count("open"), used=states.count("used"), revoked=states.count("revoked")
    )
)

st.header(text.participants_title)
people = host.cohort.participants()
if not people:
    st.info(text.no_one, icon=":material/info:")
for account in people:
    with st.expander(textsafe.escape_markdown(account.name)):
        st.caption(text.joined.format(day=f"{account.joined_at:%d %b %Y}"))
        st.write(text.remove_intro)
        sure = st.checkbox(text.remove_confirm, key=f"_rm.{account.id}")
        if st.button(text.remove_button, key=f"_rm.go.{account.id}", disabled=not sure):
            host.delete(account.id)
            ui.flash(text.removed.format(name=account.name))
            st.rerun()
ui.show_flash()
