"""AppTest: the Phase 5 pages (reframe, growth, beyond, persistence), the reframe offer on
the feelings page, the progress dashboard and Home's phase progress — empty and heavy.

Each test checks what the person sees and what is saved in the workbook file.
"""

from __future__ import annotations

import html
import json
import re
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from tests.conftest import store
from tests.test_pages_phase2 import chart_spec, in_order, message_under, with_rejection
from tests.test_pages_start import HOSTILE, texts
from workbook import charts, content, growth, progress, reframe, textsafe, timefmt, wins
from workbook.models import (
    SENTENCE_TEXT,
    SHORT_TEXT,
    BeyondWin,
    ChannelAction,
    CheckIn,
    DoorOpen,
    GrowthChallenge,
    MindsetRewrite,
    PersistencePlan,
    Rejection,
    Skill,
    ThoughtRecord,
    Win,
)
from workbook.navigation import PAGES

REFRAME = "pages/phase5/reframe.py"
GROWTH = "pages/phase5/growth.py"
BEYOND = "pages/phase5/beyond.py"
PERSISTENCE = "pages/phase5/persistence.py"
FEELINGS = "pages/phase1/feelings.py"
DASHBOARD = "pages/progress/dashboard.py"
HOME = "pages/start/home.py"

ALL = content.load(None)
TEXT = ALL.phase5
R, G, B, P, D = TEXT.reframe, TEXT.growth, TEXT.beyond, TEXT.persistence, TEXT.dashboard
PHASE_NAMES = {p.key: p.name for p in ALL.start.home.phases}
STEP_COUNT = len(R.steps)


# -- helpers ---------------------------------------------------------------------------
def run(at):
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def click(at, key: str):
    at.button(key=key).click()
    return run(at)


def click_label(at, label: str):
    [button] = [b for b in at.button if b.label == label]
    button.click()
    return run(at)


def today() -> date:
    return timefmt.local_today(timefmt.zone(None))


def markdown_source(at) -> str:
    """Markdown exactly as sent to the browser (not unescaped)."""
    return "\n".join(m.value for m in [*at.markdown, *at.caption])


def all_charts(at) -> list[dict]:
    return [json.loads(c.proto.spec) for c in at.get("plotly_chart")]


def annotation(spec: dict) -> str:
    """The empty-state message of a chart, as a person reads it."""
    [note] = spec["layout"]["annotations"]
    return html.unescape(note["text"].replace("<br>", " "))


def progress_texts(at) -> list[str]:
    return [p.proto.text for p in at.get("progress")]


def page_links(at) -> dict[str, str]:
    return {p.proto.label: p.proto.page for p in at.get("page_link")}


# == P5.1 Reframe a thought ============================================================
def the_record(folder: Path) -> ThoughtRecord:
    [record] = store(folder).all(ThoughtRecord)
    return record


def field(record: ThoughtRecord, name: str) -> str:
    return f"keep.tr.{record.id}.{name}"


def step_shown(at) -> str:
    [bar] = at.get("progress")
    return bar.proto.text


def step_text(index: int) -> str:
    return f"Step {index + 1} of {STEP_COUNT}: {R.steps[index].label}"


def next_step(at, record: ThoughtRecord):
    return click(at, f"_submit.tr_{record.id}")


def back(at, record: ThoughtRecord):
    return click(at, f"_tr.{record.id}.back")


def thought_box(at) -> str | None:
    """The original thought as sent to the browser, from the box under the step bar."""
    elements = in_order(at.main)
    where = next(
        (i for i, e in enumerate(elements) if getattr(e, "value", None) == R.your_thought), None
    )
    return None if where is None else elements[where + 1].value


def needs(step: str, name: str) -> str:
    return reframe.missing(step, {})[name]


def test_reframe_on_an_empty_workbook(data_dir: Path, open_page) -> None:
    at = open_page(REFRAME)
    assert at.title[0].value == R.title
    assert [b.label for b in at.button] == [R.start_label]
    assert not at.get("progress")  # no record in progress: no steps shown
    assert "From your check-ins" not in texts(at)
    spec = chart_spec(at)
    assert not spec["data"]
    assert annotation(spec) == R.empty_history
    with pytest.raises(KeyError):
        at.selectbox(key="_choose.thought_records")
    assert store(data_dir).count(ThoughtRecord) == 0


def test_reframe_start_creates_a_record_at_the_first_step(data_dir: Path, open_page) -> None:
    at = open_page(REFRAME)
    click_label(at, R.start_label)
    record = the_record(data_dir)
    assert (record.step, record.finished, record.thought) == (0, False, "")
    assert step_shown(at) == step_text(0)
    assert at.text_area(key=field(record, "situation")).label == R.situation_label
    assert thought_box(at) is None  # nothing written yet
    with pytest.raises(KeyError):
        at.button(key=f"_tr.{record.id}.back")  # no step before the first


def test_reframe_next_on_an_empty_situation_stays(data_dir: Path, open_page) -> None:
    at = open_page(REFRAME)
    click_label(at, R.start_label)
    record = the_record(data_dir)
    next_step(at, record)
    assert message_under(at, field(record, "situation")) == needs("situation", "situation")
    assert step_shown(at) == step_text(0)
    assert the_record(data_dir).step == 0


def test_reframe_next_on_a_blank_situation_stays(data_dir: Path, open_page) -> None:
    at = open_page(REFRAME)
    click_label(at, R.start_label)
    record = the_record(data_dir)
    at.text_area(key=field(record, "situation")).input("   \n  ")
    next_step(at, record)
    assert message_under(at, field(record, "situation")) == needs("situation", "situation")
    assert the_record(data_dir).step == 0


