"""Text folded for matching: the one length-preserving fold, and its word-only view.

:func:`lower` is the fold every rule reads (lower case, Latin accents off, typographic
quotes and dashes made ASCII, white space one space); :func:`normalise` is its view for
the automata (letters and digits only, Cyrillic coded one byte per letter). Both keep the
length of the text, so an offset in a folded string is an offset in the text it came
from; :class:`analysis.extract.doc.Text` makes each once per title and body.
"""

from __future__ import annotations

import codecs
import functools
import re
import unicodedata

_FILLER = "\x01"  # a word character no pattern starts with: combining marks, other scripts
_CYRILLIC_A = 0x430  # а..я are coded as the C1 controls U+0080..U+009F, one per letter
# Letters that Unicode does not decompose into a base letter, folded by hand.
_EXTRA_FOLDS = str.maketrans("ıłđøæßðþœәғқңөұүһієґј", "ildoasdtoагкноуухиэги")


def _fold_char(char: str) -> str:
    """One character of :func:`normalise`: a lower-case base letter, a digit or a space."""
    if char.isascii():
        return char.lower() if char.isalnum() else " "
    category = unicodedata.category(char)
    if category[0] == "M":
        return _FILLER
    if category[0] not in "LN":
        return " "
    base = unicodedata.normalize("NFKD", char.lower())[:1].translate(_EXTRA_FOLDS)
    if base.isascii():
        return base if base.isalnum() else _FILLER
    if 0x430 <= ord(base) <= 0x44F:
        return chr(ord(base) - _CYRILLIC_A + 0x80)
    return _FILLER


_fold_cached = functools.lru_cache(maxsize=4096)(_fold_char)


def _fold_unencodable(error: UnicodeError) -> tuple[str, int]:
    """Codec error handler: fold a run of characters Latin-1 cannot hold, one for one."""
    if not isinstance(error, UnicodeEncodeError):
        raise error
    run = error.object[error.start : error.end]
    return "".join(map(_fold_cached, run)), error.end


_ERRORS = "diplodash-fold"
_TYPOGRAPHY = "\u2019\u2018\u201c\u201d\u2013\u2014\u2026\u2022\u2010\u2011"  # ’‘“”–—…•‐‑
codecs.register_error(_ERRORS, _fold_unencodable)
# Byte 0x01 and the C1 range are already folded (filler, Cyrillic); the rest folds here.
_LATIN1_TABLE = bytes(
    i if i == 1 or 0x80 <= i <= 0x9F else ord(_fold_char(chr(i))) for i in range(256)
)


def normalise(text: str) -> str:
    """Fold ``text`` for matching without changing its length.

    Lower case, accents stripped (é→e, ș→s, ё→е), every non-word character a space
    (curly apostrophes, dashes, dots, slashes all alike). Length is preserved so that
    offsets in the folded text are offsets in the original. Done in C: Latin-1 encode
    with a folding error handler for other characters, then one byte translation, which
    keeps the cost at a few microseconds per article. Cyrillic letters come out as C1
    control characters (one per letter) so they stay distinct from Latin ones.
    """
    if not text.isascii():
        for char in _TYPOGRAPHY:  # the usual non-Latin-1 characters, cheaper here
            text = text.replace(char, " ")
    return text.encode("latin-1", _ERRORS).translate(_LATIN1_TABLE).decode("latin-1")


def words(phrase: str) -> list[str]:
    """The folded words of a phrase (split at spaces only: folded Cyrillic letters
    include U+0085, which ``str.split()`` would take for white space)."""
    return [w for w in normalise(phrase).split(" ") if w]


_PUNCTUATION = {
    "\u2019": "'", "\u2018": "'", "\u02bc": "'", "\u201c": '"', "\u201d": '"', "\u00ab": '"',
    "\u00bb": '"', "\u2013": "-", "\u2014": "-", "\u2010": "-", "\u2011": "-", "\u2212": "-",
}  # fmt: skip


def _lower_char(char: str) -> str:
    """One character of :func:`lower`: always exactly one character."""
    if char in _PUNCTUATION:
        return _PUNCTUATION[char]
    if char.isspace():
        return " "
    low = char.lower()
    if len(low) != 1:  # "İ" lower-cases to two characters
        low = unicodedata.normalize("NFKD", low)[:1]
    base = unicodedata.normalize("NFKD", low)[:1]
    return base if base.isascii() and base.isalpha() else low


class _LowerTable(dict[int, str]):
    """``str.translate`` table that folds each new character once, then from the dict."""

    def __missing__(self, code: int) -> str:
        folded = self[code] = _lower_char(chr(code))
        return folded


_LOWER_TABLE = _LowerTable()
_ASCII_SPACES = str.maketrans("\t\n\r\x0b\x0c", "     ")
_NON_ASCII_RUN_RE = re.compile(r"[^\x00-\x7f]+")


def _lower_run(match: re.Match[str]) -> str:
    return match.group().translate(_LOWER_TABLE)


def lower(text: str) -> str:
    """Fold ``text`` for reading without changing its length: lower case, Latin accents
    off (é→e), curly quotes, guillemets and dashes as their ASCII forms, every white
    space a space. Other letters (Cyrillic included) stay themselves, lower-cased.

    Done in C where it can be: ``str.lower`` and ``str.replace`` over the text, then one
    table lookup per run of non-ASCII characters (a few per English article).
    """
    if text.isascii():
        return text.lower().translate(_ASCII_SPACES)
    low = text.lower()
    if len(low) != len(text):  # "İ" lower-cases to two characters: fold one by one
        return text.translate(_LOWER_TABLE)
    if len(text.encode("ascii", "ignore")) < len(text) * 0.9:  # Cyrillic, or emoji junk
        return text.translate(_LOWER_TABLE)  # one C loop: cheaper than many runs
    for space in "\t\n\r\x0b\x0c":
        if space in low:
            low = low.replace(space, " ")
    return _NON_ASCII_RUN_RE.sub(_lower_run, low)
