"""Real news pages (spec §1): titles, date lines and site junk as scraped pages print them.

Every page here is written for the test: each shows one pattern met on real pages (date
line before or after the title, share buttons, a ticker of other news on the header line,
a page that starts mid-article, a dateline carrying a full date), never a real page's text.
"""

from __future__ import annotations

import datetime as dt

import pytest

from analysis import feeds
from analysis.feeds import dates

TITLE = "Kazakhstan and Peru Discuss Trade in Lima"
LEAD = (
    "The Ambassador of Kazakhstan to Peru met the Deputy Minister of Foreign Trade of Peru "
    "to discuss the supply of fertilisers and machinery."
)
MORE = "The sides agreed to hold a business forum in Lima in the autumn of next year."
RU_TITLE = "Казахстан и Перу обсудили торговлю"
RU_LEAD = (
    "Посол Казахстана в Перу встретился с заместителем министра внешней торговли Перу и "
    "обсудил поставки удобрений и техники."
)
KZ_LEAD = (
    "Қазақстанның Перудегі елшісі Перу сыртқы сауда министрінің орынбасарымен кездесіп, "
    "тыңайтқыштар мен техника жеткізуді талқылады."
)


def page(*lines: str) -> feeds.Article:
    result = feeds.parse_text("\n".join(lines) + "\n", "page.txt")
    assert len(result.articles) == 1, [a.title for a in result.articles]
    return result.articles[0]


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("21:38, 28 May 2025", (2025, 5, 28, (21, 38))),
        ("7 December 2020, 17:11", (2020, 12, 7, (17, 11))),
        ("21 December 2015 [16:34]", (2015, 12, 21, (16, 34))),
        ("21 December 2015 [16:34] - AGENCY.AZ", (2015, 12, 21, (16, 34))),
        ("2019-05-14", (2019, 5, 14, None)),
        ("Publication: 04.07.2024", (2024, 7, 4, None)),
        ("Publication: 04.07.2024 - 11:21", (2024, 7, 4, (11, 21))),
        ("    12:27, 29 October 2018", (2018, 10, 29, (12, 27))),
        ("26 July 2022 21:09", (2022, 7, 26, (21, 9))),
        ("May 3, 2021", (2021, 5, 3, None)),
        ("Sept 3, 2021", (2021, 9, 3, None)),
        ("28 мая 2025, 14:05", (2025, 5, 28, (14, 5))),
        ("14:05, 28 мая 2025", (2025, 5, 28, (14, 5))),
        ("28 мая 2025 г.", (2025, 5, 28, None)),
        ("  • 22 октября, 2025", (2025, 10, 22, None)),
        ("07:28 Фев. 22, 2022", (2022, 2, 22, (7, 28))),
        ("28 мамыр 2025", (2025, 5, 28, None)),
        ("2025 жылғы 28 мамыр", (2025, 5, 28, None)),
        ("11:02, 3 қаз. 2024", (2024, 10, 3, (11, 2))),
        ("25.02.2026 08:14:44 192", (2026, 2, 25, (8, 14))),
        ("14.10.2022", (2022, 10, 14, None)),
    ],
)
def test_date_line_forms_of_the_spec(line, expected):
    year, month, day, time = expected
    found = feeds.parse_date_line(line)
    assert found is not None
    assert found[0] == dt.date(year, month, day)
    assert (found[1].hour, found[1].minute) == time if time else found[1] is None


@pytest.mark.parametrize(
    "line",
    [
        "On 13 September 2019, the minister met his counterpart.",  # a sentence, not a line
        "Almaty. February 10.",  # no year
        "НУР-СУЛТАН, 10 мар — Sputnik",
        "27.04.202420:57",  # a site clock glued to its date
        "31 February 2024",  # no such day
        "28 Maybe 2025",  # not a month
        "12 ma 2025",  # too short to name one month
    ],
)
def test_not_a_date_line(line):
    assert feeds.parse_date_line(line) is None


def test_month_names_come_from_cldr_in_every_feed_language():
    assert dates.LOCALES == ("en", "ru", "kk")
    names = dates.month_names()
    assert {names["january"], names["января"], names["январь"], names["қаңтар"]} == {1}
    # abbreviations and unambiguous starts of names, as sites shorten them
    assert [dates.month_number(w) for w in ("Sept", "сент.", "фев", "нояб", "жел.")] == [
        9,
        9,
        2,
        11,
        12,
    ]
    assert dates.month_number("ju") is None and dates.month_number("ма") is None


@pytest.mark.parametrize(
    ("opening", "day"),
    [
        ("Baku, 7 September 2022 (Agency): " + LEAD, dt.date(2022, 9, 7)),
        ("Nur-Sultan, 7 September 2022 (XYZ): " + LEAD, dt.date(2022, 9, 7)),
        ("АСТАНА, 30 ноября, 2017 года – " + RU_LEAD, dt.date(2017, 11, 30)),
        ("Аддис-Абеба, 19 февраля 2026 г. – " + RU_LEAD, dt.date(2026, 2, 19)),
        ("ASTANA (Wire News / Agency - 18th April, 2023) " + LEAD, dt.date(2023, 4, 18)),
        ("20 February 2026. " + LEAD, dt.date(2026, 2, 20)),
    ],
)
def test_a_dateline_with_a_full_date_dates_the_page(opening, day):
    article = page(TITLE, opening, MORE)
    assert (article.date, article.date_source) == (day, "dateline")


