"""Export and restore in a real browser: take the workbook out, bring it back elsewhere.

The journey of the export issue: "the browser journey downloads a Markdown and a JSON file
from the Export page, restores the JSON into a fresh data folder on a new server and sees
the same worksheets".

1. Server A runs on a data folder seeded before the browser opens: the demo workbook, one
   win with tricky characters, a chosen rejection (a setting) and a half-typed win (unsaved
   text). Its Rejection log, Small wins and Feelings check-in pages are read as shown.
2. On "Export and restore": the Markdown file (name, title, every phase heading, the tricky
   win escaped so it reads exactly as typed), then the JSON backup (format, the win exact);
   on Small wins, "Download this worksheet" holds that worksheet only.
3. Server B runs on a new, empty data folder. The JSON is uploaded with the file chooser,
   the preview lists what it holds, "Replace my workbook with it" is confirmed and the
   message names the safety copy (the empty workbook, byte for byte). The three worksheets
   show exactly what server A showed, and both folders hold the same records, settings and
   unsaved text.

A second test uploads broken files: each is refused with its reason and "Nothing has been
changed.", and the workbook file stays byte-for-byte the same.

Full-page screenshots of the Export page with the preview, at 1280 and 390 px, go to
``$REBOUND_SCREENSHOT_DIR`` (default: a temporary folder) as ``export-<width>.png``.
"""

from __future__ import annotations

import html
import json
import os
import re
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Download, Locator, Page, expect

from tests.conftest import store
from workbook import config, content, demo, exports, timefmt
from workbook.models import RECORD_TYPES, CheckIn, Record, Rejection, Win
from workbook.repository import Workbook
from workbook.ui import SELECTED_REJECTION

from .conftest import (
    DESKTOP,
    PHONE,
    ServerFactory,
    go_via_sidebar,
    open_page,
    show_everything,
    wait_idle,
    warm_up,
)

try:  # a real CommonMark renderer when the environment has one
    from markdown_it import MarkdownIt
except ImportError:  # pragma: no cover - depends on the environment
    MarkdownIt = None

pytestmark = pytest.mark.browser

TEXT = content.load()
WINS = TEXT.phase3.wins
KINDS = TEXT.progress.your_data
TRICKY = "Zoë's *first* <b>win</b> — 東京 😀"
TRICKY_CATEGORY = "Helped someone"
# How the Markdown export writes it: every ASCII punctuation character backslash-escaped.
TRICKY_ESCAPED = r"Zoë\'s \*first\* \<b\>win\<\/b\> — 東京 😀"
HALF_TYPED = "Half-typed: rang the recruiter back & asked <why>"
CHOSEN_COMPANY = "Northwind"  # not the newest rejection: the setting must travel too
PHASE_NAMES = ["Getting started", *(p.name for p in TEXT.start.home.phases)]
WORKSHEET_PAGES = ["Rejection log", "Small wins", "Feelings check-in"]
MERGE = "Add it to my workbook (entries with the same id are replaced)"
REPLACE = "Replace my workbook with it"
SURE = "I understand. My current workbook is copied aside first."
NOTHING_CHANGED = "Nothing has been changed."


# -- the seeded workbook ------------------------------------------------------------------
def seed(folder: Path) -> list[Record]:
    """The demo workbook, the tricky win, a chosen rejection and a half-typed win."""
    records = demo.generate(heavy=False)
    win = Win(text=TRICKY, category=TRICKY_CATEGORY, won_on=date.today())
    records.append(win)
    wb = store(folder)
    assert wb.add_many(records) == len(records)
    chosen = next(r for r in records if isinstance(r, Rejection) and r.company == CHOSEN_COMPANY)
    wb.set_setting(SELECTED_REJECTION, chosen.id)
    wb.set_text_draft("keep.win.text", HALF_TYPED)
    return records


def counts_of(records: list[Record]) -> dict[str, int]:
    """Entries per table, in the workbook's order, tables with entries only."""
    counts = {m.TABLE: sum(isinstance(r, m) for r in records) for m in RECORD_TYPES}
    return {table: n for table, n in counts.items() if n}


def dumped(wb: Workbook) -> dict[str, Any]:
    """Everything a workbook holds, as plain data: every table (by id), settings, drafts."""
    snap = exports.snapshot_of(wb)
    tables = {
        m.TABLE: sorted((r.model_dump() for r in snap.of(m)), key=lambda d: d["id"])
        for m in RECORD_TYPES
    }
    return {"tables": tables, "settings": snap.settings, "drafts": snap.drafts}


