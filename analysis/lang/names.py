"""Russian and Kazakh names of states for the gazetteer, in every grammatical case.

Sources, in order: CLDR's territory names in Russian and Kazakh (through Babel, which
ships CLDR), the reviewed file ``data/names_cyrillic.csv`` (adjectives, which no package
lists, abbreviations such as США/ОАЭ/АҚШ, older and press names, Kazakhstan's capital
under all its names), and what the gazetteer already has from pycountry and GeoNames
(official names, Cyrillic spellings of capitals). Each surface is then put into every
case: Russian through pymorphy3's paradigms ("во Францию", "с Францией", "французской
стороной"), Kazakh through its suffix table ("Францияның", "Франциямен"); see
:mod:`analysis.lang.morph`.
"""

from __future__ import annotations

import csv
import functools
from collections.abc import Iterator
from pathlib import Path
from typing import NamedTuple

from babel import Locale

from analysis.lang import morph

NAMES_PATH = Path(__file__).resolve().parent.parent / "data" / "names_cyrillic.csv"
CLDR_LOCALES = ("ru", "kk")
_KINDS = frozenset({"name", "demonym", "capital", "venue"})


class CyrillicName(NamedTuple):
    """A Russian or Kazakh surface of a state: ISO3, kind (as in the gazetteer), text."""

    iso3: str
    kind: str
    text: str


def cldr_names(states: dict[str, str]) -> Iterator[CyrillicName]:
    """CLDR's Russian and Kazakh short names of each state (``states``: ISO3 → alpha-2).

    Names with a parenthesis or a spaced dash are CLDR's disambiguations ("Конго -
    Киншаса", "Мьянма (Бирма)"): the part before is what articles write.
    """
    for locale in CLDR_LOCALES:
        territories = Locale(locale).territories
        for iso3, alpha2 in states.items():
            name = territories.get(alpha2)
            if name:
                name = name.split(" (")[0].split(" - ")[0].strip()
                yield CyrillicName(iso3, "name", name)


@functools.cache
def reviewed_names(path: Path = NAMES_PATH) -> tuple[CyrillicName, ...]:
    """The rows of ``names_cyrillic.csv``; each must say why it is there."""
    rows = []
    with path.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            if not row["note"].strip():
                raise ValueError(f"{path.name}: row without a note: {row}")
            if row["kind"] not in _KINDS or row["lang"] not in CLDR_LOCALES:
                raise ValueError(f"{path.name}: unknown kind or language in {row}")
            rows.append(CyrillicName(row["iso3"], row["kind"], row["surface"].strip()))
    return tuple(rows)


def is_cyrillic(text: str) -> bool:
    """Whether the first letter of ``text`` is Cyrillic."""
    first = next((c for c in text if c.isalpha()), "")
    return "\u0400" <= first <= "\u04ff"


def case_forms(kind: str, text: str, variant: bool = False) -> set[str]:
    """Every form of one Cyrillic surface: an adjective's whole paradigm (lower case,
    as written in running text); a name's Kazakh and Russian cases (both overgenerate
    only strings no text contains: pymorphy3 guesses the paradigm of a word it does not
    know, "Акорда" → "в Акорде"). A city's spelling variant from GeoNames (Bulgarian,
    Ukrainian, Tajik ...) is inflected only when it is a Russian word ("в Анкаре")."""
    if kind == "demonym" and text[:1].islower():
        return morph.ru_adjective_forms(text)
    if variant and not morph.known_words(text):
        return {text}
    return morph.kk_forms(text) | morph.ru_forms(text)


def kk_adjective(text: str) -> str | None:
    """The Kazakh adjective of a one-word name, as written before a noun ("түркиялық")."""
    if " " in text or text.isupper():
        return None
    return morph.kk_adjective(text)