@pytest.mark.parametrize(
    "opening",
    [
        "Astana. 17 февраля. AGENCY TODAY - " + RU_LEAD,
        "ASTANA, Kazakhstan, October 2. " + LEAD,
        "On 13 September 2019, " + LEAD,
    ],
)
def test_a_year_less_dateline_or_a_date_in_a_sentence_leaves_the_page_undated(opening):
    article = page(TITLE, opening, MORE)
    assert (article.date, article.date_source) == (None, "undated")
    header = page(" date 2024-03-01", TITLE, opening, MORE)
    assert (header.date, header.date_source) == (dt.date(2024, 3, 1), "header")


def test_title_line_then_date_line_kazinform_style():
    article = page(TITLE, "21:38, 28 May 2025", LEAD, MORE)
    assert article.title == TITLE
    assert article.datetime == dt.datetime(2025, 5, 28, 21, 38, tzinfo=feeds.KZ_TZ)
    assert article.date_source == "dateline" and "21:38" not in article.text


def test_date_line_above_the_title_among_site_labels():
    article = page(" date 2018-10-29 EN", "    12:27, 29 October 2018", "", "    " + TITLE, LEAD)
    assert (article.title, article.date) == (TITLE, dt.date(2018, 10, 29))


def test_russian_and_kazakh_pages_are_dated_by_their_own_date_line():
    ru = page("Мир", "11:05, 4 июля 2023", RU_TITLE, "Фото: пресс-служба", RU_LEAD, RU_LEAD)
    assert (ru.title, ru.date) == (RU_TITLE, dt.date(2023, 7, 4))
    kz = page("Перу мен Қазақстан сауданы талқылады", "28 мамыр 2025", KZ_LEAD, KZ_LEAD)
    assert (kz.title, kz.date) == ("Перу мен Қазақстан сауданы талқылады", dt.date(2025, 5, 28))


def test_a_date_in_related_news_below_the_article_is_not_its_date():
    article = page(" date 2024-08-02", TITLE, LEAD, MORE, MORE, "7 February 2025", "Other news")
    assert (article.date, article.date_source) == (dt.date(2024, 8, 2), "header")


def test_a_date_line_just_under_the_standfirst_still_dates_the_page():
    article = page(TITLE, LEAD, "Publication: 04.07.2024 - 11:21", TITLE, MORE, MORE)
    assert (article.title, article.date) == (TITLE, dt.date(2024, 7, 4))


@pytest.mark.parametrize(
    "junk",
    [
        "Tell a friend",
        "Share",
        "Show original",
        "Breaking News",
        "Subscribe to our channel on Telegram",
        "Подписывайтесь на наш канал в Дзен",
        "None",
        "Images",
        "Images | Ministry",
    ],
)
def test_share_and_widget_junk_is_never_the_title_or_the_body(junk):
    above = page(" date 2025-02-28", junk, "", junk, "", LEAD, MORE)
    assert above.title == LEAD and junk not in above.text
    titled = page(junk, TITLE, junk, LEAD, junk, MORE)
    assert titled.title == TITLE and junk not in titled.text.split("\n")


def test_photo_credits_and_captions_are_junk_not_the_end_of_the_article():
    article = page(
        TITLE, LEAD, "Photo: press service of the Ministry", MORE, "Minister © A. Person"
    )
    assert article.text == LEAD + "\n" + MORE


def test_a_ticker_of_other_news_on_the_header_line_is_not_the_title():
    ticker = "Regional akimat opened a new school in the north of the country and more"
    article = page(f" date 2024-03-03 {ticker}", TITLE, "Images", LEAD, MORE)
    assert article.title == TITLE and ticker not in article.text


def test_the_header_line_may_carry_the_title_or_the_first_sentence():
    titled = page(f" date 2025-09-10 {TITLE}", "", LEAD, MORE)
    assert (titled.title, titled.date) == (TITLE, dt.date(2025, 9, 10))
    started = page(f" date 2025-09-10 {LEAD}", "", MORE)
    assert started.title == LEAD and started.text.startswith(LEAD)


def test_a_page_that_starts_mid_article_keeps_its_first_sentence():
    middle = "The latter reported on the preparations for the upcoming national referendum."
    article = page(f" date 2026-02-24 {middle}", "", MORE, MORE)
    assert article.title == middle


def test_a_standfirst_under_the_title_is_not_the_title():
    standfirst = (
        "Both sides see room for more trade in minerals, machinery and farm produce over the "
        "next three years, the Kazakh diplomat said"
    )
    article = page(RU_TITLE, standfirst, RU_LEAD, RU_LEAD)
    assert article.title == RU_TITLE


def test_an_untitled_page_keeps_its_agency_dateline_and_initials_in_the_first_sentence():
    first = "ASTANA. AGENCY – President N. Nazarbayev sent a telegram of condolences to Peru."
    article = page(first, MORE)
    assert article.title == first
    wrapped = page(
        "ASTANA, Kazakhstan, February 2. The Minister",
        "of Foreign Affairs of Kazakhstan met the President of",
        "Peru in Lima to discuss trade.",
        MORE,
    )
    assert wrapped.title == (
        "ASTANA, Kazakhstan, February 2. The Minister of Foreign Affairs of Kazakhstan met "
        "the President of Peru in Lima to discuss trade."
    )


def test_a_stamp_glued_between_title_and_body_is_split_out():
    line = f"{RU_TITLE}08.10.2018 14:49Астана - 8 октября. {RU_LEAD}"
    article = page(line, RU_LEAD)
    assert (article.title, article.date) == (RU_TITLE, dt.date(2018, 10, 8))
    assert article.text.startswith("Астана - 8 октября.")


def test_a_photo_credit_glued_before_the_first_sentence_is_dropped():
    article = page(f"Фото с сайта example.kz Фото с сайта example.kz {RU_LEAD}", RU_LEAD)
    assert article.title == RU_LEAD and article.text.startswith(RU_LEAD)
