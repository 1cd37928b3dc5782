"""Text folded for matching: one length-preserving form that every automaton searches.

The gazetteer (states, organisations) and the topic cues match whole words in the same
folded copy of a text, so it is made once per text (:func:`padded` keeps the last few)
instead of once per extractor. Offsets in the folded text are offsets in the original,
which is what lets evidence point at the words as written.
"""

from __future__ import annotations

import codecs
import functools
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


@functools.lru_cache(maxsize=8)
def padded(text: str) -> str:
    """`` {normalise(text)} ``: the haystack of the automata, folded once per text.

    Keys are stored with a space on both sides, so the padding makes the first and the
    last word of the text whole words too; index ``i`` of the haystack is ``i - 1`` of
    ``text``. Title and body of the article being extracted are the usual entries.
    """
    return f" {normalise(text)} "


def words(phrase: str) -> list[str]:
    """The folded words of a phrase (split at spaces only: folded Cyrillic letters
    include U+0085, which ``str.split()`` would take for white space)."""
    return [w for w in normalise(phrase).split(" ") if w]
