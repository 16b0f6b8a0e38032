"""Shared fixtures: real workbook files in temporary folders, empty and heavy."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from tests.store_helpers import CONTEXT, Codec, MakeCodec
from workbook import config, crypto, demo
from workbook.crypto import FileCipher
from workbook.repository import Workbook
from workbook.storage import PlainCodec

APP = Path(__file__).resolve().parent.parent / "app.py"

# Cheap Argon2 for the whole suite, servers started by the browser tests included: a real
# workshop's costs take ~0.2 s a password, and the tests create hundreds.
os.environ["REBOUND_KDF"] = "test"


@pytest.fixture(scope="session")
def heavy_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A heavy workbook file, written once per test session and copied per test."""
    folder = tmp_path_factory.mktemp("heavy-template")
    Workbook(config.workbook_path(folder)).add_many(demo.generate(heavy=True))
    return config.workbook_path(folder)


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty data folder that the app will use."""
    folder = tmp_path / "data"
    folder.mkdir()
    monkeypatch.setenv("REBOUND_DATA_DIR", str(folder))
    return folder


@pytest.fixture
def heavy_dir(data_dir: Path, heavy_template: Path) -> Path:
    """A data folder holding a copy of the heavy workbook."""
    shutil.copy2(heavy_template, config.workbook_path(data_dir))
    return data_dir


@pytest.fixture
def open_page() -> Callable[[str], AppTest]:
    """Run app.py (the router) and switch to one page, as a browser request would."""

    def _open(page_file: str) -> AppTest:
        at = AppTest.from_file(str(APP), default_timeout=30)
        at.run()
        if page_file != "pages/start/home.py":
            at.switch_page(page_file)
            at.run()
        assert not at.exception, [e.value for e in at.exception]
        return at

    return _open


def store(folder: Path) -> Workbook:
    """A fresh repository on the workbook in ``folder`` (reads what the app saved)."""
    return Workbook(config.workbook_path(folder))


@pytest.fixture(params=["plain", "encrypted"])
def kind(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def make_codec(kind: str) -> MakeCodec:
    """A fresh codec object each call; encrypted ones share one key (a restart keeps it)."""
    key = crypto.new_data_key()

    def make() -> Codec:
        return PlainCodec() if kind == "plain" else FileCipher(key, CONTEXT)

    return make
