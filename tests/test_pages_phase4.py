"""AppTest: the Phase 4 pages (materials, channels, doors) and their additions to Home."""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import store
from tests.test_pages_phase2 import (
    chart_spec,
    in_order,
    message_under,
    today,
    with_rejection,
)
from tests.test_pages_start import HOSTILE, texts
from workbook import channels, content, doors, textsafe, timefmt, wins
from workbook.models import (
    AnswerEntry,
    ChannelAction,
    DoorOpen,
    FeedbackRequest,
    MaterialsChecklist,
    Rejection,
    Skill,
    SupportPerson,
    Win,
)

MATERIALS = "pages/phase4/materials.py"
CHANNELS = "pages/phase4/channels.py"
DOORS = "pages/phase4/doors.py"
HOME = "pages/start/home.py"
TEXTS = content.load(None)
MAT = TEXTS.phase4.materials
CHAN = TEXTS.phase4.channels
DOOR = TEXTS.phase4.doors
ROLES = {role.key: role.label for role in TEXTS.phase3.team.roles}
DUE_TITLE = "Check-ins coming up"


def ok(at) -> None:
    assert not at.exception, [e.value for e in at.exception]


def progress_text(at) -> str:
    return at.get("progress")[0].proto.text


def raw_markdown(at) -> str:
    """Markdown exactly as sent to the browser (escapes kept)."""
    return "\n".join(m.value for m in at.markdown)


def after_header(at, title: str) -> list[str]:
    """The text of the elements between the header ``title`` and the next header."""
    elements = in_order(at.main)
    start = next(
        i
        for i, e in enumerate(elements)
        if getattr(e, "type", None) == "header" and e.value == title
    )
    shown: list[str] = []
    for element in elements[start + 1 :]:
        if getattr(element, "type", None) in {"header", "title"}:
            break
        value = getattr(element, "value", None)
        if isinstance(value, str):
            shown.append(value)
    return shown


def headers(at) -> list[str]:
    return [h.value for h in at.header]


def due_line(listed: str, who: str) -> str:
    """The one line of a check-in list that names ``who`` (as shown: escaped, in bold)."""
    [line] = [ln for ln in listed.splitlines() if f"**{textsafe.escape_markdown(who)}**" in ln]
    return line


# -- P4.1 materials ----------------------------------------------------------------------
def test_materials_empty_shows_no_progress_and_an_empty_bank(data_dir: Path, open_page) -> None:
    at = open_page(MATERIALS)
    assert at.title[0].value == MAT.title
    assert progress_text(at) == f"0 of {len(MAT.step_keys)} steps done"
    boxes = {c.key: c for c in at.checkbox if c.key.startswith("_mat.")}
    assert set(boxes) == {f"_mat.{k}" for k in MAT.step_keys}
    assert not any(c.value for c in boxes.values())
    assert MAT.bank_empty in texts(at)
    with pytest.raises(KeyError):
        at.selectbox(key="_answer_seed")  # no feedback themes, nothing to seed from
    with pytest.raises(KeyError):
        at.selectbox(key="_choose.answers")
    assert store(data_dir).one(MaterialsChecklist) is None


def test_materials_tick_saves_at_once_and_untick_removes(data_dir: Path, open_page) -> None:
    at = open_page(MATERIALS)
    first, second = MAT.step_keys[0], MAT.step_keys[-1]
    label = MAT.parts[0].steps[0].label
    at.checkbox(key=f"_mat.{first}").check().run()  # no button: the tick itself saves
    ok(at)
    assert store(data_dir).one(MaterialsChecklist).done == {first: today()}
    assert progress_text(at) == f"1 of {len(MAT.step_keys)} steps done"
    box = at.checkbox(key=f"_mat.{first}")
    assert box.value is True
    assert box.label == f"{label} (done {timefmt.format_day(today())})"
    at.checkbox(key=f"_mat.{second}").check().run()
    ok(at)
    assert store(data_dir).one(MaterialsChecklist).done == {first: today(), second: today()}
    at.checkbox(key=f"_mat.{first}").uncheck().run()
    ok(at)
    assert store(data_dir).one(MaterialsChecklist).done == {second: today()}
    assert progress_text(at) == f"1 of {len(MAT.step_keys)} steps done"
    assert at.checkbox(key=f"_mat.{first}").value is False
    assert at.checkbox(key=f"_mat.{first}").label == label
    # a new session shows what was saved
    again = open_page(MATERIALS)
    assert again.checkbox(key=f"_mat.{second}").value is True
    assert again.checkbox(key=f"_mat.{first}").value is False