# -- reading Markdown as a person sees it --------------------------------------------------
_ESCAPED = re.compile(r"\\([!-/:-@\[-`{-~])")


def commonmark_text(line: str) -> str:
    """What one line of inline Markdown reads as, once rendered (no markup allowed in it)."""
    if MarkdownIt is not None:
        rendered = MarkdownIt("commonmark").renderInline(line)
        assert "<" not in rendered.replace("&lt;", ""), rendered  # no tag was made
        return html.unescape(rendered)
    # CommonMark's rule for backslash escapes: any escaped ASCII punctuation is literal.
    # The escaped text must leave no punctuation unescaped, or it could become markup.
    bare = _ESCAPED.sub("", line)
    assert not re.search(r"[*_`<>\[\]\\]", bare), f"unescaped markup in {line!r}"
    return _ESCAPED.sub(r"\1", line)


def lines_starting(text: str, prefix: str) -> list[str]:
    return [line[len(prefix) :] for line in text.splitlines() if line.startswith(prefix)]


# -- driving Streamlit widgets -------------------------------------------------------------
def main(page: Page) -> Locator:
    return page.get_by_test_id("stMain")


def alerts(page: Page) -> Locator:
    return page.get_by_test_id("stAlert")


def radio(page: Page, label: str) -> Locator:
    return page.get_by_test_id("stRadio").filter(has_text=label)


def choose_radio(page: Page, label: str, option: str) -> None:
    group = radio(page, label)
    group.get_by_text(option, exact=True).click()
    wait_idle(page)
    expect(group.get_by_role("radio", name=option, exact=True)).to_be_checked()


def browser_zone(page: Page) -> Any:
    return timefmt.zone(page.evaluate("Intl.DateTimeFormat().resolvedOptions().timeZone"))


def browser_today(page: Page) -> date:
    return timefmt.local_today(browser_zone(page), datetime.now().astimezone())


def download(page: Page, button: str, folder: Path) -> tuple[str, bytes]:
    """Click a download button; (the file name the browser was given, the bytes)."""
    with page.expect_download() as info:
        page.get_by_role("button", name=button, exact=True).click()
    got: Download = info.value
    target = folder / got.suggested_filename
    got.save_as(target)
    wait_idle(page)
    return got.suggested_filename, target.read_bytes()


def upload(page: Page, name: str, data: bytes) -> None:
    uploader = page.get_by_test_id("stFileUploader").filter(has_text="Backup file")
    uploader.locator("input[type=file]").set_input_files(
        {"name": name, "mimeType": "application/json", "buffer": data}
    )
    # Long names are shortened on screen; the remove button names the file in full.
    expect(uploader.get_by_role("button", name=f"Remove {name}", exact=True)).to_be_visible()
    wait_idle(page)


# -- reading Streamlit's data grid ----------------------------------------------------------
ROWS_JS = """(grid) => {
    const rows = {};
    for (const tr of grid.querySelectorAll('tr[aria-rowindex]')) {
        const cells = [...tr.querySelectorAll('td[role=gridcell]')];
        if (cells.length) rows[tr.getAttribute('aria-rowindex')] = cells.map(c => c.textContent);
    }
    const table = grid.querySelector('table[aria-rowcount]');
    return {rows: rows, count: table ? Number(table.getAttribute('aria-rowcount')) : null};
}"""


def grid_rows(grid: Locator) -> list[list[str]]:
    """Every body row of a Streamlit dataframe, scrolled through (it draws visible rows)."""
    expect(grid.locator("td[role=gridcell]").first).to_be_attached()
    scroller = grid.locator(".dvn-scroller")
    rows: dict[int, list[str]] = {}
    count = 0
    for step in range(40):
        seen = grid.evaluate(ROWS_JS)
        count = seen["count"]
        rows.update({int(k): v for k, v in seen["rows"].items()})
        if count and sorted(rows) == list(range(2, count + 1)):  # row 1 is the header
            break
        # Half a view further down each time, so no row is skipped between two views.
        scroller.evaluate(
            "(e, n) => { e.scrollTop = Math.round(n * e.clientHeight / 2); }", step + 1
        )
        grid.page.wait_for_timeout(250)
    scroller.evaluate("e => { e.scrollTop = 0; }")
    assert count, "the grid says nothing about its rows"
    assert sorted(rows) == list(range(2, count + 1)), (sorted(rows), count)
    return [rows[i] for i in sorted(rows)]


