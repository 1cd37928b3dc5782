"""Score the extractor against gold labels: the number that says how far to trust a chart.

Users label a sample of their own feed (spec §2 fields, one JSON object per line) and
run ``diplodash evaluate`` on it; the same code produces the README's table. Two label
formats are read: one row per article with its full ``title``, matched by normalised
title (the date breaks ties), or one row per page with its ``articles``, each named by a
``title_prefix`` (the real-page sets), aligned one to one as the independent scorer
``shared/tools/score.py`` does: the first unused record whose title starts with the
prefix, then the closest title by similarity (at least 0.6). A gold date of ``null``
(the page gives none) is not scored.
"""

from __future__ import annotations

import difflib
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from analysis import feeds
from analysis.extract import extract_record
from analysis.feeds import FeedWarning

SET_FIELDS = ("partner_countries", "partner_orgs")
EXACT_FIELDS = ("date", "location_country", "event_type", "kz_actor_level")
MIN_SIMILARITY = 0.6  # score.py's threshold for a fuzzy title match
SHORT_TITLE = 15  # a record title this short never stands for a longer gold prefix


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
    scored: dict[str, int] = field(default_factory=lambda: dict.fromkeys(EXACT_FIELDS, 0))
    errors: list[tuple[str, list[str]]] = field(default_factory=list)

    def accuracy(self, name: str) -> float:
        return self.correct[name] / self.scored[name] if self.scored[name] else 1.0


def load_labels(path: Path) -> list[dict[str, object]]:
    """Gold articles; a page row with ``articles`` gives one per article, each keeping its
    ``title_prefix``. A broken line is an error that names the line (labels must be exact)."""
    gold: list[dict[str, object]] = []
    with open(path, encoding="utf-8-sig") as fh:
        for lineno, line in enumerate(fh, start=1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
            except json.JSONDecodeError as err:
                raise ValueError(f"{path}:{lineno}: not valid JSON ({err.msg})") from err
            if not isinstance(row, dict) or not isinstance(row.get("articles", []), list):
                raise ValueError(f"{path}:{lineno}: not a label object")
            gold.extend(row.get("articles", [row]))
    return gold


def evaluate(labels: Path, paths: Iterable[Path]) -> Report:
    """Align extracted records to gold articles (see the module's docstring), then score."""
    gold = load_labels(labels)
    records, _ = extract_paths(paths)
    pairs = align(gold, records)
    report = Report(articles_gold=len(gold))
    for i, g in enumerate(gold):
        _score_one(report, g, records[pairs[i]] if i in pairs else None)
    report.articles_matched = len(pairs)
    report.articles_extra = len(records) - len(pairs)
    return report


def align(gold: list[dict[str, object]], records: list[dict[str, object]]) -> dict[int, int]:
    """Gold index → record index, one to one: full titles by equal normalised title (same
    date first), prefixes by :func:`_align_prefixes`."""
    pairs: dict[int, int] = {}
    index: dict[str, list[int]] = {}
    for j, rec in enumerate(records):
        index.setdefault(feeds.normalise_key(str(rec["title"])), []).append(j)
    for i, g in enumerate(gold):
        if "title_prefix" in g:
            continue
        candidates = index.get(feeds.normalise_key(str(g.get("title") or "")), [])
        j = next((c for c in candidates if records[c]["date"] == g.get("date")), None)
        j = candidates[0] if j is None and candidates else j
        if j is not None:
            pairs[i] = j
    used = set(pairs.values())
    prefixed = [i for i, g in enumerate(gold) if "title_prefix" in g]
    pairs.update(_align_prefixes(gold, prefixed, records, used))
    return pairs


def _align_prefixes(
    gold: list[dict[str, object]],
    wanted: list[int],
    records: list[dict[str, object]],
    used: set[int],
) -> dict[int, int]:
    """Greedy, in label order: the first unused record whose title starts with the
    prefix (or is a start of it, when longer than SHORT_TITLE), then the best fuzzy
    ratio against the title's start, if at least MIN_SIMILARITY."""
    keys = [feeds.normalise_key(str(r["title"])) for r in records]
    pairs: dict[int, int] = {}
    for i in wanted:
        prefix = feeds.normalise_key(str(gold[i]["title_prefix"]))
        for j, key in enumerate(keys):
            if j not in used and prefix and _starts(key, prefix):
                pairs[i] = j
                used.add(j)
                break
    for i in wanted:
        if i in pairs:
            continue
        prefix = feeds.normalise_key(str(gold[i]["title_prefix"]))
        best, best_j = 0.0, None
        for j, key in enumerate(keys):
            if j in used:
                continue
            ratio = difflib.SequenceMatcher(None, prefix, key[: len(prefix) + 20]).ratio()
            if ratio > best:
                best, best_j = ratio, j
        if best_j is not None and best >= MIN_SIMILARITY:
            pairs[i] = best_j
            used.add(best_j)
    return pairs


def _starts(key: str, prefix: str) -> bool:
    return key.startswith(prefix) or (len(key) > SHORT_TITLE and prefix.startswith(key))


def _score_one(report: Report, gold: dict[str, object], pred: dict[str, object] | None) -> None:
    reasons: list[str] = []
    if pred is None:
        reasons.append("not found in the feeds")
        pred = {}
    for name in SET_FIELDS:
        g, p = set(gold.get(name) or []), set(pred.get(name) or [])
        report.sets[name].add(g, p)
        if g != p:
            reasons.append(_set_diff(name, g, p, pred))
    g_topics, p_topics = set(gold.get("topics") or []), set(pred.get("topics") or [])
    report.topics_micro.add(g_topics, p_topics)
    for topic in g_topics | p_topics | set(report.topics):
        report.topics.setdefault(topic, PRF()).add(g_topics & {topic}, p_topics & {topic})
    if g_topics != p_topics:
        reasons.append(_set_diff("topics", g_topics, p_topics, pred))
    for name in EXACT_FIELDS:
        if name == "date" and "title_prefix" in gold and gold.get("date") is None:
            continue  # the page gives no date: nothing to score (as score.py)
        report.scored[name] += 1
        if gold.get(name) == pred.get(name):
            report.correct[name] += 1
        elif pred:
            value = pred.get(name)
            reasons.append(f"{name}: {value} ≠ gold {gold.get(name)}{_because(pred, name, value)}")
    if reasons:
        title = gold.get("title") or f"{gold.get('title_prefix')} …"
        report.errors.append((f"{gold.get('date')} {title}", reasons))


def _set_diff(name: str, gold: set[str], pred: set[str], record: dict[str, object]) -> str:
    parts = []
    if pred - gold:
        parts.append(
            "extra " + ",".join(v + _because(record, name, v) for v in sorted(pred - gold))
        )
    if gold - pred:
        parts.append("missing " + ",".join(sorted(gold - pred)))
    return f"{name}: " + "; ".join(parts)


def _because(record: dict[str, object], name: str, value: object) -> str:
    """The rule and words behind a predicted value, from the record's evidence: what to
    look at to fix it (`` [rule: "words"]``), or that no rule fired (a default)."""
    evidence = record.get("evidence") or []
    for e in evidence:
        if isinstance(e, dict) and e.get("field") == name and e.get("value") == value:
            surface = " ".join(str(e.get("surface") or "").split())[:60]
            return f' [{e.get("rule") or "?"}: "{surface}"]' if surface else f" [{e.get('rule')}]"
    return " [no rule fired: default]" if name in EXACT_FIELDS else ""


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
