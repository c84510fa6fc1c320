"""Interactive widgets for the notebooks: each is a pure function that computes what is shown,
plus a small ipywidgets UI around it (so tests can drive it without a browser).

This package imports the core and ipywidgets; the core never imports it.
"""
