"""Identity normalisation (``analysis.identity``): copies of one article that differ only
in how they were typed or scraped are one article, in one ingest and across ingests."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from analysis import feeds, identity, pipeline, store
from analysis.identity import normalise_key

SAME = [
    ("accents", "Côte d'Ivoire and Kazakhstan", "Cote d'Ivoire and Kazakhstan"),
    ("accents, Russian ё", "Визит в Алёшки", "Визит в Алешки"),
    ("typographic apostrophe", "Cote d’Ivoire talks", "Cote d'Ivoire talks"),
    ("modifier apostrophe", "Cote dʼIvoire talks", "Cote d'Ivoire talks"),
    ("typographic quotes", "“Silk Road” forum", '"Silk Road" forum'),
    ("guillemets", "Форум «Астана»", 'Форум "Астана"'),
    ("en dash", "Kazakhstan–China talks", "Kazakhstan-China talks"),
    ("em dash and minus", "Kazakhstan—China − talks", "Kazakhstan-China - talks"),
    ("non-breaking hyphen", "E\u2011Government week", "E-Government week"),
    ("zero-width space", "Ja\u200bpan visit", "Japan visit"),
    ("soft hyphen", "Ger\u00admany visit", "Germany visit"),
    ("zero-width joiner and BOM", "Fra\u200dnce\ufeff visit", "France visit"),
    ("no-break and ideographic spaces", "Astana\u00a0forum\u3000opens", "Astana forum opens"),
    ("Cyrillic а in a Latin word", "Frаnce visit", "France visit"),
    ("Cyrillic о, е, р, с in Latin words", "Cоoperаtion with Eurоpe", "Cooperation with Europe"),
    ("Cyrillic capitals in Latin words", "МОSCOW АND ВАKU", "MOSCOW AND BAKU"),
    ("Latin o in a Cyrillic word", "Пoсол", "Посол"),
    ("Kazakh ү", "Yкімет", "Үкімет"),
    ("compatibility forms", "ﬁnance ＫＺ", "finance KZ"),
    ("case, Turkish dotted I", "İSTANBUL", "istanbul"),
]


@pytest.mark.parametrize(("why", "one", "other"), SAME, ids=[s[0] for s in SAME])
def test_variants_share_one_key(why, one, other):
    assert normalise_key(one) == normalise_key(other)


DIFFERENT = [
    ("another word", "Japan visit", "Japanese visit"),
    ("another number", "Forum 2024", "Forum 2025"),
    ("Kazakh letters are letters", "Қазақстан", "Казахстан"),
]


@pytest.mark.parametrize(("why", "one", "other"), DIFFERENT, ids=[d[0] for d in DIFFERENT])
def test_different_titles_keep_different_keys(why, one, other):
    assert normalise_key(one) != normalise_key(other)


def test_key_drops_every_invisible_character():
    assert normalise_key("A\u200b\u200c\u200d\u2060\u00ad\ufeffB") == "ab"


def _feed(title: str) -> bytes:
    body = "The Foreign Minister of Kazakhstan met the ambassador in Astana to discuss trade. " * 3
    return json.dumps({"title": title, "published": "2025-03-04", "text": body}).encode() + b"\n"


def test_accent_and_apostrophe_copies_are_one_article_in_one_ingest(tmp_path):
    report = pipeline.ingest_uploads(
        [
            ("a.jsonl", _feed("Côte d’Ivoire and Kazakhstan")),
            ("b.jsonl", _feed("Cote d'Ivoire and Kazakhstan")),
        ],
        tmp_path,
    )
    assert (report.new, report.duplicate) == (1, 1)
    (files,) = store.read_articles(tmp_path)["source_files"]
    assert list(files) == ["a.jsonl", "b.jsonl"]


def test_accent_and_apostrophe_copies_are_one_article_across_ingests(tmp_path):
    pipeline.ingest_uploads([("a.jsonl", _feed("Côte d’Ivoire and Kazakhstan"))], tmp_path)
    report = pipeline.ingest_uploads(
        [("b.jsonl", _feed("Cote d\u2019Ivoire and Ka\u200bzakhstan"))], tmp_path
    )
    assert (report.new, report.duplicate, report.total) == (0, 1, 1)


def test_feeds_and_identity_share_the_function():
    """One function: feeds (and through it evaluate) must not keep a twin of it."""
    assert feeds.normalise_key is normalise_key


def test_a_store_keyed_by_an_older_identity_is_rekeyed_at_the_next_ingest(tmp_path):
    """A store written before this normalisation kept `Côte d’Ivoire` and `Cote d'Ivoire`
    apart under their old ids; the next ingest recomputes them and joins the two."""
    pipeline.ingest_uploads([("a.jsonl", _feed("Côte d’Ivoire and Kazakhstan"))], tmp_path)
    (row,) = store.read_articles(tmp_path).to_dict("records")
    ascii_copy = {
        "id": "old-b",
        "title": "Cote d'Ivoire and Kazakhstan",
        "source_files": ["b.jsonl"],
    }
    old = pd.DataFrame([row | {"id": "old-a"}, row | ascii_copy])
    meta = {k: v for k, v in store.read_meta(tmp_path).items() if k != "identity"}
    store.write_articles(tmp_path, old, meta)
    report = pipeline.ingest_uploads([("c.jsonl", _feed("Cote d'Ivoire and Kazakhstan"))], tmp_path)
    assert (report.new, report.total) == (0, 1)
    (files,) = store.read_articles(tmp_path)["source_files"]
    assert list(files) == ["a.jsonl", "b.jsonl", "c.jsonl"]
    assert store.read_meta(tmp_path)["identity"] == identity.VERSION
