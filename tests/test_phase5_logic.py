"""Phase 5 logic: spotting rejection language, thought records, "not yet", completion rules,
the next step on Home, the before/after chart and the Phase 5 content."""

from __future__ import annotations

import re
from collections import Counter
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any, TypeVar

import pytest

from workbook import charts, content, growth, navigation, next_step, progress, reframe
from workbook.doors import Due
from workbook.models import (
    SENTENCE_TEXT,
    SHORT_TEXT,
    AnswerEntry,
    AvoidPledge,
    BeyondWin,
    ChannelAction,
    CheckIn,
    Direction,
    DoorOpen,
    FeedbackRequest,
    FollowSource,
    GrowthChallenge,
    MaterialsChecklist,
    MindsetRewrite,
    OutletEntry,
    PathPlan,
    PersistencePlan,
    Record,
    RecordInvalid,
    Rejection,
    Review,
    SelfTalk,
    Skill,
    SupportPerson,
    ThoughtRecord,
    UnsentDraft,
    Urge,
    ValueItem,
    Win,
    build,
)

TEXTS = content.load(None)
P5 = TEXTS.phase5
DETECT = P5.reframe.detect
SUGGESTIONS = P5.reframe.suggestions
NOW = datetime(2026, 11, 21, 12, 0, tzinfo=UTC)
TODAY = NOW.date()
STORED: dict[str, Any] = {"stored": True}
R = TypeVar("R", bound=Record)

# The reframes in phase5.toml, by the piece of thought they match ("" = general).
BY_MATCH = {rule.match: list(rule.reframes) for rule in SUGGESTIONS}
GENERAL = BY_MATCH[""]
FAIL = BY_MATCH["fail"]
REJECTED = BY_MATCH["rejected"]
CANT = BY_MATCH["can't"]


def stored(model: type[R], **data: Any) -> R:
    """A record as read back from the file: rules about "now" are not judged again."""
    return model.model_validate(data, context=STORED)


def a_rejection(hours_ago: float = 24 * 10, **changes: Any) -> Rejection:
    data: dict[str, Any] = {
        "company": "Acme",
        "role": "Analyst",
        "rejected_at": NOW - timedelta(hours=hours_ago),
    }
    return stored(Rejection, **(data | changes))


def a_checkin(journal: str, hours_ago: float = 1, **changes: Any) -> CheckIn:
    data: dict[str, Any] = {
        "emotions": ["Sad"],
        "intensity": 6,
        "journal": journal,
        "felt_at": NOW - timedelta(hours=hours_ago),
    }
    return stored(CheckIn, **(data | changes))


def found(text: str) -> tuple[str, str] | None:
    hit = reframe.detect(text, DETECT)
    return None if hit is None else (hit.phrase, hit.sentence)


def errors_of(model: type[Record], data: dict[str, Any], **context: Any) -> dict[str, str]:
    with pytest.raises(RecordInvalid) as caught:
        build(model, data, **context)
    return caught.value.errors


# -- detecting rejection language -------------------------------------------------------
def test_a_phrase_is_found_with_the_sentence_as_typed() -> None:
    assert reframe.detect("I failed again", DETECT) == reframe.Found("failed", "I failed again")


@pytest.mark.parametrize(
    ("text", "phrase", "sentence"),
    [
        ("I FAILED", "failed", "I FAILED"),
        ("i Can't do this", "i can't", "i Can't do this"),
        ("REJECTED. Again.", "rejected", "REJECTED."),
        ("I Am Useless", "useless", "I Am Useless"),
    ],
)
def test_detection_ignores_case_and_keeps_the_persons_spelling(
    text: str, phrase: str, sentence: str
) -> None:
    assert found(text) == (phrase, sentence)


@pytest.mark.parametrize(
    ("text", "phrase"),
    [
        ("I can’t", "i can't"),  # right single quotation mark
        ("They didn’t want me", "they didn't want me"),
        ("I‘m a failure", "i'm a failure"),  # left single quotation mark
        ("Iʼm a failure", "i'm a failure"),  # modifier letter apostrophe
        ("I`m a failure", "i'm a failure"),  # backtick
    ],
)
def test_any_kind_of_apostrophe_matches(text: str, phrase: str) -> None:
    assert found(text) == (phrase, text)


@pytest.mark.parametrize(
    "text",
    ["failedness", "unrejected", "refailed", "My rejections pile up", "failed_test", "unfailed"],
)
def test_phrases_match_whole_words_only(text: str) -> None:
    # Letters, digits, underscores and apostrophes make one word: "rejections" is not
    # "rejection" and "failedness" is not "failed".
    assert reframe.detect(text, DETECT) is None


def test_punctuation_inside_a_word_still_separates_words() -> None:
    assert found("re-rejected") == ("rejected", "re-rejected")
    assert found("I failed.I am useless") == ("failed", "I failed.I am useless")


@pytest.mark.parametrize(
    "text",
    [
        "I was not rejected",
        "I haven't failed",
        "I haven’t failed",
        "I wasn’t rejected",
        "I am no failure",
        "hardly a failure",
        "I didn’t fail",  # "fail" is not a phrase, and "didn't" cancels nothing here
        "I am not a failure",
    ],
)
def test_a_negation_in_the_same_clause_cancels(text: str) -> None:
    assert reframe.detect(text, DETECT) is None


@pytest.mark.parametrize(
    ("text", "phrase"),
    [
        ("No, I failed again", "failed"),
        ("Not today — I was rejected", "rejected"),
        ("Not today – I was rejected", "rejected"),  # en dash
        ("not; rejected", "rejected"),
        ("(not) rejected", "rejected"),
        ("I was not rejected, I failed", "failed"),
    ],
)
def test_a_negation_in_an_earlier_clause_does_not_cancel(text: str, phrase: str) -> None:
    assert found(text) == (phrase, text)