def test_materials_keeps_the_day_a_step_was_first_ticked(data_dir: Path, open_page) -> None:
    first, other = MAT.step_keys[0], MAT.step_keys[1]
    earlier = today() - timedelta(days=5)
    store(data_dir).put_one(MaterialsChecklist, {}, {"done": {first: earlier}})
    at = open_page(MATERIALS)
    box = at.checkbox(key=f"_mat.{first}")
    assert box.value is True
    assert box.label.endswith(f"(done {timefmt.format_day(earlier)})")
    at.checkbox(key=f"_mat.{other}").check().run()
    ok(at)
    assert store(data_dir).one(MaterialsChecklist).done == {first: earlier, other: today()}
    assert at.checkbox(key=f"_mat.{first}").label.endswith(f"(done {timefmt.format_day(earlier)})")
    assert store(data_dir).count(MaterialsChecklist) == 1  # one checklist per workbook


def test_materials_tick_from_an_older_tab_keeps_the_first_day(data_dir: Path, open_page) -> None:
    first = MAT.step_keys[0]
    at = open_page(MATERIALS)  # this tab still shows the step unticked
    earlier = today() - timedelta(days=2)
    store(data_dir).put_one(MaterialsChecklist, {}, {"done": {first: earlier}})  # another tab
    at.checkbox(key=f"_mat.{first}").check().run()
    ok(at)
    assert store(data_dir).one(MaterialsChecklist).done == {first: earlier}
    assert at.checkbox(key=f"_mat.{first}").label.endswith(f"(done {timefmt.format_day(earlier)})")


def seeded_feedback(folder: Path) -> None:
    rejection = with_rejection(folder, hours_ago=10 * 24)
    store(folder).add(
        FeedbackRequest,
        {"rejection_id": rejection.id, "tags": ["System design", "Kindness"]},
    )


def test_materials_seeds_prefill_the_question(data_dir: Path, open_page) -> None:
    seeded_feedback(data_dir)
    at = open_page(MATERIALS)
    seeds = at.selectbox(key="_answer_seed")
    assert seeds.label == MAT.seeds_label
    assert sorted(seeds.options) == ["Kindness (came up 1×)", "System design (came up 1×)"]
    assert seeds.value is None  # optional: nothing chosen until asked
    assert at.text_input(key="keep.answer.question").value == ""
    at.selectbox(key="_answer_seed").select("System design").run()
    ok(at)
    assert at.text_input(key="keep.answer.question").value == MAT.questions_for["System design"]
    at.selectbox(key="_answer_seed").select("Kindness").run()
    ok(at)
    fallback = MAT.seed_fallback.format(theme="Kindness")
    assert "Kindness" in fallback
    assert at.text_input(key="keep.answer.question").value == fallback
    assert store(data_dir).count(AnswerEntry) == 0  # choosing a seed saves nothing


def test_materials_adding_from_a_seed_keeps_the_theme(data_dir: Path, open_page) -> None:
    seeded_feedback(data_dir)
    at = open_page(MATERIALS)
    at.selectbox(key="_answer_seed").select("System design").run()
    at.text_area(key="keep.answer.answer").input("Start from the load, then trade-offs.")
    at.run()
    at.button(key="_submit.answer").click().run()
    ok(at)
    [saved] = store(data_dir).all(AnswerEntry)
    assert saved.question == MAT.questions_for["System design"]
    assert saved.answer == "Start from the load, then trade-offs."
    assert saved.theme == "System design"
    assert saved.ready is False
    assert "Added to your answer bank." in texts(at)
    # the theme now has its question: only the other one is offered
    assert at.selectbox(key="_answer_seed").options == ["Kindness (came up 1×)"]
    assert at.selectbox(key="_answer_seed").value is None
    assert at.text_input(key="keep.answer.question").value == ""  # ready for the next one
    assert "○ in progress" in texts(at)
    assert MAT.bank_empty not in texts(at)


def test_materials_empty_question_gets_a_message(data_dir: Path, open_page) -> None:
    at = open_page(MATERIALS)
    at.text_area(key="keep.answer.answer").input("An answer with no question.")
    at.run()
    at.button(key="_submit.answer").click().run()
    ok(at)
    assert message_under(at, "keep.answer.question") == "Please add the question."
    assert store(data_dir).count(AnswerEntry) == 0
    assert at.text_area(key="keep.answer.answer").value == "An answer with no question."


