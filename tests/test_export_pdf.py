"""The PDF export on real workbooks: empty, demo and heavy, with charts drawn by real Chromium.

Nothing is mocked. The text is read back with poppler's pdftotext where it is installed,
and otherwise with the small reader below (it follows each font's ToUnicode map, so it
reads what a PDF viewer would copy); one test checks the two agree.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import time
import warnings
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from workbook import content, demo
from workbook.exports import Options, Snapshot, build, make
from workbook.exports import pdf as pdf_mod
from workbook.exports.document import WORKSHEETS, Document, Entry, Phase, Worksheet
from workbook.models import RECORD_TYPES, CheckIn, Record
from workbook.navigation import PAGES

NOW = datetime(2026, 3, 14, 15, 30, tzinfo=UTC)
TODAY = NOW.date()
MIXED = "Zürich Ωμέγα Привет 東京 😀 👩🏽‍💻 عربى"


def snapshot_of(records: list[Record]) -> Snapshot:
    return Snapshot({model: [r for r in records if type(r) is model] for model in RECORD_TYPES})


@dataclass
class Built:
    data: bytes
    seconds: float
    calls: list[tuple[float, str]]

    @property
    def text(self) -> str:
        return pdf_text(self.data)


def export(snap: Snapshot, **options: object) -> Built:
    calls: list[tuple[float, str]] = []
    started = time.perf_counter()
    data = make(
        "pdf",
        snap,
        content.load(),
        UTC,
        Options(now=NOW, progress=lambda f, m: calls.append((f, m)), **options),  # type: ignore[arg-type]
    )
    return Built(data, time.perf_counter() - started, calls)


# --- Reading a PDF back -----------------------------------------------------------------


def pages(data: bytes) -> int:
    return len(re.findall(rb"/Type /Page\b(?!s)", data))


def images(data: bytes) -> int:
    return data.count(b"/Subtype /Image")


def _objects(data: bytes) -> dict[int, tuple[bytes, bytes]]:
    """Object number -> (dictionary, stream data inflated if need be)."""
    found: dict[int, tuple[bytes, bytes]] = {}
    for m in re.finditer(rb"(\d+) 0 obj\s*(.*?)\bendobj", data, re.S):
        body = m.group(2)
        head, _, rest = body.partition(b"stream")
        stream = b""
        if rest:
            stream = rest.lstrip(b"\r\n").rsplit(b"endstream", 1)[0]
            if b"FlateDecode" in head:
                stream = zlib.decompress(stream)
        found[int(m.group(1))] = (head, stream)
    return found


def _cmap(stream: bytes) -> dict[int, str]:
    codes: dict[int, str] = {}
    for block in re.findall(rb"beginbfchar(.*?)endbfchar", stream, re.S):
        for src, dst in re.findall(rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", block):
            codes[int(src, 16)] = bytes.fromhex(dst.decode()).decode("utf-16-be")
    for block in re.findall(rb"beginbfrange(.*?)endbfrange", stream, re.S):
        for a, b, dst in re.findall(rb"<(\w+)>\s*<(\w+)>\s*<(\w+)>", block):
            first = ord(bytes.fromhex(dst.decode()).decode("utf-16-be"))
            for n, code in enumerate(range(int(a, 16), int(b, 16) + 1)):
                codes[code] = chr(first + n)
    return codes


_ESCAPES = {b"n": b"\n", b"r": b"\r", b"t": b"\t", b"b": b"\b", b"f": b"\f"}


def _literal(raw: bytes) -> bytes:
    def one(m: re.Match[bytes]) -> bytes:
        code = m.group(1)
        if code[:1].isdigit():
            return bytes([int(code, 8)])
        return _ESCAPES.get(code, code)

    return re.sub(rb"\\([0-7]{1,3}|.)", one, raw, flags=re.S)


def read_text(data: bytes) -> str:
    """The text of a PDF written by fpdf2 with embedded TrueType fonts, line by line."""
    objects = _objects(data)
    maps = {
        num: _cmap(objects[int(m.group(1))][1])
        for num, (head, _) in objects.items()
        if (m := re.search(rb"/ToUnicode (\d+) 0 R", head))
    }
    fonts = {name: maps.get(int(num), {}) for name, num in re.findall(rb"/(F\d+) (\d+) 0 R", data)}
    lines: list[str] = []
    for head, _ in objects.values():
        if not re.search(rb"/Type /Page\b(?!s)", head):
            continue
        contents = re.search(rb"/Contents (\d+) 0 R", head)
        stream = objects[int(contents.group(1))][1] if contents else b""
        font: dict[int, str] = {}
        # One line per text object (BT ... ET); a line may be written in several pieces.
        for block in re.findall(rb"\bBT\b(.*?)\bET\b", stream, re.S):
            line = ""
            for m in re.finditer(rb"/(F\d+) [\d.]+ Tf|\(((?:\\.|[^\\)])*)\) Tj", block, re.S):
                if m.group(1):
                    font = fonts.get(m.group(1), {})
                    continue
                raw = _literal(m.group(2))
                codes = [int.from_bytes(raw[i : i + 2], "big") for i in range(0, len(raw), 2)]
                line += "".join(font.get(c, "\ufffd") for c in codes)
            if line:
                lines.append(line)
    return "\n".join(lines)


def pdf_text(data: bytes) -> str:
    if shutil.which("pdftotext") is None:
        return read_text(data)
    done = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", "-", "-"], input=data, capture_output=True, check=True
    )
    return done.stdout.decode("utf-8")


# --- Workbooks --------------------------------------------------------------------------


@pytest.fixture(scope="module")
def demo_snap() -> Snapshot:
    return snapshot_of(demo.generate(heavy=False, now=NOW))


@pytest.fixture(scope="module")
def demo_pdf(demo_snap: Snapshot) -> Built:
    return export(demo_snap)


@pytest.fixture(scope="module")
def heavy_pdf() -> Built:
    """The heavy workbook's full PDF, built once for every heavy test (it is the slow one)."""
    built = export(snapshot_of(demo.generate(heavy=True, now=NOW)))
    n = pages(built.data)
    print(
        f"\nheavy workbook PDF: {built.seconds:.1f} s, {n} pages, "
        f"{built.seconds / n * 1000:.1f} ms per page, {len(built.data) / 1e6:.1f} MB"
    )
    return built


