"""Phase 2 logic: the feedback send window and email, feedback rules, patterns, charts."""

from __future__ import annotations

import email
import itertools
from datetime import UTC, date, datetime, timedelta
from email import policy
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from workbook import charts, content, feedback, patterns
from workbook.models import (
    Direction,
    FeedbackRequest,
    RecordInvalid,
    Rejection,
    Stage,
    build,
)

TEXTS = content.load(None)
FINDINGS = TEXTS.phase2.patterns.findings
TOKYO = ZoneInfo("Asia/Tokyo")
# 23:30 UTC on 1 Nov is already 08:30 on 2 Nov in Tokyo.
LATE_EVENING_UTC = datetime(2026, 11, 1, 23, 30, tzinfo=UTC)
NO_DAY = date(2026, 11, 1)


def a_rejection(
    at: datetime = LATE_EVENING_UTC, stage: Stage = Stage.APPLICATION, **changes: object
) -> Rejection:
    data: dict[str, object] = {
        "company": "Acme",
        "role": "Analyst",
        "rejected_at": at,
        "stage": stage,
    }
    return Rejection(**(data | changes))  # type: ignore[arg-type]


def at_stages(*stages: Stage) -> list[Rejection]:
    return [a_rejection(stage=s) for s in stages]


def tagged(*tags: str) -> FeedbackRequest:
    return FeedbackRequest(tags=list(tags))


# -- send window -----------------------------------------------------------------------
def test_window_is_counted_from_the_day_of_the_no_in_the_persons_zone() -> None:
    in_utc = feedback.send_window(a_rejection(), NO_DAY, UTC)
    assert (in_utc.opens, in_utc.closes) == (date(2026, 11, 4), date(2026, 11, 6))
    in_tokyo = feedback.send_window(a_rejection(), NO_DAY, TOKYO)
    assert (in_tokyo.opens, in_tokyo.closes) == (date(2026, 11, 5), date(2026, 11, 7))


@pytest.mark.parametrize(
    ("days_after", "position", "until_open"),
    [
        (0, "before", 3),
        (2, "before", 1),
        (3, "open", 0),
        (4, "open", 0),
        (5, "open", 0),
        (6, "after", 0),
        (30, "after", 0),
    ],
)
def test_window_position_at_the_boundaries(days_after: int, position: str, until_open: int) -> None:
    window = feedback.send_window(a_rejection(), NO_DAY + timedelta(days=days_after), UTC)
    assert window.position == position
    assert window.days_until_open == until_open


def test_window_position_uses_the_local_day_not_the_utc_day() -> None:
    # In Tokyo the "no" came on 2 Nov: 4 Nov is only day 2 there, still before the window.
    window = feedback.send_window(a_rejection(), date(2026, 11, 4), TOKYO)
    assert window.position == "before"
    assert window.days_until_open == 1


def test_window_fraction_stays_between_0_and_1_and_never_goes_back() -> None:
    fractions = [
        feedback.send_window(a_rejection(), NO_DAY + timedelta(days=d), UTC).fraction
        for d in range(-3, 12)
    ]
    assert all(0.0 <= f <= 1.0 for f in fractions)
    assert fractions == sorted(fractions)
    assert fractions[0] == 0.0
    assert fractions[-1] == 1.0
    closes = feedback.send_window(a_rejection(), NO_DAY + timedelta(days=5), UTC)
    assert closes.fraction == 1.0


def test_window_fraction_moves_every_day_from_the_no() -> None:
    fractions = [
        feedback.send_window(a_rejection(), NO_DAY + timedelta(days=d), UTC).fraction
        for d in range(6)
    ]
    assert fractions[0] == 0.0
    assert all(a < b for a, b in itertools.pairwise(fractions))


def test_window_days_come_from_content(tmp_path: Path) -> None:
    source = (content.BUILTIN_DIR / "phase2.toml").read_text(encoding="utf-8")
    assert "window_days = [3, 5]" in source
    (tmp_path / "phase2.toml").write_text(
        source.replace("window_days = [3, 5]", "window_days = [1, 10]"), encoding="utf-8"
    )
    days = content.load(tmp_path).phase2.feedback.window_days
    assert tuple(days) == (1, 10)
    window = feedback.send_window(a_rejection(), NO_DAY + timedelta(days=8), UTC, days)
    assert (window.opens, window.closes) == (date(2026, 11, 2), date(2026, 11, 11))
    assert window.position == "open"
    assert feedback.send_window(a_rejection(), NO_DAY, UTC, days).days_until_open == 1