# -- what the worksheets show --------------------------------------------------------------
def read_worksheets(page: Page) -> dict[str, Any]:
    """What the Rejection log, Small wins and Feelings check-in pages show, as text."""
    shown: dict[str, Any] = {}
    go_via_sidebar(page, "Rejection log")
    shown["log"] = grid_rows(main(page).get_by_test_id("stDataFrame"))
    go_via_sidebar(page, "Small wins")
    shown["wins"] = main(page).get_by_test_id("stMarkdownContainer").locator("li").all_inner_texts()
    shown["win_metrics"] = main(page).get_by_test_id("stMetricValue").all_inner_texts()
    shown["half_typed"] = page.get_by_label(WINS.text_label, exact=True).input_value()
    go_via_sidebar(page, "Feelings check-in")
    shown["rejection"] = page.get_by_role(
        "combobox", name="The rejection you are working on"
    ).input_value()
    shown["checkins"] = main(page).locator("h3").all_inner_texts()
    shown["journal"] = (
        main(page)
        .locator("[data-testid='stElementContainer']:has(h3) + [data-testid='stElementContainer']")
        .all_inner_texts()
    )
    return shown


def expected_worksheets(records: list[Record], zone: Any) -> dict[str, Any]:
    """What those pages must show for ``records``, worked out from the records themselves."""
    rejections = sorted(
        (r for r in records if isinstance(r, Rejection)), key=lambda r: r.rejected_at, reverse=True
    )
    wins = sorted(
        (r for r in records if isinstance(r, Win)),
        key=lambda w: (w.won_on, w.created_at),
        reverse=True,
    )
    chosen = next(r for r in rejections if r.company == CHOSEN_COMPANY)
    checkins = sorted(
        (r for r in records if isinstance(r, CheckIn) and r.rejection_id == chosen.id),
        key=lambda c: c.felt_at,
        reverse=True,
    )
    return {
        "companies": [r.company for r in rejections],
        "wins": [
            f"{timefmt.format_day(w.won_on)}{f' · {w.category}' if w.category else ''} — {w.text}"
            for w in wins
        ],
        "rejection": f"{chosen.company} — {chosen.role} "
        f"({timefmt.to_local(chosen.rejected_at, zone).strftime('%d %b %Y')})",
        "checkins": [
            f"{timefmt.format_moment(c.felt_at, zone)} · intensity {c.intensity}/10"
            for c in checkins
        ],
    }


# -- screenshots ----------------------------------------------------------------------------
@pytest.fixture
def screenshot_dir(tmp_path: Path) -> Path:
    configured = os.environ.get("REBOUND_SCREENSHOT_DIR", "").strip()
    folder = Path(configured) if configured else tmp_path / "screenshots"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def screenshot(page: Page, width: int, path: Path) -> None:
    page.set_viewport_size({"width": width, "height": DESKTOP["height"]})
    page.wait_for_timeout(300)
    show_everything(page, width)
    path.unlink(missing_ok=True)
    page.screenshot(path=path, full_page=True, animations="disabled")
    assert path.stat().st_size > 15_000, f"{path.name} looks empty"


