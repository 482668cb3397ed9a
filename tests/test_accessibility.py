"""Accessibility of every page of the built site: axe-core in headless Chromium.

No serious or critical violation on any page. Kept apart from tests/test_browser.py
so that pytest-xdist can run the two files on different workers at once.
"""

import pytest
from axe_playwright_python.sync_playwright import Axe

from tests.test_browser import DESKTOP, PageVisit, site_pages


@pytest.mark.parametrize("path", site_pages())
def test_no_serious_accessibility_violations(browser, server, path):
    visit = PageVisit(browser, f"{server}/{path}", DESKTOP)
    try:
        violations = Axe().run(visit.page).response["violations"]
        serious = [
            f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes'][:3]]}"
            for v in violations
            if v["impact"] in ("serious", "critical")
        ]
        assert serious == []
    finally:
        visit.close()