# -- the email --------------------------------------------------------------------------
def draft(**changes: object) -> feedback.Email:
    parts: dict[str, object] = {
        "company": "Acme",
        "role": "Data Analyst",
        "addressee": "Sam",
        "thanks": "Thank you for considering me for the {role} role at {company}.",
        "questions": ["What could I improve?"],
        "signature": "Kind regards,",
    }
    return feedback.draft_email(**(parts | changes))  # type: ignore[arg-type]


def test_email_greets_the_addressee_or_nobody_in_particular() -> None:
    assert draft().body.startswith("Hello Sam,\n")
    assert draft(addressee="  ").body.startswith("Hello,\n")
    assert draft(addressee="").body.startswith("Hello,\n")


def test_email_fills_in_role_and_company_in_the_thanks() -> None:
    body = draft().body
    assert "Thank you for considering me for the Data Analyst role at Acme." in body
    assert "{role}" not in body
    assert "{company}" not in body
    assert "Thank you" not in draft(thanks="").body


def test_email_with_no_questions_asks_nothing() -> None:
    body = draft(questions=[]).body
    assert "If you have a moment" not in body
    assert "Any answer, however short" in body
    assert body.endswith("Kind regards,")


def test_email_with_one_question_asks_for_one_piece_of_feedback() -> None:
    body = draft(questions=["What could I improve?"]).body
    assert "I would value one piece of feedback:\n\nWhat could I improve?\n" in body
    assert "1." not in body


def test_email_with_two_questions_numbers_them() -> None:
    body = draft(questions=["First?", "Second?"]).body
    assert "your view on two questions:\n\n1. First?\n2. Second?\n" in body


def test_an_empty_own_question_is_left_out() -> None:
    body = draft(questions=["Only this?", "", "   "]).body
    assert "one piece of feedback:\n\nOnly this?\n" in body
    assert "two questions" not in body


def test_subject_names_the_role() -> None:
    assert draft().subject == "Feedback on my application for Data Analyst"


def parsed(raw: bytes) -> email.message.EmailMessage:
    return email.message_from_bytes(raw, policy=policy.default)  # type: ignore[return-value]


def body_of(message: email.message.EmailMessage) -> str:
    # Email lines end in CRLF and the body in a line break: read it back as typed.
    return message.get_content().replace("\r\n", "\n").removesuffix("\n")


def test_eml_opens_as_an_unsent_draft_with_the_same_subject_and_body() -> None:
    mail = draft(questions=["First?", "Second?"])
    message = parsed(feedback.as_eml(mail))
    assert message["X-Unsent"] == "1"
    assert message["Subject"] == mail.subject
    assert message["To"] is None
    assert body_of(message) == mail.body
    assert parsed(feedback.as_eml(mail, to="sam@example.com"))["To"] == "sam@example.com"


@pytest.mark.parametrize(
    ("role", "addressee", "question"),
    [
        ("Ingénieure données", "Zoë", "Ça s’est joué où ?"),
        ("ML Engineer 🚀", "Sam 😊", "Was it the 🧠 part?"),
        ("מפתחת תוכנה", "שרה", "מה יכולתי לעשות טוב יותר?"),
        ("データアナリスト", "佐藤さん", "改善点はありますか？"),
    ],
)
def test_any_language_survives_the_eml_round_trip(role: str, addressee: str, question: str) -> None:
    mail = draft(role=role, addressee=addressee, questions=[question], company="Café Núcleo")
    message = parsed(feedback.as_eml(mail))
    assert message["Subject"] == f"Feedback on my application for {role}"
    assert body_of(message) == mail.body
    assert f"Hello {addressee}," in body_of(message)
    assert question in body_of(message)


