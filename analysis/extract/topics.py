"""Topics of an article (spec §2 "topics"), driven by the editable taxonomy ``topics.toml``.

The spec asks for topics the article discusses *substantively*: at least one sentence is
mainly about the topic, and one item in an enumeration of three or more areas is only a
passing word. So the classifier is cue-based but scores sentence by sentence:

* one Aho-Corasick automaton holds every cue of every topic and runs once over the
  folded copy of the text that the gazetteer searches too (``Text.words``: lower case,
  accents and punctuation folded, same length as the original so offsets carry over);
  keys are space-padded, so only whole words match;
* overlapping cues resolve to the longest (``UN Security Council`` is multilateral, its
  "security" is not security); ``exclude`` phrases cancel their own topic's cues;
* the title and each sentence are scored apart: strong cue 2, weak cue 1, and a topic needs
  a unit scoring ``THRESHOLD``. Cues inside an official's title ("Minister of Energy"), the
  name of a body or award ("Commission for Trade and Economic Cooperation"), a venue ("on
  the sidelines of the UN General Assembly") or a mixed enumeration do not count.

Adding a topic is a TOML edit: nothing here names a topic. Speed matters (the archive is
re-extracted whenever the rules change), so the work follows the cue hits, not the text:
the automaton pass also reports where the office and venue words stand; sentences are
those of the partner rules (``Text.starts``, found once per text and shared);
the costly checks (titles of office, lists) run only in a sentence that could decide a
topic still open and holds a comma or an office word; lists are found from the pieces'
words and measured only when kept.
"""

from __future__ import annotations

import bisect
import re
import tomllib
from collections.abc import Callable
from dataclasses import dataclass, field, fields
from functools import cache
from itertools import accumulate
from pathlib import Path
from types import MemberDescriptorType
from typing import Any

import ahocorasick

from analysis.extract import fold
from analysis.extract.doc import Doc, Text
from analysis.extract.model import Evidence

DEFAULT_TAXONOMY = Path(__file__).resolve().parent.parent / "data" / "topics.toml"
# Cues in other languages for the same topics: lang/<lang>/topics.toml, added to its tables.
LANGUAGE_CUES = sorted((DEFAULT_TAXONOMY.parent / "lang").glob("*/topics.toml"))

STRONG, WEAK, EXCLUDE = 2, 1, 0  # cue weights; an exclude phrase weighs nothing
THRESHOLD = 2  # one strong cue, or two weak ones, in the same sentence
LIST_ITEM_WORDS = 4  # an inner enumeration item ("human capital development") is this short
COMMA_REACH = 30  # a cue farther than this from any comma cannot be a list item

# Flags stored with each automaton key, next to its cues; a key without flags (most
# matches) is a plain whole-word cue and takes the scan's fast path.
_CASED, _EXCLUDES, _OFFICE, _VENUE, _PREFIX = 1, 2, 4, 8, 16
# Capitalised, these words start or end the title of an office or institution
# ("Minister of Energy", "Energy Minister"); their words say nothing about the talks.
_OFFICE_WORDS = (
    *("minister", "ministry", "department", "secretary", "representative", "commissioner"),
    *("institute", "organization", "organisation", "agency", "committee", "adviser", "advisor"),
    *("commission", "fund", "foundation", "association", "award", "prize"),
)
_OFFICES_AFTER_FIELD = frozenset(
    ("Minister", "Ministry", "Adviser", "Advisor", "Committee", "Agency")
)
# "on the sidelines of the UN General Assembly": a venue, not a subject.
_VENUE_WORDS = ("the sidelines of", "the side-lines of", "the margins of", "on sidelines of")
_MARKED = _OFFICE | _VENUE

