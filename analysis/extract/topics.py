"""Topics of an article (spec §2 "topics"), driven by the editable taxonomy ``topics.toml``.

The spec asks for topics the article discusses *substantively*: at least one sentence is
mainly about the topic, and one item in an enumeration of three or more areas is only a
passing word. So the classifier is cue-based but scores sentence by sentence:

* one Aho-Corasick automaton holds every cue of every topic and runs once over a
  normalised copy of the text (lower case, punctuation blanked, same length as the
  original so offsets carry over); keys are space-padded, so only whole words match;
* overlapping cues resolve to the longest (``UN Security Council`` is multilateral, its
  "security" is not security); ``exclude`` phrases cancel their own topic's cues;
* the title and each sentence are scored apart: strong cue 2, weak cue 1, and a topic needs
  a unit scoring ``THRESHOLD``. Cues inside an official's title ("Minister of Energy"), a
  venue ("on the sidelines of the UN General Assembly") or a mixed enumeration do not count.

Adding a topic is a TOML edit: nothing here names a topic. Speed matters (the archive is
re-extracted whenever the rules change), so the costly checks (titles of office, lists)
run only in a sentence that could decide a topic still open, and the automaton pass also
reports where the office and venue words stand.
"""

from __future__ import annotations

import bisect
import re
import tomllib
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import ahocorasick

from analysis.extract.model import Evidence

DEFAULT_TAXONOMY = Path(__file__).resolve().parent.parent / "data" / "topics.toml"

STRONG, WEAK, EXCLUDE = 2, 1, 0  # cue weights; an exclude phrase weighs nothing
THRESHOLD = 2  # one strong cue, or two weak ones, in the same sentence
LIST_ITEM_WORDS = 4  # an inner enumeration item ("human capital development") is this short
COMMA_REACH = 30  # a cue farther than this from any comma cannot be a list item

# Characters that may touch a word; blanked (1:1, offsets kept) before matching.
_PUNCTUATION = "\n\t\r\xa0()[]{}\"“”„‘’'«»/\\–—-,;:.!?…·•|"

# Flags stored with each automaton key, next to its cues.
_CASED, _EXCLUDES, _OFFICE, _VENUE = 1, 2, 4, 8
# Capitalised, these words start or end the title of an office or institution
# ("Minister of Energy", "Energy Minister"); their words say nothing about the talks.
_OFFICE_WORDS = (
    *("minister", "ministry", "department", "secretary", "representative", "commissioner"),
    *("institute", "organization", "organisation", "agency", "committee", "adviser", "advisor"),
)
_OFFICES_AFTER_FIELD = frozenset(
    ("Minister", "Ministry", "Adviser", "Advisor", "Committee", "Agency")
)
# "on the sidelines of the UN General Assembly": a venue, not a subject.
_VENUE_WORDS = ("the sidelines of", "the side-lines of", "the margins of", "on sidelines of")

_CAPS = r"[A-Z][\w’'-]*(?:(?:,\s*|\s+)(?:(?:and|of|for|the)\s+)*[A-Z][\w’'-]*){0,10}"
_OFFICE_AFTER = re.compile(r"\w+\s+(?:of|for)\s+(?:the\s+)?" + _CAPS)
_VENUE_REST = re.compile(r"[^,.;:]*")

# Enumerations: items are split at separators; break words end an item ("cooperation in
# trade": the list starts after "in"), clause words end a list's last item.
_SEPARATOR = re.compile(r"(,|;|\s(?:and|or|as well as)\s)")
_CONJUNCTIONS = frozenset(("and", "or", "as well as"))
_CLAUSE_WORDS = frozenset(("which", "who", "that", "where", "while", "whose", "when"))
_BREAK_WORDS = _CLAUSE_WORDS | frozenset(
    (
        *("in", "on", "of", "for", "with", "to", "from", "into", "between", "among"),
        *("about", "against", "at", "by", "over", "under", "within", "through", "across"),
        *("including", "covering", "such", "like", "notably", "particularly", "especially"),
        "namely",
    )
)

# Sentence ends: a full stop before white space, not after a lone capital ("U.S.", "D. Name").
_SENTENCE_END = re.compile(r"\.(?<![\s.][A-Z]\.)[\"”’)]?\s")
_NEWLINE = re.compile("\n")

Span = tuple[int, int]