def test_reframe_next_on_an_empty_feeling_shows_the_message_under_it(
    data_dir: Path, open_page
) -> None:
    store(data_dir).add(ThoughtRecord, {"step": 1, "situation": "The email."})
    at = open_page(REFRAME)
    record = the_record(data_dir)
    assert step_shown(at) == step_text(1)
    next_step(at, record)
    assert message_under(at, field(record, "feeling")) == needs("feeling", "feeling")
    assert the_record(data_dir).step == 1


def test_reframe_all_seven_steps_saved_one_at_a_time(data_dir: Path, open_page) -> None:
    at = open_page(REFRAME)
    click_label(at, R.start_label)
    record = the_record(data_dir)

    # 1 · What happened
    at.text_area(key=field(record, "situation")).input("The email came on Friday.")
    next_step(at, record)
    saved = the_record(data_dir)
    assert (saved.step, saved.situation) == (1, "The email came on Friday.")
    assert step_shown(at) == step_text(1)
    assert at.success[0].value == textsafe.escape_markdown("Saved.")

    # 2 · The feeling
    assert at.slider(key=field(record, "intensity_before")).value == 50
    at.text_input(key=field(record, "feeling")).input("Ashamed")
    at.slider(key=field(record, "intensity_before")).set_value(80)
    next_step(at, record)
    saved = the_record(data_dir)
    assert (saved.step, saved.feeling, saved.intensity_before) == (2, "Ashamed", 80)
    assert step_shown(at) == step_text(2)
    assert thought_box(at) is None

    # 3 · The thought (with markdown characters, to be shown as typed)
    thought = "I was rejected *again*, [always]"
    at.text_area(key=field(record, "thought")).input(thought)
    next_step(at, record)
    saved = the_record(data_dir)
    assert (saved.step, saved.thought) == (3, thought)
    shown_thought = textsafe.escape_markdown(f"“{thought}”")

    # 4 · Thinking traps
    assert step_shown(at) == step_text(3)
    assert thought_box(at) == shown_thought
    trap = R.traps[4]
    at.multiselect(key=field(record, "traps")).select(trap.key)
    at.text_input(key=field(record, "own_traps")).input("Comparing, comparing , Envy")
    next_step(at, record)
    saved = the_record(data_dir)
    assert (saved.step, saved.traps) == (4, [trap.key, "Comparing", "Envy"])

    # 5 · Evidence
    assert step_shown(at) == step_text(4)
    assert thought_box(at) == shown_thought
    at.text_area(key=field(record, "evidence_for")).input("Three noes this month.")
    at.text_area(key=field(record, "evidence_against")).input("Two final rounds.")
    next_step(at, record)
    saved = the_record(data_dir)
    assert (saved.step, saved.evidence_for, saved.evidence_against) == (
        5,
        "Three noes this month.",
        "Two final rounds.",
    )

    # 6 · A fairer thought: an empty one is not enough; a suggestion fills the field
    assert step_shown(at) == step_text(5)
    assert thought_box(at) == shown_thought
    next_step(at, record)
    assert message_under(at, field(record, "rewritten")) == needs("rewrite", "rewritten")
    assert the_record(data_dir).step == 5
    ideas = at.selectbox(key=f"_tr.{record.id}.idea")
    expected = reframe.suggestions(thought, R.suggestions)
    assert ideas.options == expected
    about_rejected = next(s for s in R.suggestions if s.match == "rejected").reframes
    assert expected[: len(about_rejected)] == about_rejected  # the matching ones first
    ideas.select(about_rejected[1])
    run(at)
    assert at.text_area(key=field(record, "rewritten")).value == about_rejected[1]
    next_step(at, record)
    saved = the_record(data_dir)
    assert (saved.step, saved.rewritten) == (6, about_rejected[1])

    # 7 · The feeling now: starts where it was, Finish instead of Next
    assert step_shown(at) == step_text(6)
    assert thought_box(at) == shown_thought
    assert at.button(key=f"_submit.tr_{record.id}").label == "Finish"
    assert "Next →" not in [b.label for b in at.button]
    assert at.slider(key=field(record, "intensity_after")).value == 80
    at.slider(key=field(record, "intensity_after")).set_value(40)
    click_label(at, "Finish")
    saved = the_record(data_dir)
    assert (saved.finished, saved.intensity_after, saved.intensity_before) == (True, 40, 80)
    assert at.success[0].value == textsafe.escape_markdown(R.finished.format(before=80, after=40))
    assert not at.get("progress")  # nothing left in progress
    [start] = at.button
    assert start.label == R.start_label

    # The chart now has the record, before and after.
    traces = {t.get("name"): t for t in chart_spec(at)["data"]}
    assert traces["Before"]["x"] == [80]
    assert traces["After"]["x"] == [40]
    assert traces["Before"]["y"] == [record.id]
    # ...and the list of finished records shows it, as typed.
    assert textsafe.escape_markdown(f"“{thought}” → “{about_rejected[1]}” (80 → 40)") in (
        markdown_source(at)
    )


def test_reframe_finish_without_a_change_says_so(data_dir: Path, open_page) -> None:
    store(data_dir).add(
        ThoughtRecord,
        {"step": 6, "thought": "I failed.", "rewritten": "One try.", "intensity_before": 60},
    )
    at = open_page(REFRAME)
    record = the_record(data_dir)
    assert at.slider(key=field(record, "intensity_after")).value == 60
    click_label(at, "Finish")
    saved = the_record(data_dir)
    assert (saved.finished, saved.intensity_after) == (True, 60)
    assert at.success[0].value == textsafe.escape_markdown(R.finished_same)


