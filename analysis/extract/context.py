"""Sentence geometry shared by the extractors: what surrounds a match, inside its sentence.

Partner, organisation and location rules read a few words left and right of a mention,
never across a sentence boundary. A text's sentence starts are found once, on the
first lookup, by one regex pass in C; each mention then costs a binary search.
"""

from __future__ import annotations

import bisect
import functools
import re
from dataclasses import dataclass, field

from analysis.extract.model import Mention

WINDOW = 90
# Agency datelines opening a body: "ASTANA. KAZINFORM – ", "NUR-SULTAN. ", "ASTANA, Dec 5
# (Reuters) - ", "SHANGHAI, Nov. 4 (Xinhua) -- ", "VIENNA, May 7, 2019 - ", "Astana, May 16,
# 2025 – ", "Baku, 7 September 2022 (Trend): ", "Islamabad: ". Words are whole and
# possessive ("{1,25}+": never given back): a run of capitals split every way between a
# city and an agency made the search cubic on hostile text.
_CITY = r"[A-Z][A-Z'’\-]{1,25}+"
_PLACE = r"[A-Z][a-z]{1,25}+"
DATELINE_RE = re.compile(
    r"(?<![\s\w'’-])\s*(?:"  # only where a word starts: a search stays linear
    rf"{_CITY}(?:\s{_CITY}){{0,2}}(?:,\s[^–—\-\n]{{1,40}}?)?\.?\s*"
    r"(?:\(?[A-Z][A-Za-z]{0,25}+\)?\s*)?[–—-]{1,2}\s+"
    rf"|{_CITY}(?:\s{_CITY}){{0,2}}\.\s+"
    rf"|{_PLACE}(?:\s{_PLACE})?,\s[A-Za-z0-9 .,]{{1,30}}?\d{{4}}(?:\s\([A-Za-z ]{{1,30}}\))?"
    r"(?:\s*[–—-]{1,2}|:)\s+"
    rf"|{_PLACE}(?:[\s-]{_PLACE})?:\s+"
    r")"
)
# A sentence ends at a line break, or at ".", "!" or "?" (plus an optional closing quote)
# before a space -- but not at the dot of an initial ("M. Telalian", "U.S. side") or of a
# title ("Mr. X", "Prof. Y"). One regex, so finding every start of a text costs a few
# microseconds: it jumps from one of "\n.!?" to the next, and the lookbehinds (a letter
# not preceded by a letter, then the dot) run only there.
_NOT_AFTER_LETTER = r"(?<![^\W\d_])"
_CAPITALS = "A-ZÀ-ÖØ-ÞА-ЯЁЄІЇЎҐӘҒҚҢӨҰҮҺ"  # an initial: one Latin or Cyrillic capital
_ABBREVIATIONS = ("mr|ms|dr|st|no|vs|jr|sr", "mrs|gen", "prof")  # lookbehinds: one width each
_SENTENCE_START_RE = re.compile(
    r"[\n.!?](?:(?<=\n)|(?<=[!?])[\"”]? |"
    + rf"(?<!{_NOT_AFTER_LETTER}[{_CAPITALS}]\.)"
    + "".join(rf"(?<!{_NOT_AFTER_LETTER}(?i:{words})\.)" for words in _ABBREVIATIONS)
    + r"[\"”]? )"
)


@functools.lru_cache(maxsize=8)
def sentence_starts(text: str) -> list[int]:
    """Offset of each sentence of ``text``, 0 first (cached: the partner rules and the
    topic scorer both read the title and body of the article being extracted)."""
    return [0, *(m.end() for m in _SENTENCE_START_RE.finditer(text))]


def sentence_span(starts: list[int], pos: int, length: int) -> tuple[int, int]:
    """Start and end (the next sentence's start) of the sentence holding offset ``pos``."""
    i = bisect.bisect_right(starts, pos) - 1
    return starts[i], starts[i + 1] if i + 1 < len(starts) else length


@dataclass
class Doc:
    """A text (title or body) with cheap, sentence-bounded context lookups.

    Sentence starts are found once, lazily, by one regex pass; every lookup after that
    is a binary search, so the cost per mention does not grow with the text. The end of
    the agency dateline is kept too (the lead is read by several rules).
    """

    text: str
    where: str = "text"
    lower: str = field(init=False)
    _starts: list[int] | None = field(init=False, default=None, repr=False)
    _lead_start: int | None = field(init=False, default=None, repr=False)

    def __post_init__(self) -> None:
        self.lower = self.text.lower()

    @property
    def starts(self) -> list[int]:
        if self._starts is None:
            self._starts = sentence_starts(self.text)
        return self._starts

    def sentence_span(self, pos: int) -> tuple[int, int]:
        return sentence_span(self.starts, pos, len(self.text))

    def around(self, m: Mention, width: int = WINDOW) -> tuple[str, str]:
        """Lower-cased words just before and just after a mention, inside its sentence."""
        start, end = self.sentence_span(m.start)
        lower = self.lower
        return lower[max(start, m.start - width) : m.start], lower[m.end : min(end, m.end + width)]

    def lead_end(self, sentences: int = 1) -> int:
        """Offset where the first ``sentences`` sentences (after any dateline) end."""
        if self._lead_start is None:
            dateline = DATELINE_RE.match(self.text)
            self._lead_start = dateline.end() if dateline else 0
        starts = self.starts
        i = bisect.bisect_right(starts, self._lead_start) - 1 + sentences
        return starts[i] if i < len(starts) else len(self.text)


def dateline_span(text: str) -> tuple[int, int] | None:
    """The agency dateline at the start of a body ("ASTANA. KAZINFORM –"), if any."""
    m = DATELINE_RE.match(text)
    return (m.start(), m.end()) if m else None