@dataclass(frozen=True, slots=True)
class Cue:
    """One taxonomy phrase: its topic, weight (2 strong, 1 weak, 0 exclude) and case rule."""

    topic: str
    phrase: str  # as written in the TOML; named in the evidence rule
    weight: int
    exact_case: str | None  # acronyms like "IT" must appear in exactly this case


Hit = tuple[int, int, tuple[Cue, ...]]  # start, end (offsets into the searched string), cues


@dataclass(frozen=True, slots=True)
class Topic:
    """Display data of one topic id (the dashboard shows ``label``)."""

    id: str
    label: str
    description: str


@dataclass(frozen=True)
class Taxonomy:
    """The topics and the one automaton that holds all their cues."""

    topics: dict[str, Topic]
    # ahocorasick.Automaton: key -> (key length, is prefix, cues, flags)
    automaton: Any = field(repr=False)


def normalise(text: str) -> str:
    """Lower-case ``text`` and blank its punctuation, keeping every offset in place."""
    for ch in _PUNCTUATION:
        text = text.replace(ch, " ")
    low = text.lower()
    if len(low) != len(text):  # a rare letter that lower-cases to two ("İ")
        low = "".join(c.lower()[:1] for c in text)
    return low


# --- the taxonomy ----------------------------------------------------------------------


def _cue_key(phrase: str) -> tuple[str, bool]:
    """Automaton key of a phrase: normalised words, space-padded where the word must end."""
    prefix = phrase.endswith("*")
    words = normalise(phrase.rstrip("*")).split()
    return " " + " ".join(words) + ("" if prefix else " "), prefix


def _cues_of(topic: str, spec: dict[str, Any]) -> list[Cue]:
    """All cues of one TOML table, weighted by the list they sit in."""
    cues = []
    for key, weight in (("strong", STRONG), ("weak", WEAK), ("exclude", EXCLUDE)):
        for phrase in spec.get(key, []):
            bare = phrase.rstrip("*")
            cues.append(Cue(topic, phrase, weight, bare if bare != bare.lower() else None))
    return cues


def _add(automaton: Any, phrase: str, cues: tuple[Cue, ...], flags: int) -> None:
    """Add cues (or a marker flag) under a phrase's key, merging with what is there.

    A key keeps one cue per topic, the heaviest: "secretary-general" and "secretary
    general" are one key, and one mention must not count twice.
    """
    key, prefix = _cue_key(phrase)
    if not key.strip():
        return
    _, _, known, known_flags = automaton.get(key, (0, prefix, (), 0))
    merged = {c.topic: c for c in known}
    for c in cues:
        if c.topic not in merged or c.weight > merged[c.topic].weight:
            merged[c.topic] = c
    cues = tuple(merged.values())
    flags |= known_flags | any(c.exact_case for c in cues)
    flags |= _EXCLUDES * any(not c.weight for c in cues)
    automaton.add_word(key, (len(key), prefix, cues, flags))


def build_taxonomy(source: Path | str | dict[str, Any] | None = None) -> Taxonomy:
    """Build a taxonomy from a TOML file, TOML text or a parsed dict (None: the bundled one).

    Every table of the TOML is a topic; tests and users can pass their own file.
    """
    if source is None:
        source = DEFAULT_TAXONOMY
    if isinstance(source, Path):
        source = source.read_text(encoding="utf-8")
    raw = tomllib.loads(source) if isinstance(source, str) else source
    automaton = ahocorasick.Automaton()
    topics = {}
    for topic_id, spec in raw.items():
        if isinstance(spec, dict):
            label, description = spec.get("label", topic_id), spec.get("description", "")
            topics[topic_id] = Topic(topic_id, label, description)
            for cue in _cues_of(topic_id, spec):
                _add(automaton, cue.phrase, (cue,), 0)
    for word in _OFFICE_WORDS:
        _add(automaton, word, (), _OFFICE)
    for words in _VENUE_WORDS:
        _add(automaton, words, (), _VENUE)
    automaton.make_automaton()
    return Taxonomy(topics, automaton)


@cache
def default_taxonomy() -> Taxonomy:
    """The bundled taxonomy, built once per process on first use."""
    return build_taxonomy()


def topic_labels(taxonomy: Taxonomy | None = None) -> dict[str, str]:
    """Topic id → display label, in taxonomy order (for charts and filters)."""
    return {t.id: t.label for t in (taxonomy or default_taxonomy()).topics.values()}


# --- matching --------------------------------------------------------------------------