def test_reframe_back_saves_without_checking(data_dir: Path, open_page) -> None:
    store(data_dir).add(
        ThoughtRecord,
        {"step": 2, "situation": "The call.", "feeling": "Sad", "intensity_before": 70},
    )
    at = open_page(REFRAME)
    record = the_record(data_dir)
    assert step_shown(at) == step_text(2)
    at.text_area(key=field(record, "thought")).input("half a thought")
    back(at, record)
    saved = the_record(data_dir)
    assert (saved.step, saved.thought) == (1, "half a thought")
    assert not at.error
    assert step_shown(at) == step_text(1)
    # the thought is now in view on the earlier step, and the fields hold what was saved
    assert thought_box(at) == textsafe.escape_markdown("“half a thought”")
    assert at.text_input(key=field(record, "feeling")).value == "Sad"
    assert at.slider(key=field(record, "intensity_before")).value == 70
    # Back with the needed field emptied: still no message, still saved
    at.text_input(key=field(record, "feeling")).input("")
    back(at, record)
    saved = the_record(data_dir)
    assert (saved.step, saved.feeling) == (0, "")
    assert not at.error
    assert at.text_area(key=field(record, "situation")).value == "The call."


def test_reframe_hostile_thought_is_shown_as_typed(data_dir: Path, open_page) -> None:
    store(data_dir).add(ThoughtRecord, {"step": 2, "situation": "x", "feeling": "y"})
    at = open_page(REFRAME)
    record = the_record(data_dir)
    at.text_area(key=field(record, "thought")).input(HOSTILE)
    next_step(at, record)
    assert the_record(data_dir).thought == HOSTILE
    for _ in range(3, STEP_COUNT):
        assert thought_box(at) == textsafe.escape_markdown(f"“{HOSTILE}”")
        assert "<script>" not in markdown_source(at)
        back_to = the_record(data_dir).step
        if back_to == STEP_COUNT - 1:
            break
        if R.steps[back_to].key == "rewrite":
            at.text_area(key=field(record, "rewritten")).input("A fairer one.")
        next_step(at, record)
    assert texts(at).count(f"“{HOSTILE}”") == 1


def checkin(folder: Path, journal: str, intensity: int = 7, hours_ago: float = 2) -> CheckIn:
    return store(folder).add(
        CheckIn,
        {
            "emotions": ["Sad", "Tired"],
            "intensity": intensity,
            "journal": journal,
            "felt_at": datetime.now(UTC) - timedelta(hours=hours_ago),
        },
    )


def test_reframe_offers_a_thought_from_a_check_in(data_dir: Path, open_page) -> None:
    entry = checkin(data_dir, "Long day. I failed again. Then tea.", intensity=7)
    checkin(data_dir, "A calm day.")
    checkin(data_dir, "I was not rejected, just waiting.")
    at = open_page(REFRAME)
    shown = texts(at)
    assert "From your check-ins" in shown
    assert "“I failed again.”" in shown
    assert "calm day" not in shown and "not rejected" not in shown
    assert [b.key for b in at.button if b.label == "Look at this thought"] == [
        f"_tr.offer.{entry.id}"
    ]
    click(at, f"_tr.offer.{entry.id}")
    record = the_record(data_dir)
    assert (record.thought, record.intensity_before, record.source_checkin_id) == (
        "I failed again.",
        70,
        entry.id,
    )
    assert (record.feeling, record.step, record.finished) == ("Sad, Tired", 0, False)
    assert "From your check-ins" not in texts(at)
    assert not [b for b in at.button if b.label == "Look at this thought"]
    # the new record is the one shown, with its thought already in view
    assert step_shown(at) == step_text(0)
    assert thought_box(at) == textsafe.escape_markdown("“I failed again.”")


def test_reframe_heavy_resumes_and_pages_through_history(heavy_dir: Path, open_page) -> None:
    records = store(heavy_dir).all(ThoughtRecord)
    [open_one] = [r for r in records if not r.finished]
    finished = sorted((r for r in records if r.finished), key=lambda r: r.updated_at)
    assert (open_one.step, len(finished)) == (3, 39)
    at = open_page(REFRAME)
    assert step_shown(at) == step_text(3)
    assert thought_box(at) == textsafe.escape_markdown(f"“{open_one.thought}”")
    assert at.multiselect(key=field(open_one, "traps")).value == open_one.traps
    assert R.resume_note not in texts(at)  # only one in progress
    assert "Page 1 of 4 · 39 in all" in texts(at)
    lines = [m for m in markdown_source(at).splitlines() if m.startswith("- “")]
    assert len(lines) == 10
    newest = f"({finished[-1].intensity_before} → {finished[-1].intensity_after})"
    assert textsafe.escape_markdown(newest) in lines[0]
    spec = chart_spec(at)
    assert len({t.get("name") for t in spec["data"]} & {"Before", "After"}) == 2
    before = next(t for t in spec["data"] if t.get("name") == "Before")
    shown_rows = min(39, charts.BEFORE_AFTER_ROWS)  # the newest, newest first
    assert before["y"] == [r.id for r in reversed(finished)][:shown_rows]
    assert before["x"] == [r.intensity_before for r in reversed(finished)][:shown_rows]
    assert len(at.selectbox(key="_choose.thought_records").options) == 10
    click(at, "_page.thought_records.next")
    assert "Page 2 of 4 · 39 in all" in texts(at)
    click(at, "_page.thought_records.next")
    click(at, "_page.thought_records.next")
    assert "Page 4 of 4 · 39 in all" in texts(at)
    assert len(at.selectbox(key="_choose.thought_records").options) == 9
    # Starting another while one is in progress: the newest is shown, with the note.
    click_label(at, R.start_label)
    assert R.resume_note in texts(at)
    assert step_shown(at) == step_text(0)
    assert store(heavy_dir).count(ThoughtRecord) == 41


