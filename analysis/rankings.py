"""Rankings and breakdowns: per country, region, grouping, topic, event type, actor level,
organisation, and topic x region. Each gives every measure (spec §3) of its rows."""

from __future__ import annotations

import functools

import numpy as np
import pandas as pd

from analysis import countries, ordering
from analysis.data import (
    _EPOCH,
    _MAX_DAY,
    _NO_DAY,
    REGION_LEVELS,
    UNKNOWN,
    Data,
    _bit_counts,
    _pair_counts,
)
from analysis.measures import DEFAULT_MEASURE, check_measure
from analysis.vocabulary import ACTOR_LEVELS, FORMATS, LANGUAGES, label


def _ranked(frame: pd.DataFrame, label: str, measure: str = DEFAULT_MEASURE) -> pd.DataFrame:
    """Most of ``measure`` first, then by name (``analysis.ordering``, the one rule)."""
    return ordering.ranked(frame, label, check_measure(measure))


def _sort(frame: pd.DataFrame, label: str, measure: str = DEFAULT_MEASURE) -> pd.DataFrame:
    return _ranked(frame, label, measure).reset_index(drop=True)


def _event_bits(data: Data, kind: str) -> np.ndarray:
    """Per kept event, the bits of its sets of ``kind`` (bit 0 = the kind's first set)."""
    return data.ev.set_bits >> np.uint64(data.base.sets.offsets[kind])


def _article_sets(data: Data, kind: str) -> np.ndarray:
    """Per kept article, the bits of its sets of ``kind`` (bit 0 = the kind's first set)."""
    return data._set_bits >> np.uint64(data.base.sets.offsets[kind])


def _set_counts(data: Data, kind: str) -> dict[str, np.ndarray]:
    """countries, engagements, distinct articles and distinct events per set of ``kind``."""
    sets = data.base.sets
    member = sets.member[:, sets.columns(kind)].astype(np.int64)
    codes, _ = data._country_eng
    per_country = np.bincount(codes, minlength=member.shape[0])
    return {
        "countries": (per_country > 0).astype(np.int64) @ member,
        "engagements": per_country @ member,
        "articles": _bit_counts(_article_sets(data, kind), member.shape[1]),
        "events": _bit_counts(_event_bits(data, kind), member.shape[1]),
    }


def by_country(data: Data, measure: str = DEFAULT_MEASURE) -> pd.DataFrame:
    """Engagements per partner country, most ``measure`` first: the map and the ordering.

    Columns: ``iso3``, ``iso2``, ``name``, ``region``, ``subregion``, ``engagements``,
    ``articles`` (equal to engagements: an article names a partner once), ``events``
    (distinct events with the country as a partner),
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
        events=np.bincount(data.ev.country_pairs[0], minlength=n),
        first_date=_dates(first),
        last_date=_dates(last),
        top_topics=_top_topics(data, n),
    )
    return _sort(frame[counts > 0], "name", measure)


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
    order = ordering.top_columns(matrix, labels, top)
    return ["; ".join(labels[t] for t in row if matrix[i, t]) for i, row in enumerate(order)]


def by_region(data: Data, level: str = "region", measure: str = DEFAULT_MEASURE) -> pd.DataFrame:
    """Engagements per UN M49 region (``level="region"``) or sub-region.

    Columns: ``region`` (or ``subregion`` then its ``region``), ``countries`` (distinct
    partner countries), ``engagements``, ``articles`` (distinct articles with at least
    one partner there), ``events`` (distinct events with a partner there). Every region
    of the country table is listed, with zeros, plus
    ``Unknown`` when the store has codes the table lacks.
    """
    if level not in REGION_LEVELS:
        raise ValueError(f"level must be one of {REGION_LEVELS}, not {level!r}")
    frame = pd.DataFrame({level: data.base.sets.names[level]})
    if level == "subregion":
        frame["region"] = frame[level].map(_parent_regions()).fillna(UNKNOWN)
    return _sort(frame.assign(**_set_counts(data, level)), level, measure)


@functools.cache
def _parent_regions() -> dict[str, str]:
    table = countries.country_table().dropna(subset=["subregion"])
    return dict(zip(table["subregion"], table["region"], strict=True))


def by_grouping(data: Data, measure: str = DEFAULT_MEASURE) -> pd.DataFrame:
    """Engagements per grouping of groupings.toml (CIS, EAEU, SCO ...).

    Columns: ``grouping`` (id), ``label``, ``countries`` (distinct partner countries in
    it), ``engagements``, ``articles`` (distinct articles with at least one member as a
    partner), ``events`` (likewise). A country counts for every grouping it belongs to,
    so the rows overlap and
    do not add up to the total. Every grouping is listed, with zeros.
    """
    ids = data.base.sets.names["grouping"]
    labels = [countries.groupings()[i].label for i in ids]
    frame = pd.DataFrame({"grouping": ids, "label": labels})
    return _sort(frame.assign(**_set_counts(data, "grouping")), "label", measure)


def by_topic(data: Data, measure: str = DEFAULT_MEASURE) -> pd.DataFrame:
    """Engagements, articles and events per topic; an article with two topics counts in
    both, an event in every topic one of its kept reports has.

    Columns: ``topic`` (id), ``label``, ``engagements``, ``articles``, ``events``. Every
    topic of the taxonomy and the store is listed, with zeros.
    """
    base = data.base
    n = len(base.topics)
    frame = _labelled("topic", base.topics)
    frame["engagements"] = np.bincount(data._et[1], minlength=n)
    frame["articles"] = np.bincount(data._at[1], minlength=n)
    frame["events"] = _bit_counts(data.ev.topic_bits, n)
    return _sort(frame, "label", measure)


def _labelled(name: str, ids: pd.Index) -> pd.DataFrame:
    return pd.DataFrame({name: ids, "label": [label(i) for i in ids]})


def languages(data: Data) -> list[str]:
    """The languages of the store's articles, in vocabulary order (en, ru, kk)."""
    base = data.base
    present = set(base.languages[np.unique(base.art_lang[base.art_lang >= 0])])
    return [code for code in LANGUAGES if code in present] + sorted(present - set(LANGUAGES))