# --- Empty ------------------------------------------------------------------------------


def test_empty_workbook_says_nothing_is_written_yet() -> None:
    built = export(snapshot_of([]))
    assert built.data.startswith(b"%PDF-")
    assert 2 <= pages(built.data) <= 6
    assert images(built.data) == 0  # no charts of nothing: one calm line instead
    text = built.text
    assert "Nothing is written in this workbook yet" in text
    assert "The charts appear here once there is something to draw." in text
    assert text.count("Nothing written here yet.") == len(WORKSHEETS)
    assert "Where you are" in text
    assert f"Page 2 of {pages(built.data)}" in text
    assert built.calls[-1][0] == 1.0


# --- Demo -------------------------------------------------------------------------------


def test_demo_pdf_has_every_worksheet_the_charts_and_the_persons_words(
    demo_pdf: Built,
) -> None:
    data = demo_pdf.data
    assert data.startswith(b"%PDF-")
    assert data.rstrip().endswith(b"%%EOF")
    n = pages(data)
    assert 10 <= n <= 40
    assert images(data) == 6  # the Progress page's six charts
    text = demo_pdf.text
    for key in WORKSHEETS:
        assert PAGES[key].title in text, key
    for phase in content.load().start.home.phases:
        assert phase.name in text
    assert "Where you are" in text
    assert "Your charts" in text
    # The person's own words, as typed.
    assert "Felt good about the team. Waiting to hear about feedback." in text
    assert "Today was heavier than I expected." in text
    assert f"Page {n} of {n}" in text
    assert "Charts could not be drawn" not in text