def test_a_negation_counts_only_within_reach() -> None:
    assert reframe.NEGATION_REACH == 3
    # "Not" three words before the phrase cancels it; four words before does not.
    assert reframe.detect("Not I was rejected", DETECT) is None
    assert found("Not that I was ever rejected") == ("rejected", "Not that I was ever rejected")


def test_a_negated_match_does_not_hide_a_later_one_of_the_same_phrase() -> None:
    text = "I was not rejected. Then I was rejected again."
    assert found(text) == ("rejected", "Then I was rejected again.")


def test_the_longest_phrase_is_preferred() -> None:
    assert found("I'm a failure") == ("i'm a failure", "I'm a failure")
    assert found("I’m a failure") == ("i'm a failure", "I’m a failure")
    assert found("I'll never get a job") == ("i'll never", "I'll never get a job")


def test_at_the_same_start_the_longer_phrase_wins_whatever_the_list_order() -> None:
    rules = content.Detect(phrases=["failed", "failed again", "again"], negations=[])
    assert reframe.detect("I failed again", rules) == reframe.Found(
        "failed again", "I failed again"
    )


def test_the_earliest_match_in_the_text_wins() -> None:
    assert found("Rejected again. I'm a failure") == ("rejected", "Rejected again.")
    rules = content.Detect(phrases=["rejected", "useless"], negations=[])
    hit = reframe.detect("I feel useless since they rejected me", rules)
    assert hit == reframe.Found("useless", "I feel useless since they rejected me")


def test_the_sentence_holding_the_phrase_is_returned_exactly() -> None:
    text = "Good day at first. Then it went wrong!\nI  FAILED the test… badly. Meh."
    assert found(text) == ("failed", "I  FAILED the test… badly.")
    text = "Coffee with Sam.\n\nThey   didn’t want me?  Fine. Moving on."
    assert found(text) == ("they didn't want me", "They   didn’t want me?")


@pytest.mark.parametrize("text", ["", "   ", "\n\t", "A calm day. A walk in the park."])
def test_nothing_to_find_gives_none(text: str) -> None:
    assert reframe.detect(text, DETECT) is None


@pytest.mark.parametrize(
    ("text", "phrase"),
    [
        ("I keep thinking ‘I failed’.", "failed"),
        ("He said 'rejected' again", "rejected"),
        ("The word ‘failure’ stuck", "failure"),
    ],
)
def test_a_phrase_in_single_quotation_marks_is_found(text: str, phrase: str) -> None:
    hit = reframe.detect(text, DETECT)
    assert hit is not None
    assert hit.phrase == phrase


# -- offers: check-ins worth a thought record -------------------------------------------
def test_offers_are_newest_first_and_skip_check_ins_already_used() -> None:
    oldest = a_checkin("I failed the interview", hours_ago=30)
    calm = a_checkin("A calm walk", hours_ago=3)
    used = a_checkin("I was rejected", hours_ago=2)
    newest = a_checkin("Nobody wants me. Tea now.", hours_ago=1)
    records = [
        stored(ThoughtRecord, source_checkin_id=used.id),
        stored(ThoughtRecord, source_checkin_id=None),
    ]
    offers = reframe.offers([oldest, used, calm, newest], records, DETECT)
    assert [(c.id, f.sentence) for c, f in offers] == [
        (newest.id, "Nobody wants me."),
        (oldest.id, "I failed the interview"),
    ]
    assert [f.phrase for _, f in offers] == ["nobody wants me", "failed"]


def test_offers_respect_the_limit() -> None:
    checkins = [a_checkin(f"Rejected by company {n}", hours_ago=n) for n in range(1, 8)]
    assert len(reframe.offers(checkins, [], DETECT)) == 5
    two = reframe.offers(list(reversed(checkins)), [], DETECT, limit=2)
    assert [c.id for c, _ in two] == [checkins[0].id, checkins[1].id]
    assert reframe.offers(checkins, [], DETECT, limit=1)[0][1].sentence == "Rejected by company 1"


def test_offers_read_only_the_newest_check_ins() -> None:
    assert reframe.SCAN == 50
    old = a_checkin("I failed the interview", hours_ago=100)
    calm = [a_checkin("A calm walk", hours_ago=n) for n in range(1, reframe.SCAN + 1)]
    assert reframe.offers([old, *calm], [], DETECT) == []
    hits = reframe.offers([old, *calm[1:]], [], DETECT)
    assert [(c.id, f.phrase) for c, f in hits] == [(old.id, "failed")]


def test_no_offers_without_check_ins_or_language() -> None:
    assert reframe.offers([], [], DETECT) == []
    assert reframe.offers([a_checkin("I was not rejected")], [], DETECT) == []


# -- suggestions ------------------------------------------------------------------------
def test_specific_reframes_come_before_the_general_ones() -> None:
    assert reframe.suggestions("I failed again", SUGGESTIONS) == [*FAIL, *GENERAL]
    assert reframe.suggestions("I was REJECTED", SUGGESTIONS) == [*REJECTED, *GENERAL]
    assert reframe.suggestions("I can’t do this", SUGGESTIONS) == [*CANT, *GENERAL]


def test_several_matches_follow_the_content_order() -> None:
    got = reframe.suggestions("I can't stop thinking: I was rejected, I'm a failure", SUGGESTIONS)
    assert got == [*REJECTED, *FAIL, *CANT, *GENERAL]


def test_a_thought_with_nothing_specific_gets_only_the_general_ones() -> None:
    assert reframe.suggestions("The day was grey", SUGGESTIONS) == GENERAL
    assert reframe.suggestions("", SUGGESTIONS) == GENERAL


def test_suggestions_have_no_duplicates() -> None:
    rules = [
        content.ReframeSuggestion(match="fail", reframes=["A", "B"]),
        content.ReframeSuggestion(match="again", reframes=["B", "C"]),
        content.ReframeSuggestion(match="", reframes=["C", "D", "A"]),
    ]
    assert reframe.suggestions("I failed again", rules) == ["A", "B", "C", "D"]
    assert reframe.suggestions("nothing", rules) == ["C", "D", "A"]
    got = reframe.suggestions("I can't, I failed, rejected, never", SUGGESTIONS)
    assert len(got) == len(set(got))


