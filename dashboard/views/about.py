"""About the data: coverage, when the store was built, what each field means and how
accurate the extraction was measured to be (``docs/accuracy.json``, if present)."""

from __future__ import annotations

from typing import Any

import pandas as pd
import streamlit as st

from analysis.aggregate import totals
from analysis.vocabulary import label
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
    """Every section of the accuracy file side by side (development sample, real
    pages …), each with the sentence that says what its numbers mean."""
    st.subheader("Measured extraction accuracy")
    measured = state.load_accuracy()
    if measured is None:
        st.markdown(
            "**Not measured.** Run `diplodash evaluate --labels FILE` on a labelled "
            f"sample and save the scores as `{state.accuracy_file().name}`."
        )
        return
    found = sections(measured)
    table = score_table(found)
    st.dataframe(table, hide_index=True, width="stretch", height=38 + 35 * len(table))
    for section in found:
        when = f" Measured {section['measured']}." if section.get("measured") else ""
        st.caption(f"**{section['name']}**: {section.get('about', '')}{when}")


def sections(measured: Any) -> list[dict[str, Any]]:
    """The file's sections; a file of bare scores (as ``diplodash evaluate --json``
    writes it) is one unnamed section."""
    if isinstance(measured, dict) and isinstance(measured.get("sections"), list):
        return [s for s in measured["sections"] if isinstance(s, dict)]
    return [{"name": "Measured", "about": "", "scores": measured}]


def score_table(found: list[dict[str, Any]]) -> pd.DataFrame:
    """One row per measure, one column per section: F1 for list fields, accuracy for
    single-value fields, whatever the file calls them (``precision``/``p``, ``date`` /
    ``date_acc``)."""
    columns = {s["name"]: _scores(s.get("scores") or {}) for s in found}
    measures = list(dict.fromkeys(m for scores in columns.values() for m in scores))
    table = pd.DataFrame({"measure": measures})
    for name, scores in columns.items():
        table[name] = [scores.get(m, "—") for m in measures]
    return table


_COUNTS = {"articles": "gold articles", "gold_articles": "gold articles", "matched": "matched"}


def _scores(scores: dict[str, Any]) -> dict[str, str]:
    """Readable measure -> formatted value; per-topic scores become "topic …" rows."""
    out: dict[str, str] = {}
    for key, value in scores.items():
        name = key.removesuffix("_acc").removesuffix("_micro")
        if key in _COUNTS:
            out[_COUNTS[key]] = str(value)
        elif key == "topics" and isinstance(value, dict) and "f1" not in value:
            for topic, prf in value.items():
                out[f"topic {label(topic)} (F1)"] = _number(prf.get("f1"))
        elif isinstance(value, dict) and "f1" in value:
            out[f"{name} (F1)"] = _number(value["f1"])
        elif isinstance(value, dict) and "accuracy" in value:
            out[f"{name} (accuracy)"] = _number(value["accuracy"])
        elif key.startswith("topic_"):
            out[f"topic {label(key.removeprefix('topic_'))} (F1)"] = _number(value)
        elif isinstance(value, int | float):
            out[f"{name} (accuracy)" if key.endswith("_acc") else name] = _number(value)
    return out


def _number(value: Any) -> str:
    return f"{value:.3f}" if isinstance(value, int | float) else "—"
