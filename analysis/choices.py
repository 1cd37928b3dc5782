"""What a filter field accepts from a user: ids or labels, in any case, or a clear no.

``Filter`` compares stored ids exactly, so ``--topic Energy`` (the label ``--by topic``
prints), ``--organisation un`` or ``--actor-level President`` matched nothing and gave an
all-zero table with exit 0, as if Kazakhstan had no such engagement. The command line
resolves every value here first, as ``--country`` always did through ``countries``.
"""

from __future__ import annotations

import functools
import re
import tomllib

from analysis.vocabulary import ACTOR_LEVELS, DATA_DIR, EVENT_TYPES, label, topic_ids

ORGANISATIONS_FILE = DATA_DIR / "organisations.toml"
FIELDS = {
    "topics": "topic",
    "event_types": "event type",
    "actor_levels": "actor level",
    "organisations": "organisation",
}
_SEPARATORS_RE = re.compile(r"[\s_-]+")


@functools.cache
def organisation_ids() -> tuple[str, ...]:
    """The organisations the extractor records (the tables of ``organisations.toml``)."""
    with ORGANISATIONS_FILE.open("rb") as fh:
        tables = tomllib.load(fh)
    return tuple(key for key, spec in tables.items() if isinstance(spec, dict))


def valid_ids(field: str) -> tuple[str, ...]:
    """The ids ``field`` (a :class:`Filter` field name) can hold, in their usual order."""
    sources = {
        "topics": topic_ids,
        "event_types": lambda: EVENT_TYPES,
        "actor_levels": lambda: ACTOR_LEVELS,
        "organisations": organisation_ids,
    }
    return tuple(sources[field]())


def _key(text: str) -> str:
    return _SEPARATORS_RE.sub(" ", text.strip().casefold()).strip()


def resolve(field: str, values: list[str]) -> list[str]:
    """The ids of ``values`` for ``field``: an id or a label, case, spaces, hyphens and
    underscores ignored (``Phone call``, ``phone-call``, ``PHONE_CALL``). ``ValueError``
    for anything else, listing what is valid."""
    ids = valid_ids(field)
    index = {_key(name): value for value in ids for name in (value, label(value))}
    found = []
    for value in values:
        match = index.get(_key(value))
        if match is None:
            raise ValueError(
                f"unknown {FIELDS[field]} {value!r}: use one of {', '.join(ids)} "
                "(or their labels, in any case)"
            )
        found.append(match)
    return found