# -- a thought record from a check-in ---------------------------------------------------
def test_a_draft_from_a_check_in_carries_its_words() -> None:
    checkin = a_checkin("Honestly? I failed again.", emotions=["Sad", "Angry"], intensity=7)
    hit = reframe.detect(checkin.journal, DETECT)
    assert hit is not None
    draft = reframe.draft_from_checkin(checkin, hit, a_rejection(company="Globex", role="SRE"))
    assert draft == {
        "situation": "The “no” from Globex for the SRE role.",
        "feeling": "Sad, Angry",
        "intensity_before": 70,
        "thought": "I failed again.",
        "source_checkin_id": checkin.id,
    }
    record = build(ThoughtRecord, draft)
    assert isinstance(record, ThoughtRecord)
    assert (record.finished, record.step) == (False, 0)


@pytest.mark.parametrize(("intensity", "scaled"), [(0, 0), (1, 10), (5, 50), (10, 100)])
def test_check_in_intensity_0_to_10_becomes_0_to_100(intensity: int, scaled: int) -> None:
    checkin = a_checkin("I failed", intensity=intensity)
    draft = reframe.draft_from_checkin(checkin, reframe.Found("failed", "I failed"), None)
    assert draft["intensity_before"] == scaled
    assert draft["situation"] == ""
    assert draft["feeling"] == "Sad"


def test_a_draft_from_a_long_check_in_still_opens_a_record() -> None:
    journal = "I was rejected again and " + "then I kept thinking about it, " * 40
    checkin = a_checkin(journal, emotions=["a" * 80, "b" * 80, "c" * 80])
    hit = reframe.detect(journal, DETECT)
    assert hit is not None
    record = build(ThoughtRecord, reframe.draft_from_checkin(checkin, hit, None))
    assert isinstance(record, ThoughtRecord)
    assert len(record.thought) <= SENTENCE_TEXT
    assert len(record.feeling) <= SHORT_TEXT


# -- what each step needs ---------------------------------------------------------------
def test_missing_names_what_each_step_needs() -> None:
    assert reframe.missing("situation", {}) == {
        "situation": "Please describe what happened, in a sentence or two."
    }
    assert reframe.missing("situation", {"situation": "They said no."}) == {}
    assert reframe.missing("feeling", {"feeling": "", "intensity_before": None}) == {
        "feeling": "Please name the feeling, in a word or two.",
        "intensity_before": "Please rate how strong it was.",
    }
    assert reframe.missing("feeling", {"feeling": "Sad"}) == {
        "intensity_before": "Please rate how strong it was."
    }
    assert reframe.missing("feeling", {"feeling": "Sad", "intensity_before": 0}) == {}
    assert reframe.missing("thought", {"thought": ""}) == {
        "thought": "Please write the thought as it came."
    }
    assert reframe.missing("rewrite", {"rewritten": None}) == {
        "rewritten": "Please write the fairer thought — a first draft is fine."
    }
    assert reframe.missing("rewrite", {"rewritten": "Not yet."}) == {}
    assert reframe.missing("rerate", {}) == {"intensity_after": "Please rate the feeling now."}
    assert reframe.missing("rerate", {"intensity_after": 0}) == {}


@pytest.mark.parametrize("step", ["traps", "evidence", "unknown"])
def test_optional_steps_need_nothing(step: str) -> None:
    assert reframe.missing(step, {}) == {}
    assert reframe.missing(step, {"traps": []}) == {}


def test_a_blank_answer_is_missing() -> None:
    assert reframe.missing("thought", {"thought": "   "}) == {
        "thought": "Please write the thought as it came."
    }


def test_every_step_missing_knows_is_a_content_step() -> None:
    keys = [s.key for s in P5.reframe.steps]
    needing = [k for k in keys if reframe.missing(k, {})]
    assert needing == ["situation", "feeling", "thought", "rewrite", "rerate"]


@pytest.mark.parametrize(
    ("before", "after", "eased"),
    [(80, 30, 50), (40, 40, 0), (20, 60, -40), (None, 30, None), (70, None, None)],
)
def test_change_is_before_minus_after(before: int | None, after: int | None, eased: int) -> None:
    record = stored(ThoughtRecord, intensity_before=before, intensity_after=after)
    assert reframe.change(record) == eased


# -- the thought record model -----------------------------------------------------------
def test_an_unfinished_record_may_be_mostly_empty() -> None:
    record = build(ThoughtRecord, {})
    assert isinstance(record, ThoughtRecord)
    assert (record.step, record.thought, record.intensity_before) == (0, "", None)
    partly = build(ThoughtRecord, {"step": 2, "situation": "The call", "intensity_before": 0})
    assert isinstance(partly, ThoughtRecord)
    assert partly.intensity_before == 0


FULL: dict[str, Any] = {
    "thought": "I failed",
    "rewritten": "This attempt did not work out.",
    "intensity_before": 80,
    "intensity_after": 40,
    "finished": True,
}


def test_a_finished_record_has_everything() -> None:
    record = build(ThoughtRecord, FULL)
    assert isinstance(record, ThoughtRecord)
    assert reframe.change(record) == 40


@pytest.mark.parametrize(
    ("drop", "message"),
    [
        ("thought", "Please write the thought you are working with."),
        ("rewritten", "Please write the fairer thought."),
        ("intensity_before", "Please rate the feeling at the start."),
        ("intensity_after", "Please rate the feeling now."),
    ],
)
def test_finishing_without_a_part_names_that_field(drop: str, message: str) -> None:
    data = {k: v for k, v in FULL.items() if k != drop}
    assert errors_of(ThoughtRecord, data) == {drop: message}