_CAPS = r"[A-Z][\w’'-]*(?:(?:,\s*|\s+)(?:(?:and|of|for|the)\s+)*[A-Z][\w’'-]*){0,10}"
# "Minister of Energy", "Minister Delegate for Foreign Trade", "Secretary General of the ..."
_OFFICE_AFTER = re.compile(r"\w+(?:\s+[A-Z]\w+)?\s+(?:of|for)\s+(?:the\s+)?" + _CAPS)
_VENUE_REST = re.compile(r"[^,.;:]*")

# Enumerations: items are split at separators; break words end an item ("cooperation in
# trade": the list starts after "in"), clause words end a list's last item.
# Russian and Kazakh lists too: "и", "или", "а также", "және".
_SEPARATOR = re.compile(r"(,|;|\s(?:a(?:nd|s well as)|or|и|или|а также|және)\s)")
_CONJUNCTIONS = frozenset(("and", "or", "as well as", "и", "или", "а также", "және"))
_HEAD, _TAIL, _WHOLE = 0, 1, 2  # which span of a piece is a list item
_Item = tuple[int, int, bool]  # index into the split parts, _HEAD/_TAIL/_WHOLE, after "and"
_CLAUSE_WORDS = frozenset(
    (
        *("which", "who", "that", "where", "while", "whose", "when"),
        *("который", "которая", "которое", "которые", "где", "что", "когда"),
    )
)
_BREAK_WORDS = _CLAUSE_WORDS | frozenset(
    (
        *("in", "on", "of", "for", "with", "to", "from", "into", "between", "among"),
        *("about", "against", "at", "by", "over", "under", "within", "through", "across"),
        *("including", "covering", "such", "like", "notably", "particularly", "especially"),
        "namely",
        # Russian prepositions: "сотрудничество в сфере торговли, ..." starts at "торговли"
        *("в", "во", "на", "по", "с", "со", "из", "для", "о", "об", "между", "к", "при"),
        *("от", "за", "включая", "частности", "том", "числе", "таких", "как", "сферах"),
        *("сфере", "областях", "области", "направлениям", "вопросам"),
    )
)

Span = tuple[int, int]


@dataclass(frozen=True, slots=True)
class Cue:
    """One taxonomy phrase: its topic, weight (2 strong, 1 weak, 0 exclude) and case rule."""

    topic: str
    phrase: str  # as written in the TOML; named in the evidence rule
    weight: int
    exact_case: str | None  # acronyms like "IT" must appear in exactly this case


Hit = tuple[int, int, tuple[Cue, ...]]  # start, end (offsets into the searched string), cues
Decisive = tuple[int, int, Cue]  # a cue that decided its topic: start, end, the cue


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
    # ahocorasick.Automaton: key -> (key length - 1, cues, flags)
    automaton: Any = field(repr=False)


# --- the taxonomy ----------------------------------------------------------------------


def _cue_key(phrase: str) -> tuple[str, bool]:
    """Automaton key of a phrase: folded words, space-padded where the word must end."""
    prefix = phrase.endswith("*")
    if "*" in phrase.rstrip("*"):
        raise ValueError(f"topic cue {phrase!r}: '*' may only end the last word")
    return " " + " ".join(fold.words(phrase.rstrip("*"))) + ("" if prefix else " "), prefix


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
    _, known, known_flags = automaton.get(key, (0, (), 0))
    merged = {c.topic: c for c in known}
    for c in cues:
        if c.topic not in merged or c.weight > merged[c.topic].weight:
            merged[c.topic] = c
    cues = tuple(merged.values())
    flags |= known_flags | any(c.exact_case for c in cues)
    flags |= _EXCLUDES * any(not c.weight for c in cues) | _PREFIX * prefix
    automaton.add_word(key, (len(key) - 1, cues, flags))


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
    """The bundled taxonomy with its Russian and Kazakh cues, built once per process."""
    raw = tomllib.loads(DEFAULT_TAXONOMY.read_text(encoding="utf-8"))
    for path in LANGUAGE_CUES:
        with_language_cues(raw, tomllib.loads(path.read_text(encoding="utf-8")), path.name)
    return build_taxonomy(raw)