def test_reframe_read_and_delete_a_finished_record(data_dir: Path, open_page) -> None:
    record = store(data_dir).add(
        ThoughtRecord,
        {
            "step": 6,
            "situation": "The call.",
            "thought": "I failed.",
            "traps": ["labelling", "Envy"],
            "rewritten": "One try.",
            "intensity_before": 70,
            "intensity_after": 30,
            "finished": True,
        },
    )
    at = open_page(REFRAME)
    at.selectbox(key="_choose.thought_records").select(record.id)
    run(at)
    shown = texts(at)
    assert "What happened: The call." in shown
    assert f"Traps: {R.trap_label('labelling')}, Envy" in shown
    click(at, f"_confirm.tr.{record.id}.ask")
    assert "Delete this thought record?" in texts(at)
    assert store(data_dir).count(ThoughtRecord) == 1
    click(at, f"_confirm.tr.{record.id}.yes")
    assert store(data_dir).count(ThoughtRecord) == 0
    assert annotation(chart_spec(at)) == R.empty_history


# == The offer on the feelings page ====================================================
def save_checkin(at, journal: str):
    at.multiselect(key="keep.feel.emotions").select("Sad")
    at.slider(key="keep.feel.intensity").set_value(6)
    at.text_area(key="keep.feel.journal").input(journal)
    return click(at, "_submit.checkin")


def offer_text(phrase: str) -> str:
    return R.offer.format(phrase=phrase)


def test_feelings_offer_appears_and_yes_opens_a_record(data_dir: Path, open_page) -> None:
    at = open_page(FEELINGS)
    save_checkin(at, "Long day. I failed again. Then tea.")
    [saved] = store(data_dir).all(CheckIn)
    assert offer_text("I failed again.") in texts(at)
    assert at.button(key="_reframe.offer.yes").label == R.offer_yes
    assert at.button(key="_reframe.offer.no").label == R.offer_no
    assert store(data_dir).count(ThoughtRecord) == 0  # nothing until the person says yes
    click(at, "_reframe.offer.yes")
    record = the_record(data_dir)
    assert (record.thought, record.intensity_before, record.feeling) == (
        "I failed again.",
        60,
        "Sad",
    )
    assert record.source_checkin_id == saved.id
    # the app moved to the reframe page, on the new record
    assert at.title[0].value == R.title
    assert step_shown(at) == step_text(0)
    assert thought_box(at) == textsafe.escape_markdown("“I failed again.”")
    assert "From your check-ins" not in texts(at)  # that check-in is taken care of


def test_feelings_offer_not_now_hides_it(data_dir: Path, open_page) -> None:
    at = open_page(FEELINGS)
    save_checkin(at, "I failed again.")
    assert offer_text("I failed again.") in texts(at)
    click(at, "_reframe.offer.no")
    assert offer_text("I failed again.") not in texts(at)
    assert at.title[0].value == ALL.phase1.feelings.title
    with pytest.raises(KeyError):
        at.button(key="_reframe.offer.yes")
    assert store(data_dir).count(ThoughtRecord) == 0
    assert store(data_dir).count(CheckIn) == 1


@pytest.mark.parametrize("journal", ["A calm day.", "I was not rejected", ""])
def test_feelings_no_offer_without_rejection_language(
    data_dir: Path, open_page, journal: str
) -> None:
    at = open_page(FEELINGS)
    save_checkin(at, journal)
    assert store(data_dir).count(CheckIn) == 1
    assert "Would you like to look at that thought" not in texts(at)
    with pytest.raises(KeyError):
        at.button(key="_reframe.offer.yes")
    assert store(data_dir).count(ThoughtRecord) == 0


def test_feelings_offer_quotes_hostile_words_as_typed(data_dir: Path, open_page) -> None:
    at = open_page(FEELINGS)
    journal = f"{HOSTILE} I feel useless"
    save_checkin(at, journal)
    found = reframe.detect(journal, R.detect)
    assert found is not None
    assert textsafe.escape_markdown(offer_text(found.sentence)) in markdown_source(at)
    assert "<script>" not in markdown_source(at)


# == P5.2 Growth mindset ===============================================================
def test_growth_on_an_empty_workbook(data_dir: Path, open_page) -> None:
    at = open_page(GROWTH)
    assert at.title[0].value == G.title
    shown = texts(at)
    assert G.empty_rewrites in shown
    assert G.empty_challenges in shown
    assert at.text_input(key="keep.growth.cant").label == G.cant_label
    assert at.text_input(key="keep.growth.yet").value == ""
    with pytest.raises(KeyError):
        at.selectbox(key="_choose.growth")


