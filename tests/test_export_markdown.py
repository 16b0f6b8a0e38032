"""Markdown export: headings per phase and worksheet, entries, dates, ranges, escaping.

Workbooks are real files (built with ``add_many`` in a temporary folder) read back through
``exports.snapshot_of``, exactly as the Export page and the command line read them.

Escaping is judged on what a reader sees. With a CommonMark renderer in the venv
(``markdown_it``) the document is rendered and its visible text compared; without one the
escaped forms are read back by the CommonMark rules that matter here: a backslash before
ASCII punctuation shows that character literally, and text whose punctuation is all
escaped holds no markup at all.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any, TypeVar

import pytest

from workbook import config, content, demo, exports, timefmt
from workbook.exports.document import PHASE_OF, WORKSHEETS, Snapshot
from workbook.models import (
    RECORD_TYPES,
    AvoidPledge,
    CheckIn,
    OutletEntry,
    Record,
    Rejection,
    Review,
    SelfTalk,
    UnsentDraft,
    Urge,
    Win,
)
from workbook.navigation import PAGES
from workbook.repository import Workbook

try:  # a CommonMark renderer, when the venv has one
    from markdown_it import MarkdownIt
except ImportError:  # pragma: no cover - depends on the environment
    MarkdownIt = None

NOW = datetime(2026, 3, 10, 12, 0, tzinfo=UTC)
TEXTS = content.load(None)
R = TypeVar("R", bound=Record)
EMPTY = "*Nothing written here yet.*"
PUNCTUATION = r"!\"#$%&'()*+,\-./:;<=>?@\[\\\]^_`{|}~"

# One line each: markdown, HTML, LaTeX, Streamlit colour and emoji syntax, scripts.
HOSTILE_LINES = [
    "<script>alert(1)</script> <b>bold</b>",
    "**bold** _it_ `code` ~~gone~~",
    "$x$ and $$y^2$$",
    ":red[hi] :smile: :material/home:",
    "😢 👩🏽‍💻 🇯🇵 emoji",
    "שלום עולם — مرحبا بالعالم",
    "# not a heading",
    "- not a list",
    "1. not a list either",
    "> not a quote",
    "[a link](http://example.com) <http://example.com>",
    "&amp; &#169; &copy;",
    "| a | b |",
    "trailing backslash \\",
    "Acme_Corp *and* Kestrel & Co",
]
MULTI = "line one\nline two\n\nline four"
HOSTILE_MULTI = "# heading\n- item\n1. one\n> quote\n<b>html</b> $x$ :red[x]\n\n😢 שלום"


def stored(model: type[R], **data: Any) -> R:
    """A record as read back from the file: rules about "now" are not judged again."""
    return model.model_validate(data, context={"stored": True})


def workbook_snapshot(folder: Path, records: list[Record]) -> Snapshot:
    wb = Workbook(config.workbook_path(folder))
    if records:
        wb.add_many(records)
    return exports.snapshot_of(wb)


def markdown(snap: Snapshot, tz: Any = UTC, **options: Any) -> str:
    data = exports.make("md", snap, TEXTS, tz, exports.Options(now=NOW, **options))
    return data.decode("utf-8")


def read_back(fragment: str) -> str:
    """The text a CommonMark reader shows for ``fragment``; fails if it holds any markup.

    Every ASCII punctuation character must be backslash-escaped (so none starts markup,
    HTML, an entity, LaTeX, a colour or an emoji shortcode); the escapes are then undone.
    """
    bare = re.sub(rf"\\[{PUNCTUATION}]", "", fragment)
    loose = re.findall(rf"[{PUNCTUATION}]", bare)
    assert not loose, f"unescaped {loose} in {fragment!r}"
    assert not fragment.startswith(("    ", "\t")), f"indented (code) in {fragment!r}"
    return re.sub(rf"\\([{PUNCTUATION}])", r"\1", fragment)


def visible(md: str) -> list[str]:
    """Rendered blocks as a reader sees them (needs ``markdown_it``).

    Markup a person's text must never create is marked: raw HTML, links, code blocks.
    Soft line breaks show as a space, hard ones as a new line.
    """
    assert MarkdownIt is not None
    blocks: list[str] = []
    for token in MarkdownIt("commonmark").parse(md):
        if token.type == "inline":
            parts: list[str] = []
            for child in token.children or []:
                if child.type in ("text", "code_inline"):
                    parts.append(child.content if child.type == "text" else "«code»")
                elif child.type == "softbreak":
                    parts.append(" ")
                elif child.type == "hardbreak":
                    parts.append("\n")
                elif child.type in ("html_inline", "link_open", "image"):
                    parts.append(f"«{child.type}»")
            blocks.append("".join(parts))
        elif token.type in ("code_block", "fence"):
            blocks.append("«code»" + token.content)
        elif token.type == "html_block":
            blocks.append("«html_block»")
    return blocks


def headings(md: str, level: int) -> list[str]:
    mark = "#" * level + " "
    return [line[len(mark) :] for line in md.splitlines() if line.startswith(mark)]


def sections(md: str) -> dict[str, str]:
    """Each worksheet's part of the document, by its (escaped) heading."""
    parts = re.split(r"^### (.*)$", md, flags=re.MULTILINE)
    pairs = zip(parts[1::2], parts[2::2], strict=True)
    return {title: body.split("\n## ")[0] for title, body in pairs}


