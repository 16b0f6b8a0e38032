"""People: invite codes, and removing a participant with everything of theirs."""

from __future__ import annotations

import streamlit as st

from workbook import cohort, textsafe, ui
from workbook.ui import auth

host = auth.host()
st.title("People")

st.header("Invite codes")
st.write(
    "Each code lets one person join, once. Codes are stored only in a scrambled form, so they "
    "are shown just when you create them: copy them now."
)
invites = host.cohort.invites()
st.caption(
    f"{sum(i.state == 'open' for i in invites)} open · {sum(i.state == 'used' for i in invites)} "
    f"used · {sum(i.state == 'revoked' for i in invites)} revoked"
)
with st.form("invite"):
    n = st.number_input("How many new codes", min_value=1, max_value=100, value=5)
    made = st.form_submit_button("Create invite codes")
if made:
    st.session_state["_people.codes"] = host.cohort.invite(int(n))
codes = st.session_state.get("_people.codes")
if codes:
    st.code("\n".join(codes), language=None)

with st.form("revoke", clear_on_submit=True):
    code = st.text_input("Revoke an unused code")
    revoke = st.form_submit_button("Revoke")
if revoke:
    try:
        host.cohort.revoke(code)
    except cohort.CohortError as exc:
        st.error(str(exc), icon=":material/info:")
    else:
        st.success("That code can no longer be used.", icon=":material/check_circle:")

st.header("Participants")
people = host.cohort.participants()
if not people:
    st.info("No one has joined yet.", icon=":material/info:")
for account in people:
    with st.expander(textsafe.escape_markdown(account.name)):
        st.caption(f"Joined {account.joined_at:%d %b %Y}")
        st.write(
            "Removing deletes this person's account, workbook, backups, progress summary and "
            "anything they shared. It cannot be undone."
        )
        sure = st.checkbox("Yes, remove them and delete all their files", key=f"_rm.{account.id}")
        if st.button("Remove", key=f"_rm.go.{account.id}", disabled=not sure):
            host.delete(account.id)
            ui.flash(f"{account.name} and all their files have been removed.")
            st.rerun()
ui.show_flash()
