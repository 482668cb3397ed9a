"""Accessibility of every page of the built site: axe-core in headless Chromium.

No serious or critical violation on any page. Kept apart from tests/test_browser.py
so that pytest-xdist can run the two files on different workers at once.
"""

import pytest
from axe_playwright_python.sync_playwright import Axe

from tests.test_browser import DESKTOP, PageVisit, site_pages

# Colour contrast takes most of axe's time (5 of 8 s on chapter 4) and depends
# on the theme's colours, which every page shares, and on the kinds of element
# a page shows. It runs on one page of each kind: the language choice, a
# landing page, the chapter with every kind of content (code, outputs, a table,
# formulas, figures, answers), the glossary, the guide and the search page.
# Every other rule runs on every page.
CONTRAST_PAGES = [
    "index.html",
    "es/index.html",
    "es/04_perceptron_activations.html",
    "es/glossary.html",
    "es/instructor_guide.html",
    "es/search.html",
]
ALL_RULES = {"resultTypes": ["violations"]}  # only violations are reported in full
WITHOUT_CONTRAST = {**ALL_RULES, "rules": {"color-contrast": {"enabled": False}}}


def test_contrast_pages_are_site_pages():
    assert set(CONTRAST_PAGES) <= set(site_pages())


@pytest.mark.parametrize("path", site_pages())
def test_no_serious_accessibility_violations(browser, server, path):
    visit = PageVisit(browser, f"{server}/{path}", DESKTOP)
    try:
        options = ALL_RULES if path in CONTRAST_PAGES else WITHOUT_CONTRAST
        violations = Axe().run(visit.page, options=options).response["violations"]
        serious = [
            f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes'][:3]]}"
            for v in violations
            if v["impact"] in ("serious", "critical")
        ]
        assert serious == []
    finally:
        visit.close()
