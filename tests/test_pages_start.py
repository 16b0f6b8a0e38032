"""AppTest: the Start pages (Home, Rejection log, Why it hurts) and Your data."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from streamlit.testing.v1 import AppTest

from tests.conftest import APP, store
from workbook.models import RECORD_TYPES, CheckIn, Rejection, ValueItem

HOSTILE = "<script>alert(1)</script> **bold** $x$ :red[hi] שלום 😢"


def texts(at) -> str:
    parts = [
        *at.title,
        *at.header,
        *at.subheader,
        *at.markdown,
        *at.caption,
        *at.info,
        *at.success,
        *at.warning,
        *at.error,
    ]
    # Messages quoting the person's words are markdown-escaped; read them as shown.
    return re.sub(r"\\(.)", r"\1", "\n".join(str(p.value) for p in parts))


# -- Home ----------------------------------------------------------------------------
def test_home_on_an_empty_workbook_points_to_the_log(data_dir: Path, open_page) -> None:
    at = open_page("pages/start/home.py")
    assert at.title[0].value == "Rebound"
    shown = texts(at)
    assert "write down the rejection you are working through" in shown
    assert "not therapy" in shown
    assert "emergency number" in shown
    assert str(data_dir) in shown  # the data location is shown
    assert "You are here" not in shown  # nothing logged yet, no phase claimed


def test_home_on_a_heavy_workbook_shows_phase_and_window(heavy_dir: Path, open_page) -> None:
    at = open_page("pages/start/home.py")
    shown = texts(at)
    # Each phase shows how much of it is done; the current one says so.
    assert re.search(r"1\. \*\*The first 48 hours\*\* \(\d+% done\) — \*you are here\*:", shown)
    assert "*you are here*" not in shown.split("1. **The first 48 hours**")[1].split("\n", 1)[1]
    assert at.get("progress")  # the window countdown
    assert "left" in at.get("progress")[0].proto.text


# -- Rejection log -------------------------------------------------------------------
def add_rejection(at, company: str, role: str = "Analyst") -> None:
    if at.get("toggle"):  # once the log has entries, the form opens on request
        at.toggle(key="keep.log.adding").set_value(True).run()
    at.text_input(key="keep.new.company").input(company)
    at.text_input(key="keep.new.role").input(role)
    at.button(key="_submit.add_rejection").click()
    at.run()


def test_log_empty_then_add_one(data_dir: Path, open_page) -> None:
    at = open_page("pages/start/rejections.py")
    assert "Your log is empty" in texts(at)
    add_rejection(at, "Acme", "Data Analyst")
    assert not at.exception
    assert "Acme is in your log" in texts(at).replace("\\", "")
    saved = store(data_dir).all(Rejection)
    assert [(r.company, r.role) for r in saved] == [("Acme", "Data Analyst")]
    assert list(at.dataframe[0].value["Company"]) == ["Acme"]
    # the new rejection becomes the one being worked on
    assert store(data_dir).setting("selected_rejection") == saved[0].id
    # fields are cleared for the next one, in the session and in the unsaved-text drafts
    assert "keep.new.company" not in at.session_state
    assert store(data_dir).text_draft("keep.new.company") == ""
    at.toggle(key="keep.log.adding").set_value(True).run()
    assert at.text_input(key="keep.new.company").value == ""


def test_log_shows_markup_exactly_as_typed(data_dir: Path, open_page) -> None:
    at = open_page("pages/start/rejections.py")
    add_rejection(at, HOSTILE, HOSTILE)
    assert store(data_dir).all(Rejection)[0].company == HOSTILE
    assert list(at.dataframe[0].value["Company"]) == [HOSTILE]
    # the confirmation quotes it escaped, so markdown shows it literally
    assert "\\<script\\>" in at.success[0].value


def test_log_bad_input_gets_messages_and_saves_nothing(data_dir: Path, open_page) -> None:
    at = open_page("pages/start/rejections.py")
    add_rejection(at, "Keep", "Me")
    before = store(data_dir).all(Rejection)
    assert not at.get("text_input") or not any(
        t.key == "keep.new.company" for t in at.text_input
    )  # the add form is closed once the log has entries
    at.toggle(key="keep.log.adding").set_value(True).run()
    at.text_input(key="keep.new.company").input("")
    at.text_input(key="keep.new.role").input("Analyst")
    at.text_area(key="keep.new.notes").input("x" * 100_000)
    at.date_input(key="keep.new.applied_on").set_value(date.today() + timedelta(days=3))
    at.button(key="_submit.add_rejection").click()
    at.run()
    errors = [e.value for e in at.error]
    assert "Please add the company's name." in errors
    assert any("future" in e for e in errors)
    assert any("longer than one entry can hold" in e for e in errors)
    assert store(data_dir).all(Rejection) == before
    # what was typed is still there, on screen and in the workbook's unsaved-text drafts
    assert store(data_dir).text_draft("keep.new.notes") == "x" * 100_000
    assert at.text_input(key="keep.new.role").value == "Analyst"
    assert len(at.text_area(key="keep.new.notes").value) == 100_000


def test_log_no_before_application(data_dir: Path, open_page) -> None:
    at = open_page("pages/start/rejections.py")
    at.date_input(key="keep.new.applied_on").set_value(date.today())
    at.date_input(key="keep.new.no_day").set_value(date.today() - timedelta(days=5))
    add_rejection(at, "Acme")
    assert any("before the application" in e.value for e in at.error)
    assert store(data_dir).all(Rejection) == []


def test_log_heavy_is_paginated_and_edits_one_at_a_time(heavy_dir: Path, open_page) -> None:
    at = open_page("pages/start/rejections.py")
    assert len(at.dataframe[0].value) == 10  # 10 active of 60
    at.radio(key="keep.log.show").set_value("All").run()
    assert len(at.dataframe[0].value) == 20
    assert "Page 1 of 3 · 60 in all" in texts(at)
    at.button(key="_page.log.next").click().run()
    assert "Page 2 of 3" in texts(at)
    # no edit form until one is chosen, then one form for that rejection only
    assert not [t for t in at.text_input if t.key.startswith("keep.edit.")]
    newest_first = sorted(
        store(heavy_dir).all(Rejection), key=lambda r: r.rejected_at, reverse=True
    )
    chosen_id = newest_first[20].id  # the first one on page 2
    at.selectbox(key="_choose.log").select(chosen_id).run()
    assert len([t for t in at.text_input if t.key.startswith("keep.edit.")]) == 2
    at.text_input(key=f"keep.edit.{chosen_id}.role").input("Renamed role")
    at.button(key=f"_submit.edit_{chosen_id}").click().run()
    assert not at.exception
    assert store(heavy_dir).get(Rejection, chosen_id).role == "Renamed role"


def test_log_archive_and_delete_with_confirmation(data_dir: Path, open_page) -> None:
    at = open_page("pages/start/rejections.py")
    add_rejection(at, "Acme")
    rid = store(data_dir).all(Rejection)[0].id
    store(data_dir).add(CheckIn, {"rejection_id": rid, "emotions": ["Sad"], "intensity": 4})
    at.selectbox(key="_choose.log").select(rid).run()
    at.button(key=f"_archive.{rid}").click().run()
    assert store(data_dir).get(Rejection, rid).archived is True
    at.radio(key="keep.log.show").set_value("Archived").run()
    at.selectbox(key="_choose.log").select(rid).run()
    at.button(key=f"_confirm.rejection.{rid}.ask").click().run()
    assert "the 1 entries linked to it" in texts(at)
    assert store(data_dir).count(Rejection) == 1  # asking deletes nothing
    at.button(key=f"_confirm.rejection.{rid}.no").click().run()
    assert store(data_dir).count(Rejection) == 1
    at.button(key=f"_confirm.rejection.{rid}.ask").click().run()
    at.button(key=f"_confirm.rejection.{rid}.yes").click().run()
    assert store(data_dir).count(Rejection) == 0
    assert store(data_dir).count(CheckIn) == 0


# -- Why it hurts --------------------------------------------------------------------
def test_why_it_hurts_explains_and_keeps_the_list(data_dir: Path, open_page) -> None:
    at = open_page("pages/start/why_it_hurts.py")
    assert [h.value for h in at.header][:2] == [
        "Your brain treats rejection like an injury",
        "When a job becomes who you are",
    ]
    assert "Nothing here yet" in texts(at)
    at.button(key="_submit.value").click().run()
    assert "Please add a few words." in [e.value for e in at.error]
    at.text_input(key="keep.value.text").input(HOSTILE)
    at.button(key="_submit.value").click().run()
    assert [v.text for v in store(data_dir).all(ValueItem)] == [HOSTILE]
    assert any("\\<script\\>" in m.value for m in at.markdown)


def test_why_it_hurts_heavy(heavy_dir: Path, open_page) -> None:
    at = open_page("pages/start/why_it_hurts.py")
    assert [s.value for s in at.subheader] == [
        "A role I play",
        "Something I value",
        "Something I enjoy",
        "A strength",
    ]


# -- Your data -----------------------------------------------------------------------
def test_your_data_shows_where_and_what(heavy_dir: Path, open_page) -> None:
    at = open_page("pages/progress/your_data.py")
    assert str(heavy_dir / "workbook.json") in [c.value for c in at.code]
    counts = dict(
        zip(at.dataframe[0].value["Kind of entry"], at.dataframe[0].value["Entries"], strict=True)
    )
    assert counts["Rejections logged"] == 60
    assert counts["Feelings check-ins"] == 1500
    # plain words, never code names such as "CheckIn" or table names such as "drafts_unsent"
    assert not set(counts) & ({m.__name__ for m in RECORD_TYPES} | {m.TABLE for m in RECORD_TYPES})


def test_your_data_empty(data_dir: Path, open_page) -> None:
    at = open_page("pages/progress/your_data.py")
    assert "Nothing is sent anywhere" in texts(at)
    assert set(at.dataframe[0].value["Entries"]) == {0}


def test_a_damaged_workbook_is_recovered_and_the_person_is_told(data_dir: Path, open_page) -> None:
    wb = store(data_dir)
    wb.add(
        Rejection,
        {
            "company": "Kept",
            "role": "Analyst",
            "rejected_at": datetime.now(UTC) - timedelta(days=1),
        },
    )
    wb.set_setting("theme", "calm")
    # Record saves go to the journal and take no backup; a fold (a full rewrite) does: the
    # old main file with its journal, which holds "Kept".
    wb.file.fold()
    garbage = b"\x00 not a workbook {"
    (data_dir / "workbook.json").write_bytes(garbage)
    at = open_page("pages/start/home.py")
    warning = " ".join(w.value for w in at.warning)
    assert "could not be read" in warning
    assert "restored your most recent good backup" in warning
    [aside] = data_dir.glob("workbook.damaged-*.json")
    assert aside.read_bytes() == garbage  # set aside, never overwritten
    assert [r.company for r in store(data_dir).all(Rejection)] == ["Kept"]
    data_page = open_page("pages/progress/your_data.py")
    assert any(aside.name in w.value for w in data_page.warning)


def test_a_workbook_from_a_newer_rebound_is_left_alone(data_dir: Path, open_page) -> None:
    raw = b'{"_meta":{"1":{"schema_version":99}},"rejections":{}}'
    (data_dir / "workbook.json").write_bytes(raw)
    at = AppTest.from_file(str(APP), default_timeout=30).run()
    assert "newer version of Rebound" in at.error[0].value
    assert (data_dir / "workbook.json").read_bytes() == raw
