"""The country reference table: names, M49 regions, capitals, groupings and overrides."""

from __future__ import annotations

from pathlib import Path

import pytest

from analysis import countries


@pytest.fixture(scope="module")
def table():
    return countries.country_table().set_index("iso3")


def test_one_row_per_iso_country_plus_kosovo(table):
    assert table.index.is_unique
    assert len(table) == 250  # 249 ISO 3166-1 countries + Kosovo
    assert {"iso2", "name", "region", "subregion", "capital_lat", "capital_lon"} <= set(table)
    assert table.loc["XKX", ["iso2", "name", "subregion"]].tolist() == [
        "XK",
        "Kosovo",
        "Southern Europe",
    ]


@pytest.mark.parametrize(
    ("iso3", "name"),
    [
        ("KOR", "South Korea"),
        ("PRK", "North Korea"),
        ("IRN", "Iran"),
        ("TUR", "Türkiye"),
        ("USA", "United States"),
        ("CZE", "Czechia"),
        ("VNM", "Vietnam"),
        ("MKD", "North Macedonia"),
        ("SWZ", "Eswatini"),
        ("KAZ", "Kazakhstan"),
    ],
)
def test_display_names_are_short_and_current(table, iso3, name):
    assert table.loc[iso3, "name"] == name


def test_no_display_name_reads_like_an_index_entry(table):
    """ "Korea, Republic of" style names only where no package offers better (see overrides)."""
    awkward = table[table["name"].str.contains(r"[,(]")].index
    assert {"KOR", "IRN", "TZA", "BOL", "VEN", "MDA", "COD"}.isdisjoint(awkward)


@pytest.mark.parametrize(
    ("iso3", "region", "subregion"),
    [
        ("KAZ", "Asia", "Central Asia"),
        ("RUS", "Europe", "Eastern Europe"),
        ("KEN", "Africa", "Sub-Saharan Africa"),
        ("BRA", "Americas", "Latin America and the Caribbean"),
        ("SRB", "Europe", "Southern Europe"),  # corrected: countryinfo says Eastern Europe
        ("MNE", "Europe", "Southern Europe"),
        ("HMD", "Oceania", "Australia and New Zealand"),
    ],
)
def test_un_m49_regions(table, iso3, region, subregion):
    assert table.loc[iso3, ["region", "subregion"]].tolist() == [region, subregion]


def test_every_country_but_antarctica_has_a_region(table):
    assert table.index[table["region"].isna()].tolist() == ["ATA"]


def test_capitals_are_where_they_should_be(table):
    astana = table.loc["KAZ", ["capital_lat", "capital_lon"]].tolist()
    assert astana == pytest.approx([51.13, 71.43], abs=0.1)
    # countryinfo put Dili in New Delhi and Gitega in Bujumbura; the corrections fix that
    assert table.loc["TLS", "capital_lat"] < 0
    assert table.loc["BDI", "capital_lon"] == pytest.approx(29.92, abs=0.01)
    placed = table.dropna(subset=["capital_lat"])
    assert placed["capital_lat"].between(-90, 90).all()
    assert placed["capital_lon"].between(-180, 180).all()


def test_groupings_have_their_members(table):
    assert sorted(table.index[table["central_asia"]]) == ["KAZ", "KGZ", "TJK", "TKM", "UZB"]
    assert table["eu"].sum() == 27
    assert table["oic"].sum() == 57
    assert table.loc["BLR", "sco"] and not table.loc["GBR", "eu"]


def test_every_grouping_member_is_a_known_country(table):
    for grouping in countries.groupings().values():
        assert grouping.members <= set(table.index), grouping.id


def test_the_cached_table_cannot_be_changed_through_a_caller():
    first = countries.country_table()
    first.loc[0, "name"] = "changed"
    assert countries.country_table().loc[0, "name"] != "changed"


def test_display_name_overrides_and_corrections(tmp_path: Path):
    overrides = tmp_path / "overrides.csv"
    overrides.write_text(
        "iso3,kind,surface,note\n"
        "RUS,display_name,Russia,short name\n"
        "RUS,name,Rossiya,an extractor alias: not a display name\n"
        "ZZA,display_name,Zedland,a country no package knows\n",
        encoding="utf-8",
    )
    groupings = tmp_path / "groupings.toml"
    groupings.write_text(
        '[groupings.pair]\nlabel = "Pair"\nmembers = ["RUS", "zza"]\n'
        '[countries.ZZA]\nregion = "Europe"\ncapital_lat = 1.5\n',
        encoding="utf-8",
    )
    table = countries.build_country_table(groupings, overrides).set_index("iso3")
    assert table.loc["RUS", "name"] == "Russia"
    assert table.loc["ZZA", ["name", "region", "capital_lat"]].tolist() == [
        "Zedland",
        "Europe",
        1.5,
    ]
    assert sorted(table.index[table["pair"]]) == ["RUS", "ZZA"]
    assert "eu" not in table  # only the given file's groupings


def test_missing_overrides_file_means_package_names(tmp_path: Path):
    table = countries.build_country_table(overrides_file=tmp_path / "none.csv")
    assert table.set_index("iso3").loc["KOR", "name"] == "South Korea"


@pytest.mark.parametrize(
    ("value", "iso3"),
    [
        ("RUS", "RUS"),
        ("ru", "RUS"),
        ("Russian Federation", "RUS"),
        ("south korea", "KOR"),
        ("Türkiye", "TUR"),
        ("Turkey", "TUR"),  # old name, through countryinfo
        ("XKX", "XKX"),
    ],
)
def test_to_iso3(value, iso3):
    assert countries.to_iso3(value) == iso3


def test_to_iso3_rejects_unknown_names():
    with pytest.raises(ValueError, match="unknown country 'Narnia'"):
        countries.to_iso3("Narnia")


def test_members_of_regions_subregions_and_groupings():
    assert countries.members_of("central asia") == frozenset({"KAZ", "KGZ", "TJK", "TKM", "UZB"})
    assert "DEU" in countries.members_of("Europe")
    assert countries.members_of("eaeu") == countries.members_of("EAEU")
    assert "FRA" in countries.members_of("EU")
    with pytest.raises(ValueError, match="choose from: Africa"):
        countries.members_of("Atlantis")