def with_language_cues(raw: dict[str, Any], extra: dict[str, Any], name: str) -> None:
    """Add one language's cues to the taxonomy's tables (the topics stay those of
    ``topics.toml``: a language file cannot invent one)."""
    for topic_id, spec in extra.items():
        if topic_id not in raw:
            raise ValueError(f"{name}: topic {topic_id!r} is not in {DEFAULT_TAXONOMY.name}")
        for key in ("strong", "weak", "exclude"):
            raw[topic_id][key] = [*raw[topic_id].get(key, []), *spec.get(key, [])]


def topic_labels(taxonomy: Taxonomy | None = None) -> dict[str, str]:
    """Topic id → display label, in taxonomy order (for charts and filters)."""
    return {t.id: t.label for t in (taxonomy or default_taxonomy()).topics.values()}


# --- matching --------------------------------------------------------------------------


def _scan(taxonomy: Taxonomy, doc: Text) -> tuple[list[Hit], list[tuple[int, int]]]:
    """Cue hits in ``doc`` (text order, resolved) and (offset, flag) of office/venue words."""
    text, padded = doc.text, doc.words
    hits: list[Hit] = []
    markers: list[tuple[int, int]] = []
    append, seen = hits.append, 0
    for last, (back, cues, flags) in taxonomy.automaton.iter(padded):
        # ``last`` is the padded index of the key's last character; the key's leading
        # space stands at the original index of the cue's first character
        if not flags:  # a plain cue: its trailing space ends it
            append((last - back, last - 1, cues))
            continue
        start = last - back
        if flags & _MARKED and (flags & _VENUE or text[start].isupper()):
            markers.append((start, flags & _MARKED))
        if flags & _CASED:
            cues = _in_case(cues, text, start)
        if cues:
            append((start, padded.find(" ", last + 1) - 1 if flags & _PREFIX else last - 1, cues))
            seen |= flags
    if seen & _EXCLUDES:
        hits = _apply_excludes(hits)
    return _longest(hits), markers


def _in_case(cues: tuple[Cue, ...], text: str, start: int) -> tuple[Cue, ...]:
    """The ``cues`` whose case rule holds at ``start`` ("IT" is a cue, "it" is not)."""
    if len(cues) == 1:  # the usual acronym key
        case = cues[0].exact_case
        return cues if not case or text.startswith(case, start) else ()
    return tuple(c for c in cues if not c.exact_case or text.startswith(c.exact_case, start))


def find_cues(taxonomy: Taxonomy, text: str) -> list[Hit]:
    """Whole-word cue matches in ``text``, in text order, after exclusion and longest-match."""
    return _scan(taxonomy, Text(text))[0] if text else []


def _apply_excludes(hits: list[Hit]) -> list[Hit]:
    """Cancel cues that overlap an exclude phrase of their own topic."""
    excludes = [(s, e, c.topic) for s, e, cues in hits for c in cues if not c.weight]
    if not excludes:  # the exclude phrase failed its case rule
        return hits
    low, high = min(x[0] for x in excludes), max(x[1] for x in excludes)
    out = []
    for hit in hits:
        s, e, cues = hit
        if e <= low or s >= high:  # clear of every exclude phrase
            out.append(hit)
            continue
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


