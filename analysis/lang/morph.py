"""Word forms of Russian and Kazakh: inflect names for the gazetteer, lemmatise words.

Chosen by measurement (``bench/bench_morph.py``, docs/languages.md):

* **pymorphy3** (OpenCorpora dictionary) knows each Russian word's paradigm, so it can
  *generate* every case of a name: "Соединённые Штаты Америки" → "Соединённых Штатов
  Америки", "Францией", "французской". The gazetteer inflects its few thousand names
  once, when it is built, so matching a text costs nothing more than before. Its
  normal form is also the per-word hook (:func:`lemma`): exact on every form of the
  benchmark, where a Snowball stemmer conflates or splits a quarter of them
  ("французской"/"французский" → "французск", but "Китаем" → "кита" ≠ "китай").
  Uncached it parses ~15,000 words/s; cached, as news repeats its words, millions.
* Kazakh has neither a pymorphy dictionary nor a Snowball stemmer. Its case endings are
  regular suffixes chosen by vowel harmony and the last sound of the stem, so they are
  generated and stripped from the table below (:func:`kk_forms`, :func:`kk_stem`).
"""

from __future__ import annotations

import functools
import re

import pymorphy3

RU_CASES = ("nomn", "gent", "datv", "accs", "ablt", "loct")
_MIN_SEARCH_STEM = 4  # a shorter shared part ("ми" of "мир") would find too much
_HYPHEN_PARTS = re.compile(r"(-)")


@functools.cache
def _analyzer() -> pymorphy3.MorphAnalyzer:
    return pymorphy3.MorphAnalyzer(lang="ru")


def _same_case(form: str, model: str) -> str:
    """``form`` capitalised like ``model`` (pymorphy3 answers in lower case): "нур-султане"
    after "Нур-Султан" → "Нур-Султане", "сша" after "США" → "США"."""
    if model.isupper() and len(model) > 1:
        return form.upper()
    parts, models = _HYPHEN_PARTS.split(form), _HYPHEN_PARTS.split(model)
    if len(parts) != len(models):
        parts, models = [form], [model]
    pairs = zip(parts, models, strict=True)
    return "".join(p[:1].upper() + p[1:] if m[:1].isupper() else p for p, m in pairs)


@functools.lru_cache(maxsize=4096)
def _nominative_parse(word: str) -> pymorphy3.analyzer.Parse | None:
    """The reading of ``word`` as a nominative noun, adjective or participle, if any
    (place names first: "Того" is Togo here, not a pronoun)."""
    best = None
    for parse in _analyzer().parse(word):
        tag = parse.tag
        if tag.case != "nomn" or tag.POS not in {"NOUN", "ADJF", "PRTF"}:
            continue
        if "Geox" in tag or "Orgn" in tag:
            return parse
        best = best or parse
    return best


@functools.lru_cache(maxsize=4096)
def _case_forms(word: str, gender: str | None, number: str | None) -> dict[str, str]:
    """Case → form of one word agreeing with its head's gender and number. One lexeme
    per word (``Parse.inflect`` rebuilds it for every case, six times slower)."""
    parse = _nominative_parse(word)
    if parse is None or "Fixd" in parse.tag:
        return {}
    number = number or parse.tag.number
    kind = (parse.tag.POS, parse.tag.tense, parse.tag.voice)  # not "соединившие" for "-ённые"
    forms: dict[str, str] = {}
    for lex in parse.lexeme:
        tag = lex.tag
        if (
            (tag.POS, tag.tense, tag.voice) != kind
            or tag.case not in RU_CASES
            or tag.case in forms
            or (number and tag.number != number)
        ):
            continue
        if tag.POS != "NOUN" and number == "sing" and gender and tag.gender != gender:
            continue
        if tag.POS != "NOUN" and tag.case == "accs" and "anim" in tag:
            continue  # "Соединённых" is the accusative of people, not of states
        forms[tag.case] = _same_case(lex.word, word)
    return forms


def ru_forms(phrase: str) -> set[str]:
    """Every case form of a Russian name written in the nominative, the name included.

    Words up to and including the first noun agree with it and change ("Южная Корея" →
    "Южной Кореи"); words after it are a fixed complement ("Республика Корея" →
    "Республикой Корея", "Соединённые Штаты Америки" → "Соединённых Штатов Америки").
    Indeclinable words (США, Мали, Перу) stay as they are.
    """
    words = phrase.split()
    parses = [_nominative_parse(w) for w in words]
    head = next((i for i, p in enumerate(parses) if p is not None and p.tag.POS == "NOUN"), None)
    if head is None:  # no noun: nothing to agree with
        return {phrase}
    gender, number = parses[head].tag.gender, parses[head].tag.number
    changing = [_case_forms(w, gender, number) for w in words[: head + 1]]
    forms = {phrase}
    for case in RU_CASES:
        inflected = [table.get(case, word) for table, word in zip(changing, words, strict=False)]
        forms.add(" ".join(inflected + words[head + 1 :]))
    return forms