# -- the journey ----------------------------------------------------------------------------
def test_export_markdown_and_json_then_restore_on_a_new_server(
    server: ServerFactory, browser: Browser, page: Page, tmp_path: Path, screenshot_dir: Path
) -> None:
    folder_a = tmp_path / "data-a"
    folder_a.mkdir()
    records = seed(folder_a)
    seeded_win = next(r for r in records if isinstance(r, Win) and r.text == TRICKY)
    app_a = warm_up(browser, server(folder_a))
    downloads = tmp_path / "downloads"
    downloads.mkdir()

    # -- Server A: what the worksheets show before anything is exported.
    open_page(page, app_a.url())
    zone = browser_zone(page)
    on_a = read_worksheets(page)
    want = expected_worksheets(records, zone)
    assert [row[0] for row in on_a["log"]] == want["companies"]
    assert on_a["wins"] == want["wins"]
    assert on_a["wins"][0] == (f"{timefmt.format_day(date.today())} · {TRICKY_CATEGORY} — {TRICKY}")
    assert on_a["win_metrics"][2] == str(len(want["wins"]))
    assert on_a["half_typed"] == HALF_TYPED
    assert on_a["rejection"] == want["rejection"]
    assert on_a["checkins"] == want["checkins"]
    assert len(on_a["checkins"]) == 4

    # -- The Markdown document of the whole workbook.
    go_via_sidebar(page, "Export and restore")
    assert page.url.endswith("/export")
    expect(
        radio(page, "Format").get_by_role("radio", name=exports.FORMATS["md"].label)
    ).to_be_checked()
    expect(page.get_by_role("combobox", name="What to include")).to_have_value("The whole workbook")
    today = browser_today(page)
    md_name, md_bytes = download(
        page, f"Download rebound-workbook-{today.isoformat()}.md", downloads
    )
    assert md_name == f"rebound-workbook-{today.isoformat()}.md"
    md = md_bytes.decode("utf-8")
    assert md.startswith("# Rebound — my workbook\n\n*Exported ")
    assert [commonmark_text(h) for h in lines_starting(md, "## ")] == PHASE_NAMES
    sheets = [commonmark_text(h) for h in lines_starting(md, "### ")]
    assert sheets[0] == "Rejection log"
    assert "Small wins" in sheets and "Feelings check-in" in sheets
    win_heading = f"#### {TRICKY_ESCAPED} — {seeded_win.won_on.strftime('%d %b %Y')}"
    assert md.splitlines().count(win_heading) == 1, [
        line for line in md.splitlines() if "Zo" in line
    ]
    assert commonmark_text(win_heading[5:]) == f"{TRICKY} — {seeded_win.won_on:%d %b %Y}"
    assert TRICKY not in md  # never raw: "*first*" would turn italic, "<b>" into a tag
    for company in want["companies"]:
        assert any(
            commonmark_text(h).startswith(f"{company} — ") for h in lines_starting(md, "#### ")
        )

    # -- The JSON backup.
    choose_radio(page, "Format", exports.FORMATS["json"].label)
    expect(page.get_by_role("combobox", name="What to include")).to_have_count(0)
    json_name, json_bytes = download(
        page, f"Download rebound-workbook-{today.isoformat()}.json", downloads
    )
    assert json_name == f"rebound-workbook-{today.isoformat()}.json"
    backup = json.loads(json_bytes.decode("utf-8"))
    assert backup["format"] == "rebound-backup"
    assert backup["version"] == 1
    assert {t: len(v) for t, v in backup["tables"].items() if v} == counts_of(records)
    wins_in_file = [w for w in backup["tables"]["wins"] if w["id"] == seeded_win.id]
    assert wins_in_file == [seeded_win.model_dump(mode="json")]
    assert wins_in_file[0]["text"] == TRICKY
    assert TRICKY.encode("utf-8") in json_bytes  # written as typed, not \\u-escaped
    assert backup["settings"][SELECTED_REJECTION] == next(
        r.id for r in records if isinstance(r, Rejection) and r.company == CHOSEN_COMPANY
    )
    assert backup["drafts"] == {"keep.win.text": HALF_TYPED}

    # -- One worksheet on its own, from the worksheet itself.
    go_via_sidebar(page, "Small wins")
    sheet_name, sheet_bytes = download(page, "Download this worksheet", downloads)
    assert sheet_name == f"rebound-wins-{today.isoformat()}.md"
    sheet = sheet_bytes.decode("utf-8")
    assert sheet.startswith("# Rebound — Small wins\n\n*Exported ")
    assert [commonmark_text(h) for h in lines_starting(sheet, "## ")] == ["Rebuilding confidence"]
    assert [commonmark_text(h) for h in lines_starting(sheet, "### ")] == ["Small wins"]
    entries = lines_starting(sheet, "#### ")
    assert len(entries) == len(want["wins"])
    assert f"#### {entries[-1]}" == win_heading  # oldest first; the tricky win is today's
    for company in want["companies"]:
        assert company not in sheet

    # -- Server B, on a new and empty data folder: upload the backup.
    app_b = warm_up(browser, server())
    assert app_b.data_dir != folder_a
    path_b = config.workbook_path(app_b.data_dir)
    assert path_b.exists()
    assert all(not t for t in dumped(store(app_b.data_dir))["tables"].values())
    before_restore = path_b.read_bytes()

    open_page(page, app_b.url("export"))
    upload(page, json_name, json_bytes)
    made = timefmt.format_moment(datetime.fromisoformat(backup["exported_at"]), zone)
    expect(
        main(page).get_by_text(f"This backup was made on {made} and holds:", exact=True)
    ).to_be_visible()
    preview = grid_rows(main(page).get_by_test_id("stDataFrame"))
    assert preview == [[KINDS.kind(t), str(n)] for t, n in counts_of(records).items()]
    assert ["Rejections logged", "3"] in preview
    assert ["Small wins", str(len(want["wins"]))] in preview
    expect(
        radio(page, "How to restore").get_by_role("radio", name=MERGE, exact=True)
    ).to_be_checked()
    restore_button = page.get_by_role("button", name="Restore", exact=True)
    expect(restore_button).to_be_disabled()

    for width in (DESKTOP["width"], PHONE["width"]):
        screenshot(page, width, screenshot_dir / f"export-{width}.png")
    page.set_viewport_size(DESKTOP)
    wait_idle(page)

    choose_radio(page, "How to restore", REPLACE)
    page.get_by_test_id("stCheckbox").filter(has_text=SURE).locator("label").first.click()
    wait_idle(page)
    expect(page.get_by_role("checkbox", name=SURE)).to_be_checked()
    expect(restore_button).to_be_enabled()
    restore_button.click()
    wait_idle(page)

    done = alerts(page).filter(has_text="Restored.")
    expect(done).to_have_count(1)
    message = done.get_by_test_id("stMarkdownContainer").inner_text().strip()
    safety = re.fullmatch(r"Restored\. Your workbook as it was is kept at (.+)", message)
    assert safety, message
    safety_copy = Path(safety.group(1))
    assert safety_copy.parent == app_b.data_dir / "backups"
    assert re.fullmatch(rf"{path_b.stem}-before-restore-\d{{8}}T\d{{12}}Z\.json", safety_copy.name)
    assert safety_copy.read_bytes() == before_restore  # the empty workbook, as it was

    # -- The same worksheets, as server A showed them.
    on_b = read_worksheets(page)
    assert on_b == on_a
    assert on_b["wins"][0].endswith(f" — {TRICKY}")

    # -- And the same records, settings and unsaved text on disk.
    a, b = dumped(store(folder_a)), dumped(store(app_b.data_dir))
    for table in a["tables"]:
        assert b["tables"][table] == a["tables"][table], table
    assert b["settings"] == a["settings"]
    assert b["drafts"] == a["drafts"] == {"keep.win.text": HALF_TYPED}
    assert sum(len(t) for t in b["tables"].values()) == len(records)


