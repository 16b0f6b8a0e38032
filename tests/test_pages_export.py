"""AppTest: the Export page (formats, what to include, dates, tables, PDF, restore) and the
"Download this worksheet" button on every worksheet.

Download buttons make their file on click (a deferred callable). To read the file name,
type and bytes a click would give, the callables are recorded as the page registers them.
"""

from __future__ import annotations

import io
import json
import re
import zipfile
from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from streamlit.runtime.media_file_manager import MediaFileManager

from tests.conftest import store
from workbook import demo, exports, timefmt
from workbook.exports import backup
from workbook.models import RECORD_TYPES, Win
from workbook.navigation import PAGES
from workbook.repository import Workbook

PAGE = "pages/progress/export.py"
HAS_PDF = (Path(__file__).resolve().parent.parent / "workbook/exports/pdf.py").exists()
Deferred = dict[str, tuple[str | None, str | None, Callable[[], Any]]]


@pytest.fixture
def deferred(monkeypatch: pytest.MonkeyPatch) -> Deferred:
    """file id -> (file name, mime type, the callable), for every deferred download."""
    seen: Deferred = {}
    original = MediaFileManager.add_deferred

    def add_deferred(self, data_callable, mimetype, coordinates, file_name=None, **kwargs):
        file_id = original(self, data_callable, mimetype, coordinates, file_name, **kwargs)
        seen[file_id] = (file_name, mimetype, data_callable)
        return file_id

    monkeypatch.setattr(MediaFileManager, "add_deferred", add_deferred)
    return seen


@pytest.fixture
def demo_dir(data_dir: Path) -> Path:
    store(data_dir).add_many(demo.generate(heavy=False))
    return data_dir


def today() -> date:
    return timefmt.local_today(timefmt.zone(None), datetime.now(UTC))


def downloads(at) -> list:
    return list(at.get("download_button"))


def the_download(at, seen: Deferred) -> tuple[str, str | None, str | None, bytes]:
    """(label, file name, mime, bytes) of the page's one deferred download button."""
    [button] = downloads(at)
    name, mime, make = seen[button.proto.deferred_file_id]
    data = make()
    return button.proto.label, name, mime, data.encode() if isinstance(data, str) else data


def shown(at) -> str:
    parts = [*at.markdown, *at.error, *at.info, *at.caption, *at.success, *at.warning]
    return "\n".join(str(p.value) for p in parts)


def ok(at):
    """``at`` after a run that raised nothing."""
    assert not at.exception, [e.value for e in at.exception]
    return at


def choose(at, key: str, value: Any):
    """Set a kept widget by key and rerun; no exception allowed."""
    for kind in ("radio", "selectbox", "checkbox", "date_input"):
        found = [w for w in at.get(kind) if w.key == key]
        if found:
            return ok(found[0].set_value(value).run())
    raise AssertionError(f"no widget {key}")


# -- formats and what to include ---------------------------------------------------------
@pytest.mark.parametrize("fixture", ["data_dir", "heavy_dir"])
def test_the_page_lists_every_format_and_every_worksheet(
    fixture: str, request: pytest.FixtureRequest, open_page
) -> None:
    request.getfixturevalue(fixture)
    at = open_page(PAGE)
    [radio] = at.radio
    assert radio.label == "Format"
    assert radio.options == [f.label for f in exports.FORMATS.values()]
    assert len(radio.options) == 5
    assert radio.value == "md"
    for key in ("md", "pdf"):
        choose(at, "keep.export.format", key)
        [scope] = at.selectbox
        assert scope.label == "What to include"
        titles = [PAGES[k].title for k in exports.WORKSHEETS]
        assert scope.options == ["The whole workbook", *titles]
        assert scope.value == ""
        assert [c.label for c in at.checkbox] == ["Only entries between two dates"]
    for key in ("json", "csv", "ics"):
        choose(at, "keep.export.format", key)
        assert "What to include" not in [s.label for s in at.selectbox]
        assert not at.checkbox
    # the restore form is there on every format
    assert [u.label for u in at.get("file_uploader")] == ["Backup file"]
    assert not [d for d in downloads(at) if (d.key or "").startswith("_download.")]


@pytest.mark.parametrize("fixture", ["data_dir", "heavy_dir"])
@pytest.mark.parametrize("key", ["md", "json", "ics", "csv"])
def test_the_download_is_named_and_made_as_exports_says(
    fixture: str, key: str, request: pytest.FixtureRequest, open_page, deferred: Deferred
) -> None:
    folder = request.getfixturevalue(fixture)
    at = open_page(PAGE)
    choose(at, "keep.export.format", key)
    label, name, mime, data = the_download(at, deferred)
    expected = exports.filename(key, exports.Options(), today())
    assert name == expected
    assert label == f"Download {expected}"
    assert mime == ("application/zip" if key == "csv" else exports.FORMATS[key].mime)
    if key == "md":
        assert data.startswith(b"# Rebound \xe2\x80\x94 my workbook\n")
        count = sum(store(folder).count(m) for m in RECORD_TYPES)
        assert data.count(b"\n#### ") == count
    elif key == "json":
        assert backup.parse(data).total == sum(store(folder).count(m) for m in RECORD_TYPES)
    elif key == "ics":
        assert data.startswith(b"BEGIN:VCALENDAR")
    else:
        assert zipfile.is_zipfile(io.BytesIO(data))


