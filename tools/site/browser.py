"""Headless Chromium and a local web server, for the browser tests and the benchmark."""

from __future__ import annotations

import functools
import gzip
import http.server
import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

# Debian's chromium (apt-get install chromium); a preinstalled Chrome also works.
BROWSER_PATH = os.environ.get("BROWSER_PATH", "/usr/bin/chromium")
# Flags for a sandboxed, offline machine: no first-run, no background requests.
BROWSER_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


# Text files are sent gzip-compressed, as GitHub Pages sends them, so that the
# bytes a browser transfers here are the bytes a reader's browser transfers.
COMPRESSIBLE = {".html", ".css", ".js", ".svg", ".json", ".txt", ".map"}


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:
        pass

    def do_GET(self) -> None:
        path = Path(self.translate_path(self.path))
        accepts_gzip = "gzip" in self.headers.get("Accept-Encoding", "")
        if not (accepts_gzip and path.is_file() and path.suffix in COMPRESSIBLE):
            super().do_GET()
            return
        body = gzip.compress(path.read_bytes(), mtime=0)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


@contextmanager
def serve(directory: Path) -> Iterator[str]:
    """Serve ``directory`` on 127.0.0.1 (a free port) and yield its base URL."""
    handler = functools.partial(QuietHandler, directory=str(directory))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()


@contextmanager
def chromium() -> Iterator[object]:
    """A headless Chromium from the system (never a downloaded browser build)."""
    from playwright.sync_api import sync_playwright

    if not Path(BROWSER_PATH).exists():
        raise RuntimeError(f"no browser at {BROWSER_PATH}: run `bash tools/install_system_deps.sh` or set BROWSER_PATH")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=BROWSER_PATH, args=BROWSER_ARGS)
        try:
            yield browser
        finally:
            browser.close()
