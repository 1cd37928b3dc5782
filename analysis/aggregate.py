"""Engagements by country, region, grouping, topic, event type and date.

The layer every chart, download and ``diplodash aggregate`` draws from, so a number in
a chart, its download and the CLI always agree. Usage::

    data = load("data/processed")                      # once: the whole store
    view = Filter(start="2024-01-01", regions=["Central Asia"]).apply(data)
    by_country(view); by_date(view, "month"); kpis(data, filter)

Counting rules (spec §2): an article yields one *engagement* per partner country and
per partner organisation; every aggregate gives both ``engagements`` and distinct
``articles``. An article without partners counts as an article with no engagements.
Country-based aggregates (country, region, grouping) count country engagements only;
topic, event type and date aggregates count organisation engagements too.

Speed: ``load`` explodes the list columns once into integer arrays (article row, country
code, day number, topic bits, region and grouping bits); a filter is a pair of boolean
masks and every aggregate is a few ``numpy.bincount`` calls over them, so one filter
change plus every chart of the dashboard fits the 300 ms budget on a million engagements
(``python bench/bench_aggregate.py``).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from analysis import countries, ranking, store
from analysis.vocabulary import ACTOR_LEVELS, EVENT_TYPES, KZ_TZ, label, topic_labels

FREQS = ("day", "week", "month", "quarter", "year")
REGION_LEVELS = ("region", "subregion")
UNKNOWN = "Unknown"  # region of a code the country table does not know
LIST_COLUMNS = (
    "source_files",
    "partner_countries",
    "partner_orgs",
    "topics",
    "mentioned_countries",
)

_LIST = pa.list_(pa.string())
_NO_DAY = np.iinfo(np.int32).min  # day number of an article without a date
_MAX_DAY = np.iinfo(np.int32).max  # neutral start for a running minimum of days
_EPOCH = np.datetime64("1970-01-01", "D")
_ONE_DAY = dt.timedelta(days=1)

DateLike = dt.date | str | pd.Timestamp | None


# ---------------------------------------------------------------------------------------
# Filter
# ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Filter:
    """One selection, used by the dashboard, the exports and the CLI alike.

    Dates are inclusive days in Kazakhstan's local time (a timezone-aware datetime is
    converted to UTC+5 first). Within one field values are alternatives (any-of); fields
    combine with AND, except ``countries``/``regions`` and ``organisations``, which are
    alternatives to each other: "Russia or the SCO" keeps engagements with either.
    ``regions`` takes UN M49 region and sub-region names and grouping ids or labels
    ("Europe", "Central Asia", "eaeu", "EU"); with ``countries`` it narrows them.
    ``text`` is a case-insensitive substring of the title or the text. Instances are
    hashable, so they can key a cache; lists passed in are stored as tuples.
    """

    start: DateLike = None
    end: DateLike = None
    countries: tuple[str, ...] = ()
    regions: tuple[str, ...] = ()
    topics: tuple[str, ...] = ()
    event_types: tuple[str, ...] = ()
    actor_levels: tuple[str, ...] = ()
    organisations: tuple[str, ...] = ()
    text: str = ""

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
        for name in ("topics", "event_types", "actor_levels", "organisations"):
            values[name] = _as_tuple(getattr(self, name))
        for name, value in values.items():
            object.__setattr__(self, name, value)
        for region in self.regions:
            countries.members_of(region)  # fail early on a typo

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

    def shifted_back(self) -> Filter:
        """The same filter over the range of equal length just before this one."""
        if not (self.start and self.end):
            raise ValueError("a previous period needs a start and an end date")
        length = self.end - self.start + dt.timedelta(days=1)
        return dataclasses.replace(self, start=self.start - length, end=self.start - _ONE_DAY)

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
            mask &= (base.art_day >= low) & (base.art_day <= high)
        if self.topics:
            wanted = _lookup(base.topics, self.topics).astype(np.uint64)
            bits = np.bitwise_or.reduce(np.left_shift(np.uint64(1), wanted))
            mask &= (base.art_topic_bits & bits) != 0
        if self.event_types:
            mask &= _isin_codes(base.art_event, base.event_types, self.event_types)
        if self.actor_levels:
            mask &= _isin_codes(base.art_level, base.actor_levels, self.actor_levels)
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


# ---------------------------------------------------------------------------------------
# Data: the store as frames and arrays
# ---------------------------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class _Base:
    """The whole store, exploded once; shared read-only by every filtered view."""

    articles: pd.DataFrame
    engagements: pd.DataFrame
    countries: pd.Index  # ISO3 codes present, the meaning of eng_country codes
    country_info: pd.DataFrame  # one row per code of ``countries``
    organisations: pd.Index
    topics: pd.Index
    event_types: pd.Index
    actor_levels: pd.Index
    art_day: np.ndarray  # int32 days since 1970-01-01, _NO_DAY when unknown
    art_month: np.ndarray  # int32 months since 1970-01, _NO_DAY when unknown
    art_event: np.ndarray  # codes into event_types, -1 when missing
    art_level: np.ndarray
    art_topic_bits: np.ndarray  # uint64, bit i = topics[i]
    at_art: np.ndarray  # article x topic pairs
    at_topic: np.ndarray
    eng_art: np.ndarray  # int32 article row of each engagement
    eng_country: np.ndarray  # code into countries, -1 for an organisation
    eng_org: np.ndarray  # code into organisations, -1 for a country
    et_eng: np.ndarray  # engagement x topic pairs (the topics of its article)
    et_topic: np.ndarray
    sets: _CountrySets  # regions, sub-regions and groupings as bits
    search: Callable[[str], np.ndarray] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        # The last few searches over the whole store, shared by every filter that uses
        # them: typing a word costs one scan, changing other filters afterwards none.
        search = functools.lru_cache(maxsize=8)(functools.partial(_text_mask, self.articles))
        object.__setattr__(self, "search", search)

    def __getstate__(self) -> dict[str, object]:  # picklable (e.g. for a cache): not the cache
        return {k: v for k, v in self.__dict__.items() if k != "search"}

    def __setstate__(self, state: dict[str, object]) -> None:
        self.__dict__.update(state)
        self.__post_init__()

    @property
    def n_articles(self) -> int:
        return len(self.art_day)

    @property
    def n_engagements(self) -> int:
        return len(self.eng_art)


@dataclass(frozen=True, eq=False)
class Data:
    """Articles and engagements, the whole store or the part a :class:`Filter` kept.

    ``articles``: one row per article - the store's columns with ``date`` as
    datetime64, categorical ``event_type``/``kz_actor_level``/``location_country``, list
    columns as Arrow lists, and ``engagements`` (its number of partners).
    ``engagements``: one row per article x partner - ``article`` (row label in
    ``articles``), ``id``, ``date``, ``partner_kind`` (country/organisation), ``partner``
    (ISO3 or organisation), ``partner_name``, ``iso3``, ``region``, ``subregion``,
    ``event_type``, ``kz_actor_level``.
    ``filter`` is the last filter applied (it sets the range of the date charts).
    """

    base: _Base = field(repr=False)
    art_mask: np.ndarray = field(repr=False)
    eng_mask: np.ndarray = field(repr=False)
    filter: Filter = field(default_factory=Filter)

    def __repr__(self) -> str:  # a notebook shows the size, not every array
        counts = f"articles={len(self._art):,}, engagements={len(self._eng):,}"
        return f"Data({counts}, filter={self.filter!r})"

    @cached_property
    def articles(self) -> pd.DataFrame:
        return self.base.articles[self.art_mask]

    @cached_property
    def engagements(self) -> pd.DataFrame:
        return self.base.engagements[self.eng_mask]

    @property
    def n_articles(self) -> int:
        """How many articles the filter kept, without building the :attr:`articles` table."""
        return len(self._art)

    @cached_property
    def span(self) -> tuple[dt.date, dt.date] | None:
        """First and last day of the whole store (None when no article has a date)."""
        days = self.base.art_day[self.base.art_day != _NO_DAY]
        return (_to_date(days.min()), _to_date(days.max())) if len(days) else None

    @property
    def period(self) -> tuple[dt.date, dt.date] | None:
        """The range the charts cover: the filter's dates, the store's where open.

        None when there is no range: an empty store, or an open-ended filter that starts
        after the store's last day (or ends before its first).
        """
        first, last = self.span or (None, None)
        start, end = self.filter.start or first, self.filter.end or last
        return (start, end) if start and end and start <= end else None

    # Arrays of what the filter kept, computed once per view and shared by the aggregates.
    @cached_property
    def _art(self) -> np.ndarray:
        return np.flatnonzero(self.art_mask)

    @cached_property
    def _eng(self) -> np.ndarray:
        return np.flatnonzero(self.eng_mask)

    @cached_property
    def _country_eng(self) -> tuple[np.ndarray, np.ndarray]:
        """(country code, article row) of each kept country engagement."""
        codes = self.base.eng_country[self._eng]
        keep = codes >= 0
        return codes[keep], self.base.eng_art[self._eng[keep]]

    @cached_property
    def _pos(self) -> np.ndarray:
        """Article row -> its position among the kept articles (valid for kept rows)."""
        return np.cumsum(self.art_mask) - 1

    @cached_property
    def _eng_per_article(self) -> np.ndarray:
        """Kept engagements of each article row."""
        rows = self.base.eng_art[self._eng]
        return np.bincount(rows, minlength=self.base.n_articles)

    @cached_property
    def _set_bits(self) -> np.ndarray:
        """Per kept article, one bit per country set (see _CountrySets) it has a partner in."""
        codes, art = self._country_eng
        bits = np.zeros(len(self._art), np.uint64)
        np.bitwise_or.at(bits, self._pos[art], self.base.sets.country_bits[codes])
        return bits

    @cached_property
    def _at(self) -> tuple[np.ndarray, np.ndarray]:
        """(article row, topic code) of each kept article's topics."""
        keep = self.art_mask[self.base.at_art]
        return self.base.at_art[keep], self.base.at_topic[keep]

    @cached_property
    def _et(self) -> tuple[np.ndarray, np.ndarray]:
        """(engagement row, topic code) of each kept engagement's topics."""
        keep = self.eng_mask[self.base.et_eng]
        return self.base.et_eng[keep], self.base.et_topic[keep]