def ru_adjective_forms(adjective: str) -> set[str]:
    """Every form of a Russian adjective ("французский" → "французской", "французскими",
    ...) plus its combining form in compounds ("французско-казахстанский")."""
    parse = _nominative_parse(adjective)
    if parse is None:
        return {adjective}
    forms = {lex.word for lex in parse.lexeme if "ADJF" in lex.tag or "PRTF" in lex.tag}
    if adjective.endswith("ий") or adjective.endswith("ый"):
        forms.add(adjective[:-2] + "о")  # "французско-", "российско-", "узбекско-"
    return forms | {adjective}


def lemmatise_ru(tokens: list[str]) -> list[str]:
    """The lemma of each Russian token, one each: the extractor's per-language hook."""
    return [lemma(token, "ru") for token in tokens]


def lemmatise_kk(tokens: list[str]) -> list[str]:
    """The stem of each Kazakh token (case and possessive endings stripped), one each."""
    return [lemma(token, "kk") for token in tokens]


def search_form(query: str) -> str:
    """What a text search looks for, so that one form finds all: a single Russian word
    becomes the part all its forms share ("Франция" → "франци", found in "Франции",
    "Францией"); anything else is searched as typed (lower-cased)."""
    low = query.lower().replace("ё", "е")
    if " " in low or not low.isalpha() or not ("\u0400" <= low[0] <= "\u04ff"):
        return low
    parses = [p for p in _analyzer().parse(low) if p.is_known]
    if not parses:
        return low
    forms = [lex.word.replace("ё", "е") for lex in parses[0].lexeme]
    stem = forms[0]
    for form in forms[1:]:
        while not form.startswith(stem):
            stem = stem[:-1]
    return stem if len(stem) >= _MIN_SEARCH_STEM else low


def known_words(phrase: str) -> bool:
    """Whether pymorphy3's dictionary holds every word of ``phrase`` (GeoNames also lists
    Bulgarian, Ukrainian, Tajik spellings, which Russian paradigms would only garble)."""
    analyzer = _analyzer()
    return all(analyzer.word_is_known(w.lower()) for w in phrase.split())


@functools.lru_cache(maxsize=65536)
def lemma(word: str, lang: str) -> str:
    """A word's dictionary form: pymorphy3's normal form for Russian ("Франции" →
    "франция", "французской" → "французский"), the stripped stem for Kazakh, the lower-
    cased word otherwise. Cached: news repeats its words, and an uncached parse costs
    about 60 µs."""
    low = word.lower()
    if lang == "ru":
        return _analyzer().parse(low)[0].normal_form.replace("ё", "е")
    if lang == "kk":
        return kk_stem(low)
    return low


# --------------------------------------------------------------------------- Kazakh

_KK_BACK = set("аоұыяу")  # back vowels (у and я after a back vowel in loanwords)
_KK_FRONT = set("әөүіеиэю")
_KK_VOWELS = _KK_BACK | _KK_FRONT
_KK_VOICELESS = set("кқпстфхцчшщ")
_KK_NASAL = set("мнң")
_KK_SONORANT = set("рйу")  # after these the genitive, accusative keep н/м
# case → the ending after (a vowel, р й у, м н ң, л, other voiced, voiceless), each a
# (back, front) pair. Standard Kazakh grammar: "Францияның", "Қытаймен", "Өзбекстанмен",
# "Оралмен", "Парижбен", "Ирақпен".
_KK_SUFFIXES: dict[str, tuple[tuple[str, str], ...]] = {
    "gen": (
        ("ның", "нің"),
        ("дың", "дің"),
        ("ның", "нің"),
        ("дың", "дің"),
        ("дың", "дің"),
        ("тың", "тің"),
    ),
    "dat": (("ға", "ге"), ("ға", "ге"), ("ға", "ге"), ("ға", "ге"), ("ға", "ге"), ("қа", "ке")),
    "acc": (("ны", "ні"), ("ды", "ді"), ("ды", "ді"), ("ды", "ді"), ("ды", "ді"), ("ты", "ті")),
    "loc": (("да", "де"), ("да", "де"), ("да", "де"), ("да", "де"), ("да", "де"), ("та", "те")),
    "abl": (
        ("дан", "ден"),
        ("дан", "ден"),
        ("нан", "нен"),
        ("дан", "ден"),
        ("дан", "ден"),
        ("тан", "тен"),
    ),
    "ins": (
        ("мен", "мен"),
        ("мен", "мен"),
        ("мен", "мен"),
        ("мен", "мен"),
        ("бен", "бен"),
        ("пен", "пен"),
    ),
    # "-дағы": of/at a place ("АҚШ-тағы елшісі", the ambassador in the USA)
    "attr": (
        ("дағы", "дегі"),
        ("дағы", "дегі"),
        ("дағы", "дегі"),
        ("дағы", "дегі"),
        ("дағы", "дегі"),
        ("тағы", "тегі"),
    ),
}
# 3rd person possessive ("Франция Республикасы", "Түркия Президенті"): stripped, not generated
_KK_POSSESSIVE = (("сы", "сі"), ("ы", "і"), ("ы", "і"), ("ы", "і"), ("ы", "і"), ("ы", "і"))
# "-лық": of a country, as an adjective ("қазақстандық", "түркиялық")
_KK_ADJECTIVE = (
    ("лық", "лік"),
    ("лық", "лік"),
    ("дық", "дік"),
    ("дық", "дік"),
    ("дық", "дік"),
    ("тық", "тік"),
)


