"""Topic classifier (spec §2 "topics"): taxonomy-driven cues, scored sentence by sentence."""

from __future__ import annotations

import pytest

from analysis.extract.model import Evidence
from analysis.extract.topics import (
    build_taxonomy,
    classify,
    default_taxonomy,
    enumerations,
    topic_labels,
)


def find_topics(title: str, text: str) -> tuple[list[str], list[Evidence]]:
    return classify(default_taxonomy(), title, text)


TOPIC_IDS = {
    "referendum",
    "energy",
    "it",
    "trade_investment",
    "transport",
    "environment_water",
    "security",
    "culture_humanitarian",
    "multilateral",
    "parliamentary",
}


def topics(text: str, title: str = "") -> list[str]:
    return find_topics(title, text)[0]


@pytest.mark.parametrize(
    ("sentence", "topic"),
    [
        (
            "The ambassador briefed the guests on the upcoming referendum on the new Constitution.",
            "referendum",
        ),
        ("The sides discussed supplies of Kazakh oil and gas to European markets.", "energy"),
        ("The parties agreed to cooperate in artificial intelligence and e-government.", "it"),
        (
            "Mutual trade grew by 30 percent, and the ministers welcomed new investment.",
            "trade_investment",
        ),
        ("Special attention was paid to the Middle Corridor and new railway links.", "transport"),
        (
            "The President called for joint action on climate change and water scarcity.",
            "environment_water",
        ),
        ("The leaders condemned terrorism and discussed regional security.", "security"),
        ("The sides agreed to expand student exchanges and cultural ties.", "culture_humanitarian"),
        (
            "The diplomats agreed on mutual support for candidacies within the United Nations.",
            "multilateral",
        ),
        (
            "The Speaker underlined the importance of inter-parliamentary cooperation.",
            "parliamentary",
        ),
    ],
)
def test_each_topic_from_a_sentence_of_its_own(sentence: str, topic: str) -> None:
    assert topic in topics(sentence)


def test_bundled_taxonomy_has_the_ten_spec_topics_with_labels() -> None:
    labels = topic_labels()
    assert set(labels) == TOPIC_IDS
    assert labels["referendum"] == "Referendum & constitutional reform"
    assert all(labels.values())


def test_result_is_sorted_and_empty_input_is_fine() -> None:
    found, evidence = find_topics(
        "Security and Energy", "The ministers discussed terrorism and oil output."
    )
    assert found == sorted(found) == ["energy", "security"]
    assert evidence
    assert find_topics("", "") == ([], [])


def test_one_item_of_an_enumeration_is_a_passing_word() -> None:
    text = "The sides discussed cooperation in trade, agriculture, mining, transport and logistics."
    assert topics(text) == []
    text += " Particular attention was paid to transit and logistics along the Middle Corridor."
    assert topics(text) == ["transport"]


def test_an_enumeration_of_one_topic_is_about_that_topic() -> None:
    text = "The sides also discussed cooperation in education, science and culture."
    assert topics(text) == ["culture_humanitarian"]


def test_enumerations_are_found_after_their_preposition() -> None:
    sentence = "They agreed on cooperation in trade, energy, tourism and agriculture."
    runs = enumerations(sentence)
    assert [[sentence[a:b] for a, b in run] for run in runs] == [
        ["trade", "energy", "tourism", "agriculture."]
    ]
    # "X and Y, and Z" coordinates clauses; it is not a list
    assert enumerations("They discussed AI and digital policy, and signed a deal on rail.") == []


def test_foreign_elections_are_not_the_referendum_topic() -> None:
    telegram = (
        "Kassym-Jomart Tokayev congratulated Sanae Takaichi on her re-election as the Prime "
        "Minister of Japan. He also congratulated Joe Biden on his election as President."
    )
    assert "referendum" not in topics(telegram, "Tokayev Congratulates Takaichi on Re-election")
    domestic = "The ambassador spoke about the early presidential election in Kazakhstan."
    assert topics(domestic) == ["referendum"]


def test_longest_cue_wins_across_topics() -> None:
    text = "Kazakhstan was elected a non-permanent member of the UN Security Council."
    assert topics(text) == ["multilateral"]


def test_acronyms_match_only_in_their_case() -> None:
    assert topics("It was noted that it is time to act.") == []
    assert topics("The sides agreed to train IT specialists and to develop AI.") == ["it"]


def test_prefix_cues_match_word_endings() -> None:
    assert topics("The sides discussed digitalisation of public services.") == ["it"]


def test_titles_of_office_and_venues_are_no_evidence() -> None:
    text = (
        "Minister of Energy Almasadam Satkaliyev met the delegation. "
        "On the sidelines of the UN General Assembly, the President met the Emir."
    )
    assert topics(text) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # the name of a body or an award is no subject of the talks
        (
            "He recalled the session of the Intergovernmental Commission for Trade and "
            "Economic Cooperation.",
            [],
        ),
        ("The Foundation for Cultural Heritage sent a delegation.", []),
        # words in another sense
        ("The competitive environment of the election was praised.", ["referendum"]),
        ("Dialogue is in high demand in the current climate.", []),
        ("They agreed on the settlement of the issues of mutual interest.", []),
        ("Returnees come home because of the global crisis.", []),
        ("It fosters an environment conducive to independent media.", []),
        ("Like any country, we have a unique political culture.", []),
        ("The law recriminalizing domestic violence was passed.", []),
        ("A visit by the Minister Delegate for Foreign Trade is planned.", []),
        # the SCO's supreme body under its own name
        ("The SCO Heads of State Council opened in Bishkek.", ["multilateral"]),
    ],
)
def test_names_and_other_senses_are_no_evidence(text: str, expected: list[str]) -> None:
    assert topics(text) == expected