def load(store_dir: Path | str) -> Data:
    """The whole store at ``store_dir`` as :class:`Data` (empty when there is no store)."""
    return from_articles(store.read_articles(Path(store_dir)))


def from_articles(frame: pd.DataFrame) -> Data:
    """:class:`Data` from an article table shaped like the store's.

    Missing columns get empty values, so tests and notebooks can build one by hand from
    records (gold labels, ``diplodash extract`` output); ``date`` falls back to
    ``datetime`` taken in Kazakhstan's time.
    """
    articles = _tidy_articles(frame)
    arrays = _explode(articles)
    articles["engagements"] = np.bincount(arrays["eng_art"], minlength=len(articles))
    country_info = _country_info(arrays["countries"])
    engagements = _engagement_frame(articles, country_info, arrays)
    sets = _CountrySets.build(country_info)
    base = _Base(
        articles=articles, engagements=engagements, country_info=country_info, sets=sets, **arrays
    )
    everything = np.ones(base.n_articles, bool), np.ones(base.n_engagements, bool)
    return Data(base, *everything)


def _tidy_articles(frame: pd.DataFrame) -> pd.DataFrame:
    out = frame.reset_index(drop=True)
    for name, default in _DEFAULTS.items():
        if name not in out:
            out[name] = default
    if "id" not in frame:
        out["id"] = [f"article-{i}" for i in range(len(out))]
    out["date"] = _article_dates(out)
    for name in LIST_COLUMNS:
        out[name] = pd.Series(pd.arrays.ArrowExtensionArray(_arrow_list(out[name])))
    out["event_type"] = _categorical(out["event_type"], EVENT_TYPES)
    out["kz_actor_level"] = _categorical(out["kz_actor_level"], ACTOR_LEVELS)
    for name in ("location_country", "date_source"):
        out[name] = out[name].astype("category")
    return out