def _scan(taxonomy: Taxonomy, text: str) -> tuple[list[Hit], list[tuple[int, int]]]:
    """Cue hits in ``text`` (text order, resolved) and (offset, flag) of office/venue words."""
    padded = " " + normalise(text) + " "
    hits: list[Hit] = []
    markers: list[tuple[int, int]] = []
    append, find, seen = hits.append, padded.find, 0
    cased, marked, venue = _CASED, _OFFICE | _VENUE, _VENUE  # locals: this loop is hot
    for last, (key_len, prefix, cues, flags) in taxonomy.automaton.iter(padded):
        start = last - key_len + 1  # padded index of the leading space = original start
        if flags & marked and (flags & venue or text[start].isupper()):
            markers.append((start, flags & marked))
        if flags & cased:
            cues = tuple(
                c for c in cues if not c.exact_case or text.startswith(c.exact_case, start)
            )
        if cues:
            append((start, find(" ", last + 1) - 1 if prefix else last - 1, cues))
            seen |= flags
    if seen & _EXCLUDES:
        hits = _apply_excludes(hits)
    return _longest(hits), markers


def find_cues(taxonomy: Taxonomy, text: str) -> list[Hit]:
    """Whole-word cue matches in ``text``, in text order, after exclusion and longest-match."""
    return _scan(taxonomy, text)[0] if text else []


def _apply_excludes(hits: list[Hit]) -> list[Hit]:
    """Cancel cues that overlap an exclude phrase of their own topic."""
    excludes = [(s, e, c.topic) for s, e, cues in hits for c in cues if not c.weight]
    out = []
    for s, e, cues in hits:
        cancelled = [t for a, b, t in excludes if a < e and s < b]
        if cancelled:
            cues = tuple(c for c in cues if c.weight and c.topic not in cancelled)
        if cues:
            out.append((s, e, cues))
    return out


def _longest(hits: list[Hit]) -> list[Hit]:
    """Drop cues inside a longer cue, whatever its topic.

    The automaton reports matches by end position, longest first for a shared end, so a
    stack suffices: a new match swallows the kept ones that start at or after it.
    """
    kept: list[Hit] = []
    for h in hits:
        if kept and kept[-1][1] >= h[1] and kept[-1][0] <= h[0]:
            continue
        while kept and kept[-1][0] >= h[0]:
            kept.pop()
        kept.append(h)
    return kept


# --- sentences, enumerations, titles of office -----------------------------------------


def sentence_ends(text: str) -> list[int]:
    """End offset of each sentence (a line break, or ". " not closing an initial as in
    "U.S." or "D. Name"); the last is ``len(text)``. "?"/"!" are rare in news and ignored."""
    ends = [m.start() + 1 for m in _SENTENCE_END.finditer(text)]
    if "\n" in text:
        ends += [m.start() for m in _NEWLINE.finditer(text)]
        ends.sort()
    ends.append(len(text))
    return ends


def enumerations(sentence: str) -> list[list[Span]]:
    """Enumerations of three or more items in ``sentence``, each as its items' spans.

    Items are split at commas, "and", "or", "as well as". An inner item is short and has
    no preposition; a longer piece ends the current list with its first words and starts
    the next one with its last words ("cooperation in trade, ..." starts at "trade"). A list
    needs a comma between two items ("X and Y, and Z" is two clauses, not a list).
    """
    if "," not in sentence:
        return []
    parts = _SEPARATOR.split(sentence)
    runs: list[list[Span]] = []
    run: list[Span] = []
    commas, pos, sep = 0, 0, ""
    for k in range(0, len(parts), 2):
        piece = parts[k]
        head, tail, whole = _item_parts(piece, pos, after_conj=sep in _CONJUNCTIONS)
        commas += sep == "," and bool(head or whole)
        if whole:
            run.append(whole)
        elif head or tail:
            if head:
                run.append(head)
            _close_run(run, commas, runs)
            run, commas = ([tail] if tail else []), 0
        pos += len(piece)
        if k + 1 < len(parts):
            sep = parts[k + 1].strip()
            pos += len(parts[k + 1])
    _close_run(run, commas, runs)
    return runs


