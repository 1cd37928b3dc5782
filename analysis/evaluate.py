"""Score the extractor against gold labels: the number that says how far to trust a chart.

Users label a sample of their own feed (spec §2 fields, one JSON object per line) and
run ``diplodash evaluate`` on it; the same code produces the README's table.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from analysis import feeds
from analysis.extract import extract_record
from analysis.feeds import FeedWarning

SET_FIELDS = ("partner_countries", "partner_orgs")
EXACT_FIELDS = ("date", "location_country", "event_type", "kz_actor_level")


def extract_paths(
    paths: Iterable[Path], date_from_file_time: bool = False
) -> tuple[list[dict[str, object]], list[FeedWarning]]:
    """Parse, de-duplicate and extract: one record per article, as ``ingest`` would store it."""
    files, warnings = feeds.discover(paths)
    articles = []
    for path in files:
        result = feeds.parse_file(path, date_from_file_time=date_from_file_time)
        warnings.extend(result.warnings)
        articles.extend(result.articles)
    unique, _ = feeds.dedupe(articles)
    records = []
    for article in unique:
        record = extract_record(article.title, article.text)
        records.append(
            {
                "id": article.id,
                "title": article.title,
                "date": article.date.isoformat() if article.date else None,
                "date_source": article.date_source,
                "source_files": article.source_files,
                "url": article.url,
                **record.as_dict(),
            }
        )
    return records, warnings


@dataclass
class PRF:
    """Micro-averaged counts; precision, recall and F1 follow from them."""

    tp: int = 0
    fp: int = 0
    fn: int = 0

    def add(self, gold: set[str], pred: set[str]) -> None:
        self.tp += len(gold & pred)
        self.fp += len(pred - gold)
        self.fn += len(gold - pred)

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


@dataclass
class Report:
    """Everything ``format_report`` prints, also used by tests that pin the scores."""

    articles_gold: int = 0
    articles_matched: int = 0
    articles_extra: int = 0
    sets: dict[str, PRF] = field(default_factory=lambda: {f: PRF() for f in SET_FIELDS})
    topics: dict[str, PRF] = field(default_factory=dict)
    topics_micro: PRF = field(default_factory=PRF)
    correct: dict[str, int] = field(default_factory=lambda: dict.fromkeys(EXACT_FIELDS, 0))
    errors: list[tuple[str, list[str]]] = field(default_factory=list)

    def accuracy(self, name: str) -> float:
        return self.correct[name] / self.articles_gold if self.articles_gold else 1.0


def load_labels(path: Path) -> list[dict[str, object]]:
    """Gold records; a broken line is an error that names the line (labels must be exact)."""
    gold = []
    with open(path, encoding="utf-8-sig") as fh:
        for lineno, line in enumerate(fh, start=1):
            if not line.strip():
                continue
            try:
                gold.append(json.loads(line))
            except json.JSONDecodeError as err:
                raise ValueError(f"{path}:{lineno}: not valid JSON ({err.msg})") from err
    return gold


def evaluate(labels: Path, paths: Iterable[Path]) -> Report:
    """Match extracted records to gold by normalised title (date breaks ties), then score."""
    gold = load_labels(labels)
    records, _ = extract_paths(paths)
    index: dict[str, list[dict[str, object]]] = {}
    for rec in records:
        index.setdefault(feeds.normalise_key(str(rec["title"])), []).append(rec)
    report = Report(articles_gold=len(gold))
    matched_ids = set()
    for g in gold:
        candidates = index.get(feeds.normalise_key(str(g["title"])), [])
        pred = next((c for c in candidates if c["date"] == g["date"]), None)
        pred = pred or (candidates[0] if candidates else None)
        if pred is not None:
            matched_ids.add(pred["id"])
        _score_one(report, g, pred)
    report.articles_matched = len(matched_ids)
    report.articles_extra = len(records) - len(matched_ids)
    return report


def _score_one(report: Report, gold: dict[str, object], pred: dict[str, object] | None) -> None:
    reasons: list[str] = []
    if pred is None:
        reasons.append("not found in the feeds")
        pred = {}
    for name in SET_FIELDS:
        g, p = set(gold.get(name) or []), set(pred.get(name) or [])
        report.sets[name].add(g, p)
        if g != p:
            reasons.append(_set_diff(name, g, p))
    g_topics, p_topics = set(gold.get("topics") or []), set(pred.get("topics") or [])
    report.topics_micro.add(g_topics, p_topics)
    for topic in g_topics | p_topics | set(report.topics):
        report.topics.setdefault(topic, PRF()).add(g_topics & {topic}, p_topics & {topic})
    if g_topics != p_topics:
        reasons.append(_set_diff("topics", g_topics, p_topics))
    for name in EXACT_FIELDS:
        if gold.get(name) == pred.get(name):
            report.correct[name] += 1
        elif pred:
            reasons.append(f"{name}: {pred.get(name)} ≠ gold {gold.get(name)}")
    if reasons:
        report.errors.append((f"{gold.get('date')} {gold.get('title')}", reasons))


def _set_diff(name: str, gold: set[str], pred: set[str]) -> str:
    parts = []
    if pred - gold:
        parts.append("extra " + ",".join(sorted(pred - gold)))
    if gold - pred:
        parts.append("missing " + ",".join(sorted(gold - pred)))
    return f"{name}: " + "; ".join(parts)


def _prf_dict(prf: PRF) -> dict[str, float]:
    return {
        "precision": round(prf.precision, 3),
        "recall": round(prf.recall, 3),
        "f1": round(prf.f1, 3),
    }


def summary(report: Report) -> dict[str, object]:
    """The headline scores as plain numbers (README table, dashboard's About page)."""
    return {
        "articles": report.articles_gold,
        "matched": report.articles_matched,
        **{name: _prf_dict(report.sets[name]) for name in SET_FIELDS},
        "topics_micro": _prf_dict(report.topics_micro),
        "topics": {t: _prf_dict(p) for t, p in sorted(report.topics.items())},
        **{name: {"accuracy": round(report.accuracy(name), 3)} for name in EXACT_FIELDS},
    }


def format_report(report: Report, max_errors: int = 40) -> str:
    """Plain-text tables: set fields, topics, exact fields, then the wrong articles."""
    out = [
        f"articles: gold {report.articles_gold}, matched {report.articles_matched}, "
        f"extracted but not in gold {report.articles_extra}",
        "",
        f"{'field':<28}{'P':>7}{'R':>7}{'F1':>7}{'tp':>6}{'fp':>5}{'fn':>5}",
    ]
    rows = [*report.sets.items(), ("topics (micro)", report.topics_micro)]
    rows += [(f"  topic {t}", prf) for t, prf in sorted(report.topics.items())]
    for name, prf in rows:
        out.append(
            f"{name:<28}{prf.precision:>7.3f}{prf.recall:>7.3f}{prf.f1:>7.3f}"
            f"{prf.tp:>6}{prf.fp:>5}{prf.fn:>5}"
        )
    out += ["", f"{'field':<28}{'accuracy':>9}"]
    out += [f"{name:<28}{report.accuracy(name):>9.3f}" for name in EXACT_FIELDS]
    out += ["", f"articles with at least one wrong field: {len(report.errors)}"]
    for title, reasons in report.errors[:max_errors]:
        out.append(f"- {title}")
        out += [f"    {r}" for r in reasons]
    if len(report.errors) > max_errors:
        out.append(f"  … {len(report.errors) - max_errors} more (use --errors N)")
    return "\n".join(out)