def test_a_role_with_a_line_break_still_gives_an_email() -> None:
    role = a_rejection(role="Data\nAnalyst").role
    assert role == "Data\nAnalyst"  # the model keeps it
    message = parsed(feedback.as_eml(draft(role=role)))
    assert "Analyst" in message["Subject"]


def test_text_download_holds_subject_and_body() -> None:
    mail = draft(role="Ingénieure 🚀")
    text = feedback.as_text(mail).decode("utf-8")
    assert text.startswith(f"Subject: {mail.subject}\n\n")
    assert mail.body in text
    assert "Ingénieure 🚀" in text


# -- feedback request rules -------------------------------------------------------------
TODAY = date(2026, 11, 21)
CONTEXT = {"now": datetime(2026, 11, 21, 12, 0, tzinfo=UTC), "today": TODAY}


def request(**changes: object) -> FeedbackRequest:
    return build(FeedbackRequest, changes, **CONTEXT)  # type: ignore[return-value]


def refused(**changes: object) -> dict[str, str]:
    with pytest.raises(RecordInvalid) as caught:
        request(**changes)
    return caught.value.errors


def test_three_questions_are_refused_kindly() -> None:
    assert refused(questions=["a", "b", "c"]) == {
        "questions": "Please keep it to one or two questions: short emails get answers."
    }
    assert request(questions=["a", "", "  c  "]).questions == ["a", "c"]


def test_sent_needs_the_day_it_was_sent() -> None:
    assert refused(status="sent") == {"sent_on": "Please add the day you sent it."}
    assert request(status="sent", sent_on=TODAY).sent_on == TODAY


def test_answered_needs_the_day_of_the_answer() -> None:
    errors = refused(status="answered", sent_on=TODAY - timedelta(days=2))
    assert errors == {"answered_on": "Please add the day they answered."}


def test_an_answer_before_the_email_is_refused() -> None:
    errors = refused(
        status="answered", sent_on=TODAY - timedelta(days=1), answered_on=TODAY - timedelta(days=3)
    )
    assert errors == {
        "answered_on": "The answer is dated before the email was sent. Please check both."
    }
    same_day = request(status="answered", sent_on=TODAY, answered_on=TODAY)
    assert same_day.answered_on == same_day.sent_on


@pytest.mark.parametrize("field", ["sent_on", "answered_on"])
def test_days_in_the_future_are_refused(field: str) -> None:
    days = {"sent_on": TODAY, "answered_on": TODAY} | {field: TODAY + timedelta(days=1)}
    errors = refused(status="answered", **days)
    assert errors[field] == "This date is in the future. Please check it."


def test_future_is_judged_by_the_persons_today_from_context() -> None:
    # "Tomorrow" for the server is today for someone further east.
    later_today = {"now": CONTEXT["now"], "today": TODAY + timedelta(days=1)}
    saved = build(
        FeedbackRequest, {"status": "sent", "sent_on": TODAY + timedelta(days=1)}, **later_today
    )
    assert saved.sent_on == TODAY + timedelta(days=1)  # type: ignore[attr-defined]


def test_tags_are_kept_once_whatever_the_case() -> None:
    saved = request(tags=["System design", "system DESIGN", "", "Communication", "SYSTEM design"])
    assert saved.tags == ["System design", "Communication"]


def test_a_stored_request_is_not_judged_again() -> None:
    data = {
        "status": "answered",
        "sent_on": (TODAY + timedelta(days=30)).isoformat(),
        "answered_on": None,
        "questions": ["a", "b"],
    }
    stored = FeedbackRequest.model_validate(data, context={"stored": True})
    assert stored.status == "answered"
    assert stored.sent_on == TODAY + timedelta(days=30)
    with pytest.raises(RecordInvalid):
        build(FeedbackRequest, data, **CONTEXT)


# -- patterns ---------------------------------------------------------------------------
def test_no_rejections_no_findings() -> None:
    assert patterns.findings([], [], FINDINGS) == []


def test_one_rejection_is_not_a_pattern() -> None:
    assert patterns.MIN_REJECTIONS == 2
    one = at_stages(Stage.FINAL_ROUND)
    # Even with a tag that repeats, one rejection gives no findings.
    assert patterns.findings(one, [tagged("Design"), tagged("design")], FINDINGS) == []


