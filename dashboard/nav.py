"""Tab names and the state keys that move the user between views.

The tabs are bound to the URL (``?view=Country+profile``) and only the open tab runs, so
a click on the map or on an article row switches tab by writing Session State in a
callback, before the next run draws the page.

The profile's country and the open article are kept in the URL by hand (``?partner=CHN``,
``?article=<id>``), not with ``bind``: a bound widget that first appears with a value set
from Python (after a map click) does not write its parameter, and codes read better in a
link than display names.
"""

from __future__ import annotations

import streamlit as st

from dashboard import filters

OVERVIEW = "Overview"
CHANGES = "What changed"
TRENDS = "Trends"
COUNTRIES = "Countries & regions"
TOPICS = "Topics"
PROFILE = "Country profile"
ARTICLES = "Articles"
ADD_DATA = "Add data"
ABOUT = "About the data"
TABS = (OVERVIEW, CHANGES, TRENDS, COUNTRIES, TOPICS, PROFILE, ARTICLES, ADD_DATA, ABOUT)

VIEW = "view"  # the tabs' key and query parameter
PARTNER = "partner"  # the profile's country (ISO3 in the query parameter)
ARTICLE = "article"  # the open evidence card (query parameter holds the article id)


def open_profile(iso3: str) -> None:
    """Show the profile of ``iso3`` (call from a widget callback)."""
    remember(PARTNER, iso3)
    st.session_state[VIEW] = PROFILE


def open_topic(topic: str) -> None:
    """Show the Topics tab filtered to ``topic`` (call from a widget callback); the
    topic filter is a bound sidebar widget, so the URL follows."""
    st.session_state[filters.TOPICS] = [topic]
    st.session_state[VIEW] = TOPICS


def open_article(article_id: str, switch: bool = True) -> None:
    """Open the evidence card of ``article_id`` (call from a widget callback)."""
    remember(ARTICLE, article_id)
    if switch:
        st.session_state[VIEW] = ARTICLES


def remember(key: str, value: str | None) -> None:
    """Set the widget ``key`` and its query parameter (removed when ``value`` is None)."""
    st.session_state[key] = value
    if value:
        st.query_params[key] = value
    else:
        st.query_params.pop(key, None)


def on_change(key: str) -> None:
    """Widget callback: copy the widget's new value into the URL."""
    remember(key, st.session_state.get(key))


def seed(key: str, valid: list[str]) -> None:
    """Before drawing the widget ``key``: take its value from the URL on first use, and
    drop a value that is not among ``valid`` (a stale link, other filters)."""
    current = st.session_state.get(key) or st.query_params.get(key)
    wanted = current if current in valid else None
    if key not in st.session_state or st.session_state[key] != wanted:
        st.session_state[key] = wanted
