"""Sentence geometry shared by the extractors: what surrounds a match, inside its sentence.

Partner, organisation and location rules read a few words left and right of a mention,
never across a sentence boundary. Boundaries are found on demand with ``str.find``
around each mention (C speed) instead of segmenting every text with a regex, which
would cost more than all the rules together.
"""

from __future__ import annotations

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


def next_boundary(text: str, pos: int = 0, stop: int | None = None) -> int | None:
    """Start of the sentence after the one holding ``pos`` (searching up to ``stop``)."""
    for m in _ENDER_RE.finditer(text, pos, len(text) if stop is None else stop):
        end = _end_after(text, m.start())
        if end is not None:
            return end
    return None


def prev_boundary(text: str, pos: int, start: int = 0) -> int:
    """Start of the sentence holding ``pos``, not searching before ``start``."""
    ends = [m.start() for m in _ENDER_RE.finditer(text, start, pos)]
    for i in reversed(ends):
        end = _end_after(text, i)
        if end is not None:
            return end
    return start


@dataclass
class Doc:
    """A text (title or body) with cheap, sentence-bounded context lookups."""

    text: str
    where: str = "text"
    lower: str = field(init=False)

    def __post_init__(self) -> None:
        self.lower = self.text.lower()

    def left(self, m: Mention, width: int = WINDOW) -> str:
        """Lower-cased words just before a mention, inside its sentence."""
        lo = max(0, m.start - width)
        return self.lower[prev_boundary(self.text, m.start, lo) : m.start]

    def right(self, m: Mention, width: int = WINDOW) -> str:
        """Lower-cased words just after a mention, inside its sentence."""
        hi = min(len(self.text), m.end + width)
        end = next_boundary(self.text, m.end, hi)
        return self.lower[m.end : hi if end is None else end]

    def sentence_span(self, pos: int) -> tuple[int, int]:
        end = next_boundary(self.text, pos)
        return prev_boundary(self.text, pos), len(self.text) if end is None else end

    def lead_end(self, sentences: int = 1) -> int:
        """Offset where the first ``sentences`` sentences (after any dateline) end."""
        dateline = DATELINE_RE.match(self.text)
        pos = dateline.end() if dateline else 0
        for _ in range(sentences):
            end = next_boundary(self.text, pos)
            if end is None:
                return len(self.text)
            pos = end
        return pos


def dateline_span(text: str) -> tuple[int, int] | None:
    """The agency dateline at the start of a body ("ASTANA. KAZINFORM –"), if any."""
    m = DATELINE_RE.match(text)
    return (m.start(), m.end()) if m else None
