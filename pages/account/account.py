"""Your account in a hosted workshop: change the password, sign out, delete your workbook."""

from __future__ import annotations

import streamlit as st

from workbook import cohort, ui
from workbook.ui import auth

host = auth.host()
text = ui.texts().cohort.account
me = auth.session()
assert me is not None  # this page exists only for people who are signed in
st.title(text.title)
st.write(text.intro.format(title=host.cohort.title))
st.text(text.name.format(name=me.name))

st.header(text.password_title)
st.write(text.password_intro)
with st.form("password", clear_on_submit=True):
    old = st.text_input(text.current_label, type="password")
    new = st.text_input(
        text.new_label,
        type="password",
        help=ui.texts().cohort.join.password_help.format(min=cohort.PASSWORD_MIN),
    )
    again = st.text_input(text.again_label, type="password")
    changed = st.form_submit_button(text.change_button)
if changed:
    if new != again:
        st.error(text.mismatch, icon=":material/info:")
    else:
        try:
            with st.spinner(text.changing):
                host.cohort.change_password(me, old, new)
        except cohort.CohortError as exc:
            st.error(str(exc), icon=":material/info:")
        else:
            st.success(text.changed, icon=":material/check_circle:")

st.header(text.sign_out_title)
st.button(text.sign_out_button, icon=":material/logout:", on_click=auth.sign_out)

if me.role == cohort.Role.PARTICIPANT:
    st.header(text.delete_title)
    st.write(text.delete_intro)
    confirm = st.text_input(text.delete_confirm, key="_delete_confirm")

    def _delete() -> None:
        host.delete(me.account_id)
        auth.sign_out(text.deleted)

    st.button(
        text.delete_button,
        icon=":material/delete_forever:",
        disabled=confirm.strip().casefold() != "delete",
        on_click=_delete,
    )
