"""Shared fixtures: one site build per test run."""

import dataclasses
import fcntl
import json
import os

import pytest

from tools import build_site

RECORD = build_site.BUILD_DIR / ".site-build.json"


@pytest.fixture(scope="session")
def site_build():
    """Build both editions once per run; tests that read _build/html depend on this.

    Under pytest-xdist each worker has its own session, so the workers take a
    lock: the first one builds, the others reuse its result (same run id).
    """
    run_id = os.environ.get("PYTEST_XDIST_TESTRUNUID")
    build_site.BUILD_DIR.mkdir(parents=True, exist_ok=True)
    with open(build_site.BUILD_DIR / ".site-build.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        record = json.loads(RECORD.read_text()) if RECORD.exists() else {}
        if run_id and record.get("run") == run_id:
            result = build_site.BuildResult(**record["result"])
        else:
            result = build_site.build(quiet=True)
            RECORD.write_text(json.dumps({"run": run_id, "result": dataclasses.asdict(result)}))
    assert result.returncode == 0, (result.stdout + result.stderr)[-5000:]
    return result
