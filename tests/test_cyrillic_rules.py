"""Russian and Kazakh articles give the same record as English ones (own sentences)."""

from __future__ import annotations

import pytest

from analysis.extract import extract_record


def record(title: str, text: str = "") -> dict[str, object]:
    return extract_record(title, text).as_dict()


# --------------------------------------------------------------------------- partners


@pytest.mark.parametrize(
    ("title", "text", "expected"),
    [
        # a state in the title is engaged
        ("Глава государства провел телефонный разговор с Президентом Франции", "", ["FRA"]),
        # official-of: the office before the state, in the genitive
        (
            "Встреча в МИД",
            "Министр встретился с министром иностранных дел и внешней торговли Северной Македонии.",
            ["MKD"],
        ),
        # official-after: the adjective before the side
        (
            "Переговоры в Астане",
            "Стороны обсудили сотрудничество. Французская сторона поддержала инициативы.",
            ["FRA"],
        ),
        # talks-with
        ("Консультации", "В Астане прошли переговоры с Венгрией по вопросам торговли.", ["HUN"]),
        # compound adjective with Kazakhstan
        (
            "Заседание комиссии",
            "Обсуждены перспективы казахстанско-узбекского сотрудничества.",
            ["UZB"],
        ),
        # a list shares its head's role
        (
            "Саммит",
            "Состоялась встреча президентов Казахстана, Кыргызстана и Таджикистана.",
            ["KGZ", "TJK"],
        ),
        # a venue or a mere mention is no partner
        (
            "Выставка открылась",
            "Министр энергетики посетил выставку оборудования, произведенного в Германии.",
            [],
        ),
        # a company is not its state
        (
            "Соглашение подписано",
            "Национальная компания подписала договор с российской компанией.",
            [],
        ),
        # the posting of a Kazakh ambassador places the event, it engages no one by itself
        (
            "Брифинг для диаспоры",
            "Посол Казахстана в Италии провел встречу с соотечественниками.",
            [],
        ),
        # Kazakh: genitive plus possessed office, and the side
        (
            "Министр кездесу өткізді",
            "Министр Францияның Сыртқы істер министрімен кездесті.",
            ["FRA"],
        ),
        (
            "Келіссөздер",
            "Кездесуде француз тарапы ынтымақтастықты талқылады. Түркия Президенті қатысты.",
            ["TUR"],
        ),
    ],
)
def test_partner_countries(title: str, text: str, expected: list[str]) -> None:
    assert record(title, text)["partner_countries"] == expected


@pytest.mark.parametrize(
    ("title", "text", "expected"),
    [
        ("Министр принял участие в саммите ШОС", "", ["SCO"]),
        (
            "Встреча в Нью-Йорке",
            "Постоянный представитель провел встречу с Генеральным секретарем ООН.",
            ["UN"],
        ),
        # a Kazakh mission to the UN is not the UN's engagement
        (
            "Брифинг",
            "Постоянный представитель Казахстана при ООН выступил с лекцией перед студентами.",
            [],
        ),
        ("Тараптар кездесті", "Елші БҰҰ Бас хатшысымен кездесті.", ["UN"]),
    ],
)
def test_partner_orgs(title: str, text: str, expected: list[str]) -> None:
    assert record(title, text)["partner_orgs"] == expected


# --------------------------------------------------------------------------- where


@pytest.mark.parametrize(
    ("title", "text", "expected"),
    [
        ("Министр прибыл с визитом в Анкару", "", "TUR"),
        ("Переговоры прошли во Франции", "", "FRA"),
        # a posted ambassador is in the state of his posting
        (
            "Встреча с министром",
            "Посол Казахстана в Италии встретился с министром культуры Италии.",
            "ITA",
        ),
        # a call happened nowhere
        ("Телефонный разговор с Президентом Египта", "", None),
        ("Елші Вашингтонда кездесу өткізді", "", "USA"),
        # the situation in a state is not a venue
        ("Заявление МИД", "Министр обсудил ситуацию в Афганистане с коллегами.", None),
    ],
)
def test_location(title: str, text: str, expected: str | None) -> None:
    assert record(title, text)["location_country"] == expected


# --------------------------------------------------------------------------- event type


@pytest.mark.parametrize(
    ("title", "text", "expected"),
    [
        ("Глава государства провел телефонный разговор с Президентом Франции", "", "phone_call"),
        ("Посол вручил верительные грамоты Королю Испании", "", "credentials"),
        ("Президент направил телеграмму соболезнования Премьер-министру Индии", "", "message"),
        ("Казахстан и Корея подписали меморандум о сотрудничестве", "", "signing"),
        ("Президент выступил на саммите ОТГ в Баку", "", "conference"),
        ("Министр совершит официальный визит в Японию", "", "visit"),
        ("Министр принял посла Бельгии", "", "meeting"),
        ("Посольство провело брифинг для журналистов Польши", "", "briefing"),
        # a summit in the title beats a signing; a visit as a frame does not report the news
        ("В ходе визита в Рим министр встретился с коллегой из Италии", "", "meeting"),
        # no cue in the title: the lead decides
        (
            "Новости дипломатии",
            "Министр иностранных дел провел переговоры с главой МИД Катара.",
            "meeting",
        ),
        ("Елші Испания Королына сенім грамотасын тапсырды", "", "credentials"),
        ("Мемлекет басшысы Жапония Премьер-министрімен кездесті", "", "meeting"),
        ("Президент Түркия Президентімен телефон арқылы сөйлесті", "", "phone_call"),
    ],
)
def test_event_type(title: str, text: str, expected: str) -> None:
    assert record(title, text)["event_type"] == expected


