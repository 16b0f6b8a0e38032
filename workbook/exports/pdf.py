"""PDF export: the workbook's document laid out to print, with the progress charts as images.

    data = pdf.render(doc, snap, texts, tz, opts)

The report opens with a title page and a short "Where you are" per phase, then the six
charts of the Progress page (drawn by Plotly through kaleido in one warm Chromium, within
the chosen date range), then every phase, worksheet and entry of ``doc``: the same
content as the Markdown export. Pages are numbered "Page N of M".

Text in any language never breaks it: DejaVu Sans (Debian's fonts-dejavu-core) covers
Latin, Cyrillic, Greek and many symbols; every character it lacks (CJK, emoji) is shown
as a visible "□" and the title page says so. Lines are broken here rather than by
fpdf2's ``multi_cell``, whose line breaking costs a few milliseconds a line and made the
heavy workbook take half a minute.
"""

from __future__ import annotations

import contextlib
import io
import os
import queue
import re
import shutil
import threading
import time
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, tzinfo
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar, cast

from fpdf import FPDF

from workbook import channels, charts, patterns, progress, skills, textsafe, timefmt, wins
from workbook.content import Content
from workbook.exports.document import Document, Entry, Phase, Snapshot, Worksheet
from workbook.models import (
    ChannelAction,
    CheckIn,
    Record,
    Rejection,
    Skill,
    ThoughtRecord,
    Win,
)
from workbook.navigation import PAGES

if TYPE_CHECKING:
    import plotly.graph_objects as go

    from workbook.exports import Options

# Where Debian (and a few other systems) keep DejaVu Sans.
FONT_DIRS = (
    Path("/usr/share/fonts/truetype/dejavu"),
    Path("/usr/share/fonts/dejavu"),
    Path("/usr/share/fonts/TTF"),
    Path("/usr/local/share/fonts/dejavu"),
    Path("/Library/Fonts"),
)
FONT_FILES = {"": "DejaVuSans.ttf", "B": "DejaVuSans-Bold.ttf", "I": "DejaVuSans-Oblique.ttf"}
FAMILY = "DejaVu"
MISSING = "□"  # shown for a character the font has no glyph for; DejaVu has this one
CHROMIUM = "/usr/bin/chromium"  # Debian's; kaleido's choreographer reads BROWSER_PATH

# Page geometry, in millimetres (A4).
MARGIN = 18.0
LABEL_W = 50.0  # the field labels' column
GAP = 4.0
LINE = 5.0  # one line of 10 pt text
SMALL_LINE = 4.4  # one line of 9 pt text
FIELD_GAP = 1.5

INK = (17, 21, 24)
GREY = (90, 98, 101)
RULE = (205, 210, 212)
ACCENT = (47, 111, 106)  # charts.ACCENT, so the report matches the app

# Charts: drawn this many CSS pixels wide, at this scale; placed across the text width.
CHART_PX = 900
CHART_SCALE = 1.6  # about 200 dpi on paper: sharp in print, and a fraction of a second each
FIRST_CHART_SECONDS = 90.0  # includes starting Chromium
CHART_SECONDS = 45.0

Tell = Callable[[float, str], None]
R = TypeVar("R", bound=Record)


class FontMissingError(RuntimeError):
    """DejaVu Sans is not installed (Debian: ``apt-get install fonts-dejavu-core``)."""


@cache
def font_files() -> dict[str, Path]:
    """The regular, bold and oblique DejaVu Sans files, by fpdf2 style."""
    for folder in FONT_DIRS:
        found = {style: folder / name for style, name in FONT_FILES.items()}
        if all(path.is_file() for path in found.values()):
            return found
    raise FontMissingError(
        "The PDF needs the DejaVu Sans fonts, which were not found in "
        + ", ".join(str(d) for d in FONT_DIRS)
        + ". On Debian or Ubuntu install them with: apt-get install fonts-dejavu-core"
    )


# Characters that only modify the one before them (emoji presentation, skin tones,
# zero-width joiners, flag tags): part of the same "□", never a "□" of their own.
_GLUE = "\u200d\ufe0e\ufe0f\u20e3\U0001f3fb-\U0001f3ff\U000e0020-\U000e007f"


