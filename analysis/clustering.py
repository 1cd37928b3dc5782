"""Events: the articles that report one real-world occurrence, as one cluster (spec §3).

The MFA release, the Akorda note and two agency stories of one phone call, in English
and Russian, are four articles and one event. Two articles are reports of one event
when they have the same Kazakh actor level and event type, share at least one partner
(country or organisation) and are dated within a window of the event's first report:
``DEFAULT_WINDOW`` days, and ``SHORT_WINDOWS`` for the types that happen in an instant
(a call, a message: one day, so a call today and another tomorrow stay two events).

The rule is applied greedily in a fixed order - each (actor level, event type) group by
day, then by article id - and an article joins the earliest open event it shares a
partner with (an event is open while its first report is within the window). So:
- each article is in exactly one event, named by its first report's id (its date is the
  earliest report's); an undated article, or one without a type, actor or partner, is
  an event of its own (there is nothing to match it on);
- the result depends only on the set of articles, never on the order they came in;
- an event never reaches beyond the articles linked to it (same group, a shared
  partner, days within the window), so adding articles changes only the events of
  their linked *component*: :func:`update` re-clusters those and keeps every other id.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

DEFAULT_WINDOW = 2  # days after an event's first report that another report may be dated
SHORT_WINDOWS = {"phone_call": 1, "message": 1}  # instants: at most one day, whatever the window
COLUMN = "event_id"


def window_for(event_type: str, window: int = DEFAULT_WINDOW) -> int:
    """Days a report of ``event_type`` may follow its event's first report."""
    if window < 0:
        raise ValueError(f"the event window is a number of days, 0 or more, not {window}")
    return min(window, SHORT_WINDOWS.get(event_type, window))


def cluster(frame: pd.DataFrame, window: int = DEFAULT_WINDOW) -> pd.Series:
    """The event id of every article of ``frame`` (the store's columns), from scratch."""
    return update(frame.assign(**{COLUMN: None}), window)


def update(frame: pd.DataFrame, window: int = DEFAULT_WINDOW) -> pd.Series:
    """Event ids after articles were added: rows whose ``event_id`` is missing are new.

    Only the new rows' components (everything linked to them, transitively) are
    clustered again; every other row keeps its id. The result equals
    ``cluster(frame, window)`` whenever the kept ids came from the same rule and window;
    a caller that changes a stored article clears the ids of its whole event first.
    """
    reports = _Reports(frame, window)
    previous = frame[COLUMN] if COLUMN in frame else pd.Series(None, index=frame.index)
    seeds = np.flatnonzero(previous.isna().to_numpy())
    out = previous.astype(object).to_numpy(copy=True)
    if len(seeds) == 0:
        return pd.Series(out, index=frame.index, name=COLUMN)
    rows = reports.component(seeds) if len(seeds) < len(frame) else np.arange(len(frame))
    for row, anchor in reports.greedy(np.asarray(rows)).items():
        out[row] = reports.ids[anchor]
    return pd.Series(out, index=frame.index, name=COLUMN)


