"""The record's vocabulary is defined once, and the extractor version follows its sources."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from analysis import vocabulary
from analysis.extract import EXTRACTOR_VERSION, version
from analysis.extract.events import _rules


def test_labels_are_one_style_for_every_kind_of_value() -> None:
    assert vocabulary.label("phone_call") == "Phone call"
    assert vocabulary.label("deputy_foreign_minister") == "Deputy foreign minister"
    assert vocabulary.label("multilateral") == "Multilateral diplomacy"  # a topic: its label
    assert vocabulary.label("bilateral") == "Bilateral"
    assert vocabulary.label("embassy") == "Embassy"


def test_seniority_is_the_order_of_actor_levels() -> None:
    ranks = [vocabulary.SENIORITY[level] for level in vocabulary.ACTOR_LEVELS]
    assert ranks == sorted(ranks) and vocabulary.ACTOR_LEVELS[0] == "president"
    assert _rules().order is vocabulary.SENIORITY


def test_topic_ids_come_from_the_taxonomy_file() -> None:
    assert vocabulary.topic_ids()[0] == "referendum"
    assert set(vocabulary.topic_ids()) == set(vocabulary.topic_labels())


def test_kazakhstan_time_is_utc_plus_five() -> None:
    assert vocabulary.KZ_TZ.utcoffset(None).total_seconds() == 5 * 3600


@pytest.fixture
def engine_copy(tmp_path: Path) -> Path:
    """A copy of the extractor's code and data, to edit without touching the project."""
    root = tmp_path / "analysis"
    root.mkdir()
    for name in (*version.CODE, *version.DATA):
        source = version.PACKAGE_DIR / name
        if source.is_dir():
            shutil.copytree(source, root / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy(source, root / name)
    return root


def test_version_depends_on_contents_not_on_where_the_files_are(engine_copy: Path) -> None:
    assert version.extractor_version(engine_copy) == EXTRACTOR_VERSION


@pytest.mark.parametrize(
    "relative",
    ["extract/partners.py", "vocabulary.py", "data/topics.toml", "data/events.toml"],
)
def test_editing_code_or_rules_changes_the_version(engine_copy: Path, relative: str) -> None:
    path = engine_copy / relative
    path.write_text(path.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")
    assert version.extractor_version(engine_copy) != EXTRACTOR_VERSION


def test_a_new_rule_file_changes_the_version(engine_copy: Path) -> None:
    rules = engine_copy / "data" / "rules" / "xx"
    rules.mkdir(parents=True)
    (rules / "new.toml").write_text('[[rule]]\nname = "x"\n', encoding="utf-8")
    assert version.extractor_version(engine_copy) != EXTRACTOR_VERSION


def test_line_endings_do_not_change_the_version(engine_copy: Path) -> None:
    path = engine_copy / "data" / "topics.toml"
    path.write_bytes(path.read_bytes().replace(b"\n", b"\r\n"))
    assert version.extractor_version(engine_copy) == EXTRACTOR_VERSION
