"""Shared value types of the extractor: a match in the text and the evidence shown to users."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Mention:
    """One place in a text that names an entity (a country, an organisation, a topic cue).

    ``start``/``end`` are character offsets into the text that was searched, so the
    dashboard can highlight exactly the words that decided a field.
    """

    key: str  # ISO3 for a country, canonical short name for an organisation, topic id
    start: int
    end: int
    surface: str  # the words as written in the text
    kind: str = "name"  # name | alias | demonym | capital | city | acronym | cue ...


@dataclass(frozen=True, slots=True)
class Evidence:
    """Why a field has a value: the field, the value, the words and where they stand."""

    field: str
    value: str
    surface: str
    start: int
    end: int
    where: str = "text"  # "title" or "text": which string the offsets point into
    rule: str = ""  # short name of the rule that fired, for the evaluation report

    def as_dict(self) -> dict[str, object]:
        """The fields by name (``dataclasses.asdict`` deep-copies and costs ten times more)."""
        return {
            "field": self.field,
            "value": self.value,
            "surface": self.surface,
            "start": self.start,
            "end": self.end,
            "where": self.where,
            "rule": self.rule,
        }