_DEFAULTS: dict[str, object] = {
    "date": pd.NaT,
    "datetime": pd.NaT,
    "partner_countries": None,
    "partner_orgs": None,
    "topics": None,
    "event_type": None,
    "kz_actor_level": None,
    "title": "",
    "text": "",
    "date_source": None,
    "source_file": None,
    "source_files": None,
    "url": None,
    "location_country": None,
    "mentioned_countries": None,
    "evidence": "[]",
}


def _article_dates(frame: pd.DataFrame) -> pd.Series:
    """The article's day as datetime64; from ``datetime`` where ``date`` is missing."""
    return _local_days(frame["date"]).fillna(_local_days(frame["datetime"], utc=True))


def _local_days(values: pd.Series, utc: bool = False) -> pd.Series:
    """Calendar days in Kazakhstan's time; ``utc``: naive values are UTC (the store's)."""
    stamps = pd.to_datetime(values, utc=utc)
    if stamps.dt.tz is not None:
        stamps = stamps.dt.tz_convert(KZ_TZ).dt.tz_localize(None)
    return stamps.astype("datetime64[us]").dt.normalize()


def _arrow_list(values: pd.Series) -> pa.Array:
    array = pa.array(values, type=_LIST, from_pandas=True)
    return array.combine_chunks() if isinstance(array, pa.ChunkedArray) else array


def _categorical(values: pd.Series, vocabulary: Sequence[str]) -> pd.Categorical:
    """Categories in vocabulary order (seniority, spec order), unknown values after."""
    extra = sorted(set(values.dropna()) - set(vocabulary))
    return pd.Categorical(values, categories=[*vocabulary, *extra])


def _pairs(values: pd.Series, normalise: Callable[[pa.Array], pa.Array]) -> pd.DataFrame:
    """(article row, value) for every list item, blanks and repeats within a row dropped."""
    array = _arrow_list(values)
    items = normalise(pc.utf8_trim_whitespace(pc.list_flatten(array)))
    pairs = pd.DataFrame(
        {"article": pc.list_parent_indices(array).to_numpy(), "value": items.to_numpy(False)}
    )
    pairs = pairs[pairs["value"].notna() & (pairs["value"] != "")]
    return pairs.drop_duplicates(ignore_index=True)


def _explode(articles: pd.DataFrame) -> dict[str, object]:
    """Integer arrays of articles, engagements and topics, each list exploded once."""
    country_pairs = _pairs(articles["partner_countries"], pc.utf8_upper)
    org_pairs = _pairs(articles["partner_orgs"], lambda a: a)
    topic_pairs = _pairs(articles["topics"], lambda a: a)
    present = pd.Index(sorted(country_pairs["value"].unique()), dtype=str)
    orgs = pd.Index(sorted(org_pairs["value"].unique()), dtype=str)
    topics = _topic_index(topic_pairs["value"].unique())
    if len(topics) > 64:
        raise ValueError(f"at most 64 topics are supported, got {len(topics)}")
    pairs = pd.concat(
        [
            country_pairs.assign(country=present.get_indexer(country_pairs["value"]), org=-1),
            org_pairs.assign(country=-1, org=orgs.get_indexer(org_pairs["value"])),
        ],
        ignore_index=True,
    ).sort_values("article", kind="stable", ignore_index=True)
    at_art = topic_pairs["article"].to_numpy(np.int32)
    at_topic = topics.get_indexer(topic_pairs["value"]).astype(np.int8)
    bits = np.zeros(len(articles), np.uint64)
    np.bitwise_or.at(bits, at_art, np.left_shift(np.uint64(1), at_topic.astype(np.uint64)))
    eng_art = pairs["article"].to_numpy(np.int32)
    et_eng, et_topic = _topic_pairs_of(bits[eng_art], len(topics))
    return {
        "countries": present,
        "organisations": orgs,
        "topics": topics,
        "event_types": pd.Index(articles["event_type"].cat.categories, dtype=str),
        "actor_levels": pd.Index(articles["kz_actor_level"].cat.categories, dtype=str),
        "art_day": _day_numbers(articles["date"]),
        "art_month": _month_numbers(articles["date"]),
        "art_event": articles["event_type"].cat.codes.to_numpy(np.int16),
        "art_level": articles["kz_actor_level"].cat.codes.to_numpy(np.int16),
        "art_topic_bits": bits,
        "at_art": at_art,
        "at_topic": at_topic,
        "eng_art": eng_art,
        "eng_country": pairs["country"].to_numpy(np.int16),
        "eng_org": pairs["org"].to_numpy(np.int16),
        "et_eng": et_eng,
        "et_topic": et_topic,
    }