def test_stage_counts_lists_every_stage_in_process_order() -> None:
    counts = patterns.stage_counts(at_stages(Stage.OFFER, Stage.TECHNICAL, Stage.OFFER))
    assert list(counts) == list(Stage)
    assert next(iter(counts)) == Stage.APPLICATION
    assert counts[Stage.OFFER] == 2
    assert counts[Stage.TECHNICAL] == 1
    assert sum(counts.values()) == 3
    assert set(patterns.stage_counts([]).values()) == {0}


def test_late_stage_finding_in_plain_words() -> None:
    rejections = at_stages(
        Stage.FINAL_ROUND, Stage.PANEL_ONSITE, Stage.OFFER, Stage.APPLICATION, Stage.TECHNICAL
    )
    [finding] = patterns.findings(rejections, [], FINDINGS)
    assert finding.text.startswith(
        "3 of your 5 rejections came at the final round or later. You are getting close"
    )
    assert finding.page == "feedback"
    assert finding.weight == 3


def test_ties_give_both_findings_in_a_stable_order() -> None:
    rejections = at_stages(Stage.TECHNICAL, Stage.FINAL_ROUND, Stage.TECHNICAL, Stage.FINAL_ROUND)
    found = patterns.findings(rejections, [], FINDINGS)
    assert [(f.page, f.weight) for f in found] == [("feedback", 2), ("skills", 2)]
    assert found[0].text.startswith("2 of your 4 rejections came at the final round")
    assert found[1].text.startswith("2 of your 4 rejections ended at the technical stage")
    assert patterns.findings(list(reversed(rejections)), [], FINDINGS) == found


def test_below_the_share_nothing_stands_out() -> None:
    # 2 of 6 is a third, under SHARE: not worth a sentence.
    rejections = at_stages(
        Stage.TECHNICAL,
        Stage.TECHNICAL,
        Stage.APPLICATION,
        Stage.RECRUITER_SCREEN,
        Stage.FINAL_ROUND,
        Stage.OFFER,
    )
    assert patterns.SHARE > 2 / 6
    assert not [f for f in patterns.findings(rejections, [], FINDINGS) if f.page == "skills"]


def test_a_rejection_without_an_application_date_counts_normally() -> None:
    rejections = [
        a_rejection(stage=Stage.APPLICATION, applied_on=None),
        a_rejection(stage=Stage.APPLICATION, applied_on=date(2026, 10, 1)),
    ]
    assert patterns.stage_counts(rejections)[Stage.APPLICATION] == 2
    [finding] = patterns.findings(rejections, [], FINDINGS)
    assert finding.page == "materials"
    assert finding.text.startswith("2 of your 2 rejections ended at the application.")


def test_screening_finding_covers_both_first_conversations() -> None:
    rejections = at_stages(Stage.RECRUITER_SCREEN, Stage.HIRING_MANAGER, Stage.OFFER)
    [finding] = patterns.findings(rejections, [], FINDINGS)
    assert finding.page == "review"
    assert finding.text.startswith("2 of your 3 rejections ended after a first conversation.")


def test_channel_finding_names_the_channel() -> None:
    rejections = [
        a_rejection(stage=Stage.APPLICATION, channel="Online job board"),
        a_rejection(stage=Stage.TECHNICAL, channel="Online job board"),
        a_rejection(stage=Stage.FINAL_ROUND, channel="Online job board"),
        a_rejection(stage=Stage.OFFER, channel="Referral"),
        a_rejection(stage=Stage.HIRING_MANAGER, channel=""),
    ]
    found = patterns.findings(rejections, [], FINDINGS)
    [channel] = [f for f in found if f.page == "channels"]
    assert channel.text == (
        "3 of your 5 rejections came through “Online job board”. "
        "Widening the ways you look may help."
    )
    assert channel.weight == 3


def test_a_tag_needs_to_come_up_twice() -> None:
    rejections = at_stages(Stage.APPLICATION, Stage.TECHNICAL, Stage.OFFER)
    once = patterns.findings(rejections, [tagged("Design")], FINDINGS)
    assert not [f for f in once if f.page == "skills"]
    twice = patterns.findings(
        rejections, [tagged("System Design"), tagged("system design", "Leadership")], FINDINGS
    )
    assert [f.text for f in twice] == ["“System Design” came up in 2 pieces of feedback."]


