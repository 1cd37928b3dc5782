"""Article → engagement record (spec §2): who, where, what kind, on what, and why.

Each field has its own module; this one only wires them together, in one pass over
the title and the body, and keeps the evidence that decided every value.
"""

from __future__ import annotations

import dataclasses
import functools
import json
from dataclasses import dataclass, field

from analysis.extract import cyrillic_events, cyrillic_partners, events, location, partners, topics
from analysis.extract.doc import LEMMATISERS, Text, build_doc
from analysis.extract.gazetteer import get_gazetteer
from analysis.extract.model import Evidence, Mention
from analysis.extract.version import EXTRACTOR_VERSION
from analysis.lang import morph

LEMMATISERS.update(ru=morph.lemmatise_ru, kk=morph.lemmatise_kk)

ENGAGING_EVENTS = {"meeting", "visit", "briefing", "signing", "credentials"}


@dataclass
class Record:
    """The spec §2 fields of one article plus the evidence behind each value."""

    partner_countries: list[str] = field(default_factory=list)
    partner_orgs: list[str] = field(default_factory=list)
    location_country: str | None = None
    event_type: str = "other"
    kz_actor_level: str = "other"
    topics: list[str] = field(default_factory=list)
    mentioned_countries: list[str] = field(default_factory=list)
    evidence: list[Evidence] = field(default_factory=list)
    lang: str = "en"  # the article's language: en, ru, kk

    def as_dict(self) -> dict[str, object]:
        """Plain JSON-ready values (what ``diplodash extract`` prints and ingest stores).

        Built field by field: ``dataclasses.asdict`` deep-copies every value, which cost
        140 µs for a record with 12 evidence items, a quarter of its extraction.
        """
        return {
            "partner_countries": list(self.partner_countries),
            "partner_orgs": list(self.partner_orgs),
            "location_country": self.location_country,
            "event_type": self.event_type,
            "kz_actor_level": self.kz_actor_level,
            "topics": list(self.topics),
            "mentioned_countries": list(self.mentioned_countries),
            "evidence": [e.as_dict() for e in self.evidence],
            "lang": self.lang,
        }

    def as_row(self) -> dict[str, object]:
        """Store row: evidence travels as one JSON string column."""
        row = self.as_dict()
        row["evidence"] = json.dumps(row["evidence"], ensure_ascii=False)
        return row


def extract_record(title: str, text: str) -> Record:
    """Extract every spec §2 field of one article, in its language's grammar."""
    doc = build_doc(title, text)
    gaz = get_gazetteer()
    tdoc, bdoc = doc.title, doc.body
    countries = [(tdoc, gaz.find_countries(tdoc)), (bdoc, gaz.find_countries(bdoc))]
    orgs = [(tdoc, gaz.find_orgs(tdoc)), (bdoc, gaz.find_orgs(bdoc))]
    if doc.lang in cyrillic_partners.CYRILLIC_LANGUAGES:
        decisions, org_decisions, (kind, kind_ev), (level, level_ev), (venue, venue_ev) = (
            _cyrillic_fields(doc.lang, countries, orgs)
        )
    else:
        decisions = partners.decide_countries(countries)
        org_decisions = partners.decide_orgs(orgs)
        kind, kind_ev = events.event_type(doc)
        level, level_ev = events.actor_level(doc)
        venue, venue_ev = location.locate(countries[0], countries[1], kind, decisions)
    partner_list, partner_ev = partners.partner_countries(decisions)
    org_list, org_ev = partners.partner_orgs(org_decisions)
    topic_list, topic_ev = topics.find_topics(doc)
    if not partner_list and not org_list:
        partner_list, partner_ev, kind, kind_ev = _without_counterpart(
            venue, venue_ev, kind, kind_ev, events.names_counterpart(doc)
        )
    return Record(
        partner_countries=partner_list,
        partner_orgs=org_list,
        location_country=venue,
        event_type=kind,
        kz_actor_level=level,
        topics=topic_list,
        mentioned_countries=partners.mentioned_countries(decisions, partner_list),
        evidence=doc.as_written([*partner_ev, *org_ev, *venue_ev, *kind_ev, *level_ev, *topic_ev]),
        lang=doc.lang,
    )


def _cyrillic_fields(
    lang: str,
    countries: list[tuple[Text, list[Mention]]],
    orgs: list[tuple[Text, list[Mention]]],
) -> tuple:
    """Partner and organisation decisions, event type, actor level and venue of a Russian
    or Kazakh article: the English decisions, read with that language's rule files."""
    grammar = cyrillic_partners.rules_for(lang)
    rules = cyrillic_events.rules_for(lang)
    (tdoc, _), (bdoc, _) = countries
    decisions = partners.decide_countries(
        countries,
        functools.partial(cyrillic_partners.rule_for, grammar),
        functools.partial(cyrillic_partners.listed, grammar),
    )
    org_decisions = partners.decide_orgs(
        orgs, functools.partial(cyrillic_partners.org_rule, grammar)
    )
    kind = cyrillic_events.event_type(rules, tdoc, bdoc)
    level = cyrillic_events.actor_level(rules, lang, countries[0], countries[1])
    venue = location.locate(
        countries[0],
        countries[1],
        kind[0],
        decisions,
        functools.partial(cyrillic_partners.venue, grammar),
        functools.partial(cyrillic_partners.remote_words, grammar),
        cyrillic_events.dateline_span,
    )
    return decisions, org_decisions, kind, level, venue


def _without_counterpart(
    venue: str | None,
    venue_ev: list[Evidence],
    kind: str,
    kind_ev: list[Evidence],
    met_someone: bool,
) -> tuple[list[str], list[Evidence], str, list[Evidence]]:
    """No foreign counterpart was named. An engagement held abroad ("talks in Chisinau")
    engaged its host, unless only Kazakhstan's own mission places it there (a briefing
    for the diaspora at the embassy has no partner); an event abroad keeps its type, and
    so does one with a counterpart of no state (``met_someone``: a company's CEO).
    Anything else is domestic news, which the spec types ``other``."""
    if venue not in {None, "KAZ"}:
        if kind in ENGAGING_EVENTS and venue_ev[0].rule not in location.OWN_MISSION_RULES:
            host = [
                dataclasses.replace(e, field="partner_countries", rule="host") for e in venue_ev
            ]
            return [venue], host, kind, kind_ev
        return [], [], kind, kind_ev
    if kind == "other" or (met_someone and kind in ENGAGING_EVENTS):
        return [], [], kind, kind_ev
    return [], [], "other", [Evidence("event_type", "other", "", 0, 0, "title", "no-counterpart")]


__all__ = ["EXTRACTOR_VERSION", "Evidence", "Mention", "Record", "extract_record"]