def test_materials_edit_an_answer_mark_it_ready_and_delete(data_dir: Path, open_page) -> None:
    wb = store(data_dir)
    entry = wb.add(AnswerEntry, {"question": "Why did you leave your last job?"})
    other = wb.add(AnswerEntry, {"question": "What is your biggest weakness?"})
    at = open_page(MATERIALS)
    assert "○ in progress — Why did you leave your last job?" in texts(at)
    at.selectbox(key="_choose.answers").select(entry.id).run()
    ok(at)
    e = f"keep.answer.edit.{entry.id}"
    assert at.text_area(key=f"{e}.answer").value == ""
    assert at.checkbox(key=f"{e}.ready").label == MAT.ready_label
    at.text_area(key=f"{e}.answer").input("I wanted to grow; here is how.")
    at.checkbox(key=f"{e}.ready").check()
    at.run()
    at.button(key=f"_submit.answer_{entry.id}").click().run()
    ok(at)
    saved = store(data_dir).get(AnswerEntry, entry.id)
    assert (saved.answer, saved.ready) == ("I wanted to grow; here is how.", True)
    assert store(data_dir).get(AnswerEntry, other.id).ready is False
    assert "Answer saved." in texts(at)
    assert "✓ ready — Why did you leave your last job?" in texts(at)
    at.button(key=f"_confirm.answer.{entry.id}.ask").click().run()
    assert "Delete this question and its answer?" in texts(at)
    assert store(data_dir).count(AnswerEntry) == 2  # asked, not yet deleted
    at.button(key=f"_confirm.answer.{entry.id}.yes").click().run()
    ok(at)
    assert [a.id for a in store(data_dir).all(AnswerEntry)] == [other.id]


def test_materials_hostile_question_is_shown_as_typed(data_dir: Path, open_page) -> None:
    at = open_page(MATERIALS)
    at.text_input(key="keep.answer.question").input(HOSTILE)
    at.run()
    at.button(key="_submit.answer").click().run()
    ok(at)
    [saved] = store(data_dir).all(AnswerEntry)
    assert saved.question == HOSTILE
    assert saved.theme == ""
    shown = raw_markdown(at)
    assert "\\<script\\>" in shown  # shown, not rendered
    assert "<script>" not in shown
    assert "**bold**" not in shown
    at.selectbox(key="_choose.answers").select(saved.id).run()
    ok(at)
    assert textsafe.escape_markdown(HOSTILE) in [m.value for m in at.markdown]


def test_materials_heavy_paginates_forty_answers(heavy_dir: Path, open_page) -> None:
    at = open_page(MATERIALS)
    wb = store(heavy_dir)
    answers = wb.all(AnswerEntry)
    assert len(answers) == 40
    done, total = len(wb.one(MaterialsChecklist).done), len(MAT.step_keys)
    assert progress_text(at) == f"{done} of {total} steps done"
    assert "Page 1 of 4 · 40 in all" in texts(at)
    assert len(at.selectbox(key="_choose.answers").options) == 10
    at.button(key="_page.answers.next").click().run()
    ok(at)
    assert "Page 2 of 4 · 40 in all" in texts(at)
    newest_first = list(reversed(answers))
    page_two = [a.id for a in newest_first[10:20]]
    chooser = at.selectbox(key="_choose.answers")
    assert len(chooser.options) == 10
    chooser.select(page_two[0]).run()
    ok(at)
    assert at.text_area(key=f"keep.answer.edit.{page_two[0]}.answer")


# -- P4.2 channels -----------------------------------------------------------------------
def bars(at) -> dict[str, dict[str, int]]:
    """The channel-mix chart as {trace name: {channel label: count}}."""
    return {
        trace["name"]: dict(zip(trace["y"], trace["x"], strict=True))
        for trace in chart_spec(at)["data"]
        if trace["type"] == "bar"
    }


def test_channels_empty_shows_the_empty_chart(data_dir: Path, open_page) -> None:
    at = open_page(CHANNELS)
    assert at.title[0].value == CHAN.title
    spec = chart_spec(at)
    assert not [t for t in spec.get("data", []) if t.get("type") == "bar"]
    notes = [a["text"].replace("<br>", " ") for a in spec["layout"]["annotations"]]
    assert CHAN.chart_empty in notes
    assert CHAN.empty in texts(at)
    assert not at.caption or all("beyond applying online" not in c.value for c in at.caption)
    with pytest.raises(KeyError):
        at.selectbox(key="_choose.actions")
    radio = at.radio(key="keep.action.channel")
    assert radio.options == [f"{i.label} — {i.hint}" for i in CHAN.items]
    assert at.radio(key="keep.action.status").value == "planned"


def test_channels_plan_an_action(data_dir: Path, open_page) -> None:
    at = open_page(CHANNELS)
    later = today() + timedelta(days=7)
    at.radio(key="keep.action.channel").set_value("conversations")
    at.text_input(key="keep.action.text").input("Coffee with Sam from the data team")
    at.date_input(key="keep.action.planned_on").set_value(later)
    at.run()
    with pytest.raises(KeyError):
        at.date_input(key="keep.action.done_on")  # only asked once it is done
    at.button(key="_submit.action").click().run()
    ok(at)
    [saved] = store(data_dir).all(ChannelAction)
    assert (saved.channel, saved.action) == ("conversations", "Coffee with Sam from the data team")
    assert (saved.status, saved.planned_on, saved.done_on) == ("planned", later, None)
    assert "Saved. Every channel you open is another way in." in texts(at)
    label = CHAN.label("conversations")
    assert (
        f"{label}: Coffee with Sam from the data team (planned for {timefmt.format_day(later)})"
        in texts(at)
    )
    assert bars(at)["Planned"][label] == 1
    assert sum(bars(at)["Done"].values()) == 0
    assert at.text_input(key="keep.action.text").value == ""  # ready for the next one
    assert CHAN.empty not in texts(at)