def enumerations(sentence: str) -> list[list[Span]]:
    """Enumerations of three or more items in ``sentence``, each as its items' spans.

    Items are split at commas, "and", "or", "as well as". An inner item is short and has
    no preposition; a longer piece ends the current list with its first words and starts
    the next one with its last words ("cooperation in trade, ..." starts at "trade"). A list
    needs a comma between two items ("X and Y, and Z" is two clauses, not a list).

    Runs are found from the pieces' words alone (a head exists unless the first word stops
    it at once, a tail unless the last word is a break word); only the runs kept as lists
    (few) are then measured by ``_item_span``.
    """
    if "," not in sentence:
        return []
    parts = _SEPARATOR.split(sentence)
    runs: list[list[_Item]] = []
    run: list[_Item] = []
    commas = 0
    lowered = [piece.lower().split() for piece in parts[::2]]
    seps = ["", *(sep.strip() for sep in parts[1::2])]  # the separator before each piece
    for k, (words, sep) in enumerate(zip(lowered, seps, strict=True)):
        if not words:
            continue
        after_conj = sep in _CONJUNCTIONS
        if len(words) <= LIST_ITEM_WORDS and _BREAK_WORDS.isdisjoint(words):
            commas += sep == ","
            run.append((2 * k, _WHOLE, after_conj))
            continue
        if words[0] not in (_CLAUSE_WORDS if after_conj else _BREAK_WORDS):  # a head
            commas += sep == ","
            run.append((2 * k, _HEAD, after_conj))
        elif words[-1] in _BREAK_WORDS:  # neither head nor tail: the piece changes nothing
            continue
        if len(run) >= 3 and commas:
            runs.append(run)
        run, commas = ([(2 * k, _TAIL, after_conj)] if words[-1] not in _BREAK_WORDS else []), 0
    if len(run) >= 3 and commas:
        runs.append(run)
    if not runs:
        return []
    offsets = list(accumulate(map(len, parts), initial=0))
    return [[_item_span(parts[k], offsets[k], part, conj) for k, part, conj in r] for r in runs]


def _item_span(piece: str, offset: int, part: int, after_conj: bool) -> Span:
    """The span of one list item in ``piece`` (which starts at ``offset``): the whole
    piece, its head (up to a preposition) or its tail (after the last one)."""
    lead, end = len(piece) - len(piece.lstrip()), len(piece.rstrip())
    if part == _WHOLE:
        return offset + lead, offset + end
    words, lowered = piece.split(), piece.lower().split()
    if part == _HEAD:
        return offset + lead, offset + _word_end(piece, words, _head_words(lowered, after_conj))
    return offset + _word_start(piece, words, _tail_start(lowered)), offset + end


def _head_words(lowered: list[str], after_conj: bool) -> int:
    """How many leading words of a piece close the list before it.

    Up to a preposition (``LIST_ITEM_WORDS`` at most); after a conjunction the list's last
    item may carry a complement ("engagement with the diaspora"), so only a clause word
    stops it, two words later at most. Only the first words are read.
    """
    if after_conj:
        limit, stops = LIST_ITEM_WORDS + 2, _CLAUSE_WORDS
    else:
        limit, stops = LIST_ITEM_WORDS, _BREAK_WORDS
    for i, word in enumerate(lowered[:limit]):
        if word in stops:
            return i
    return min(len(lowered), limit)


def _tail_start(lowered: list[str]) -> int:
    """Index of the first word of a piece's tail: the last ``LIST_ITEM_WORDS`` words, cut
    after the last break word among them. Only the last words are read."""
    floor = max(len(lowered) - LIST_ITEM_WORDS, 0)
    for i in range(len(lowered) - 1, floor - 1, -1):
        if lowered[i] in _BREAK_WORDS:
            return i + 1
    return floor


def _word_end(piece: str, words: list[str], count: int) -> int:
    """Offset in ``piece`` just after its ``count``-th word (``words`` = piece.split())."""
    at = 0
    for w in words[:count]:
        at = piece.find(w, at) + len(w)
    return at


def _word_start(piece: str, words: list[str], index: int) -> int:
    """Offset in ``piece`` of ``words[index]``, searched from the end (tails are short)."""
    at = len(piece)
    for w in reversed(words[index:]):
        at = piece.rfind(w, 0, at)
    return at


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


