"""vilco's domain: processes, projects, ballots, outcome rules, draws and their persistence.

This package never imports Streamlit; the UI lives in `vilco_ui` and `pages/`.
"""

__version__ = "0.1.0"
