"""pytest plugin: hand out the longest notebooks first.

pytest-xdist gives each worker the next file in collection order, so a long
notebook collected last leaves one worker running alone at the end while the
other idles. Later chapters train more (chapter 5 takes longest, the setup
page least), so notebooks go first, from the last chapter down; the order of
the cells inside each notebook, and of every other test, is unchanged.
"""

from __future__ import annotations


def chapter_number(item) -> int | None:
    """The chapter of a notebook cell item (``05_quickstart.ipynb`` -> 5), else None."""
    name = item.path.name
    if item.path.suffix == ".ipynb" and name[:2].isdigit():
        return int(name[:2])
    return None


def pytest_collection_modifyitems(items):
    def longest_first(item):
        chapter = chapter_number(item)
        return (0, -chapter) if chapter is not None else (1, 0)

    items.sort(key=longest_first)  # stable: cells keep their order within a notebook
