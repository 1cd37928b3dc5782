"""The rule language: phrases over the folded words of a :class:`Text`, as data.

A rule file (``analysis/data/rules/<lang>/<family>.toml``) holds named rules, each with
a one-line reason, its phrases and its own examples::

    [[rule]]
    name = "venue"
    reason = "a preposition or a travel word just before a place names where it happened"
    phrases = ["in|at [the] {PLACE}", "visit|trip to [the] {PLACE}", "{PLACE} hosts|hosted"]
    matches = ["The talks were held in [Ankara]."]
    does_not_match = ["[Ankara] and Astana agreed."]

Phrase syntax, word by word (words are compared folded: lower case, accents off):
``a|b`` one of the words; ``invest*`` a word starting so; ``[the]`` an optional word;
``_`` any one word, ``[_]`` an optional one; ``{PLACE}`` (or any ``{SLOT}``) the mention
the rule is asked about. A phrase with a slot must touch it; a phrase without one is a
cue found anywhere in the window. ``veto`` phrases of a cue rule cancel a cue they
overlap ("letter" is remote, "letter of credence" is not). Matching never crosses a
sentence and reads at most :data:`WINDOW_WORDS` words either side of a mention, so its
cost is bounded whatever the text: there is no backtracking over characters.

Examples mark the mention with ``[...]``; ``tests/test_rules.py`` runs every example.
"""

from __future__ import annotations

import bisect
import functools
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from analysis.extract.doc import Text
from analysis.extract.fold import lower

RULES_DIR = Path(__file__).resolve().parents[1] / "data" / "rules"
WINDOW_WORDS = 12
# Characters of a span split into words at most: a rule reads a sentence, a title or the
# words around a mention, and no real one is longer; a 1 MB run without a sentence end
# is then read as its first and last stretch, not split whole for every rule.
MAX_SPAN = 4000
_SLOT_RE = re.compile(r"\{[A-Z]+\}")
_WORD_RE = re.compile(r"[^\W_]+(?:['’][^\W_]+)?")
# Words and punctuation marks; a hyphen inside a word ("secretary-general") is no mark.
# Read in the cleaned text, where a typed dash ("–") is still not a hyphen ("-").
_TOKEN_RE = re.compile(r"[^\W_]+(?:['’][^\W_]+)?|[^\w\s-]|(?<![^\W_])-|-(?![^\W_])")


@dataclass(frozen=True, slots=True)
class _Word:
    words: frozenset[str]  # whole words, folded; empty for "_"
    prefixes: tuple[str, ...]
    optional: bool

    def accepts(self, word: str) -> bool:
        if word in self.words:
            return True
        if self.prefixes:
            return word.startswith(self.prefixes)
        return not self.words and word[0].isalnum()  # "_": any word, never a mark


@dataclass(frozen=True, slots=True)
class Phrase:
    """One compiled phrase: the words before and after its slot (or all, for a cue)."""

    source: str
    before: tuple[_Word, ...]  # read backwards from the slot
    after: tuple[_Word, ...]
    slot: bool


def compile_phrase(source: str) -> Phrase:
    """Parse one phrase of the syntax above."""
    parts = source.split()
    slots = [i for i, p in enumerate(parts) if _SLOT_RE.fullmatch(p)]
    if len(slots) > 1:
        raise ValueError(f"phrase {source!r}: one slot at most")
    if slots:
        i = slots[0]
        before = tuple(_word(p, source) for p in reversed(parts[:i]))
        return Phrase(source, before, tuple(_word(p, source) for p in parts[i + 1 :]), True)
    return Phrase(source, (), tuple(_word(p, source) for p in parts), False)


def _word(part: str, source: str) -> _Word:
    optional = part.startswith("[") and part.endswith("]")
    part = part.strip("[]")
    if not part:
        raise ValueError(f"phrase {source!r}: empty word")
    if part == "_":
        return _Word(frozenset(), (), optional)
    alternatives = [lower(a) for a in part.split("|")]
    words = frozenset(a for a in alternatives if not a.endswith("*"))
    prefixes = tuple(a[:-1] for a in alternatives if a.endswith("*"))
    if any(not p for p in prefixes) or any(not _WORD_RE.fullmatch(w) for w in words):
        raise ValueError(f"phrase {source!r}: bad word {part!r}")
    return _Word(words, prefixes, optional)


def _match(pattern: tuple[_Word, ...], words: list[str], i: int, limit: int) -> int:
    """Index past the words ``pattern`` matches from ``words[i]`` (before ``limit``), or -1.

    Patterns are a few words long and read a bounded window, so trying an optional word
    both ways costs little."""
    if not pattern:
        return i
    head, rest = pattern[0], pattern[1:]
    if i < limit and head.accepts(words[i]):
        end = _match(rest, words, i + 1, limit)
        if end != -1:
            return end
    return _match(rest, words, i, limit) if head.optional else -1


