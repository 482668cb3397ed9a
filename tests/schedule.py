"""pytest plugin: the order in which pytest-xdist hands out test files.

A worker takes the next file in collection order when it is free. Two things
keep both workers busy to the end (measured on two cores):
- the site build starts at once: the first file that needs it goes first, so
  one worker builds the site while the other runs notebooks, instead of both
  waiting for the build once the notebooks are done;
- the longest notebooks go next, from the last chapter down (later chapters
  train more; chapter 5 takes longest, the setup page least), so no long
  notebook is left running alone at the end.
The order of the cells inside a notebook, and of the tests inside a file, is unchanged.
"""

from __future__ import annotations


def chapter_number(item) -> int | None:
    """The chapter of a notebook cell item (``05_quickstart.ipynb`` -> 5), else None."""
    name = item.path.name
    if item.path.suffix == ".ipynb" and name[:2].isdigit():
        return int(name[:2])
    return None


def pytest_collection_modifyitems(items):
    needs_site = [item.path for item in items if "site_build" in getattr(item, "fixturenames", ())]
    first_site_file = needs_site[0] if needs_site else None

    def order(item):
        if item.path == first_site_file:
            return (0, 0)
        chapter = chapter_number(item)
        return (1, -chapter) if chapter is not None else (2, 0)

    items.sort(key=order)  # stable: cells and tests keep their order within a file