def _topic_pairs_of(bits: np.ndarray, n_topics: int) -> tuple[np.ndarray, np.ndarray]:
    """(row, topic) for every bit set in ``bits``, rows ascending within each topic."""
    rows = [np.flatnonzero((bits >> np.uint64(t)) & np.uint64(1)) for t in range(n_topics)]
    topics = [np.full(len(r), t, np.int8) for t, r in enumerate(rows)]
    if not rows:
        return np.zeros(0, np.int32), np.zeros(0, np.int8)
    return np.concatenate(rows).astype(np.int32), np.concatenate(topics)


def _topic_index(present: Iterable[str]) -> pd.Index:
    """Taxonomy order first (topics.toml), then any other topic found in the store."""
    known = list(topic_labels())
    return pd.Index([*known, *sorted(set(present) - set(known))], dtype=str)


def _country_info(codes: pd.Index) -> pd.DataFrame:
    """Country table rows for ``codes``, unknown codes named by their code."""
    table = countries.country_table().set_index("iso3").reindex(codes)
    info = table[["iso2", "name", "region", "subregion"]].reset_index(names="iso3")
    info["name"] = info["name"].fillna(info["iso3"])
    info[list(REGION_LEVELS)] = info[list(REGION_LEVELS)].fillna(UNKNOWN)
    return info


def _engagement_frame(
    articles: pd.DataFrame, info: pd.DataFrame, arrays: dict[str, object]
) -> pd.DataFrame:
    """The tidy article x partner table (built once; filtered views slice it)."""
    art, country, org = arrays["eng_art"], arrays["eng_country"], arrays["eng_org"]
    is_org = country < 0
    orgs = list(arrays["organisations"])
    partner = np.where(is_org, len(info) + org, country)
    frame = pd.DataFrame(
        {
            "article": art,
            "id": articles["id"].array.take(art),
            "date": articles["date"].array.take(art),
            "partner_kind": pd.Categorical.from_codes(is_org.astype(np.int8), _KINDS),
            "partner": _coded([*info["iso3"], *orgs], partner),
            "partner_name": _coded([*info["name"], *orgs], partner),
        }
    )
    for column in ("iso3", *REGION_LEVELS):
        frame[column] = _coded(list(info[column]), country)
    for column in ("event_type", "kz_actor_level"):
        frame[column] = articles[column].array.take(art)
    return frame


_KINDS = pd.Index(["country", "organisation"])


def _coded(values: list[str], codes: np.ndarray) -> pd.Categorical:
    """``values[code]`` for each code as a categorical; code -1 gives a missing value."""
    categories = pd.Index(values).unique()
    mapped = np.append(categories.get_indexer(values), -1)
    return pd.Categorical.from_codes(mapped[codes], categories)


def _day_numbers(dates: pd.Series) -> np.ndarray:
    days = dates.to_numpy("datetime64[D]")
    numbers = (days - _EPOCH).astype(np.int64)
    return np.where(np.isnat(days), _NO_DAY, numbers).astype(np.int32)


def _month_numbers(dates: pd.Series) -> np.ndarray:
    months = dates.to_numpy("datetime64[M]")
    numbers = (months - np.datetime64("1970-01", "M")).astype(np.int64)
    return np.where(np.isnat(months), _NO_DAY, numbers).astype(np.int32)


def _day_number(day: dt.date) -> int:
    return int((np.datetime64(day, "D") - _EPOCH).astype(np.int64))


def _to_date(number: int) -> dt.date:
    return (_EPOCH + np.timedelta64(int(number), "D")).astype(dt.date)


# ---------------------------------------------------------------------------------------
# Filtering helpers
# ---------------------------------------------------------------------------------------


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


def _text_mask(articles: pd.DataFrame, text: str) -> np.ndarray:
    """Articles whose title or text contains ``text``, ignoring case."""
    found = np.zeros(len(articles), dtype=bool)
    for column in ("title", "text"):
        values = articles[column].astype("str")
        found |= values.str.contains(text, case=False, regex=False).fillna(False).to_numpy(bool)
    return found


# ---------------------------------------------------------------------------------------
# Aggregations
# ---------------------------------------------------------------------------------------


def _ranked(frame: pd.DataFrame, label: str) -> pd.DataFrame:
    """Most engagements first, then by name (``analysis.ranking``, the one rule)."""
    return ranking.ranked(frame, label)


def _sort(frame: pd.DataFrame, label: str) -> pd.DataFrame:
    return _ranked(frame, label).reset_index(drop=True)


def _bit_counts(bits: np.ndarray, n: int) -> np.ndarray:
    """How many of ``bits`` have bit i set, for i < n."""
    return np.array([np.count_nonzero(bits & (np.uint64(1) << np.uint64(i))) for i in range(n)])


def _bit_matrix(bits: np.ndarray, n: int) -> np.ndarray:
    """Rows x n matrix of 0.0/1.0, column i = bit i (an operand for matrix products)."""
    as_bytes = np.ascontiguousarray(bits, dtype="<u8").view(np.uint8).reshape(-1, 8)
    return np.unpackbits(as_bytes, axis=1, count=n, bitorder="little").astype(np.float64)


