"""The dashboard in a real browser (system Chromium): offline map, URL state, downloads,
map click to profile, evidence card, upload. Each main view is saved to
docs/screenshots/. Expected numbers come from the analysis layer on the same store.

The upload test changes the store, so it stays last in this module.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import pytest

from analysis.aggregate import Filter, by_country, kpis, load
from analysis.exports import download_name, to_csv
from dashboard import charts

expect = pytest.importorskip("playwright.sync_api").expect
pytestmark = pytest.mark.e2e  # skipped by the browser fixture when chromium is missing


def _engagements(store: Path, selection: Filter) -> str:
    table = kpis(load(store), selection).set_index("metric")
    return f"{int(table.loc['engagements', 'value']):,}"


def test_overview_draws_the_map_offline(dash) -> None:
    page = dash.open()
    shapes = page.locator('[data-testid="stPlotlyChart"] .choroplethlocation')
    expect(shapes.first).to_be_attached()
    assert shapes.count() > 20  # partner countries plus Kazakhstan
    expect(dash.metric("Engagements")).to_have_text(_engagements(dash.store, Filter()))
    dash.screenshot("overview")
    dash.assert_clean()


def test_date_range_changes_kpis_charts_and_url(dash) -> None:
    page = dash.open("view=Trends")
    title = page.locator('[data-testid="stPlotlyChart"] .gtitle').first
    expect(title).to_contain_text("per quarter")
    page.get_by_role("spinbutton", name="year, Date range start date").click()
    page.keyboard.type("2024")
    page.keyboard.press("Escape")  # commits the date and reruns (see stack notes)
    span_end = load(dash.store).span[1]
    start = dt.date(2024, 7, 1)
    expect(dash.metric("Engagements")).to_have_text(
        _engagements(dash.store, Filter(start=start, end=span_end))
    )
    expect(title).to_contain_text("per month")  # a shorter range picks a finer step
    dash.wait()
    assert f"dates={start}" in page.url
    dash.screenshot("trends")
    dash.assert_clean()


def test_the_measure_switch_recounts_every_chart_and_stays_in_the_url(dash) -> None:
    """Events by default; Articles in the sidebar retitles the map and the trend, and a
    link with ?count=Engagements opens on engagements."""
    page = dash.open()
    titles = page.locator('[data-testid="stPlotlyChart"] .gtitle')
    expect(titles.first).to_contain_text("Events per partner country")
    page.get_by_test_id("stSidebar").get_by_text("Articles", exact=True).click()
    expect(titles.first).to_contain_text("Articles per partner country")
    expect(titles.nth(1)).to_contain_text("Articles per")
    dash.wait()
    assert "count=Articles" in page.url
    page = dash.open("count=Engagements")
    expect(titles.first).to_contain_text("Engagements per partner country")
    expect(dash.metric("Engagements")).to_have_text(_engagements(dash.store, Filter()))
    dash.assert_clean()


def test_what_changed_on_the_sample(dash) -> None:
    """The last two years of the sample against the two before (the screenshot)."""
    span_end = load(dash.store).span[1]
    start = span_end.replace(year=span_end.year - 2) + dt.timedelta(days=1)
    page = dash.open(f"view=What+changed&dates={start}&dates={span_end}")
    expect(page.get_by_text("biggest changes in", exact=False).first).to_be_visible()
    expect(page.get_by_text("New partners (none before)", exact=False)).to_be_visible()
    dash.screenshot("what-changed")
    dash.assert_clean()


def test_enter_in_the_country_filter_picks_the_best_match(dash) -> None:
    """Typing a name and pressing Enter adds that one country, not every fuzzy match
    ("Guinea" also matches Equatorial Guinea and Guinea-Bissau in the sample)."""
    page = dash.open()
    box = page.get_by_test_id("stMultiSelect").filter(has_text="Partner countries")
    box.locator("input").click()
    page.keyboard.type("Guinea")
    expect(page.get_by_role("option", name="Guinea-Bissau", exact=True)).to_be_visible()
    page.keyboard.press("Enter")
    page.keyboard.press("Escape")
    data = load(dash.store)
    count = Filter(countries=["GIN"]).apply(data).n_articles
    caption = f"{count:,} of {data.n_articles:,} articles in the selection"
    expect(page.get_by_text(caption, exact=False)).to_be_visible()
    dash.wait()
    assert re.search(r"[?&]country=Guinea(&|$)", page.url), page.url
    assert page.url.count("country=") == 1
    dash.assert_clean()


def test_download_names_the_country_filter(dash, tmp_path: Path) -> None:
    """A Japan-only CSV is named after Japan (not the all-countries name), holds the
    plain frame, and the page link beside the button carries the filter."""
    page = dash.open("view=Countries+%26+regions&country=Japan")
    box = page.locator(".st-key-dl-events-by-country")
    with page.expect_download() as info:
        box.get_by_test_id("stDownloadButton").click()
    download = info.value
    saved = tmp_path / download.suggested_filename
    download.save_as(saved)
    data = load(dash.store)
    japan = Filter(countries=["JPN"], start=data.span[0], end=data.span[1])
    expected = download_name("events-by-country", *data.span, "csv", "country-jpn")
    assert download.suggested_filename == expected
    assert saved.read_bytes() == to_csv(by_country(japan.apply(data)))
    assert saved.read_bytes().startswith(b"\xef\xbb\xbfiso3,")  # BOM, then the header
    expect(page.get_by_text("country=Japan", exact=False).first).to_be_visible()
    dash.assert_clean()


def test_clicking_a_country_opens_its_profile(dash) -> None:
    page = dash.open()
    box = _shape_box(page, "CHN")
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    page.mouse.move(x - 4, y)
    page.mouse.move(x, y)
    page.mouse.click(x, y)
    expect(page.get_by_role("tab", name="Country profile", selected=True)).to_be_visible()
    expect(page.get_by_text("Articles with China, one dot each", exact=False).first).to_be_visible()
    expect(page).to_have_url(re.compile(r"partner=CHN"))
    dash.screenshot("country-profile")
    dash.assert_clean()


def test_clicking_a_small_state_dot_opens_its_profile(dash) -> None:
    """Bahrain has no shape on the 110m map: it is a dot on Manama, clickable too."""
    page = dash.open()
    lat, lon = charts._capitals()["BHR"]
    expect(page.locator(".scattergeo .point").first).to_be_attached()
    index = page.evaluate(
        """([lon, lat]) => Array.from(document.querySelectorAll('.scattergeo .point'))
             .findIndex(p => p.__data__ && p.__data__.lonlat
               && Math.abs(p.__data__.lonlat[0] - lon) < 1e-6
               && Math.abs(p.__data__.lonlat[1] - lat) < 1e-6)""",
        [lon, lat],
    )
    assert index >= 0, "no dot on Manama"
    box = page.locator(".scattergeo .point").nth(index).bounding_box()
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    page.mouse.move(x - 3, y)
    page.mouse.move(x, y)
    page.mouse.click(x, y)
    expect(page.get_by_role("tab", name="Country profile", selected=True)).to_be_visible()
    expect(page).to_have_url(re.compile(r"partner=BHR"))
    dash.assert_clean()


def _shape_box(page, iso3: str) -> dict[str, float]:
    """Screen box of one country's shape (plotly keeps the location in the datum)."""
    expect(page.locator(".choroplethlocation").first).to_be_attached()
    index = page.evaluate(
        """iso3 => Array.from(document.querySelectorAll('.choroplethlocation'))
                 .findIndex(p => p.__data__ && p.__data__.loc === iso3)""",
        iso3,
    )
    assert index >= 0, f"{iso3} is not drawn"
    return page.locator(".choroplethlocation").nth(index).bounding_box()


