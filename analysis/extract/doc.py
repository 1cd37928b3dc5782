"""One article as the extractors read it: built once, shared by every rule family.

A :class:`Doc` holds the article's language, and its title and body as :class:`Text`:
each cleaned once (invisible characters dropped, look-alike letters repaired), folded
once (``fold.lower``; ``fold.normalise`` is its word-only view for the automata), split
once into sentences, with its dateline and lead found once. Extractors take the ``Doc``
and never re-split or re-fold a string. Offsets in a ``Text`` point into its cleaned
string; :meth:`Text.original` maps them back, so evidence points at the words as written.
"""

from __future__ import annotations

import bisect
import dataclasses
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from analysis.extract import fold
from analysis.extract.model import Evidence, Mention
from analysis.identity import INVISIBLE_RE, LOOKALIKES

WINDOW = 90  # characters read either side of a mention, inside its sentence
LEAD_SENTENCES = 2  # the lead: the first two sentences of the body after its dateline
LANGUAGES = ("en", "ru", "kk")

# --- cleaning ---------------------------------------------------------------------------
# Cyrillic letters that print like a Latin one (identity's list, plus capitals) and back:
# a word typed across two keyboard layouts ("Fr\u0430nce") is read in its main script.
_PAIRS = {chr(k): chr(v) for k, v in LOOKALIKES.items() if v is not None and chr(k) != chr(v)}
_PAIRS.update({c.upper(): v.upper() for c, v in _PAIRS.items() if c.upper() != c})
_TO_LATIN = str.maketrans(_PAIRS)
_TO_CYRILLIC = str.maketrans({v: c for c, v in _PAIRS.items()})
_CYR_LIKE, _LAT_LIKE = "".join(_PAIRS), "".join(sorted(set(_PAIRS.values())))
# A look-alike touching a letter of the other script: one character and two lookarounds,
# so the search is linear however long a word is. Searched only in a text that has
# Cyrillic letters at all (most English texts have none).
_MIXED_RE = re.compile(
    rf"[{_CYR_LIKE}](?:(?<=[A-Za-z].)|(?=[A-Za-z]))"
    rf"|[{_LAT_LIKE}](?:(?<=[\u0400-\u04ff].)|(?=[\u0400-\u04ff]))"
)
_WORD_RE = re.compile(r"\w+")
_CYRILLIC_RE = re.compile(r"[\u0400-\u04ff]")
_LATIN_RE = re.compile(r"[A-Za-z]")


def clean(text: str) -> tuple[str, list[int] | None]:
    """``text`` without invisible characters and with mixed-script words repaired.

    Returns the cleaned text and, when characters were dropped, the offset in ``text``
    of each cleaned character (plus one past the end); ``None`` means offsets agree.
    """
    if text.isascii():
        return text, None
    origin = None
    if INVISIBLE_RE.search(text):
        origin = [i for i, ch in enumerate(text) if not INVISIBLE_RE.match(ch)]
        origin.append(len(text))
        text = INVISIBLE_RE.sub("", text)
    if _CYRILLIC_RE.search(text) and _MIXED_RE.search(text):
        text = _repair_words(text)
    return text, origin


def _repair_words(text: str) -> str:
    """Each word holding a look-alike next to the other script, in its majority script."""
    pieces, done = [], 0
    for hit in _MIXED_RE.finditer(text):
        if hit.start() < done:
            continue  # inside a word repaired already
        word = _WORD_RE.search(text, _word_start(text, hit.start()))
        if word is None:
            continue
        pieces += [text[done : word.start()], _in_main_script(word.group())]
        done = word.end()
    return "".join(pieces) + text[done:]


def _word_start(text: str, pos: int) -> int:
    while pos > 0 and (text[pos - 1].isalnum() or text[pos - 1] == "_"):
        pos -= 1
    return pos


def _in_main_script(word: str) -> str:
    """A word with only look-alikes of the other script in it, written in one script."""
    latin = len(_LATIN_RE.findall(word.translate(_TO_LATIN)))
    cyrillic = len(_CYRILLIC_RE.findall(word.translate(_TO_CYRILLIC)))
    if latin == len(word) and cyrillic < len(word):
        return word.translate(_TO_LATIN)
    if cyrillic == len(word):
        return word.translate(_TO_CYRILLIC)
    return word


# --- language ---------------------------------------------------------------------------
_KAZAKH_LETTERS = frozenset("әғқңөұүһіӘҒҚҢӨҰҮҺІ")
KAZAKH_SHARE = 0.02  # of Cyrillic letters; Kazakh prose has 6-10 %, Russian quoting a name ~0
SAMPLE = 2000  # characters the language is judged on: the title and the body's start


def detect_language(text: str) -> str:
    """``en``, ``ru`` or ``kk``: Cyrillic when most letters are Cyrillic, Kazakh when the
    letters Russian lacks (ә ғ қ ң ө ұ ү һ і) are a real share of them."""
    sample = text[:SAMPLE]
    if sample.isascii() or not _CYRILLIC_RE.search(sample):
        return "en"
    cyrillic = _CYRILLIC_RE.findall(sample)
    if len(cyrillic) <= len(_LATIN_RE.findall(sample)):
        return "en"
    kazakh = sum(ch in _KAZAKH_LETTERS for ch in cyrillic)
    return "kk" if kazakh >= KAZAKH_SHARE * len(cyrillic) else "ru"