def test_heavy_pdf_shows_characters_the_font_lacks_as_a_visible_box(heavy_pdf: Built) -> None:
    text = heavy_pdf.text
    # Its companies include "Société Lumière", "Zürich Data AG" and "株式会社サクラ".
    assert "Société Lumière" in text
    assert "Zürich Data AG" in text
    assert "株式会社サクラ" not in text
    assert "□□□□□□□" in text
    assert "appear as □" in text  # and the title page says why


def test_progress_is_told_forward_from_charts_to_pages_ending_at_one(demo_pdf: Built) -> None:
    fractions = [f for f, _ in demo_pdf.calls]
    assert fractions == sorted(fractions)
    assert len(set(fractions)) == len(fractions)  # strictly forward
    assert 0.0 <= fractions[0] < 0.1
    assert fractions[-1] == 1.0
    messages = [m for _, m in demo_pdf.calls]
    assert all(messages)
    drew = [i for i, m in enumerate(messages) if m.startswith("Drew chart")]
    laid = [i for i, m in enumerate(messages) if m.startswith("Laying out")]
    assert len(drew) == 6
    assert laid
    assert max(drew) < min(laid)  # charts first, then pages


def test_date_range_limits_entries_and_says_so(demo_snap: Snapshot) -> None:
    since, until = TODAY - timedelta(days=6), TODAY - timedelta(days=2)
    built = export(demo_snap, since=since, until=until)
    texts = content.load()
    ranged = build(demo_snap, texts, UTC, since=since, until=until, now=NOW)
    whole = build(demo_snap, texts, UTC, now=NOW)
    assert 0 < ranged.entry_count < whole.entry_count
    text = built.text
    assert f"{ranged.entry_count} entries in" in text
    assert f"from {since.strftime('%d %b %Y')} to {until.strftime('%d %b %Y')}" in text

    def shown(c: CheckIn) -> str:
        return c.felt_at.astimezone(UTC).strftime("%d %b %Y, %H:%M")

    checkins: list[CheckIn] = demo_snap.of(CheckIn)  # type: ignore[assignment]
    inside = [c for c in checkins if since <= c.felt_at.date() <= until]
    outside = [c for c in checkins if not since <= c.felt_at.date() <= until]
    assert inside and outside
    assert all(shown(c) in text for c in inside)
    assert not any(shown(c) in text for c in outside)
    assert images(built.data) == 6


def test_one_worksheet_has_its_own_chart_and_no_summary(demo_snap: Snapshot) -> None:
    built = export(demo_snap, worksheets=("feelings",))
    assert images(built.data) == 1
    text = built.text
    assert "Feelings check-in" in text
    assert "Where you are" not in text
    assert "Rejection log" not in text


# --- Any language, any length -----------------------------------------------------------


def _document(*entries: Entry) -> Document:
    sheet = Worksheet("why", "Why it hurts", list(entries))
    phase = Phase("start", "Getting started", [sheet])
    return Document("Rebound — test", "Exported today", [phase])


def _render(doc: Document) -> bytes:
    # "why" has no chart: these tests are about text only, and start no browser.
    opts = Options(worksheets=("why",), now=NOW)
    return pdf_mod.render(doc, snapshot_of([]), content.load(), UTC, opts)


def test_mixed_languages_never_crash_and_missing_glyphs_show_as_boxes() -> None:
    entry = Entry(MIXED, "14 Mar 2026", [(MIXED, MIXED), ("Notes", f"{MIXED}\n\n{MIXED}")])
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # not even a missing-glyph warning
        data = _render(_document(entry))
    assert data.startswith(b"%PDF-")
    text = pdf_text(data)
    for word in ("Zürich", "Ωμέγα", "Привет"):
        assert text.count(word) >= 4
    assert "□" in text
    assert "東京" not in text
    assert "Some characters" in text  # the title page explains the boxes


def test_printable_turns_each_missing_character_into_one_box() -> None:
    assert pdf_mod.printable("Zürich Ωμέγα Привет") == ("Zürich Ωμέγα Привет", 0)
    assert pdf_mod.printable("東京") == ("□□", 2)
    # A woman technologist with a skin tone is four code points and one picture.
    assert pdf_mod.printable("👩🏽‍💻!") == ("□!", 1)
    assert pdf_mod.printable("a\tb\r\nc") == ("a    b\nc", 0)
    assert pdf_mod.printable("e\u0301") == ("é", 0)  # composed, not a loose accent
    assert pdf_mod.printable("bad \ud800 half") == ("bad □ half", 1)
    assert pdf_mod.printable("bell\x07") == ("bell□", 1)


