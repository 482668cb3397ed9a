"""The locks (constraints.txt, constraints-grading.txt): what `make lock` froze, read in one place."""

from __future__ import annotations

import re
from pathlib import Path

from tools.common.layout import REPO_ROOT

BOOK_LOCK = REPO_ROOT / "constraints.txt"
GRADING_LOCK = REPO_ROOT / "constraints-grading.txt"


def canonical_name(name: str) -> str:
    """A distribution name as PyPI compares them (PEP 503): Typing_Extensions -> typing-extensions."""
    return re.sub(r"[-_.]+", "-", name).lower()


def pins(lock: Path = BOOK_LOCK) -> dict[str, str]:
    """{canonical name: version} of every ``name==version`` line of a lock."""
    found = {}
    for line in Path(lock).read_text(encoding="utf-8").splitlines():
        line = line.split("#")[0].strip()
        if line:
            name, _, version = line.partition("==")
            found[canonical_name(name)] = version.strip()
    return found
