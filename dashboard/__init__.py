"""The Streamlit dashboard: a thin layer that only draws what ``analysis`` computed.

``app.py`` is the page layout; ``filters`` maps the sidebar to an
:class:`analysis.aggregate.Filter` and the URL; ``state`` loads the store once per
version; ``frames`` reshapes analysis frames for display; ``charts`` builds figures;
``downloads`` turns frames into CSV buttons; ``views/`` holds one module per tab.
"""