@dataclass(frozen=True, eq=False)
class _CountrySets:
    """Every set of countries the aggregates count by - M49 regions, sub-regions and
    groupings - as one countries x sets matrix and one bit per set, so a single pass
    over a view's engagements marks every set each article touches."""

    names: dict[str, pd.Index]  # kind (region, subregion, grouping) -> set names
    offsets: dict[str, int]  # kind -> bit of its first set
    member: np.ndarray  # countries x sets, bool
    country_bits: np.ndarray  # uint64 per country: the bits of its sets

    @classmethod
    def build(cls, info: pd.DataFrame) -> _CountrySets:
        names = {level: _region_names(level, info) for level in REGION_LEVELS}
        names["grouping"] = pd.Index(list(countries.groupings()), dtype=str)
        columns = [_membership(info[level], names[level]) for level in REGION_LEVELS]
        groups = [info["iso3"].isin(list(g.members)) for g in countries.groupings().values()]
        columns.append(np.array(groups, dtype=bool).reshape(len(groups), len(info)).T)
        member = np.hstack(columns).astype(bool)
        if member.shape[1] > 64:
            raise ValueError(f"regions, sub-regions and groupings exceed 64 ({member.shape[1]})")
        sizes = [len(n) for n in names.values()]
        offsets = dict(zip(names, np.cumsum([0, *sizes[:-1]]).tolist(), strict=True))
        weights = np.left_shift(np.uint64(1), np.arange(member.shape[1], dtype=np.uint64))
        bits = np.bitwise_or.reduce(np.where(member, weights, np.uint64(0)), axis=1)
        return cls(names, offsets, member, bits.astype(np.uint64))

    def columns(self, kind: str) -> slice:
        start = self.offsets[kind]
        return slice(start, start + len(self.names[kind]))


def _membership(values: pd.Series, names: pd.Index) -> np.ndarray:
    """Countries x sets boolean matrix for an exclusive attribute such as the region."""
    return values.to_numpy()[:, None] == names.to_numpy()[None, :]


def _article_sets(data: Data, kind: str) -> np.ndarray:
    """Per kept article, the bits of its sets of ``kind`` (bit 0 = the kind's first set)."""
    return data._set_bits >> np.uint64(data.base.sets.offsets[kind])


def _set_counts(data: Data, kind: str) -> dict[str, np.ndarray]:
    """countries, engagements and distinct articles per set of ``kind``."""
    sets = data.base.sets
    member = sets.member[:, sets.columns(kind)].astype(np.int64)
    codes, _ = data._country_eng
    per_country = np.bincount(codes, minlength=member.shape[0])
    return {
        "countries": (per_country > 0).astype(np.int64) @ member,
        "engagements": per_country @ member,
        "articles": _bit_counts(_article_sets(data, kind), member.shape[1]),
    }


def by_country(data: Data) -> pd.DataFrame:
    """Engagements per partner country, most first: the map and the country ranking.

    Columns: ``iso3``, ``iso2``, ``name``, ``region``, ``subregion``, ``engagements``,
    ``articles`` (equal to engagements: an article names a partner once),
    ``first_date``, ``last_date`` (of its articles in the selection) and ``top_topics``
    (up to three topic labels, most frequent first, "; "-joined). Only countries with at
    least one engagement are listed.
    """
    base = data.base
    codes, art = data._country_eng
    n = len(base.countries)
    counts = np.bincount(codes, minlength=n)
    days = base.art_day[art]
    first = np.full(n, _MAX_DAY, np.int32)
    last = np.full(n, _NO_DAY, np.int32)
    np.minimum.at(first, codes, np.where(days == _NO_DAY, _MAX_DAY, days))
    np.maximum.at(last, codes, days)
    frame = base.country_info.assign(
        engagements=counts,
        articles=counts,
        first_date=_dates(first),
        last_date=_dates(last),
        top_topics=_top_topics(data, n),
    )
    return _sort(frame[counts > 0], "name")


def _dates(days: np.ndarray) -> np.ndarray:
    """Day numbers as datetime64; the sentinels of 'no date' become NaT."""
    valid = (days != _NO_DAY) & (days != _MAX_DAY)
    values = (_EPOCH + np.where(valid, days, 0).astype("timedelta64[D]")).astype("datetime64[us]")
    return np.where(valid, values, np.datetime64("NaT", "us"))


def _top_topics(data: Data, n_countries: int, top: int = 3) -> list[str]:
    base = data.base
    eng, topic = data._et
    country = base.eng_country[eng]
    keep = country >= 0
    n_topics = len(base.topics)
    flat = country[keep].astype(np.int64) * n_topics + topic[keep]
    matrix = np.bincount(flat, minlength=n_countries * n_topics).reshape(n_countries, n_topics)
    labels = [label(t) for t in base.topics]
    order = ranking.top_columns(matrix, labels, top)
    return ["; ".join(labels[t] for t in row if matrix[i, t]) for i, row in enumerate(order)]


