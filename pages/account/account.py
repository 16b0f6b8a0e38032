"""Your account in a hosted workshop: change the password, sign out, delete your workbook."""

from __future__ import annotations

import streamlit as st

from workbook import cohort
from workbook.ui import auth

host = auth.host()
me = auth.session()
assert me is not None  # this page exists only for people who are signed in
st.title("Your account")
st.write(f"You are signed in to {host.cohort.title}.")
st.text(f"Name: {me.name}")

st.header("Change your password")
st.write("Your workbook stays exactly as it is; only the lock changes.")
with st.form("password", clear_on_submit=True):
    old = st.text_input("Current password", type="password")
    new = st.text_input(
        "New password", type="password", help=f"At least {cohort.PASSWORD_MIN} characters."
    )
    again = st.text_input("The same new password again", type="password")
    changed = st.form_submit_button("Change the password")
if changed:
    if new != again:
        st.error("The two new passwords are not the same.", icon=":material/info:")
    else:
        try:
            with st.spinner("Changing…"):
                host.cohort.change_password(me, old, new)
        except cohort.CohortError as exc:
            st.error(str(exc), icon=":material/info:")
        else:
            st.success("Your password has been changed.", icon=":material/check_circle:")

st.header("Sign out")
st.button("Sign out", icon=":material/logout:", on_click=auth.sign_out)

if me.role is cohort.Role.PARTICIPANT:
    st.header("Delete my workbook")
    st.write(
        "This deletes your workbook, its backups, your progress summary and anything you "
        "shared, from this server, for good. It cannot be undone. You may want to download a "
        "copy first (Progress & export → Export and restore)."
    )
    confirm = st.text_input('To confirm, type "delete"', key="_delete_confirm")

    def _delete() -> None:
        host.delete(me.account_id)
        auth.sign_out("Your workbook and every copy of it have been deleted. Take good care.")

    st.button(
        "Delete my workbook",
        icon=":material/delete_forever:",
        disabled=confirm.strip().casefold() != "delete",
        on_click=_delete,
    )