@cache
def _patterns() -> tuple[re.Pattern[str], re.Pattern[str]]:
    """(what the font cannot show, stray modifiers), built once from the fonts' cmaps."""
    from fontTools.ttLib import TTFont

    files = font_files()
    # Regular and bold carry the person's words; the oblique is only used for the app's own.
    with TTFont(files[""], lazy=True) as regular, TTFont(files["B"], lazy=True) as bold:
        covered = set(regular.getBestCmap()) & set(bold.getBestCmap())
    covered = {c for c in covered if unicodedata.category(chr(c)) != "Cc"} | {ord("\n")}
    ranges: list[str] = []
    start = 0
    for code in [*sorted(covered), 0x110000]:
        if code > start:
            last = code - 1
            ranges.append(f"\\U{start:08x}" if last == start else f"\\U{start:08x}-\\U{last:08x}")
        start = code + 1
    lacking = "[" + "".join(ranges) + "]"
    glue = f"[{_GLUE}]"
    return re.compile(f"{lacking}(?:{glue}+{lacking}?)*"), re.compile(glue)


def printable(text: str) -> tuple[str, int]:
    """``text`` with every character the font lacks shown as "□"; and how many there were.

    A character with its modifiers (a skin tone, a joined emoji) becomes one "□".
    """
    if text.isascii() and text.isprintable():
        return text, 0
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\t", "    ")
    text = unicodedata.normalize("NFC", text)
    lacking, glue = _patterns()
    text, count = lacking.subn(MISSING, text)
    return glue.sub("", text), count


def _clean_document(doc: Document) -> tuple[Document, int]:
    """The document with every string made printable, and how many characters were lost."""
    lost = 0

    def clean(text: str) -> str:
        nonlocal lost
        shown, count = printable(text)
        lost += count
        return shown

    phases = [
        Phase(
            phase.key,
            clean(phase.title),
            [
                Worksheet(
                    sheet.key,
                    clean(sheet.title),
                    [
                        Entry(
                            clean(entry.title),
                            clean(entry.when),
                            [(clean(label), clean(value)) for label, value in entry.fields],
                        )
                        for entry in sheet.entries
                    ],
                )
                for sheet in phase.worksheets
            ],
        )
        for phase in doc.phases
    ]
    return replace(doc, title=clean(doc.title), subtitle=clean(doc.subtitle), phases=phases), lost


# --- Charts -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Chart:
    worksheet: str  # the page key the chart belongs to (a one-worksheet PDF shows its own)
    figure: go.Figure


