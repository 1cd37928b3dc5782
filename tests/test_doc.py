"""The article model: cleaning, language, sentences, lead, dateline, tokens."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from analysis.extract import EXTRACTOR_VERSION, doc, extract_record, fold
from analysis.extract.doc import Text, build_doc, clean, detect_language
from analysis.extract.model import Mention


def sentences(text: str) -> list[str]:
    starts = Text(text).starts
    return [text[a:b] for a, b in zip(starts, [*starts[1:], len(text)], strict=True)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("One. Two! Three? Four", ["One. ", "Two! ", "Three? ", "Four"]),
        ("He said “yes.” Then left.", ["He said “yes.” ", "Then left."]),
        ("Line one\nLine two", ["Line one\n", "Line two"]),
        # initials and titles do not end a sentence
        ("M. Telalian met the U.S. side. Next.", ["M. Telalian met the U.S. side. ", "Next."]),
        ("Mr. Smith and Prof. Jones met. Next.", ["Mr. Smith and Prof. Jones met. ", "Next."]),
        ("Посол А. Иванов прибыл. Далее.", ["Посол А. Иванов прибыл. ", "Далее."]),
        # a capital that ends a longer word, a number or a lower-case letter does
        (
            "It was in the USA. Then 2024. Then b. End",
            ["It was in the USA. ", "Then 2024. ", "Then b. ", "End"],
        ),
        ("version 1.5 is out", ["version 1.5 is out"]),
    ],
)
def test_sentence_starts(text: str, expected: list[str]) -> None:
    assert sentences(text) == expected


@given(st.text(alphabet="aB. \n!?”Mr", max_size=40))
def test_sentences_tile_the_text(text: str) -> None:
    starts = Text(text).starts
    assert starts[0] == 0 and starts == sorted(set(starts))
    assert "".join(sentences(text)) == text


def test_context_stops_at_the_sentence() -> None:
    text = "The talks ended. President of France Emmanuel Macron arrived. Later."
    start = text.index("France")
    left, right = Text(text).around(Mention("FRA", start, start + 6, "France"))
    assert left == "president of "
    assert right == " emmanuel macron arrived. "


def test_lead_end_skips_the_dateline() -> None:
    text = "ASTANA. KAZINFORM – The minister met the envoy. He said more. Then."
    body = Text(text)
    assert text[: body.sentences_end(1)].endswith("met the envoy. ")
    assert text[: body.lead_end].endswith("He said more. ")


@pytest.mark.parametrize(
    ("text", "desk"),
    [
        ("ASTANA. KAZINFORM – The minister met the envoy.", "ASTANA. KAZINFORM – "),
        ("NUR-SULTAN. The minister met the envoy.", "NUR-SULTAN. "),
        ("ASTANA, Dec 5 (Reuters) - The minister met the envoy.", "ASTANA, Dec 5 (Reuters) - "),
        ("VIENNA, May 7, 2019 - The minister met the envoy.", "VIENNA, May 7, 2019 - "),
        ("Baku, 7 September 2022 (Trend): The minister met.", "Baku, 7 September 2022 (Trend): "),
        ("Islamabad: Ambassador of Kazakhstan called on the minister.", "Islamabad: "),
        ("SHANGHAI, Nov. 4 (Xinhua) -- Li Qiang met the PM.", "SHANGHAI, Nov. 4 (Xinhua) -- "),
        ("Astana, May 16, 2025 – The Minister held a meeting.", "Astana, May 16, 2025 – "),
        ("The minister met the envoy in Astana.", None),
    ],
)
def test_agency_datelines(text: str, desk: str | None) -> None:
    span = Text(text).dateline
    assert (text[span[0] : span[1]] if span else None) == desk


def test_blank_lines_make_one_boundary() -> None:
    assert sentences("First line.\n\n\nSecond line.") == ["First line.\n\n\n", "Second line."]


@pytest.mark.parametrize(
    ("raw", "cleaned"),
    [
        ("Ger\u00admany", "Germany"),  # soft hyphen
        ("Ja\u200bpan and Ko\u200dre\ufeffa", "Japan and Korea"),  # zero-width characters
        ("Fr\u0430nce", "France"),  # a Cyrillic а typed in a Latin word
        ("\u0421\u041e\u0421\u0422 Ukr\u0430ine", "\u0421\u041e\u0421\u0422 Ukraine"),
        ("К\u0061захстан", "Казахстан"),  # a Latin a typed in a Cyrillic word
        ("Tokayev and Токаев", "Tokayev and Токаев"),  # two scripts, two words: kept
        ("café – naïve", "café – naïve"),
    ],
)
def test_clean_drops_invisible_characters_and_repairs_look_alikes(raw: str, cleaned: str) -> None:
    assert clean(raw)[0] == cleaned


def test_offsets_of_the_cleaned_text_map_back_to_the_original() -> None:
    raw = "Talks with Ger\u00admany and Ja\u200bpan."
    body = Text(raw)
    start = body.text.index("Japan")
    s, e = body.original(start, start + 5)
    assert raw[s:e] == "Ja\u200bpan"


@pytest.mark.parametrize(
    "partner",
    ["Ger\u00admany", "Ja\u200bpan", "Fr\u0430nce"],
)
def test_a_hidden_character_no_longer_hides_the_partner(partner: str) -> None:
    text = f"The Foreign Minister of Kazakhstan held talks with the Foreign Minister of {partner}."
    record = extract_record(f"Kazakhstan and {partner} Hold Talks", text)
    assert len(record.partner_countries) == 1
    evidence = [e for e in record.evidence if e.field == "partner_countries"]
    source = {"title": f"Kazakhstan and {partner} Hold Talks", "text": text}
    for e in evidence:  # offsets and words are those of the text as written
        assert source[e.where][e.start : e.end] == e.surface == partner


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("The President of Kazakhstan met the Prime Minister of Japan.", "en"),
        ("Президент Казахстана встретился с премьер-министром Японии.", "ru"),
        ("Қазақстан Президенті Жапония премьер-министрімен кездесті.", "kk"),
        ("Президент Токаев встретился с послом США (USA) в Астане.", "ru"),
        ("Kazakhstan's President Tokayev (Токаев) met the envoy of the United States.", "en"),
        ("", "en"),
    ],
)
def test_language(text: str, lang: str) -> None:
    assert detect_language(text) == lang


def test_doc_is_built_once_with_its_language_and_parts() -> None:
    article = build_doc(
        "Тоқаев Жапония елшісін қабылдады", "АСТАНА. Мемлекет басшысы елшіні қабылдады."
    )
    assert article.lang == "kk" and article.title.where == "title"
    assert article.body.lower == article.body.text.lower()
    # the Kazakh lemmatiser (analysis.lang.morph) is registered: one stem per token
    assert len(article.lemmas) == len(article.body.tokens)
    assert {"елші", "басшы", "астана"} <= set(article.lemmas)


def test_a_registered_lemmatiser_gives_one_lemma_per_token(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(doc.LEMMATISERS, "ru", lambda words: [w.lower() for w in words])
    article = build_doc("", "Послы встретились.")
    assert article.lemmas == ["послы", "встретились", "."]


def test_tokens_carry_offsets_into_the_cleaned_text() -> None:
    body = Text("Kazakhstan's envoy met Mr. Li.")
    assert [body.text[s:e] for s, e in body.tokens] == [
        "Kazakhstan's", "envoy", "met", "Mr", ".", "Li", ".",
    ]  # fmt: skip


def test_version_is_computed() -> None:
    assert len(EXTRACTOR_VERSION) == 12 and int(EXTRACTOR_VERSION, 16) >= 0


def test_the_fold_keeps_offsets_and_reads_typography_as_ascii() -> None:
    s = "Kazakhstan’s İstanbul — “Summit” – Côte d’Ivoire\nNEXT"
    low = fold.lower(s)
    assert len(low) == len(s)
    assert low == "kazakhstan's istanbul - \"summit\" - cote d'ivoire next"


@given(st.text(max_size=60))
def test_the_fold_and_its_word_view_keep_the_length(text: str) -> None:
    assert len(fold.lower(text)) == len(text) == len(fold.normalise(text))
