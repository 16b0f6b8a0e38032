"""The offer to open a thought record when a check-in uses rejection language (P5.1)."""

from __future__ import annotations

import streamlit as st

from workbook import reframe, textsafe, ui
from workbook.models import CheckIn, Rejection, ThoughtRecord
from workbook.navigation import PAGES

OFFER = "_reframe.offer"  # session key: the id of the check-in to offer the exercise for


def remember(checkin: CheckIn) -> None:
    """After a check-in is saved: offer the exercise if its words call for it."""
    if reframe.detect(checkin.journal, ui.texts().phase5.reframe.detect):
        st.session_state[OFFER] = checkin.id


def show() -> None:
    """The offer, if one is waiting: open the exercise pre-filled, or let it go."""
    checkin_id = st.session_state.get(OFFER)
    if not checkin_id:
        return
    wb = ui.store()
    checkin = next((c for c in wb.all(CheckIn) if c.id == checkin_id), None)
    text = ui.texts().phase5.reframe
    found = reframe.detect(checkin.journal, text.detect) if checkin else None
    if checkin is None or found is None:
        st.session_state.pop(OFFER, None)
        return
    with st.container(border=True):
        st.markdown(textsafe.escape_markdown(text.offer.format(phrase=found.sentence)))
        yes, no = st.columns(2)
        if yes.button(text.offer_yes, key="_reframe.offer.yes", type="primary"):
            rejection = next((r for r in wb.all(Rejection) if r.id == checkin.rejection_id), None)
            record = wb.add(ThoughtRecord, reframe.draft_from_checkin(checkin, found, rejection))
            st.session_state["_tr.current"] = record.id
            st.session_state.pop(OFFER, None)
            st.switch_page(PAGES["reframe"].file)
        if no.button(text.offer_no, key="_reframe.offer.no"):
            st.session_state.pop(OFFER, None)
            st.rerun()