# After the possessive the cases take н-forms: gen, dat, acc, loc, abl, ins (back, front).
_KK_AFTER_POSSESSIVE = (
    ("ның", "на", "н", "нда", "нан", "мен", "ндағы"),
    ("нің", "не", "н", "нде", "нен", "мен", "ндегі"),
)
# What kk_stem strips, longest first: a case or adjective ending, or a possessive with
# the case after it ("сының"). The н-endings alone ("на", "н") are not stripped: after no
# possessive they are a word's own letters ("Астана").
_KK_ALL_SUFFIXES = sorted(
    {s for table in _KK_SUFFIXES.values() for pair in table for s in pair}
    | {s for pair in _KK_ADJECTIVE for s in pair}
    | {
        poss + ending
        for pair in _KK_POSSESSIVE
        for poss in pair
        for row in _KK_AFTER_POSSESSIVE
        for ending in row
    },
    key=len,
    reverse=True,
)
_KK_MIN_STEM = 3


def _kk_class(word: str) -> tuple[int, int]:
    """(sound class of the last letter, 0 back / 1 front harmony) of a Kazakh stem."""
    low = word.lower()
    last = low[-1:]
    vowels = [c for c in low if c in _KK_VOWELS]
    front = int(bool(vowels) and vowels[-1] in _KK_FRONT)
    if last in _KK_VOWELS and last != "у":
        return 0, front
    if last in _KK_SONORANT:
        return 1, front
    if last in _KK_NASAL:
        return 2, front
    if last == "л":
        return 3, front
    if last in _KK_VOICELESS:
        return 5, front
    return 4, front


def kk_forms(phrase: str) -> set[str]:
    """The case forms of a Kazakh (or borrowed) name: the last word takes the endings
    ("Франция" → "Францияның", "Франциямен", "Францияға"; "Қытай" → "Қытаймен"); a
    compound that ends possessed takes the н-endings ("Франция Республикасының")."""
    head, _, last = phrase.rpartition(" ")
    if not last or not last[-1].isalpha() or last.isupper():
        return {phrase}  # abbreviations take their ending after a hyphen: "АҚШ-пен"
    sound, front = _kk_class(last)
    forms = {phrase}
    if head and last[-1] in "ыі":  # already possessed ("Франция Республикасы"): н-endings
        return forms | {f"{phrase}{ending}" for ending in _KK_AFTER_POSSESSIVE[front]}
    for table in _KK_SUFFIXES.values():
        forms.add(f"{head} {last}{table[sound][front]}".strip())
    return forms


def kk_adjective(name: str) -> str:
    """The adjective of a Kazakh place name, lower case: "Түркия" → "түркиялық"."""
    sound, front = _kk_class(name)
    return (name + _KK_ADJECTIVE[sound][front]).lower()


def kk_stem(word: str) -> str:
    """Strip one Kazakh ending, longest first ("республикасының" → "республика",
    "франциямен" → "франция"), or else a possessive after a vowel ("басшысы" →
    "басшы"); the stem keeps at least three letters."""
    for suffix in _KK_ALL_SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= _KK_MIN_STEM:
            return word[: -len(suffix)]
    if word.endswith(("сы", "сі")) and len(word) - 2 >= _KK_MIN_STEM:
        return word[:-2]
    return word