def test_channels_done_action_needs_a_day_not_in_the_future(data_dir: Path, open_page) -> None:
    at = open_page(CHANNELS)
    at.text_input(key="keep.action.text").input("Went to the analytics meetup")
    at.radio(key="keep.action.status").set_value("done")
    at.run()
    ok(at)
    field = at.date_input(key="keep.action.done_on")
    assert field.label == CHAN.done_on_label
    assert field.value == today()
    field.set_value(today() + timedelta(days=2))
    at.run()
    at.button(key="_submit.action").click().run()
    ok(at)
    future = "This date is in the future. Please check it."
    assert message_under(at, "keep.action.done_on") == future
    assert store(data_dir).count(ChannelAction) == 0
    at.date_input(key="keep.action.done_on").set_value(None)
    at.run()
    at.button(key="_submit.action").click().run()
    ok(at)
    assert message_under(at, "keep.action.done_on") == "Please add the day you did it."
    assert store(data_dir).count(ChannelAction) == 0
    assert at.text_input(key="keep.action.text").value == "Went to the analytics meetup"
    yesterday = today() - timedelta(days=1)
    at.date_input(key="keep.action.done_on").set_value(yesterday)
    at.run()
    at.button(key="_submit.action").click().run()
    ok(at)
    [saved] = store(data_dir).all(ChannelAction)
    assert (saved.channel, saved.status, saved.done_on) == (CHAN.items[0].key, "done", yesterday)
    assert saved.planned_on is None
    assert bars(at)["Done"][CHAN.items[0].label] == 1
    assert f"(done {timefmt.format_day(yesterday)})" in texts(at)


def test_channels_empty_action_gets_a_message(data_dir: Path, open_page) -> None:
    at = open_page(CHANNELS)
    at.button(key="_submit.action").click().run()
    ok(at)
    assert message_under(at, "keep.action.text") == "Please add what you will do."
    assert store(data_dir).count(ChannelAction) == 0


def add_action(folder: Path, channel: str, status: str = "planned", **more: Any) -> ChannelAction:
    data = {"channel": channel, "action": f"Something in {channel}", "status": status}
    if status == "done":
        data["done_on"] = today() - timedelta(days=3)
    return store(folder).add(ChannelAction, data | more)


def test_channels_chart_counts_done_and_planned_per_channel(data_dir: Path, open_page) -> None:
    add_action(data_dir, "events", "done")
    add_action(data_dir, "events", "done")
    add_action(data_dir, "events")
    add_action(data_dir, "projects")
    at = open_page(CHANNELS)
    counted = bars(at)
    labels = [item.label for item in CHAN.items]
    assert list(counted) == ["Done", "Planned"]
    assert list(counted["Done"]) == labels == list(counted["Planned"])  # content order
    assert counted["Done"] == {label: 2 if label == CHAN.label("events") else 0 for label in labels}
    assert counted["Planned"] == {
        label: 1 if label in {CHAN.label("events"), CHAN.label("projects")} else 0
        for label in labels
    }
    assert CHAN.online_label not in counted["Done"]  # no online applications in the log
    assert CHAN.beyond_note.format(share="100%") in texts(at)


def test_channels_chart_adds_online_applications_from_the_log(data_dir: Path, open_page) -> None:
    for n, channel in enumerate(["Online job board", "online job board", "A recruiter"]):
        with_rejection(data_dir, hours_ago=100 + n, channel=channel, select=False)
    add_action(data_dir, "groups", "done")
    at = open_page(CHANNELS)
    counted = bars(at)
    assert list(counted["Done"])[-1] == CHAN.online_label  # after the five channels
    assert counted["Done"][CHAN.online_label] == 2
    assert counted["Planned"][CHAN.online_label] == 0
    assert counted["Done"][CHAN.label("groups")] == 1
    assert CHAN.beyond_note.format(share="33%") in texts(at)


