"""The three measures (spec §3) and the format, as arrays the aggregates count with.

- ``articles``: reports, one per article;
- ``engagements``: article x partner, one per partner country and organisation;
- ``events``: real-world occurrences, the clusters of ``analysis.clustering``.

An event counts once in a row when any of its reports passes the filter and belongs
there: once per partner it has (a partner named by two of its reports is still one),
once per topic any kept report has, and in the period of its earliest kept report.
Its event type and actor level are those of its reports (equal by the clustering rule).

The *format* of an event, and so of each of its articles and engagements: ``bilateral``
(one partner state and no organisation, not a conference) or ``multilateral`` (an
organisation, several states, or a conference); an event without a partner has none.
It is decided on the event's union of partners, so the reports of one event never
disagree. Everything per event is computed once at load; per view only what the filter
changes (which events, pairs and days are kept), in a few vectorised passes.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING

import numpy as np

from analysis.vocabulary import FORMATS

if TYPE_CHECKING:
    from analysis.data import Data

MEASURES: tuple[str, ...] = ("events", "articles", "engagements")
DEFAULT_MEASURE = "events"  # what an analyst counts: rankings list most events first
NO_FORMAT = -1


def check_measure(measure: str) -> str:
    """``measure`` if it is one of :data:`MEASURES`; a clear error otherwise."""
    if measure not in MEASURES:
        raise ValueError(f"measure must be one of {', '.join(MEASURES)}, not {measure!r}")
    return measure


@dataclass(frozen=True, eq=False)
class Events:
    """Per-event arrays of the whole store, built once at load."""

    art_event: np.ndarray  # int32 event code of each article
    kind: np.ndarray  # int16 event type code of each event (-1: none)
    level: np.ndarray  # int16 actor level code of each event
    format: np.ndarray  # int8 code into FORMATS of each event, NO_FORMAT without partners
    eng_pair: np.ndarray  # int32 (event, partner) pair of each engagement
    pair_event: np.ndarray  # int32 event of each pair
    pair_country: np.ndarray  # int16 country code of each pair, -1 for an organisation
    pair_org: np.ndarray  # int16 organisation code of each pair, -1 for a country
    order: np.ndarray  # article rows sorted by event: each event's reports side by side

    @property
    def n(self) -> int:
        return len(self.kind)

    @classmethod
    def build(
        cls,
        art_event: np.ndarray,
        art_kind: np.ndarray,
        art_level: np.ndarray,
        eng: tuple[np.ndarray, np.ndarray, np.ndarray],
        n_countries: int,
        conference: int,
    ) -> Events:
        """From each article's event code and fields, and the engagements (article row,
        country code, organisation code); ``conference``: that event type's code."""
        n = int(art_event.max()) + 1 if len(art_event) else 0
        kind = np.full(n, -1, np.int16)
        kind[art_event] = art_kind
        level = np.full(n, -1, np.int16)
        level[art_event] = art_level
        eng_art, eng_country, eng_org = eng
        partner = np.where(eng_country >= 0, eng_country, n_countries + eng_org).astype(np.int64)
        width = n_countries + int(eng_org.max(initial=-1)) + 1
        keys = art_event[eng_art].astype(np.int64) * max(width, 1) + partner
        pairs, eng_pair = np.unique(keys, return_inverse=True)
        pair_event = (pairs // max(width, 1)).astype(np.int32)
        pair_partner = pairs % max(width, 1)
        is_country = pair_partner < n_countries
        pair_country = np.where(is_country, pair_partner, -1).astype(np.int16)
        pair_org = np.where(is_country, -1, pair_partner - n_countries).astype(np.int16)
        states = np.bincount(pair_event[is_country], minlength=n)
        orgs = np.bincount(pair_event[~is_country], minlength=n)
        bilateral = (states == 1) & (orgs == 0) & (kind != conference)
        fmt = np.where(states + orgs == 0, NO_FORMAT, np.where(bilateral, 0, 1)).astype(np.int8)
        return cls(
            art_event=art_event.astype(np.int32),
            kind=kind,
            level=level,
            format=fmt,
            eng_pair=eng_pair.astype(np.int32).reshape(-1),
            pair_event=pair_event,
            pair_country=pair_country,
            pair_org=pair_org,
            order=np.argsort(art_event, kind="stable").astype(np.int32),
        )


def format_codes(names: tuple[str, ...]) -> np.ndarray:
    """Codes of format names; an unknown name is an error, not an empty result."""
    unknown = sorted(set(names) - set(FORMATS))
    if unknown:
        raise ValueError(f"format must be one of {', '.join(FORMATS)}, not {unknown[0]!r}")
    return np.array([FORMATS.index(n) for n in names], np.int8)


class EventView:
    """What a filtered view keeps of the events: computed on first use, then shared by
    every aggregate of the view. Per-event values are aligned with :attr:`kept`; they
    are reduced over each event's kept reports at once (``ufunc.reduceat`` over the
    articles in event order), not scattered one report at a time."""

    def __init__(self, data: Data) -> None:
        self.data = data
        self.events: Events = data.base.events

    @cached_property
    def _groups(self) -> tuple[np.ndarray, np.ndarray]:
        """(kept article rows in event order, where each kept event's rows start)."""
        order = self.events.order
        rows = order[self.data.art_mask[order]]
        codes = self.events.art_event[rows]
        starts = np.flatnonzero(np.diff(codes, prepend=-1)) if len(codes) else codes
        return rows, starts

    def _reduce(self, ufunc: np.ufunc, values: np.ndarray) -> np.ndarray:
        rows, starts = self._groups
        if not len(starts):
            return values[:0]
        return ufunc.reduceat(values[rows], starts)

    @cached_property
    def kept(self) -> np.ndarray:
        """Codes of the events with at least one kept report, ascending."""
        rows, starts = self._groups
        return self.events.art_event[rows[starts]]

    @cached_property
    def day(self) -> np.ndarray:
        """Per kept event: the day of its earliest kept report."""
        return self._reduce(np.minimum, self.data.base.art_day)

    @cached_property
    def month(self) -> np.ndarray:
        """Per kept event: the month of its earliest kept report."""
        return self._reduce(np.minimum, self.data.base.art_month)

    def by_code(self, values: np.ndarray, fill: int) -> np.ndarray:
        """Per-kept-event ``values`` spread over every event code (``fill`` elsewhere)."""
        full = np.full(self.events.n, fill, values.dtype)
        full[self.kept] = values
        return full

    @cached_property
    def topic_bits(self) -> np.ndarray:
        """Per kept event: the topics of its kept reports, as bits."""
        return self._reduce(np.bitwise_or, self.data.base.art_topic_bits)

    @cached_property
    def pairs(self) -> np.ndarray:
        """Codes of the (event, partner) pairs with a kept engagement."""
        mask = np.zeros(len(self.events.pair_event), bool)
        mask[self.events.eng_pair[self.data._eng]] = True
        return np.flatnonzero(mask)

    @cached_property
    def country_pairs(self) -> tuple[np.ndarray, np.ndarray]:
        """(country code, event code) of each kept (event, partner country) pair."""
        codes = self.events.pair_country[self.pairs]
        keep = codes >= 0
        return codes[keep], self.events.pair_event[self.pairs[keep]]

    @cached_property
    def set_bits(self) -> np.ndarray:
        """Per kept event, one bit per country set (region, grouping) it has a partner in:
        the union of its kept reports' (``Data._set_bits``, per kept article)."""
        per_row = np.zeros(self.data.base.n_articles, np.uint64)
        per_row[self.data._art] = self.data._set_bits
        return self._reduce(np.bitwise_or, per_row)
