"""The one country reference table: codes, display names, UN M49 regions, capitals, groupings.

Every chart, filter and export takes country facts from here, so a country is called the
same thing and sits in the same region everywhere. The facts come from maintained
packages (pycountry for ISO codes and names, countryinfo for UN M49 regions and capital
coordinates); the project only keeps what the packages get wrong or do not know:

* ``data/country_overrides.csv`` rows of kind ``display_name`` - short readable names;
* ``data/groupings.toml`` - groupings (CIS, EAEU, SCO ...) and ``[countries.*]``
  corrections to M49 fields and capitals, plus Kosovo, which neither package lists.
"""

from __future__ import annotations

import csv
import functools
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pycountry
from countryinfo import CountryInfo, CountryNotFoundError

DATA_DIR = Path(__file__).resolve().parent / "data"
GROUPINGS_FILE = DATA_DIR / "groupings.toml"
OVERRIDES_FILE = DATA_DIR / "country_overrides.csv"

BASE_COLUMNS = ["iso3", "iso2", "name", "region", "subregion", "capital_lat", "capital_lon"]
CORRECTABLE = frozenset(BASE_COLUMNS) - {"iso3"}


@dataclass(frozen=True)
class Grouping:
    """A named set of countries, e.g. the EAEU; ``id`` is also its column in the table."""

    id: str
    label: str
    members: frozenset[str]
    note: str = ""


def load_groupings(path: Path = GROUPINGS_FILE) -> dict[str, Grouping]:
    """The groupings of ``path`` in file order, keyed by id."""
    tables = _read_toml(path).get("groupings", {})
    return {
        key: Grouping(
            id=key,
            label=str(spec.get("label", key)),
            members=frozenset(code.upper() for code in spec.get("members", [])),
            note=str(spec.get("note", "")),
        )
        for key, spec in tables.items()
    }


@functools.cache
def groupings() -> dict[str, Grouping]:
    """The project's groupings (cached; do not mutate)."""
    return load_groupings()


def build_country_table(
    groupings_file: Path = GROUPINGS_FILE, overrides_file: Path = OVERRIDES_FILE
) -> pd.DataFrame:
    """One row per country; see :func:`country_table` for the columns.

    Uncached and parameterised by file, so tests can check the override rules.
    """
    corrections = _read_toml(groupings_file).get("countries", {})
    names = _display_name_overrides(overrides_file)
    rows = {c.alpha_3: _package_row(c) for c in pycountry.countries}
    for iso3, fix in corrections.items():
        row = rows.setdefault(iso3.upper(), _blank_row(iso3.upper()))
        row.update({k: v for k, v in fix.items() if k in CORRECTABLE})
    for iso3, name in names.items():
        rows.setdefault(iso3, _blank_row(iso3))["name"] = name
    table = pd.DataFrame(list(rows.values()), columns=BASE_COLUMNS)
    table["name"] = table["name"].fillna(table["iso3"])
    table = table.astype({"capital_lat": "float64", "capital_lon": "float64"})
    for grouping in load_groupings(groupings_file).values():
        table[grouping.id] = table["iso3"].isin(grouping.members)
    return table.sort_values("iso3", ignore_index=True)


@functools.cache
def _cached_table() -> pd.DataFrame:
    return build_country_table()


def country_table() -> pd.DataFrame:
    """The country reference table, one row per ISO 3166-1 country plus Kosovo.

    Columns: ``iso3``, ``iso2``, ``name`` (short display name: "South Korea", "Türkiye"),
    ``region`` and ``subregion`` (UN M49 names, missing for Antarctica), ``capital_lat``,
    ``capital_lon`` (for lines drawn from Astana), then one boolean column per grouping
    id of ``groupings.toml`` (``central_asia``, ``cis``, ``eaeu`` ...).

    Built once per process; the caller gets its own (copy-on-write) view of it.
    """
    return _cached_table().copy(deep=False)


def to_iso3(value: str) -> str:
    """ISO3 code for an ISO3 or ISO2 code or a name (display, pycountry or official).

    Raises ``ValueError`` for anything unknown, so a typo on the command line or in a
    URL is reported instead of silently filtering everything out.
    """
    found = _code_index().get(value.strip().casefold())
    if found:
        return found
    try:  # pycountry knows official names, countryinfo old names and alternative spellings
        return pycountry.countries.lookup(value.strip()).alpha_3
    except LookupError:
        pass
    try:
        return CountryInfo(value.strip()).iso(3)
    except (CountryNotFoundError, ValueError):
        raise ValueError(f"unknown country {value!r}: use an ISO3 code such as RUS") from None


def region_names() -> list[str]:
    """All M49 region and sub-region names, regions first, for filter choices."""
    table = _cached_table()
    regions = sorted(table["region"].dropna().unique())
    return regions + sorted(table["subregion"].dropna().unique())


def members_of(name: str) -> frozenset[str]:
    """ISO3 codes in an M49 region or sub-region, or a grouping (by id or label).

    Matching ignores case; ``ValueError`` lists the valid names when nothing matches.
    """
    key = name.strip().casefold()
    table = _cached_table()
    for column in ("region", "subregion"):
        hit = table.loc[table[column].str.casefold() == key, "iso3"]
        if len(hit):
            return frozenset(hit)
    for grouping in groupings().values():
        if key in (grouping.id.casefold(), grouping.label.casefold()):
            return grouping.members
    choices = ", ".join([*region_names(), *(g.id for g in groupings().values())])
    raise ValueError(f"unknown region or grouping {name!r}; choose from: {choices}")


@functools.cache
def _code_index() -> dict[str, str]:
    table = _cached_table()
    index: dict[str, str] = {}
    for column in ("name", "iso2", "iso3"):
        pairs = zip(table[column].fillna(""), table["iso3"], strict=True)
        index.update({str(k).casefold(): v for k, v in pairs if k})
    return index


def _package_row(country: pycountry.db.Country) -> dict[str, object]:
    iso3 = country.alpha_3
    info = _countryinfo(iso3)
    latlng = info.get("capital_latlng") or [None, None]
    candidates = [
        getattr(country, "common_name", None),
        country.name,
        info.get("name"),
    ]
    return {
        "iso3": iso3,
        "iso2": country.alpha_2,
        "name": _short_name(candidates) or country.name,
        "region": info.get("region") or None,
        "subregion": info.get("subregion") or None,
        "capital_lat": latlng[0] if len(latlng) == 2 else None,
        "capital_lon": latlng[1] if len(latlng) == 2 else None,
    }


def _blank_row(iso3: str) -> dict[str, object]:
    """A country no package knows (Kosovo): only what the project files say about it."""
    return dict.fromkeys(BASE_COLUMNS) | {"iso3": iso3}


def _short_name(candidates: Iterable[str | None]) -> str | None:
    """The first candidate that reads as a plain name: "Korea, Republic of" does not."""
    return next((c for c in candidates if c and not any(ch in c for ch in ",()")), None)


def _countryinfo(iso3: str) -> Mapping[str, object]:
    try:
        return CountryInfo(iso3).info()
    except CountryNotFoundError:
        return {}


def _display_name_overrides(path: Path) -> dict[str, str]:
    """``iso3 -> name`` from the overrides CSV's ``display_name`` rows (other kinds are
    the extractor's); a missing file means no overrides."""
    if not path.exists():
        return {}
    with path.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    return {
        row["iso3"].strip().upper(): row["surface"].strip()
        for row in rows
        if (row.get("kind") or "").strip() == "display_name" and row.get("surface")
    }


def _read_toml(path: Path) -> dict[str, dict]:
    with Path(path).open("rb") as fh:
        return tomllib.load(fh)
