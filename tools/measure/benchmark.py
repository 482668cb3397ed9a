"""Print the book's cost figures (`make bench`): not a test, nothing is asserted.

Each step is timed with the peak resident memory of its whole process tree
(this process, pytest, the kernels, Sphinx), and every figure is printed even
when a step fails its check (the step is then marked FAILED):
- the set-up on a fresh clone of this commit (`make setup`: both environments
  from the locks, MNIST, MathJax, pre-commit's hooks; target: 90 s, apt
  excluded), with uv's download cache as this machine has it and, with
  --cold-setup, also with an empty one (a first run anywhere);
- the whole test suite, as `make test` runs it (target: 4 minutes on 2 cores);
- strict nbval of the whole book, both editions in one run as `make test` and
  `make portability` run it (target: 100 s), and of each notebook;
- strict nbval of the whole book under each portability variant;
- the assignment checks (`make assignments-check`: otter grades every chapter);
- the site build, with its PDF handouts;
- per chapter page: bytes transferred and time to first contentful paint in
  headless Chromium, from the local server (targets: 1 MB and 1 s).

Usage: python -m tools.measure.benchmark [--skip-setup] [--cold-setup] [--skip-suite] [--skip-portability]
                                 [--skip-assignments]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import threading
import time
import xml.etree.ElementTree as ElementTree
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

import psutil

from tools.common.layout import BOOK_DIR, LANGUAGES, REPO_ROOT
from tools.measure import portability
from tools.site import browser
from tools.site import build as site

SETUP_TARGET_S = 90
SUITE_TARGET_S = 240
NBVAL_BOTH_EDITIONS_TARGET_S = 100
PAGE_BYTES_TARGET = 1_000_000
FCP_TARGET_MS = 1000


class PeakMemory:
    """Samples the RSS of this process and all its descendants until stopped."""

    def __init__(self, interval: float = 0.1):
        self.interval = interval
        self.peak = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def _sample(self) -> None:
        me = psutil.Process()
        while not self._stop.is_set():
            total = 0
            for process in [me, *me.children(recursive=True)]:
                try:
                    total += process.memory_info().rss
                except psutil.Error:
                    pass
            self.peak = max(self.peak, total)
            time.sleep(self.interval)

    def __enter__(self) -> PeakMemory:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()


@dataclass
class Step:
    label: str
    seconds: float
    peak_bytes: int
    passed: bool
    note: str = ""


def timed(label: str, command: list[str], env: dict[str, str] | None = None) -> Step:
    """Run ``command``; its time, peak memory and whether it passed (it never raises)."""
    started = time.perf_counter()
    with PeakMemory() as memory:
        result = subprocess.run(command, cwd=REPO_ROOT, env=env, capture_output=True, text=True, check=False)
    lines = (result.stdout or result.stderr).strip().splitlines()
    return Step(label, time.perf_counter() - started, memory.peak, result.returncode == 0, lines[-1] if lines else "")


def fresh_clone_setup(cold: bool = False) -> Step:
    """`make setup` in a new clone of HEAD, with its own pre-commit home (and uv cache if cold)."""
    with tempfile.TemporaryDirectory(prefix="fresh-clone-") as folder:
        clone = Path(folder) / "book"
        subprocess.run(["git", "clone", "--quiet", "--no-hardlinks", str(REPO_ROOT), str(clone)], check=True)
        env = {**os.environ, "PRE_COMMIT_HOME": str(Path(folder) / "pre-commit")}
        if cold:
            env["UV_CACHE_DIR"] = str(Path(folder) / "uv-cache")
        label = f"set-up, fresh clone ({'empty' if cold else 'warm'} uv cache)"
        step = timed(label, ["make", "--no-print-directory", "-C", str(clone), "setup"], env=env)
    step.note = over(step.seconds, SETUP_TARGET_S, "s")
    return step


def per_notebook_seconds(junit_xml: Path) -> dict[str, float]:
    """Seconds per notebook, as "es/01_x" (kernel start-up included), from a pytest JUnit report."""
    seconds: dict[str, float] = defaultdict(float)
    if junit_xml.exists():
        for case in ElementTree.parse(junit_xml).iter("testcase"):
            parts = case.get("classname", "").removesuffix(".ipynb").split(".")  # book.es.01_x.ipynb
            seconds["/".join(parts[-2:])] += float(case.get("time", 0))
    return dict(seconds)


def nbval_book(report_dir: Path) -> tuple[Step, dict[str, float]]:
    junit = report_dir / "nbval.xml"
    command = [*portability.nbval_command(*(str(BOOK_DIR / language) for language in LANGUAGES)), f"--junitxml={junit}"]
    step = timed("nbval, both editions in one run", command)
    step.note = over(step.seconds, NBVAL_BOTH_EDITIONS_TARGET_S, "s")
    return step, per_notebook_seconds(junit)


def site_build() -> Step:
    started = time.perf_counter()
    with PeakMemory() as memory:
        result = site.build(quiet=True)
    seconds = time.perf_counter() - started
    return Step("site build + handouts (-n -W)", seconds, memory.peak, result.returncode == 0)


# Bytes of the page and of every same-site resource it loaded.
PAGE_METRICS_JS = """() => {
  const entries = [performance.getEntriesByType('navigation')[0],
                   ...performance.getEntriesByType('resource')];
  const local = entries.filter(e => new URL(e.name).host === location.host);
  const paint = performance.getEntriesByName('first-contentful-paint')[0];
  return {bytes: local.reduce((sum, e) => sum + (e.encodedBodySize || 0), 0),
          fcp: paint ? paint.startTime : null};
}"""


def page_metrics() -> list[tuple[str, int, float]]:
    """(page, bytes transferred, first contentful paint in ms) for every chapter page."""
    rows = []
    with browser.serve(site.HTML_DIR) as url, browser.chromium() as chromium:
        for path in sorted(site.HTML_DIR.glob("*/[0-9][0-9]_*.html")):
            relative = path.relative_to(site.HTML_DIR).as_posix()
            page = chromium.new_page(viewport={"width": 1280, "height": 900})
            page.goto(f"{url}/{relative}", wait_until="load")
            page.wait_for_timeout(300)  # let the paint entry be recorded
            metrics = page.evaluate(PAGE_METRICS_JS)
            rows.append((relative, metrics["bytes"], metrics["fcp"] or float("nan")))
            page.close()
    return rows


def over(value: float, target: float, unit: str) -> str:
    return f"over the {target:g} {unit} target" if value > target else ""


def print_steps(steps: list[Step]) -> None:
    print(f"\n{'step':44} {'result':7} {'seconds':>8} {'peak MiB':>9}")
    for step in steps:
        result = "passed" if step.passed else "FAILED"
        print(f"{step.label:44} {result:7} {step.seconds:8.1f} {step.peak_bytes / 2**20:9.0f}  {step.note}".rstrip())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--skip-setup", action="store_true", help="do not time the set-up on a fresh clone")
    parser.add_argument("--cold-setup", action="store_true", help="also time it with an empty uv cache (downloads)")
    parser.add_argument("--skip-suite", action="store_true", help="do not time the whole test suite")
    parser.add_argument("--skip-portability", action="store_true", help="do not time the portability variants")
    parser.add_argument("--skip-assignments", action="store_true", help="do not time `make assignments-check`")
    args = parser.parse_args(argv)
    steps: list[Step] = []

    if not args.skip_setup:
        steps.append(fresh_clone_setup())
        if args.cold_setup:
            steps.append(fresh_clone_setup(cold=True))

    if not args.skip_suite:
        suite = timed("make test (pre-commit + pytest)", ["make", "--no-print-directory", "test"])
        suite.note = over(suite.seconds, SUITE_TARGET_S, "s")
        steps.append(suite)

    with tempfile.TemporaryDirectory() as reports:
        step, notebooks = nbval_book(Path(reports))
    steps.append(step)

    if not args.skip_portability:
        for name in portability.VARIANTS:
            started = time.perf_counter()
            with PeakMemory() as memory:
                outcome = portability.run_variant(name)
            note = portability.describe(name)
            steps.append(Step(f"portability {name}", time.perf_counter() - started, memory.peak, outcome.passed, note))

    if not args.skip_assignments:
        steps.append(timed("make assignments-check (otter)", ["make", "--no-print-directory", "assignments-check"]))

    steps.append(site_build())
    print_steps(steps)

    print(f"\n{'nbval per notebook (kernel start included)':44} {'seconds':>8}")
    for name, seconds in sorted(notebooks.items()):
        print(f"{name:44} {seconds:8.1f}")
    for language in LANGUAGES:  # work, not wall time: the two workers share it
        edition = sum(seconds for name, seconds in notebooks.items() if name.startswith(f"{language}/"))
        print(f"{f'{language}/ all notebooks (sum)':44} {edition:8.1f}")

    print(f"\n{'chapter page':44} {'bytes':>9} {'FCP ms':>8}")
    try:
        for page, size, fcp in page_metrics():
            notes = f"{over(size, PAGE_BYTES_TARGET, 'byte')} {over(fcp, FCP_TARGET_MS, 'ms')}".strip()
            print(f"{page:44} {size:9d} {fcp:8.0f} {notes}".rstrip())
    except Exception as error:  # a missing browser must not hide the figures above
        print(f"page metrics unavailable: {error}")
    print(f"\nmachine: {os.cpu_count()} cores, Python {sys.version.split()[0]}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