def test_growth_cant_prefills_not_yet_and_saves(data_dir: Path, open_page) -> None:
    at = open_page(GROWTH)
    cant = "I can't do system design"
    at.text_input(key="keep.growth.cant").set_value(cant)
    run(at)
    suggested = growth.not_yet(cant)
    assert at.text_input(key="keep.growth.yet").value == suggested
    click(at, "_submit.rewrite")
    [saved] = store(data_dir).all(MindsetRewrite)
    assert (saved.cant, saved.not_yet) == (cant, suggested)
    assert G.empty_rewrites not in texts(at)
    assert (
        f"- ~~{textsafe.escape_markdown(cant)}~~ → **{textsafe.escape_markdown(suggested)}**"
        in markdown_source(at)
    )
    # cleared for the next one
    assert at.text_input(key="keep.growth.cant").value == ""
    assert at.text_input(key="keep.growth.yet").value == ""


def test_growth_own_not_yet_is_not_overwritten(data_dir: Path, open_page) -> None:
    at = open_page(GROWTH)
    at.text_input(key="keep.growth.yet").input("My own words, not yet.")
    run(at)
    at.text_input(key="keep.growth.cant").input("I can't negotiate")
    run(at)
    assert at.text_input(key="keep.growth.yet").value == "My own words, not yet."


def test_growth_empty_fields_show_messages_and_save_nothing(data_dir: Path, open_page) -> None:
    at = open_page(GROWTH)
    click(at, "_submit.rewrite")
    assert message_under(at, "keep.growth.cant")
    assert message_under(at, "keep.growth.yet")
    click(at, "_submit.challenge")
    assert message_under(at, "keep.growth.challenge")
    assert message_under(at, "keep.growth.growth")
    assert store(data_dir).count(MindsetRewrite) == store(data_dir).count(GrowthChallenge) == 0


def test_growth_add_a_challenge_as_typed(data_dir: Path, open_page) -> None:
    at = open_page(GROWTH)
    at.text_input(key="keep.growth.challenge").input(HOSTILE)
    at.text_input(key="keep.growth.growth").input("Patience")
    click(at, "_submit.challenge")
    [saved] = store(data_dir).all(GrowthChallenge)
    assert (saved.challenge, saved.growth) == (HOSTILE, "Patience")
    assert G.empty_challenges not in texts(at)
    assert f"- {textsafe.escape_markdown(HOSTILE)} — *Patience*" in markdown_source(at)
    assert at.text_input(key="keep.growth.challenge").value == ""


def test_growth_delete_asks_first(data_dir: Path, open_page) -> None:
    entry = store(data_dir).add(MindsetRewrite, {"cant": "I can't sing", "not_yet": "Not yet."})
    keep = store(data_dir).add(GrowthChallenge, {"challenge": "Rust", "growth": "Types"})
    at = open_page(GROWTH)
    at.selectbox(key="_choose.growth").select(entry.id)
    run(at)
    click(at, f"_confirm.growth.{entry.id}.ask")
    assert "Delete this entry?" in texts(at)
    click(at, f"_confirm.growth.{entry.id}.no")
    assert store(data_dir).count(MindsetRewrite) == 1
    click(at, f"_confirm.growth.{entry.id}.ask")
    click(at, f"_confirm.growth.{entry.id}.yes")
    assert store(data_dir).count(MindsetRewrite) == 0
    assert [c.id for c in store(data_dir).all(GrowthChallenge)] == [keep.id]
    assert G.empty_rewrites in texts(at)
    assert "Deleted." in texts(at)


def test_growth_heavy_renders(heavy_dir: Path, open_page) -> None:
    wb = store(heavy_dir)
    rewrites, challenges = wb.all(MindsetRewrite), wb.all(GrowthChallenge)
    at = open_page(GROWTH)
    lines = [m for m in markdown_source(at).splitlines() if m.startswith("- ")]
    assert sum(line.startswith("- ~~") for line in lines) == min(20, len(rewrites))
    assert sum(" — *" in line for line in lines) == min(20, len(challenges))
    newest = textsafe.escape_markdown(rewrites[-1].cant)
    assert next(line for line in lines if line.startswith("- ~~")).startswith(f"- ~~{newest}~~")
    assert len(at.selectbox(key="_choose.growth").options) == len(rewrites) + len(challenges)
    assert G.empty_rewrites not in texts(at)


# == P5.3 Wins beyond offers ===========================================================
def test_beyond_on_an_empty_workbook(data_dir: Path, open_page) -> None:
    at = open_page(BEYOND)
    assert at.title[0].value == B.title
    subheaders = [s.value for s in at.subheader]
    assert subheaders == [f"{c.label} (not yet)" for c in B.categories]
    assert len(subheaders) == 7
    assert B.empty in texts(at)
    assert at.selectbox(key="keep.beyond.kind").value == B.categories[0].key
    assert at.date_input(key="keep.beyond.day").value == today()
    metrics = {m.label: m.value for m in at.metric}
    assert metrics == {"Small wins": "0", "Current streak": wins.days_text(0)}
    assert page_links(at)["Log a small win"] == PAGES["wins"].url_path


def test_beyond_add_saves_category_and_day(data_dir: Path, open_page) -> None:
    at = open_page(BEYOND)
    kind = B.categories[1]
    at.selectbox(key="keep.beyond.kind").select(kind.key)
    at.text_input(key="keep.beyond.text").input(HOSTILE)
    day = today() - timedelta(days=12)
    at.date_input(key="keep.beyond.day").set_value(day)
    click(at, "_submit.beyond")
    [saved] = store(data_dir).all(BeyondWin)
    assert (saved.category, saved.text, saved.day) == (kind.key, HOSTILE, day)
    subheaders = [s.value for s in at.subheader]
    assert f"{kind.label} (1)" in subheaders
    assert f"{B.categories[0].label} (not yet)" in subheaders
    assert f"- {textsafe.escape_markdown(HOSTILE)}" in markdown_source(at)
    assert B.empty not in texts(at)
    # the text and the day are cleared; the kind stays for the next one
    assert at.text_input(key="keep.beyond.text").value == ""
    assert at.date_input(key="keep.beyond.day").value == today()