def esc(text: str) -> str:
    return re.sub(rf"([{PUNCTUATION}])", r"\\\1", text)


def quote_after(md: str, label: str) -> list[str]:
    """The quote block under the bold ``label`` (a multi-line answer), line by line."""
    lines = md.splitlines()
    at = next(i for i, line in enumerate(lines) if line.startswith(f"**{label}"))
    assert lines[at + 1] == "", lines[at : at + 3]
    block: list[str] = []
    for line in lines[at + 2 :]:
        if not line.startswith(">"):
            break
        block.append(line)
    return block


def total_records(snap: Snapshot) -> int:
    return sum(len(snap.of(model)) for model in RECORD_TYPES)


# -- the three workbooks ----------------------------------------------------------------
RECORDS = {
    "empty": lambda: [],
    "demo": lambda: demo.generate(heavy=False, now=NOW),
    "heavy": lambda: demo.generate(heavy=True, now=NOW),
}


@pytest.fixture(scope="module", params=list(RECORDS))
def case(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator:
    folder = tmp_path_factory.mktemp(f"md-{request.param}")
    snap = workbook_snapshot(folder, RECORDS[request.param]())
    yield request.param, snap, markdown(snap)


@pytest.fixture(scope="module")
def demo_snap(tmp_path_factory: pytest.TempPathFactory) -> Snapshot:
    records = demo.generate(heavy=False, now=NOW)
    return workbook_snapshot(tmp_path_factory.mktemp("md-demo"), records)


def test_every_record_type_belongs_to_one_worksheet() -> None:
    placed = [model for models in WORKSHEETS.values() for model in models]
    assert sorted(placed, key=RECORD_TYPES.index) == list(RECORD_TYPES)
    assert list(PHASE_OF) == list(WORKSHEETS)


def test_phases_and_worksheets_in_the_workbook_order(case) -> None:
    name, _, md = case
    assert md.startswith("# Rebound — my workbook\n\n*Exported 10 Mar 2026, 12:00*\n")
    phase_names = {p.key: p.name for p in TEXTS.start.home.phases} | {"start": "Getting started"}
    expected: list[str] = []
    for key in WORKSHEETS:
        phase = phase_names[PHASE_OF[key]]
        if f"## {esc(phase)}" not in expected:
            expected.append(f"## {esc(phase)}")
        expected.append(f"### {esc(PAGES[key].title)}")
    shown = [line for line in md.splitlines() if re.match(r"#{2,3} ", line)]
    assert shown == expected, name
    assert headings(md, 2)[0] == "Getting started"
    assert headings(md, 2)[-1] == "Long\\-term resilience"


def test_every_worksheet_shows_its_entries_or_says_it_is_empty(case) -> None:
    name, snap, md = case
    parts = sections(md)
    assert len(parts) == len(WORKSHEETS)
    for key, models in WORKSHEETS.items():
        body = parts[esc(PAGES[key].title)]
        count = sum(len(snap.of(model)) for model in models)
        assert body.count("\n#### ") == count, (name, key)
        assert (EMPTY in body) == (count == 0), (name, key)
    assert md.count("\n#### ") == total_records(snap)
    if name == "empty":
        assert md.count(EMPTY) == len(WORKSHEETS)
    else:
        assert md.count(EMPTY) < len(WORKSHEETS)


@pytest.mark.parametrize("key", list(WORKSHEETS))
def test_one_worksheet_only(demo_snap: Snapshot, key: str) -> None:
    md = markdown(demo_snap, worksheets=(key,))
    title = PAGES[key].title
    assert md.splitlines()[0] == f"# Rebound — {esc(title)}"
    assert headings(md, 3) == [esc(title)]
    phase = {p.key: p.name for p in TEXTS.start.home.phases}.get(PHASE_OF[key], "Getting started")
    assert headings(md, 2) == [esc(phase)]
    count = sum(len(demo_snap.of(model)) for model in WORKSHEETS[key])
    assert md.count("\n#### ") == count
    assert (EMPTY in md) == (count == 0)


def test_one_worksheet_on_every_workbook(case) -> None:
    _, snap, _ = case
    md = markdown(snap, worksheets=("wins",))
    assert md.startswith("# Rebound — Small wins\n")
    assert headings(md, 2) == ["Rebuilding confidence"]
    assert headings(md, 3) == ["Small wins"]
    assert len(headings(md, 4)) == len(snap.of(Win))
    # and the whole-workbook export holds the same entries under that heading
    assert sections(markdown(snap))["Small wins"].strip() == sections(md)["Small wins"].strip()


def test_review_answers_appear_under_their_prompts(tmp_path: Path) -> None:
    rejection = stored(Rejection, company="Northwind", role="Analyst", rejected_at=NOW)
    answers = {p.key: f"Answer to {p.key}." for p in TEXTS.phase2.review.prompts}
    answers["fit"] = ""  # an empty answer is left out
    review = stored(Review, rejection_id=rejection.id, answers=answers, finished=True)
    md = markdown(workbook_snapshot(tmp_path, [rejection, review]))
    body = sections(md)["Clear\\-head review"]
    assert "#### Northwind — Analyst — " in body
    shown = [line for line in body.splitlines() if line.startswith("- **")]
    expected = [
        f"- **{p.label}** {esc(f'Answer to {p.key}.')}"
        for p in TEXTS.phase2.review.prompts
        if p.key != "fit"
    ]
    assert shown == [*expected, "- **Finished:** yes"]
    fit = next(p.label for p in TEXTS.phase2.review.prompts if p.key == "fit")
    assert fit not in md


def test_review_answers_follow_the_prompt_order_whatever_the_stored_order(
    tmp_path: Path,
) -> None:
    prompts = TEXTS.phase2.review.prompts
    answers = {p.key: f"Answer to {p.key}." for p in reversed(prompts)}
    review = stored(Review, answers=answers)
    md = markdown(workbook_snapshot(tmp_path, [review]))
    shown = [line for line in md.splitlines() if line.startswith("- **")]
    assert shown == [f"- **{p.label}** {esc(f'Answer to {p.key}.')}" for p in prompts]


def test_dates_are_shown_in_the_time_zone(tmp_path: Path) -> None:
    rejection = stored(
        Rejection,
        company="Northwind",
        role="Analyst",
        applied_on=date(2026, 2, 1),
        rejected_at=datetime(2026, 3, 2, 23, 30, tzinfo=UTC),
    )
    win = stored(Win, text="Finished the course", won_on=date(2026, 3, 1))
    snap = workbook_snapshot(tmp_path, [rejection, win])
    berlin = timefmt.zone("Europe/Berlin")
    md = markdown(snap, berlin)
    assert "#### Northwind — 03 Mar 2026, 00:30" in md  # the person's own day and hour
    assert "- **Applied on:** 01 Feb 2026" in md
    assert "#### Finished the course — 01 Mar 2026" in md
    assert "*Exported 10 Mar 2026, 13:00*" in md
    assert "#### Northwind — 02 Mar 2026, 23:30" in markdown(snap)


def test_the_date_range_keeps_only_entries_in_range(tmp_path: Path) -> None:
    wins = [stored(Win, text=f"Win {day}", won_on=date(2026, 3, day)) for day in (1, 5, 9)]
    # 23:30 UTC on the 4th is already the 5th in Berlin: the person's day decides.
    moment = datetime(2026, 3, 4, 23, 30, tzinfo=UTC)
    late = stored(Rejection, company="Late", role="Analyst", rejected_at=moment)
    snap = workbook_snapshot(tmp_path, [*wins, late])
    berlin = timefmt.zone("Europe/Berlin")

    def titles(md: str) -> list[str]:
        return [h.split(" — ")[0] for h in headings(md, 4)]

    md = markdown(snap, berlin, since=date(2026, 3, 5), until=date(2026, 3, 5))
    assert headings(md, 4) == ["Late — 05 Mar 2026, 00:30", "Win 5 — 05 Mar 2026"]
    assert "entries from 2026-03-05 to 2026-03-05" in md.splitlines()[2]
    md = markdown(snap, UTC, since=date(2026, 3, 5), until=date(2026, 3, 5))
    assert headings(md, 4) == ["Win 5 — 05 Mar 2026"]
    md = markdown(snap, UTC, since=date(2026, 3, 5))
    assert titles(md) == ["Win 5", "Win 9"]
    assert "entries from 2026-03-05 to today" in md
    md = markdown(snap, UTC, until=date(2026, 3, 4))
    assert titles(md) == ["Late", "Win 1"]
    assert "entries from the start to 2026-03-04" in md
    md = markdown(snap, UTC, since=date(2026, 3, 6), until=date(2026, 3, 8))
    assert titles(md) == []
    # every worksheet is still there, the empty ones say so
    assert len(headings(md, 3)) == len(WORKSHEETS)
    assert md.count(EMPTY) == len(WORKSHEETS)
    assert titles(markdown(snap)) == ["Late", "Win 1", "Win 5", "Win 9"]


def test_the_date_range_on_the_heavy_workbook(case) -> None:
    name, snap, whole = case
    since, until = date(2025, 6, 1), date(2025, 8, 31)
    md = markdown(snap, since=since, until=until)
    days = [
        datetime.strptime(m, "%d %b %Y").date()
        for m in re.findall(r"^#### .* — (\d\d \w\w\w \d{4})", md, flags=re.MULTILINE)
    ]
    assert len(days) == md.count("\n#### ")
    assert all(since <= day <= until for day in days), [d for d in days if not since <= d <= until]
    if name == "heavy":
        assert 0 < len(days) < whole.count("\n#### ")
    if name == "empty":
        assert md.count(EMPTY) == len(WORKSHEETS)


def test_entries_of_a_worksheet_are_in_date_order(case) -> None:
    _, snap, md = case
    days = [
        datetime.strptime(m, "%d %b %Y").date()
        for m in re.findall(r"^#### .* — (\d\d \w\w\w \d{4})$", sections(md)["Small wins"], re.M)
    ]
    assert len(days) == len(snap.of(Win))
    assert days == sorted(days)


# -- the person's words, exactly --------------------------------------------------------
@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> str:
    records: list[Record] = []
    for n, text in enumerate(HOSTILE_LINES):
        records.append(stored(Win, text=text, won_on=date(2026, 3, 1), category="w"))
        records.append(
            stored(
                Rejection,
                company=text,
                role="Analyst",
                notes=text,
                rejected_at=datetime(2026, 2, 1, n, tzinfo=UTC),
            )
        )
    owner = stored(Rejection, company="Acme", role="Analyst", rejected_at=NOW)
    records += [
        owner,
        stored(UnsentDraft, rejection_id=owner.id, body=MULTI),
        stored(UnsentDraft, rejection_id=owner.id, addressed_to="The team", body=HOSTILE_MULTI),
        stored(CheckIn, intensity=3, emotions=["Sad"], journal=HOSTILE_MULTI, felt_at=NOW),
        stored(Review, rejection_id=owner.id, answers={"went_well": MULTI}),
    ]
    return markdown(workbook_snapshot(tmp_path_factory.mktemp("md-hostile"), records))


def test_hostile_one_line_text_reads_back_exactly(hostile: str) -> None:
    if MarkdownIt is not None:
        blocks = visible(hostile)
        for text in HOSTILE_LINES:
            assert f"{text} — 01 Mar 2026" in blocks, text  # a win's heading
            assert f"Notes: {text}" in blocks, text  # a field
            assert "Category: w" in blocks
        return
    titles = [read_back(h.rsplit(" — ", 1)[0]) for h in headings(hostile, 4)]
    notes = [
        read_back(line.removeprefix("- **Notes:** "))
        for line in hostile.splitlines()
        if line.startswith("- **Notes:** ")
    ]
    for text in HOSTILE_LINES:
        assert titles.count(text) == 2, text  # the win, and the rejection's heading
        assert notes.count(text) == 1, text
    assert "<script>" not in hostile and "<b>" not in hostile and "$x$" not in hostile


def test_read_back_catches_markup() -> None:
    # The fallback check itself: raw text with markup in it is refused.
    for raw in ["**bold**", "<b>x</b>", "$x$", ":red[x]", "&amp;", "    code"]:
        with pytest.raises(AssertionError):
            read_back(raw)
    assert read_back(esc("**bold** $x$")) == "**bold** $x$"


def test_multi_line_text_becomes_a_quote_block_keeping_every_line(hostile: str) -> None:
    for label, text in (("The draft:", MULTI), ("Journal:", HOSTILE_MULTI)):
        block = quote_after(hostile, label)
        assert all(line == ">" or line.startswith("> ") for line in block), block
        shown = ["" if line == ">" else read_back(line[2:].rstrip(" ")) for line in block]
        assert shown == text.split("\n"), label
    drafts = [line for line in hostile.splitlines() if line == "**The draft:**"]
    assert len(drafts) == 2
    block = quote_after(hostile, "What went well?")
    assert ["" if line == ">" else line[2:].rstrip(" ") for line in block] == MULTI.split("\n")


def test_windows_line_breaks_are_kept_as_lines(tmp_path: Path) -> None:
    draft = stored(UnsentDraft, body="first\r\nsecond\r\n\r\nthird")
    md = markdown(workbook_snapshot(tmp_path, [draft]))
    block = quote_after(md, "The draft:")
    assert [line.rstrip(" \\") for line in block] == ["> first", "> second", ">", "> third"]
    assert "\r" not in md


def test_multi_line_text_keeps_its_line_breaks_when_rendered(hostile: str) -> None:
    if MarkdownIt is not None:
        blocks = visible(hostile)
        assert "line one\nline two" in blocks
        assert "line four" in blocks
        return
    block = quote_after(hostile, "The draft:")
    for line, after in itertools.pairwise(block):
        if line != ">" and after != ">":  # two lines of one paragraph
            assert line.endswith(("  ", "\\")), (line, after)


def test_indented_lines_of_multi_line_text_are_not_code(tmp_path: Path) -> None:
    draft = stored(UnsentDraft, body="Steps:\n\n    1. call Sam\n\tthen rest.")
    md = markdown(workbook_snapshot(tmp_path, [draft]))
    if MarkdownIt is not None:
        assert not any(block.startswith("«code»") for block in visible(md))
        return
    for line in quote_after(md, "The draft:"):
        # after the marker and its one optional space, 4 columns of indent make code
        inner = line[1:].removeprefix(" ").expandtabs(4)
        assert not inner.startswith("    "), line


def test_a_multi_line_title_stays_in_its_heading(tmp_path: Path) -> None:
    talk = stored(SelfTalk, sentence="This is hard.\nAnd I will get through it.")
    md = markdown(workbook_snapshot(tmp_path, [talk]))
    heading = next(line for line in md.splitlines() if line.startswith("#### This is hard"))
    assert "get through it" in heading
    assert heading.endswith(" — " + talk.created_at.strftime("%d %b %Y, %H:%M"))


def test_the_label_of_a_multi_line_answer_is_its_own_paragraph(hostile: str) -> None:
    lines = hostile.splitlines()
    for at, line in enumerate(lines):
        if line.startswith("**") and line.endswith(":**"):
            assert lines[at - 1] == "", lines[at - 1 : at + 1]


def test_a_question_label_gets_no_colon(hostile: str) -> None:
    assert "**What went well?**" in hostile
    assert "?:**" not in hostile


def test_outlets_are_named_as_the_worksheet_names_them(tmp_path: Path) -> None:
    outlet = stored(OutletEntry, outlet="self_care", done_at=NOW)
    md = markdown(workbook_snapshot(tmp_path, [outlet]))
    assert "#### Did something kind for myself — 10 Mar 2026, 12:00" in md
    assert "self\\_care" not in md


def test_avoid_items_are_named_as_the_worksheet_names_them(tmp_path: Path) -> None:
    pledge = stored(AvoidPledge, items=["angry_reply", "big_decisions"])
    urge = stored(Urge, item="angry_reply", urge="Wanted to write back.", noted_at=NOW)
    md = markdown(workbook_snapshot(tmp_path, [pledge, urge]))
    label = TEXTS.phase1.avoid.label
    assert esc(label("angry_reply")) in md and esc(label("big_decisions")) in md
    assert "angry\\_reply" not in md and "big\\_decisions" not in md


def test_every_record_has_its_own_heading(case) -> None:
    # Its speed is measured by benchmarks/exports.py (a ratio to json.dumps), not here.
    name, snap, _ = case
    data = exports.make("md", snap, TEXTS, UTC, exports.Options(now=NOW))
    assert data.decode("utf-8").count("\n#### ") == total_records(snap)
    if name == "heavy":
        assert len(data) > 100_000