def _scores(hits: list[Hit], decided: dict[str, list[Decisive]]) -> dict[str, int]:
    """Topic → summed cue weight of ``hits``, for topics not ``decided`` yet."""
    scores: dict[str, int] = {}
    for _, _, cues in hits:
        for c in cues:
            if c.topic not in decided:
                scores[c.topic] = scores.get(c.topic, 0) + c.weight
    return scores


def _lists_matter(text: str, hits: list[Hit], span: Span, open_scores: dict[str, int]) -> bool:
    """Whether some open topic falls below THRESHOLD without its cues near a comma.

    Only then are the sentence's lists parsed. Each topic that reaches THRESHOLD is
    checked alone and stops as soon as its cues far from commas suffice.
    """
    start, end = span
    if text.find(",", start, end) < 0:
        return False
    for topic, score in open_scores.items():
        if score >= THRESHOLD and _far_from_commas(text, hits, span, topic) < THRESHOLD:
            return True
    return False


def _far_from_commas(text: str, hits: list[Hit], span: Span, topic: str) -> int:
    """Summed weight of ``topic``'s cues with no comma within ``COMMA_REACH``, up to
    THRESHOLD (counting further changes nothing)."""
    start, end = span
    safe = 0
    for h_start, h_end, cues in hits:
        for c in cues:
            if c.topic == topic:
                near = text.find(
                    ",", max(start, h_start - COMMA_REACH), min(end, h_end + COMMA_REACH)
                )
                if near < 0:
                    safe += c.weight
                    if safe >= THRESHOLD:
                        return safe
    return safe


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
    masks = _masks(text, markers, span) if _has_marker(markers, *span) else []
    if masks:
        hits = [h for h in hits if _inside(h[0], h[1], masks) < 0]
    if _lists_matter(text, hits, span, raw):
        start, end = span
        for run in enumerations(text[start:end]):
            hits = _drop_mixed_list(hits, [(a + start, b + start) for a, b in run])
    return hits


def _decide(
    doc: Text,
    hits: list[Hit],
    markers: list[tuple[int, int]],
    whole: bool,
    decided: dict[str, list[Decisive]],
) -> dict[str, list[Decisive]]:
    """Topic → the cues of the first sentence (the whole text if ``whole``) that scores it
    THRESHOLD; ``decided`` topics are skipped.

    Hits are read in text order and cut into sentences as they come: a hit belongs to the
    sentence of its last character. Raw scores add up on the way; a sentence where no
    open topic reaches THRESHOLD is never checked for titles of office and lists.
    """
    found = dict(decided)
    text = doc.text  # a title is one unit (``whole``): its sentences are not read
    unit: list[Hit] = []
    raw: dict[str, int] = {}
    hot = False  # some open topic reaches THRESHOLD in ``unit``
    floor, end = 0, len(text) if whole else -1  # the unit's sentence starts at floor or later
    for hit in hits:
        if hit[1] > end:  # the hit opens the next sentence
            if hot:
                _settle(doc, unit, (floor, end), markers, whole, raw, found)
            floor = max(end, 0)
            end = doc.sentence_span(hit[1] - 1)[1]
            unit, raw, hot = [], {}, False
        unit.append(hit)
        for c in hit[2]:
            if c.topic not in found:
                score = raw[c.topic] = raw.get(c.topic, 0) + c.weight
                hot |= score >= THRESHOLD
    if hot:
        _settle(doc, unit, (floor, end), markers, whole, raw, found)
    return {t: h for t, h in found.items() if t not in decided}


