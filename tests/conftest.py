"""Shared fixtures: one site build per test run, its local server and a headless browser."""

import dataclasses
import fcntl
import json
import os

import pytest

from tools.site import browser as site_browser
from tools.site import build as site

RECORD = site.BUILD_DIR / ".site-build.json"


@pytest.fixture(scope="session")
def site_build():
    """Build both editions once per run; tests that read _build/html depend on this.

    Under pytest-xdist each worker has its own session, so the workers take a
    lock: the first one builds, the others reuse its result (same run id).
    """
    run_id = os.environ.get("PYTEST_XDIST_TESTRUNUID")
    site.BUILD_DIR.mkdir(parents=True, exist_ok=True)
    with open(site.BUILD_DIR / ".site-build.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        record = json.loads(RECORD.read_text()) if RECORD.exists() else {}
        if run_id and record.get("run") == run_id:
            result = site.BuildResult(**record["result"])
        else:
            result = site.build(quiet=True)
            RECORD.write_text(json.dumps({"run": run_id, "result": dataclasses.asdict(result)}))
    assert result.returncode == 0, (result.stdout + result.stderr)[-5000:]
    return result


@pytest.fixture(scope="module")
def server(site_build):
    """The built site, served from 127.0.0.1."""
    with site_browser.serve(site.HTML_DIR) as url:
        yield url


@pytest.fixture(scope="module")
def browser():
    """Debian's Chromium, headless (never a downloaded browser build)."""
    with site_browser.chromium() as chromium:
        yield chromium
