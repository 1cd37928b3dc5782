"""Add data: upload feed files into the same store ``diplodash ingest`` writes.

The files go through ``analysis.pipeline.ingest_uploads`` (same parsing, validation and
de-duplication as the CLI; the store is swapped in atomically under its write lock).
Here we only check what the pipeline cannot: the name, the size and the kind of each
file. Names are labels: the pipeline keeps the base name and never opens a path.

The uploader is given no ``type``: with one, Streamlit itself refuses a file of another
kind, or whose name holds a NUL byte, by raising from the widget, which took the whole
page down. Every such file is instead a warning row here, and the others still go in.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import streamlit as st

from analysis import pipeline, store
from dashboard import state, ui

MAX_MB = 50
TYPES = ("txt", "jsonl", "csv", "json", "html", "htm", "xml", "rss", "atom")
RESULT = "upload-result"
GENERATION = "upload-generation"


@dataclass
class Outcome:
    """What one upload did: the pipeline's report, files refused here, or an error."""

    report: pipeline.IngestReport | None = None
    refused: list[str] = field(default_factory=list)
    error: str | None = None


def problem(name: str, size: int) -> str | None:
    """Why a file is refused before parsing, or None when it may be ingested."""
    if "\0" in name:
        return f"{name.replace(chr(0), '␀')}: the file name holds a NUL byte"
    if Path(name).suffix.lower().lstrip(".") not in TYPES:
        return f"{name}: not a feed file (allowed: {', '.join('.' + t for t in TYPES)})"
    if size > MAX_MB * 1024 * 1024:
        return f"{name}: larger than {MAX_MB} MB"
    return None


def ingest(files: list[tuple[str, bytes]], store_dir: Path) -> Outcome:
    """Check, then ingest the acceptable files; never raises for bad input."""
    refused = [p for p in (problem(name, len(data)) for name, data in files) if p]
    accepted = [(name, data) for name, data in files if not problem(name, len(data))]
    if not accepted:
        return Outcome(refused=refused, error="No file could be added.")
    try:
        report = pipeline.ingest_uploads(accepted, store_dir)
    except store.StoreBusy:
        return Outcome(refused=refused, error="Another ingest is writing the store; retry soon.")
    except (store.StoreError, OSError) as err:
        return Outcome(refused=refused, error=f"The store could not be written: {err}")
    return Outcome(report=report, refused=refused)


def render(ctx: ui.Context | None = None) -> None:
    """The uploader, the button and the last upload's result (also shown, without a
    context, when the store is still empty)."""
    st.subheader("Add data")
    st.markdown(
        "Upload feed files in the formats `diplodash ingest` reads: listing or single "
        "pages (`.txt`), JSON Lines (`.jsonl`, `.json`), CSV with `title`, `published`, "
        "`text` columns, saved web pages (`.html`, `.htm`) or RSS/Atom feeds (`.xml`, `.rss`, "
        f"`.atom`). Up to {MAX_MB} MB per file. Articles already in the store are "
        "recognised and not added twice."
    )
    generation = st.session_state.setdefault(GENERATION, 0)
    files = st.file_uploader(
        "Feed files",
        help=f"Feed files: {', '.join('.' + t for t in TYPES)}",
        accept_multiple_files=True,
        max_upload_size=MAX_MB,
        key=f"uploads-{generation}",
    )
    if st.button("Add to the store", type="primary", disabled=not files, key="ingest"):
        with st.spinner("Reading and extracting…"):
            outcome = ingest([(f.name, f.getvalue()) for f in files], state.store_dir())
        st.session_state[RESULT] = outcome
        st.session_state[GENERATION] = generation + 1  # empties the uploader
        st.rerun()  # redraw everything (KPIs, filters) from the new store
    show(st.session_state.get(RESULT))


def show(outcome: Outcome | None) -> None:
    if outcome is None:
        return
    report = outcome.report
    if outcome.error:
        st.error(outcome.error)
    elif report is not None and report.new and report.date_warning():
        st.warning(f"Added {report.new} new articles; {report.date_warning()}. {report.summary()}")
    elif report is not None and report.new:
        st.success(f"Added {report.new} new articles. {report.summary()}")
    elif report is not None:
        st.warning(f"No new article was added. {report.summary()}")
    problems = outcome.refused + [str(w) for w in (report.warnings if report else [])]
    if problems:
        st.caption("Warnings")
        st.dataframe(pd.DataFrame({"warning": problems}), hide_index=True, width="stretch")