def test_beyond_future_day_or_no_text_is_refused(data_dir: Path, open_page) -> None:
    at = open_page(BEYOND)
    at.text_input(key="keep.beyond.text").input("Met a mentor")
    at.date_input(key="keep.beyond.day").set_value(today() + timedelta(days=3))
    click(at, "_submit.beyond")
    assert message_under(at, "keep.beyond.day")
    assert store(data_dir).count(BeyondWin) == 0
    at.date_input(key="keep.beyond.day").set_value(today())
    at.text_input(key="keep.beyond.text").input("")
    click(at, "_submit.beyond")
    assert message_under(at, "keep.beyond.text")
    assert message_under(at, "keep.beyond.day") is None
    assert store(data_dir).count(BeyondWin) == 0


def test_beyond_small_wins_beside(data_dir: Path, open_page) -> None:
    wb = store(data_dir)
    for n, back_days in enumerate([0, 1, 1, 5]):
        wb.add(Win, {"text": f"Win {n}", "won_on": today() - timedelta(days=back_days)})
    at = open_page(BEYOND)
    streak = wins.streaks([today(), today() - timedelta(days=1)], today())
    metrics = {m.label: m.value for m in at.metric}
    assert metrics == {"Small wins": "4", "Current streak": wins.days_text(streak.current)}
    assert streak.current == 2
    assert "- Win 0" in texts(at)


def test_beyond_heavy_renders_with_counts(heavy_dir: Path, open_page) -> None:
    wb = store(heavy_dir)
    gained = wb.all(BeyondWin)
    small = wb.count(Win)
    at = open_page(BEYOND)
    expected = []
    for c in B.categories:
        n = sum(g.category == c.key for g in gained)
        expected.append(f"{c.label} ({n if n else 'not yet'})")
    assert [s.value for s in at.subheader] == expected
    assert sum(int(re.search(r"\((\d+)\)", s).group(1)) for s in expected) == len(gained)
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Small wins"] == f"{small:,}"
    assert len(at.selectbox(key="_choose.beyond").options) == len(gained)


# == P5.4 Persistence plan =============================================================
def seed_links(folder: Path) -> dict[str, str]:
    wb = store(folder)
    rejection = with_rejection(folder, hours_ago=72)
    other = with_rejection(folder, hours_ago=500, select=False, company="Globex")
    skill = wb.add(Skill, {"name": "System design", "start_on": today()})
    planned = wb.add(
        ChannelAction,
        {"channel": "referral", "action": "Ask Sam for an intro", "status": "planned"},
    )
    done = wb.add(
        ChannelAction,
        {"channel": "event", "action": "Went to a meetup", "status": "done", "done_on": today()},
    )
    door = wb.add(DoorOpen, {"rejection_id": rejection.id})
    closed = wb.add(DoorOpen, {"rejection_id": other.id, "closed": True})
    return {
        "rejection": rejection.id,
        "other": other.id,
        "skill": skill.id,
        "planned": planned.id,
        "done": done.id,
        "door": door.id,
        "closed": closed.id,
    }


def test_persistence_on_an_empty_workbook(data_dir: Path, open_page) -> None:
    at = open_page(PERSISTENCE)
    assert at.title[0].value == P.title
    assert [t.label for t in at.text_area] == [P.went_wrong_label, P.changes_label, P.next_label]
    assert all(t.value == "" for t in at.text_area)
    assert not at.multiselect  # nothing to link yet
    links = page_links(at)
    assert "Add skills to your plan" in links
    assert "Plan an action in another channel" in links
    assert store(data_dir).count(PersistencePlan) == 0


def test_persistence_save_texts_and_links(data_dir: Path, open_page) -> None:
    ids = seed_links(data_dir)
    at = open_page(PERSISTENCE)
    assert len(at.multiselect(key="keep.persist.rejections").options) == 2
    assert at.multiselect(key="keep.persist.skills").options == ["System design"]
    # only planned actions and open doors are offered
    assert at.multiselect(key="keep.persist.next_links").options == [
        "Planned: Ask Sam for an intro",
        "Keep in touch: Acme",
    ]
    at.text_area(key="keep.persist.wrong").input("I froze on design questions.")
    at.text_area(key="keep.persist.changes").input(HOSTILE)
    at.text_area(key="keep.persist.next").input("Two chats this month.")
    at.multiselect(key="keep.persist.rejections").select(ids["rejection"])
    at.multiselect(key="keep.persist.skills").select(ids["skill"])
    at.multiselect(key="keep.persist.next_links").select(ids["planned"]).select(ids["door"])
    click(at, "_submit.persistence")
    [plan] = store(data_dir).all(PersistencePlan)
    assert (plan.went_wrong, plan.changes, plan.next_steps) == (
        "I froze on design questions.",
        HOSTILE,
        "Two chats this month.",
    )
    assert plan.rejection_ids == [ids["rejection"]]
    assert plan.skill_ids == [ids["skill"]]
    assert plan.action_ids == [ids["planned"]]
    assert plan.door_ids == [ids["door"]]
    assert P.saved in texts(at)
    # the page shows the saved plan back
    assert at.text_area(key="keep.persist.changes").value == HOSTILE
    assert at.multiselect(key="keep.persist.next_links").value == [ids["planned"], ids["door"]]

    # Saving again changes the one plan, never adds a second.
    at.text_area(key="keep.persist.next").input("Three chats.")
    at.multiselect(key="keep.persist.next_links").unselect(ids["door"])
    at.multiselect(key="keep.persist.rejections").select(ids["other"])
    click(at, "_submit.persistence")
    [again] = store(data_dir).all(PersistencePlan)
    assert again.id == plan.id
    assert again.next_steps == "Three chats."
    assert (again.action_ids, again.door_ids) == ([ids["planned"]], [])
    assert set(again.rejection_ids) == {ids["rejection"], ids["other"]}
    assert again.changes == HOSTILE