def test_finishing_with_a_blank_thought_is_refused() -> None:
    assert errors_of(ThoughtRecord, FULL | {"thought": "   \x00 "}) == {
        "thought": "Please write the thought you are working with."
    }


def test_a_stored_finished_record_is_not_judged_again() -> None:
    record = build(ThoughtRecord, {"finished": True}, stored=True)
    assert isinstance(record, ThoughtRecord)
    assert record.finished is True


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("intensity_before", 101, "Please choose a number no higher than 100."),
        ("intensity_before", -1, "Please choose a number of at least 0."),
        ("intensity_after", 101, "Please choose a number no higher than 100."),
        ("intensity_after", -5, "Please choose a number of at least 0."),
    ],
)
def test_intensities_outside_0_to_100_are_refused(field: str, value: int, message: str) -> None:
    assert errors_of(ThoughtRecord, {field: value}) == {field: message}


@pytest.mark.parametrize("value", [0, 100])
def test_intensity_limits_are_allowed(value: int) -> None:
    record = build(ThoughtRecord, FULL | {"intensity_before": value, "intensity_after": value})
    assert isinstance(record, ThoughtRecord)
    assert reframe.change(record) == 0


def test_traps_are_deduplicated_ignoring_case() -> None:
    record = build(
        ThoughtRecord,
        {"traps": ["labelling", "Labelling", "", "LABELLING", "mind_reading", "Mind_Reading"]},
    )
    assert isinstance(record, ThoughtRecord)
    assert record.traps == ["labelling", "mind_reading"]


# -- "not yet" --------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("cant", "not_yet"),
    [
        ("I can't do system design.", "I can't do system design yet — and I am learning how."),
        ("I cannot swim!", "I can't swim yet — and I am learning how."),
        ("I can not sing", "I can't sing yet — and I am learning how."),
        ("I CAN'T DRIVE", "I can't DRIVE yet — and I am learning how."),
        ("I can’t code.", "I can't code yet — and I am learning how."),
        ("i cant dance?!", "I can't dance yet — and I am learning how."),
        ("  I can't cook  ", "I can't cook yet — and I am learning how."),
    ],
)
def test_i_cant_becomes_not_yet(cant: str, not_yet: str) -> None:
    assert growth.not_yet(cant) == not_yet


@pytest.mark.parametrize(
    ("sentence", "not_yet"),
    [
        (
            "Public speaking scares me.",
            "Public speaking scares me — for now. With practice, this can change.",
        ),
        ("Nobody hires me!", "Nobody hires me — for now. With practice, this can change."),
        ("She can't code", "She can't code — for now. With practice, this can change."),
    ],
)
def test_other_sentences_get_for_now(sentence: str, not_yet: str) -> None:
    assert growth.not_yet(sentence) == not_yet


@pytest.mark.parametrize("blank", ["", "   ", "\n"])
def test_nothing_gives_nothing(blank: str) -> None:
    assert growth.not_yet(blank) == ""


# -- completion rules -------------------------------------------------------------------
STEPS13 = tuple(f"step{n}" for n in range(13))


def records(materials_steps: tuple[str, ...] = (), **by_name: list[Record]) -> progress.Records:
    by_type: dict[type[Record], list[Record]] = {}
    for items in by_name.values():
        for item in items:
            by_type.setdefault(type(item), []).append(item)
    return progress.Records(
        now=NOW, window_hours=48, materials_steps=materials_steps, by_type=by_type
    )


def rejections(*hours_ago: float) -> list[Record]:
    return [a_rejection(h) for h in hours_ago]


def people(*roles: str) -> list[Record]:
    return [stored(SupportPerson, role=r, name=f"Person {n}") for n, r in enumerate(roles)]


def beyond(*kinds: str) -> list[Record]:
    return [stored(BeyondWin, category=k, text="Learned it") for k in kinds]


def plan(went_wrong: str = "", changes: str = "", next_steps: str = "") -> list[Record]:
    return [stored(PersistencePlan, went_wrong=went_wrong, changes=changes, next_steps=next_steps)]


EMPTY_NOTES: dict[str, str] = {
    "rejections": "0 rejections",
    "why": "0 things listed",
    "window": "not started",
    "feelings": "0 check-ins",
    "outlets": "0 kind acts",
    "self_talk": "0 sentences",
    "avoid": "0 pledges",
    "drafts": "no drafts",
    "review": "not started",
    "feedback": "not started",
    "patterns": "0 rejections logged",
    "reassess": "0 directions rated",
    "wins": "0 wins",
    "skills": "0 skills",
    "team": "0 of 5 roles filled",
    "current": "0 sources",
    "materials": "0 of 13 steps",
    "channels": "0 actions planned",
    "doors": "not started",
    "reframe": "not started",
    "growth": "0 rewrites, 0 challenges",
    "beyond": "0 kinds of win",
    "persistence": "0 of 3 parts written",
}


def test_every_rule_starts_at_zero() -> None:
    judged = progress.worksheets(records(STEPS13))
    assert set(judged) == set(progress.RULES)
    assert {k: c.note for k, c in judged.items()} == EMPTY_NOTES
    for key, completion in judged.items():
        assert completion.share == 0.0, key
        assert completion.done is False, key


def test_materials_without_steps_is_zero_not_a_division_error() -> None:
    done = progress.RULES["materials"].judge(records())
    assert done == progress.Completion(0.0, "0 of 0 steps")