@dataclass(frozen=True)
class Rule:
    """A named rule: phrases that fire, phrases that veto, the reason and examples."""

    name: str
    reason: str
    phrases: tuple[Phrase, ...]
    vetoes: tuple[Phrase, ...]
    matches: tuple[str, ...]
    does_not_match: tuple[str, ...]
    # Phrases by the word they can start with (None: any word): cues by their first word,
    # slot phrases by the word next to the slot on their side, so a rule tries only the
    # phrases that the words around a mention can begin.
    _cues: dict[str | None, list[Phrase]] = field(init=False, repr=False, compare=False)
    _left: dict[str | None, list[Phrase]] = field(init=False, repr=False, compare=False)
    _right: dict[str | None, list[Phrase]] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        cues: dict[str | None, list[Phrase]] = {}
        left: dict[str | None, list[Phrase]] = {}
        right: dict[str | None, list[Phrase]] = {}
        for p in self.phrases:
            index, words = (left, p.before) if p.before else (right, p.after)
            for key in _first_words(words):
                (index if p.slot else cues).setdefault(key, []).append(p)
        object.__setattr__(self, "_cues", cues)
        object.__setattr__(self, "_left", left)
        object.__setattr__(self, "_right", right)

    def touches(self, text: Text, start: int, end: int) -> bool:
        """Whether a phrase with a slot holds for the mention at ``text[start:end]``."""
        lo, hi = text.sentence_span(start)
        if hi - lo > MAX_SPAN:  # no real sentence: the words around the mention only
            lo, hi = max(lo, start - MAX_SPAN // 2), min(hi, end + MAX_SPAN // 2)
        words, starts = _words(text, lo, hi)
        i = bisect.bisect_left(starts, start)  # first word of the mention
        j = _past_suffix(words, bisect.bisect_left(starts, end))  # first word after it
        left = words[max(0, i - WINDOW_WORDS) : i][::-1]
        right = words[j : j + WINDOW_WORDS]
        for index, side in ((self._left, left), (self._right, right)):
            if not index:
                continue
            candidates = index.get(None, [])
            if side and side[0] in index:
                candidates = [*index[side[0]], *candidates]
            for p in candidates:
                if (
                    _match(p.before, left, 0, len(left)) != -1
                    and _match(p.after, right, 0, len(right)) != -1
                ):
                    return True
        return False

    def found(self, text: Text, start: int = 0, end: int | None = None) -> bool:
        """Whether a phrase without a slot stands in ``text[start:end]``, not vetoed."""
        end = len(text.text) if end is None else end
        words, _ = _words(text, start, min(end, start + MAX_SPAN))
        lo, hi = 0, len(words)
        cues, anywhere = self._cues, self._cues.get(None, [])
        for k in range(lo, hi):
            for p in cues.get(words[k], anywhere):
                stop = _match(p.after, words, k, hi)
                if stop != -1 and not self._vetoed(words, k, stop, hi):
                    return True
            if anywhere and words[k] in cues:
                for p in anywhere:
                    stop = _match(p.after, words, k, hi)
                    if stop != -1 and not self._vetoed(words, k, stop, hi):
                        return True
        return False

    def _vetoed(self, words: list[str], start: int, stop: int, limit: int) -> bool:
        for v in self.vetoes:
            for k in range(max(0, start - len(v.after)), stop):
                end = _match(v.after, words, k, limit)
                if end != -1 and end > start:
                    return True
        return False


def _first_words(words: tuple[_Word, ...]) -> set[str | None]:
    """The words a match of ``words`` can begin with; None when it can begin with any."""
    found: set[str | None] = set()
    for w in words:
        if w.prefixes or not w.words:
            return {None}
        found |= w.words
        if not w.optional:
            return found
    return {None}  # all optional: it may match nothing


def _words(text: Text, start: int, end: int) -> tuple[list[str], list[int]]:
    """Folded words and punctuation marks of ``text[start:end]`` (a sentence, usually)
    with their offsets, found once per span: only the sentences a rule reads are split.
    Marks are tokens of their own, so no gap (``_``) and no phrase steps over a comma or
    a dash; a hyphen joining two words is not one. Only an ASCII hyphen joins: a dash
    typed as such ("EU–Central Asia") stays a mark."""
    spans_seen = text.__dict__.setdefault("_pattern_words", {})
    cached = spans_seen.get((start, end))
    if cached is None:
        low = text.lower
        spans = [m.span() for m in _TOKEN_RE.finditer(text.text, start, end)]
        cached = spans_seen[start, end] = ([low[s:e] for s, e in spans], [s for s, _ in spans])
    return cached


def _past_suffix(words: list[str], j: int) -> int:
    """Past what a name carries after it: "OPEC+", "OSCE/ODIHR" ("+", "/" and a word)."""
    if j < len(words) and words[j] == "+":
        j += 1
    if j + 1 < len(words) and words[j] == "/" and words[j + 1][0].isalnum():
        j += 2
    return j


def _rule(entry: dict[str, Any], path: Path) -> Rule:
    try:
        return Rule(
            name=entry["name"],
            reason=entry["reason"],
            phrases=tuple(compile_phrase(p) for p in entry["phrases"]),
            vetoes=tuple(compile_phrase(p) for p in entry.get("veto", ())),
            matches=tuple(entry.get("matches", ())),
            does_not_match=tuple(entry.get("does_not_match", ())),
        )
    except (KeyError, ValueError) as exc:
        raise ValueError(f"{path}: rule {entry.get('name', '?')!r}: {exc}") from exc


@functools.cache
def rules(family: str, lang: str = "en") -> dict[str, Rule]:
    """The rules of one family (``location`` ...) for one language, by name."""
    path = RULES_DIR / lang / f"{family}.toml"
    with path.open("rb") as fh:
        entries = tomllib.load(fh).get("rule", [])
    found = {}
    for entry in entries:
        rule = _rule(entry, path)
        if rule.name in found:
            raise ValueError(f"{path}: two rules named {rule.name!r}")
        found[rule.name] = rule
    return found


def rule_files() -> list[Path]:
    """Every rule file, of every language."""
    return sorted(RULES_DIR.glob("*/*.toml"))


__all__ = ["RULES_DIR", "Phrase", "Rule", "compile_phrase", "rule_files", "rules"]