def test_100_kb_without_a_space_wraps_across_pages() -> None:
    word = "x" * 100_000
    data = _render(_document(Entry(word[:5000], "", [("Notes", word)])))
    assert pages(data) >= 20
    text = pdf_text(data)
    assert "x" * 50 in text
    assert text.count("x") >= 105_000
    # Every line stays within the page: no line is longer than the text width allows.
    longest = max(len(line) for line in read_text(data).splitlines())
    assert longest < 120


def test_the_builtin_reader_agrees_with_pdftotext(demo_pdf: Built) -> None:
    if shutil.which("pdftotext") is None:
        pytest.skip("poppler's pdftotext is not installed here")
    ours = set(read_text(demo_pdf.data).split())
    poppler = set(demo_pdf.text.split())
    assert len(ours) > 200
    assert len(ours ^ poppler) <= len(ours) // 50


# --- When the charts or fonts cannot be had ---------------------------------------------


def test_no_browser_still_gives_the_pdf_with_a_visible_line(
    demo_snap: Snapshot, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("BROWSER_PATH", str(tmp_path / "no-such-chromium"))
    built = export(demo_snap)
    assert built.data.startswith(b"%PDF-")
    assert images(built.data) == 0
    text = " ".join(built.text.split())
    assert "Charts could not be drawn here: the browser named by BROWSER_PATH" in text
    assert "Today was heavier than I expected." in text
    assert built.calls[-1][0] == 1.0


@pytest.mark.filterwarnings("ignore::pytest.PytestUnhandledThreadExceptionWarning")
def test_a_browser_that_dies_at_once_does_not_hang_the_pdf(
    demo_snap: Snapshot, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("BROWSER_PATH", "/bin/false")
    built = export(demo_snap)
    # A hang guard, not a speed target: a dead browser must not leave the person waiting
    # for a minute-long retry loop (the charts are given up on, the PDF still comes).
    assert built.seconds < 30
    assert "Charts could not be drawn here" in built.text
    assert images(built.data) == 0


@pytest.fixture
def no_fonts(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[None]:
    monkeypatch.setattr(pdf_mod, "FONT_DIRS", (tmp_path,))
    pdf_mod.font_files.cache_clear()
    yield
    pdf_mod.font_files.cache_clear()


@pytest.mark.usefixtures("no_fonts")
def test_missing_fonts_name_the_package_to_install() -> None:
    with pytest.raises(pdf_mod.FontMissingError, match="fonts-dejavu-core"):
        _render(_document())


# --- Heavy ------------------------------------------------------------------------------


def test_heavy_workbook_pdf_has_its_charts_pages_and_a_finished_progress_bar(
    heavy_pdf: Built,
) -> None:
    # How long it takes (target < 20 s) is measured by benchmarks/exports.py, not here.
    assert heavy_pdf.data.startswith(b"%PDF-")
    assert 250 <= pages(heavy_pdf.data) <= 700
    assert images(heavy_pdf.data) == 6
    assert [f for f, _ in heavy_pdf.calls][-1] == 1.0


def test_heavy_workbook_pdf_holds_every_entry(heavy_pdf: Built) -> None:
    text = heavy_pdf.text
    n = pages(heavy_pdf.data)
    assert f"Page {n} of {n}" in text
    snap = snapshot_of(demo.generate(heavy=True, now=NOW))
    doc = build(snap, content.load(), UTC, now=NOW)
    assert f"{doc.entry_count:,} entries in" in text
    checkins: list[CheckIn] = snap.of(CheckIn)  # type: ignore[assignment]
    for c in (checkins[0], checkins[len(checkins) // 2], checkins[-1]):
        assert c.felt_at.strftime("%d %b %Y, %H:%M") in text