# (case id, worksheet, records, share, note); records are built per test.
CASES: list[tuple[str, str, dict[str, list[Record]], float, str]] = [
    ("rejections-done", "rejections", {"r": rejections(100)}, 1.0, "1 rejection"),
    (
        "why-partial",
        "why",
        {"v": [stored(ValueItem, text="Kind"), stored(ValueItem, text="Funny")]},
        2 / 3,
        "2 things listed",
    ),
    (
        "why-done",
        "why",
        {"v": [stored(ValueItem, text=t) for t in ("Kind", "Funny", "A runner", "A cook")]},
        1.0,
        "4 things listed",
    ),
    ("window-open", "window", {"r": rejections(3)}, 0.5, "in the first 48 hours"),
    ("window-edge", "window", {"r": rejections(48)}, 1.0, "through the first 48 hours"),
    ("window-over", "window", {"r": rejections(3, 60)}, 1.0, "through the first 48 hours"),
    ("feelings-done", "feelings", {"c": [a_checkin("ok")]}, 1.0, "1 check-in"),
    ("outlets-done", "outlets", {"o": [stored(OutletEntry, outlet="Walk")]}, 1.0, "1 kind act"),
    (
        "self-talk-done",
        "self_talk",
        {"s": [stored(SelfTalk, sentence="I will be OK.")]},
        1.0,
        "1 sentence",
    ),
    ("avoid-empty-pledge", "avoid", {"p": [stored(AvoidPledge, items=[])]}, 0.0, "0 pledges"),
    ("avoid-done", "avoid", {"p": [stored(AvoidPledge, items=["stalk"])]}, 1.0, "1 pledge"),
    (
        "drafts-undecided",
        "drafts",
        {
            "d": [
                stored(UnsentDraft, body="grr"),
                stored(UnsentDraft, body="ugh"),
                stored(UnsentDraft, body="kept", decision="keep"),
            ]
        },
        0.5,
        "2 drafts to decide on",
    ),
    (
        "drafts-one-undecided",
        "drafts",
        {"d": [stored(UnsentDraft, body="grr")]},
        0.5,
        "1 draft to decide on",
    ),
    (
        "drafts-decided",
        "drafts",
        {"d": [stored(UnsentDraft, body=b, decision="keep") for b in ("a", "b")]},
        1.0,
        "2 drafts decided",
    ),
    ("review-started", "review", {"r": [stored(Review, answers={"a": "b"})]}, 0.5, "started"),
    (
        "review-finished",
        "review",
        {"r": [stored(Review, finished=True), stored(Review)]},
        1.0,
        "1 review finished",
    ),
    ("feedback-drafted", "feedback", {"f": [stored(FeedbackRequest)]}, 0.5, "drafted"),
    (
        "feedback-sent",
        "feedback",
        {
            "f": [
                stored(FeedbackRequest, status="sent", sent_on=TODAY),
                stored(FeedbackRequest, status="answered", sent_on=TODAY, answered_on=TODAY),
                stored(FeedbackRequest),
            ]
        },
        1.0,
        "2 requests sent",
    ),
    ("patterns-partial", "patterns", {"r": rejections(100)}, 0.5, "1 rejection logged"),
    ("patterns-done", "patterns", {"r": rejections(100, 200)}, 1.0, "2 rejections logged"),
    (
        "reassess-rated",
        "reassess",
        {
            "d": [stored(Direction, name=n, interest=3, strength=4) for n in ("Data", "Ops")],
            "p": [stored(PathPlan, correction="More SQL")],
        },
        0.5,
        "2 directions rated",
    ),
    (
        "reassess-chosen",
        "reassess",
        {
            "d": [stored(Direction, id="d1", name="Data", interest=3, strength=4)],
            "p": [stored(PathPlan, chosen_direction_id="d1")],
        },
        1.0,
        "a direction chosen",
    ),
    ("wins-done", "wins", {"w": [stored(Win, text="Applied", won_on=TODAY)]}, 1.0, "1 win"),
    (
        "skills-done",
        "skills",
        {"s": [stored(Skill, name="SQL", start_on=TODAY)]},
        1.0,
        "1 skill",
    ),
    (
        "team-partial",
        "team",
        {"t": people("mentor", "cheerleader", "mentor")},
        0.4,
        "2 of 5 roles filled",
    ),
    (
        "team-done",
        "team",
        {"t": people("mentor", "cheerleader", "peer", "insider", "coach")},
        1.0,
        "5 of 5 roles filled",
    ),
    ("current-done", "current", {"f": [stored(FollowSource, name="A blog")]}, 1.0, "1 source"),
    (
        "materials-partial",
        "materials",
        {
            "m": [
                stored(
                    MaterialsChecklist,
                    done={"step0": TODAY, "step5": TODAY, "step12": TODAY, "gone": TODAY},
                )
            ]
        },
        3 / 13,
        "3 of 13 steps",
    ),
    (
        "materials-done",
        "materials",
        {"m": [stored(MaterialsChecklist, done=dict.fromkeys(STEPS13, TODAY))]},
        1.0,
        "13 of 13 steps",
    ),
    (
        "channels-planned",
        "channels",
        {"a": [stored(ChannelAction, channel="meetups", action=a) for a in ("Go", "Talk")]},
        0.5,
        "2 actions planned",
    ),
    (
        "channels-done",
        "channels",
        {
            "a": [
                stored(ChannelAction, channel="meetups", action="Go", status="done"),
                stored(ChannelAction, channel="meetups", action="Talk"),
            ]
        },
        1.0,
        "1 action done",
    ),
    (
        "doors-planned",
        "doors",
        {"d": [stored(DoorOpen, next_checkin=TODAY + timedelta(days=30))]},
        0.5,
        "check-ins planned",
    ),
    (
        "doors-touched",
        "doors",
        {"d": [stored(DoorOpen, thank_you_on=TODAY), stored(DoorOpen, shared_on=TODAY)]},
        1.0,
        "2 doors kept open",
    ),
    (
        "doors-checked-in",
        "doors",
        {"d": [stored(DoorOpen, last_checkin=TODAY)]},
        1.0,
        "1 door kept open",
    ),
    (
        "reframe-in-progress",
        "reframe",
        {"t": [stored(ThoughtRecord, step=3, thought="I failed")]},
        0.5,
        "1 in progress",
    ),
    (
        "reframe-finished",
        "reframe",
        {"t": [stored(ThoughtRecord, **FULL), stored(ThoughtRecord)]},
        1.0,
        "1 thought record finished",
    ),
    (
        "growth-rewrites-only",
        "growth",
        {"m": [stored(MindsetRewrite, cant="I can't", not_yet="Not yet") for _ in range(2)]},
        0.5,
        "2 rewrites, 0 challenges",
    ),
    (
        "growth-challenges-only",
        "growth",
        {"g": [stored(GrowthChallenge, challenge="C", growth="G") for _ in range(3)]},
        0.5,
        "0 rewrites, 3 challenges",
    ),
    (
        "growth-done",
        "growth",
        {
            "m": [stored(MindsetRewrite, cant="I can't", not_yet="Not yet") for _ in range(2)],
            "g": [stored(GrowthChallenge, challenge="C", growth="G") for _ in range(2)],
        },
        1.0,
        "2 rewrites, 2 challenges",
    ),
    ("beyond-one-kind", "beyond", {"b": beyond("skills", "skills")}, 1 / 3, "1 kind of win"),
    ("beyond-two-kinds", "beyond", {"b": beyond("skills", "paths")}, 2 / 3, "2 kinds of win"),
    (
        "beyond-done",
        "beyond",
        {"b": beyond("skills", "paths", "goals", "industry")},
        1.0,
        "4 kinds of win",
    ),
    ("persistence-one", "persistence", {"p": plan("Too few")}, 1 / 3, "1 of 3 parts written"),
    (
        "persistence-blank-part",
        "persistence",
        {"p": plan("Too few", "   ", "Apply")},
        2 / 3,
        "2 of 3 parts written",
    ),
    (
        "persistence-done",
        "persistence",
        {"p": plan("Too few", "More", "Apply")},
        1.0,
        "3 of 3 parts written",
    ),
]


