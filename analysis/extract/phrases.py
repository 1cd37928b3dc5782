"""The phrase syntax of the rule files, compiled to regular expressions.

The syntax is the one ``events.toml`` documents, so one file format reads the same in
every language: ``{a,b}`` alternatives inside a word (``{,s}`` an optional ending),
``word~`` any ending (inside alternatives too: ``{глав~,министр~}``), ``*`` a gap of 0-3
words, ``*+`` a gap of 1-3. Phrases are lower case; a text is matched lower-cased, with
``ё`` read as ``е``. Words are whole: a phrase never starts or ends inside a word (an
ending ``~`` runs to the end of its word).
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable

_BRACES = re.compile(r"\{([^{}]*)\}")
_TOKEN = re.compile(r"(?:\{[^{}]*\}|[^\s{}])+")
_GAPS = {"*": r"(?:[^\s,;:.()«»\"]+\s+){0,3}?", "*+": r"(?:[^\s,;:.()«»\"]+\s+){1,3}?"}


def _alternatives(token: str) -> list[str]:
    parts = _BRACES.split(token)  # literal, alternatives, literal, ...
    choices = [[p] if i % 2 == 0 else p.split(",") for i, p in enumerate(parts)]
    return ["".join(c) for c in itertools.product(*choices)]


def _word(token: str) -> str:
    """One word's alternatives; each may end in ``~`` ("{глав~,министр~}", "посл{а,ом}~")."""
    alts = sorted(_alternatives(token), key=len, reverse=True)
    body = "|".join(
        re.escape(a.rstrip("~").replace("ё", "е")) + (r"[\w-]*" if a.endswith("~") else "")
        for a in alts
    )
    return f"(?:{body})"


def phrase_regex(phrase: str) -> str:
    """One phrase as a regular expression (no anchors, no word boundaries)."""
    out = []
    for token in _TOKEN.findall(phrase):
        if token in _GAPS:
            out.append(_GAPS[token])
        elif "" in _alternatives(token.rstrip("~")):
            out.append(f"(?:{_word(token)}\\s+)?")
        else:
            out.append(_word(token) + r"\s+")
    return "".join(out).removesuffix(r"\s+")


def alternation(phrases: Iterable[str]) -> str:
    """Several phrases as one group, longest first (the regex engine tries in order)."""
    compiled = sorted({phrase_regex(p) for p in phrases}, key=len, reverse=True)
    return "(?:" + "|".join(compiled) + ")" if compiled else "(?!)"


def ending_with(phrases: Iterable[str], gap: str = "") -> re.Pattern[str]:
    """Matches a left context that ends with one of ``phrases`` (then ``gap``, then the
    spaces before the name): "…встретился с президентом " ends with "президент~"."""
    return re.compile(rf"(?<![\w-]){alternation(phrases)}{gap}\s*$")


def starting_with(phrases: Iterable[str]) -> re.Pattern[str]:
    """Matches a right context that starts with one of ``phrases`` (after optional
    adjectives of the same phrase: "французская *новая* сторона" is not looked for)."""
    return re.compile(rf"^\s*{alternation(phrases)}(?![\w])")


def anywhere(phrases: Iterable[str]) -> re.Pattern[str]:
    """Finds any of ``phrases`` as whole words."""
    return re.compile(rf"(?<![\w-]){alternation(phrases)}(?![\w])")


def lower(text: str) -> str:
    """How a text is matched: lower case, ``ё`` as ``е`` (same length)."""
    return text.lower().replace("ё", "е")