class _Reports:
    """The fields clustering looks at, as arrays: partner codes per row (``offsets``
    into ``partner``), the group code (actor level x event type; -1 when the article can
    match nothing: no date, type, actor or partner), day numbers and each row's window."""

    def __init__(self, frame: pd.DataFrame, window: int) -> None:
        window_for("", window)  # reject a negative window early
        frame = frame.reset_index(drop=True)
        n = len(frame)
        self.ids = frame["id"].astype(str).to_numpy(object)
        days = pd.to_datetime(frame["date"]).to_numpy("datetime64[D]")
        self.day = np.where(np.isnat(days), 0, days.astype(np.int64))
        level = pd.Categorical(frame["kz_actor_level"])
        kind = pd.Categorical(frame["event_type"])
        spans = np.array([window_for(str(k), window) for k in kind.categories] + [0])
        self.span = spans[kind.codes]
        rows, self.partner = _partner_codes(frame)
        self.offsets = np.searchsorted(rows, np.arange(n + 1))
        matchable = (level.codes >= 0) & (kind.codes >= 0) & ~np.isnat(days)
        matchable &= np.diff(self.offsets) > 0
        group = level.codes.astype(np.int64) * (len(kind.categories) + 1) + kind.codes
        self.group = np.where(matchable, group, -1)
        self.pair_row = rows

    def greedy(self, rows: np.ndarray) -> dict[int, int]:
        """Row -> the row of its event's first report, for ``rows`` (whole components)."""
        alone = rows[self.group[rows] < 0]
        anchor = dict(zip(alone.tolist(), alone.tolist(), strict=True))
        rows = rows[self.group[rows] >= 0]
        keys = pd.DataFrame({"g": self.group[rows], "d": self.day[rows], "id": self.ids[rows]})
        order = rows[keys.sort_values(["g", "d", "id"], kind="stable").index.to_numpy()]
        groups = self.group[order].tolist()
        days, spans = self.day[order].tolist(), self.span[order].tolist()
        starts, ends = self.offsets[order].tolist(), self.offsets[order + 1].tolist()
        partner = self.partner.tolist() if len(order) > len(self.ids) // 8 else None
        first: list[int] = []  # position in ``order`` of each position's event's first report
        open_by_partner: dict[int, list[int]] = {}
        group_seen = None
        for i, (group, day, span) in enumerate(zip(groups, days, spans, strict=True)):
            if group != group_seen:
                open_by_partner, group_seen = {}, group
            mine = (partner or self.partner)[starts[i] : ends[i]]
            best = i
            for code in mine:
                events = open_by_partner.get(code)
                if events:
                    events[:] = [e for e in events if days[e] >= day - span]
                    if events:
                        best = min(best, *events)
            first.append(best)
            for code in mine:
                events = open_by_partner.setdefault(code, [])
                if not events or events[-1] != best:
                    events.append(best)
        anchor.update(zip(order.tolist(), order[first].tolist(), strict=True))
        return anchor

    def component(self, seeds: np.ndarray) -> np.ndarray:
        """Every row linked to ``seeds`` through reports of a group that share a partner
        and lie within the window of each other, transitively. Each step looks only at
        the reports under the frontier's (group, partner) keys, sorted by day, so a
        small addition never sorts the whole store."""
        valid = self.group[self.pair_row] >= 0
        rows = self.pair_row[valid]
        keys = self.group[rows] * (int(self.partner.max(initial=0)) + 1) + self.partner[valid]
        scale, shift = 1 << 24, 1 << 23  # day numbers within +-23,000 years
        inside = np.zeros(len(self.ids), bool)
        inside[seeds] = True
        frontier = seeds
        while len(frontier):
            at = np.isin(rows, frontier)
            near = np.flatnonzero(np.isin(keys, np.unique(keys[at])))
            combined = keys[near] * scale + self.day[rows[near]] + shift
            order = np.argsort(combined, kind="stable")
            combined, candidates = combined[order], rows[near[order]]
            centre = keys[at] * scale + self.day[rows[at]] + shift
            reach = self.span[rows[at]]
            low = np.searchsorted(combined, centre - reach)
            high = np.searchsorted(combined, centre + reach, side="right")
            found = candidates[_ranges(low, high)]
            frontier = np.unique(found[~inside[found]])
            inside[frontier] = True
        return np.flatnonzero(inside)


def _ranges(low: np.ndarray, high: np.ndarray) -> np.ndarray:
    """The concatenation of ``arange(low[i], high[i])`` for every i, without a loop."""
    keep = high > low
    low, high = low[keep], high[keep]
    if not len(low):
        return np.zeros(0, np.int64)
    lengths = high - low
    steps = np.ones(int(lengths.sum()), np.int64)
    steps[0] = low[0]
    steps[np.cumsum(lengths)[:-1]] = low[1:] - high[:-1] + 1
    return np.cumsum(steps)


def _partner_codes(frame: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """(row, partner code) of every partner country and organisation, by row: codes of
    countries first, then of organisations (an ISO3 code never equals an organisation)."""
    rows, codes, offset = [], [], 0
    for column in ("partner_countries", "partner_orgs"):
        values = frame[column] if column in frame else pd.Series([None] * len(frame))
        try:
            array = pa.array(values, type=pa.list_(pa.string()), from_pandas=True)
        except (pa.ArrowInvalid, pa.ArrowTypeError):
            array = pa.array([_as_list(v) for v in values], type=pa.list_(pa.string()))
        names = pc.utf8_trim_whitespace(pc.list_flatten(array))
        encoded = pc.dictionary_encode(names)
        found = pc.fill_null(encoded.indices, 0).to_numpy(zero_copy_only=False)
        parent = pc.list_parent_indices(array).to_numpy()
        keep = pc.fill_null(pc.not_equal(names, ""), False).to_numpy(zero_copy_only=False)
        rows.append(parent[keep])
        codes.append(found[keep].astype(np.int64) + offset)
        offset += len(encoded.dictionary)
    row, code = np.concatenate(rows).astype(np.int64), np.concatenate(codes)
    order = np.argsort(row, kind="stable")
    return row[order], code[order]


def _as_list(value: object) -> list[str]:
    return list(value) if isinstance(value, list | tuple | np.ndarray) else []


def pairwise_scores(predicted: Sequence[Hashable], gold: Sequence[Hashable]) -> dict[str, float]:
    """Pairwise precision and recall of a clustering against gold groups.

    Every pair of articles put in one event is a prediction; it is right when the gold
    groups put them together too. Precision: right pairs / predicted pairs (1.0 when
    nothing was merged); recall: right pairs / gold pairs (1.0 when no group has two).
    """
    frame = pd.DataFrame({"p": list(predicted), "g": list(gold)})
    both = _pairs_within(frame.groupby(["p", "g"]).size())
    found, wanted = (
        _pairs_within(frame.groupby("p").size()),
        _pairs_within(frame.groupby("g").size()),
    )
    precision = both / found if found else 1.0
    recall = both / wanted if wanted else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": precision, "recall": recall, "f1": f1, "pairs": wanted}


def _pairs_within(sizes: pd.Series) -> int:
    return int((sizes * (sizes - 1) // 2).sum())