def by_event_type(data: Data, measure: str = DEFAULT_MEASURE) -> pd.DataFrame:
    """Engagements, articles and events per event type (spec §2 list, zeros included).

    Columns: ``event_type``, ``label``, ``engagements``, ``articles``, ``events``.
    """
    base = data.base
    frame = _per_article_category(data, "event_type", base.event_types, base.art_event)
    return _sort(frame, "label", measure)


def by_actor_level(data: Data) -> pd.DataFrame:
    """Engagements, articles and events per Kazakh actor level, most senior first (zeros
    included). Columns: ``kz_actor_level``, ``label``, ``engagements``, ``articles``,
    ``events``.
    """
    base = data.base
    frame = _per_article_category(data, "kz_actor_level", base.actor_levels, base.art_level)
    rank = {level: i for i, level in enumerate(ACTOR_LEVELS)}
    order = frame["kz_actor_level"].map(rank).fillna(len(rank)).to_numpy()
    return frame.iloc[np.argsort(order, kind="stable")].reset_index(drop=True)


def _per_article_category(
    data: Data, name: str, ids: pd.Index, article_codes: np.ndarray
) -> pd.DataFrame:
    """Counts of a one-value-per-article field (event type, actor level); an event has
    its reports' value (one, by the clustering rule)."""
    n = len(ids)
    codes = article_codes[data._art]
    valid = codes >= 0
    frame = _labelled(name, ids)
    weights = data._eng_per_article[data._art][valid]
    frame["engagements"] = np.bincount(codes[valid], weights, minlength=n).astype(np.int64)
    frame["articles"] = np.bincount(codes[valid], minlength=n)
    field = data.base.events.kind if name == "event_type" else data.base.events.level
    per_event = field[data.ev.kept]
    frame["events"] = np.bincount(per_event[per_event >= 0], minlength=n)
    return frame


def by_organisation(data: Data, measure: str = DEFAULT_MEASURE) -> pd.DataFrame:
    """Engagements per partner organisation (UN, OSCE, SCO ...), most ``measure`` first.

    Columns: ``organisation``, ``engagements``, ``articles`` (equal: an article names a
    partner once), ``events``. Only organisations with engagements are listed.
    """
    base = data.base
    codes = base.eng_org[data._eng]
    counts = np.bincount(codes[codes >= 0], minlength=len(base.organisations))
    frame = pd.DataFrame({"organisation": base.organisations, "engagements": counts})
    frame["articles"] = counts
    orgs = base.events.pair_org[data.ev.pairs]
    frame["events"] = np.bincount(orgs[orgs >= 0], minlength=len(base.organisations))
    return _sort(frame[counts > 0], "organisation", measure)


def crosstab_topic_region(data: Data, level: str = "region") -> pd.DataFrame:
    """Engagements, articles and events per topic and region: what is discussed with whom.

    Columns: ``topic``, ``label``, ``region`` (or ``subregion``), ``engagements``
    (country engagements there whose article has the topic), ``articles`` (articles with
    the topic and at least one partner there), ``events`` (likewise). Every pair is
    listed, zeros included.
    """
    if level not in REGION_LEVELS:
        raise ValueError(f"level must be one of {REGION_LEVELS}, not {level!r}")
    base = data.base
    names = base.sets.names[level]
    region_of = base.sets.member[:, base.sets.columns(level)].argmax(axis=1)
    n_topics, n_regions = len(base.topics), len(names)
    eng, topic = data._et
    country = base.eng_country[eng]
    keep = country >= 0
    flat = topic[keep].astype(np.int64) * n_regions + region_of[country[keep]]
    engagements = np.bincount(flat, minlength=n_topics * n_regions)
    art_topics = base.art_topic_bits[data._art]
    articles = _pair_counts(art_topics, _article_sets(data, level), n_topics, n_regions)
    events = _pair_counts(data.ev.topic_bits, _event_bits(data, level), n_topics, n_regions)
    frame = _labelled("topic", base.topics)
    frame = frame.iloc[np.repeat(np.arange(len(frame)), len(names))].reset_index(drop=True)
    frame[level] = np.tile(names.to_numpy(), len(base.topics))
    frame["engagements"] = np.rint(engagements.reshape(-1)).astype(np.int64)
    frame["articles"] = np.rint(articles.reshape(-1)).astype(np.int64)
    frame["events"] = np.rint(events.reshape(-1)).astype(np.int64)
    return frame


def by_format(data: Data, measure: str = DEFAULT_MEASURE) -> pd.DataFrame:
    """Articles, engagements and events per format (spec §3): bilateral, multilateral.

    Columns: ``format``, ``label``, ``engagements``, ``articles``, ``events``; both
    formats listed, zeros included. An article or event without partners has no format.
    """
    base = data.base
    n = len(FORMATS)
    art = base.art_format[data._art]
    eng = base.art_format[base.eng_art[data._eng]]
    events = base.events.format[data.ev.kept]
    frame = _labelled("format", pd.Index(FORMATS))
    frame["engagements"] = np.bincount(eng[eng >= 0], minlength=n)
    frame["articles"] = np.bincount(art[art >= 0], minlength=n)
    frame["events"] = np.bincount(events[events >= 0], minlength=n)
    return frame
