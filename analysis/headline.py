"""The KPI cards: a view's headline counts against the period just before it."""

from __future__ import annotations

import dataclasses
import datetime as dt

import numpy as np
import pandas as pd

from analysis.data import Data
from analysis.filtering import Filter


def totals(data: Data) -> dict[str, int]:
    """Headline counts of a view: engagements, articles, events, countries, organisations."""
    codes, _ = data._country_eng
    orgs = data.base.eng_org[data._eng]
    return {
        "engagements": len(data._eng),
        "articles": len(data._art),
        "events": len(data.ev.kept),
        "countries": np.count_nonzero(np.bincount(codes)),
        "organisations": np.count_nonzero(np.bincount(orgs[orgs >= 0])),
    }


def kpis(data: Data, filter: Filter | None = None) -> pd.DataFrame:
    """The KPI cards: this range against the range of equal length just before it.

    ``data`` is the unfiltered store; the filter's open ends are closed with the store's
    first and last day. Columns: ``metric`` (engagements, articles, events, countries,
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
    if earlier is None:  # the range starts on 0001-01-01: nothing can come before it
        return _kpi_frame(now, dict.fromkeys(now, 0), current.period, (None, None))
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