def test_persistence_plan_survives_a_new_session(data_dir: Path, open_page) -> None:
    ids = seed_links(data_dir)
    store(data_dir).put_one(
        PersistencePlan,
        {},
        {"went_wrong": "Rushed.", "skill_ids": [ids["skill"]], "door_ids": [ids["door"]]},
    )
    at = open_page(PERSISTENCE)
    assert at.text_area(key="keep.persist.wrong").value == "Rushed."
    assert at.multiselect(key="keep.persist.skills").value == [ids["skill"]]
    assert at.multiselect(key="keep.persist.next_links").value == [ids["door"]]
    click(at, "_submit.persistence")
    assert store(data_dir).count(PersistencePlan) == 1
    [plan] = store(data_dir).all(PersistencePlan)
    assert (plan.went_wrong, plan.skill_ids, plan.door_ids) == (
        "Rushed.",
        [ids["skill"]],
        [ids["door"]],
    )


def test_persistence_heavy_renders(heavy_dir: Path, open_page) -> None:
    [plan] = store(heavy_dir).all(PersistencePlan)
    at = open_page(PERSISTENCE)
    assert at.text_area(key="keep.persist.wrong").value == plan.went_wrong
    assert at.text_area(key="keep.persist.changes").value == plan.changes
    assert at.text_area(key="keep.persist.next").value == plan.next_steps
    assert at.multiselect(key="keep.persist.rejections").options
    click(at, "_submit.persistence")
    assert store(heavy_dir).count(PersistencePlan) == 1


# == X1 Progress dashboard =============================================================
def expected_progress(folder: Path) -> dict[str, progress.Completion]:
    records = progress.gather(
        store(folder).all,
        datetime.now(UTC),
        ALL.phase1.window.hours,
        tuple(ALL.phase4.materials.step_keys),
    )
    return progress.worksheets(records)


def empty_messages(rejections: int) -> list[str]:
    """The six charts' empty states, in the dashboard's order."""
    return [
        ALL.phase1.feelings.empty,
        ALL.phase3.wins.chart_empty,
        ALL.phase2.patterns.too_few.format(count=rejections),
        ALL.phase3.skills.chart_empty,
        ALL.phase4.channels.chart_empty,
        R.empty_history,
    ]


def worksheet_lines(at) -> dict[str, str]:
    lines: dict[str, str] = {}
    for expander in at.expander:
        for m in expander.markdown:
            for line in m.value.splitlines():
                title, rest = line.removeprefix("- ").split(" — ", 1)
                lines[title.strip("*")] = rest
    return lines


def test_dashboard_on_an_empty_workbook(data_dir: Path, open_page) -> None:
    at = open_page(DASHBOARD)
    assert at.title[0].value == D.title
    bars = at.get("progress")
    assert [b.proto.text for b in bars] == [
        f"{PHASE_NAMES[phase]}: 0 of {len(keys)} worksheets done"
        for phase, keys in progress.PHASES.items()
    ]
    assert all(b.proto.value == 0 for b in bars)
    assert [e.label for e in at.expander] == [PHASE_NAMES[p] for p in progress.PHASES]
    lines = worksheet_lines(at)
    assert len(lines) == sum(len(k) for k in progress.PHASES.values())
    assert all(line.startswith(f"○ {D.not_yet_label} · ") for line in lines.values())
    specs = all_charts(at)
    assert len(specs) == 6
    assert all(not spec["data"] for spec in specs)
    assert [annotation(spec) for spec in specs] == empty_messages(0)


def test_dashboard_heavy_matches_the_progress_rules(heavy_dir: Path, open_page) -> None:
    done = expected_progress(heavy_dir)
    shares = progress.phases(done)
    at = open_page(DASHBOARD)
    bars = at.get("progress")
    assert [b.proto.text for b in bars] == [
        f"{PHASE_NAMES[phase]}: {sum(done[k].done for k in keys)} of {len(keys)} worksheets done"
        for phase, keys in progress.PHASES.items()
    ]
    assert [b.proto.value for b in bars] == [int(shares[p] * 100) for p in progress.PHASES]
    assert any(b.proto.value > 0 for b in bars)
    lines = worksheet_lines(at)
    for keys in progress.PHASES.values():
        for key in keys:
            c = done[key]
            mark = f"✓ {D.done_label}" if c.done else f"○ {D.not_yet_label}"
            assert lines[PAGES[key].title] == f"{mark} · {c.note}"
    assert any(v.startswith("✓") for v in lines.values())
    # a link to every worksheet not yet done, none to the done ones
    links = page_links(at)
    for keys in progress.PHASES.values():
        for key in keys:
            assert (f"Open {PAGES[key].title}" in links) == (not done[key].done)
    specs = all_charts(at)
    assert len(specs) == 6
    empty = set(empty_messages(len(store(heavy_dir).all(Rejection))))
    for spec in specs:
        assert spec["data"], spec["layout"].get("title")
        notes = {
            html.unescape(a["text"].replace("<br>", " "))
            for a in spec["layout"].get("annotations", [])
        }
        assert not notes & empty, notes  # no empty state