@pytest.mark.parametrize(
    ("key", "given", "share", "note"),
    [case[1:] for case in CASES],
    ids=[case[0] for case in CASES],
)
def test_completion_rules(
    key: str, given: dict[str, list[Record]], share: float, note: str
) -> None:
    completion = progress.RULES[key].judge(records(STEPS13, **given))
    assert completion.share == pytest.approx(share)
    assert completion.note == note
    assert completion.done is (share >= 1)


def test_every_rule_has_a_done_case() -> None:
    done_keys = {key for _, key, _, share, _ in CASES if share == 1.0}
    assert done_keys == set(progress.RULES)


def test_a_rule_reads_only_what_it_needs() -> None:
    # Records for every other worksheet do not move a rule.
    everything: dict[str, list[Record]] = {}
    for n, (_, _, given, _, _) in enumerate(CASES):
        for name, items in given.items():
            everything[f"{n}{name}"] = items
    full = records(STEPS13, **everything)
    for key, rule in progress.RULES.items():
        mine = {t: full.of(t) for t in rule.needs}
        alone = progress.Records(NOW, 48, STEPS13, mine)
        assert rule.judge(full) == rule.judge(alone), key


def test_growth_note_says_one_rewrite() -> None:
    given = records(
        m=[stored(MindsetRewrite, cant="I can't", not_yet="Not yet")],
        g=[stored(GrowthChallenge, challenge="C", growth="G")],
    )
    assert progress.RULES["growth"].judge(given).note == "1 rewrite, 1 challenge"


def test_the_window_length_is_respected() -> None:
    given = {Rejection: rejections(30)}
    assert progress.RULES["window"].judge(progress.Records(NOW, 24, (), given)).share == 1.0
    assert progress.RULES["window"].judge(progress.Records(NOW, 48, (), given)).share == 0.5


def test_completion_is_done_at_one() -> None:
    assert progress.Completion(1.0, "").done is True
    assert progress.Completion(0.999, "").done is False
    assert progress.Completion(0.0, "").done is False


def test_phase_share_is_the_mean_of_its_worksheets() -> None:
    shares = dict.fromkeys(progress.RULES, 0.0) | {
        "reframe": 1.0,
        "growth": 0.5,
        "beyond": 1 / 3,
        "window": 1.0,
        "drafts": 0.5,
        "materials": 3 / 13,
    }
    done = {k: progress.Completion(s, "") for k, s in shares.items()}
    got = progress.phases(done)
    assert list(got) == ["phase1", "phase2", "phase3", "phase4", "phase5"]
    assert got["phase1"] == pytest.approx(1.5 / 6)
    assert got["phase2"] == 0.0
    assert got["phase3"] == 0.0
    assert got["phase4"] == pytest.approx(1 / 13)
    assert got["phase5"] == pytest.approx((1 + 0.5 + 1 / 3 + 0) / 4)
    assert set(progress.phases({k: progress.Completion(1.0, "") for k in shares}).values()) == {1.0}


def test_phases_from_real_records() -> None:
    given = records(
        STEPS13,
        t=[stored(ThoughtRecord, **FULL)],
        b=beyond("skills"),
        p=plan("Too few", "More"),
    )
    got = progress.phases(progress.worksheets(given))
    assert got["phase5"] == pytest.approx((1 + 0 + 1 / 3 + 2 / 3) / 4)
    assert got["phase1"] == got["phase2"] == got["phase3"] == got["phase4"] == 0.0


def test_phases_and_rules_and_pages_agree() -> None:
    in_phases = [key for keys in progress.PHASES.values() for key in keys]
    assert len(in_phases) == len(set(in_phases))
    assert set(in_phases) <= set(progress.RULES)
    assert set(progress.RULES) - set(in_phases) == {"rejections", "why"}
    assert set(progress.RULES) <= set(navigation.PAGES)
    assert progress.PHASES["phase5"] == ("reframe", "growth", "beyond", "persistence")


