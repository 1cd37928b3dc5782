"""Which morphology for Russian country names: accuracy on own sentences, and speed.

Every case of a few names, written for this benchmark. Three candidates:
* pymorphy3 lemma: does the dictionary's normal form of the inflected word equal the
  name's lemma?
* the same through :func:`analysis.lang.morph.lemma`, cached as the extractor calls it;
* Snowball stem (PyStemmer): does the inflected word stem like the nominative?
* the gazetteer, which matches the forms pymorphy3 generated when it was built: does it
  find the state, with no other?
Speed: words per second on one core, each tool alone (median of 5 runs).

    python bench/bench_morph.py

Kazakhstan, which most sentences name too, is left out of the gazetteer's answer.
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

import Stemmer  # noqa: E402  (PyStemmer, a test extra: the candidate not chosen)

from analysis.extract.gazetteer import find_countries  # noqa: E402
from analysis.lang import morph  # noqa: E402

# (word as written in the sentence, nominative, ISO3, sentence)
CASES = [
    ("Франции", "Франция", "FRA", "Президент Франции прибыл с визитом."),
    ("Францию", "Франция", "FRA", "Делегация отправилась во Францию."),
    ("Францией", "Франция", "FRA", "Соглашение с Францией подписано."),
    ("французской", "французский", "FRA", "Переговоры с французской стороной."),
    ("французскими", "французский", "FRA", "Встреча с французскими депутатами."),
    ("Германии", "Германия", "DEU", "Посол Германии вручил грамоты."),
    ("Германией", "Германия", "DEU", "Сотрудничество с Германией растёт."),
    ("Китаем", "Китай", "CHN", "Торговля с Китаем выросла."),
    ("Китая", "Китай", "CHN", "Председатель Китая принял министра."),
    ("Узбекистаном", "Узбекистан", "UZB", "Граница с Узбекистаном открыта."),
    ("Кыргызстане", "Кыргызстан", "KGZ", "Форум прошёл в Кыргызстане."),
    ("Турции", "Турция", "TUR", "Министр иностранных дел Турции."),
    ("турецкой", "турецкий", "TUR", "Встреча с турецкой делегацией."),
    ("России", "Россия", "RUS", "Посол Казахстана в России."),
    ("российской", "российский", "RUS", "Глава российской дипломатии."),
    ("Италии", "Италия", "ITA", "Посол Казахстана в Италии."),
    ("Японией", "Япония", "JPN", "Переговоры с Японией."),
    ("японских", "японский", "JPN", "Группа японских инвесторов."),
    ("Эфиопии", "Эфиопия", "ETH", "Премьер-министр Эфиопии."),
    ("Молдове", "Молдова", "MDA", "Брифинг в Молдове."),
    ("Кореи", "Корея", "KOR", "Министр Республики Корея и Южной Кореи."),
    ("Штатами", "штат", "USA", "Договор с Соединёнными Штатами Америки."),
    ("Эмиратов", "эмират", "ARE", "Министр Объединённых Арабских Эмиратов."),
    ("Пекине", "Пекин", "CHN", "Саммит в Пекине."),
    ("Анкару", "Анкара", "TUR", "Визит в Анкару."),
    ("Астане", "Астана", "KAZ", "Встреча в Астане."),
    ("Нур-Султане", "Нур-Султан", "KAZ", "Форум в Нур-Султане."),
    ("Венгрией", "Венгрия", "HUN", "Связи с Венгрией."),
    ("Египта", "Египет", "EGY", "Министр Египта."),
    ("Израилем", "Израиль", "ISR", "Консультации с Израилем."),
]


def _rate(fn, words: list[str], rounds: int = 5) -> float:
    runs = []
    for _ in range(rounds):
        t0 = time.process_time()
        for w in words:
            fn(w)
        runs.append(time.process_time() - t0)
    return len(words) / statistics.median(runs)


def _lemma_ru(word: str) -> str:
    return morph.lemma(word, "ru")


def _states(sentence: str, iso: str) -> set[str]:
    """States the gazetteer finds, Kazakhstan aside unless it is the one asked for."""
    return {m.key for m in find_countries(sentence)} - ({"KAZ"} - {iso})


def main() -> int:
    analyzer = morph._analyzer()
    stemmer = Stemmer.Stemmer("russian")
    lemma_ok = sum(analyzer.parse(w)[0].normal_form == n.lower() for w, n, _, _ in CASES)
    stem_ok = sum(
        stemmer.stemWord(w.lower()) == stemmer.stemWord(n.lower()) for w, n, _, _ in CASES
    )
    found_ok = sum(_states(s, iso) == {iso} for _, _, iso, s in CASES)
    words = [w.lower() for w, *_ in CASES] * 20
    n = len(CASES)
    rows = [
        ("pymorphy3 normal form", lemma_ok / n, f"{_rate(analyzer.parse, words):,.0f}"),
        ("  the same, cached (morph.lemma)", lemma_ok / n, f"{_rate(_lemma_ru, words):,.0f}"),
        ("Snowball stem (PyStemmer)", stem_ok / n, f"{_rate(stemmer.stemWord, words):,.0f}"),
        ("gazetteer, generated forms", found_ok / n, "(per sentence)"),
    ]
    print(f"{'candidate':32} {'accuracy':>10} {'words/s (1 core)':>18}")
    for name, accuracy, rate in rows:
        print(f"{name:32} {accuracy:10.3f} {rate:>18}")
    misses = [s for _, _, iso, s in CASES if _states(s, iso) != {iso}]
    for sentence in misses:
        print("  gazetteer misses:", sentence)
    return 0


if __name__ == "__main__":
    sys.exit(main())
