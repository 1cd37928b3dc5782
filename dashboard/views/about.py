"""About the data: coverage, when the store was built, what each field means and how
accurate the extraction was measured to be (``docs/accuracy.json``, if present)."""

from __future__ import annotations

import json
from typing import Any

import pandas as pd
import streamlit as st

from analysis.aggregate import totals
from dashboard import state, ui

FIELDS = {
    "engagement": "One article × one partner (country or organisation). Charts count "
    "engagements; the article list counts articles.",
    "date": "Day of the article in Kazakhstan's time (UTC+5): its stamp line, else its own "
    "date line, else the page's date header or the feed's published field, else the "
    "file's modification time (flagged as a guess).",
    "partner_countries": "Foreign states whose officials, institutions or public "
    "Kazakhstan's side engaged (met, visited, phoned, wrote to, signed with). Countries "
    "only mentioned are not partners; Kazakhstan never is.",
    "partner_orgs": "International organisations engaged, by short name (UN and its "
    "agencies as UN, OSCE, EU, SCO, CIS, EAEU, OTS …).",
    "location_country": "Where it happened: a named venue, else the ambassador's host "
    "country, else the dateline. Empty for letters, calls and videoconferences.",
    "event_type": "What the title reports: meeting, visit, briefing, message, phone call, "
    "signing, conference, credentials or other.",
    "kz_actor_level": "The most senior Kazakh participant: president > prime minister > "
    "foreign minister > deputy foreign minister > minister > parliament > ambassador > "
    "embassy > other.",
    "topics": "What the article substantively discusses (at least one sentence mainly "
    "about it), from the topic list; an article can have several.",
    "region": "UN M49 region and sub-region of the partner country; groupings (CIS, "
    "EAEU, SCO …) overlap.",
    "evidence": "The words that decided each field, shown highlighted on the article's "
    "evidence card.",
}


def render(ctx: ui.Context) -> None:
    coverage(ctx)
    st.subheader("What the fields mean")
    st.markdown("\n".join(f"- **{name}**: {meaning}" for name, meaning in FIELDS.items()))
    accuracy()


def coverage(ctx: ui.Context) -> None:
    meta = state.load_meta()
    counts = totals(ctx.data)
    span = ctx.data.span
    st.subheader("Coverage")
    facts = {
        "Date span": ui.date_range_text(span),
        "Articles": f"{counts['articles']:,}",
        "Engagements": f"{counts['engagements']:,}",
        "Partner countries": f"{counts['countries']:,}",
        "Partner organisations": f"{counts['organisations']:,}",
        "Source files": f"{len(meta.get('sources') or []):,}",
        "Store built at": str(meta.get("built_at") or "unknown"),
        "Extractor version": str(meta.get("extractor_version") or "unknown"),
        "Store": str(state.store_dir()),
    }
    ui.key_values(facts, ("Coverage", "Value"))
    dated = ctx.data.articles["date_source"].astype(str).value_counts()
    st.caption("Where article dates came from: " + ", ".join(f"{k} {v}" for k, v in dated.items()))
    with st.expander("Source files"):
        st.dataframe(pd.DataFrame({"file": meta.get("sources") or []}), hide_index=True)


def accuracy() -> None:
    st.subheader("Measured extraction accuracy")
    measured = state.load_accuracy()
    if measured is None:
        st.markdown(
            "**Not measured.** Run `diplodash evaluate --labels FILE` on a labelled "
            f"sample and save the scores as `{state.accuracy_file().name}`."
        )
        return
    st.dataframe(flatten(measured), hide_index=True, width="stretch")


def flatten(value: Any, prefix: str = "") -> pd.DataFrame:
    """Any JSON as ``metric``/``value`` rows (nested keys joined with "."), so the page
    shows whatever the evaluation wrote without depending on its exact layout."""
    rows: list[tuple[str, str]] = []

    def walk(item: Any, path: str) -> None:
        if isinstance(item, dict):
            for key, sub in item.items():
                walk(sub, f"{path}.{key}" if path else str(key))
        elif isinstance(item, list) and not all(isinstance(x, str | int | float) for x in item):
            for i, sub in enumerate(item):
                walk(sub, f"{path}[{i}]")
        else:
            rows.append((path or "value", _format(item)))

    walk(value, prefix)
    return pd.DataFrame(rows, columns=["metric", "value"])


def _format(item: Any) -> str:
    if isinstance(item, float):
        return f"{item:.3f}"
    if isinstance(item, list):
        return ", ".join(map(str, item))
    return item if isinstance(item, str) else json.dumps(item)
