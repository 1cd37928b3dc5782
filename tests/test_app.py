"""The dashboard's logic without a browser (Streamlit AppTest): filters and URL state,
every download against the analysis layer and the CLI, empty states, hostile titles.

One store per module, built from the bundled feeds plus three hostile articles through
the real ingest pipeline, in a temporary folder.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest
import streamlit.testing.v1.app_test as app_test_module
from streamlit.proto.Metric_pb2 import Metric
from streamlit.runtime.memory_media_file_storage import MemoryMediaFileStorage
from streamlit.testing.v1 import AppTest

from analysis import pipeline
from analysis.aggregate import (
    Data,
    Filter,
    by_country,
    by_date,
    by_event_type,
    by_format,
    by_grouping,
    by_organisation,
    by_region,
    by_topic,
    kpis,
    load,
    totals,
)
from analysis.exports import download_name, to_csv
from dashboard import charts, evidence, nav, ui
from dashboard.views import articles, upload

REPO = Path(__file__).resolve().parents[1]
APP = str(REPO / "dashboard" / "app.py")
HOSTILE = [
    ("<script>alert('x')</script> Kazakhstan and Russia Hold Talks in Moscow", "2025-03-03"),
    (
        "[Click here](javascript:alert(1)) Kazakh Foreign Minister Meets Ambassador of Japan",
        "2025-03-04",
    ),
    ('=HYPERLINK("http://evil.example") **Kazakhstan** and France Sign Agreement', "2025-03-05"),
]
BODY = (
    "Foreign Minister of Kazakhstan held talks with his counterpart on trade, investment "
    "and transport cooperation. <img src=x onerror=alert(1)> The sides signed a memorandum "
    "and agreed to expand cooperation in energy and digitalisation."
)
RANGE = {"dates": ["2018-01-01", "2025-12-31"]}
RANGE_FILTER = {"start": "2018-01-01", "end": "2025-12-31"}


# -- fixtures --------------------------------------------------------------------------


class _Storage(MemoryMediaFileStorage):
    """Remembers the media storage of the last AppTest run, to read download bytes."""

    last: MemoryMediaFileStorage | None = None

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        type(self).last = self


@pytest.fixture(scope="module")
def store_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    store = tmp_path_factory.mktemp("store")
    pipeline.ingest([REPO / "data" / "raw"], store, progress=False)
    hostile = "\n".join(
        json.dumps({"title": title, "published": day, "text": BODY}) for title, day in HOSTILE
    )
    report = pipeline.ingest_uploads([("hostile.jsonl", hostile.encode())], store)
    assert report.new == len(HOSTILE)
    return store


@pytest.fixture(scope="module")
def data(store_dir: Path) -> Data:
    return load(store_dir)


@pytest.fixture()
def run(store_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Callable[..., AppTest]:
    """``run(view=..., country=[...])``: the app run once with that URL."""
    return runner(store_dir, tmp_path, monkeypatch)


def runner(
    store_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Callable[..., AppTest]:
    """The app on ``store_dir``, run once per call with the URL given as keywords."""
    monkeypatch.setenv("DIPLODASH_STORE", str(store_dir))
    monkeypatch.setenv("DIPLODASH_ACCURACY", str(tmp_path / "no-accuracy.json"))
    monkeypatch.setattr(app_test_module, "MemoryMediaFileStorage", _Storage)

    def _run(**query: str | list[str]) -> AppTest:
        at = AppTest.from_file(APP, default_timeout=60)
        at.query_params.update(query)
        at.run()
        assert not at.exception, [e.message for e in at.exception]
        return at

    return _run


def downloads(at: AppTest) -> dict[str, tuple[str, bytes]]:
    """Every download button of the run: key -> (file name, bytes)."""
    found = {}
    for button in at.get("download_button"):
        assert button.proto.ignore_rerun  # downloading never reruns (resets) the page
        file_id = button.proto.url.rsplit("/", 1)[-1].split(".")[0]
        stored = _Storage.last.get_file(file_id)
        found[button.key] = (stored.filename, stored.content)
    return found


def cli(store: Path, runs: dict[str, list[str]]) -> dict[str, bytes]:
    """`diplodash aggregate ARGS --output F` for each named run, all at once (2 cores)."""
    command = [str(Path(sys.executable).with_name("diplodash")), "aggregate", "--store", str(store)]
    outputs = {name: store.parent / f"cli-{name}.csv" for name in runs}
    started = [
        subprocess.Popen([*command, *args, "--output", str(outputs[name])], cwd=REPO)
        for name, args in runs.items()
    ]
    assert [proc.wait(timeout=60) for proc in started] == [0] * len(started)
    return {name: path.read_bytes() for name, path in outputs.items()}


def csv_of(
    frame: pd.DataFrame, chart: str, span: tuple[object, object], tag: str = ""
) -> tuple[str, bytes]:
    return download_name(chart, *span, "csv", tag), to_csv(frame)


# -- filters, KPIs and the URL ----------------------------------------------------------


def test_default_view_shows_whole_store(run, data: Data) -> None:
    at = run()
    expected = kpis(data, Filter()).set_index("metric")["value"]
    values = {m.label: m.value for m in at.metric}
    assert values["Engagements"] == f"{expected['engagements']:,}"
    assert values["Articles"] == f"{expected['articles']:,}"
    assert values["Partner countries"] == f"{expected['countries']:,}"
    assert at.date_input(key="dates").value == data.span
    total = len(data.articles)
    assert at.caption[0].value.startswith(f"{total:,} of {total:,} articles in the selection")
    assert [t.label for t in at.tabs] == list(nav.TABS)
    chart = at.get("plotly_chart")[0].proto
    spec, config = json.loads(chart.spec), json.loads(chart.config)
    assert config["topojsonURL"] == "app/static/topojson/"  # served locally, no CDN
    geo = spec["layout"]["geo"]
    assert geo["resolution"] == charts.MAP_RESOLUTION == 110 and geo["fitbounds"] is False
    stem = download_name("events-by-country-map", *data.span, "csv").removesuffix(".csv")
    assert config["toImageButtonOptions"] == {"format": "png", "filename": stem, "scale": 2}
    kinds = [(trace["type"], trace.get("mode")) for trace in spec["data"]]
    assert kinds.count(("scattergeo", "lines")) == 0 and ("scattergeo", "markers") in kinds
    at.toggle(key="lines").set_value(True).run()
    traces = json.loads(at.get("plotly_chart")[0].proto.spec)["data"]
    assert any(t.get("mode") == "lines" for t in traces)  # lines from Astana, on request
    at.radio(key="image-format").set_value("svg").run()
    config = json.loads(at.get("plotly_chart")[0].proto.config)
    assert config["toImageButtonOptions"]["format"] == "svg"  # the toolbar's camera saves SVG


def test_map_draws_every_partner_as_a_shape_or_a_dot(run, data: Data) -> None:
    """The 110m map has no shape for small states (Bahrain, Mauritius, Holy See in the
    sample): they are dots on their capitals, coloured on the same scale."""
    traces = json.loads(run().get("plotly_chart")[0].proto.spec)["data"]
    shapes = traces[0]["locations"]
    dots = [t for t in traces if t["type"] == "scattergeo" and t.get("customdata")]
    assert len(dots) == 1 and dots[0]["marker"]["coloraxis"] == "coloraxis"
    dotted = [row[0] for row in dots[0]["customdata"]]
    partners = [c for c in by_country(data)["iso3"] if c != charts.HOME_ISO3]
    drawable = [c for c in partners if c in charts.map_shapes() or c in charts._capitals()]
    assert sorted(shapes + dotted) == sorted(drawable) and not set(shapes) & set(dotted)
    assert {"BHR", "MUS", "VAT"} <= set(dotted)


def _partners(rows: list[tuple[str, int]]) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=["iso3", "engagements"])
    total = max(1, frame["engagements"].sum())
    return frame.assign(
        name=frame["iso3"], share_pct=100 * frame["engagements"] / total, top_topics="Energy"
    )


@pytest.mark.parametrize(
    ("rows", "top"),
    [([("CHN", 3)], 3), ([("SGP", 5)], 5), ([("CHN", 2), ("SGP", 7), ("KAZ", 40)], 7), ([], 1)],
)
def test_map_colour_scale_runs_from_zero_to_the_largest_count(rows, top: int) -> None:
    """Both ends are set: with ``zmin`` alone plotly ignored it, and one partner got a
    colour bar spanning a sliver around its own count. Home (KAZ) is not on the scale."""
    fig = charts.world_map(_partners(rows), "map")
    scale = fig.layout.coloraxis
    assert (scale.cmin, scale.cmax) == (0, top)
    assert fig.data[0].coloraxis == "coloraxis"  # shapes and dots share the scale


def test_kpi_deltas_say_na_and_what_they_compare_with(run, data: Data) -> None:
    """The whole store's range has no earlier data: every delta is a grey, arrowless
    "n/a", and the row says which range it would compare with."""
    at = run()
    for metric in at.metric:
        assert metric.proto.delta == "n/a"
        assert metric.proto.color == Metric.MetricColor.GRAY
        assert metric.proto.direction == Metric.MetricDirection.NONE
    assert any("changes vs 20" in c.value and "(no articles then)" in c.value for c in at.caption)
    at = run(**RANGE)
    deltas = {m.label: m.proto for m in at.metric}
    assert deltas["Engagements"].delta.startswith("+")
    assert deltas["Engagements"].color == Metric.MetricColor.GREEN


def test_url_sets_filters_and_kpis(run, data: Data) -> None:
    at = run(**RANGE, country=["Russia", "China"], topic=["Security & peace"])
    assert at.date_input(key="dates").value == (dt.date(2018, 1, 1), dt.date(2025, 12, 31))
    assert set(at.multiselect(key="country").value) == {"CHN", "RUS"}
    assert at.multiselect(key="topic").value == ["security"]
    selection = Filter(**RANGE_FILTER, countries=["RUS", "CHN"], topics=["security"])
    expected = kpis(data, selection).set_index("metric")["value"]
    assert {m.label: m.value for m in at.metric}["Engagements"] == f"{expected['engagements']:,}"


def test_language_filter_from_the_url(run, data: Data) -> None:
    at = run(**RANGE, lang=["English"])
    assert at.multiselect(key="lang").value == ["en"]
    selection = Filter(**RANGE_FILTER, languages=["en"])
    expected = kpis(data, selection).set_index("metric")["value"]
    assert {m.label: m.value for m in at.metric}["Engagements"] == f"{expected['engagements']:,}"


def test_article_count_needs_no_article_table(data: Data) -> None:
    """The caption and the empty checks count rows from the filter's mask instead of
    building the filtered article table (every column, texts included) only to count it
    (10 ms per count on the synthetic 100,000-article store, more with long texts)."""
    for selection in (Filter(), Filter(**RANGE_FILTER, countries=["CHN"]), Filter(text="zzzq")):
        view = selection.apply(data)
        count = view.n_articles
        assert "articles" not in vars(view)  # the cached table was not built
        assert count == len(view.articles)


def test_bad_url_values_are_ignored(run, data: Data) -> None:
    at = run(
        dates=["garbage", "2020-13-45"],
        country=["Atlantis"],
        region=["Mordor"],
        view="Nowhere",
        step="Fortnight",
        measure="",
        lines="maybe",
        q="x" * 500,
        partner="XXX",
        article="../../etc/passwd",
    )
    assert at.date_input(key="dates").value == data.span
    assert at.multiselect(key="country").value == []
    assert at.tabs[0].label == "Overview"
    at = run(dates=["2001-01-01", "2020-06-30"], view="Country profile", partner="XXX")
    assert at.date_input(key="dates").value == (data.span[0], dt.date(2020, 6, 30))  # clamped
    assert at.selectbox(key="partner").value is None
    assert any("Choose a partner country" in i.value for i in at.info)


def test_clear_filters_resets_everything(run, data: Data) -> None:
    at = run(**RANGE, topic=["Energy"], q="Astana")
    at.button(key="clear-filters").click().run()
    assert at.date_input(key="dates").value == data.span
    assert at.multiselect(key="topic").value == []
    assert at.text_input(key="q").value == ""


def test_search_narrows_the_articles(run, data: Data) -> None:
    at = run(view="Articles", q="Middle Corridor")
    expected = len(Filter(text="Middle Corridor").apply(data).articles)
    assert {m.label: m.value for m in at.metric}["Articles"] == f"{expected:,}"


# -- downloads: the data behind each chart ------------------------------------------------


def test_countries_and_topics_downloads_equal_the_cli(run, data: Data, store_dir: Path) -> None:
    cli_args = ["--from", "2018-01-01", "--to", "2025-12-31", "--topic", "energy"]
    got = downloads(run(view="Countries & regions", **RANGE, topic=["Energy"]))
    got |= downloads(run(view="Topics", **RANGE, topic=["Energy"]))
    got |= downloads(run(view="Trends", **RANGE, topic=["Energy"], step="Quarter"))
    runs = {  # three CLI runs cost ~3 s on two cores; the other frames are compared below
        "dl-events-by-country": ["--by", "country"],
        "dl-topic-by-region": ["--by", "topic_region"],
        "dl-events-per-quarter-by-topic": ["--by", "topic_period", "--freq", "quarter"],
    }
    expected = cli(store_dir, {key: [*args, *cli_args] for key, args in runs.items()})
    for key, output in expected.items():
        assert got[key][1] == output, key
    view = Filter(**RANGE_FILTER, topics=["energy"]).apply(data)
    span = (dt.date(2018, 1, 1), dt.date(2025, 12, 31))
    tag = "topic-energy"  # every active filter is in the file name, not only the dates
    assert got["dl-events-by-country"][0] == download_name("events-by-country", *span, "csv", tag)
    assert got["dl-events-by-region"] == csv_of(by_region(view), "events-by-region", span, tag)
    assert got["dl-events-by-topic"] == csv_of(by_topic(view), "events-by-topic", span, tag)
    assert got["dl-events-by-grouping"] == csv_of(
        by_grouping(view), "events-by-grouping", span, tag
    )
    assert got["dl-events-by-organisation"] == csv_of(
        by_organisation(view), "events-by-organisation", span, tag
    )
    assert got["dl-events-by-event-type"] == csv_of(
        by_event_type(view), "events-by-event-type", span, tag
    )


def test_overview_and_profile_downloads(run, data: Data) -> None:
    span = data.span
    got = downloads(run())
    countries = by_country(data)
    share = (100 * countries["engagements"] / countries["engagements"].sum()).round(2)
    assert got["dl-events-by-country-map"] == csv_of(
        countries.assign(share_pct=share), "events-by-country-map", span
    )
    assert got["dl-events-per-quarter"] == csv_of(
        by_date(data, "quarter"), "events-per-quarter", span
    )
    got = downloads(run(view="Country profile", partner="CHN"))
    china = Filter(start=span[0], end=span[1], countries=["CHN"]).apply(data)
    # few engagements: a time line of the articles instead of a near-empty axis
    assert got["dl-chn-timeline"] == csv_of(
        articles.timeline_rows(china.articles), "CHN timeline", span, "country-chn"
    )
    assert len(china.engagements) < ui.SMALL_SAMPLE
    assert got["dl-chn-events-by-topic"][1] == to_csv(by_topic(china))
    assert got["dl-chn-events-by-event-type"][1] == to_csv(by_event_type(china))
    assert got["dl-chn-articles"][1] == to_csv(china.articles.reset_index(drop=True))
    actors = pd.read_csv(io.BytesIO(got["dl-chn-events-by-actor-level"][1]))
    assert actors["articles"].sum() == len(china.articles)  # one level per article
    for level, count in zip(actors["kz_actor_level"], actors["articles"], strict=True):
        assert count == (china.articles["kz_actor_level"] == level).sum()


@pytest.mark.parametrize("count", ["Events", "Articles", "Engagements"])
def test_small_sample_caption_counts_what_the_charts_count(run, data: Data, count: str) -> None:
    span = data.span
    china = Filter(start=span[0], end=span[1], countries=["CHN"]).apply(data)
    n = china.count(count.lower())
    assert 0 < n < ui.SMALL_SAMPLE
    at = run(view="Country profile", partner="CHN", count=count)
    noun = count.lower() if n != 1 else count.lower()[:-1]
    captions = [c.value for c in at.caption if "rests on" in c.value]
    assert captions and all(c.startswith(f"This chart rests on {n} {noun}:") for c in captions)


def test_view_counts_each_measure_as_its_aggregates_do(data: Data) -> None:
    kpis_ = kpis(data).set_index("metric")["value"]
    for measure in ("articles", "engagements", "events"):
        assert data.count(measure) == kpis_[measure]
    with pytest.raises(ValueError, match="measure must be"):
        data.count("meetings")


def test_trend_share_by_region(run, data: Data) -> None:
    chosen = {"stack": "Region", "measure": "Shares", "step": "Year", "count": "Engagements"}
    got = downloads(run(view="Trends", **chosen))
    key = "dl-share-of-engagements-with-partner-countries-per-year-by-region"
    frame = pd.read_csv(io.BytesIO(got[key][1]))
    sums = frame.groupby("period")["share_pct"].sum()
    assert ((sums - 100).abs() < 0.1).sum() == (sums > 0).sum()  # each non-empty year: 100%
    years = frame.groupby("period")["engagements"].sum().sum()
    assert years == len(data.engagements[data.engagements["partner_kind"] == "country"])


def test_articles_and_engagements_downloads(run, data: Data) -> None:
    got = downloads(run(view="Articles", **RANGE))
    view = Filter(**RANGE_FILTER).apply(data)
    assert got["dl-articles"][1] == to_csv(view.articles.reset_index(drop=True))
    assert got["dl-engagements"][1] == to_csv(view.engagements.drop(columns="article"))
    assert got["dl-articles"][0] == "articles_2018-01-01_2025-12-31.csv"


# -- empty states and hostile text --------------------------------------------------------


@pytest.mark.parametrize(
    "view", ["Overview", "Trends", "Countries & regions", "Topics", "Articles"]
)
def test_no_match_shows_empty_state(run, view: str) -> None:
    at = run(view=view, q="no article says this 9f8e7d")
    assert [i.value for i in at.info] == [ui.EMPTY]
    assert not at.get("plotly_chart")
    assert {m.label: m.value for m in at.metric}["Engagements"] == "0"


def test_missing_store_explains_how_to_build_it(run, monkeypatch, tmp_path: Path) -> None:
    monkeypatch.setenv("DIPLODASH_STORE", str(tmp_path / "nothing-here"))
    at = run()
    assert "diplodash ingest data/raw --store" in at.code[0].value
    assert at.button(key="ingest").disabled  # the upload is offered, nothing chosen yet


@pytest.mark.parametrize("title", [title for title, _ in HOSTILE])
def test_hostile_titles_are_inert(run, data: Data, title: str) -> None:
    article = data.articles[data.articles["title"] == title].iloc[0]
    at = run(view="Articles", article=article["id"])
    card = at.get("html")[0].proto.body
    assert "<script" not in card and "<img" not in card
    assert "&lt;script&gt;" in card or "&lt;img" in card
    for block in [*at.markdown, *at.caption, *at.info]:
        assert "javascript:" not in block.value and "<script" not in block.value
    assert at.selectbox(key="article").value == article["id"]
    rows = downloads(at)["dl-articles"][1].decode("utf-8-sig")
    assert "'=HYPERLINK" in rows or not title.startswith("=")  # formula-injection safe


def test_evidence_highlight_escapes_and_handles_overlaps() -> None:
    spans = [
        evidence.Span("partner_countries", "RUS", "Russia", 4, 10),
        evidence.Span("topics", "security", "Russia talks", 4, 16),
        evidence.Span("topics", "bad", "x", 50, 99),  # outside the text: ignored
    ]
    html = evidence.highlight("<b> Russia talks & more", spans)
    assert html.startswith("&lt;b&gt; <mark")
    assert html.count("<mark") == 2  # "Russia" (two fields) and " talks"
    assert "Partner country: RUS (); Topic: security ()" in html
    assert html.endswith(" &amp; more")
    assert evidence.parse("not json") == [] and evidence.parse('[{"field": 1}]') == []


# -- add data and about ---------------------------------------------------------------


def test_upload_checks_type_and_size_then_ingests(store_dir: Path, tmp_path: Path) -> None:
    store = tmp_path / "copy"
    shutil.copytree(store_dir, store)
    assert upload.problem("feed.exe", 10) and upload.problem("big.csv", 51 * 2**20)
    line = json.dumps(
        {"title": "Kazakhstan and Chile Discuss Lithium", "published": "2025-01-09", "text": BODY}
    )
    outcome = upload.ingest([("../../etc/evil.jsonl", line.encode()), ("x.exe", b"MZ")], store)
    assert outcome.report.new == 1 and len(outcome.refused) == 1
    stored = load(store).articles
    assert "evil.jsonl" in set(stored[stored["title"].str.contains("Chile")]["source_file"])


def test_full_range_follows_a_growing_store(run, store_dir, tmp_path, monkeypatch) -> None:
    """An upload that adds a later article widens a full range, so the article shows."""
    store = tmp_path / "growing"
    shutil.copytree(store_dir, store)
    monkeypatch.setenv("DIPLODASH_STORE", str(store))
    at = run()
    first, last = at.date_input(key="dates").value
    later = (last + dt.timedelta(days=30)).isoformat()
    line = json.dumps(
        {"title": "Kazakhstan and Chile Discuss Lithium", "published": later, "text": BODY}
    )
    assert upload.ingest([("later.jsonl", line.encode())], store).report.new == 1
    at.run()
    assert at.date_input(key="dates").value == (first, dt.date.fromisoformat(later))


def test_add_data_view_renders(run) -> None:
    at = run(view="Add data")
    assert at.button(key="ingest").disabled


def test_about_shows_accuracy_or_not_measured(run, monkeypatch, tmp_path: Path) -> None:
    at = run(view="About the data")
    assert any("Not measured" in m.value for m in at.markdown)
    scores = tmp_path / "accuracy.json"
    scores.write_text(json.dumps({"partner_countries": {"f1": 0.912}, "articles": 129}))
    monkeypatch.setenv("DIPLODASH_ACCURACY", str(scores))
    at = run(view="About the data")
    table = at.dataframe[-1].value
    assert dict(zip(table["measure"], table["Measured"], strict=True)) == {
        "gold articles": "129",
        "partner_countries (F1)": "0.912",
    }


def test_about_shows_real_pages_beside_the_development_sample(run, monkeypatch) -> None:
    """The published file: every section a column, the dev sample's and the real pages'
    scores of one field on one row (whatever each scorer calls it), a sentence each."""
    monkeypatch.setenv("DIPLODASH_ACCURACY", str(REPO / "docs" / "accuracy.json"))
    published = json.loads((REPO / "docs" / "accuracy.json").read_text(encoding="utf-8"))
    names = [section["name"] for section in published["sections"]]
    at = run(view="About the data")
    table = at.dataframe[-1].value.set_index("measure")
    assert list(table.columns) == names and len(names) >= 2
    real = next(s for s in published["sections"] if s["id"] == "real_en")
    dev = next(s for s in published["sections"] if s["id"] == "development")
    row = table.loc["partner_countries (F1)"]
    assert row[real["name"]] == f"{real['scores']['partner_countries']['f1']:.3f}"
    assert row[dev["name"]] == f"{dev['scores']['partner_countries']['f1']:.3f}"
    assert table.loc["date (accuracy)", real["name"]] == f"{real['scores']['date_acc']:.3f}"
    captions = [c.value for c in at.caption]
    for section in published["sections"]:
        assert any(section["about"] in c for c in captions), section["id"]


# -- the three measures: app, CLI and the Python API give the same numbers ----------------

REPORTS = REPO / "tests" / "data" / "events" / "reports.jsonl"


@pytest.fixture(scope="module")
def copies_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The labelled report groups: one event reported up to four times, in two languages."""
    store = tmp_path_factory.mktemp("copies")
    pipeline.ingest([REPORTS], store, progress=False)
    return store


