"""Shared fixtures: one site build per test session."""

import pytest

from tools import build_site


@pytest.fixture(scope="session")
def site_build():
    """Build both editions once; tests that read _build/html depend on this."""
    result = build_site.build(quiet=True)
    assert result.returncode == 0, (result.stdout + result.stderr)[-5000:]
    return result