def _settle(
    doc: Text,
    unit: list[Hit],
    bounds: Span,
    markers: list[tuple[int, int]],
    whole: bool,
    raw: dict[str, int],
    found: dict[str, list[Decisive]],
) -> None:
    """Add to ``found`` the open topics that the sentence of ``unit`` decides once titles of
    office, venues and lists are left out; ``raw`` are its scores.

    The sentence lies within ``bounds`` (from the previous sentence with hits to its own
    end); when no comma or office word stands there, nothing can be left out.
    """
    floor, end = bounds
    text = doc.text
    if text.find(",", floor, end) >= 0 or _has_marker(markers, floor, end):
        start = 0 if whole else doc.sentence_span(unit[0][1] - 1)[0]
        kept = _substantive(text, unit, (start, end), markers, raw)
        if kept is not unit:
            unit, raw = kept, _scores(kept, found)
    for topic, score in raw.items():
        if score >= THRESHOLD:
            found[topic] = [(s, e, c) for s, e, cues in unit for c in cues if c.topic == topic]


def _has_marker(markers: list[tuple[int, int]], start: int, end: int) -> bool:
    """Whether an office or venue word stands in [start, end)."""
    first = bisect.bisect_left(markers, (start, 0))
    return first < len(markers) and markers[first][0] < end


def _evidence(found: dict[str, list[Decisive]], text: str, where: str) -> list[Evidence]:
    """Evidence records of the cues that decided each topic."""
    return [
        _new_evidence(
            "topics", topic, text[start:end], start, end, where, f"{where}-cue:{c.phrase}"
        )
        for topic, cues in found.items()
        for start, end, c in cues
    ]


def _evidence_factory() -> Callable[[str, str, str, int, int, str, str], Evidence]:
    """A constructor of ``Evidence`` from its fields in order, about twice as fast.

    Evidence is a frozen slots dataclass, whose ``__init__`` pays ``object.__setattr__``
    per field; an article yields several records, and this was a tenth of the topic
    time. The slots are set directly instead. Should ``Evidence`` change shape (other
    fields, or no slots), its own constructor is used.
    """
    names = ("field", "value", "surface", "start", "end", "where", "rule")
    slots = [vars(Evidence).get(name) for name in names]
    if tuple(f.name for f in fields(Evidence)) != names or not all(
        isinstance(slot, MemberDescriptorType) for slot in slots
    ):
        return Evidence
    new = object.__new__
    s_field, s_value, s_surface, s_start, s_end, s_where, s_rule = (s.__set__ for s in slots)

    def make(
        field_name: str, value: str, surface: str, start: int, end: int, where: str, rule: str
    ) -> Evidence:
        record = new(Evidence)
        s_field(record, field_name)
        s_value(record, value)
        s_surface(record, surface)
        s_start(record, start)
        s_end(record, end)
        s_where(record, where)
        s_rule(record, rule)
        return record

    return make


_new_evidence = _evidence_factory()


def classify(
    taxonomy: Taxonomy, title: str | Text, text: str | Text
) -> tuple[list[str], list[Evidence]]:
    """Topics of one article under ``taxonomy``: sorted ids and the evidence behind them.

    The headline is one unit, without titles of office (its Title Case would make any
    office swallow the rest of it). A topic the title decides takes its evidence from
    there; the body is then read for the other topics only. Strings are read as a
    :class:`Text` each (an article's :class:`Doc` has them made already).
    """
    title = title if isinstance(title, Text) else Text(title, "title")
    text = text if isinstance(text, Text) else Text(text, "text")
    in_title: dict[str, list[Decisive]] = {}
    if title.text:
        hits, markers = _scan(taxonomy, title)
        venues = [m for m in markers if m[1] & _VENUE]
        in_title = _decide(title, hits, venues, True, {})
    in_text: dict[str, list[Decisive]] = {}
    if text.text:
        hits, markers = _scan(taxonomy, text)
        in_text = _decide(text, hits, markers, False, in_title)
    evidence = _evidence(in_title, title.text, "title") + _evidence(in_text, text.text, "text")
    return sorted(in_title.keys() | in_text.keys()), evidence


def find_topics(doc: Doc) -> tuple[list[str], list[Evidence]]:
    """Topics of one article under the bundled taxonomy: sorted ids and their evidence."""
    return classify(default_taxonomy(), doc.title, doc.body)
