"""Partner vs mention: the language patterns that make a named state a partner."""

from __future__ import annotations

import dataclasses

import pytest

from analysis.extract import extract_record
from analysis.extract.partners import MAX_JUDGED


def partners(title: str, text: str = "") -> list[str]:
    return extract_record(title, text).partner_countries


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The Minister met the Ambassador of Japan to discuss trade.", ["JPN"]),
        ("He held talks with the Estonian side on transit.", ["EST"]),
        ("The Ambassador of Kazakhstan to Austria met officials in Vienna.", ["AUT"]),
        ("The sides discussed the situation in Afghanistan.", []),
        ("A Japanese company will build a plant in Turkistan region.", []),
        ("Kazakh-Saudi talks were held in Riyadh.", ["SAU"]),
        # no longer in office, so no longer acting for the state
        ("He met a former Secretary of State for Foreign Trade of Brazil, now a banker.", []),
        ("The Minister met the former US Secretary of State at the forum.", []),
        ("The Minister met the US Secretary of State at the forum.", ["USA"]),
        # combining forms make compounds too; a school's name is no state's participation
        ("The 14th Franco-Kazakh joint commission was held today.", ["FRA"]),
        ("Sino-Kazakh trade grew by a third.", ["CHN"]),
        ("Students of the Kazakh-British Technical University attended.", []),
    ],
)
def test_partner_patterns(text: str, expected: list[str]) -> None:
    assert partners("Foreign Ministry News", text) == expected


@pytest.mark.parametrize(
    ("title", "text", "expected", "venue"),
    [
        # the spec's example: the ambassador to Austria meets the OSCE in Vienna
        (
            "Kazakh Ambassador Meets ODIHR Director",
            "The Ambassador of Kazakhstan to Austria met the Director of the OSCE Office for "
            "Democratic Institutions and Human Rights.",
            [],
            "AUT",
        ),
        # a concurrent accreditation: the counterpart is the second state
        (
            "Kazakh Diplomat Visits Santiago",
            "Ambassador of Kazakhstan to Brazil and concurrently to Chile paid a working visit "
            "to Santiago, where he met the Secretary General of the Ministry of Foreign "
            "Affairs of Chile.",
            ["CHL"],
            "CHL",
        ),
        # a briefing for the diaspora at the embassy has no partner, and stays a briefing
        (
            "Referendum Explained to Compatriots",
            "20 February 2026. A briefing on the referendum was held at the Embassy of "
            "Kazakhstan in Chisinau for representatives of the Kazakh diaspora.",
            [],
            "MDA",
        ),
        # a press conference for the host country's media
        (
            "Ambassador Tells Press About Election",
            "Ambassador of Kazakhstan to Azerbaijan held a press conference for Azerbaijani "
            "media on the presidential election.",
            ["AZE"],
            "AZE",
        ),
    ],
)
def test_a_posting_places_the_event_but_makes_no_partner(
    title: str, text: str, expected: list[str], venue: str
) -> None:
    record = extract_record(title, text)
    assert record.partner_countries == expected
    assert record.location_country == venue
    assert record.event_type != "other"


def test_a_list_shares_its_heads_role_named_once() -> None:
    text = "The President met the leaders of Austria, Jordan and Qatar in New York."
    record = extract_record("Diplomatic Week", text)
    assert record.partner_countries == ["AUT", "JOR", "QAT"]
    rules = {e.value: e.rule for e in record.evidence if e.field == "partner_countries"}
    assert rules == {"AUT": "official-of", "JOR": "official-of+list", "QAT": "official-of+list"}


def test_a_very_long_list_stays_linear() -> None:
    """Each item's rule says "+list" once: the rule of the 10,000th item is not 10,000
    suffixes long (that was quadratic memory on a hostile text)."""
    text = "The leaders of Austria, " + "Jordan, Qatar, " * 5_000 + "and Oman met."
    record = extract_record("Summit", text)
    assert {"AUT", "JOR", "QAT", "OMN"} <= set(record.partner_countries)
    assert {e.rule for e in record.evidence if e.field == "partner_countries"} <= {
        "official-of",
        "official-of+list",
    }


def test_a_state_is_judged_on_its_first_mentions_only() -> None:
    """Past MAX_JUDGED mentions of one state in a text, the rules stop looking: a hostile
    text that names a state 100,000 times costs what its first mentions cost."""
    filler = "Japan was mentioned. " * MAX_JUDGED
    assert partners("Weekly digest", filler + "The President of Japan arrived.") == []
    assert partners("Weekly digest", "The President of Japan arrived. " + filler) == ["JPN"]


def test_record_as_dict_is_every_field_by_name() -> None:
    """``as_dict`` is built by hand for speed; it must stay equal to ``dataclasses.asdict``
    (a field added to Record or Evidence and forgotten there fails here)."""
    record = extract_record(
        "Kazakh FM Meets Ambassador of Japan",
        "ASTANA. KAZINFORM – The sides discussed trade and energy with the Japanese side.",
    )
    assert record.evidence
    assert record.as_dict() == dataclasses.asdict(record)


@pytest.mark.parametrize(
    ("title", "text", "expected"),
    [
        ("Kazakhstan and the OSCE Discuss Elections", "", ["OSCE"]),
        # a venue only
        ("President Speaks at the United Nations", "", []),
        # an organ of the organisation in a sentence that reports this event
        (
            "Minister Visits Seoul",
            "The Minister opened the forum. Additionally, the Minister met with the head of "
            "the ICT projects of the World Bank on the margins of the forum.",
            ["World Bank"],
        ),
        # a plan, not this event
        (
            "Minister Visits Seoul",
            "The Minister opened the forum. He will meet the Secretary-General of the OIC "
            "next year.",
            [],
        ),
    ],
)
def test_organisation_partners(title: str, text: str, expected: list[str]) -> None:
    assert extract_record(title, text).partner_orgs == expected