@pytest.mark.parametrize("measure", ["Events", "Articles", "Engagements"])
def test_app_cli_and_api_count_the_same_measure(
    measure: str, copies_store: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    counted = measure.lower()
    at = runner(copies_store, tmp_path, monkeypatch)(view="Countries & regions", count=measure)
    data = load(copies_store)
    api = by_country(data, measure=counted)
    assert {m.label: m.value for m in at.metric}[measure] == f"{totals(data)[counted]:,}"
    got = downloads(at)[f"dl-{counted}-by-country"][1]
    printed = cli(copies_store, {"country": ["--by", "country", "--measure", counted]})
    assert got == printed["country"] == to_csv(api)
    events, articles = totals(data)["events"], totals(data)["articles"]
    assert events < articles  # the copies count once as events
    title = at.get("plotly_chart")[0].proto.spec
    assert f"Partner countries by {counted}" in title


def test_bilateral_only_ranking_and_format_breakdown(
    copies_store: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    run_copies = runner(copies_store, tmp_path, monkeypatch)
    at = run_copies(view="Countries & regions", **{"ranking-bilateral": "true"})
    data = load(copies_store)
    bilateral = by_country(Filter(formats=["bilateral"]).apply(data))
    assert downloads(at)["dl-events-by-country-bilateral"][1] == to_csv(bilateral)
    assert "PAK" not in set(bilateral["iso3"])  # only at the summit: multilateral
    at = run_copies(view="Topics", format="Multilateral")
    multilateral = Filter(formats=["multilateral"]).apply(data)
    assert downloads(at)["dl-events-by-format"][1] == to_csv(by_format(multilateral))
    assert {m.label: m.value for m in at.metric}["Events"] == str(totals(multilateral)["events"])


def test_event_card_lists_every_report_of_the_event(
    copies_store: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = load(copies_store)
    reports = data.articles[data.articles["url"].str.contains("fm-secretary-of-state|blinken")]
    first = reports.sort_values(["date", "id"]).iloc[0]
    at = runner(copies_store, tmp_path, monkeypatch)(view="Articles", article=first["id"])
    tables = [t for t in at.dataframe if "language" in t.value.columns]
    assert len(tables) == 1
    shown = tables[0].value
    same = data.articles.loc[data.articles["event_id"] == first["event_id"], "id"]
    assert sorted(shown["id"]) == sorted(same) and len(same) >= 3
    assert set(shown["language"]) == {"English", "Russian"}  # the Russian release joins
    assert shown["url"].str.startswith("https://").all()
    facts = {
        row["Field"]: row["Value"]
        for t in at.dataframe
        if "Field" in t.value.columns
        for row in t.value.to_dict("records")
    }
    assert facts["Date"].startswith("2024-12-02") and facts["Partners"] == "USA"


def test_the_event_window_is_set_in_the_sidebar_and_kept_in_the_url(
    copies_store: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    run_copies = runner(copies_store, tmp_path, monkeypatch)
    same_day = totals(load(copies_store, window=0))["events"]
    assert same_day > totals(load(copies_store))["events"]  # next-day reports split off
    at = run_copies(window="0")
    assert at.slider(key="window").value == 0
    assert {m.label: m.value for m in at.metric}["Events"] == str(same_day)
    assert {m.label: m.value for m in run_copies().metric}["Events"] == str(
        totals(load(copies_store))["events"]
    )