# -- broken files ---------------------------------------------------------------------------
def test_a_broken_backup_is_refused_and_nothing_changes(
    server: ServerFactory, browser: Browser, page: Page, tmp_path: Path
) -> None:
    folder = tmp_path / "data-a"
    folder.mkdir()
    records = seed(folder)
    good = store(folder)
    valid = exports.make(
        "json", exports.snapshot_of(good), TEXT, timefmt.zone(None), exports.Options()
    )
    app = warm_up(browser, server(folder))
    path = config.workbook_path(folder)
    before = path.read_bytes()
    backups = folder / "backups"
    backups_before = sorted(p.name for p in backups.glob("*")) if backups.exists() else []

    broken = [
        (
            "newer.json",
            b'{"format": "rebound-backup", "version": 99}',
            "This backup was made by a newer version of Rebound (format 99); "
            "please update Rebound to restore it.",
        ),
        (
            "cut-off.json",
            valid[: len(valid) // 2],
            "The file is cut off or damaged: it ends in the middle of the backup.",
        ),
        (
            "notes.json",
            "# Rebound — my notes\n".encode(),
            "This file is not a Rebound backup: it is not a JSON file.",
        ),
    ]
    open_page(page, app.url("export"))
    for name, data, reason in broken:
        upload(page, name, data)
        refusal = alerts(page).filter(has_text=reason)
        expect(refusal).to_have_count(1)
        expect(refusal.get_by_test_id("stMarkdownContainer")).to_have_text(reason)
        caption = main(page).get_by_test_id("stCaptionContainer").filter(has_text=NOTHING_CHANGED)
        expect(caption).to_have_count(1)
        expect(caption).to_have_text(NOTHING_CHANGED)
        expect(main(page).get_by_test_id("stDataFrame")).to_have_count(0)
        expect(page.get_by_role("button", name="Restore", exact=True)).to_have_count(0)
        expect(radio(page, "How to restore")).to_have_count(0)
        assert path.read_bytes() == before, name

    # Nothing was copied aside either, and the worksheets still show the seeded workbook.
    after = sorted(p.name for p in backups.glob("*")) if backups.exists() else []
    assert after == backups_before
    assert not [n for n in after if "before-restore" in n]
    go_via_sidebar(page, "Small wins")
    items = main(page).get_by_test_id("stMarkdownContainer").locator("li")
    expect(items).to_have_count(sum(isinstance(r, Win) for r in records))
    expect(items.first).to_have_text(
        f"{timefmt.format_day(date.today())} · {TRICKY_CATEGORY} — {TRICKY}"
    )
    assert path.read_bytes() == before
