"""The server side of a workshop (``workbook/cohort/hosting.py``) with its summaries
(``summary.py``), shared worksheets (``sharing.py``), report (``report.py``) and prompts.

Real cohort folders in tmp_path, real encrypted workbooks, real sealed files.
"""

from __future__ import annotations

import contextlib
import io
import json
from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pandas as pd
import pytest

from workbook import content, crypto
from workbook.cohort import Cohort, CohortError, Host, Session, report, summary
from workbook.cohort.hosting import Row
from workbook.content import Content, ContentError
from workbook.crypto import WrongKeyError, WrongSecret
from workbook.models import (
    CheckIn,
    OutletEntry,
    Rejection,
    SelfTalk,
    UnsentDraft,
    ValueItem,
    Win,
)
from workbook.repository import Workbook
from workbook.storage import StorageError

FACILITATOR_PASSWORD = "facilpass123"
PASSWORD = "participant-pw"
MARKERS = [
    "quiet harbour lantern",
    "violet orchard whisper",
    "copper meadow sonnet",
    "amber glacier riddle",
    "silent cobalt thimble",
    "marble sparrow ledger",
    "hollow juniper compass",
]


@pytest.fixture(autouse=True)
def _no_content_override(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("REBOUND_CONTENT_DIR", raising=False)


@pytest.fixture
def texts() -> Content:
    return content.load(None)


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    Cohort.create(
        tmp_path / "cohort", title="Spring", facilitator="Sam", password=FACILITATOR_PASSWORD
    )
    return tmp_path / "cohort"


@pytest.fixture
def host(folder: Path) -> Host:
    return Host(folder)


def join(host: Host, name: str) -> Session:
    [code] = host.cohort.invite(1)
    return host.cohort.join(code, name, PASSWORD).session


def facilitator(host: Host) -> Session:
    return host.cohort.sign_in("Sam", FACILITATOR_PASSWORD)


def every_file(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.is_file())


def rejection(company: str, stage: str = "technical", **extra: object) -> dict[str, object]:
    return {
        "company": company,
        "role": "Engineer",
        "rejected_at": "2024-03-01T12:00:00+00:00",
        "stage": stage,
    } | extra


def checkin(felt_at: str, journal: str = "") -> dict[str, object]:
    return {"emotions": ["sad"], "intensity": 4, "felt_at": felt_at, "journal": journal}


# -- opening workbooks -------------------------------------------------------------------
def test_a_participant_gets_their_own_encrypted_workbook(
    host: Host, folder: Path, texts: Content
) -> None:
    ann = join(host, "Ann")
    wb = host.workbook(ann, lambda: texts)
    assert host.workbook(ann, lambda: texts) is wb  # two tabs share one object
    assert wb.path == folder / "people" / ann.account_id / "workbook.json"
    record = wb.add(Win, {"text": MARKERS[0], "won_on": "2024-03-02"})
    raw = wb.path.read_bytes()
    assert raw.startswith(crypto.FILE_MAGIC)
    assert MARKERS[0].encode() not in raw
    # Another server process (a restart) opens it with the key from a new sign-in.
    again = Host(folder).workbook(host.cohort.sign_in("Ann", PASSWORD), lambda: texts)
    assert again.all(Win) == [record]
    # Without the key, the file says so and stays as it is.
    with pytest.raises(WrongKeyError):
        Workbook(wb.path, codec=crypto.FileCipher(crypto.new_data_key(), "participant:x"))
    assert wb.path.read_bytes() == raw


def test_only_participants_with_their_own_key_get_a_workbook(host: Host, texts: Content) -> None:
    ann = join(host, "Ann")
    host.workbook(ann, lambda: texts)
    with pytest.raises(CohortError, match="Only participants"):
        host.workbook(facilitator(host), lambda: texts)
    forged = Session(
        ann.account_id, ann.role, ann.name, crypto.new_data_key(), *[ann.last_seen] * 2
    )
    with pytest.raises(CohortError, match="does not open"):
        host.workbook(forged, lambda: texts)


# -- summaries ---------------------------------------------------------------------------
def test_summary_holds_no_word_the_participant_typed(
    host: Host, folder: Path, texts: Content
) -> None:
    ann = join(host, "Ann")
    wb = host.workbook(ann, lambda: texts)
    first = wb.add(Rejection, rejection(MARKERS[0], notes=MARKERS[1], channel="referral"))
    wb.add(CheckIn, checkin("2024-03-02T10:00:00+00:00", journal=MARKERS[2]))
    wb.add(Win, {"text": MARKERS[3], "won_on": "2024-03-02", "category": "skill"})
    wb.add(SelfTalk, {"sentence": MARKERS[4], "rejection_id": first.id})
    wb.add(UnsentDraft, {"body": MARKERS[5], "addressed_to": "Them"})
    wb.set_text_draft("feelings.journal", MARKERS[6])
    wb.set_setting("theme", MARKERS[6])
    host.share(ann, "wins", True, texts)  # a sealed share is written too

    person = folder / "people" / ann.account_id
    assert (person / "summary.json").is_file()
    assert (person / "shared" / "wins.sealed").is_file()
    files = every_file(folder)
    assert len(files) > 8  # workbook, backups, summary, share, cohort file and its backups
    for file in files:
        raw = file.read_bytes()
        for marker in MARKERS:
            assert marker.encode() not in raw, (file, marker)
            for word in marker.split():
                assert word.encode() not in raw, (file, word)
    # The summary is numbers under keys Rebound defines, nothing else.
    stored = json.loads((person / "summary.json").read_bytes())
    assert set(stored) == {
        "updated_at",
        "worksheets",
        "phases",
        "counts",
        "stages",
        "checkins_per_day",
    }
    for part in ("worksheets", "phases", "counts", "stages", "checkins_per_day"):
        assert all(isinstance(v, int | float) for v in stored[part].values())


def test_summary_numbers_are_right(host: Host, folder: Path, texts: Content) -> None:
    ann = join(host, "Ann")
    wb = host.workbook(ann, lambda: texts)
    wb.context_provider = lambda: {"tz": ZoneInfo("Pacific/Auckland")}
    wb.add(Rejection, rejection("Acme", stage="technical"))
    wb.add(Rejection, rejection("Globex", stage="technical"))
    wb.add(Rejection, rejection("Initech", stage="final_round"))
    wb.add(CheckIn, checkin("2024-03-02T09:00:00+00:00"))  # 22:00 on the 2nd in Auckland
    wb.add(CheckIn, checkin("2024-03-02T12:00:00+00:00"))  # 01:00 on the 3rd there
    wb.add(CheckIn, checkin("2024-03-02T13:00:00+00:00"))
    for n in range(2):
        wb.add(ValueItem, {"text": f"value {n}"})
    wb.add(OutletEntry, {"outlet": "walk", "done_at": "2024-03-02T08:00:00+00:00"})
    wb.add(Win, {"text": "a win", "won_on": "2024-03-02"})
    wb.set_text_draft("anything", "not counted")

    s = summary.read(folder / "people" / ann.account_id)
    assert s is not None
    assert s.counts == {
        "rejections": 3,
        "checkins": 3,
        "values": 2,
        "outlets": 1,
        "wins": 1,
    }
    assert {str(k): v for k, v in s.stages.items()} == {"technical": 2, "final_round": 1}
    assert s.checkins_per_day == {"2024-03-02": 1, "2024-03-03": 2}
    assert s.worksheets["rejections"] == 1.0
    assert s.worksheets["why"] == round(2 / 3, 4)
    assert s.worksheets["feelings"] == 1.0
    assert s.worksheets["outlets"] == 1.0
    assert s.worksheets["window"] == 1.0  # the first 48 hours are long over
    assert s.worksheets["wins"] == 1.0
    assert s.worksheets["skills"] == 0.0
    assert s.worksheets["self_talk"] == 0.0
    # phase1: window, feelings, outlets done; self_talk, avoid, drafts not: 3 of 6.
    assert s.phases["phase1"] == 0.5
    assert s.phases["phase3"] == 0.25  # wins of wins, skills, team, current
    assert s.phases["phase4"] == s.phases["phase5"] == 0.0
    assert s.furthest_phase == 3


def test_a_summary_that_does_not_check_out_is_ignored(host: Host, folder: Path) -> None:
    ann = join(host, "Ann")
    person = folder / "people" / ann.account_id
    assert summary.read(person) is None
    (person / "summary.json").write_text('{"updated_at": "2024-01-01T00:00:00Z", "notes": "x"}')
    assert summary.read(person) is None
    [row] = host.rows(anonymise=False)
    assert row.summary is None


# -- sharing -----------------------------------------------------------------------------
def test_a_shared_worksheet_is_read_only_by_the_facilitator(
    host: Host, folder: Path, texts: Content
) -> None:
    ann = join(host, "Ann")
    bob = join(host, "Bob")
    wb = host.workbook(ann, lambda: texts)
    wb.add(Win, {"text": MARKERS[0], "won_on": "2024-03-02"})
    wb.add(CheckIn, checkin("2024-03-02T10:00:00+00:00", journal=MARKERS[1]))
    assert host.shared(ann) == []

    host.share(ann, "wins", True, texts)
    assert host.shared(ann) == ["wins"]
    sealed = folder / "people" / ann.account_id / "shared" / "wins.sealed"
    assert MARKERS[0].encode() not in sealed.read_bytes()
    sam = facilitator(host)
    body = host.read_shared(sam, ann.account_id, "wins")
    assert MARKERS[0] in body
    assert MARKERS[1] not in body  # only the worksheet that was shared
    # Every later save seals it again: the facilitator reads what is there now.
    wb.add(Win, {"text": MARKERS[2], "won_on": "2024-03-03"})
    assert MARKERS[2] in host.read_shared(sam, ann.account_id, "wins")

    with pytest.raises(CohortError, match="Only the facilitator"):
        host.read_shared(ann, ann.account_id, "wins")
    with pytest.raises(CohortError, match="Only the facilitator"):
        host.read_shared(bob, ann.account_id, "wins")
    # A share copied into another participant's folder does not open as theirs.
    bob_shared = folder / "people" / bob.account_id / "shared"
    bob_shared.mkdir(parents=True)
    (bob_shared / "wins.sealed").write_bytes(sealed.read_bytes())
    with pytest.raises(WrongSecret):
        host.read_shared(sam, bob.account_id, "wins")

    host.share(ann, "wins", False, texts)
    assert not sealed.exists()
    assert host.shared(ann) == []
    with pytest.raises(FileNotFoundError):
        host.read_shared(sam, ann.account_id, "wins")
    # Saving after un-sharing does not bring it back.
    wb.add(Win, {"text": "later", "won_on": "2024-03-03"})
    assert not sealed.exists()


def test_only_real_worksheets_can_be_shared(host: Host, texts: Content) -> None:
    ann = join(host, "Ann")
    for bad in ("../../cohort", "nope", ""):
        with pytest.raises(ValueError, match="not a worksheet"):
            host.share(ann, bad, True, texts)
    assert host.shared(ann) == []


# -- the facilitator's view --------------------------------------------------------------
def _three_participants(host: Host, texts: Content, second: str = "Bob") -> list[Session]:
    ann, bob, carl = join(host, "Ann"), join(host, second), join(host, "Carl")
    wb = host.workbook(ann, lambda: texts)
    wb.add(Rejection, rejection("Acme", stage="technical"))
    wb.add(CheckIn, checkin("2024-03-02T10:00:00+00:00"))
    wb.add(CheckIn, checkin("2024-03-02T11:00:00+00:00"))
    wb.add(Win, {"text": "a win", "won_on": "2024-03-02"})
    host.share(ann, "wins", True, texts)
    host.share(ann, "feelings", True, texts)
    wb = host.workbook(bob, lambda: texts)
    wb.add(Rejection, rejection("Globex", stage="final_round"))
    wb.add(CheckIn, checkin("2024-03-05T10:00:00+00:00"))
    # Carl joined but never saved anything.
    return [ann, bob, carl]


def test_rows_anonymised_follow_join_order_and_never_name_anyone(
    host: Host, texts: Content
) -> None:
    ann, bob, carl = _three_participants(host, texts)
    rows = host.rows(anonymise=True)
    assert [r.label for r in rows] == ["Participant 1", "Participant 2", "Participant 3"]
    assert [r.account_id for r in rows] == [ann.account_id, bob.account_id, carl.account_id]
    assert [r.shared for r in rows] == [["feelings", "wins"], [], []]
    assert rows[0].summary is not None and rows[2].summary is None
    text = repr(rows) + report.csv_bytes(rows).decode("utf-8-sig")
    for name in ("Ann", "Bob", "Carl", "Sam"):
        assert name not in text
    named = host.rows(anonymise=False)
    assert [r.label for r in named] == ["Ann", "Bob", "Carl"]


def test_report_numbers_for_the_workshop(host: Host, texts: Content) -> None:
    _three_participants(host, texts, second="=SUM(A1:A9)")
    rows = host.rows(anonymise=False)
    agg = report.aggregate(rows)
    assert agg.participants == 3
    assert agg.started == 2
    assert agg.worksheet_done["rejections"] == 2
    assert agg.worksheet_done["feelings"] == 2
    assert agg.worksheet_done["wins"] == 1
    assert agg.worksheet_done["skills"] == 0
    assert {str(k): v for k, v in agg.stages.items() if v} == {"technical": 1, "final_round": 1}
    assert sum(agg.stages.values()) == 2
    assert agg.checkins_per_day == {date(2024, 3, 2): 2, date(2024, 3, 5): 1}
    assert agg.furthest == {0: 1, 1: 0, 2: 1, 3: 1, 4: 0, 5: 0}
    ann_s, bob_s = rows[0].summary, rows[1].summary
    assert ann_s is not None and bob_s is not None
    for key in report.PHASE_KEYS:  # the mean over everyone, Carl's zero included
        assert agg.phase_mean[key] == pytest.approx((ann_s.phases[key] + bob_s.phases[key]) / 3)
    assert agg.phase_mean["phase3"] == pytest.approx(0.25 / 3)
    days = report.recent_days(agg.checkins_per_day, date(2024, 3, 5), days=4)
    assert days == [
        (date(2024, 3, 2), 2),
        (date(2024, 3, 3), 0),
        (date(2024, 3, 4), 0),
        (date(2024, 3, 5), 1),
    ]

    lines = report.table(rows)
    assert [line["participant"] for line in lines] == ["Ann", "=SUM(A1:A9)", "Carl"]
    assert [line["checkins"] for line in lines] == [2, 1, 0]
    assert [line["rejections"] for line in lines] == [1, 1, 0]
    assert [line["wins"] for line in lines] == [1, 0, 0]
    assert [line["shared_worksheets"] for line in lines] == [2, 0, 0]
    assert [line["furthest_phase"] for line in lines] == [3, 2, 0]
    assert [line["phase3_percent"] for line in lines] == [25, 0, 0]

    raw = report.csv_bytes(rows)
    assert raw.startswith(b"\xef\xbb\xbf")
    assert b"\r\n" in raw and raw.count(b"\n") == raw.count(b"\r\n") == 4
    frame = pd.read_csv(io.BytesIO(raw), encoding="utf-8-sig")
    assert list(frame.columns) == list(report.COLUMNS)
    assert list(frame["participant"]) == ["Ann", "'=SUM(A1:A9)", "Carl"]
    assert list(frame["checkins"]) == [2, 1, 0]
    assert list(frame["wins"]) == [1, 0, 0]
    assert list(frame["worksheets_done"]) == [line["worksheets_done"] for line in lines]
    assert list(frame["joined"]) == [r.joined_at.date().isoformat() for r in rows]


@pytest.mark.parametrize("label", ["=1+1", "+1 555", "-minus", "@handle"])
def test_csv_never_lets_a_label_start_a_formula(label: str) -> None:
    row = Row("a" * 32, label, datetime(2024, 3, 1, tzinfo=UTC), None, [])
    frame = pd.read_csv(io.BytesIO(report.csv_bytes([row])), encoding="utf-8-sig")
    assert list(frame["participant"]) == ["'" + label]
    assert report.table([row])[0]["participant"] == label  # the table on screen is as typed


def test_report_of_an_empty_workshop_is_all_zero(host: Host) -> None:
    agg = report.aggregate(host.rows(anonymise=True))
    assert agg.participants == agg.started == 0
    assert set(agg.phase_mean.values()) == {0.0}
    assert agg.furthest == dict.fromkeys(range(6), 0)
    frame = pd.read_csv(io.BytesIO(report.csv_bytes([])), encoding="utf-8-sig")
    assert list(frame.columns) == list(report.COLUMNS)
    assert len(frame) == 0


# -- the workshop's prompts --------------------------------------------------------------
def _start_toml(title: str) -> bytes:
    source = (content.BUILTIN_DIR / "start.toml").read_text(encoding="utf-8")
    assert 'title = "Rebound"' in source
    return source.replace('title = "Rebound"', f'title = "{title}"', 1).encode("utf-8")


def test_set_prompts_changes_what_the_workshop_loads(host: Host, folder: Path) -> None:
    workshop = host.cohort.content_dir
    assert content.load(None, workshop_dir=workshop).start.home.title == "Rebound"
    host.set_prompts("start", _start_toml("Spring Cohort"), None)
    loaded = content.load(None, workshop_dir=workshop)
    assert loaded.start.home.title == "Spring Cohort"
    assert loaded.sources["start"] == str(workshop / "start.toml")
    assert loaded.sources["phase1"].startswith(str(content.BUILTIN_DIR))
    assert 'title = "Spring Cohort"' in host.prompt_text("start", None)
    assert host.customised() == ["start"]
    assert content.load(None).start.home.title == "Rebound"  # personal mode is unchanged
    assert [p.name for p in workshop.iterdir()] == ["start.toml"]  # no temp file left

    host.reset_prompts("start")
    assert not (workshop / "start.toml").exists()
    assert content.load(None, workshop_dir=workshop).start.home.title == "Rebound"
    assert host.customised() == []
    assert host.prompt_text("start", None) == (content.BUILTIN_DIR / "start.toml").read_text(
        encoding="utf-8"
    )


def _syntax_error(raw: bytes) -> bytes:
    return raw.replace(b'title = "Spring Cohort"', b'title = "Spring Cohort', 1)


def _missing_key(raw: bytes) -> bytes:
    lines = raw.decode("utf-8").splitlines(keepends=True)
    return "".join(line for line in lines if not line.startswith("where_you_are")).encode()


def _unknown_key(raw: bytes) -> bytes:
    return raw.replace(b"[home]\n", b"[home]\nsubtitle = 'extra'\n", 1)


@pytest.mark.parametrize(
    ("spoil", "reason"),
    [
        (_syntax_error, "TOML"),
        (_missing_key, "where_you_are"),
        (_unknown_key, "subtitle"),
    ],
    ids=["syntax", "missing_key", "unknown_key"],
)
def test_an_invalid_prompts_file_is_refused_and_the_previous_one_kept(
    host: Host, spoil: Callable[[bytes], bytes], reason: str
) -> None:
    good = _start_toml("Spring Cohort")
    host.set_prompts("start", good, None)
    target = host.cohort.content_dir / "start.toml"
    bad = spoil(good)
    assert bad != good
    with pytest.raises(ContentError, match=r"start\.toml") as caught:
        host.set_prompts("start", bad, None)
    assert reason in str(caught.value)
    assert "/tmp" not in str(caught.value).replace(str(host.cohort.folder), "")
    assert target.read_bytes() == good
    assert [p.name for p in host.cohort.content_dir.iterdir()] == ["start.toml"]
    loaded = content.load(None, workshop_dir=host.cohort.content_dir)
    assert loaded.start.home.title == "Spring Cohort"


def test_prompts_only_for_known_files(host: Host, folder: Path) -> None:
    for name in ("../cohort", "nope"):
        with pytest.raises(ContentError, match="no content file"):
            host.set_prompts(name, _start_toml("X"), None)
        with pytest.raises(ContentError, match="no content file"):
            host.reset_prompts(name)
    assert list(host.cohort.content_dir.iterdir()) == []
    assert (folder / "cohort.json").is_file()


# -- deleting ----------------------------------------------------------------------------
def test_delete_removes_everything_and_the_listener_writes_nothing_back(
    host: Host, folder: Path, texts: Content
) -> None:
    ann = join(host, "Ann")
    bob = join(host, "Bob")
    wb = host.workbook(ann, lambda: texts)
    wb.add(Win, {"text": "one", "won_on": "2024-03-02"})
    host.share(ann, "wins", True, texts)
    person = folder / "people" / ann.account_id
    assert (person / "summary.json").is_file()
    [listener] = wb.file.listeners
    data = wb.file.read()

    host.delete(ann.account_id)

    assert not person.exists()
    assert host.cohort.account(ann.account_id) is None
    assert wb.file.listeners == []
    listener(data)  # a save that was already under way when the delete happened
    assert not person.exists()
    with pytest.raises(CohortError, match="deleted"):
        host.workbook(ann, lambda: texts)
    assert [r.account_id for r in host.rows(anonymise=True)] == [bob.account_id]
    assert [p.name for p in (folder / "people").iterdir()] == [bob.account_id]


def test_a_workbook_held_across_a_delete_cannot_bring_files_back(
    host: Host, folder: Path, texts: Content
) -> None:
    ann = join(host, "Ann")
    wb = host.workbook(ann, lambda: texts)
    wb.add(Win, {"text": "one", "won_on": "2024-03-02"})
    host.delete(ann.account_id)
    person = folder / "people" / ann.account_id
    with contextlib.suppress(OSError, CohortError, StorageError):  # refusing is right
        wb.add(Win, {"text": "two", "won_on": "2024-03-02"})
    assert not person.exists()
