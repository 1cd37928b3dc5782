"""Article identity: the one normalisation that decides whether two copies are one article.

The same news item reaches the store through several dumps that were typed, scraped or
re-encoded differently: ``Côte d’Ivoire`` in one, ``Cote d'Ivoire`` in another, a
zero-width space left by a CMS, a Cyrillic ``а`` typed inside a Latin word. Identity
ignores all of that (spec §2), and every module that compares titles calls this one
function so they can never disagree.
"""

from __future__ import annotations

import re
import unicodedata

# Cyrillic letters (as ``casefold`` leaves them) that look like a Latin letter in print,
# upper- or lower-case (after Unicode's confusables, UTS #39): a title typed with a
# Cyrillic keyboard layout inside a Latin word keys as the Latin word. The key is only
# ever hashed, so mapping them in Cyrillic words too is harmless and keeps it one rule.
# Apostrophes and primes that Unicode files as modifier *letters* (``dʼIvoire``) go too.
LOOKALIKES = str.maketrans("авекмнорстухѕіјһԁԛԝӏү", "abekmhopctyxsijhdqwly", "ʹʺʻʼʽˈ")

# Bumped whenever a key can change: the next ingest recomputes a store's ids with it.
# 2: accents, modifier-letter apostrophes and Cyrillic look-alikes ignored.
VERSION = 2

# Characters that print as nothing and split words for a reader or a matcher: a soft
# hyphen ("Ger\u00admany"), zero-width space, non-joiner, joiner, word joiner, BOM. A kept
# title carries none of them; the extractor's cleaning drops them from the body.
INVISIBLE_RE = re.compile("[\u00ad\u200b\u200c\u200d\u2060\ufeff]")

_NOT_KEY_RE = re.compile(r"(?:[^\w\s]|_)+")  # \w is isalnum() plus "_"; \s is isspace()
_SPACES_RE = re.compile(r"\s{2,}|[^\S ]")  # a lone " " needs no replacing
_KEY_SLICE = 1 << 16
_KEY_SHORT = 4096  # titles: per character is fastest


def fold(text: str) -> str:
    """Compatibility caseless form with accents split off (NFKD of the casefold of NFKD)
    and Cyrillic look-alikes read as Latin; accents are then dropped as non-letters."""
    text = unicodedata.normalize("NFKD", unicodedata.normalize("NFKD", text).casefold())
    return text.translate(LOOKALIKES)


def normalise_key(text: str) -> str:
    """Case-, accent-, look-alike-, punctuation- and spacing-insensitive form for identity.

    Letters and digits are kept, runs of white space become one space, and everything
    else goes: accents (combining marks), quotes and apostrophes of every kind, dashes,
    zero-width and other format characters.
    """
    text = fold(text)
    if len(text) <= _KEY_SHORT:
        return " ".join("".join(ch for ch in text if ch.isalnum() or ch.isspace()).split())
    # The same result in slices: per character, a long hostile text (a page without a
    # title keys on its body) took 20-80× its size in memory at once.
    parts = (
        _SPACES_RE.sub(" ", _NOT_KEY_RE.sub("", text[i : i + _KEY_SLICE]))
        for i in range(0, len(text), _KEY_SLICE)
    )
    return _SPACES_RE.sub(" ", "".join(parts)).strip()
