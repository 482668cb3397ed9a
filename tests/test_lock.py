"""constraints.txt is exactly the environment the tests run in: what `make lock` froze.

A pin that nothing installs (a leftover) or an installed package without a pin
(an unlocked version) makes CI and laptops drift apart.
"""

import re
from importlib import metadata

from tools.notebook_files import REPO_ROOT

# Installed by venv itself, outside any requirements file.
BOOTSTRAP = {"pip", "setuptools", "wheel"}


def canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def locked() -> dict[str, str]:
    pins = {}
    for line in (REPO_ROOT / "constraints.txt").read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            name, version = line.split("==")
            pins[canonical(name)] = version.strip()
    return pins


def installed() -> dict[str, str]:
    return {
        canonical(dist.metadata["Name"]): dist.version
        for dist in metadata.distributions()
        if canonical(dist.metadata["Name"]) not in BOOTSTRAP
    }


def test_the_lock_pins_exactly_what_is_installed():
    pins, present = locked(), installed()
    assert sorted(set(pins) - set(present)) == [], "pinned but not installed: run `make lock`"
    assert sorted(set(present) - set(pins)) == [], "installed but not pinned: run `make lock`"
    assert {name: (pins[name], present[name]) for name in pins if pins[name] != present[name]} == {}
