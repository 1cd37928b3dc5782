"""location_country (spec §2): where it happened, by the spec's order of evidence.

1. a venue the title or the first sentences name ("in Ankara", "visit to France", "at
   Akorda", "at the Embassy of Kazakhstan in X");
2. a Kazakh ambassador posted to X is in X; words that name Kazakhstan as the venue
   without naming a place ("arrived to our country", "received Ambassador of X");
3. last, the dateline — an agency desk ("ASTANA. KAZINFORM") is weaker than both.
Telegrams, letters, calls and videoconferences happened nowhere: null.
"""

from __future__ import annotations

from collections.abc import Callable

from analysis.extract import patterns
from analysis.extract.doc import Text
from analysis.extract.model import Evidence, Mention
from analysis.extract.partners import MAX_JUDGED, POSTED, Decision, posted_to

REMOTE_EVENTS = {"message", "phone_call"}
# The body's venue is looked for in its first sentences (after the dateline): three, where
# both the bundled labels and 83 real releases labelled apart scored best; from the
# fourth sentence on, places are more often background than venue.
VENUE_SENTENCES = 3
MISSION = "mission"  # the venue is Kazakhstan's own embassy or consulate in that state
# Rules that place an event through Kazakhstan's mission or envoy, not its host's.
OWN_MISSION_RULES = frozenset({MISSION, POSTED})
_PLACE_KINDS = {"name", "alias", "capital", "city", "venue"}


def _venue(doc: Text, mentions: list[Mention], limit: int) -> tuple[Mention, str] | None:
    """First place in ``doc[:limit]`` that the grammar presents as the venue, with its
    rule: ``mission`` when the place is Kazakhstan's own embassy or consulate there ("at
    the Embassy of Kazakhstan in Chisinau"), else ``venue``. Each state is judged on its
    first ``MAX_JUDGED`` mentions only, as for partners."""
    seen: dict[str, int] = {}
    for m in mentions:
        if m.start >= limit:
            break
        seen[m.key] = count = seen.get(m.key, 0) + 1
        if m.kind not in _PLACE_KINDS or count > MAX_JUDGED:
            continue
        rules = patterns.rules("location")
        if rules["not-venue"].touches(doc, m.start, m.end):
            continue
        if rules["venue"].touches(doc, m.start, m.end):
            return m, MISSION if posted_to(doc.around(m)[0]) else "venue"
    return None


VenueFinder = Callable[[Text, list[Mention], int], tuple[Mention, str] | None]
RemoteWords = Callable[[Text, Text], bool]
Dateline = Callable[[Text], tuple[int, int] | None]


def _remote_words(title: Text, text: Text) -> bool:
    remote = patterns.rules("location")["remote"]
    return remote.found(title) or remote.found(text, 0, text.sentences_end(1))


def _dateline(text: Text) -> tuple[int, int] | None:
    return text.dateline


def is_remote(
    title: Text, text: Text, event_type: str, remote_words: RemoteWords = _remote_words
) -> bool:
    return event_type in REMOTE_EVENTS or remote_words(title, text)


def locate(
    title: tuple[Text, list[Mention]],
    text: tuple[Text, list[Mention]],
    event_type: str,
    decisions: list[Decision],
    venue_of: VenueFinder = _venue,
    remote_words: RemoteWords = _remote_words,
    dateline: Dateline = _dateline,
) -> tuple[str | None, list[Evidence]]:
    """The venue's ISO3 and the words that placed it, or (None, []) for remote events.
    Russian and Kazakh texts pass their grammar's ``venue_of``, ``remote_words`` and
    ``dateline`` (cyrillic_partners.py, cyrillic_events.py)."""
    (tdoc, tmentions), (bdoc, bmentions) = title, text
    if is_remote(tdoc, bdoc, event_type, remote_words):
        return None, []
    found, where = venue_of(tdoc, tmentions, len(tdoc.text)), "title"
    if found is None:
        found, where = venue_of(bdoc, bmentions, bdoc.sentences_end(VENUE_SENTENCES)), "text"
    if found is not None:
        venue, rule = found
        return venue.key, [_ev(venue, where, rule)]
    posted = next((d for d in decisions if d.rule == POSTED), None)
    if posted is not None:
        return posted.mention.key, [_ev(posted.mention, posted.where, POSTED)]
    home = patterns.rules("location")["home"]
    for doc, where, end in ((tdoc, "title", None), (bdoc, "text", bdoc.sentences_end(1))):
        if home.found(doc, 0, end):
            return "KAZ", [Evidence("location_country", "KAZ", "", 0, 0, where, "home")]
    span = dateline(bdoc)
    desk = next((m for m in bmentions if span and m.end <= span[1]), None)
    if desk is not None:
        return desk.key, [_ev(desk, "text", "dateline")]
    return None, []


def _ev(m: Mention, where: str, rule: str) -> Evidence:
    return Evidence("location_country", m.key, m.surface, m.start, m.end, where, rule)
