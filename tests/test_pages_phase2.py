"""AppTest: the Phase 2 pages (review, feedback, patterns, reassess), empty and heavy."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from streamlit.runtime.memory_media_file_storage import MemoryMediaFileStorage
from streamlit.testing.v1.element_tree import Error

from tests.conftest import store
from tests.test_pages_start import HOSTILE, texts
from workbook import content, feedback, patterns, timefmt
from workbook.models import (
    Direction,
    FeedbackRequest,
    PathPlan,
    Rejection,
    Review,
    Stage,
)

REVIEW = "pages/phase2/review.py"
FEEDBACK = "pages/phase2/feedback.py"
PATTERNS = "pages/phase2/patterns.py"
REASSESS = "pages/phase2/reassess.py"
TEXT = content.load(None).phase2
INVITATION = "Start by adding the rejection you are working through."


def with_rejection(
    folder: Path,
    hours_ago: float = 5,
    *,
    stage: Stage = Stage.APPLICATION,
    role: str = "Analyst",
    select: bool = True,
    **changes: Any,
) -> Rejection:
    wb = store(folder)
    data = {
        "company": "Acme",
        "role": role,
        "stage": stage,
        "rejected_at": datetime.now(UTC) - timedelta(hours=hours_ago),
    }
    rejection = wb.add(Rejection, data | changes)
    if select:
        wb.set_setting("selected_rejection", rejection.id)
    return rejection


def chart_spec(at) -> dict[str, Any]:
    [chart] = at.get("plotly_chart")
    return json.loads(chart.proto.spec)


def shown_errors(at) -> list[str]:
    return [e.value for e in at.error]


def in_order(node) -> list[Any]:
    """Every element of the page, top to bottom (columns left to right)."""
    children = getattr(node, "children", None)
    if not children:
        return [node]
    return [leaf for i in sorted(children) for leaf in in_order(children[i])]


def message_under(at, key: str) -> str | None:
    """The error shown right under the widget with ``key``, if any."""
    elements = in_order(at.main)
    where = next(i for i, e in enumerate(elements) if getattr(e, "key", None) == key)
    after = elements[where + 1]
    return after.value if isinstance(after, Error) else None


def today():
    return timefmt.local_today(timefmt.zone(None))


# -- empty workbook --------------------------------------------------------------------
@pytest.mark.parametrize("page", [REVIEW, FEEDBACK])
def test_per_rejection_pages_on_an_empty_workbook_invite_to_log_first(
    data_dir: Path, open_page, page: str
) -> None:
    at = open_page(page)
    assert at.title[0].value in {TEXT.review.title, TEXT.feedback.title}
    assert INVITATION in texts(at)
    assert not at.text_area
    # Only the worksheet's own "download this worksheet" button; no email to download yet.
    assert [
        b.key for b in at.get("download_button") if not (b.key or "").startswith("_download.")
    ] == []
    assert store(data_dir).count(Review) == store(data_dir).count(FeedbackRequest) == 0


def test_patterns_on_an_empty_workbook_is_honest_about_too_few(data_dir: Path, open_page) -> None:
    at = open_page(PATTERNS)
    assert at.title[0].value == TEXT.patterns.title
    shown = texts(at)
    assert "Patterns need at least two rejections" in shown
    assert "You have 0 in your log" in shown
    assert not at.get("plotly_chart")
    assert TEXT.patterns.findings_title not in shown


def test_patterns_with_one_rejection_counts_it_and_still_waits(data_dir: Path, open_page) -> None:
    with_rejection(data_dir, stage=Stage.FINAL_ROUND)
    at = open_page(PATTERNS)
    assert "You have 1 in your log" in texts(at)
    assert not at.get("plotly_chart")


def test_reassess_on_an_empty_workbook_shows_the_empty_chart(data_dir: Path, open_page) -> None:
    at = open_page(REASSESS)
    assert at.title[0].value == TEXT.reassess.title
    spec = chart_spec(at)
    # The message is wrapped onto short lines so it fits a phone.
    assert spec["layout"]["annotations"][0]["text"].replace("<br>", " ") == TEXT.reassess.empty
    assert not spec["data"]
    assert not at.selectbox(key="keep.plan.chosen").options
    with pytest.raises(KeyError):
        at.selectbox(key="_choose.directions")  # nothing to choose yet


# -- review ----------------------------------------------------------------------------
def review_field(rejection: Rejection, prompt: str) -> str:
    return f"keep.review.{rejection.id}.{prompt}"


def test_review_inside_the_48_hours_says_there_is_no_rush(data_dir: Path, open_page) -> None:
    with_rejection(data_dir, hours_ago=5)
    at = open_page(REVIEW)
    assert TEXT.review.early_note in texts(at)
    assert len(at.text_area) == len(TEXT.review.prompts)


def test_review_after_the_48_hours_has_no_early_note(data_dir: Path, open_page) -> None:
    with_rejection(data_dir, hours_ago=72)
    at = open_page(REVIEW)
    assert TEXT.review.early_note not in texts(at)


def test_review_saves_answers_as_typed(data_dir: Path, open_page) -> None:
    rejection = with_rejection(data_dir, hours_ago=72)
    at = open_page(REVIEW)
    at.text_area(key=review_field(rejection, "went_well")).input("The walkthrough.")
    at.text_area(key=review_field(rejection, "outsider")).input(HOSTILE)
    at.button(key=f"_submit.review_{rejection.id}").click().run()
    assert not at.exception
    [saved] = store(data_dir).all(Review)
    assert saved.rejection_id == rejection.id
    assert saved.answers["went_well"] == "The walkthrough."
    assert saved.answers["outsider"] == HOSTILE
    assert set(saved.answers) == {p.key for p in TEXT.review.prompts}
    assert saved.finished is False
    assert "Your answers are saved." in texts(at)
    # a new session shows the saved answers again
    again = open_page(REVIEW)
    assert again.text_area(key=review_field(rejection, "outsider")).value == HOSTILE


def test_review_cannot_be_finished_with_a_prompt_unanswered(data_dir: Path, open_page) -> None:
    rejection = with_rejection(data_dir, hours_ago=72)
    at = open_page(REVIEW)
    for prompt in TEXT.review.prompts[:-1]:
        at.text_area(key=review_field(rejection, prompt.key)).input("A few words.")
    at.text_area(key=review_field(rejection, TEXT.review.prompts[-1].key)).input("   ")
    at.button(key=f"_finish.{rejection.id}").click().run()
    assert not at.exception
    assert TEXT.review.need_all in shown_errors(at)
    assert store(data_dir).count(Review) == 0
    # what was typed stays in the fields
    first = review_field(rejection, TEXT.review.prompts[0].key)
    assert at.text_area(key=first).value == "A few words."


def test_review_finished_when_every_prompt_is_answered(data_dir: Path, open_page) -> None:
    rejection = with_rejection(data_dir, hours_ago=72)
    at = open_page(REVIEW)
    for prompt in TEXT.review.prompts:
        at.text_area(key=review_field(rejection, prompt.key)).input(f"{prompt.key}: {HOSTILE}")
    at.button(key=f"_finish.{rejection.id}").click().run()
    assert not at.exception
    [saved] = store(data_dir).all(Review)
    assert saved.finished is True
    assert saved.answers == {p.key: f"{p.key}: {HOSTILE}" for p in TEXT.review.prompts}
    assert TEXT.review.finished_note in texts(at)
    assert at.button(key=f"_finish.{rejection.id}").label == TEXT.review.unfinish_label
    at.button(key=f"_finish.{rejection.id}").click().run()
    assert store(data_dir).all(Review)[0].finished is False
    assert "Review reopened." in texts(at)


def test_review_heavy_shows_the_stored_review_of_the_chosen_rejection(
    heavy_dir: Path, open_page
) -> None:
    at = open_page(REVIEW)
    wb = store(heavy_dir)
    newest = at.selectbox(key="_rejection_choice").value
    assert wb.one(Review, rejection_id=newest) is None  # the newest is still in its 48 hours
    assert TEXT.review.early_note in texts(at)
    active = {r.id for r in wb.all(Rejection) if not r.archived}
    finished = next(r for r in wb.all(Review) if r.finished and r.rejection_id in active)
    at.selectbox(key="_rejection_choice").select(finished.rejection_id).run()
    assert not at.exception
    assert TEXT.review.finished_note in texts(at)
    assert TEXT.review.early_note not in texts(at)
    for key, answer in finished.answers.items():
        assert at.text_area(key=f"keep.review.{finished.rejection_id}.{key}").value == answer


# -- feedback --------------------------------------------------------------------------
def fb(rejection: Rejection, field: str) -> str:
    return f"keep.fb.{rejection.id}.{field}"


def save_feedback(at, rejection: Rejection) -> None:
    # As in the browser: each widget change has rerun the page before Save is clicked.
    at.run()
    at.button(key=f"_submit.feedback_{rejection.id}").click().run()
    assert not at.exception


def progress_text(at) -> str:
    return at.get("progress")[0].proto.text


def test_feedback_four_days_on_is_a_good_time(data_dir: Path, open_page) -> None:
    with_rejection(data_dir, hours_ago=4 * 24)
    at = open_page(FEEDBACK)
    closes = timefmt.format_day(today() + timedelta(days=1))
    assert progress_text(at) == f"Now is a good time to send: the window runs until {closes}."


def test_feedback_the_day_after_says_let_it_rest(data_dir: Path, open_page) -> None:
    with_rejection(data_dir, hours_ago=24)
    at = open_page(FEEDBACK)
    assert "That is 2 days from now — for now, let it rest." in progress_text(at)
    assert 0 <= at.get("progress")[0].proto.value <= 100


def test_feedback_email_is_built_from_the_choices(
    data_dir: Path, open_page, monkeypatch: pytest.MonkeyPatch
) -> None:
    downloads: dict[str, bytes] = {}
    original = MemoryMediaFileStorage.load_and_get_id

    def spy(self, path_or_data, mimetype, kind, filename=None):  # type: ignore[no-untyped-def]
        downloads[filename] = path_or_data
        return original(self, path_or_data, mimetype, kind, filename)

    monkeypatch.setattr(MemoryMediaFileStorage, "load_and_get_id", spy)
    rejection = with_rejection(data_dir, hours_ago=4 * 24, role="Data Analyst")
    at = open_page(FEEDBACK)
    question = TEXT.feedback.questions[1]
    at.text_input(key=fb(rejection, "to")).input("Zoë")
    at.multiselect(key=fb(rejection, "questions")).select(question)
    at.run()
    assert not at.exception
    shown = at.code[0].value
    assert shown.startswith("Subject: Feedback on my application for Data Analyst\n\nHello Zoë,")
    assert f"one piece of feedback:\n\n{question}\n" in shown
    assert "consider me for the Data Analyst role" in shown  # {role} filled in
    labels = [b.label for b in at.download_button if not (b.key or "").startswith("_download.")]
    assert labels == ["Download as email (.eml)", "Download as text (.txt)"]
    mail = feedback.draft_email(
        company="Acme",
        role="Data Analyst",
        addressee="Zoë",
        thanks=at.selectbox(key=fb(rejection, "thanks")).value,
        questions=[question],
        signature=TEXT.feedback.signature,
    )
    assert shown == f"Subject: {mail.subject}\n\n{mail.body}"
    # Named for the company, so several requests do not overwrite each other.
    slug = feedback.file_slug(rejection.company)
    assert downloads[f"feedback-request-{slug}.eml"] == feedback.as_eml(mail)
    assert downloads[f"feedback-request-{slug}.txt"] == feedback.as_text(mail)
    assert store(data_dir).count(FeedbackRequest) == 0  # nothing saved until asked


def test_feedback_refuses_three_questions(data_dir: Path, open_page) -> None:
    rejection = with_rejection(data_dir, hours_ago=4 * 24)
    at = open_page(FEEDBACK)
    picker = at.multiselect(key=fb(rejection, "questions"))
    assert picker.proto.max_selections == 2  # the browser will not let a third be picked
    picker.select(TEXT.feedback.questions[0]).select(TEXT.feedback.questions[2])
    at.text_input(key=fb(rejection, "own")).input("And one of my own?")
    save_feedback(at, rejection)
    assert "Please keep it to one or two questions: short emails get answers." in shown_errors(at)
    assert store(data_dir).count(FeedbackRequest) == 0
    # nothing typed is lost
    assert at.text_input(key=fb(rejection, "own")).value == "And one of my own?"


def test_feedback_saves_the_choices_made_right_before_save(data_dir: Path, open_page) -> None:
    rejection = with_rejection(data_dir, hours_ago=4 * 24)
    at = open_page(FEEDBACK)
    at.multiselect(key=fb(rejection, "questions")).select(TEXT.feedback.questions[0])
    at.text_input(key=fb(rejection, "own")).input("My own question?")
    at.button(key=f"_submit.feedback_{rejection.id}").click().run()
    [saved] = store(data_dir).all(FeedbackRequest)
    assert saved.questions == [TEXT.feedback.questions[0], "My own question?"]


def test_feedback_sent_with_a_day_is_saved(data_dir: Path, open_page) -> None:
    rejection = with_rejection(data_dir, hours_ago=4 * 24)
    at = open_page(FEEDBACK)
    at.text_input(key=fb(rejection, "to")).input(HOSTILE)
    at.text_input(key=fb(rejection, "own")).input("What would have made the difference?")
    at.radio(key=fb(rejection, "status")).set_value("sent")
    at.run()
    sent_day = today() - timedelta(days=1)
    at.date_input(key=fb(rejection, "sent_on")).set_value(sent_day)
    save_feedback(at, rejection)
    [saved] = store(data_dir).all(FeedbackRequest)
    assert (saved.rejection_id, saved.status, saved.sent_on) == (rejection.id, "sent", sent_day)
    assert saved.answered_on is None
    assert saved.addressee == HOSTILE
    assert saved.questions == ["What would have made the difference?"]
    assert "Saved. Asking took courage." in texts(at)
    # fields are seeded again from what was stored
    assert at.radio(key=fb(rejection, "status")).value == "sent"
    assert at.text_input(key=fb(rejection, "own")).value == "What would have made the difference?"


def test_feedback_answered_saves_feedback_and_themes_once(data_dir: Path, open_page) -> None:
    rejection = with_rejection(data_dir, hours_ago=10 * 24)
    at = open_page(FEEDBACK)
    assert "has passed" in progress_text(at)
    at.radio(key=fb(rejection, "status")).set_value("answered")
    at.run()
    at.date_input(key=fb(rejection, "sent_on")).set_value(today() - timedelta(days=5))
    at.date_input(key=fb(rejection, "answered_on")).set_value(today() - timedelta(days=2))
    at.text_area(key=fb(rejection, "feedback")).input(HOSTILE)
    at.multiselect(key=fb(rejection, "tags")).select("System design").select("Communication")
    at.text_input(key=fb(rejection, "own_tags")).input("Design, design")
    save_feedback(at, rejection)
    [saved] = store(data_dir).all(FeedbackRequest)
    assert saved.status == "answered"
    assert (saved.sent_on, saved.answered_on) == (
        today() - timedelta(days=5),
        today() - timedelta(days=2),
    )
    assert saved.feedback == HOSTILE
    assert saved.tags == ["System design", "Communication", "Design"]
    # own themes join the list to pick from next time
    assert "Design" in at.multiselect(key=fb(rejection, "tags")).options
    assert at.multiselect(key=fb(rejection, "tags")).value == saved.tags


def test_feedback_answer_before_sending_is_refused(data_dir: Path, open_page) -> None:
    rejection = with_rejection(data_dir, hours_ago=10 * 24)
    at = open_page(FEEDBACK)
    at.radio(key=fb(rejection, "status")).set_value("sent")
    at.run()
    at.date_input(key=fb(rejection, "sent_on")).set_value(today() - timedelta(days=2))
    save_feedback(at, rejection)
    before = store(data_dir).all(FeedbackRequest)
    assert [r.status for r in before] == ["sent"]
    at.radio(key=fb(rejection, "status")).set_value("answered")
    at.run()
    at.date_input(key=fb(rejection, "answered_on")).set_value(today() - timedelta(days=4))
    at.text_area(key=fb(rejection, "feedback")).input("They said no more.")
    save_feedback(at, rejection)
    message = "The answer is dated before the email was sent. Please check both."
    assert shown_errors(at) == [message]
    assert message_under(at, fb(rejection, "answered_on")) == message
    assert message_under(at, fb(rejection, "sent_on")) is None
    assert store(data_dir).all(FeedbackRequest) == before
    assert at.text_area(key=fb(rejection, "feedback")).value == "They said no more."


def test_feedback_heavy_shows_what_came_back(heavy_dir: Path, open_page) -> None:
    at = open_page(FEEDBACK)
    wb = store(heavy_dir)
    active = {r.id for r in wb.all(Rejection) if not r.archived}
    answered = next(
        r for r in wb.all(FeedbackRequest) if r.status == "answered" and r.rejection_id in active
    )
    at.selectbox(key="_rejection_choice").select(answered.rejection_id).run()
    assert not at.exception
    rejection = wb.get(Rejection, answered.rejection_id)
    assert at.radio(key=fb(rejection, "status")).value == "answered"
    assert at.multiselect(key=fb(rejection, "tags")).value == answered.tags
    assert at.text_area(key=fb(rejection, "feedback")).value == answered.feedback
    assert at.date_input(key=fb(rejection, "answered_on")).value == answered.answered_on
    assert f"Hello {answered.addressee}," in at.code[0].value
    assert "has passed" in progress_text(at)


# -- patterns --------------------------------------------------------------------------
def test_patterns_late_stages_in_plain_words(data_dir: Path, open_page) -> None:
    for stage in [
        Stage.FINAL_ROUND,
        Stage.PANEL_ONSITE,
        Stage.OFFER,
        Stage.APPLICATION,
        Stage.TECHNICAL,
    ]:
        with_rejection(data_dir, hours_ago=100, stage=stage)
    at = open_page(PATTERNS)
    assert not at.exception
    shown = texts(at)
    assert "3 of your 5 rejections came at the final round or later." in shown
    link = at.get("page_link")[-1].proto  # under the finding: the worksheet that helps
    assert (link.page, link.label) == ("feedback", "Ask for feedback")
    [bar] = chart_spec(at)["data"]
    assert bar["x"] == [1, 0, 0, 1, 1, 1, 1]
    assert TEXT.patterns.no_tags in shown


def test_patterns_quote_the_persons_themes_exactly(data_dir: Path, open_page) -> None:
    for stage in [Stage.APPLICATION, Stage.OFFER]:
        rejection = with_rejection(data_dir, hours_ago=100, stage=stage)
        store(data_dir).add(FeedbackRequest, {"rejection_id": rejection.id, "tags": [HOSTILE]})
    at = open_page(PATTERNS)
    assert not at.exception
    assert f"“{HOSTILE}” came up in 2 pieces of feedback." in texts(at)
    assert any("\\<script\\>" in m.value for m in at.markdown)  # shown, not rendered
    table = at.dataframe[0].value
    assert (list(table["Theme"]), list(table["Times"])) == ([HOSTILE], [2])


def test_patterns_heavy_shows_chart_findings_and_themes(heavy_dir: Path, open_page) -> None:
    at = open_page(PATTERNS)
    wb = store(heavy_dir)
    rejections, requests = wb.all(Rejection), wb.all(FeedbackRequest)
    [bar] = chart_spec(at)["data"]
    assert sum(bar["x"]) == len(rejections) == 60  # archived ones count too
    expected = patterns.findings(rejections, requests, TEXT.patterns.findings)
    assert expected
    shown = texts(at)
    for finding in expected:
        assert finding.text in shown
    assert TEXT.patterns.no_findings not in shown
    table = at.dataframe[0].value
    counted = patterns.tag_counts(requests)
    assert list(zip(table["Theme"], table["Times"], strict=True)) == counted
    assert sum(n for _, n in counted) == sum(len(r.tags) for r in requests)


# -- reassess --------------------------------------------------------------------------
def test_reassess_add_a_direction(data_dir: Path, open_page) -> None:
    at = open_page(REASSESS)
    at.button(key="_submit.direction").click().run()
    assert "Please add a name for this direction." in shown_errors(at)
    assert store(data_dir).count(Direction) == 0
    at.text_input(key="keep.dir.name").input("<b>Data</b> & analysis")
    at.slider(key="keep.dir.interest").set_value(5)
    at.slider(key="keep.dir.strength").set_value(2)
    at.text_area(key="keep.dir.notes").input(HOSTILE)
    at.button(key="_submit.direction").click().run()
    assert not at.exception
    [saved] = store(data_dir).all(Direction)
    assert (saved.name, saved.interest, saved.strength) == ("<b>Data</b> & analysis", 5, 2)
    assert saved.notes == HOSTILE
    assert "Direction added." in texts(at)
    [points] = chart_spec(at)["data"]
    assert (points["x"], points["y"]) == ([5], [2])
    assert points["text"] == ["&lt;b&gt;Data&lt;/b&gt; &amp; analysis"]
    assert "- **<b>Data</b> & analysis** — interest 5/5, strength 2/5" in texts(at)
    assert any("\\<b\\>Data" in m.value for m in at.markdown)  # shown, not rendered
    assert at.text_input(key="keep.dir.name").value == ""  # ready for the next one
    assert at.slider(key="keep.dir.interest").value == 3


def test_reassess_rerate_and_remove_a_direction(data_dir: Path, open_page) -> None:
    wb = store(data_dir)
    keep = wb.add(Direction, {"name": "Teaching", "interest": 2, "strength": 4})
    drop = wb.add(Direction, {"name": "Consulting", "interest": 1, "strength": 1})
    at = open_page(REASSESS)
    at.selectbox(key="_choose.directions").select(keep.id).run()
    at.slider(key=f"keep.dir.edit.{keep.id}.interest").set_value(5)
    at.slider(key=f"keep.dir.edit.{keep.id}.strength").set_value(3)
    at.button(key=f"_submit.direction_{keep.id}").click().run()
    assert not at.exception
    rated = store(data_dir).get(Direction, keep.id)
    assert (rated.interest, rated.strength) == (5, 3)
    assert "Ratings saved." in texts(at)
    [points] = chart_spec(at)["data"]
    assert list(zip(points["x"], points["y"], strict=True)) == [(5, 3), (1, 1)]
    at.selectbox(key="_choose.directions").select(drop.id).run()
    at.button(key=f"_confirm.direction.{drop.id}.ask").click().run()
    assert "Remove “Consulting”?" in texts(at)
    assert store(data_dir).count(Direction) == 2  # asked, not yet removed
    at.button(key=f"_confirm.direction.{drop.id}.yes").click().run()
    assert not at.exception
    assert [d.name for d in store(data_dir).all(Direction)] == ["Teaching"]
    assert "Removed." in texts(at)


def test_reassess_save_the_choice(data_dir: Path, open_page) -> None:
    wb = store(data_dir)
    wb.add(Direction, {"name": "Teaching", "interest": 2, "strength": 4})
    chosen = wb.add(Direction, {"name": "Data analysis", "interest": 5, "strength": 3})
    at = open_page(REASSESS)
    at.text_area(key="keep.plan.correction").input(HOSTILE)
    at.selectbox(key="keep.plan.chosen").select(chosen.id)
    at.button(key="_submit.plan").click().run()
    assert not at.exception
    [plan] = store(data_dir).all(PathPlan)
    assert (plan.correction, plan.chosen_direction_id) == (HOSTILE, chosen.id)
    assert "Saved. A direction is a choice for now, not for ever." in texts(at)
    again = open_page(REASSESS)
    assert again.selectbox(key="keep.plan.chosen").value == chosen.id
    assert again.text_area(key="keep.plan.correction").value == HOSTILE


def test_reassess_heavy(heavy_dir: Path, open_page) -> None:
    at = open_page(REASSESS)
    wb = store(heavy_dir)
    directions = wb.all(Direction)
    [plan] = wb.all(PathPlan)
    [points] = chart_spec(at)["data"]
    assert list(zip(points["x"], points["y"], strict=True)) == [
        (d.interest, d.strength) for d in directions
    ]
    assert at.selectbox(key="keep.plan.chosen").value == plan.chosen_direction_id
    assert at.text_area(key="keep.plan.correction").value == plan.correction
    assert len(at.selectbox(key="_choose.directions").options) == len(directions) == 6
