"""The store as frames and integer arrays, exploded once: what every aggregate counts.

``load`` explodes the list columns once into integer arrays (article row, country code,
day number, topic bits, region and grouping bits); a :class:`Data` is the whole store or
the part a filter kept (two boolean masks over those arrays), so a filter change costs
a few vectorised passes, never a new explode (``bench/bench_aggregate.py``).
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from analysis import clustering, countries, store
from analysis.dates import plausible_span
from analysis.lang import morph
from analysis.measures import Events, EventView
from analysis.vocabulary import ACTOR_LEVELS, EVENT_TYPES, FORMATS, KZ_TZ, topic_labels

if TYPE_CHECKING:
    from analysis.filtering import Filter

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
    languages: pd.Index
    art_lang: np.ndarray  # codes into languages
    art_topic_bits: np.ndarray  # uint64, bit i = topics[i]
    at_art: np.ndarray  # article x topic pairs
    at_topic: np.ndarray
    eng_art: np.ndarray  # int32 article row of each engagement
    eng_country: np.ndarray  # code into countries, -1 for an organisation
    eng_org: np.ndarray  # code into organisations, -1 for a country
    et_eng: np.ndarray  # engagement x topic pairs (the topics of its article)
    et_topic: np.ndarray
    sets: _CountrySets  # regions, sub-regions and groupings as bits
    events: Events  # the event of each article, and per-event fields (analysis.measures)
    art_format: np.ndarray  # int8 code into FORMATS of each article's event, -1 for none
    search: Callable[[str], np.ndarray] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        # The last few searches over the whole store, shared by every filter that uses
        # them: typing a word costs one scan, changing other filters afterwards none.
        search = functools.lru_cache(maxsize=8)(functools.partial(_text_mask, self.articles))
        object.__setattr__(self, "search", search)

    def __getstate__(self) -> dict[str, object]:  # picklable (e.g. for a cache): not the cache
        return {k: v for k, v in self.__dict__.items() if k not in ("search", "_whole")}

    def whole_events(self) -> EventView:
        """The events of the whole store, as an unfiltered view keeps them (shared)."""
        found = self.__dict__.get("_whole")
        if found is None:
            everything = np.ones(self.n_articles, bool), np.ones(self.n_engagements, bool)
            found = EventView(Data(self, *everything))
            object.__setattr__(self, "_whole", found)
        return found

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
    filter: Filter = field(default_factory=lambda: _no_filter())

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

    def count(self, measure: str) -> int:
        """What this view holds in one of the three measures (spec §3), as every chart of
        that measure counts it: articles, engagements, or events with a kept report."""
        if measure == "articles":
            return self.n_articles
        if measure == "engagements":
            return len(self._eng)
        if measure == "events":
            return len(self.ev.kept)
        raise ValueError(f"measure must be articles, engagements or events, not {measure!r}")

    @property
    def n_undated(self) -> int:
        """Articles the filter kept that have no date (spec §1): listed and counted, but
        no time chart or dated download can place them, so each says how many it left out."""
        return int(np.count_nonzero(self.base.art_day[self._art] == _NO_DAY))

    @cached_property
    def span(self) -> tuple[dt.date, dt.date] | None:
        """First and last plausible day of the whole store (``plausible_span``): the
        charts' default range, which one typo'd year must not stretch. None when no
        article has such a date."""
        low, high = (_day_number(day) for day in plausible_span())
        days = self.base.art_day
        return day_range(days[(days >= low) & (days <= high)])

    @property
    def period(self) -> tuple[dt.date, dt.date] | None:
        """The range the charts cover: the filter's dates, the store's where open.

        None when there is no range: an empty store, or an open-ended filter that starts
        after the store's last day (or ends before its first).
        """
        first, last = self.span or (None, None)
        start, end = self.filter.start or first, self.filter.end or last
        return (start, end) if start and end and start <= end else None

    @cached_property
    def ev(self) -> EventView:
        """The events this view keeps (computed on first use; see analysis.measures).
        A view that keeps everything shares the whole store's, computed once per store:
        it is the largest view, and the one every new session opens on."""
        if self.n_articles == self.base.n_articles and bool(self.eng_mask.all()):
            return self.base.whole_events()
        return EventView(self)

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


def load(store_dir: Path | str, window: int | None = None) -> Data:
    """The whole store at ``store_dir`` as :class:`Data` (empty when there is no store).

    Events come from the store, clustered at ingest; a ``window`` other than the one
    they were clustered with clusters them again here (about 3 s per 100,000 articles,
    docs/performance.md), so a user can try another window without a new ingest.
    """
    store_dir = Path(store_dir)
    if window is not None and window == store.read_meta(store_dir).get("event_window"):
        window = None
    return from_articles(store.read_articles(store_dir), window)


def from_articles(frame: pd.DataFrame, window: int | None = None) -> Data:
    """:class:`Data` from an article table shaped like the store's.

    Missing columns get empty values, so tests and notebooks can build one by hand from
    records (gold labels, ``diplodash extract`` output); ``date`` falls back to
    ``datetime`` taken in Kazakhstan's time. Events are the table's ``event_id`` when
    every row has one and no ``window`` is asked for; else clustered here.
    """
    articles = _tidy_articles(frame)
    articles[clustering.COLUMN] = _event_ids(frame, articles, window)
    arrays = _explode(articles)
    articles["engagements"] = np.bincount(arrays["eng_art"], minlength=len(articles))
    country_info = _country_info(arrays["countries"])
    events = _events(articles, arrays)
    articles["format"] = _format_labels(events)
    engagements = _engagement_frame(articles, country_info, arrays)
    sets = _CountrySets.build(country_info)
    base = _Base(
        articles=articles,
        engagements=engagements,
        country_info=country_info,
        sets=sets,
        events=events,
        art_format=events.format[events.art_event],
        **arrays,
    )
    everything = np.ones(base.n_articles, bool), np.ones(base.n_engagements, bool)
    return Data(base, *everything)


def _event_ids(frame: pd.DataFrame, articles: pd.DataFrame, window: int | None) -> pd.Series:
    stored = frame.get(clustering.COLUMN)
    if window is None and stored is not None and stored.notna().all():
        return stored.reset_index(drop=True).astype(str)
    days = clustering.DEFAULT_WINDOW if window is None else window
    return clustering.cluster(articles, days).astype(str)


def _events(articles: pd.DataFrame, arrays: dict[str, object]) -> Events:
    codes, _ = pd.factorize(articles[clustering.COLUMN], sort=True)
    kinds = arrays["event_types"]
    return Events.build(
        codes.astype(np.int32),
        arrays["art_event"],
        arrays["art_level"],
        (arrays["eng_art"], arrays["eng_country"], arrays["eng_org"]),
        len(arrays["countries"]),
        kinds.get_loc("conference") if "conference" in kinds else -2,
    )


def _format_labels(events: Events) -> pd.Categorical:
    """Each article's format as a categorical (missing for an event without partners)."""
    return pd.Categorical.from_codes(events.format[events.art_event], FORMATS)


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
    out["lang"] = out["lang"].fillna("en").astype("category")  # stores before languages: English
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
    "lang": None,
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
        "languages": pd.Index(articles["lang"].cat.categories, dtype=str),
        "art_lang": articles["lang"].cat.codes.to_numpy(np.int16),
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
    for column in ("event_type", "kz_actor_level", "format", clustering.COLUMN):
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


