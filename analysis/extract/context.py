"""Sentence geometry shared by the extractors: what surrounds a match, inside its sentence.

Partner, organisation and location rules read a few words left and right of a mention,
never across a sentence boundary. Boundaries are found on demand with ``str.find``
around each mention (C speed) instead of segmenting every text with a regex, which
would cost more than all the rules together.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field

from analysis.extract.model import Mention
from analysis.feeds import DATELINE_RE

WINDOW = 90
# Punctuation (plus an optional closing quote) and a space, or a line break, end a sentence.
_ENDER_RE = re.compile(r"[.!?][\"”]? |\n")
_ABBREVIATIONS = frozenset({"mr", "ms", "mrs", "dr", "st", "no", "vs", "jr", "sr", "prof", "gen"})


def _end_after(text: str, i: int) -> int | None:
    """Where the next sentence starts if the ender at ``i`` really ends one, else None."""
    if text[i] == "\n":
        return i + 1
    if text[i] == ".":
        start = i
        while start > 0 and text[start - 1].isalpha():
            start -= 1
        word = text[start:i]
        if (len(word) == 1 and word.isupper()) or word.lower() in _ABBREVIATIONS:
            return None  # "M. Telalian", "U.S. side", "Mr. X"
    return i + (3 if text[i + 1] in '"”' else 2)


@dataclass
class Doc:
    """A text (title or body) with cheap, sentence-bounded context lookups.

    Sentence starts are found once, lazily, by one regex pass; every lookup after that
    is a binary search, so the cost per mention does not grow with the text.
    """

    text: str
    where: str = "text"
    lower: str = field(init=False)
    _starts: list[int] | None = field(init=False, default=None, repr=False)

    def __post_init__(self) -> None:
        self.lower = self.text.lower()

    @property
    def starts(self) -> list[int]:
        if self._starts is None:
            text = self.text
            ends = (_end_after(text, m.start()) for m in _ENDER_RE.finditer(text))
            self._starts = [0, *(e for e in ends if e is not None)]
        return self._starts

    def sentence_span(self, pos: int) -> tuple[int, int]:
        starts = self.starts
        i = bisect.bisect_right(starts, pos) - 1
        return starts[i], starts[i + 1] if i + 1 < len(starts) else len(self.text)

    def around(self, m: Mention, width: int = WINDOW) -> tuple[str, str]:
        """Lower-cased words just before and just after a mention, inside its sentence."""
        start, end = self.sentence_span(m.start)
        lower = self.lower
        return lower[max(start, m.start - width) : m.start], lower[m.end : min(end, m.end + width)]

    def lead_end(self, sentences: int = 1) -> int:
        """Offset where the first ``sentences`` sentences (after any dateline) end."""
        dateline = DATELINE_RE.match(self.text)
        pos = dateline.end() if dateline else 0
        starts = self.starts
        i = bisect.bisect_right(starts, pos) - 1 + sentences
        return starts[i] if i < len(starts) else len(self.text)


def dateline_span(text: str) -> tuple[int, int] | None:
    """The agency dateline at the start of a body ("ASTANA. KAZINFORM –"), if any."""
    m = DATELINE_RE.match(text)
    return (m.start(), m.end()) if m else None
