"""AppTest: the Phase 1 pages, on empty and heavy workbooks."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from tests.conftest import store
from tests.test_pages_start import HOSTILE, texts
from workbook.models import (
    AvoidPledge,
    CheckIn,
    OutletEntry,
    Rejection,
    SelfTalk,
    UnsentDraft,
    Urge,
)

PHASE1 = [
    "pages/phase1/window.py",
    "pages/phase1/feelings.py",
    "pages/phase1/outlets.py",
    "pages/phase1/self_talk.py",
    "pages/phase1/avoid.py",
    "pages/phase1/drafts.py",
]


def with_rejection(folder: Path, hours_ago: float = 5) -> Rejection:
    wb = store(folder)
    rejection = wb.add(
        Rejection,
        {
            "company": "Acme",
            "role": "Analyst",
            "rejected_at": datetime.now(UTC) - timedelta(hours=hours_ago),
        },
    )
    wb.set_setting("selected_rejection", rejection.id)
    return rejection


@pytest.mark.parametrize("page", PHASE1)
def test_phase1_pages_on_an_empty_workbook_invite_to_log_first(
    data_dir: Path, open_page, page: str
) -> None:
    at = open_page(page)
    assert at.title
    assert "Start by adding the rejection you are working through." in texts(at)


@pytest.mark.parametrize("page", PHASE1)
def test_phase1_pages_on_a_heavy_workbook(heavy_dir: Path, open_page, page: str) -> None:
    at = open_page(page)
    # the shared selector lists only active rejections, newest first
    selector = at.selectbox(key="_rejection_choice")
    assert len(selector.options) == 10
    newest = max(
        (r for r in store(heavy_dir).all(Rejection) if not r.archived), key=lambda r: r.rejected_at
    )
    assert selector.value == newest.id


def test_the_chosen_rejection_is_remembered_across_pages(heavy_dir: Path, open_page) -> None:
    at = open_page("pages/phase1/feelings.py")
    active = sorted(
        (r for r in store(heavy_dir).all(Rejection) if not r.archived), key=lambda r: r.rejected_at
    )
    at.selectbox(key="_rejection_choice").select(active[3].id).run()
    chosen = at.selectbox(key="_rejection_choice").value
    assert chosen == active[3].id
    assert store(heavy_dir).setting("selected_rejection") == chosen
    again = open_page("pages/phase1/outlets.py")  # a new session, as after a restart
    assert again.selectbox(key="_rejection_choice").value == chosen


def test_window_counts_down(data_dir: Path, open_page) -> None:
    with_rejection(data_dir, hours_ago=4.5)
    at = open_page("pages/phase1/window.py")
    assert "1 day and 19 hours left" in at.get("progress")[0].proto.text
    assert "nothing you need to fix today" in texts(at)


def test_window_over_invites_into_action_mode(data_dir: Path, open_page) -> None:
    with_rejection(data_dir, hours_ago=50)
    at = open_page("pages/phase1/window.py")
    assert "Your 48 hours are over" in texts(at)
    assert "action mode" in texts(at)


def test_feelings_check_in_saves_and_charts(data_dir: Path, open_page) -> None:
    rejection = with_rejection(data_dir)
    at = open_page("pages/phase1/feelings.py")
    assert "No check-ins yet" in at.get("plotly_chart")[0].proto.spec  # the chart's empty state
    at.button(key="_submit.checkin").click().run()
    assert "Please pick at least one feeling, or write your own." in [e.value for e in at.error]
    assert store(data_dir).count(CheckIn) == 0
    at.multiselect(key="keep.feel.emotions").select("Sad")
    at.text_input(key="keep.feel.own").input("hollow, sad")
    at.slider(key="keep.feel.intensity").set_value(9)
    at.text_area(key="keep.feel.journal").input(HOSTILE)
    at.button(key="_submit.checkin").click().run()
    assert not at.exception
    [saved] = store(data_dir).all(CheckIn)
    assert (saved.emotions, saved.intensity, saved.journal) == (["Sad", "hollow"], 9, HOSTILE)
    assert saved.rejection_id == rejection.id
    assert "Check-in saved" in texts(at)
    assert "really heavy" in texts(at)  # a high intensity gets a caring note
    assert any("\\<script\\>" in m.value for m in at.markdown)
    assert at.text_area(key="keep.feel.journal").value == ""  # cleared after saving
    assert store(data_dir).text_draft("keep.feel.journal") == ""


def test_feelings_unsaved_journal_is_kept_for_later(data_dir: Path, open_page) -> None:
    with_rejection(data_dir)
    at = open_page("pages/phase1/feelings.py")
    at.text_area(key="keep.feel.journal").input("half a thought").run()
    assert store(data_dir).text_draft("keep.feel.journal") == "half a thought"
    later = open_page("pages/phase1/feelings.py")  # a new session: the tab was closed
    assert later.text_area(key="keep.feel.journal").value == "half a thought"


def test_feelings_heavy_pages_through_history(heavy_dir: Path, open_page) -> None:
    at = open_page("pages/phase1/feelings.py")
    assert at.get("plotly_chart")
    checkins = store(heavy_dir).all(CheckIn)
    active = [r.id for r in store(heavy_dir).all(Rejection) if not r.archived]
    busiest = max(active, key=lambda rid: sum(c.rejection_id == rid for c in checkins))
    total = sum(c.rejection_id == busiest for c in checkins)
    assert total > 10
    at.selectbox(key="_rejection_choice").select(busiest).run()
    assert len(at.subheader) == 10  # one page of check-ins, never all of them
    assert f"Page 1 of {-(-total // 10)} · {total} in all" in texts(at)
    at.button(key="_page.checkins.next").click().run()
    assert f"Page 2 of {-(-total // 10)}" in texts(at)


def test_delete_a_checkin_asks_first(data_dir: Path, open_page) -> None:
    rejection = with_rejection(data_dir)
    entry = store(data_dir).add(
        CheckIn, {"rejection_id": rejection.id, "emotions": ["Sad"], "intensity": 3}
    )
    at = open_page("pages/phase1/feelings.py")
    at.selectbox(key="_choose.checkins").select(entry.id).run()
    at.button(key=f"_confirm.checkin.{entry.id}.ask").click().run()
    assert store(data_dir).count(CheckIn) == 1
    at.button(key=f"_confirm.checkin.{entry.id}.yes").click().run()
    assert store(data_dir).count(CheckIn) == 0
    assert "Deleted." in texts(at)


def test_outlets_tick_one_off(data_dir: Path, open_page) -> None:
    rejection = with_rejection(data_dir)
    at = open_page("pages/phase1/outlets.py")
    assert "Nothing ticked off yet" in texts(at)
    at.radio(key="keep.outlet.kind").set_value("move")
    at.text_input(key="keep.outlet.note").input("river walk")
    at.button(key="_submit.outlet").click().run()
    [saved] = store(data_dir).all(OutletEntry)
    assert (saved.outlet, saved.note, saved.rejection_id) == ("move", "river walk", rejection.id)
    assert any(m.value.startswith("✓ **Went for a walk") for m in at.markdown)


def test_outlets_future_time_is_refused(data_dir: Path, open_page) -> None:
    with_rejection(data_dir)
    at = open_page("pages/phase1/outlets.py")
    at.date_input(key="keep.outlet.day").set_value(datetime.now(UTC).date() + timedelta(days=2))
    at.button(key="_submit.outlet").click().run()
    assert any("future" in e.value for e in at.error)
    assert store(data_dir).count(OutletEntry) == 0


def test_self_talk_write_then_change(data_dir: Path, open_page) -> None:
    rejection = with_rejection(data_dir)
    at = open_page("pages/phase1/self_talk.py")
    field = f"keep.self_talk.{rejection.id}"
    at.button(key="_submit.self_talk").click().run()
    assert "Please add the sentence you will tell yourself." in [e.value for e in at.error]
    at.text_area(key=field).input("This is hard, and I will get through it.")
    at.button(key="_submit.self_talk").click().run()
    at.text_area(key=field).input(HOSTILE)
    at.button(key="_submit.self_talk").click().run()
    [saved] = store(data_dir).all(SelfTalk)
    assert saved.sentence == HOSTILE
    assert at.header[0].value == "Your sentence"


def test_avoid_pledges_and_urges(data_dir: Path, open_page) -> None:
    rejection = with_rejection(data_dir)
    at = open_page("pages/phase1/avoid.py")
    at.checkbox(key=f"_pledge.{rejection.id}.angry_reply").check().run()
    at.checkbox(key=f"_pledge.{rejection.id}.isolating").check().run()
    assert store(data_dir).all(AvoidPledge)[0].items == ["angry_reply", "isolating"]
    at.checkbox(key=f"_pledge.{rejection.id}.angry_reply").uncheck().run()
    assert store(data_dir).all(AvoidPledge)[0].items == ["isolating"]
    at.button(key="_submit.urge").click().run()
    assert "Please add a few words about the urge." in [e.value for e in at.error]
    at.text_area(key="keep.urge.text").input(HOSTILE)
    at.button(key="_submit.urge").click().run()
    [urge] = store(data_dir).all(Urge)
    assert urge.urge == HOSTILE
    assert any("\\<script\\>" in m.value for m in at.markdown)
    at.selectbox(key="_choose.urges").select(urge.id).run()
    at.button(key=f"_confirm.urge.{urge.id}.ask").click().run()
    at.button(key=f"_confirm.urge.{urge.id}.yes").click().run()
    assert store(data_dir).count(Urge) == 0


def test_drafts_are_kept_never_sent_and_editable(data_dir: Path, open_page) -> None:
    with_rejection(data_dir)
    at = open_page("pages/phase1/drafts.py")
    assert "Nothing here yet" in texts(at)
    at.button(key="_submit.draft").click().run()
    assert "Please add the words you want to get out." in [e.value for e in at.error]
    at.text_area(key="keep.draft.body").input(HOSTILE)
    at.button(key="_submit.draft").click().run()
    [draft] = store(data_dir).all(UnsentDraft)
    assert draft.body == HOSTILE
    assert "safely unsent" in texts(at)
    # there is no send button, on purpose
    assert not [b for b in at.button if "send" in b.label.casefold().replace("unsent", "")]
    at.selectbox(key="_choose.drafts").select(draft.id).run()
    at.text_area(key=f"keep.draft.edit.{draft.id}").input("Calmer now.")
    at.button(key=f"_submit.draft_{draft.id}").click().run()
    assert store(data_dir).get(UnsentDraft, draft.id).body == "Calmer now."


def test_drafts_after_the_window_ask_keep_or_let_go(data_dir: Path, open_page) -> None:
    rejection = with_rejection(data_dir, hours_ago=60)
    wb = store(data_dir)
    keep = wb.add(UnsentDraft, {"rejection_id": rejection.id, "body": "keep me"})
    drop = wb.add(UnsentDraft, {"rejection_id": rejection.id, "body": "drop me"})
    at = open_page("pages/phase1/drafts.py")
    assert "Do you want to keep this draft, or let it go?" in texts(at)
    at.button(key=f"_keep.{keep.id}").click().run()
    assert store(data_dir).get(UnsentDraft, keep.id).decision == "keep"
    at.selectbox(key="_choose.drafts").select(drop.id).run()
    at.button(key=f"_confirm.draft.{drop.id}.ask").click().run()
    at.button(key=f"_confirm.draft.{drop.id}.yes").click().run()
    assert [d.body for d in store(data_dir).all(UnsentDraft)] == ["keep me"]
    assert "Let go. It's gone." in texts(at)


def test_edit_a_checkin_one_at_a_time(data_dir: Path, open_page) -> None:
    rejection = with_rejection(data_dir)
    wb = store(data_dir)
    first = wb.add(CheckIn, {"rejection_id": rejection.id, "emotions": ["Sad"], "intensity": 3})
    wb.add(CheckIn, {"rejection_id": rejection.id, "emotions": ["Calm"], "intensity": 1})
    at = open_page("pages/phase1/feelings.py")
    assert not at.get("slider")[1:]  # only the new check-in's slider until one is chosen
    at.selectbox(key="_choose.checkins").select(first.id).run()
    at.slider(key=f"keep.feel.edit.{first.id}.intensity").set_value(7)
    at.text_area(key=f"keep.feel.edit.{first.id}.journal").input("Added later")
    at.button(key=f"_submit.checkin_{first.id}").click().run()
    saved = store(data_dir).get(CheckIn, first.id)
    assert (saved.intensity, saved.journal, saved.emotions) == (7, "Added later", ["Sad"])
    assert saved.updated_at > saved.created_at
    assert "Your check-in is updated." in texts(at)
