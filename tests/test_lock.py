"""constraints.txt is exactly the environment the tests run in: what `make lock` froze.

A pin that nothing installs (a leftover) or an installed package without a pin
(an unlocked version) makes CI and laptops drift apart.
"""

from importlib import metadata

from tools.common import locks

# Installed by venv itself, outside any requirements file.
BOOTSTRAP = {"pip", "setuptools", "wheel"}


def installed() -> dict[str, str]:
    return {
        locks.canonical_name(dist.metadata["Name"]): dist.version
        for dist in metadata.distributions()
        if locks.canonical_name(dist.metadata["Name"]) not in BOOTSTRAP
    }


def test_the_lock_pins_exactly_what_is_installed():
    pins, present = locks.pins(), installed()
    assert sorted(set(pins) - set(present)) == [], "pinned but not installed: run `make lock`"
    assert sorted(set(present) - set(pins)) == [], "installed but not pinned: run `make lock`"
    assert {name: (pins[name], present[name]) for name in pins if pins[name] != present[name]} == {}
