"""The one selection of the dashboard, the exports and the CLI: :class:`Filter`."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from analysis import countries
from analysis.data import _MAX_DAY, _NO_DAY, _ONE_DAY, Data, DateLike, _Base, _day_number
from analysis.measures import format_codes
from analysis.vocabulary import KZ_TZ


@dataclass(frozen=True)
class Filter:
    """One selection, used by the dashboard, the exports and the CLI alike.

    Dates are inclusive days in Kazakhstan's local time (a timezone-aware datetime is
    converted to UTC+5 first). Within one field values are alternatives (any-of); fields
    combine with AND, except ``countries``/``regions`` and ``organisations``, which are
    alternatives to each other: "Russia or the SCO" keeps engagements with either.
    ``regions`` takes UN M49 region and sub-region names and grouping ids or labels
    ("Europe", "Central Asia", "eaeu", "EU"); with ``countries`` it narrows them.
    ``languages`` keeps articles in those languages (``en``, ``ru``, ``kk``).
    ``text`` is a case-insensitive substring of the title or the text. Instances are
    hashable, so they can key a cache; lists passed in are stored as tuples.
    ``undated``: keep the articles without a date although a range is set (the dashboard's
    whole range), so they stay listed and counted; time charts still leave them out and
    say so (``aggregate.undated_note``). A previous period never has them.
    """

    start: DateLike = None
    end: DateLike = None
    countries: tuple[str, ...] = ()
    regions: tuple[str, ...] = ()
    topics: tuple[str, ...] = ()
    event_types: tuple[str, ...] = ()
    actor_levels: tuple[str, ...] = ()
    organisations: tuple[str, ...] = ()
    formats: tuple[str, ...] = ()
    languages: tuple[str, ...] = ()  # en, ru, kk
    text: str = ""
    undated: bool = False

    def __post_init__(self) -> None:
        start, end = to_day(self.start), to_day(self.end)
        if start and end and start > end:
            raise ValueError(f"the range starts ({start}) after it ends ({end})")
        values = {
            "start": start,
            "end": end,
            "countries": tuple(countries.to_iso3(c) for c in _as_tuple(self.countries)),
            "regions": _as_tuple(self.regions),
            "text": (self.text or "").strip(),
        }
        names = ("topics", "event_types", "actor_levels", "organisations", "formats", "languages")
        for name in names:
            values[name] = _as_tuple(getattr(self, name))
        for name, value in values.items():
            object.__setattr__(self, name, value)
        for region in self.regions:
            countries.members_of(region)  # fail early on a typo
        format_codes(self.formats)

    def apply(self, data: Data) -> Data:
        """The engagements and articles of ``data`` that pass this filter."""
        base = data.base
        art = data.art_mask & self._article_mask(base)
        partners = self._partner_mask(base)
        eng = data.eng_mask & art[base.eng_art]
        if partners is not None:
            eng &= partners
            art &= _any_per_article(base.eng_art[eng], base.n_articles)
        if self.text:
            art &= base.search(self.text.lower())
            eng &= art[base.eng_art]
        return Data(base, art, eng, self)

    def shifted_back(self) -> Filter | None:
        """The same filter over the range of equal length just before this one, cut at
        the first day a date can have (year 1); None when the range starts on it."""
        if not (self.start and self.end):
            raise ValueError("a previous period needs a start and an end date")
        if self.start == dt.date.min:
            return None
        length = (self.end - self.start).days + 1
        start = dt.date.fromordinal(max(self.start.toordinal() - length, 1))
        return dataclasses.replace(self, start=start, end=self.start - _ONE_DAY, undated=False)

    def country_set(self) -> frozenset[str] | None:
        """ISO3 codes the country and region fields allow; None when neither is set."""
        if not (self.countries or self.regions):
            return None
        chosen = frozenset(self.countries) if self.countries else None
        if self.regions:
            in_regions = frozenset().union(*(countries.members_of(r) for r in self.regions))
            chosen = in_regions if chosen is None else chosen & in_regions
        return chosen

    def _article_mask(self, base: _Base) -> np.ndarray:
        mask = np.ones(base.n_articles, dtype=bool)
        if self.start or self.end:
            low = _day_number(self.start) if self.start else _NO_DAY + 1
            high = _day_number(self.end) if self.end else _MAX_DAY
            inside = (base.art_day >= low) & (base.art_day <= high)
            mask &= inside | (base.art_day == _NO_DAY) if self.undated else inside
        if self.topics:
            wanted = _lookup(base.topics, self.topics).astype(np.uint64)
            bits = np.bitwise_or.reduce(np.left_shift(np.uint64(1), wanted))
            mask &= (base.art_topic_bits & bits) != 0
        if self.event_types:
            mask &= _isin_codes(base.art_event, base.event_types, self.event_types)
        if self.actor_levels:
            mask &= _isin_codes(base.art_level, base.actor_levels, self.actor_levels)
        if self.languages:
            mask &= _isin_codes(base.art_lang, base.languages, self.languages)
        if self.formats:
            mask &= np.isin(base.art_format, format_codes(self.formats))
        return mask

    def _partner_mask(self, base: _Base) -> np.ndarray | None:
        chosen = self.country_set()
        if chosen is None and not self.organisations:
            return None
        mask = np.zeros(base.n_engagements, dtype=bool)
        if chosen is not None:
            mask |= _isin_codes(base.eng_country, base.countries, chosen)
        if self.organisations:
            mask |= _isin_codes(base.eng_org, base.organisations, self.organisations)
        return mask


def to_day(value: DateLike) -> dt.date | None:
    """A calendar day from a date, an ISO string or a datetime (aware: in UTC+5)."""
    if value is None or value == "" or value is pd.NaT:
        return None
    if isinstance(value, str):
        value = pd.Timestamp(value)
    if isinstance(value, dt.datetime):
        if value.tzinfo is not None:
            value = value.astimezone(KZ_TZ)
        return value.date()
    if isinstance(value, dt.date):
        return value
    raise TypeError(f"not a date: {value!r}")


def _as_tuple(value: str | Iterable[str] | None) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        return (value,) if value else ()
    return tuple(v for v in value if v)


def _lookup(index: pd.Index, values: Iterable[str]) -> np.ndarray:
    """Codes of ``values`` in ``index``; values the store never had are dropped."""
    codes = index.get_indexer(list(values))
    return codes[codes >= 0]


def _isin_codes(codes: np.ndarray, index: pd.Index, values: Iterable[str]) -> np.ndarray:
    """``codes`` in the codes of ``values``, through a lookup table (-1 never matches)."""
    table = np.zeros(len(index) + 1, dtype=bool)
    table[_lookup(index, values)] = True
    return table[codes]


def _any_per_article(article_rows: np.ndarray, n_articles: int) -> np.ndarray:
    mask = np.zeros(n_articles, dtype=bool)
    mask[article_rows] = True
    return mask
