"""What changed: partners and topics in the selected range against the previous range
of equal length (``analysis.periods.comparison``).

Each row has both counts (``now``, ``before``), so a reader can judge a "+3" on
their own; the lists the dashboard shows (biggest gains and losses, new partners,
partners gone quiet) are cuts of one frame per subject, ordered by the one ranking rule
(``analysis.ordering``), so the CSV behind a list is that frame's rows.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from analysis import ordering
from analysis.aggregate import Data, Filter, by_country, by_topic
from analysis.periods import Comparison, comparison, previous_filter

NEW, QUIET, UP, DOWN, SAME = "new", "gone quiet", "rising", "falling", "steady"
COLUMNS = ["key", "label", "now", "before", "change", "change_pct", "status"]


@dataclass(frozen=True)
class Changes:
    """Both subjects compared over one :class:`~analysis.periods.Comparison`."""

    compared: Comparison
    partners: pd.DataFrame  # key = ISO3, label = country name
    topics: pd.DataFrame  # key = topic id, label = topic label

    def cut(self, subject: str, kind: str, top: int = 10) -> pd.DataFrame:
        """Rows of ``subject`` ("partners" or "topics") for one list: ``gains``,
        ``losses``, ``new`` or ``quiet``, at most ``top`` of them."""
        frame: pd.DataFrame = getattr(self, subject)
        return _CUTS[kind](frame).head(top).reset_index(drop=True)

    def count(self, subject: str, kind: str) -> int:
        """How many rows the whole list ``kind`` of ``subject`` has (before ``top``)."""
        return len(_CUTS[kind](getattr(self, subject)))


def what_changed(
    data: Data, selection: Filter, view: Data | None = None, measure: str = "engagements"
) -> Changes | None:
    """Partners and topics of ``selection`` now and in the previous range, counted in
    ``measure``; None when the selection has no range. ``data`` is the whole store;
    ``view`` its filtered part when the caller has it."""
    view = view or selection.apply(data)
    compared = comparison(data, selection, view)
    if compared is None:
        return None
    before = previous_filter(selection, compared).apply(data)
    partners = compare(by_country(view), by_country(before), "iso3", "name", measure)
    topics = compare(by_topic(view), by_topic(before), "topic", "label", measure)
    return Changes(compared, partners, topics)


def compare(
    now: pd.DataFrame, before: pd.DataFrame, key: str, label: str, value: str = "engagements"
) -> pd.DataFrame:
    """Two aggregate frames (same ``key``/``label`` columns, ``value``: a measure) side
    by side: one row per key with some in either range, biggest change first.

    ``change_pct`` is NaN when there were none before; ``status`` is one of new, gone
    quiet, rising, falling or steady.
    """
    merged = pd.merge(
        now[[key, label, value]].rename(columns={value: "now"}),
        before[[key, label, value]].rename(columns={value: "before"}),
        on=[key, label],
        how="outer",
    )
    merged[["now", "before"]] = merged[["now", "before"]].fillna(0).astype(np.int64)
    merged = merged[(merged["now"] > 0) | (merged["before"] > 0)]
    merged = merged.rename(columns={key: "key", label: "label"})
    merged["change"] = merged["now"] - merged["before"]
    base = merged["before"].where(merged["before"] > 0)
    merged["change_pct"] = (100 * merged["change"] / base).round(1)
    merged["status"] = np.select(
        [merged["before"] == 0, merged["now"] == 0, merged["change"] > 0, merged["change"] < 0],
        [NEW, QUIET, UP, DOWN],
        SAME,
    )
    merged = merged.assign(size=merged["change"].abs())
    ordered = ordering.ranked(merged, "label", "size").drop(columns="size")
    return ordered[COLUMNS].reset_index(drop=True)


def _by(frame: pd.DataFrame, value: str, ascending: bool = False) -> pd.DataFrame:
    key = frame[value] if not ascending else -frame[value]
    return ordering.ranked(frame.assign(_key=key), "label", "_key").drop(columns="_key")


_CUTS = {
    "gains": lambda f: _by(f[f["change"] > 0], "change"),
    "losses": lambda f: _by(f[f["change"] < 0], "change", ascending=True),
    "new": lambda f: _by(f[f["status"] == NEW], "now"),
    "quiet": lambda f: _by(f[f["status"] == QUIET], "before"),
}