def by_region(data: Data, level: str = "region") -> pd.DataFrame:
    """Engagements per UN M49 region (``level="region"``) or sub-region.

    Columns: ``region`` (or ``subregion`` then its ``region``), ``countries`` (distinct
    partner countries), ``engagements``, ``articles`` (distinct articles with at least
    one partner there). Every region of the country table is listed, with zeros, plus
    ``Unknown`` when the store has codes the table lacks.
    """
    if level not in REGION_LEVELS:
        raise ValueError(f"level must be one of {REGION_LEVELS}, not {level!r}")
    frame = pd.DataFrame({level: data.base.sets.names[level]})
    if level == "subregion":
        frame["region"] = frame[level].map(_parent_regions()).fillna(UNKNOWN)
    return _sort(frame.assign(**_set_counts(data, level)), level)


def _region_names(level: str, info: pd.DataFrame) -> pd.Index:
    """The table's regions (or sub-regions), then any the store adds (Unknown)."""
    known = set(countries.country_table()[level].dropna())
    return pd.Index(sorted(known) + sorted(set(info[level]) - known), dtype=str)


@functools.cache
def _parent_regions() -> dict[str, str]:
    table = countries.country_table().dropna(subset=["subregion"])
    return dict(zip(table["subregion"], table["region"], strict=True))


def by_grouping(data: Data) -> pd.DataFrame:
    """Engagements per grouping of groupings.toml (CIS, EAEU, SCO ...).

    Columns: ``grouping`` (id), ``label``, ``countries`` (distinct partner countries in
    it), ``engagements``, ``articles`` (distinct articles with at least one member as a
    partner). A country counts for every grouping it belongs to, so the rows overlap and
    do not add up to the total. Every grouping is listed, with zeros.
    """
    ids = data.base.sets.names["grouping"]
    labels = [countries.groupings()[i].label for i in ids]
    frame = pd.DataFrame({"grouping": ids, "label": labels})
    return _sort(frame.assign(**_set_counts(data, "grouping")), "label")


def by_topic(data: Data) -> pd.DataFrame:
    """Engagements and articles per topic; an article with two topics counts in both.

    Columns: ``topic`` (id), ``label``, ``engagements``, ``articles``. Every topic of the
    taxonomy and the store is listed, with zeros.
    """
    base = data.base
    n = len(base.topics)
    frame = _labelled("topic", base.topics)
    frame["engagements"] = np.bincount(data._et[1], minlength=n)
    frame["articles"] = np.bincount(data._at[1], minlength=n)
    return _sort(frame, "label")


def _labelled(name: str, ids: pd.Index) -> pd.DataFrame:
    return pd.DataFrame({name: ids, "label": [label(i) for i in ids]})


def by_event_type(data: Data) -> pd.DataFrame:
    """Engagements and articles per event type (spec §2 list, zeros included).

    Columns: ``event_type``, ``label``, ``engagements``, ``articles``.
    """
    return _per_article_category(data, "event_type", data.base.event_types, data.base.art_event)


def by_actor_level(data: Data) -> pd.DataFrame:
    """Engagements and articles per Kazakh actor level, most senior first (zeros included).

    Columns: ``kz_actor_level``, ``label``, ``engagements``, ``articles``.
    """
    base = data.base
    frame = _per_article_category(data, "kz_actor_level", base.actor_levels, base.art_level)
    rank = {level: i for i, level in enumerate(ACTOR_LEVELS)}
    order = frame["kz_actor_level"].map(rank).fillna(len(rank)).to_numpy()
    return frame.iloc[np.argsort(order, kind="stable")].reset_index(drop=True)


def _per_article_category(
    data: Data, name: str, ids: pd.Index, article_codes: np.ndarray
) -> pd.DataFrame:
    """Counts of a one-value-per-article field (event type, actor level)."""
    n = len(ids)
    codes = article_codes[data._art]
    valid = codes >= 0
    frame = _labelled(name, ids)
    weights = data._eng_per_article[data._art][valid]
    frame["engagements"] = np.bincount(codes[valid], weights, minlength=n).astype(np.int64)
    frame["articles"] = np.bincount(codes[valid], minlength=n)
    return frame if name == "kz_actor_level" else _sort(frame, "label")


def by_organisation(data: Data) -> pd.DataFrame:
    """Engagements per partner organisation (UN, OSCE, SCO ...), most first.

    Columns: ``organisation``, ``engagements``, ``articles`` (equal: an article names a
    partner once). Only organisations with engagements are listed.
    """
    base = data.base
    codes = base.eng_org[data._eng]
    counts = np.bincount(codes[codes >= 0], minlength=len(base.organisations))
    frame = pd.DataFrame({"organisation": base.organisations, "engagements": counts})
    frame["articles"] = counts
    return _sort(frame[counts > 0], "organisation")


def crosstab_topic_region(data: Data, level: str = "region") -> pd.DataFrame:
    """Engagements and articles per topic and region: what is discussed with whom.

    Columns: ``topic``, ``label``, ``region`` (or ``subregion``), ``engagements``
    (country engagements there whose article has the topic), ``articles`` (articles with
    the topic and at least one partner there). Every pair is listed, zeros included.
    """
    if level not in REGION_LEVELS:
        raise ValueError(f"level must be one of {REGION_LEVELS}, not {level!r}")
    base = data.base
    names = base.sets.names[level]
    codes, art = data._country_eng
    region_of = base.sets.member[:, base.sets.columns(level)].argmax(axis=1)
    flat = data._pos[art].astype(np.int64) * len(names) + region_of[codes]
    per_article = np.bincount(flat, minlength=len(data._art) * len(names))
    topics = _bit_matrix(base.art_topic_bits[data._art], len(base.topics)).T
    engagements = topics @ per_article.reshape(-1, len(names)).astype(np.float64)
    articles = topics @ _bit_matrix(_article_sets(data, level), len(names))
    frame = _labelled("topic", base.topics)
    frame = frame.iloc[np.repeat(np.arange(len(frame)), len(names))].reset_index(drop=True)
    frame[level] = np.tile(names.to_numpy(), len(base.topics))
    frame["engagements"] = np.rint(engagements.reshape(-1)).astype(np.int64)
    frame["articles"] = np.rint(articles.reshape(-1)).astype(np.int64)
    return frame


