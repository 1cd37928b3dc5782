"""`diplodash evaluate` on the real-page label format: one row per page, its articles named
by a title_prefix, aligned as the independent ``shared/tools/score.py`` aligns them.

The small set here is written for the test. Where ``/work/shared`` is present, the same
numbers are checked against score.py, on this set and on the real pages.
"""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
from pathlib import Path

import pytest

from analysis import cli
from analysis.evaluate import evaluate, extract_paths, load_labels

# shared/ sits beside the checkout (CI's clone, /work/main) or at /work/shared (worktrees).
SHARED = next(
    (
        p
        for p in (Path(__file__).resolve().parents[2] / "shared", Path("/work/shared"))
        if (p / "tools" / "score.py").exists()
    ),
    Path("/work/shared"),
)
SCORE_PY = SHARED / "tools" / "score.py"

PAGES = {
    "listing.txt": (
        " date 2025-03-05 04.03.2025, 10:15 120\n"
        "Kazakhstan and Chile Discuss Copper Trade\n"
        "The Ambassador of Kazakhstan to Chile met the Minister of Mining of Chile in Santiago "
        "to discuss trade in copper and investment in mining.\n"
        "Kazakhstan and Brazil Hold Political Consultations\n"
        "The Deputy Foreign Minister of Kazakhstan held political consultations with the "
        "Deputy Foreign Minister of Brazil in Brasilia on trade and the United Nations.\n"
    ),
    "untitled.txt": (
        "ASTANA. AGENCY – President of Kazakhstan sent a telegram of condolences to the "
        "President of Peru after the floods in the north of the country.\n"
        "The head of state expressed his sympathy to the families of the victims.\n"
    ),
}
LABELS = [
    {
        "file": "listing.txt",
        "articles": [
            {
                "title_prefix": "Kazakhstan and Chile Discuss",
                "date": "2025-03-04",
                "partner_countries": ["CHL"],
                "partner_orgs": [],
                "location_country": "CHL",
                "event_type": "meeting",
                "kz_actor_level": "ambassador",
                "topics": ["trade_investment"],
            },
            {
                "title_prefix": "Kazakhstan and Brazil Hold",
                "date": "2025-03-05",
                "partner_countries": ["BRA"],
                "partner_orgs": [],
                "location_country": "BRA",
                "event_type": "meeting",
                "kz_actor_level": "deputy_foreign_minister",
                "topics": ["trade_investment", "multilateral"],
            },
        ],
    },
    {
        "file": "untitled.txt",
        "articles": [
            {
                "title_prefix": "ASTANA. AGENCY – President of Kazakhstan sent",
                "date": None,
                "partner_countries": ["PER"],
                "partner_orgs": [],
                "location_country": None,
                "event_type": "message",
                "kz_actor_level": "president",
                "topics": ["culture_humanitarian"],
            },
            {  # an article the feed does not hold: counted, never matched
                "title_prefix": "Kazakhstan and Argentina Sign",
                "date": "2025-01-01",
                "partner_countries": ["ARG"],
                "partner_orgs": [],
                "location_country": "ARG",
                "event_type": "signing",
                "kz_actor_level": "minister",
                "topics": [],
            },
        ],
    },
]


@pytest.fixture()
def small_set(tmp_path: Path) -> tuple[Path, Path]:
    texts = tmp_path / "texts"
    texts.mkdir()
    for name, text in PAGES.items():
        (texts / name).write_text(text, encoding="utf-8")
    labels = tmp_path / "labels.jsonl"
    labels.write_text("".join(json.dumps(row) + "\n" for row in LABELS), encoding="utf-8")
    return labels, texts


def test_page_rows_give_one_gold_article_each(small_set):
    labels, _ = small_set
    gold = load_labels(labels)
    assert [g["title_prefix"] for g in gold] == [
        "Kazakhstan and Chile Discuss",
        "Kazakhstan and Brazil Hold",
        "ASTANA. AGENCY – President of Kazakhstan sent",
        "Kazakhstan and Argentina Sign",
    ]


def test_articles_align_by_title_prefix_and_null_dates_are_not_scored(small_set):
    labels, texts = small_set
    report = evaluate(labels, [texts])
    assert (report.articles_gold, report.articles_matched, report.articles_extra) == (4, 3, 0)
    # Three gold dates are set; the page without a date line scores none. The stamp dates
    # the first article, the header the second; the missing article is wrong.
    assert report.scored["date"] == 3 and report.correct["date"] == 2
    assert report.scored["event_type"] == 4


def test_a_broken_label_row_names_its_line(tmp_path):
    labels = tmp_path / "labels.jsonl"
    labels.write_text('{"file": "a.txt", "articles": []}\n{"articles": 3}\n', encoding="utf-8")
    with pytest.raises(ValueError, match=r"labels\.jsonl:2: not a label object"):
        load_labels(labels)


def _score_py():
    if not SCORE_PY.exists():
        pytest.skip("shared/tools/score.py is not on this machine")
    spec = importlib.util.spec_from_file_location("score", SCORE_PY)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _agree(labels: Path, texts: Path) -> None:
    score = _score_py()
    ours = evaluate(labels, [texts])
    records, _ = extract_paths([texts])
    theirs = score.score(score.flatten_gold(score.load(labels)), records)
    assert ours.articles_matched == theirs["matched"]
    for name in ("partner_countries", "partner_orgs"):
        assert round(ours.sets[name].f1, 3) == theirs[name]["f1"], name
    assert round(ours.topics_micro.f1, 3) == theirs["topics"]["f1"]
    for name in ("date", "location_country", "event_type", "kz_actor_level"):
        assert round(ours.accuracy(name), 3) == theirs[f"{name}_acc"], name


def test_evaluate_agrees_with_score_py_on_the_small_set(small_set):
    _agree(*small_set)


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_evaluate_agrees_with_score_py_on_the_real_pages(lang):
    folder = SHARED / "real" / lang
    if not (folder / "labels.jsonl").exists():
        pytest.skip("the real-page sets are not on this machine")
    _agree(folder / "labels.jsonl", folder / "texts")


def test_cli_evaluate_reads_the_page_format(small_set, capsys):
    labels, texts = small_set
    assert cli.main(["evaluate", "--labels", str(labels), str(texts)]) == 0
    out = capsys.readouterr().out
    assert out.startswith("articles: gold 4, matched 3, extracted but not in gold 0")
    assert "Kazakhstan and Argentina Sign …" in out


def test_score_py_on_extract_output_matches_the_cli(small_set, tmp_path):
    """The README's recipe: `diplodash extract --format jsonl` piped to score.py."""
    labels, texts = small_set
    if not SCORE_PY.exists():
        pytest.skip("shared/tools/score.py is not on this machine")
    out = tmp_path / "pred.jsonl"
    with out.open("w") as fh:
        subprocess.run(
            [sys.executable, "-m", "analysis.cli", "extract", str(texts), "--format", "jsonl"],
            stdout=fh,
            check=True,
        )
    result = subprocess.run(
        [sys.executable, str(SCORE_PY), str(labels), str(out), "--json"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert json.loads(result.stdout)["matched"] == evaluate(labels, [texts]).articles_matched