def test_one_worksheet_and_one_table(demo_dir: Path, open_page, deferred: Deferred) -> None:
    at = open_page(PAGE)
    choose(at, "keep.export.scope", "wins")
    label, name, mime, data = the_download(at, deferred)
    assert name == exports.filename("md", exports.Options(worksheets=("wins",)), today())
    assert name == f"rebound-wins-{today().isoformat()}.md"
    assert label == f"Download {name}"
    text = data.decode("utf-8")
    assert text.startswith("# Rebound — Small wins\n")
    assert text.count("\n#### ") == len(store(demo_dir).all(Win)) > 0

    choose(at, "keep.export.format", "csv")
    [table] = at.selectbox
    assert table.label == "Which table"
    assert table.options == ["Every table (a zip file)"] + [m.TABLE for m in RECORD_TYPES]
    choose(at, "keep.export.table", "wins")
    label, name, mime, data = the_download(at, deferred)
    assert name == f"rebound-wins-{today().isoformat()}.csv"
    assert mime == "text/csv"
    assert data.startswith(b"\xef\xbb\xbf")
    assert len(data.decode("utf-8-sig").splitlines()) == 1 + len(store(demo_dir).all(Win))


def test_a_date_range_limits_the_export(demo_dir: Path, open_page, deferred: Deferred) -> None:
    at = open_page(PAGE)
    choose(at, "keep.export.ranged", True)
    assert [d.label for d in at.date_input] == ["From", "To"]
    assert at.date_input(key="keep.export.until").value == today()
    choose(at, "keep.export.since", date(2000, 1, 1))
    choose(at, "keep.export.until", date(2000, 12, 31))
    label, name, _, data = the_download(at, deferred)
    assert label == f"Download {name}"
    text = data.decode("utf-8")
    assert "entries from 2000-01-01 to 2000-12-31" in text
    assert "\n#### " not in text


@pytest.mark.parametrize("fixture", ["data_dir", "heavy_dir"])
@pytest.mark.parametrize("key", ["md", "pdf"])
def test_from_after_to_says_so_and_offers_no_download(
    fixture: str, key: str, request: pytest.FixtureRequest, open_page
) -> None:
    request.getfixturevalue(fixture)
    at = open_page(PAGE)
    choose(at, "keep.export.format", key)
    choose(at, "keep.export.ranged", True)
    choose(at, "keep.export.since", date(2026, 3, 2))
    choose(at, "keep.export.until", date(2026, 3, 1))
    assert "The first date is after the second" in shown(at)
    assert not downloads(at)
    assert "Build the PDF" not in [b.label for b in at.button]
    # put right, the download is back
    choose(at, "keep.export.until", date(2026, 3, 2))
    assert "The first date is after the second" not in shown(at)
    if key == "md":
        assert len(downloads(at)) == 1
    else:
        assert "Build the PDF" in [b.label for b in at.button]


def test_wrong_dates_do_not_hide_the_restore_form(data_dir: Path, open_page) -> None:
    at = open_page(PAGE)
    choose(at, "keep.export.ranged", True)
    choose(at, "keep.export.since", date(2026, 3, 2))
    choose(at, "keep.export.until", date(2026, 3, 1))
    assert at.get("file_uploader")


# -- PDF ---------------------------------------------------------------------------------
@pytest.mark.parametrize("fixture", ["data_dir", "heavy_dir"])
def test_pdf_is_built_on_request(fixture: str, request: pytest.FixtureRequest, open_page) -> None:
    request.getfixturevalue(fixture)
    at = open_page(PAGE)
    choose(at, "keep.export.format", "pdf")
    assert [b.label for b in at.button] == ["Build the PDF"]
    assert not downloads(at)  # nothing is built until asked
    assert "_export.pdf" not in at.session_state


@pytest.mark.skipif(not HAS_PDF, reason="workbook/exports/pdf.py is not written yet")
def test_building_the_pdf_offers_it_for_download(demo_dir: Path, open_page) -> None:
    at = open_page(PAGE)
    choose(at, "keep.export.format", "pdf")
    ok(at.button[0].click().run(timeout=180))
    [button] = downloads(at)
    assert button.proto.label == "Download the PDF"
    _opts, name, data = at.session_state["_export.pdf"]
    assert name == exports.filename("pdf", exports.Options(), today())
    assert data.startswith(b"%PDF-") and len(data) > 1000


