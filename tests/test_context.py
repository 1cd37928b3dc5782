"""Sentence geometry: where sentences start, and what a rule sees around a mention."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from analysis.extract.context import Doc, dateline_span
from analysis.extract.model import Mention


def sentences(text: str) -> list[str]:
    starts = Doc(text).starts
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
    starts = Doc(text).starts
    assert starts[0] == 0 and starts == sorted(set(starts))
    assert "".join(sentences(text)) == text


def test_context_stops_at_the_sentence() -> None:
    text = "The talks ended. President of France Emmanuel Macron arrived. Later."
    doc = Doc(text)
    start = text.index("France")
    left, right = doc.around(Mention("FRA", start, start + 6, "France"))
    assert left == "president of "
    assert right == " emmanuel macron arrived. "


def test_lead_end_skips_the_dateline() -> None:
    text = "ASTANA. KAZINFORM – The minister met the envoy. He said more. Then."
    doc = Doc(text)
    assert text[: doc.lead_end(1)].endswith("met the envoy. ")
    assert text[: doc.lead_end(2)].endswith("He said more. ")


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
    span = dateline_span(text)
    assert (text[span[0] : span[1]] if span else None) == desk