def _item_parts(
    piece: str, offset: int, after_conj: bool
) -> tuple[Span | None, Span | None, Span | None]:
    """A piece between separators → (listed head, listed tail, the whole piece if an item)."""
    lowered = piece.lower().split()
    if not lowered:
        return None, None, None
    if len(lowered) <= LIST_ITEM_WORDS and _BREAK_WORDS.isdisjoint(lowered):
        lead = len(piece) - len(piece.lstrip())
        return None, None, (offset + lead, offset + len(piece.rstrip()))
    breaks = [i for i, w in enumerate(lowered) if w in _BREAK_WORDS]
    if after_conj:  # a list's last item may carry a complement: "engagement with the diaspora"
        stop = next((i for i, w in enumerate(lowered) if w in _CLAUSE_WORDS), len(lowered))
        n_head = min(stop, LIST_ITEM_WORDS + 2)
    else:
        n_head = min(breaks[0] if breaks else len(lowered), LIST_ITEM_WORDS)
    first_tail = max(breaks[-1] + 1 if breaks else 0, len(lowered) - LIST_ITEM_WORDS)
    words = piece.split()
    head = tail = None
    if n_head:
        lead = len(piece) - len(piece.lstrip())
        head = (offset + lead, offset + _word_end(piece, words, n_head))
    if first_tail < len(words):
        tail = (
            offset + _word_end(piece, words, first_tail + 1) - len(words[first_tail]),
            offset + len(piece.rstrip()),
        )
    return head, tail, None


def _word_end(piece: str, words: list[str], count: int) -> int:
    """Offset in ``piece`` just after its ``count``-th word (``words`` = piece.split())."""
    at = 0
    for w in words[:count]:
        at = piece.find(w, at) + len(w)
    return at


def _close_run(run: list[Span], commas: int, out: list[list[Span]]) -> None:
    """Keep a run of items as an enumeration when it has 3+ items and a separating comma."""
    if len(run) >= 3 and commas:
        out.append(run)


def _masks(text: str, markers: list[tuple[int, int]], span: Span) -> list[Span]:
    """Spans of ``text[span]`` whose words are no evidence: titles of office and venues."""
    start, end = span
    spans = []
    for pos, flag in markers[bisect.bisect_left(markers, (start, 0)) :]:
        if pos >= end:
            break
        if flag & _VENUE:
            rest = _VENUE_REST.match(text, pos, end)  # always matches, maybe empty
            spans.append((pos, rest.end() if rest else pos))
            continue
        word_end = pos + len(text[pos:end].split(None, 1)[0])
        after = _OFFICE_AFTER.match(text, pos, end)
        if after:  # from after the office word: a cue naming the body itself stays
            spans.append((word_end, after.end()))
        if text[pos:word_end] in _OFFICES_AFTER_FIELD:
            spans.append((_capitalised_before(text, pos, start), word_end))
    return spans


def _capitalised_before(text: str, pos: int, floor: int) -> int:
    """Start of the (up to three) capitalised words just before ``pos``: "Energy Minister"."""
    begin = pos
    for _ in range(3):
        prev = text.rfind(" ", floor, begin - 1) + 1
        if prev >= begin - 1 or not text[max(prev, floor)].isupper():
            break
        begin = max(prev, floor)
    return begin


# --- scoring ---------------------------------------------------------------------------


def _inside(start: int, end: int, spans: list[Span]) -> int:
    """Index of the span that holds [start, end), or -1."""
    for i, (a, b) in enumerate(spans):
        if a <= start and end <= b:
            return i
    return -1


def _scores(hits: list[Hit], decided: dict[str, list[Hit]]) -> dict[str, int]:
    """Topic → summed cue weight of ``hits``, for topics not ``decided`` yet."""
    scores: dict[str, int] = {}
    for _, _, cues in hits:
        for c in cues:
            if c.topic not in decided:
                scores[c.topic] = scores.get(c.topic, 0) + c.weight
    return scores


def _lists_matter(text: str, hits: list[Hit], span: Span, open_scores: dict[str, int]) -> bool:
    """Whether some open topic falls below THRESHOLD without its cues near a comma."""
    start, end = span
    if text.find(",", start, end) < 0:
        return False
    safe = dict.fromkeys(open_scores, 0)
    for h_start, h_end, cues in hits:
        if text.find(",", max(start, h_start - COMMA_REACH), min(end, h_end + COMMA_REACH)) < 0:
            for c in cues:
                if c.topic in safe:
                    safe[c.topic] += c.weight
    return any(safe[t] < THRESHOLD for t, score in open_scores.items() if score >= THRESHOLD)


