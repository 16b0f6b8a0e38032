"""Content as data: the built-in files load, and a facilitator's folder replaces them."""

from __future__ import annotations

from pathlib import Path

import pytest

from workbook import content
from workbook.models import Stage


def test_builtin_content_loads_and_covers_every_stage() -> None:
    texts = content.load(None)
    assert {s.key for s in texts.rejections.stages} == set(Stage)
    assert len(texts.start.home.phases) == 5
    assert texts.phase1.window.hours == 48
    assert len(texts.phase1.avoid.items) == 5
    assert {i.key for i in texts.phase1.outlets.items} == {"journal", "talk", "move", "self_care"}


def test_a_facilitator_file_replaces_the_builtin_one(tmp_path: Path) -> None:
    source = (content.BUILTIN_DIR / "phase1.toml").read_text()
    (tmp_path / "phase1.toml").write_text(source.replace("hours = 48", "hours = 24"))
    texts = content.load(tmp_path)
    assert texts.phase1.window.hours == 24
    assert texts.sources["phase1"] == str(tmp_path / "phase1.toml")
    assert texts.sources["start"].startswith(str(content.BUILTIN_DIR))


def test_env_variable_points_at_the_override_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    source = (content.BUILTIN_DIR / "start.toml").read_text()
    (tmp_path / "start.toml").write_text(source.replace('title = "Rebound"', 'title = "Cohort 7"'))
    monkeypatch.setenv("REBOUND_CONTENT_DIR", str(tmp_path))
    assert content.load().start.home.title == "Cohort 7"


@pytest.mark.parametrize(
    ("edit", "words"),
    [
        (lambda s: s.replace("hours = 48", "hours = 0"), "window.hours"),
        (lambda s: s.replace("[window]", "[window]\nunknown = 1"), "unknown"),
        (lambda s: s + "\n[[[ not toml", "cannot be read as TOML"),
    ],
)
def test_a_broken_override_is_reported_with_file_and_field(
    tmp_path: Path, edit, words: str
) -> None:
    source = (content.BUILTIN_DIR / "phase1.toml").read_text()
    (tmp_path / "phase1.toml").write_text(edit(source))
    with pytest.raises(content.ContentError) as caught:
        content.load(tmp_path)
    assert "phase1.toml" in str(caught.value)
    assert words in str(caught.value)


def test_a_missing_override_folder_is_reported(tmp_path: Path) -> None:
    with pytest.raises(content.ContentError, match="not a folder"):
        content.load(tmp_path / "nope")
