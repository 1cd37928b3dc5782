"""Extraction speed per language: Russian (and Kazakh) articles beside English ones.

Target (issue 13): Russian articles/s on one core no worse than half the English rate.
Both corpora are synthetic and built in this run: English articles recombine the bundled
sample's sentences (bench/synth_corpus.py); Russian and Kazakh articles are made from the
sentences below, written for this benchmark, with states put into the case each sentence
needs. The same number of articles of each language is extracted, in rounds that
alternate the languages, and the medians of the rounds' CPU rates are compared.

    python bench/bench_languages.py [--articles 2000] [--rounds 5]
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

import pymorphy3  # noqa: E402

from analysis.extract import extract_record  # noqa: E402
from analysis.extract.gazetteer import get_gazetteer  # noqa: E402
from analysis.lang import morph  # noqa: E402
from bench.synth_corpus import _sample_articles  # noqa: E402

STATES = (
    "Франция", "Германия", "Италия", "Япония", "Турция", "Индия", "Венгрия", "Польша",
    "Корея", "Австрия", "Испания", "Греция", "Бельгия", "Швейцария", "Монголия", "Эфиопия",
    "Кения", "Бразилия", "Аргентина", "Малайзия", "Индонезия", "Норвегия", "Финляндия",
)  # fmt: skip
TITLES = (
    "Глава государства провел телефонный разговор с Президентом {gent}",
    "Министр иностранных дел Казахстана встретился с послом {gent}",
    "Казахстан и {nomn} подписали меморандум о сотрудничестве в сфере энергетики",
    "Заместитель министра иностранных дел РК провел консультации в {loct}",
    "Посол Казахстана вручил верительные грамоты Президенту {gent}",
    "Председатель Сената принял делегацию парламента {gent}",
    "Президент направил телеграмму соболезнования руководству {gent}",
    "Делегация Казахстана прибыла с официальным визитом в {accs}",
)
SENTENCES = (
    "Стороны обсудили торгово-экономическое и инвестиционное сотрудничество с {ablt}.",
    "Особое внимание было уделено развитию Среднего коридора и транзитных перевозок.",
    "Казахстанская сторона рассказала о ходе политических реформ и о новой Конституции.",
    "Министр отметил рост товарооборота между Казахстаном и {ablt} за последние годы.",
    "Представители {gent} интересуются проектами цифровизации и искусственного интеллекта.",
    "Отдельно обсуждалось строительство АЭС и сотрудничество в сфере возобновляемой энергетики.",
    "Французская сторона поддержала инициативы Казахстана в рамках ООН и ОБСЕ.",
    "В ходе встречи была подчеркнута важность регионального сотрудничества в Центральной Азии.",
    "Кроме того, стороны договорились расширить культурно-гуманитарные связи и туризм.",
    "Визит в {accs} запланирован на следующий год, сообщает пресс-служба МИД.",
    "Посол {gent} высоко оценил уровень двусторонних отношений.",
    "Стороны обменялись мнениями по актуальным вопросам региональной безопасности.",
)  # fmt: skip
KAZAKH = (
    ("Мемлекет басшысы {kk} Президентімен телефон арқылы сөйлесті",
     "Тараптар сауда-экономикалық ынтымақтастықты талқылады. Кездесуде энергетика мен "
     "көлік саласындағы жобалар қаралды. {kk} тарапы Қазақстанның бастамаларын қолдады."),
)  # fmt: skip


def _inflector():
    analyzer = pymorphy3.MorphAnalyzer(lang="ru")

    def inflect(name: str, case: str) -> str:
        form = analyzer.parse(name)[0].inflect({case})
        return morph._same_case(form.word, name) if form else name

    return inflect


def russian_articles(n: int, seed: int = 13) -> list[tuple[str, str]]:
    """``n`` Russian articles: a title and five to eight sentences, one state each."""
    rng, inflect = random.Random(seed), _inflector()
    out = []
    for _ in range(n):
        state = rng.choice(STATES)
        forms = {c: inflect(state, c) for c in ("nomn", "gent", "accs", "ablt", "loct")}
        title = rng.choice(TITLES).format(**forms)
        body = " ".join(s.format(**forms) for s in rng.sample(SENTENCES, rng.randint(5, 8)))
        out.append((title, body))
    return out


def kazakh_articles(n: int, seed: int = 17) -> list[tuple[str, str]]:
    rng = random.Random(seed)
    states = ("Франция", "Жапония", "Түркия", "Германия", "Италия", "Қытай")
    return [
        (t.format(kk=s), x.format(kk=s))
        for t, x in (rng.choice(KAZAKH) for _ in range(n))
        for s in [rng.choice(states)]
    ]


def english_articles(n: int, seed: int = 19) -> list[tuple[str, str]]:
    """``n`` English articles drawn from the bundled sample (with repetition)."""
    sample = [(a.title, a.text) for a in _sample_articles()]
    rng = random.Random(seed)
    return [rng.choice(sample) for _ in range(n)]


def _rate(articles: list[tuple[str, str]]) -> float:
    t0 = time.process_time()
    for title, text in articles:
        extract_record(title, text)
    return len(articles) / (time.process_time() - t0)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--articles", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args(argv)
    corpora = {
        "en": english_articles(args.articles),
        "ru": russian_articles(args.articles),
        "kk": kazakh_articles(args.articles),
    }
    get_gazetteer()
    for articles in corpora.values():  # warm up: Cyrillic automaton, rule files, caches
        _rate(articles[:50])
    rates: dict[str, list[float]] = {lang: [] for lang in corpora}
    for _ in range(args.rounds):
        for lang, articles in corpora.items():
            rates[lang].append(_rate(articles))
    median = {lang: statistics.median(r) for lang, r in rates.items()}
    print(f"{args.articles:,} articles per language, {args.rounds} rounds, one core (CPU time)")
    print(f"{'language':<10}{'articles/s (median)':>21}{'vs English':>12}")
    for lang, rate in median.items():
        print(f"{lang:<10}{rate:>21,.0f}{rate / median['en']:>12.2f}")
    met = median["ru"] >= 0.5 * median["en"]
    print("target: Russian at least half the English rate: " + ("met" if met else "NOT met"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