# -- dates ------------------------------------------------------------------------------

_MONTHS_PER = {"month": 1, "quarter": 3, "year": 12}


def period_numbers(days: np.ndarray, freq: str) -> np.ndarray:
    """Period number of each day number (days since 1970-01-01); weeks start on Monday."""
    if freq not in FREQS:
        raise ValueError(f"freq must be one of {FREQS}, not {freq!r}")
    days = days.astype(np.int64)
    if freq == "day":
        return days
    if freq == "week":
        return (days + 3) // 7  # 1970-01-01 was a Thursday
    months = (_EPOCH + days.astype("timedelta64[D]")).astype("datetime64[M]").astype(np.int64)
    return months // _MONTHS_PER[freq]


def _article_periods(base: _Base, rows: np.ndarray, freq: str) -> np.ndarray:
    """Period numbers of articles, from the month numbers computed at load."""
    if freq in ("day", "week"):
        return period_numbers(base.art_day[rows], freq)
    return base.art_month[rows].astype(np.int64) // _MONTHS_PER[freq]


def _period_starts(numbers: np.ndarray, freq: str) -> pd.DatetimeIndex:
    if freq in ("day", "week"):
        days = numbers * 7 - 3 if freq == "week" else numbers
        starts = _EPOCH + days.astype("timedelta64[D]")
    else:
        months = numbers * _MONTHS_PER[freq]
        starts = np.datetime64("1970-01", "M") + months.astype("timedelta64[M]")
    return pd.DatetimeIndex(starts.astype("datetime64[us]"))


def _period_labels(starts: pd.DatetimeIndex, freq: str) -> list[str]:
    if freq == "quarter":
        return [f"{s.year}-Q{s.quarter}" for s in starts]
    formats = {"day": "%Y-%m-%d", "week": "%G-W%V", "month": "%Y-%m", "year": "%Y"}
    return list(starts.strftime(formats[freq]))


@dataclass(frozen=True, eq=False)
class _Periods:
    """The periods of a view's range and counting into them."""

    base: _Base
    freq: str
    first: int
    n: int

    @classmethod
    def of(cls, data: Data, freq: str) -> _Periods:
        if data.period is None:
            period_numbers(np.zeros(0), freq)  # still reject an unknown freq
            return cls(data.base, freq, 0, 0)
        days = np.array([_day_number(day) for day in data.period])
        low, high = period_numbers(days, freq)
        return cls(data.base, freq, int(low), int(high - low + 1))

    def frame(self) -> pd.DataFrame:
        starts = _period_starts(np.arange(self.first, self.first + self.n), self.freq)
        return pd.DataFrame({"period": starts, "period_label": _period_labels(starts, self.freq)})

    def count(
        self,
        rows: np.ndarray,
        codes: np.ndarray | None = None,
        n_codes: int = 1,
        weights: np.ndarray | None = None,
    ) -> np.ndarray:
        """A codes x periods matrix: how many article ``rows`` (of each code) fall in
        each period; ``weights`` counts each row that many times (its engagements)."""
        offsets = _article_periods(self.base, rows, self.freq) - self.first
        inside = (offsets >= 0) & (offsets < self.n)  # the no-date sentinel is far outside
        flat = offsets[inside]
        if codes is not None:
            flat = flat + codes[inside].astype(np.int64) * self.n
        if weights is not None:
            weights = weights[inside]
        counts = np.bincount(flat, weights, minlength=n_codes * self.n)
        return counts.astype(np.int64).reshape(n_codes, self.n)


def by_date(data: Data, freq: str = "month") -> pd.DataFrame:
    """Engagements and articles per period, every period of the range listed (zeros too).

    ``freq``: day, week (from Monday), month, quarter or year. The range is the
    filter's, or the whole store's where the filter leaves it open, so a period without
    news shows as 0 instead of vanishing; the first and last period count only the days
    inside the range. Columns: ``period`` (first day, datetime64), ``period_label``
    ("2024-03", "2024-Q1", "2024-W09", "2024"), ``engagements``, ``articles``. No rows
    when there is no range (see :attr:`Data.period`).
    """
    periods = _Periods.of(data, freq)
    rows = data._art
    frame = periods.frame()
    frame["engagements"] = periods.count(rows, weights=data._eng_per_article[rows])[0]
    frame["articles"] = periods.count(rows)[0]
    return frame


def _long(rows: pd.DataFrame, periods: _Periods, **matrices: np.ndarray) -> pd.DataFrame:
    """Rows x periods matrices as a tidy long frame: one line per (row, period)."""
    grid = periods.frame()
    frame = rows.iloc[np.repeat(np.arange(len(rows)), periods.n)].reset_index(drop=True)
    for column in grid:
        frame[column] = np.tile(grid[column].to_numpy(), len(rows))
    for name, matrix in matrices.items():
        frame[name] = matrix.reshape(-1)
    return frame