def test_tag_counts_ignore_case_and_show_the_first_spelling() -> None:
    requests = [
        tagged("system design", "Communication"),
        tagged("System Design"),
        tagged("SYSTEM DESIGN", "leadership"),
        tagged("Communication"),
        tagged(),
    ]
    assert patterns.tag_counts(requests) == [
        ("system design", 3),
        ("Communication", 2),
        ("leadership", 1),
    ]
    assert patterns.tag_counts([]) == []


def test_findings_come_strongest_first() -> None:
    rejections = [
        a_rejection(stage=Stage.TECHNICAL, channel="Board"),
        a_rejection(stage=Stage.TECHNICAL, channel="Board"),
        a_rejection(stage=Stage.OFFER, channel="Board"),
        a_rejection(stage=Stage.FINAL_ROUND, channel="Board"),
        a_rejection(stage=Stage.TECHNICAL, channel="Referral"),
    ]
    requests = [tagged("Depth")] * 4
    found = patterns.findings(rejections, requests, FINDINGS)
    weights = [f.weight for f in found]
    assert weights == sorted(weights, reverse=True)
    assert [(f.page, f.weight) for f in found] == [
        ("channels", 4),
        ("skills", 4),  # the tag: rules above it win the tie
        ("skills", 3),  # technical
        ("feedback", 2),  # late: 2 of 5 is just at SHARE
    ]
    assert found[1].text == "“Depth” came up in 4 pieces of feedback."


# -- charts -----------------------------------------------------------------------------
def stage_labels(rejections: list[Rejection]) -> dict[str, int]:
    counts = patterns.stage_counts(rejections)
    return {TEXTS.rejections.stage_label(s): n for s, n in counts.items()}


def test_stages_chart_empty_state_says_so() -> None:
    fig = charts.stages_chart(stage_labels([]), "Nothing to show yet.")
    assert fig.data == ()
    assert fig.layout.annotations[0].text == "Nothing to show yet."
    assert fig.layout.xaxis.visible is False
    assert charts.stages_chart({}, "Empty.").layout.annotations[0].text == "Empty."


def test_stages_chart_shows_every_stage_in_process_order() -> None:
    labels = stage_labels(at_stages(Stage.OFFER, Stage.TECHNICAL, Stage.OFFER))
    [bar] = charts.stages_chart(labels, "empty").data
    assert list(bar.y) == [TEXTS.rejections.stage_label(s) for s in Stage]
    assert list(bar.x) == [0, 0, 0, 1, 0, 0, 2]
    assert bar.orientation == "h"


def test_directions_chart_empty_state() -> None:
    fig = charts.directions_chart([], "No directions yet.")
    assert fig.data == ()
    assert fig.layout.annotations[0].text == "No directions yet."


def test_directions_chart_places_each_direction_at_interest_and_strength() -> None:
    directions = [
        Direction(name="Data analysis", interest=5, strength=2),
        Direction(name="Teaching", interest=1, strength=4),
    ]
    fig = charts.directions_chart(directions, "empty")
    [points] = fig.data
    assert list(zip(points.x, points.y, strict=True)) == [(5, 2), (1, 4)]
    assert list(points.text) == ["Data analysis", "Teaching"]


def test_directions_chart_shows_names_as_typed_not_as_html() -> None:
    directions = [Direction(name="<b>AI</b> & <a href='x'>ML</a>", interest=3, strength=3)]
    [points] = charts.directions_chart(directions, "empty").data
    assert points.text[0] == "&lt;b&gt;AI&lt;/b&gt; &amp; &lt;a href='x'&gt;ML&lt;/a&gt;"
    assert "<b>" not in points.text[0]


def test_directions_chart_splits_the_square_at_3() -> None:
    fig = charts.directions_chart([Direction(name="X", interest=2, strength=2)], "empty")
    vertical, horizontal = fig.layout.shapes
    assert (vertical.x0, vertical.x1) == (3, 3)
    assert (horizontal.y0, horizontal.y1) == (3, 3)
    assert len(fig.layout.annotations) == 4  # one label per quadrant