def figures(
    snap: Snapshot,
    texts: Content,
    tz: tzinfo,
    today: date,
    since: date | None = None,
    until: date | None = None,
) -> list[Chart]:
    """The Progress page's six charts; check-ins, wins and thought records within the days."""

    def within(day: date) -> bool:
        return (since is None or day >= since) and (until is None or day <= until)

    checkins = [c for c in _of(snap, CheckIn) if within(c.felt_at.astimezone(tz).date())]
    logged = [w for w in _of(snap, Win) if within(w.won_on)]
    thoughts = [t for t in _of(snap, ThoughtRecord) if within(t.created_at.astimezone(tz).date())]
    # The dashboard shows the last 26 weeks; a chosen range shows its own weeks.
    end = min(until, today) if until else today
    weeks = 26
    if since is not None:
        weeks = max(1, (wins.week_start(end) - wins.week_start(since)).days // 7 + 1)
    rejections = _of(snap, Rejection)
    stages = {
        texts.rejections.stage_label(s): n for s, n in patterns.stage_counts(rejections).items()
    }
    ch = texts.phase4.channels
    labels = {i.key: i.label for i in ch.items}
    mix = channels.mix(
        _of(snap, ChannelAction), labels, rejections, ch.online_from_log, ch.online_label
    )
    plan = skills.in_order(_of(snap, Skill), today)
    too_few = texts.phase2.patterns.too_few.format(count=len(rejections))
    sk = texts.phase3.skills
    return [
        Chart("feelings", charts.mood_by_week(checkins, tz, texts.phase1.feelings.empty)),
        Chart(
            "wins",
            charts.wins_per_week(wins.per_week(logged, end, weeks), texts.phase3.wins.chart_empty),
        ),
        Chart("rejections", charts.stages_chart(stages, too_few)),
        Chart("skills", charts.skills_timeline(plan, today, sk.chart_empty, sk.statuses)),
        Chart("channels", charts.channel_mix(mix, ch.chart_empty)),
        Chart("reframe", charts.before_after(thoughts, texts.phase5.reframe.empty_history)),
    ]


def _of(snap: Snapshot, model: type[R]) -> list[R]:
    return cast("list[R]", snap.of(model))


def _browser() -> tuple[str | None, str]:
    """(Chromium's path, "") or (None, why there is none). Sets BROWSER_PATH for kaleido."""
    chosen = os.environ.get("BROWSER_PATH")
    if chosen:
        if Path(chosen).is_file():
            return chosen, ""
        return None, f"the browser named by BROWSER_PATH ({chosen}) does not exist"
    for candidate in (CHROMIUM, *(shutil.which(n) for n in ("chromium", "chromium-browser"))):
        if candidate and Path(candidate).is_file():
            os.environ["BROWSER_PATH"] = candidate
            return candidate, ""
    return None, "no Chromium browser was found (on Debian: apt-get install chromium)"


def _size(figure: go.Figure) -> tuple[int, int]:
    return CHART_PX, int(figure.layout.height or 400)


# kaleido's sync server is one per process: two reports at once (two browser tabs) take turns.
_SERVER_LOCK = threading.Lock()


def _render_all(kaleido: Any, figs: Sequence[go.Figure], out: queue.Queue[Any]) -> None:
    # Runs in its own thread: if Chromium dies at start, kaleido's server thread ends and
    # a call would wait forever; the report waits on ``out`` with a timeout instead.
    try:
        # One browser for the whole report; no MathJax (it would be fetched from a CDN,
        # and it is what makes a first chart take seconds).
        kaleido.start_sync_server(mathjax=False, timeout=CHART_SECONDS, silence_warnings=True)
        for figure in figs:
            width, height = _size(figure)
            opts = {"format": "png", "width": width, "height": height, "scale": CHART_SCALE}
            out.put(("image", kaleido.calc_fig_sync(figure, opts=opts)))
    except Exception as exc:
        out.put(("error", exc))
    finally:
        kaleido.stop_sync_server(silence_warnings=True)


def draw(figs: Sequence[go.Figure], tell: Callable[[int], None] | None = None) -> list[bytes]:
    """Each figure as PNG, in one warm Chromium. Raises ``ChartsUnavailable`` with the reason."""
    path, why = _browser()
    if path is None:
        raise ChartsUnavailable(why)
    try:
        import kaleido
    except ImportError as exc:  # an install without the charts' extra
        raise ChartsUnavailable(f"kaleido is not installed ({exc})") from exc
    for figure in figs:
        # White rather than transparent: smaller images, and no soft mask for the printer.
        figure.layout.paper_bgcolor = "#FFFFFF"
    with _SERVER_LOCK:
        out: queue.Queue[Any] = queue.Queue()
        worker = threading.Thread(target=_render_all, args=(kaleido, list(figs), out), daemon=True)
        worker.start()
        images: list[bytes] = []
        while len(images) < len(figs):
            limit = time.monotonic() + (CHART_SECONDS if images else FIRST_CHART_SECONDS)
            kind, value = _next(out, kaleido, worker, limit)
            if kind == "error":
                raise ChartsUnavailable(_reason(value)) from value
            images.append(value)
            if tell:
                tell(len(images))
        worker.join(timeout=CHART_SECONDS)
    return images


def _next(out: queue.Queue[Any], kaleido: Any, worker: threading.Thread, limit: float) -> Any:
    """The worker's next message; gives up when the browser died or ``limit`` passed."""
    while True:
        try:
            return out.get(timeout=0.2)
        except queue.Empty:
            pass
        # kaleido's server thread ends when Chromium fails to start, and then nothing
        # would ever answer: notice that rather than wait for the time limit.
        server = getattr(getattr(kaleido, "_global_server", None), "_thread", None)
        died = not worker.is_alive() or (server is not None and not server.is_alive())
        if died or time.monotonic() > limit:
            with contextlib.suppress(Exception):  # the server is gone either way
                kaleido.stop_sync_server(silence_warnings=True)
            if died and out.empty():
                raise ChartsUnavailable("the browser stopped as soon as it started")
            if not died:
                raise ChartsUnavailable("the browser did not answer in time")


class ChartsUnavailable(RuntimeError):
    """The charts could not be drawn; the message says why, in a few words."""


def _reason(exc: BaseException) -> str:
    text = " ".join(str(exc).split()) or type(exc).__name__
    return text if len(text) <= 200 else text[:199] + "…"


# --- Layout -----------------------------------------------------------------------------


class _Report(FPDF):
    """A4 pages, DejaVu Sans, a footer with the page number; lines broken here."""

    def __init__(self, title: str) -> None:
        super().__init__(orientation="P", unit="mm", format="A4")
        self.running_title = title
        self.set_margins(MARGIN, MARGIN, MARGIN)
        self.set_auto_page_break(True, margin=MARGIN)
        self.c_margin = 0  # text starts exactly where a line is placed
        for style, path in font_files().items():
            self.add_font(FAMILY, style, str(path))
        self.alias_nb_pages()
        self.set_title(title)
        self.set_creator("Rebound")
        self.width = self.w - 2 * MARGIN

    def footer(self) -> None:
        if self.page_no() == 1:
            return  # the title page
        self.set_y(-12)
        self.style(8, "", GREY)
        title = textsafe.preview(self.running_title, 70)
        self.cell(0, 4, f"{title}  ·  Page {self.page_no()} of {{nb}}", align="C")

    def style(self, size: float, weight: str = "", color: tuple[int, int, int] = INK) -> None:
        self.set_font(FAMILY, weight, size)
        self.set_text_color(*color)

    def room(self) -> float:
        return self.page_break_trigger - self.y

    def need(self, height: float) -> None:
        """Start a new page unless ``height`` fits on this one."""
        if self.room() < height:
            self.add_page()

    # Line breaking: greedy, on spaces, with words longer than a line cut between characters.
    def wrap(self, text: str, width: float) -> list[str]:
        widths = self.current_font.cw
        per_unit = self.font_size_pt * 0.001 / self.k

        def measure(s: str) -> float:
            return sum(map(widths.__getitem__, map(ord, s))) * per_unit

        space = measure(" ")
        lines: list[str] = []
        for paragraph in text.split("\n"):
            if measure(paragraph) <= width:
                lines.append(paragraph)
                continue
            line: list[str] = []
            used = 0.0
            for word in paragraph.split(" "):
                size = measure(word)
                if line and used + space + size <= width:
                    line.append(word)
                    used += space + size
                    continue
                if line:
                    lines.append(" ".join(line))
                    line, used = [], 0.0
                if size <= width:
                    line, used = [word], size
                    continue
                # A word wider than the line: as many characters as fit, line by line.
                piece: list[str] = []
                used = 0.0
                for char in word:
                    w = widths[ord(char)] * per_unit
                    if piece and used + w > width:
                        lines.append("".join(piece))
                        piece, used = [], 0.0
                    piece.append(char)
                    used += w
                line = ["".join(piece)] if piece else []
            if line:
                lines.append(" ".join(line))
        return lines

    def lines(self, text: str, height: float, x: float | None = None, width: float = 0) -> None:
        """``text`` wrapped to ``width`` (default: to the right margin) from ``x``."""
        x = self.l_margin if x is None else x
        width = width or (self.w - self.r_margin - x)
        for line in self.wrap(text, width):
            self.need(height)
            if line:
                self.set_x(x)
                self.cell(width, height, line)
            self.y += height

    def rule(self, color: tuple[int, int, int] = RULE, width: float = 0.2) -> None:
        self.set_draw_color(*color)
        self.set_line_width(width)
        self.line(self.l_margin, self.y, self.w - self.r_margin, self.y)

    # The parts of the report.
    def title_page(self, doc: Document, summary: str, lost: int) -> None:
        self.add_page()
        self.y = 60
        self.style(26, "B", ACCENT)
        self.lines(doc.title, 11)
        self.y += 2
        self.style(11, "", GREY)
        self.lines(doc.subtitle, 6)
        self.y += 8
        self.style(11)
        self.lines(summary, 6)
        if lost:
            self.y += 4
            self.style(9, "", GREY)
            self.lines(
                f"Some characters ({lost}) cannot be shown with this PDF's font — such as "
                f"Chinese, Japanese or Korean script and most emoji — and appear as {MISSING}. "
                "The Markdown and JSON exports keep every character exactly.",
                SMALL_LINE,
            )
        self.y += 10

    def section(self, title: str) -> None:
        self.need(30)
        self.start_section(title, level=0)
        self.style(18, "B", ACCENT)
        self.lines(title, 9)
        self.y += 3

    def where_you_are(
        self,
        done: dict[str, progress.Completion],
        names: dict[str, str],
        labels: tuple[str, str],  # (done, not yet), as the Progress page says them
    ) -> None:
        self.section("Where you are")
        self.style(10, "", GREY)
        self.lines(
            "How far each phase has come, worksheet by worksheet. Nothing here is a score: "
            "every step you took counts.",
            LINE,
        )
        self.y += 3
        for phase, share in progress.phases(done).items():
            keys = progress.PHASES[phase]
            finished = sum(done[k].done for k in keys)
            self.need(12 + SMALL_LINE * len(keys))
            self.style(11, "B")
            self.lines(f"{names.get(phase, phase)}: {finished} of {len(keys)} worksheets done", 6)
            # A bar like the app's progress bar: the filled part is the phase's share.
            self.set_fill_color(*RULE)
            self.rect(self.l_margin, self.y + 0.5, self.width, 2.2, style="F")
            if share > 0:
                self.set_fill_color(*ACCENT)
                self.rect(self.l_margin, self.y + 0.5, self.width * share, 2.2, style="F")
            self.y += 4.5
            for key in keys:
                c = done[key]
                mark = f"✓ {labels[0]}" if c.done else f"○ {labels[1]}"
                self.style(9, "", INK if c.done else GREY)
                self.lines(f"{PAGES[key].title} — {mark} · {c.note}", SMALL_LINE, x=MARGIN + 3)
            self.y += 3

    def charts(self, images: Sequence[tuple[bytes, int, int]], note: str) -> None:
        if images:
            self.add_page()
        self.section("Your charts")
        self.style(10, "", GREY)
        self.lines(note, LINE)
        self.y += 3
        for png, width, height in images:
            shown = self.width * height / width
            self.need(shown + 4)
            self.image(io.BytesIO(png), x=self.l_margin, y=self.y, w=self.width, h=shown)
            self.y += shown + 4

    def phase(self, phase: Phase) -> None:
        # A phase with entries starts a page; empty ones follow on, to spare paper.
        if any(sheet.entries for sheet in phase.worksheets) or self.room() < 80:
            self.add_page()
        else:
            self.y += 8
        self.start_section(phase.title, level=0)
        self.style(20, "B", ACCENT)
        self.lines(phase.title, 10)
        self.y += 2
        self.rule(ACCENT, 0.6)
        self.y += 6

    def worksheet(self, sheet: Worksheet) -> None:
        self.need(30)
        self.start_section(sheet.title, level=1)
        self.style(14, "B", ACCENT)
        self.lines(sheet.title, 7)
        self.y += 1
        self.rule()
        self.y += 3
        if not sheet.entries:
            self.style(10, "I", GREY)
            self.lines("Nothing written here yet.", LINE)
            self.y += 5

    def entry(self, entry: Entry) -> None:
        # Keep an entry's heading with at least its first field.
        self.need(6 + LINE * 2)
        top = self.y
        self.style(9, "", GREY)
        when_w = self.get_string_width(entry.when) + 4 if entry.when else 0
        if entry.when:
            self.set_xy(self.w - self.r_margin - when_w + 4, top + 0.6)
            self.cell(when_w - 4, SMALL_LINE, entry.when)
            self.y = top
        self.style(11, "B")
        self.lines(entry.title or "Entry", 5.6, width=self.width - when_w)
        self.y += 0.8
        value_x = self.l_margin + LABEL_W + GAP
        value_w = self.w - self.r_margin - value_x
        for label, value in entry.fields:
            self.style(9, "B", GREY)
            labels = self.wrap(label, LABEL_W)
            self.style(10)
            values = self.wrap(value, value_w)
            rows = max(len(labels), len(values))
            # A short field stays on one page; a long one may flow on.
            self.need(min(rows, 3) * LINE)
            for n in range(rows):
                self.need(LINE)
                y = self.y
                if n < len(labels) and labels[n]:
                    self.style(9, "B", GREY)
                    self.set_xy(self.l_margin, y + 0.4)
                    self.cell(LABEL_W, LINE - 0.4, labels[n])
                if n < len(values) and values[n]:
                    self.style(10)
                    self.set_xy(value_x, y)
                    self.cell(value_w, LINE, values[n])
                self.y = y + LINE
            if rows > 1:
                self.y += FIELD_GAP  # a field of several lines stands apart from the next
        self.y += 2.5
        if self.room() > 4:
            self.rule()
            self.y += 3


def _summary(doc: Document) -> str:
    count = doc.entry_count
    if not count:
        return "Nothing is written in this workbook yet. Its worksheets are listed below, ready."
    sheets = sum(1 for p in doc.phases for w in p.worksheets if w.entries)
    return (
        f"{count:,} {'entry' if count == 1 else 'entries'} in {sheets} "
        f"{'worksheet' if sheets == 1 else 'worksheets'}, exactly as you wrote them."
    )


def _range_note(since: date | None, until: date | None) -> str:
    if not since and not until:
        return "As on the Progress page: wins of the last 26 weeks, the rest from every day."
    first = since.strftime("%d %b %Y") if since else "the start"
    last = until.strftime("%d %b %Y") if until else "today"
    return f"Check-ins, wins and thought records from {first} to {last}."


class _Steps:
    """Tells ``opts.progress`` how far the build has got, only ever forward."""

    def __init__(self, tell: Tell | None) -> None:
        self.tell = tell
        self.last = -1.0

    def __call__(self, fraction: float, message: str) -> None:
        fraction = max(0.0, min(1.0, fraction))
        if self.tell is not None and fraction > self.last:
            self.last = fraction
            self.tell(fraction, message)


CHARTS_SHARE = 0.3  # of the progress bar: drawing the charts (the rest is the pages)


def render(doc: Document, snap: Snapshot, texts: Content, tz: tzinfo, opts: Options) -> bytes:
    """The PDF of ``doc``: title page, where you are, charts, then every entry."""
    step = _Steps(opts.progress)
    step(0.0, "Starting the PDF")
    now = opts.now or datetime.now(UTC)
    today = timefmt.local_today(tz, now)
    whole = opts.worksheets is None
    doc, lost = _clean_document(doc)
    report = _Report(doc.title)
    report.title_page(doc, _summary(doc), lost)

    names = {p.key: p.name for p in texts.start.home.phases}
    if whole:
        records = progress.Records(
            now=now,
            window_hours=texts.phase1.window.hours,
            materials_steps=tuple(texts.phase4.materials.step_keys),
            by_type=snap.records,
        )
        dashboard = texts.phase5.dashboard
        report.where_you_are(
            progress.worksheets(records), names, (dashboard.done_label, dashboard.not_yet_label)
        )

    chosen = [
        c
        for c in figures(snap, texts, tz, today, opts.since, opts.until)
        if whole or c.worksheet in (opts.worksheets or ())
    ]
    if chosen and doc.entry_count:
        step(0.02, f"Drawing {len(chosen)} charts")

        def drawn(n: int) -> None:
            step(0.02 + CHARTS_SHARE * n / len(chosen), f"Drew chart {n} of {len(chosen)}")

        try:
            pngs = draw([c.figure for c in chosen], drawn)
            sized = [(png, *_size(c.figure)) for png, c in zip(pngs, chosen, strict=True)]
            report.charts(sized, _range_note(opts.since, opts.until))
        except ChartsUnavailable as exc:
            report.charts([], f"Charts could not be drawn here: {exc}")
    elif chosen:
        report.charts([], "The charts appear here once there is something to draw.")

    start = 0.02 + CHARTS_SHARE
    total = max(1, doc.entry_count)
    placed = 0
    for phase in doc.phases:
        report.phase(phase)
        for sheet in phase.worksheets:
            step(start + (0.97 - start) * placed / total, f"Laying out {sheet.title}")
            report.worksheet(sheet)
            for entry in sheet.entries:
                report.entry(entry)
            placed += len(sheet.entries)
    step(0.97, f"Writing {report.page_no()} pages")
    data = bytes(report.output())
    step(1.0, "Done")
    return data