# --- sentences and datelines ------------------------------------------------------------
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
    + r"[\"”]? )\s*+"  # a run of blank lines is one boundary, not empty sentences
)
_TOKEN_RE = re.compile(r"\w+(?:['’]\w+)?|[^\w\s]")

Lemmatiser = Callable[[list[str]], list[str]]
# Language -> function from a text's token strings to their lemmas or stems, one each.
# English rules match surface words and need none; ru/kk register theirs here.
LEMMATISERS: dict[str, Lemmatiser] = {}


class _lazy:
    """``cached_property`` without its lock (Python 3.11 takes one on every first read,
    which cost more than the work for the short strings read here)."""

    def __init__(self, compute: Callable[[Any], Any]) -> None:
        self.compute = compute
        self.name = compute.__name__
        self.__doc__ = compute.__doc__

    def __get__(self, obj: Any, owner: type | None = None) -> Any:
        if obj is None:
            return self
        value = obj.__dict__[self.name] = self.compute(obj)
        return value


@dataclass
class Text:
    """The title or the body of an article, cleaned and folded once, split lazily."""

    raw: str  # as written: what evidence offsets point into, after :meth:`original`
    where: str = "text"  # "title" or "text"
    text: str = field(init=False)  # cleaned: what every rule reads
    _origin: list[int] | None = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self.text, self._origin = clean(self.raw)

    @_lazy
    def lower(self) -> str:
        """The fold: lower case, accents off, typographic punctuation made ASCII."""
        return fold.lower(self.text)

    @_lazy
    def words(self) -> str:
        """`` {letters and digits of the fold} ``: the haystack of the automata. Index
        ``i`` here is ``i - 1`` of :attr:`text`; the padding makes edge words whole."""
        return f" {fold.normalise(self.text)} "

    @_lazy
    def starts(self) -> list[int]:
        """Offset of each sentence, 0 first. A title is one sentence."""
        if self.where == "title":
            return [0]
        return [0, *(m.end() for m in _SENTENCE_START_RE.finditer(self.text))]

    @_lazy
    def dateline(self) -> tuple[int, int] | None:
        """The agency dateline opening a body ("ASTANA. KAZINFORM –"), if any."""
        m = DATELINE_RE.match(self.text) if self.where == "text" else None
        return (m.start(), m.end()) if m else None

    @_lazy
    def lead_end(self) -> int:
        """Where the lead (the first :data:`LEAD_SENTENCES` after the dateline) ends."""
        return self.sentences_end(LEAD_SENTENCES)

    @_lazy
    def tokens(self) -> list[tuple[int, int]]:
        """(start, end) of each word and punctuation mark of :attr:`text`."""
        return [m.span() for m in _TOKEN_RE.finditer(self.text)]

    def sentences_end(self, count: int) -> int:
        """Offset where the first ``count`` sentences after the dateline end."""
        begin = self.dateline[1] if self.dateline else 0
        starts = self.starts
        i = bisect.bisect_right(starts, begin) - 1 + count
        return starts[i] if i < len(starts) else len(self.text)

    def sentence_span(self, pos: int) -> tuple[int, int]:
        """Start and end (the next sentence's start) of the sentence holding ``pos``."""
        starts = self.starts
        i = bisect.bisect_right(starts, pos) - 1
        return starts[i], starts[i + 1] if i + 1 < len(starts) else len(self.text)

    def around(self, m: Mention, width: int = WINDOW) -> tuple[str, str]:
        """Folded words just before and just after a mention, inside its sentence."""
        start, end = self.sentence_span(m.start)
        low = self.lower
        return low[max(start, m.start - width) : m.start], low[m.end : min(end, m.end + width)]

    def original(self, start: int, end: int) -> tuple[int, int]:
        """Offsets in :attr:`raw` of the span ``text[start:end]``."""
        if self._origin is None:
            return start, end
        origin = self._origin
        return origin[start], origin[end - 1] + 1 if end > start else origin[start]


@dataclass
class Doc:
    """One article: its language, title and body (see the module docstring)."""

    title: Text
    body: Text
    lang: str

    def as_written(self, evidence: list[Evidence]) -> list[Evidence]:
        """``evidence`` with the offsets and words of the strings as written, not of their
        cleaned form (they differ only where an invisible character was dropped or a
        look-alike letter read in its word's script)."""
        texts = {"title": self.title, "text": self.body}
        out = []
        for e in evidence:
            text = texts.get(e.where)
            if text is None or text.raw is text.text or not e.end:
                out.append(e)
                continue
            start, end = text.original(e.start, e.end)
            out.append(dataclasses.replace(e, start=start, end=end, surface=text.raw[start:end]))
        return out

    @_lazy
    def lemmas(self) -> list[str] | None:
        """Lemmas of the body's tokens when the language has a lemmatiser, else None."""
        lemmatise = LEMMATISERS.get(self.lang)
        if lemmatise is None:
            return None
        return lemmatise([self.body.text[s:e] for s, e in self.body.tokens])


def build_doc(title: str, text: str) -> Doc:
    """The :class:`Doc` of an article, made once before any extractor runs."""
    title, text = title or "", text or ""
    lang = detect_language(f"{title}\n{text[:SAMPLE]}")
    return Doc(Text(title, "title"), Text(text, "text"), lang)


__all__ = [
    "DATELINE_RE",
    "LANGUAGES",
    "LEAD_SENTENCES",
    "LEMMATISERS",
    "Doc",
    "Text",
    "build_doc",
    "clean",
    "detect_language",
]