# --------------------------------------------------------------------------- actor level


@pytest.mark.parametrize(
    ("title", "text", "expected"),
    [
        ("Глава государства принял посла Бельгии", "", "president"),
        ("Токаев провел переговоры с Президентом Кении", "", "president"),
        # the foreign president is the counterpart; the Kazakh minister took part
        ("Министр иностранных дел встретился с Президентом Словении", "", "foreign_minister"),
        (
            "Заместитель министра иностранных дел РК провел консультации в Берлине",
            "",
            "deputy_foreign_minister",
        ),
        ("Председатель Сената встретился с послом Японии", "", "parliament"),
        ("Посол Казахстана в Египте встретился с министром туризма Египта", "", "ambassador"),
        ("Посольство Казахстана провело презентацию в Праге", "", "embassy"),
        # a foreign minister alone: no Kazakh official named
        ("Министр иностранных дел Германии посетил выставку", "", "other"),
        ("Мемлекет басшысы Франция Президентімен кездесті", "", "president"),
        ("Қазақстанның Италиядағы елшісі кездесу өткізді", "", "ambassador"),
    ],
)
def test_actor_level(title: str, text: str, expected: str) -> None:
    assert record(title, text)["kz_actor_level"] == expected


# --------------------------------------------------------------------------- topics


@pytest.mark.parametrize(
    ("title", "text", "expected"),
    [
        ("Стороны обсудили строительство АЭС", "", ["energy"]),
        ("Министр рассказал о ходе конституционной реформы", "", ["referendum"]),
        ("Обсуждены вопросы цифровизации и искусственного интеллекта", "", ["it"]),
        ("Тараптар мұнай және газ саласындағы ынтымақтастықты талқылады", "", ["energy"]),
    ],
)
def test_topics(title: str, text: str, expected: list[str]) -> None:
    assert record(title, text)["topics"] == expected


def test_language_is_recorded() -> None:
    assert extract_record("Министр встретился с послом", "").lang == "ru"
    assert extract_record("Министр елшімен кездесті", "Тараптар сауданы талқылады.").lang == "kk"
    assert extract_record("Minister meets ambassador", "").lang == "en"


# --------------------------------------------------------------------------- finer points


def test_a_list_may_name_each_states_official() -> None:
    text = (
        "Министр провел телефонные разговоры с министрами иностранных дел Грузии Ираклием "
        "Гогиашвили, Армении Ароном Саргсяном и Молдовы Марией Поповой."
    )
    assert record("Телефонные разговоры министра", text)["partner_countries"] == [
        "ARM",
        "GEO",
        "MDA",
    ]


def test_the_envoys_posting_in_a_title_is_no_partner() -> None:
    rec = record("Посол Казахстана в Чили провел брифинг для соотечественников")
    assert rec["partner_countries"] == []
    assert rec["location_country"] == "CHL"


def test_talks_between_other_states_engage_neither() -> None:
    text = "Министр прокомментировал переговоры между Египтом и Эфиопией."
    assert record("Брифинг в МИД", text)["partner_countries"] == []


def test_a_demoted_phrase_ends_before_the_main_verb() -> None:
    rec = record("После переговоров в Вене министр подписал соглашение с Австрией")
    assert rec["event_type"] == "signing"


def test_the_lead_starts_after_a_russian_dateline() -> None:
    text = "АСТАНА, 5 марта. /Агентство/. Министр провел переговоры с послом Ирландии."
    rec = record("Новости дня", text)
    assert (rec["event_type"], rec["partner_countries"]) == ("meeting", ["IRL"])
    assert (
        record("Новости", "АСТАНА, 5 марта. /Агентство/. Выставка открылась.")["location_country"]
        == "KAZ"
    )


def test_both_sides_officials_and_diplomacy_are_not_a_kazakh_participant() -> None:
    text = "Стороны обсудили итоги встреч глав МИД двух стран и развитие дипломатии."
    assert record("Встреча в Вене", text)["kz_actor_level"] == "other"


def test_a_foreign_envoys_posting_is_no_venue_but_a_city_is() -> None:
    posting = record("Встреча в Сенате", "Спикер встретился с послом Швеции в Казахстане.")
    assert posting["location_country"] is None
    city = record("Встреча в МИД", "Министр встретился с послом Швеции в Астане.")
    assert city["location_country"] == "KAZ"