def test_article_opens_as_evidence_card(dash) -> None:
    data = load(dash.store)
    rows = data.articles
    chosen = rows[rows["partner_countries"].map(len) > 0].iloc[-1]
    page = dash.open(f"view=Articles&article={chosen['id']}")
    card = page.get_by_test_id("stHtml").first
    expect(card.locator("mark").first).to_be_visible()
    page.get_by_test_id("stHtml").first.scroll_into_view_if_needed()
    dash.screenshot("articles-evidence-card")
    dash.assert_clean()


def test_about_page(dash) -> None:
    page = dash.open("view=About+the+data")
    expect(page.get_by_text("Measured extraction accuracy")).to_be_visible()
    dash.screenshot("about")
    dash.assert_clean()


def test_upload_adds_articles(dash, tmp_path: Path) -> None:
    """Last: it adds two articles to this module's throwaway store."""
    page = dash.open("view=Add+data")
    before = len(load(dash.store).articles)
    feed = tmp_path / "upload.jsonl"
    records = [
        {
            "title": f"Kazakhstan and Mongolia discuss transit corridor {n}",
            "published": f"2025-05-0{n}",
            "text": "Foreign Minister of Kazakhstan met the Ambassador of Mongolia in Astana "
            "to discuss railway transit and logistics cooperation between the two "
            "countries, including new cargo routes and border crossings.",
        }
        for n in (1, 2)
    ]
    feed.write_text("\n".join(json.dumps(r) for r in records), encoding="utf-8")
    page.get_by_test_id("stFileUploaderDropzoneInput").set_input_files(str(feed))
    page.get_by_role("button", name="Add to the store").click()
    expect(page.get_by_text("Added 2 new articles")).to_be_visible()
    expect(dash.metric("Articles")).to_have_text(f"{before + 2:,}")
    dash.assert_clean()