def country_by_period(data: Data, freq: str = "year") -> pd.DataFrame:
    """Engagements per partner country and period: the country x time heatmap.

    Columns: ``iso3``, ``name``, ``period``, ``period_label``, ``engagements``,
    ``articles`` (equal to engagements). Countries with at least one engagement, most
    engaged first, each with every period of the range (zeros included).
    """
    periods = _Periods.of(data, freq)
    base = data.base
    codes, art = data._country_eng
    matrix = periods.count(art, codes, len(base.countries))
    counts = np.bincount(codes, minlength=len(base.countries))
    rows = _ranked(base.country_info[["iso3", "name"]].assign(engagements=counts), "name")
    rows = rows[rows["engagements"] > 0]
    keep = rows.index.to_numpy()
    rows = rows.drop(columns="engagements").reset_index(drop=True)
    return _long(rows, periods, engagements=matrix[keep], articles=matrix[keep])


def region_by_period(data: Data, freq: str = "year", level: str = "region") -> pd.DataFrame:
    """Country engagements per UN M49 region (or sub-region) and period.

    Columns: ``region``, ``period``, ``period_label``, ``engagements``; every region with
    engagements x every period (zeros included). Summed from ``country_by_period``: exact
    for engagements (a country is in one region); distinct articles cannot be summed, so
    there is no articles column.
    """
    frame = country_by_period(data, freq)
    table = countries.country_table().set_index("iso3")[level]
    frame["region"] = frame["iso3"].map(table).fillna(UNKNOWN)
    keys = ["region", "period", "period_label"]
    return frame.groupby(keys, as_index=False, observed=True, sort=False)["engagements"].sum()


def topic_by_period(data: Data, freq: str = "year") -> pd.DataFrame:
    """Engagements and articles per topic and period: topics over time.

    Columns: ``topic``, ``label``, ``period``, ``period_label``, ``engagements``,
    ``articles``; every topic x every period of the range (zeros included).
    """
    periods = _Periods.of(data, freq)
    art, topic = data._at
    n = len(data.base.topics)
    weights = data._eng_per_article[art]
    return _long(
        _labelled("topic", data.base.topics),
        periods,
        engagements=periods.count(art, topic, n, weights),
        articles=periods.count(art, topic, n),
    )


# -- KPI cards -------------------------------------------------------------------------------


def totals(data: Data) -> dict[str, int]:
    """Headline counts of a view: engagements, articles, countries, organisations."""
    codes, _ = data._country_eng
    orgs = data.base.eng_org[data._eng]
    return {
        "engagements": len(data._eng),
        "articles": len(data._art),
        "countries": np.count_nonzero(np.bincount(codes)),
        "organisations": np.count_nonzero(np.bincount(orgs[orgs >= 0])),
    }


def kpis(data: Data, filter: Filter | None = None) -> pd.DataFrame:
    """The KPI cards: this range against the range of equal length just before it.

    ``data`` is the unfiltered store; the filter's open ends are closed with the store's
    first and last day. Columns: ``metric`` (engagements, articles, countries,
    organisations), ``value``, ``previous``, ``change`` (value - previous),
    ``change_pct`` (percent; NaN when previous is 0), ``start``, ``end``,
    ``previous_start``, ``previous_end``.
    """
    filter = filter or Filter()
    current = filter.apply(data)
    now = totals(current)
    if current.period is None:
        return _kpi_frame(now, dict.fromkeys(now, 0), (None, None), (None, None))
    start, end = current.period
    earlier = dataclasses.replace(filter, start=start, end=end).shifted_back()
    before = totals(earlier.apply(data))
    return _kpi_frame(now, before, current.period, (earlier.start, earlier.end))


def _kpi_frame(
    now: dict[str, int],
    before: dict[str, int],
    period: tuple[dt.date | None, dt.date | None],
    previous_period: tuple[dt.date | None, dt.date | None],
) -> pd.DataFrame:
    frame = pd.DataFrame({"metric": list(now), "value": list(now.values())})
    frame["previous"] = [before[metric] for metric in now]
    frame["change"] = frame["value"] - frame["previous"]
    frame["change_pct"] = 100 * frame["change"] / frame["previous"].where(frame["previous"] != 0)
    names = ("start", "end", "previous_start", "previous_end")
    for name, day in zip(names, (*period, *previous_period), strict=True):
        frame[name] = np.datetime64(day, "us") if day else np.datetime64("NaT", "us")
    return frame


# -- one entry point for the CLI and the downloads ------------------------------------------

AGGREGATIONS: dict[str, Callable[..., pd.DataFrame]] = {
    "country": by_country,
    "region": by_region,
    "subregion": functools.partial(by_region, level="subregion"),
    "grouping": by_grouping,
    "topic": by_topic,
    "event_type": by_event_type,
    "actor_level": by_actor_level,
    "organisation": by_organisation,
    "date": by_date,
    "country_period": country_by_period,
    "region_period": region_by_period,
    "topic_period": topic_by_period,
    "topic_region": crosstab_topic_region,
}
TIMED = frozenset({"date", "country_period", "region_period", "topic_period"})


def aggregate(data: Data, by: str, freq: str | None = None) -> pd.DataFrame:
    """The frame named ``by`` (a key of AGGREGATIONS); ``freq`` for the dated ones.

    The CLI and the dashboard's downloads both go through here, so they agree.
    """
    try:
        function = AGGREGATIONS[by]
    except KeyError:
        raise ValueError(f"by must be one of {', '.join(AGGREGATIONS)}, not {by!r}") from None
    return function(data, freq) if by in TIMED and freq else function(data)
