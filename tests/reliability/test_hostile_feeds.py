"""Hostile and broken feeds: never a traceback, never a hang, time linear, memory bounded.

Property tests throw random bytes, random Unicode and shuffled feed fragments at the
parser; named cases push one weakness each to 1 MB; the file system cases are the ones a
scraper's output folder really contains (symlink loops, FIFOs, unreadable files). Every
case that could hang runs in a forked child with a deadline (reliability_support.bounded).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import os
import random
import re
import shutil
import subprocess
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from reliability_support import (
    MB,
    REPO,
    bounded,
    corpus_bytes,
    feed_chunk,
    ingest_cmd,
    repeat_to,
    unprivileged,
)

from analysis import feeds, pipeline, store

NAMES = ["feed.txt", "feed.jsonl", "feed.csv", "feed", "feed.json", "feed.html"]
DATE_SOURCES = {"stamp", "dateline", "header", "published"}
PER_EXAMPLE_SECONDS = 2.0  # an example is at most ~30 KB: anything slower is a blow-up
BODY = (
    "The Minister of Foreign Affairs of Kazakhstan met the Ambassador of Japan to discuss "
    "trade, energy and transport cooperation between the two countries."
)


def check_result(result: feeds.ParseResult, name: str) -> None:
    """What every parse must give, whatever the input: well-formed articles and warnings."""
    assert isinstance(result, feeds.ParseResult)
    assert result.readable or not result.articles
    for warning in result.warnings:
        assert isinstance(warning, feeds.FeedWarning) and warning.file == name
        assert warning.line is None or warning.line >= 1
    for article in result.articles:
        assert isinstance(article.title, str) and isinstance(article.text, str)
        assert article.title.strip() or article.text.strip()
        # Never a guess from the file's time unless asked: a date of its own, or undated.
        if article.date is None:
            assert article.date_source == "undated"
        else:
            assert isinstance(article.date, dt.date) and article.date_source in DATE_SOURCES
        assert 1 <= article.line_start <= article.line_end
        assert article.source_files == [name]
        assert re.fullmatch(r"[0-9a-f]{16}", article.id)


def parse_checked(data: bytes, name: str) -> feeds.ParseResult:
    start = time.process_time()
    result = feeds.parse_bytes(data, name)
    elapsed = time.process_time() - start
    check_result(result, name)
    assert elapsed < PER_EXAMPLE_SECONDS, f"{len(data)} bytes took {elapsed:.2f} s"
    return result


def examples(slow: bool, default: int = 150, more: int = 2000) -> settings:
    return settings(
        max_examples=more if slow else default,
        deadline=None,  # time is bounded explicitly (PER_EXAMPLE_SECONDS), by CPU not wall
        database=None,
        derandomize=not slow,  # the default run is reproducible; the slow one explores
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )


# --------------------------------------------------------------------------- properties

FRAGMENTS = [
    "",
    " ",
    "date 2024-01-01",
    " date 2024-13-45   • kz   • ru",
    " date 2019-05-30 04.07.2024, 13:49 12",
    "04.07.2024, 13:49 12",
    "31.02.2024, 10:00 3",
    "04.07.2024, 13:49",
    "18 June 2025",
    "2019-05-14",
    "Publication: 04.07.2024",
    "Kazakhstan and Japan Hold Political Consultations",
    BODY,
    "ASTANA. KAZINFORM – " + BODY,
    "Baku, 7 September 2022 (Trend): " + BODY,
    "Popular",
    "Read also",
    "© 2024 All rights reserved",
    "USD 475.20   EUR 512.30",
    "Home | World | Politics | Economy",
    "Page not found",
    "404 not found",
    '{"title": "Talks in Astana", "published": "2024-01-01", "text": "' + BODY + '"}',
    '{"title": "x", "published": "9999-12-31T23:00:00Z", "text": "y"}',
    '{"title": "x", "published": "0001-01-01T00:00:00+06:00", "text": "y"}',
    '[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[["',
    "title,published,url,text",
    'Talks,2024-01-01,,"' + BODY,
    '"unterminated, quote',
    '=HYPERLINK("http://x")',
    "\x00",
    "\ufeff",
    "Казахстан и Япония провели консультации",
    "Қазақстан әғқңөұүһі 😀",
]
line = st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=120))
feedish = st.lists(line, max_size=120)
ENCODINGS = ["utf-8", "utf-8-sig", "cp1251", "utf-16", "latin-1", "koi8-r"]


def test_random_bytes_never_raise(slow):
    @examples(slow)
    @given(st.binary(max_size=30_000), st.sampled_from(NAMES))
    def check(data: bytes, name: str) -> None:
        parse_checked(data, name)

    check()


def test_random_unicode_never_raises(slow):
    @examples(slow)
    @given(st.text(max_size=20_000), st.sampled_from(NAMES), st.sampled_from(ENCODINGS))
    def check(text: str, name: str, encoding: str) -> None:
        parse_checked(text.encode(encoding, errors="replace"), name)

    check()


def test_shuffled_feed_fragments_never_raise(slow):
    """Stamps, titles, junk, JSON and CSV pieces in any order, line ends and encodings."""

    @examples(slow, default=200, more=3000)
    @given(
        feedish,
        st.sampled_from(NAMES),
        st.sampled_from(ENCODINGS),
        st.sampled_from(["\n", "\r\n", "\r"]),
        st.integers(min_value=0, max_value=3),
    )
    def check(lines: list[str], name: str, encoding: str, newline: str, cut: int) -> None:
        data = newline.join(lines).encode(encoding, errors="replace")
        parse_checked(data[: len(data) - cut] if cut else data, name)  # maybe truncated

    check()


json_value = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats()
    | st.text(max_size=200)
    | st.datetimes(timezones=st.sampled_from([dt.UTC, dt.timezone(dt.timedelta(hours=14))])).map(
        dt.datetime.isoformat
    ),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=5), inner),
    max_leaves=10,
)


def test_hostile_json_records_never_raise(slow):
    """Any JSON type in any field, and timestamps at the very ends of the calendar."""
    fields = st.sampled_from(["title", "published", "text", "url", "other"])

    @examples(slow, default=60, more=1000)
    @given(st.lists(st.dictionaries(fields, json_value), min_size=1, max_size=20))
    def check(records: list[dict]) -> None:
        data = "\n".join(json.dumps(r) for r in records).encode()
        parse_checked(data, "feed.jsonl")
        table = io.StringIO()
        writer = csv.writer(table)
        writer.writerow(["title", "published", "text", "url"])
        for r in records:
            writer.writerow([r.get(c, "") for c in ("title", "published", "text", "url")])
        parse_checked(table.getvalue().encode(), "feed.csv")

    check()


def test_parse_file_agrees_with_parse_bytes(tmp_path, slow):
    """Reading from disk adds nothing and loses nothing (same articles, same warnings)."""
    path = tmp_path / "feed.txt"

    @examples(slow, default=40, more=300)
    @given(feedish, st.sampled_from(ENCODINGS))
    def check(lines: list[str], encoding: str) -> None:
        data = "\n".join(lines).encode(encoding, errors="replace")
        path.write_bytes(data)
        a, b = feeds.parse_file(path, "feed.txt"), feeds.parse_bytes(data, "feed.txt", path)
        assert [x.id for x in a.articles] == [x.id for x in b.articles]
        assert [str(w) for w in a.warnings] == [str(w) for w in b.warnings]

    check()


# --------------------------------------------------------------------------- named 1 MB cases


def _listing_of(n: int, title: str = "Same Title Again And Again") -> bytes:
    block = f"04.07.2024, 13:49 12\n{title}\n{BODY}\n".encode()
    return block * max(1, n)


def _mixed_encodings() -> bytes:
    utf8 = corpus_bytes("a_listing_1.txt")
    legacy = ("Министр иностранных дел Казахстана встретился с послом Японии.\n" * 40).encode(
        "cp1251"
    )
    return (utf8 + legacy) * (MB // (len(utf8) + len(legacy)) + 1)


def _alternating_encodings() -> bytes:
    """Every other line UTF-8, the others cp1251: the most warnings and decoder switches."""
    line = "Министр иностранных дел Казахстана встретился с послом Японии в Астане.\n"
    pair = line.encode("utf-8") + line.encode("cp1251")
    return b"Talks In Astana Today\n" + pair * (MB // len(pair) + 1)


def _truncated_mid_file() -> bytes:
    good = corpus_bytes("a_listing_1.txt")
    return (good + "әлем".encode()[:1] + b"\n") * (MB // len(good) + 1)


def _deep_json() -> bytes:
    good = json.dumps({"title": "Talks in Astana", "published": "2024-01-01", "text": BODY})
    return "\n".join([good, "[" * 200_000, '{"a":' * 200_000, good]).encode()


def _extreme_dates() -> bytes:
    lines = [
        json.dumps({"title": f"Talks {i}", "published": p, "text": BODY})
        for i, p in enumerate(
            [
                "9999-12-31T23:00:00Z",
                "0001-01-01T00:00:00+06:00",
                "0001-01-01T02:00:00",
                "9999-12-31",
                "0000-01-01",
                "2024-02-30",
                "+10000-01-01",
            ]
        )
    ]
    return "\n".join(lines).encode()


rng = random.Random(20240701)
CASES: dict[str, tuple[bytes, str, Callable[[dict], bool]]] = {
    # name: (data, file name, what must be true of the parse summary `s`)
    "very long line": (
        (BODY + " ").encode() * (MB // 180),
        "feed.txt",
        lambda s: s["articles"] == 1,
    ),
    "1 MB without spaces": (b"x" * MB, "feed.txt", lambda s: s["unique"] <= 1),
    "1 MB of dots": (b"Title Of A Page\n" + b"." * MB, "feed.txt", lambda s: True),
    "1 MB of tabs": (b"\t" * MB, "feed.txt", lambda s: "empty file" in s["first"]),
    "thousands of stamp lines": (
        b"04.07.2024, 13:49 12\n" * 50_000,
        "feed.txt",
        lambda s: s["articles"] == 0,
    ),
    "impossible stamps": (
        (b"31.02.2024, 10:00 3\nA Title Here Now\n" + BODY.encode() + b"\n") * 5000,
        "feed.txt",
        lambda s: "impossible date" in s["first"],
    ),
    "deeply repeated titles": (_listing_of(6000), "feed.txt", lambda s: s["unique"] == 1),
    "only title lines": (
        b"Kazakhstan and Japan Hold Talks\n" * 30_000,
        "feed.txt",
        lambda s: s["articles"] == 0,
    ),
    "mixed encodings": (
        _mixed_encodings(),
        "feed.txt",
        lambda s: s["articles"] > 0 and "mixed encodings" in s["first"] and not s["garbled"],
    ),
    "alternating encodings line by line": (
        _alternating_encodings(),
        "feed.txt",
        lambda s: "mixed encodings" in s["first"] and s["unique"] == 1 and not s["garbled"],
    ),
    "1 MB line, one legacy byte at its end": (
        b"Talks In Astana\n" + b"ab " * (MB // 3) + b"caf\xe9\n",
        "feed.txt",
        lambda s: s["unique"] <= 1,
    ),
    "NUL bytes early": (b"\x00" + _listing_of(5000), "feed.txt", lambda s: "binary" in s["first"]),
    "NUL bytes late": (
        _listing_of(2500) + b"\x00" * 1000 + _listing_of(2500, "Another Title Here"),
        "feed.txt",
        lambda s: s["unique"] == 2,
    ),
    "truncated UTF-8 at end": (
        corpus_bytes("a_listing_1.txt") * 150 + "ә".encode()[:1],
        "feed.txt",
        lambda s: "truncated UTF-8" in s["first"] and s["articles"] > 0,
    ),
    "truncated UTF-8 mid-file": (_truncated_mid_file(), "feed.txt", lambda s: s["articles"] > 0),
    "deeply nested JSON": (
        _deep_json(),
        "feed.jsonl",
        lambda s: s["articles"] == 2 and s["rejected"] == 2,
    ),
    "dates at the ends of the calendar": (
        _extreme_dates(),
        "feed.jsonl",
        lambda s: s["articles"] == 7,
    ),
    "line of 404s": (b"Some page text here 404 " + b"404 " * (MB // 4), "feed.txt", lambda s: True),
    "CR-only line ends": (
        corpus_bytes("a_listing_1.txt").replace(b"\n", b"\r") * 150,
        "feed.txt",
        lambda s: s["unique"] == 8,  # as many as the LF original holds
    ),
    "random high bytes": (
        bytes(rng.randrange(128, 256) for _ in range(MB)),
        "feed.txt",
        lambda s: True,
    ),
    "random printable": (
        bytes(rng.choice(b"abc def\n.,:;0123456789ABC") for _ in range(MB)),
        "feed.txt",
        lambda s: True,
    ),
    "unterminated CSV quote": (
        b'title,published,text\nTalks,2024-01-01,"' + BODY.encode() * (MB // 160),
        "feed.csv",
        lambda s: True,
    ),
    "1 MB JSON string": (
        json.dumps({"title": "T t t", "published": "2024-01-01", "text": "x" * MB}).encode(),
        "feed.jsonl",
        lambda s: s["articles"] == 1,
    ),
    "UTF-16 feed": (  # a BOM on every repeat, as `cat` of UTF-16 files gives
        ("Kazakhstan and Japan Hold Talks\n" + BODY + "\n").encode("utf-16") * 3000,
        "feed.txt",
        lambda s: s["unique"] == 1 and s["warnings"] == 0 and not s["garbled"],
    ),
    "UTF-16 without BOM": (
        ("Kazakhstan and Japan Hold Talks\n" + BODY + "\n").encode("utf-16-le") * 3000,
        "feed.txt",
        lambda s: "UTF-16-LE without a byte-order mark" in s["first"],
    ),
    "UTF-32 feed": (
        ("Казахстан и Япония провели переговоры\n" + BODY + "\n").encode("utf-32") * 1000,
        "feed.txt",
        lambda s: s["unique"] == 1 and s["warnings"] == 0 and not s["garbled"],
    ),
}


def _summary(data: bytes, name: str) -> dict[str, object]:
    result = feeds.parse_bytes(data, name)
    check_result(result, name)
    unique, _ = feeds.dedupe(result.articles)
    return {
        "articles": len(result.articles),
        "unique": len(unique),
        "rejected": result.rejected,
        "warnings": len(result.warnings),
        "first": str(result.warnings[0]) if result.warnings else "",
        # mojibake of Cyrillic read in the wrong code page, or a BOM left in the text
        "garbled": any(
            _GARBLED.search(a.title) or _GARBLED.search(a.text[:100_000]) for a in result.articles
        ),
    }


_GARBLED = re.compile(  # U+FFFD or a BOM left in; UTF-8 read in a legacy code page
    "[\ufffd\ufeff]|вЂ|â€|Ã.|[РС][ЂЃ‚ѓ„…†‡€‰Љ‹ЊЌЋЏђ‘’“”•™љ›њќћџЎўЈ¤Ґ¦§©Є¬®Ї°±Ііґµ¶·№єјЅѕї]"
)


@pytest.mark.parametrize("case", list(CASES))
def test_named_hostile_input_is_handled_quickly(case):
    data, name, expect = CASES[case]
    out = bounded(_summary, data, name, timeout=30)
    assert not out.timed_out, f"{case}: no answer in 30 s (hang or blow-up)"
    assert out.ok, out.error
    mb = max(len(data) / MB, 0.05)
    assert out.cpu / mb < 3.0, f"{case}: {out.cpu:.2f} s CPU for {mb:.1f} MB"
    # 10× the input, plus the encoding detector's fixed ~10 MB on its 256 KB sample
    bound = 10 * len(data) + 32 * MB
    assert out.rss_growth < bound, f"{case}: {out.rss_growth / MB:.0f} MB RSS"
    s = out.value
    assert expect(s), (case, s)


def test_calendar_edges_reach_the_store(tmp_store):
    """Stamps in year 1 and year 9999 (a KZ time with no UTC instant) are stored, not fatal."""
    data = (
        f"01.01.0001, 02:00 5\nTalks At The Start Of Time\n{BODY}\n"
        f"31.12.9999, 23:59 7\nTalks At The End Of Time\n{BODY}\n"
    ).encode()
    report = pipeline.ingest_uploads([("edges.txt", data)], tmp_store)
    assert report.new == 2 and report.written
    frame = store.read_articles(tmp_store).sort_values("date")
    assert [d.year for d in frame["date"]] == [1, 9999]
    assert frame["datetime"].isna().tolist() == [True, False]
    assert store.read_meta(tmp_store)["first_date"] == "0001-01-01"


# --------------------------------------------------------------------------- the file system


def _warned(warnings: list[feeds.FeedWarning]) -> str:
    return "\n".join(map(str, warnings))


def test_symlink_loop_is_walked_once(tmp_path):
    root = tmp_path / "feeds"
    (root / "a" / "b").mkdir(parents=True)
    (root / "a" / "b" / "p.txt").write_bytes(corpus_bytes("a_page_01.txt"))
    (root / "a" / "b" / "up").symlink_to(root, target_is_directory=True)
    (root / "a" / "self").symlink_to(root / "a", target_is_directory=True)
    out = bounded(feeds.discover, [root], timeout=10)
    assert out.ok, out.error or "discover did not return in 10 s"
    files, warnings = out.value
    assert files == [root / "a" / "b" / "p.txt"]
    assert _warned(warnings).count("symlink loop") == 2


def test_special_files_are_skipped_not_read(tmp_path):
    """A FIFO would block open() forever; /dev/zero would be read forever."""
    root = tmp_path / "feeds"
    root.mkdir()
    os.mkfifo(root / "pipe.txt")
    (root / "zero.txt").symlink_to("/dev/zero")
    (root / "self.txt").symlink_to(root / "self.txt")
    (root / "gone.txt").symlink_to(tmp_path / "missing.txt")
    (root / "page.txt").write_bytes(corpus_bytes("a_page_01.txt"))

    def parse_all() -> list[tuple[str, int, list[str]]]:
        files, _ = feeds.discover([root])
        results = [(p.name, feeds.parse_file(p, p.name)) for p in files]
        return [(n, len(r.articles), [str(w) for w in r.warnings]) for n, r in results]

    out = bounded(parse_all, timeout=20)
    assert not out.timed_out, "a special file hung the parser"
    assert out.ok, out.error
    got = {name: (n, warnings) for name, n, warnings in out.value}
    assert got["pipe.txt"] == (0, ["pipe.txt: not a regular file, skipped"])
    assert got["zero.txt"] == (0, ["zero.txt: not a regular file, skipped"])
    assert got["self.txt"] == (0, ["self.txt: cannot read (Too many levels of symbolic links)"])
    assert got["gone.txt"] == (0, ["gone.txt: cannot read (No such file or directory)"])
    assert got["page.txt"][0] == 1


def _unreadable_tree(base: Path, chmod: bool) -> Path:
    """A world-readable folder holding one good page, one chmod-000 file and folder."""
    base.chmod(0o755)
    root = base / "feeds"
    (root / "locked").mkdir(parents=True)
    (root / "locked" / "inside.txt").write_bytes(corpus_bytes("a_page_02.txt"))
    (root / "good.txt").write_bytes(corpus_bytes("a_page_01.txt"))
    (root / "secret.txt").write_bytes(corpus_bytes("a_page_03.txt"))
    for p in (root, root / "good.txt"):
        p.chmod(0o755)
    if chmod:
        (root / "secret.txt").chmod(0)
        (root / "locked").chmod(0)
    return root


@pytest.mark.parametrize("how", ["simulated", "as nobody"])
def test_unreadable_file_and_folder_are_warnings(tmp_store, deny_access, how):
    """ "as nobody": real chmod 000, read without privileges (as root: seteuid to nobody,
    skipped where that is not allowed). "simulated": the reader's own calls (``os.open``,
    ``os.scandir``) fail with EACCES on those two paths, so the path runs as root too."""
    base = Path(tempfile.mkdtemp(prefix="diplodash-perm-"))  # /tmp, reachable as nobody
    try:
        root = _unreadable_tree(base, chmod=how == "as nobody")
        if how == "simulated":
            with deny_access("secret.txt", "locked"):
                results = list(pipeline.parse_paths([root], progress=False))
        else:
            with unprivileged() as dropped:
                if not dropped:
                    pytest.skip("cannot drop privileges (the simulated case still runs)")
                results = list(pipeline.parse_paths([root], progress=False))
        report = pipeline.ingest_results(results, tmp_store)
    finally:
        for p in (base / "feeds" / "locked", base / "feeds" / "secret.txt"):
            p.chmod(0o755)
        shutil.rmtree(base)
    text = _warned(report.warnings)
    assert f"{root / 'secret.txt'}: cannot read (Permission denied)" in text
    assert f"{root / 'locked'}: cannot list folder (Permission denied)" in text
    assert report.ok and report.new == 1 and report.files_read == 1 and report.files_seen == 2


def test_cli_on_a_hostile_folder_warns_and_ingests_the_rest(tmp_path, tmp_store):
    """Everything above at once, through `diplodash ingest`: exit 0, no traceback."""
    root = tmp_path / "feeds"
    (root / "sub").mkdir(parents=True)
    (root / "sub" / "loop").symlink_to(root, target_is_directory=True)
    os.mkfifo(root / "pipe.txt")
    (root / "zero.txt").symlink_to("/dev/zero")
    (root / "self.txt").symlink_to(root / "self.txt")
    (root / "nul.txt").write_bytes(b"\x00\x01\x02" * 1000)
    (root / "empty.jsonl").write_bytes(b"")
    (root / "deep.jsonl").write_bytes(_deep_json())
    (root / "dates.jsonl").write_bytes(_extreme_dates())
    (root / "cut.txt").write_bytes(corpus_bytes("b_listing_1.txt") + "ә".encode()[:1])
    (root / "good.txt").write_bytes(corpus_bytes("a_page_01.txt"))
    run = subprocess.run(
        ingest_cmd([root], tmp_store), cwd=REPO, capture_output=True, text=True, timeout=120
    )
    assert run.returncode == 0, run.stderr
    assert "Traceback" not in run.stderr
    for needle in [
        "symlink loop",
        "pipe.txt: not a regular file",
        "zero.txt: not a regular file",
        "self.txt: cannot read",
        "nul.txt: binary content",
        "empty.jsonl: empty file",
        "deep.jsonl:2: JSON nested too deeply",
        "cut.txt",
    ]:
        assert needle in run.stderr, needle
    frame = store.read_articles(tmp_store)
    assert len(frame) > 10 and frame["id"].is_unique


# --------------------------------------------------------------------------- linear and bounded


def _parse_cost(data: bytes, name: str) -> int:
    return len(feeds.parse_bytes(data, name).articles)


@pytest.mark.parametrize("kind", ["listing", "page", "jsonl", "csv"])
def test_parse_time_is_linear_and_memory_bounded(kind):
    """1 MB vs 8 MB of the same feed: CPU per MB within 3×, peak RSS under 10× the input
    (the input's own bytes excluded: the parent holds them; see test_scale for totals)."""
    head, body, suffix = feed_chunk(kind)
    costs = {}
    for size in (MB, 8 * MB):
        data = repeat_to(body, size, head)
        runs = [bounded(_parse_cost, data, "feed" + suffix, timeout=60)]
        if size == MB or runs[0].cpu / 8 > 2 * costs[MB][0]:
            runs.append(bounded(_parse_cost, data, "feed" + suffix, timeout=60))  # noise?
        assert all(r.ok for r in runs), [r.error or "timeout" for r in runs]
        best = min(runs, key=lambda r: r.cpu)
        costs[size] = (best.cpu / (len(data) / MB), min(r.rss_growth for r in runs) / len(data))
    (small, _), (large, memory) = costs[MB], costs[8 * MB]
    assert large <= 3 * max(small, 0.005), f"{kind}: {small:.3f} s/MB at 1 MB, {large:.3f} at 8"
    assert memory < 10, f"{kind}: peak RSS grew {memory:.1f}× the input"
