"""The published site: both editions built by Jupyter Book 1, and their downloads.

Owns: build.py (`make book`), bundles.py (the notebooks zip), handouts.py (the
PDF handouts, printed by Chromium), browser.py (the local server and headless
Chromium the handouts and the browser tests use). Sphinx extensions live in
book/_ext. May import tools.common, tools.assets, tools.notebooks and tools.grading.
"""
