"""pytest plugin: nbval checks every notebook in the book's harness, figures included.

Loaded from pyproject.toml (``-p tests.kernel_harness``), so a bare
``pytest --nbval book`` checks the notebooks exactly as ``make outputs`` wrote
them. Two things are added to nbval:
- each notebook's kernel starts as tools/notebooks/harness.py says (the project's
  interpreter, an empty folder with HOME inside it, an environment built from
  scratch, offline MNIST), whatever kernelspec the notebook or the machine names;
- figures are compared. nbval leaves ``image/png`` out of its comparison unless
  it runs through nbdime; here every stored PNG is compared with the fresh one
  under the tolerance of tools/notebooks/figures.py, after nbval's own comparison passed.
  A failing figure names its cell and its number in the cell, and both images
  are kept in _build/figure-diffs/ for a look.
Set BOOK_FIGURE_LOG to a file to have every figure's measured difference
appended to it, one JSON object per line (``make portability`` reports the
largest).
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from tools.common.layout import BUILD_DIR, REPO_ROOT
from tools.notebooks import figures, harness

DIFFS_DIR = BUILD_DIR / "figure-diffs"


def book_kernel_class(running_kernel: type, variables: dict[str, str]) -> type:
    """nbval's kernel class, started by the harness instead of by the notebook's kernelspec."""

    class BookKernel(running_kernel):
        def __init__(self, kernel_name, cwd=None, startup_timeout=60):
            self._sandbox = harness.sandbox(variables)
            box = self._sandbox.__enter__()
            self.km = harness.kernel_manager()
            self.km.start_kernel(stderr=open(os.devnull, "w"), cwd=str(box.workdir), env=box.env)
            self.kc = self.km.client()
            self.kc.start_channels()
            try:
                self.kc.wait_for_ready(timeout=startup_timeout)
                self._ensure_iopub_up()
            except BaseException:
                self.stop()
                raise

        def stop(self):
            try:
                super().stop()
            finally:
                self._sandbox.__exit__(None, None, None)

    return BookKernel


def record(item, number: int, rms: float) -> None:
    log = os.environ.get("BOOK_FIGURE_LOG")
    if log:
        with open(log, "a", encoding="utf-8") as stream:  # one short line: appends from two workers stay whole
            stream.write(json.dumps({"cell": where(item), "figure": number, "rms": round(rms, 4)}) + "\n")


def where(item) -> str:
    """The notebook and cell, as nbval numbers cells: "book/es/05_quickstart.ipynb, cell 12"."""
    path = item.path.relative_to(REPO_ROOT) if item.path.is_relative_to(REPO_ROOT) else item.path
    return f"{path}, cell {item.cell_num}"


def keep_for_review(item, number: int, stored: str, fresh: str) -> Path:
    DIFFS_DIR.mkdir(parents=True, exist_ok=True)
    stem = f"{item.path.parent.name}-{item.path.stem}-cell{item.cell_num}"
    (DIFFS_DIR / f"{stem}-figure{number}-stored.png").write_bytes(figures.as_bytes(stored))
    (DIFFS_DIR / f"{stem}-figure{number}-fresh.png").write_bytes(figures.as_bytes(fresh))
    return DIFFS_DIR / f"{stem}-figure{number}-*.png"


def figures_differ(item, fresh_outputs, stored_outputs) -> str | None:
    """Why the cell's figures are not the stored ones, or None if they are."""
    stored, fresh = figures.pngs(stored_outputs), figures.pngs(fresh_outputs)
    if len(stored) != len(fresh):
        return f"{where(item)}: the cell draws {len(fresh)} figure(s); the notebook stores {len(stored)}"
    for number, (old, new) in enumerate(zip(stored, fresh), start=1):
        try:
            rms = figures.rms_difference(old, new)
        except Exception as error:  # matplotlib's ImageComparisonFailure: another size
            kept = keep_for_review(item, number, old, new)
            return f"{where(item)}: figure {number} is not the stored one: {error} (both kept as {kept})"
        record(item, number, rms)
        if rms > figures.TOLERANCE_RMS:
            kept = keep_for_review(item, number, old, new)
            return (
                f"{where(item)}: figure {number} differs from the stored one: RMS difference {rms:.2f} > "
                f"tolerance {figures.TOLERANCE_RMS} (tools/notebooks/figures.py). If the change is intended, run "
                f"`make outputs`. Both images kept as {kept}"
            )
    return None


def compare_figures_too(compare_outputs):
    def compare(self, test, ref, skip_compare=None):
        if not compare_outputs(self, test, ref, skip_compare):
            return False
        problem = figures_differ(self, test, ref)
        if problem:
            self.comparison_traceback.append(problem)
            return False
        return True

    return compare


def pytest_configure(config):
    if config.getoption("nbval", default=False) or config.getoption("nbval_lax", default=False):
        from nbval import plugin

        plugin.RunningKernel = book_kernel_class(plugin.RunningKernel, harness.harness_variables())
        plugin.IPyNbCell.compare_outputs = compare_figures_too(plugin.IPyNbCell.compare_outputs)