def test_channels_mark_a_planned_action_done_and_delete(data_dir: Path, open_page) -> None:
    planned = add_action(data_dir, "stepping_stones", action="Apply for the junior role")
    done = add_action(data_dir, "events", "done")
    at = open_page(CHANNELS)
    at.selectbox(key="_choose.actions").select(done.id).run()
    ok(at)
    with pytest.raises(KeyError):
        at.button(key=f"_submit.action_{done.id}")  # done already: nothing to mark
    at.selectbox(key="_choose.actions").select(planned.id).run()
    ok(at)
    field = f"keep.action.edit.{planned.id}.done_on"
    assert at.date_input(key=field).value == today()
    at.date_input(key=field).set_value(today() + timedelta(days=1))
    at.run()
    at.button(key=f"_submit.action_{planned.id}").click().run()
    ok(at)
    assert message_under(at, field) == "This date is in the future. Please check it."
    assert store(data_dir).get(ChannelAction, planned.id).status == "planned"
    yesterday = today() - timedelta(days=1)
    at.date_input(key=field).set_value(yesterday)
    at.run()
    at.button(key=f"_submit.action_{planned.id}").click().run()
    ok(at)
    saved = store(data_dir).get(ChannelAction, planned.id)
    assert (saved.status, saved.done_on) == ("done", yesterday)
    assert "Marked as done. Well done." in texts(at)
    assert bars(at)["Done"][CHAN.label("stepping_stones")] == 1
    at.selectbox(key="_choose.actions").select(done.id).run()
    at.button(key=f"_confirm.action.{done.id}.ask").click().run()
    assert "Delete this action?" in texts(at)
    at.button(key=f"_confirm.action.{done.id}.yes").click().run()
    ok(at)
    assert [a.id for a in store(data_dir).all(ChannelAction)] == [planned.id]


def test_channels_hostile_action_planned_without_a_day(data_dir: Path, open_page) -> None:
    at = open_page(CHANNELS)
    assert at.date_input(key="keep.action.planned_on").value is None  # the day is optional
    at.radio(key="keep.action.channel").set_value("groups")
    at.text_input(key="keep.action.text").input(HOSTILE)
    at.run()
    at.button(key="_submit.action").click().run()
    ok(at)
    [saved] = store(data_dir).all(ChannelAction)
    assert (saved.action, saved.status, saved.planned_on) == (HOSTILE, "planned", None)
    assert f"{CHAN.label('groups')}: {HOSTILE} (planned)" in texts(at)
    shown = raw_markdown(at)
    assert "\\<script\\>" in shown
    assert "<script>" not in shown


def test_channels_heavy_paginates_and_charts_everything(heavy_dir: Path, open_page) -> None:
    at = open_page(CHANNELS)
    wb = store(heavy_dir)
    actions = wb.all(ChannelAction)
    assert len(actions) == 120
    assert "Page 1 of 12 · 120 in all" in texts(at)
    assert len(at.selectbox(key="_choose.actions").options) == 10
    labels = {item.key: item.label for item in CHAN.items}
    rows = channels.mix(actions, labels, wb.all(Rejection), CHAN.online_from_log, CHAN.online_label)
    counted = bars(at)
    assert counted["Done"] == {r.label: r.done for r in rows}
    assert counted["Planned"] == {r.label: r.planned for r in rows}
    assert sum(counted["Planned"].values()) == sum(a.status == "planned" for a in actions)
    assert CHAN.online_label in counted["Done"]  # the heavy log has online applications
    # what is still planned comes first: page 1 holds only planned actions (40 of them)
    [listed] = [m.value for m in at.markdown if m.value.startswith("- ")]
    lines = listed.splitlines()
    assert len(lines) == 10
    assert all(re.search(r"\(planned( for .*)?\)$", line) for line in lines), lines
    at.button(key="_page.actions.next").click().run()
    ok(at)
    assert "Page 2 of 12 · 120 in all" in texts(at)


# -- P4.3 doors --------------------------------------------------------------------------
def door_key(rejection: Rejection, field: str) -> str:
    return f"keep.door.{rejection.id}.{field}"


def save_door(at, rejection: Rejection) -> None:
    at.run()  # as in the browser: each change has rerun the page before Save
    at.button(key=f"_submit.door_{rejection.id}").click().run()
    ok(at)


def test_doors_without_rejections_invites_to_log_first(data_dir: Path, open_page) -> None:
    at = open_page(DOORS)
    assert at.title[0].value == DOOR.title
    assert DOOR.empty in [i.value for i in at.info]
    links = [link.proto for link in at.get("page_link")]
    assert any(link.label == "Go to the rejection log" for link in links)
    with pytest.raises(KeyError):
        at.selectbox(key="_doors.company")
    assert DOOR.due_title not in headers(at)


def test_doors_save_a_thank_you_dates_it_and_plans_a_check_in(data_dir: Path, open_page) -> None:
    rejection = with_rejection(data_dir, hours_ago=10 * 24)
    at = open_page(DOORS)
    assert DOOR.due_none.format(days=DOOR.due_within_days) in after_header(at, DOOR.due_title)
    assert at.selectbox(key="_doors.company").value == rejection.id
    expected_next = doors.add_months(today(), DOOR.checkin_months)
    assert at.date_input(key=door_key(rejection, "next")).value == expected_next
    box = at.checkbox(key=door_key(rejection, "thank_you_on"))
    assert (box.label, box.value) == (DOOR.thank_you_label, False)
    box.check()
    save_door(at, rejection)
    [door] = store(data_dir).all(DoorOpen)
    assert door.rejection_id == rejection.id
    assert door.thank_you_on == today()
    assert door.connected_on is None and door.shared_on is None
    assert door.next_checkin == expected_next
    assert door.last_checkin is None
    assert door.closed is False
    assert "Saved for Acme." in texts(at)
    ticked = at.checkbox(key=door_key(rejection, "thank_you_on"))
    assert ticked.value is True
    assert ticked.label == f"{DOOR.thank_you_label} ({timefmt.format_day(today())})"


