"""location_country: venue phrases, a posting, the dateline; remote events happen nowhere."""

from __future__ import annotations

import pytest

from analysis.extract import extract_record


@pytest.mark.parametrize(
    ("text", "venue"),
    [
        ("VIENNA, May 7, 2019 - The Minister said at a meeting with the OSCE chief.", "AUT"),
        ("Islamabad: The Ambassador of Kazakhstan called on the minister.", "PAK"),
    ],
)
def test_a_dateline_places_an_event_that_names_no_venue(text: str, venue: str) -> None:
    assert extract_record("Talks Held", text).location_country == venue


def test_a_letter_of_credence_is_handed_over_in_person() -> None:
    """A letter or telegram happened nowhere; a letter of credence is handed over in a room."""
    text = "The Ambassador of Japan handed over his letter of credence in Akorda."
    assert extract_record("Ambassador Presents Letter of Credence", text).location_country == "KAZ"
    text = "The President sent a letter to the Emir of Qatar from Akorda."
    assert extract_record("President Sends Letter", text).location_country is None


def test_a_venue_in_the_first_sentences_beats_the_agency_desk() -> None:
    """ "his visit to Baku" in the third sentence is the venue; the ASTANA desk is not."""
    text = (
        "ASTANA. KAZINFORM – The Foreign Minister held talks with his counterpart. "
        "They discussed transit. The talks took place in Baku on Monday."
    )
    assert extract_record("Ministers Hold Talks", text).location_country == "AZE"


@pytest.mark.parametrize(
    ("title", "text", "venue"),
    [
        # a guest who came to "our country": the release is Kazakh, so it happened at home
        (
            "Talks Held",
            "The Foreign Minister of Kazakhstan held talks with the Foreign Minister of Peru, "
            "who arrived to our country on an official visit.",
            "KAZ",
        ),
        # a foreign ambassador received by the Kazakh side is received at home
        (
            "Ties with Spain Discussed",
            "The Deputy Foreign Minister of Kazakhstan received Ambassador of the Kingdom of "
            "Spain Ana Garcia. The parties discussed trade.",
            "KAZ",
        ),
        ("Energy Ties with Peru Discussed at the Kazakh Foreign Ministry", "", "KAZ"),
        # the Kazakh ambassador received by his hosts is not at home
        (
            "Ties with Peru Discussed",
            "The Foreign Minister of Peru received the Ambassador of Kazakhstan. The parties "
            "discussed trade.",
            None,
        ),
    ],
)
def test_words_that_name_kazakhstan_as_the_venue_without_a_place(
    title: str, text: str, venue: str | None
) -> None:
    assert extract_record(title, text).location_country == venue
