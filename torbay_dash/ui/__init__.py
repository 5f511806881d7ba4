"""The Streamlit layer: with app.py and views/, the only code that imports streamlit.

- frame: first run, the sidebar filters kept in the URL, the header, the empty state;
- data: cached access to snapshots, indicator frames and benchmarks;
- widgets: what every screen shares (headline figure, table with CSV, trend, teams, children behind a number);
- overview, safeguarding, cared_for, workforce, quality: each screen's own sections.
"""