def test_doors_resaving_keeps_the_day_first_ticked(data_dir: Path, open_page) -> None:
    rejection = with_rejection(data_dir, hours_ago=30 * 24)
    earlier = today() - timedelta(days=12)
    planned = today() + timedelta(days=40)
    store(data_dir).add(
        DoorOpen,
        {"rejection_id": rejection.id, "thank_you_on": earlier, "next_checkin": planned},
    )
    at = open_page(DOORS)
    box = at.checkbox(key=door_key(rejection, "thank_you_on"))
    assert box.value is True
    assert box.label == f"{DOOR.thank_you_label} ({timefmt.format_day(earlier)})"
    assert at.date_input(key=door_key(rejection, "next")).value == planned  # stored, not default
    at.checkbox(key=door_key(rejection, "connected_on")).check()
    at.text_area(key=door_key(rejection, "notes")).input("Met the lead at a meetup.")
    save_door(at, rejection)
    [door] = store(data_dir).all(DoorOpen)
    assert door.thank_you_on == earlier  # not moved to today
    assert door.connected_on == today()
    assert door.next_checkin == planned
    assert door.notes == "Met the lead at a meetup."
    # unticking forgets the day
    at.checkbox(key=door_key(rejection, "thank_you_on")).uncheck()
    save_door(at, rejection)
    assert store(data_dir).all(DoorOpen)[0].thank_you_on is None
    assert store(data_dir).all(DoorOpen)[0].connected_on == today()


def door_for(folder: Path, company: str, days: int, **more: Any) -> Rejection:
    rejection = with_rejection(folder, hours_ago=20 * 24, company=company, select=False)
    data = {"rejection_id": rejection.id, "next_checkin": today() + timedelta(days=days)}
    store(folder).add(DoorOpen, data | more)
    return rejection


def test_doors_lists_check_ins_coming_up(data_dir: Path, open_page) -> None:
    door_for(data_dir, "Globex", 3)
    door_for(data_dir, "Initech", 60)
    door_for(data_dir, "Umbrella", 1, closed=True)
    door_for(data_dir, "Hooli", -4)  # overdue still shows
    at = open_page(DOORS)
    due = "\n".join(after_header(at, DOOR.due_title))
    in_three = timefmt.format_day(today() + timedelta(days=3))
    overdue = timefmt.format_day(today() - timedelta(days=4))
    hooli, globex = due_line(due, "Hooli"), due_line(due, "Globex")
    assert hooli.startswith("- **Hooli** — ")
    assert "4 days ago" in hooli and f"({overdue})" in hooli
    assert globex.startswith("- **Globex** — ")
    assert "in 3 days" in globex and f"({in_three})" in globex
    assert due.index("Hooli") < due.index("Globex")  # soonest first
    assert "Initech" not in due  # too far off
    assert "Umbrella" not in due  # the door is closed
    assert DOOR.due_none.format(days=DOOR.due_within_days) not in due


def test_doors_company_choice_defaults_to_the_selected_and_lists_archived(
    data_dir: Path, open_page
) -> None:
    older = with_rejection(data_dir, hours_ago=40 * 24, company="Older", select=False)
    with_rejection(data_dir, hours_ago=10 * 24, company="Newer", select=False)
    archived = with_rejection(
        data_dir, hours_ago=5 * 24, company="Gone", archived=True, select=False
    )
    store(data_dir).set_setting("selected_rejection", older.id)
    at = open_page(DOORS)
    company = at.selectbox(key="_doors.company")
    assert company.value == older.id
    assert len(company.options) == 3
    assert any(option.startswith("Gone — ") for option in company.options)
    company.select(archived.id).run()
    ok(at)
    at.checkbox(key=door_key(archived, "shared_on")).check()
    at.text_input(key=door_key(archived, "shared_what")).input("An article on dbt")
    save_door(at, archived)
    [door] = store(data_dir).all(DoorOpen)
    assert (door.rejection_id, door.shared_on, door.shared_what) == (
        archived.id,
        today(),
        "An article on dbt",
    )


def test_doors_i_checked_in_today_plans_the_next(data_dir: Path, open_page) -> None:
    rejection = door_for(data_dir, "Globex", -2)
    store(data_dir).set_setting("selected_rejection", rejection.id)
    at = open_page(DOORS)
    at.button(key=f"_doors.touch.{rejection.id}").click().run()
    ok(at)
    [door] = store(data_dir).all(DoorOpen)
    expected = doors.add_months(today(), DOOR.checkin_months)
    assert (door.last_checkin, door.next_checkin) == (today(), expected)
    assert DOOR.checked_in_done.format(day=timefmt.format_day(expected)) in texts(at)
    assert at.date_input(key=door_key(rejection, "next")).value == expected  # field follows
    assert "Globex" not in "\n".join(after_header(at, DOOR.due_title))