@pytest.mark.skipif(not HAS_PDF, reason="workbook/exports/pdf.py is not written yet")
def test_a_built_pdf_is_not_offered_for_another_choice(demo_dir: Path, open_page) -> None:
    at = open_page(PAGE)
    choose(at, "keep.export.format", "pdf")
    ok(at.button[0].click().run(timeout=180))
    assert downloads(at)
    choose(at, "keep.export.scope", "wins")
    built = at.session_state.get("_export.pdf")
    if downloads(at):  # a download on offer must be the file for what is chosen now
        assert built is not None
        assert built[1] == exports.filename("pdf", exports.Options(worksheets=("wins",)), today())


# -- restore -----------------------------------------------------------------------------
def test_restore_shows_the_backup_then_replaces_on_request(
    data_dir: Path, open_page, tmp_path: Path
) -> None:
    source = Workbook(tmp_path / "source" / "workbook.json")
    source.add_many(demo.generate(heavy=False))
    data = exports.make("json", exports.snapshot_of(source), None, UTC, exports.Options())
    at = open_page(PAGE)
    assert at.get("file_uploader")[0].label == "Backup file"
    ok(at.get("file_uploader")[0].set_value(("backup.json", data, "application/json")).run())
    assert "This backup was made on" in shown(at)
    table = at.dataframe[0].value
    assert int(table["Entries"].sum()) == sum(source.count(m) for m in RECORD_TYPES)
    [restore] = [b for b in at.button if b.label == "Restore"]
    assert restore.disabled
    assert store(data_dir).count(Win) == 0  # nothing happens before the click
    ok(at.radio(key="_restore.mode").set_value("replace").run())
    ok(at.checkbox(key="_restore.sure").check().run())
    [restore] = [b for b in at.button if b.label == "Restore"]
    assert not restore.disabled
    ok(restore.click().run())
    assert "Restored" in "\n".join(s.value for s in at.success)
    for model in RECORD_TYPES:
        mine = sorted(store(data_dir).all(model), key=lambda r: r.id)
        assert mine == sorted(source.all(model), key=lambda r: r.id), model.TABLE


def test_a_bad_backup_is_refused_and_changes_nothing(data_dir: Path, open_page) -> None:
    store(data_dir).add_many([Win(text="Mine", won_on=date(2026, 3, 1))])
    before = store(data_dir).path.read_bytes()
    at = open_page(PAGE)
    bad = json.dumps({"format": "rebound-backup", "version": 99}).encode()
    ok(at.get("file_uploader")[0].set_value(("backup.json", bad, "application/json")).run())
    assert "newer version of Rebound" in shown(at)
    assert "Nothing has been changed." in shown(at)
    assert "Restore" not in [b.label for b in at.button]
    assert store(data_dir).path.read_bytes() == before


# -- "Download this worksheet" -------------------------------------------------------------
@pytest.mark.parametrize("key", list(exports.WORKSHEETS))
def test_every_worksheet_has_its_download(
    key: str, data_dir: Path, open_page, deferred: Deferred
) -> None:
    at = open_page(PAGES[key].file)
    buttons = [b for b in downloads(at) if (b.key or "").startswith("_download.")]
    assert [b.key for b in buttons] == [f"_download.{key}"]
    assert buttons[0].proto.label == "Download this worksheet"
    name, mime, make = deferred[buttons[0].proto.deferred_file_id]
    assert name == exports.filename("md", exports.Options(worksheets=(key,)), today())
    assert mime == "text/markdown"
    text = make().decode("utf-8")
    first = re.sub(r"\\(.)", r"\1", text.splitlines()[0])  # as the reader sees it
    assert first == f"# Rebound — {PAGES[key].title}"
    assert text.count("\n### ") == 1


def test_the_worksheet_download_on_a_heavy_workbook(
    heavy_dir: Path, open_page, deferred: Deferred
) -> None:
    at = open_page("pages/phase3/wins.py")
    [button] = [b for b in downloads(at) if b.key == "_download.wins"]
    name, mime, make = deferred[button.proto.deferred_file_id]
    assert name == f"rebound-wins-{today().isoformat()}.md"
    assert mime == "text/markdown"
    text = make().decode("utf-8")
    assert text.startswith("# Rebound — Small wins\n")
    assert text.count("\n#### ") == store(heavy_dir).count(Win) > 0


@pytest.mark.parametrize(
    "page",
    [
        "pages/start/home.py",
        "pages/progress/dashboard.py",
        "pages/progress/your_data.py",
        PAGE,
    ],
)
def test_pages_that_are_not_worksheets_have_no_worksheet_download(
    page: str, heavy_dir: Path, open_page
) -> None:
    at = open_page(page)
    assert not [b for b in downloads(at) if (b.key or "").startswith("_download.")]
    assert "Download this worksheet" not in [b.proto.label for b in downloads(at)]
