"""What changed, n/a deltas, partial periods and one top topic, in a real browser, on a
small store written by hand (store.write_articles) so every answer is known:

2023: Japan 1 (environment), China 2, Germany 1. 2024: Japan 3 (environment 1,
transport 2), France 2, Germany 1. The store runs 2023-02-05 to 2024-12-20.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from pathlib import Path

import pandas as pd
import pytest

from analysis import store
from analysis.exports import download_name

expect = pytest.importorskip("playwright.sync_api").expect
pytestmark = pytest.mark.e2e

ROWS = [  # date, partner countries, topics
    ("2023-02-05", ["JPN"], ["environment_water"]),
    ("2023-03-10", ["CHN"], ["energy"]),
    ("2023-06-10", ["CHN"], ["energy"]),
    ("2023-09-10", ["DEU"], ["transport"]),
    ("2024-02-10", ["JPN"], ["transport"]),
    ("2024-04-10", ["JPN"], ["transport"]),
    ("2024-05-10", ["FRA"], ["energy"]),
    ("2024-07-10", ["DEU"], ["energy"]),
    ("2024-09-10", ["FRA"], ["energy"]),
    ("2024-12-20", ["JPN"], ["environment_water"]),
]
YEAR_2024 = "dates=2024-01-01&dates=2024-12-20"  # to the store's end; vs 2023-01-11 on


@pytest.fixture(scope="module")
def store_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Overrides the conftest's bundled-feed store for this module."""
    folder = tmp_path_factory.mktemp("changes-store")
    n = len(ROWS)
    frame = pd.DataFrame(
        {
            "id": [f"a{i:02d}" for i in range(n)],
            "title": [f"Kazakhstan holds talks, item {i}" for i in range(n)],
            "text": ["Talks on cooperation."] * n,
            "date": [dt.date.fromisoformat(r[0]) for r in ROWS],
            "date_source": "stamp",
            "datetime": pd.NaT,
            "source_file": "hand.jsonl",
            "source_files": [["hand.jsonl"]] * n,
            "line_start": range(n),
            "line_end": range(n),
            "url": [f"https://example.kz/news/{i}" for i in range(n)],
            "partner_countries": [r[1] for r in ROWS],
            "partner_orgs": [[]] * n,
            "location_country": None,
            "event_type": "meeting",
            "kz_actor_level": "foreign_minister",
            "topics": [r[2] for r in ROWS],
            "mentioned_countries": [[]] * n,
            "evidence": "[]",
            "event_id": [f"e{i:02d}" for i in range(n)],  # each article its own event
            "lang": "en",
        }
    )
    missing = [c for c in store.COLUMNS if c not in frame]  # columns added to the store later
    frame = frame.assign(**dict.fromkeys(missing))
    store.write_articles(folder, frame, {"hand_made": True})
    return folder


ENGAGEMENTS = "count=Engagements"  # these tests read engagements (the app counts events first)


def test_what_changed_lists_the_known_movers(dash) -> None:
    page = dash.open(f"view=What+changed&{YEAR_2024}&{ENGAGEMENTS}")
    expect(
        page.get_by_text("against the previous range of the same length", exact=False)
    ).to_be_visible()
    expect(
        page.get_by_text(
            "4 partners with engagements in either range: 2 up (1 new), 1 down (1 gone quiet), "
            "1 steady.",
            exact=False,
        )
    ).to_be_visible()
    slope = page.locator('[data-testid="stPlotlyChart"]').first
    expect(slope).to_contain_text("3 Japan")  # 1 -> 3
    expect(slope).to_contain_text("2 France")  # new: 0 -> 2
    expect(slope).to_contain_text("China 2")  # gone quiet: 2 -> 0, named at its high end
    expect(page.get_by_text("New partners (none before) · 1")).to_be_visible()
    expect(page.get_by_text("Gone quiet (none now) · 1")).to_be_visible()
    # a row opens the country profile: the first row of "Biggest gains" is France
    grid = page.locator(".st-key-changes-partners-gains")
    box = grid.bounding_box()
    x, y = box["x"] + 16, box["y"] + 35 + 17
    page.mouse.move(x, y)
    page.wait_for_timeout(200)
    page.mouse.click(x, y)
    expect(page.get_by_role("tab", name="Country profile", selected=True)).to_be_visible()
    expect(page).to_have_url(re.compile(r"partner=FRA"))
    dash.assert_clean()


