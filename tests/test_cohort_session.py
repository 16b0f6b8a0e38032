"""Cohort mode's session rules: pages by role, idle expiry, removed accounts, error details."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from tests.conftest import APP
from workbook import config, navigation
from workbook.cohort import Cohort, Host
from workbook.ui import serve

FACILITATOR_PASSWORD = "facilpass123"


@pytest.fixture
def hosted(data_dir: Path) -> Cohort:
    cohort, _ = Cohort.create(
        config.cohort_dir(data_dir), title="Spring", facilitator="Sam", password="facilpass123"
    )
    return cohort


def test_each_role_gets_its_own_pages_and_nothing_else() -> None:
    def paths(role: str) -> set[str]:
        return {s.url_path for specs in navigation.sections_for(role).values() for s in specs}

    workbook_pages = {s.url_path for specs in navigation.SECTIONS.values() for s in specs}
    assert paths("personal") == workbook_pages
    assert paths("visitor") == {"", "join", "recover"}
    assert paths("new_code") == {""}
    assert paths("participant") == workbook_pages | {"sharing", "account"}
    assert paths("facilitator") == {"", "shared", "prompts", "people", "account"}
    # Anything unknown is treated as someone who has not signed in.
    assert navigation.sections_for("admin") is navigation.VISITOR
    # A facilitator has no workbook page at all, and a participant no workshop page.
    assert not paths("facilitator") & (workbook_pages - {""})
    assert not {"shared", "prompts", "people"} & paths("participant")


def _signed_in_app(cohort: Cohort, name: str, password: str) -> AppTest:
    at = AppTest.from_file(str(APP), default_timeout=30).run()
    assert not at.exception
    at.text_input[0].input(name)
    at.text_input[1].input(password)
    at.button[0].click().run()
    assert not at.exception
    return at


def test_an_idle_session_ends_with_a_kind_word(hosted: Cohort) -> None:
    at = _signed_in_app(hosted, "Sam", FACILITATOR_PASSWORD)
    assert at.title[0].value == "Spring"  # the facilitator's overview
    session = at.session_state["_auth.session"]
    session.last_seen -= timedelta(minutes=config.idle_minutes() + 1)
    at.run()
    assert not at.exception
    assert at.title[0].value == "Welcome to Spring"
    assert any("without activity" in i.value for i in at.info)
    assert "_auth.session" not in at.session_state


def test_a_session_just_under_the_limit_stays(hosted: Cohort) -> None:
    at = _signed_in_app(hosted, "Sam", FACILITATOR_PASSWORD)
    session = at.session_state["_auth.session"]
    session.last_seen -= timedelta(minutes=config.idle_minutes() - 1)
    at.run()
    assert at.title[0].value == "Spring"


def test_a_removed_participant_is_signed_out_on_the_next_click(hosted: Cohort) -> None:
    code = hosted.invite(1)[0]
    joined = hosted.join(code, "Ana", "partpass123")
    at = _signed_in_app(hosted, "Ana", "partpass123")
    assert at.title[0].value == "Rebound"  # Home
    Host(hosted.folder).delete(joined.session.account_id)
    at.run()
    assert not at.exception
    assert at.title[0].value == "Welcome to Spring"
    assert any("no longer exists" in i.value for i in at.info)


def test_the_idle_limit_is_a_setting(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("REBOUND_IDLE_MINUTES", "5")
    assert config.idle_minutes() == 5
    for bad in ("0", "-3", "soon", ""):
        monkeypatch.setenv("REBOUND_IDLE_MINUTES", bad)
        assert config.idle_minutes() == config.DEFAULT_IDLE_MINUTES


def test_cohort_mode_follows_the_data_folder_unless_told(
    data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert not config.cohort_mode()
    Cohort.create(config.cohort_dir(data_dir), title="S", facilitator="Sam", password="x" * 12)
    assert config.cohort_mode()
    monkeypatch.setenv("REBOUND_MODE", "personal")
    assert not config.cohort_mode()
    monkeypatch.setenv("REBOUND_MODE", "cohort")
    assert config.cohort_mode()


def test_error_details_are_hidden_only_when_hosting(data_dir: Path) -> None:
    personal = serve.streamlit_args(["--server.port", "9"])
    assert "--client.showErrorDetails" not in personal
    assert personal[-2:] == ["--server.port", "9"]
    Cohort.create(config.cohort_dir(data_dir), title="S", facilitator="Sam", password="x" * 12)
    hosted = serve.streamlit_args(["--server.port", "9"])
    flag = hosted.index("--client.showErrorDetails")
    assert hosted[flag + 1] == "none"
    assert hosted[:2] == ["run", str(serve.APP)]


def test_the_server_does_not_collect_garbage_after_every_run() -> None:
    # Streamlit's gc.collect(2) after each script run was 90% of a busy server's time
    # under 30 participants (benchmarks/load_ws.py; docs/performance.md).
    import tomllib

    settings = tomllib.loads((serve.APP.parent / ".streamlit" / "config.toml").read_text())
    assert settings["runner"]["postScriptGC"] is False


def test_behind_a_local_proxy_the_forwarded_address_counts() -> None:
    from workbook.ui.auth import client_address

    # Straight from a browser: its own address; a header it sent itself is ignored.
    assert client_address("203.0.113.9", "") == "203.0.113.9"
    assert client_address("203.0.113.9", "10.0.0.1") == "203.0.113.9"
    # Through nginx on this machine: the address the proxy saw (the last entry).
    assert client_address("127.0.0.1", "10.0.0.7") == "10.0.0.7"
    assert client_address("::1", "spoofed, 10.0.0.8") == "10.0.0.8"
    assert client_address("127.0.0.1", "") == "127.0.0.1"
    assert client_address("", "") == "unknown"
