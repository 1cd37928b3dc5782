"""The word forms of Russian and Kazakh (own sentences)."""

from __future__ import annotations

import pytest

from analysis.extract.phrases import anywhere
from analysis.lang.morph import (
    kk_adjective,
    kk_forms,
    kk_stem,
    lemma,
    lemmatise_kk,
    lemmatise_ru,
    ru_adjective_forms,
    ru_forms,
    search_form,
)


@pytest.mark.parametrize(
    ("name", "forms"),
    [
        ("Франция", {"Франции", "Францию", "Францией"}),
        ("Южная Корея", {"Южной Кореи", "Южную Корею", "Южной Кореей"}),
        # the words after the head noun are its fixed complement
        ("Республика Корея", {"Республикой Корея", "Республики Корея"}),
        (
            "Соединённые Штаты Америки",
            {"Соединённых Штатов Америки", "Соединёнными Штатами Америки"},
        ),
        ("Нур-Султан", {"Нур-Султане", "Нур-Султана"}),
    ],
)
def test_russian_cases(name: str, forms: set[str]) -> None:
    assert forms <= ru_forms(name)


def test_russian_cases_keep_voice_and_indeclinables() -> None:
    assert not any(f.startswith("Соединивш") for f in ru_forms("Соединённые Штаты Америки"))
    assert ru_forms("США") == {"США"}
    assert ru_forms("Того") == {"Того"}


def test_russian_adjective_paradigm_and_combining_form() -> None:
    forms = ru_adjective_forms("французский")
    assert {"французской", "французская", "французскими", "французско"} <= forms


@pytest.mark.parametrize(
    ("name", "forms"),
    [
        ("Франция", {"Францияның", "Франциямен", "Францияға", "Францияда", "Франциядағы"}),
        ("Қытай", {"Қытаймен", "Қытайдың", "Қытайға"}),
        ("Өзбекстан", {"Өзбекстанмен", "Өзбекстанның", "Өзбекстанға", "Өзбекстаннан"}),
        ("Ресей", {"Ресеймен", "Ресейге", "Ресейдің"}),
        ("Франция Республикасы", {"Франция Республикасының", "Франция Республикасымен"}),
    ],
)
def test_kazakh_cases(name: str, forms: set[str]) -> None:
    assert forms <= kk_forms(name)


def test_kazakh_stem_and_adjective() -> None:
    assert kk_stem("республикасының") == "республика"
    assert kk_stem("франциямен") == "франция"
    assert kk_adjective("Түркия") == "түркиялық"
    assert kk_adjective("Қазақстан") == "қазақстандық"


def test_lemma_is_one_across_forms() -> None:
    assert lemma("Франции", "ru") == lemma("Францией", "ru") == "франция"
    assert lemma("французской", "ru") == "французский"
    assert lemma("Китаем", "ru") == "китай"
    assert lemma("Францияның", "kk") == lemma("Франция", "kk")
    assert lemma("Talks", "en") == "talks"


def test_lemmatisers_give_one_lemma_per_token() -> None:
    assert lemmatise_ru(["Переговоры", "с", "Францией"]) == ["переговоры", "с", "франция"]
    assert lemmatise_kk(["Франциямен", "кездесу"]) == ["франция", "кездесу"]


def test_phrase_endings_inside_alternatives() -> None:
    pattern = anywhere(["{глав~,министр~} {двух,обеих} стран"])
    assert pattern.search("итоги встреч главами двух стран")
    assert pattern.search("министров обеих стран")
    assert not pattern.search("глав трех стран")


def test_search_form_is_what_all_forms_share() -> None:
    assert search_form("Франция") == "франци"
    assert search_form("Казахстан") == "казахстан"
    assert search_form("Middle Corridor") == "middle corridor"
    assert search_form("Средний коридор") == "средний коридор"  # phrases as typed