def test_doors_next_check_in_before_the_last_gets_a_message(data_dir: Path, open_page) -> None:
    rejection = door_for(data_dir, "Globex", 20, last_checkin=today() - timedelta(days=1))
    store(data_dir).set_setting("selected_rejection", rejection.id)
    before = store(data_dir).all(DoorOpen)
    at = open_page(DOORS)
    at.date_input(key=door_key(rejection, "next")).set_value(today() - timedelta(days=5))
    at.text_area(key=door_key(rejection, "notes")).input("Keep this note.")
    save_door(at, rejection)
    assert (
        message_under(at, door_key(rejection, "next"))
        == "The next check-in is before the last one. Please check both."
    )
    assert store(data_dir).all(DoorOpen) == before
    assert at.text_area(key=door_key(rejection, "notes")).value == "Keep this note."


def test_doors_mentions_are_saved_once_each(data_dir: Path, open_page) -> None:
    rejection = with_rejection(data_dir, hours_ago=10 * 24)
    store(data_dir).add(Skill, {"name": "Python", "start_on": today()})
    at = open_page(DOORS)
    picker = at.multiselect(key=door_key(rejection, "mention"))
    assert picker.options == ["Python"]
    picker.select("Python")
    at.text_input(key=door_key(rejection, "own_mention")).input("SQL, sql , Docker, python")
    save_door(at, rejection)
    [door] = store(data_dir).all(DoorOpen)
    assert door.mention == ["Python", "SQL", "Docker"]
    # saved mentions are offered again, typed ones included
    assert at.multiselect(key=door_key(rejection, "mention")).value == ["Python", "SQL", "Docker"]
    assert at.text_input(key=door_key(rejection, "own_mention")).value == ""


def test_doors_closing_a_door_stops_its_reminders(data_dir: Path, open_page) -> None:
    rejection = door_for(data_dir, "Globex", 2)
    store(data_dir).set_setting("selected_rejection", rejection.id)
    at = open_page(DOORS)
    assert "Globex" in "\n".join(after_header(at, DOOR.due_title))
    assert at.button(key=f"_doors.touch.{rejection.id}")
    at.checkbox(key=door_key(rejection, "closed")).check()
    save_door(at, rejection)
    assert store(data_dir).all(DoorOpen)[0].closed is True
    assert "Globex" not in "\n".join(after_header(at, DOOR.due_title))
    with pytest.raises(KeyError):
        at.button(key=f"_doors.touch.{rejection.id}")


def test_doors_hostile_company_is_escaped_in_the_due_list(data_dir: Path, open_page) -> None:
    rejection = door_for(data_dir, HOSTILE, 1)
    at = open_page(DOORS)
    due = "\n".join(after_header(at, DOOR.due_title))
    assert due_line(due, HOSTILE).startswith(f"- **{textsafe.escape_markdown(HOSTILE)}** — ")
    assert "tomorrow" in due_line(due, HOSTILE)
    assert "<script>" not in due
    assert at.selectbox(key="_doors.company").value == rejection.id
    at.button(key=f"_submit.door_{rejection.id}").click().run()
    ok(at)
    assert "\\<script\\>" in at.success[0].value  # "Saved for …" quotes it escaped


def test_doors_heavy_lists_what_is_due(heavy_dir: Path, open_page) -> None:
    at = open_page(DOORS)
    wb = store(heavy_dir)
    rejections = wb.all(Rejection)
    company = at.selectbox(key="_doors.company")
    assert len(company.options) == len(rejections) == 60
    expected = doors.due_soon(wb.all(DoorOpen), rejections, [], today(), DOOR.due_within_days)
    assert expected  # the demo has some due
    due = after_header(at, DOOR.due_title)
    lines = due[0].splitlines()
    assert len(lines) == len(expected)
    for line, item in zip(lines, expected, strict=True):
        assert line.startswith(f"- **{textsafe.escape_markdown(item.who)}** — ")
        assert doors.when(item, today()) in line
        assert line.endswith(f"({timefmt.format_day(item.day)})")
    kept = {d.rejection_id: d for d in wb.all(DoorOpen)}
    with_door = next(r for r in rejections if r.id in kept and not kept[r.id].closed)
    company.select(with_door.id).run()
    ok(at)
    assert at.date_input(key=door_key(with_door, "next")).value == kept[with_door.id].next_checkin
    assert at.button(key=f"_doors.touch.{with_door.id}")


# -- Home --------------------------------------------------------------------------------
def old_rejection(folder: Path, company: str = "Acme") -> Rejection:
    """Its 48 hours and its feedback window are over, so a check-in can be the next step."""
    return with_rejection(folder, hours_ago=30 * 24, company=company)