def test_gather_reads_each_needed_model_once() -> None:
    calls: Counter[type[Record]] = Counter()
    given: dict[type[Record], list[Record]] = {
        Rejection: rejections(100, 200),
        ThoughtRecord: [stored(ThoughtRecord, **FULL)],
    }

    def read(model: type[Record]) -> list[Record]:
        calls[model] += 1
        return given.get(model, [])

    got = progress.gather(read, NOW, 24, STEPS13)
    needed = {model for rule in progress.RULES.values() for model in rule.needs}
    assert set(calls) == needed
    assert len(needed) == 23
    assert set(calls.values()) == {1}
    assert Urge not in calls
    assert AnswerEntry not in calls
    assert (got.now, got.window_hours, got.materials_steps) == (NOW, 24, STEPS13)
    assert got.of(Rejection) == given[Rejection]
    assert progress.worksheets(got)["patterns"].done is True
    assert progress.worksheets(got)["reframe"].note == "1 thought record finished"


# -- the next step on Home --------------------------------------------------------------
OLD = a_rejection(24 * 10)  # the 48 hours and the feedback window are long over
FINISHED = [stored(Review, rejection_id=OLD.id, finished=True)]


def later(rejection: Rejection = OLD, **changes: Any) -> next_step.NextStep:
    data: dict[str, Any] = {
        "now": NOW,
        "rejection": rejection,
        "checkins": [],
        "outlets": [],
        "self_talk": [],
        "drafts": [],
        "reviews": FINISHED if rejection is OLD else [],
    }
    return next_step.next_step(next_step.Snapshot(**(data | changes)))


def a_due(day: date, page: str = "doors", who: str = "Acme") -> Due:
    return Due(who=who, why="Keep the door open", day=day, page=page, record_id="x")


def test_a_reframe_offer_quotes_the_sentence() -> None:
    step = later(reframe_offer="I failed again.")
    assert step == next_step.NextStep(
        "You wrote “I failed again.”. Look at that thought more closely.", "reframe", "phase5"
    )


def test_no_offer_means_the_next_rule() -> None:
    assert later(reframe_offer=None).page == "reassess"
    assert later(reframe_offer="").page == "reassess"


def test_a_due_check_in_comes_before_the_reframe_offer() -> None:
    step = later(due=[a_due(TODAY)], reframe_offer="I failed")
    assert step == next_step.NextStep("A check-in is due: reach out to Acme.", "doors", "phase4")
    team = later(due=[a_due(TODAY - timedelta(days=3), "team", "Sam")], reframe_offer="I failed")
    assert team == next_step.NextStep("A check-in is due: reach out to Sam.", "team", "phase3")


def test_a_check_in_due_later_does_not_come_first() -> None:
    step = later(due=[a_due(TODAY + timedelta(days=1))], reframe_offer="I failed")
    assert step.page == "reframe"
    assert later(due=[a_due(TODAY + timedelta(days=1))]).page == "reassess"


def test_the_first_due_check_in_on_or_before_today_is_named() -> None:
    due = [a_due(TODAY + timedelta(days=2), who="Later"), a_due(TODAY, "team", "Sam")]
    assert later(due=due).text == "A check-in is due: reach out to Sam."


def test_an_open_feedback_window_comes_before_a_due_check_in() -> None:
    day4 = a_rejection(24 * 4)  # window over, feedback window (days 3 to 5) open
    offers: dict[str, Any] = {"due": [a_due(TODAY)], "reframe_offer": "I failed"}
    step = later(day4, **offers)
    assert (step.page, step.phase) == ("feedback", "phase2")
    sent = FeedbackRequest(rejection_id=day4.id, status="sent", sent_on=TODAY)
    assert later(day4, requests=[sent], **offers).page == "doors"


def test_patterns_only_while_there_are_unseen_rejections() -> None:
    assert later(rejection_count=3, patterns_seen=0).page == "patterns"
    assert later(rejection_count=3, patterns_seen=2).page == "patterns"
    assert later(rejection_count=3, patterns_seen=3).page == "reassess"
    assert later(rejection_count=2, patterns_seen=5).page == "reassess"
    assert later(rejection_count=1, patterns_seen=0).page == "reassess"
    step = later(rejection_count=2, patterns_seen=1)
    assert (step.page, step.phase) == ("patterns", "phase2")


def test_direction_then_wins_then_the_dashboard() -> None:
    assert later() == next_step.NextStep(
        "Step back and ask whether the direction still fits.", "reassess", "phase2"
    )
    assert later(direction_chosen=True) == next_step.NextStep(
        "Log one small win today — any step counts.", "wins", "phase3"
    )
    assert later(direction_chosen=True, won_today=True) == next_step.NextStep(
        "See how far you have come.", "dashboard", "phase5"
    )
    assert later(won_today=True).page == "reassess"


def test_inside_the_48_hours_feelings_come_first_whatever_else() -> None:
    fresh = a_rejection(3)
    step = later(
        fresh,
        due=[a_due(TODAY)],
        reframe_offer="I failed",
        rejection_count=5,
        direction_chosen=True,
        won_today=True,
    )
    assert step == next_step.NextStep(
        "Check in with how you are feeling right now.", "feelings", "phase1"
    )


def test_every_new_next_step_names_a_real_page() -> None:
    steps = [
        later(reframe_offer="x"),
        later(due=[a_due(TODAY)]),
        later(due=[a_due(TODAY, "team")]),
        later(rejection_count=4),
        later(),
        later(direction_chosen=True),
        later(direction_chosen=True, won_today=True),
    ]
    assert [s.page for s in steps] == [
        "reframe",
        "doors",
        "team",
        "patterns",
        "reassess",
        "wins",
        "dashboard",
    ]
    assert all(s.page in navigation.PAGES for s in steps)


# -- the before/after chart -------------------------------------------------------------
EMPTY = "Finished thought records will be listed here."


def test_no_finished_records_give_the_empty_figure() -> None:
    unfinished = stored(ThoughtRecord, thought="I failed", intensity_before=80)
    for given in ([], [unfinished]):
        fig = charts.before_after(given, EMPTY)
        assert fig.data == ()
        assert fig.layout.annotations[0].text == "Finished thought records will be<br>listed here."
        assert fig.layout.title.text == "The feeling before and after each thought record"