def _drop_mixed_list(hits: list[Hit], items: list[Span]) -> list[Hit]:
    """``hits`` without those in ``items``, unless the list is about one topic only.

    A list whose cue-bearing items all belong to one topic and fill two thirds of it
    ("education, science and culture") is about that topic; a mixed one is passing.
    """
    where = [_inside(h[0], h[1], items) for h in hits]
    topics = {c.topic for h, k in zip(hits, where, strict=True) if k >= 0 for c in h[2]}
    filled = {k for k in where if k >= 0}
    if len(topics) <= 1 and 3 * len(filled) >= 2 * len(items):
        return hits
    return [h for h, k in zip(hits, where, strict=True) if k < 0]


def _substantive(
    text: str, hits: list[Hit], span: Span, markers: list[tuple[int, int]], raw: dict[str, int]
) -> list[Hit]:
    """The ``hits`` of one sentence that are not in a title of office, venue or mixed list."""
    masks = _masks(text, markers, span) if markers else []
    if masks:
        hits = [h for h in hits if _inside(h[0], h[1], masks) < 0]
    if _lists_matter(text, hits, span, raw):
        start, end = span
        for run in enumerations(text[start:end]):
            hits = _drop_mixed_list(hits, [(a + start, b + start) for a, b in run])
    return hits


def _decide(
    text: str,
    hits: list[Hit],
    markers: list[tuple[int, int]],
    ends: list[int],
    decided: dict[str, list[Hit]],
) -> dict[str, list[Hit]]:
    """Topic → the cues of the first sentence (unit ending at one of ``ends``) that scores
    it THRESHOLD; ``decided`` topics are skipped. A sentence that cannot reach THRESHOLD
    by its raw score is never checked for titles of office and lists."""
    found = dict(decided)
    # topics whose cues in the whole text cannot reach THRESHOLD are never decided: once
    # every other topic is, the rest of the text can be skipped
    decidable = {t for t, score in _scores(hits, found).items() if score >= THRESHOLD}
    for u, unit in _by_sentence(hits, ends):
        if decidable.issubset(found):
            break
        single_weak = len(unit) == 1 and all(c.weight < THRESHOLD for c in unit[0][2])
        raw = {} if single_weak else _scores(unit, found)
        if any(score >= THRESHOLD for score in raw.values()):
            kept = _substantive(text, unit, (ends[u - 1] if u else 0, ends[u]), markers, raw)
            for topic, score in _scores(kept, found).items():
                if score >= THRESHOLD:
                    found[topic] = [h for h in kept if any(c.topic == topic for c in h[2])]
    return {t: h for t, h in found.items() if t not in decided}


def _by_sentence(hits: list[Hit], ends: list[int]) -> list[tuple[int, list[Hit]]]:
    """(sentence index, its hits) in text order; ``ends[-1]`` closes the text."""
    groups: list[tuple[int, list[Hit]]] = []
    u, last = 0, len(ends) - 1
    for h in hits:
        while u < last and ends[u] < h[1]:
            u += 1
        if groups and groups[-1][0] == u:
            groups[-1][1].append(h)
        else:
            groups.append((u, [h]))
    return groups


def _evidence(found: dict[str, list[Hit]], text: str, where: str) -> list[Evidence]:
    """Evidence records of the cues that decided each topic."""
    out = []
    for topic, hits in found.items():
        for start, end, cues in hits:
            phrase = next(c.phrase for c in cues if c.topic == topic)
            rule = f"{where}-cue:{phrase}"
            out.append(Evidence("topics", topic, text[start:end], start, end, where, rule))
    return out


def classify(taxonomy: Taxonomy, title: str, text: str) -> tuple[list[str], list[Evidence]]:
    """Topics of one article under ``taxonomy``: sorted ids and the evidence behind them.

    The headline is one unit, without titles of office (its Title Case would make any
    office swallow the rest of it). A topic the title decides takes its evidence from
    there; the body is then read for the other topics only.
    """
    in_title: dict[str, list[Hit]] = {}
    if title:
        hits, markers = _scan(taxonomy, title)
        venues = [m for m in markers if m[1] & _VENUE]
        in_title = _decide(title, hits, venues, [len(title)], {})
    in_text: dict[str, list[Hit]] = {}
    if text:
        hits, markers = _scan(taxonomy, text)
        in_text = _decide(text, hits, markers, sentence_ends(text), in_title)
    evidence = _evidence(in_title, title, "title") + _evidence(in_text, text, "text")
    return sorted(in_title.keys() | in_text.keys()), evidence


def find_topics(title: str, text: str) -> tuple[list[str], list[Evidence]]:
    """Topics of one article under the bundled taxonomy: sorted ids and their evidence."""
    return classify(default_taxonomy(), title, text)