def day_range(days: np.ndarray) -> tuple[dt.date, dt.date] | None:
    """First and last of day numbers (None when there are none)."""
    return (_to_date(days.min()), _to_date(days.max())) if len(days) else None


def _text_mask(articles: pd.DataFrame, text: str) -> np.ndarray:
    """Articles whose title or text contains ``text``, ignoring case; a Russian word in any
    of its forms ("Франция" finds "Франции")."""
    text = morph.search_form(text)
    found = np.zeros(len(articles), dtype=bool)
    for column in ("title", "text"):
        values = articles[column].astype("str")
        found |= values.str.contains(text, case=False, regex=False).fillna(False).to_numpy(bool)
    return found


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


def _region_names(level: str, info: pd.DataFrame) -> pd.Index:
    """The table's regions (or sub-regions), then any the store adds (Unknown)."""
    known = set(countries.country_table()[level].dropna())
    return pd.Index(sorted(known) + sorted(set(info[level]) - known), dtype=str)


def _no_filter() -> Filter:
    from analysis.filtering import Filter

    return Filter()


def _bit_counts(bits: np.ndarray, n: int) -> np.ndarray:
    """How many of ``bits`` have bit i set, for i < n."""
    return _bits(bits, n).sum(axis=0, dtype=np.int64)


def _bits(bits: np.ndarray, n: int) -> np.ndarray:
    """Rows x n matrix of 0/1 (uint8), column i = bit i."""
    as_bytes = np.ascontiguousarray(bits, dtype="<u8").view(np.uint8).reshape(-1, 8)
    return np.unpackbits(as_bytes, axis=1, count=n, bitorder="little")


def _bit_matrix(bits: np.ndarray, n: int) -> np.ndarray:
    """Rows x n matrix of 0.0/1.0, column i = bit i (an operand for matrix products)."""
    return _bits(bits, n).astype(np.float64)


def _pair_counts(a: np.ndarray, b: np.ndarray, n_a: int, n_b: int) -> np.ndarray:
    """n_a x n_b matrix: how many rows have bit i of ``a`` and bit j of ``b``.

    Rows are first grouped by their pair of bit sets (few distinct ones: topics x
    regions), so the matrix product runs over those groups, not over every row.
    """
    low = np.uint64((1 << n_b) - 1) if n_b < 64 else np.uint64(2**64 - 1)
    if n_a + n_b > 64:
        return _bit_matrix(a, n_a).T @ _bit_matrix(b, n_b)
    keys = (a.astype(np.uint64) << np.uint64(n_b)) | (b.astype(np.uint64) & low)
    combos, counts = np.unique(keys, return_counts=True)
    left = _bit_matrix(combos >> np.uint64(n_b), n_a) * counts[:, None]
    return left.T @ _bit_matrix(combos & low, n_b)