def test_finished_records_are_drawn_newest_first() -> None:
    older = stored(
        ThoughtRecord,
        **FULL | {"thought": "I failed again", "intensity_before": 80, "intensity_after": 40},
        updated_at=NOW - timedelta(days=2),
    )
    newer = stored(
        ThoughtRecord,
        **FULL
        | {
            "thought": "<b>They</b> didn't want me & I am useless at all of this",
            "intensity_before": 90,
            "intensity_after": 60,
        },
        updated_at=NOW - timedelta(days=1),
    )
    unfinished = stored(
        ThoughtRecord, thought="Nope", intensity_before=70, intensity_after=10, updated_at=NOW
    )
    broken = stored(ThoughtRecord, thought="Odd", finished=True, intensity_before=50)
    fig = charts.before_after([older, unfinished, newer, broken], EMPTY)
    link, before, after = fig.data
    assert link.mode == "lines"
    assert list(link.x) == [90, 60, None, 80, 40, None]
    assert list(link.y) == [newer.id, newer.id, None, older.id, older.id, None]
    assert (before.name, before.marker.symbol) == ("Before", "circle")
    assert (after.name, after.marker.symbol) == ("After", "diamond")
    assert list(before.x) == [90, 80]
    assert list(after.x) == [60, 40]
    assert list(before.y) == list(after.y) == [newer.id, older.id]
    names = ["&lt;b&gt;They&lt;/b&gt; didn't want me &amp; I am u…", "I failed again"]
    assert list(fig.layout.yaxis.tickvals) == [newer.id, older.id]
    assert list(fig.layout.yaxis.ticktext) == names
    assert list(before.customdata) == list(after.customdata) == names
    assert fig.layout.yaxis.type == "category"
    assert fig.layout.height == 150 + 34 * 2
    assert "<b>" not in str(fig.to_dict())


def test_only_the_newest_rows_are_drawn() -> None:
    assert charts.BEFORE_AFTER_ROWS == 12
    many = [
        stored(ThoughtRecord, **FULL | {"thought": f"T{h}"}, updated_at=NOW - timedelta(hours=h))
        for h in range(14, 0, -1)
    ]
    fig = charts.before_after(many, EMPTY)
    assert list(fig.layout.yaxis.ticktext) == [f"T{h}" for h in range(1, 13)]
    assert len(fig.data[1].x) == len(fig.data[2].x) == 12
    assert len(fig.data[0].x) == 36
    assert fig.data[0].showlegend is False
    assert fig.layout.height == 150 + 34 * 12


def test_rows_are_keyed_by_id_so_equal_thoughts_stay_apart() -> None:
    same = [stored(ThoughtRecord, **FULL, updated_at=NOW - timedelta(hours=h)) for h in (1, 2, 3)]
    fig = charts.before_after(same, EMPTY)
    assert list(fig.layout.yaxis.tickvals) == [r.id for r in same]
    assert list(fig.layout.yaxis.ticktext) == ["I failed"] * 3


# -- Phase 5 content --------------------------------------------------------------------
def test_phase5_content_loads() -> None:
    assert TEXTS.sources["phase5"] == str(content.BUILTIN_DIR / "phase5.toml")
    assert [s.key for s in P5.reframe.steps] == [
        "situation",
        "feeling",
        "thought",
        "traps",
        "evidence",
        "rewrite",
        "rerate",
    ]
    first = P5.reframe.traps[0]
    assert P5.reframe.trap_label(first.key) == first.label
    assert P5.reframe.trap_label("nope") == "nope"
    assert P5.beyond.label(P5.beyond.categories[-1].key) == P5.beyond.categories[-1].label
    assert P5.beyond.label("nope") == "nope"
    assert set(BY_MATCH) >= {"", "fail", "rejected", "can't"}
    assert len(P5.beyond.categories) == 7
    assert "{before}" in P5.reframe.finished
    assert "{after}" in P5.reframe.finished


def test_there_are_at_least_eight_traps_each_with_a_hint() -> None:
    traps = P5.reframe.traps
    assert len(traps) >= 8
    assert len({t.key for t in traps}) == len(traps)
    for trap in traps:
        assert trap.label.strip(), trap.key
        assert trap.hint.strip(), trap.key


def test_the_detect_phrases_are_findable() -> None:
    # Every phrase, typed on its own, is found as itself: none hides behind a negation or
    # a tokenising surprise.
    for phrase in DETECT.phrases:
        hit = reframe.detect(phrase, DETECT)
        assert hit is not None, phrase
        assert hit.phrase == phrase


def test_an_override_with_six_steps_names_the_file(tmp_path: Path) -> None:
    source = (content.BUILTIN_DIR / "phase5.toml").read_text(encoding="utf-8")
    seventh = re.search(r'\[\[reframe\.steps\]\]\nkey = "rerate"\nlabel = "[^"\n]*"\n', source)
    assert seventh is not None
    folder = tmp_path / "six-steps"
    folder.mkdir()
    path = folder / "phase5.toml"
    path.write_text(source.replace(seventh.group(), "", 1), encoding="utf-8")
    with pytest.raises(content.ContentError) as caught:
        content.load(folder)
    message = str(caught.value)
    assert str(path) in message
    assert "reframe.steps" in message


def test_an_override_replaces_phase5_whole(tmp_path: Path) -> None:
    source = (content.BUILTIN_DIR / "phase5.toml").read_text(encoding="utf-8")
    folder = tmp_path / "ok"
    folder.mkdir()
    path = folder / "phase5.toml"
    path.write_text(
        source.replace(f'title = "{P5.reframe.title}"', 'title = "Think again"', 1),
        encoding="utf-8",
    )
    loaded = content.load(folder)
    assert loaded.phase5.reframe.title == "Think again"
    assert loaded.sources["phase5"] == str(path)
    assert loaded.sources["phase4"] == str(content.BUILTIN_DIR / "phase4.toml")