def test_evidence_points_at_the_cue_words() -> None:
    title = "Kazakhstan and Kenya Discuss Digital Cooperation"
    text = "ASTANA. The sides discussed the Middle Corridor. Trade has doubled."
    found, evidence = find_topics(title, text)
    assert found == ["it", "trade_investment", "transport"]
    for e in evidence:
        assert isinstance(e, Evidence)
        assert e.field == "topics"
        source = title if e.where == "title" else text
        assert source[e.start : e.end] == e.surface
    by_topic = {e.value: e for e in evidence}
    assert (by_topic["it"].where, by_topic["it"].surface) == ("title", "Digital")
    assert by_topic["transport"].surface == "Middle Corridor"
    assert text[by_topic["trade_investment"].start :].startswith("Trade has")


def test_offsets_survive_letters_that_change_length_when_lower_cased() -> None:
    text = "İSTANBUL. The leaders discussed the transit of cargo by rail."
    found, evidence = find_topics("", text)
    assert found == ["transport"]
    assert all(text[e.start : e.end] == e.surface for e in evidence)


def test_a_new_topic_in_a_custom_toml_needs_no_code_change(tmp_path) -> None:
    path = tmp_path / "topics.toml"
    path.write_text(
        """
[health]
label = "Health"
description = "medicine, vaccines, pandemics"
strong = ["vaccin*", "public health"]
weak = ["hospital*", "doctors"]
exclude = ["health ministry"]

[energy]
label = "Energy"
strong = ["oil"]
""",
        encoding="utf-8",
    )
    taxonomy = build_taxonomy(path)
    assert topic_labels(taxonomy) == {"health": "Health", "energy": "Energy"}
    found, evidence = classify(
        taxonomy, "", "The sides agreed on joint production of vaccines. Oil prices fell."
    )
    assert found == ["energy", "health"]
    assert {e.surface for e in evidence if e.value == "health"} == {"vaccines"}
    # two weak cues in one sentence count; one does not; excluded phrases never do
    assert classify(taxonomy, "", "New hospitals will need doctors.")[0] == ["health"]
    assert classify(taxonomy, "", "New hospitals opened.")[0] == []
    # the bundled taxonomy is untouched
    assert "health" not in default_taxonomy().topics


def test_taxonomy_accepts_toml_text_and_dicts() -> None:
    text_taxonomy = build_taxonomy('[space]\nlabel = "Space"\nstrong = ["cosmodrome"]\n')
    dict_taxonomy = build_taxonomy({"space": {"label": "Space", "strong": ["cosmodrome"]}})
    for taxonomy in (text_taxonomy, dict_taxonomy):
        assert classify(taxonomy, "Baikonur Cosmodrome Turns 70", "")[0] == ["space"]


def test_a_star_inside_a_cue_is_refused_with_its_phrase() -> None:
    with pytest.raises(ValueError, match="redistribute\\* powers"):
        build_taxonomy({"reform": {"strong": ["redistribute* powers"]}})


def test_cues_match_across_accents_and_symbols_like_country_names() -> None:
    """Topic cues search the gazetteer's folded text: "OPEC+" holds the cue "OPEC"."""
    assert topics("The ministers discussed the OPEC+ production quotas.") == ["energy"]
    taxonomy = build_taxonomy({"food": {"strong": ["cafe"]}})
    assert classify(taxonomy, "", "They met in a café.")[0] == ["food"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # "within" alone is a preposition, not cooperation inside a body
        ("Within the framework of the UNESCO week, a dinner was given.", []),
        ("The model sets one level within the headquarters and one within the commission.", []),
        # "multilateral" as a passing word; cooperation inside bodies still counts
        ("They also agreed on coordination through multilateral structures.", []),
        ("The minister noted their cooperation in international organizations.", ["multilateral"]),
        # sport and health have no topic (spec §2 table)
        ("The meeting focused on the development of sports and public health.", []),
        # water and transport security are not security
        (
            "The body will strengthen coordination in the field of water security.",
            ["environment_water"],
        ),
        ("An agreement on transport security was signed by the two governments.", ["transport"]),
        # the stock closing item "... as well as ties in the cultural and humanitarian sphere"
        (
            "The parties discussed trade and economic cooperation, as well as ties in the "
            "cultural and humanitarian sphere.",
            ["trade_investment"],
        ),
        (
            "The two ministers signed a programme of cultural exchanges for students.",
            ["culture_humanitarian"],
        ),
    ],
)
def test_passing_words_are_no_topic(text: str, expected: list[str]) -> None:
    assert topics(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        # a vote inside an international body, a foreign election, an advisory council
        "The minister came to New York for the elections for the UN Security Council.",
        "The President congratulated his counterpart on successful elections to the parliament.",
        "The tasks were set at the meeting of the National Kurultai.",
    ],
)
def test_foreign_and_international_elections_are_no_referendum(text: str) -> None:
    assert "referendum" not in topics(text)


def test_kazakhstan_s_own_elections_still_are() -> None:
    assert topics("Observers will monitor the elections to the Mazhilis.") == ["referendum"]
