"""Print the book's cost figures (`make bench`): not a test, nothing is asserted.

Per notebook: seconds to execute it in a fresh kernel and seconds for strict
nbval to re-run and compare it; then the site build time; each with the peak
resident memory of the whole process tree (this process, the kernels, Sphinx).
Per chapter page: bytes transferred and time to first contentful paint in
headless Chromium, from the local server (targets: 1 MB and 1 s).
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from contextlib import contextmanager
from pathlib import Path

import psutil

from tools import browser, build_site, kernel_env
from tools.execute_notebooks import execute
from tools.notebook_files import REPO_ROOT, chapter_notebooks


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


@contextmanager
def measured(results: list, label: str):
    started = time.perf_counter()
    with PeakMemory() as memory:
        yield
    results.append((label, time.perf_counter() - started, memory.peak))


def nbval(path: Path) -> None:
    command = [sys.executable, "-m", "pytest", "--nbval", "-q", "-p", "no:randomly", str(path)]
    result = subprocess.run(command, cwd=REPO_ROOT, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise SystemExit(f"nbval failed on {path}:\n{result.stdout[-2000:]}")


PAGE_BYTES_TARGET = 1_000_000
FCP_TARGET_MS = 1000
# Bytes of the page and of every same-site resource it loaded (off-site CDN
# requests fail on offline machines and are not counted).
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
    with browser.serve(build_site.HTML_DIR) as url, browser.chromium() as chromium:
        for path in sorted(build_site.HTML_DIR.glob("*/[0-9][0-9]_*.html")):
            relative = path.relative_to(build_site.HTML_DIR).as_posix()
            page = chromium.new_page(viewport={"width": 1280, "height": 900})
            page.goto(f"{url}/{relative}", wait_until="load")
            page.wait_for_timeout(300)  # let the paint entry be recorded
            metrics = page.evaluate(PAGE_METRICS_JS)
            rows.append((relative, metrics["bytes"], metrics["fcp"] or float("nan")))
            page.close()
    return rows


def main() -> int:
    kernel_env.apply()
    rows: list[tuple[str, float, int]] = []
    for path in chapter_notebooks():
        name = path.relative_to(REPO_ROOT / "book")
        with measured(rows, f"execute {name}"):
            execute(path)
        with measured(rows, f"nbval   {name}"):
            nbval(path)
    with measured(rows, "site build (jupyter-book, -n -W)"):
        if build_site.build(quiet=True).returncode != 0:
            raise SystemExit("site build failed: run `make book` to see why")

    print(f"\n{'step':52} {'seconds':>8} {'peak MiB':>9}")
    for label, seconds, peak in rows:
        print(f"{label:52} {seconds:8.1f} {peak / 2**20:9.0f}")
    print(f"{'total':52} {sum(r[1] for r in rows):8.1f} {max(r[2] for r in rows) / 2**20:9.0f}")
    print(f"\n{'chapter page':52} {'bytes':>9} {'FCP ms':>8}")
    for page, size, fcp in page_metrics():
        over_size = f"over {PAGE_BYTES_TARGET // 1000} kB" if size > PAGE_BYTES_TARGET else ""
        over_time = f"over {FCP_TARGET_MS} ms" if fcp > FCP_TARGET_MS else ""
        print(f"{page:52} {size:9d} {fcp:8.0f} {over_size} {over_time}".rstrip())
    print(f"\nmachine: {os.cpu_count()} cores, Python {sys.version.split()[0]}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