def test_home_lists_due_check_ins_and_makes_one_the_next_step(data_dir: Path, open_page) -> None:
    rejection = old_rejection(data_dir)
    wb = store(data_dir)
    yesterday = today() - timedelta(days=1)
    wb.add(DoorOpen, {"rejection_id": rejection.id, "next_checkin": yesterday})
    wb.add(SupportPerson, {"role": "mentor", "name": "Ana", "next_checkin": today()})
    at = open_page(HOME)
    assert DUE_TITLE in headers(at)
    due = "\n".join(after_header(at, DUE_TITLE))
    acme, ana = due_line(due, "Acme"), due_line(due, "Ana")
    assert acme.startswith("- **Acme** (Keep the door open) — ")
    assert "yesterday" in acme and timefmt.format_day(yesterday) in acme
    assert ana.startswith(f"- **Ana** ({ROLES['mentor']}) — ")
    assert "today" in ana and timefmt.format_day(today()) in ana
    assert due.index("Acme") < due.index("Ana")  # soonest first
    pages = {link.proto.page for link in at.get("page_link")}
    assert {"doors", "team"} <= pages
    assert "A check-in is due: reach out to Acme." in texts(at)
    assert "Go to Keep doors open" in [link.proto.label for link in at.get("page_link")]


def test_home_feedback_window_comes_before_a_due_check_in(data_dir: Path, open_page) -> None:
    rejection = with_rejection(data_dir, hours_ago=4 * 24)  # feedback window open
    store(data_dir).add(DoorOpen, {"rejection_id": rejection.id, "next_checkin": today()})
    at = open_page(HOME)
    assert "Today is a good day to ask for feedback." in texts(at)
    assert "A check-in is due" not in texts(at)
    assert "Acme" in "\n".join(after_header(at, DUE_TITLE))  # still listed


def test_home_check_in_not_yet_due_is_listed_but_not_the_next_step(
    data_dir: Path, open_page
) -> None:
    rejection = old_rejection(data_dir)
    store(data_dir).add(
        DoorOpen, {"rejection_id": rejection.id, "next_checkin": today() + timedelta(days=5)}
    )
    at = open_page(HOME)
    line = due_line("\n".join(after_header(at, DUE_TITLE)), "Acme")
    assert line.startswith("- **Acme** (Keep the door open) — ")
    assert "in 5 days" in line
    assert "A check-in is due" not in texts(at)


def test_home_next_step_escapes_a_hostile_company(data_dir: Path, open_page) -> None:
    rejection = old_rejection(data_dir, company=HOSTILE)
    store(data_dir).add(DoorOpen, {"rejection_id": rejection.id, "next_checkin": today()})
    at = open_page(HOME)
    step = textsafe.escape_markdown(f"A check-in is due: reach out to {HOSTILE}.")
    assert step in [m.value for m in at.markdown]
    assert "<script>" not in raw_markdown(at)
    listed = due_line("\n".join(after_header(at, DUE_TITLE)), HOSTILE)
    assert listed.startswith(f"- **{textsafe.escape_markdown(HOSTILE)}** (Keep the door open)")
    assert "today" in listed


def test_home_shows_the_small_wins_streak(data_dir: Path, open_page) -> None:
    wb = store(data_dir)
    for days_ago in (0, 1, 2, 5):
        wb.add(Win, {"text": "Sent one application", "won_on": today() - timedelta(days=days_ago)})
    at = open_page(HOME)
    metrics = {m.label: m.value for m in at.metric}
    assert metrics == {"Small wins, current streak": "3 days", "Small wins in all": "4"}


def test_home_empty_has_no_check_ins_or_streak(data_dir: Path, open_page) -> None:
    at = open_page(HOME)
    assert DUE_TITLE not in headers(at)
    assert not at.metric
    assert "A check-in is due" not in texts(at)


def test_home_heavy_renders_check_ins_and_streak(heavy_dir: Path, open_page) -> None:
    at = open_page(HOME)
    wb = store(heavy_dir)
    streak = wins.streaks((w.won_on for w in wb.all(Win)), today())
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Small wins, current streak"] == wins.days_text(streak.current)
    assert metrics["Small wins in all"] == f"{wb.count(Win):,}"
    expected = doors.due_soon(
        wb.all(DoorOpen),
        wb.all(Rejection),
        wb.all(SupportPerson),
        today(),
        DOOR.due_within_days,
        ROLES,
    )
    assert expected
    listed = after_header(at, DUE_TITLE)[0].splitlines()
    # the soonest first; a long list may be cut short on Home, saying how many more
    assert 0 < len(listed) <= len(expected)
    for line, item in zip(listed, expected, strict=False):
        assert line.startswith(f"- **{textsafe.escape_markdown(item.who)}** (")
        assert timefmt.format_day(item.day) in line
    if len(listed) < len(expected):
        assert f"And {len(expected) - len(listed)} more." in texts(at)