def test_dashboard_counts_a_finished_thought_record(data_dir: Path, open_page) -> None:
    store(data_dir).add(
        ThoughtRecord,
        {
            "thought": "I failed.",
            "rewritten": "One try.",
            "intensity_before": 70,
            "intensity_after": 30,
            "finished": True,
        },
    )
    at = open_page(DASHBOARD)
    assert (
        worksheet_lines(at)[PAGES["reframe"].title]
        == f"✓ {D.done_label} · 1 thought record finished"
    )
    assert f"{PHASE_NAMES['phase5']}: 1 of 4 worksheets done" in progress_texts(at)
    last = all_charts(at)[-1]
    assert next(t for t in last["data"] if t.get("name") == "After")["x"] == [30]


# == Home ==============================================================================
def phase_lines(at) -> list[str]:
    return [line for line in texts(at).splitlines() if re.match(r"\d\. \*\*", line)]


def test_home_on_an_empty_workbook_shows_zero_progress(data_dir: Path, open_page) -> None:
    at = open_page(HOME)
    lines = phase_lines(at)
    assert len(lines) == 5
    for n, (line, phase) in enumerate(zip(lines, ALL.start.home.phases, strict=True), start=1):
        assert line.startswith(f"{n}. **{phase.name}** (0% done)")
    assert sum("*you are here*" in line for line in lines) <= 1
    assert page_links(at)["See your progress"] == PAGES["dashboard"].url_path


def test_home_heavy_shows_each_phase_share(heavy_dir: Path, open_page) -> None:
    shares = progress.phases(expected_progress(heavy_dir))
    at = open_page(HOME)
    lines = phase_lines(at)
    assert len(lines) == 5
    for line, phase in zip(lines, ALL.start.home.phases, strict=True):
        assert f"**{phase.name}** ({shares[phase.key]:.0%} done)" in line
    assert any(shares[p.key] > 0 for p in ALL.start.home.phases)
    assert sum("— *you are here*:" in line for line in lines) == 1
    assert page_links(at)["See your progress"] == PAGES["dashboard"].url_path


# == More edge cases ===================================================================
def test_reframe_offer_from_a_long_check_in_opens_a_record(data_dir: Path, open_page) -> None:
    journal = "I was rejected again and " + "then I kept thinking about it, " * 40
    entry = checkin(data_dir, journal)
    at = open_page(REFRAME)
    at.button(key=f"_tr.offer.{entry.id}").click()
    run(at)
    record = the_record(data_dir)
    assert record.source_checkin_id == entry.id
    assert record.thought.startswith("I was rejected again and then I kept thinking")
    assert len(record.thought) <= SENTENCE_TEXT
    assert step_shown(at) == step_text(0)


def test_feelings_offer_with_a_rejection_fills_the_situation(data_dir: Path, open_page) -> None:
    rejection = with_rejection(data_dir, hours_ago=5, company="Initech", role="Data Engineer")
    at = open_page(FEELINGS)
    save_checkin(at, "They didn't want me. That stings.")
    assert offer_text("They didn't want me.") in texts(at)
    click(at, "_reframe.offer.yes")
    record = the_record(data_dir)
    assert record.situation == "The “no” from Initech for the Data Engineer role."
    assert record.thought == "They didn't want me."
    assert at.title[0].value == R.title
    [entry] = store(data_dir).all(CheckIn)
    assert entry.rejection_id == rejection.id
    assert at.text_area(key=field(record, "situation")).value == record.situation


def test_reframe_chart_shows_a_hostile_thought_as_text(data_dir: Path, open_page) -> None:
    store(data_dir).add(
        ThoughtRecord,
        {
            "thought": HOSTILE,
            "rewritten": "Fair.",
            "intensity_before": 90,
            "intensity_after": 50,
            "finished": True,
        },
    )
    at = open_page(REFRAME)
    before = next(t for t in chart_spec(at)["data"] if t.get("name") == "Before")
    assert before["customdata"] == [textsafe.plotly_text(textsafe.preview(HOSTILE, 36))]
    assert "<script>" not in str(before["customdata"])
    assert "<script>" not in markdown_source(at)
    assert textsafe.escape_markdown(f"“{HOSTILE}”") in markdown_source(at)


def test_growth_unsaved_cant_is_kept_for_a_new_session(data_dir: Path, open_page) -> None:
    at = open_page(GROWTH)
    at.text_input(key="keep.growth.cant").input("I can't negotiate salary")
    run(at)
    assert store(data_dir).text_draft("keep.growth.cant") == "I can't negotiate salary"
    later = open_page(GROWTH)  # a new session: the tab was closed
    assert later.text_input(key="keep.growth.cant").value == "I can't negotiate salary"


def test_feelings_offer_yes_with_long_own_feelings(data_dir: Path, open_page) -> None:
    at = open_page(FEELINGS)
    own = ", ".join(f"{word} " + "and more of it " * 5 for word in ("tired", "lost", "angry"))
    at.text_input(key="keep.feel.own").input(own)
    save_checkin(at, "I failed again.")
    assert store(data_dir).count(CheckIn) == 1
    at.button(key="_reframe.offer.yes").click()
    run(at)
    record = the_record(data_dir)
    assert record.thought == "I failed again."
    assert record.feeling.startswith("Sad, tired and more of it")
    assert len(record.feeling) <= SHORT_TEXT
    assert at.title[0].value == R.title