def test_deltas_are_na_without_earlier_data_and_say_what_they_compare_with(dash) -> None:
    page = dash.open()
    card = page.get_by_test_id("stMetric").filter(has_text="Engagements").first
    expect(card.get_by_test_id("stMetricDelta")).to_have_text("n/a")
    expect(page.get_by_text("vs 2021-03-22 – 2023-02-04", exact=False)).to_be_visible()
    page = dash.open(YEAR_2024)
    card = page.get_by_test_id("stMetric").filter(has_text="Engagements").first
    expect(card.get_by_test_id("stMetricDelta")).to_have_text("+2")  # 4 -> 6
    dash.assert_clean()


def test_partial_periods_are_marked(dash) -> None:
    """The store starts on 5 February 2023 and ends on 20 December 2024: on the monthly
    chart the first and the last month are marked partial."""
    page = dash.open(ENGAGEMENTS)
    chart = page.locator('[data-testid="stPlotlyChart"]').filter(has_text="Engagements per month")
    expect(chart.locator(".annotation-text", has_text="partial")).to_have_count(2)
    dash.assert_clean()


def test_one_top_topic_in_kpi_card_map_hover_and_csv(dash, tmp_path: Path) -> None:
    """Japan: environment 2, transport 2. The tie goes to the label that sorts first
    (Environment & water), though the taxonomy lists transport first."""
    page = dash.open(f"country=Japan&{ENGAGEMENTS}")
    expect(page.locator(".st-key-kpi-Top-topic")).to_contain_text("Environment & water")
    page.wait_for_function(
        """() => Array.from(document.querySelectorAll('.choroplethlocation'))
                 .some(p => p.__data__ && p.__data__.loc === 'JPN')"""
    )
    point = page.evaluate(
        """() => {  // a point of the page inside Japan's shape
          const path = Array.from(document.querySelectorAll('.choroplethlocation'))
            .find(p => p.__data__ && p.__data__.loc === 'JPN');
          if (!path) return null;
          const b = path.getBoundingClientRect();
          for (let i = 1; i < 20; i++) for (let j = 1; j < 20; j++) {
            const x = b.left + b.width * i / 20, y = b.top + b.height * j / 20;
            const inner = new DOMPoint(x, y).matrixTransform(path.getScreenCTM().inverse());
            if (path.isPointInFill(inner)) return [x, y];
          }
          return null;
        }"""
    )
    assert point, "Japan is not drawn"
    page.mouse.move(point[0] - 2, point[1])
    page.mouse.move(*point)
    expect(page.locator(".hoverlayer .hovertext")).to_contain_text(
        "Top topics: Environment & water; Transport & logistics"
    )
    with page.expect_download() as info:
        page.locator(".st-key-dl-engagements-by-country-map").get_by_test_id(
            "stDownloadButton"
        ).click()
    saved = tmp_path / info.value.suggested_filename
    info.value.save_as(saved)
    expected = download_name(
        "engagements-by-country-map", "2023-02-05", "2024-12-20", "csv", "country-jpn"
    )
    assert info.value.suggested_filename == expected
    rows = list(csv.DictReader(io.StringIO(saved.read_text(encoding="utf-8-sig"))))
    assert rows[0]["top_topics"].split("; ")[0] == "Environment & water"
    dash.assert_clean()


def test_kpi_header_leaves_the_map_above_the_fold(dash) -> None:
    """At 1440 x 900 the title, its coverage line and the KPI row take at most 180 px
    of the main column, and the whole map is above the fold."""
    page = dash.open()
    page.set_viewport_size({"width": 1440, "height": 900})
    dash.wait()
    top = page.get_by_text("Kazakhstan's diplomatic activity").first.bounding_box()["y"]
    cards = page.get_by_test_id("stMetric").first.bounding_box()
    assert cards["y"] + cards["height"] - top <= 180  # title, coverage line, KPI row
    chart = page.locator('[data-testid="stPlotlyChart"]').first
    expect(chart.locator(".choroplethlocation").first).to_be_attached()
    box = chart.bounding_box()
    assert box["y"] + box["height"] <= 900, box  # the whole map, without scrolling
    dash.assert_clean()
