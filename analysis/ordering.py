"""The one rule for "top" anything: most engagements first, ties by name (A before Z).

Every ranking goes through here (the country, topic and other aggregates, the top
topics each map hover and the country CSV list, the KPI cards' leaders, the "What
changed" lists), so the header, the map and every download name the same leader for
the same filter. Before this rule existed in one place, a country's top topics broke
ties in taxonomy order while the topic ranking broke them by label, and the KPI card
and the map CSV named different "top topics" for a one-country selection.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd


def ranked(frame: pd.DataFrame, label: str, value: str = "engagements") -> pd.DataFrame:
    """``frame`` sorted by the rule: ``value`` descending, then ``label`` ascending."""
    return frame.sort_values([value, label], ascending=[False, True], kind="stable")


def top_columns(matrix: np.ndarray, labels: Sequence[str], top: int) -> np.ndarray:
    """Per row of ``matrix`` (rows x labels counts), the column indices of its ``top``
    largest counts under the rule (ties by label), largest first."""
    by_label = np.argsort(np.asarray(labels, dtype=object), kind="stable")
    position = np.empty(len(labels), np.int64)
    position[by_label] = np.arange(len(labels))
    # lexsort sorts by the last key first: count descending, then label position.
    keys = np.broadcast_to(position, matrix.shape)
    order = np.lexsort((keys, -matrix), axis=1)
    return order[:, :top]


def leader(frame: pd.DataFrame, label: str, value: str = "engagements") -> pd.Series | None:
    """The first row of ``frame`` under the rule among rows with ``value`` > 0."""
    rows = ranked(frame[frame[value] > 0], label, value)
    return rows.iloc[0] if len(rows) else None


OTHER = "Other"


def top_and_other(
    frame: pd.DataFrame, column: str, value: str, keep: int, other: str = OTHER
) -> pd.DataFrame:
    """``frame`` (long: one row per ``column`` value and period) with every ``column``
    value outside the ``keep`` largest (by total ``value``, the rule's order) summed
    into one ``other`` row per period; ``column`` becomes an ordered categorical,
    largest first and ``other`` last, so stacks and legends can follow it. Values that
    are zero throughout are dropped."""
    totals = frame.groupby(column, observed=True, as_index=False)[value].sum()
    order = list(ranked(totals[totals[value] > 0], column, value)[column])
    frame = frame[frame[column].isin(order)]
    kept = order if len(order) <= keep + 1 else order[:keep]
    names = frame[column].where(frame[column].isin(kept), other)
    keys = [c for c in ("period", "period_label") if c in frame]
    grouped = (
        frame.assign(**{column: names})
        .groupby([column, *keys], as_index=False, observed=True, sort=False)[value]
        .sum()
    )
    categories = [*kept, *([other] if len(kept) < len(order) else [])]
    grouped[column] = pd.Categorical(grouped[column], categories=categories, ordered=True)
    return grouped.sort_values([column, *keys], kind="stable").reset_index(drop=True)


def standing(
    frame: pd.DataFrame, column: str, key: str, label: str, value: str = "engagements"
) -> tuple[int, int, float]:
    """Where ``key`` (a value of ``column``) stands in ``frame`` under the rule: its rank
    by ``value`` (1 = top), how many rows have some, and its share of their ``value`` in
    percent; (0, n, 0.0) when it has none."""
    rows = ranked(frame[frame[value] > 0], label, value).reset_index(drop=True)
    total = int(rows[value].sum())
    hits = rows.index[rows[column] == key]
    if not len(hits) or not total:
        return 0, len(rows), 0.0
    share = 100 * float(rows.loc[hits[0], value]) / total
    return int(hits[0]) + 1, len(rows), round(share, 1)
