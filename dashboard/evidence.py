"""The evidence card's highlighted text: which words decided each extracted field.

The store's ``evidence`` column is a JSON list of ``{field, value, surface, start, end,
where, rule}``; offsets point into the title or the text. The card is HTML because
highlighting needs it, so every piece of scraped text goes through ``html.escape`` here
and nowhere else builds HTML from it (Streamlit's ``st.html`` also sanitises).
Overlapping spans are fine: the text is cut at every span boundary and each piece is
marked with all the spans covering it. Colour is never the only cue: each field has
its own underline style, and hovering a mark names the field, value and rule.
"""

from __future__ import annotations

import html
import itertools
import json
from dataclasses import dataclass

# Okabe-Ito colours (light tint as background, full colour as underline) and a line
# style per field, so the marks stay distinguishable without colour vision.
FIELDS: dict[str, tuple[str, str, str]] = {
    "partner_countries": ("Partner country", "#56B4E9", "solid"),
    "partner_orgs": ("Partner organisation", "#009E73", "double"),
    "topics": ("Topic", "#F0E442", "dotted"),
    "location_country": ("Location", "#E69F00", "dashed"),
    "event_type": ("Event type", "#CC79A7", "solid"),
    "kz_actor_level": ("Kazakh actor", "#D55E00", "dashed"),
}
_OTHER = ("Other", "#999999", "dotted")
_TEXT_STYLE = "white-space:pre-wrap;line-height:1.6;font-size:0.95rem;"


@dataclass(frozen=True)
class Span:
    """One evidence item: ``surface`` found at ``[start, end)`` of the title or text."""

    field: str
    value: str
    surface: str
    start: int
    end: int
    where: str = "text"
    rule: str = ""


def parse(raw: object) -> list[Span]:
    """Evidence spans from the store's JSON; anything malformed is skipped, not fatal."""
    try:
        items = json.loads(raw) if isinstance(raw, str) else []
    except ValueError:
        return []
    spans = []
    for item in items if isinstance(items, list) else []:
        try:
            spans.append(
                Span(
                    field=str(item["field"]),
                    value=str(item.get("value", "")),
                    surface=str(item.get("surface", "")),
                    start=int(item["start"]),
                    end=int(item["end"]),
                    where=str(item.get("where", "text")),
                    rule=str(item.get("rule", "")),
                )
            )
        except (KeyError, TypeError, ValueError, AttributeError):
            continue
    return spans


def highlight(text: str, spans: list[Span]) -> str:
    """``text`` as escaped HTML with ``<mark>`` around every valid span."""
    valid = [s for s in spans if 0 <= s.start < s.end <= len(text)]
    cuts = sorted({0, len(text), *(s.start for s in valid), *(s.end for s in valid)})
    pieces = []
    for a, b in itertools.pairwise(cuts):
        covering = [s for s in valid if s.start <= a and b <= s.end]
        pieces.append(_mark(text[a:b], covering) if covering else html.escape(text[a:b]))
    return "".join(pieces)


def _mark(piece: str, covering: list[Span]) -> str:
    order = list(FIELDS)
    first = min(covering, key=lambda s: order.index(s.field) if s.field in order else 99)
    _, colour, line = FIELDS.get(first.field, _OTHER)
    tip = "; ".join(f"{_name(s.field)}: {s.value} ({s.rule})" for s in covering)
    style = (
        f"background:{colour}40;border-bottom:3px {line} {colour};"
        "padding:0 1px;border-radius:2px;color:inherit;"
    )
    return f'<mark style="{style}" title="{html.escape(tip)}">{html.escape(piece)}</mark>'


def _name(field: str) -> str:
    return FIELDS.get(field, _OTHER)[0]


def legend() -> str:
    """The colour and line key of the marks (fixed text, no scraped content)."""
    items = "".join(
        f'<span style="background:{c}40;border-bottom:3px {line} {c};padding:0 4px;'
        f'margin-right:10px;">{html.escape(name)}</span>'
        for name, c, line in FIELDS.values()
    )
    return f'<div style="font-size:0.85rem;margin:4px 0 10px 0;">{items}</div>'


def card(title: str, text: str, spans: list[Span]) -> str:
    """Title and text of one article with the evidence marked, as one HTML block."""
    in_title = [s for s in spans if s.where == "title"]
    in_text = [s for s in spans if s.where != "title"]
    return (
        legend() + f'<div style="font-size:1.25rem;font-weight:600;margin-bottom:8px;">'
        f"{highlight(title or '(untitled)', in_title if title else [])}</div>"
        + f'<div style="{_TEXT_STYLE}">{highlight(text or "", in_text)}</div>'
    )
