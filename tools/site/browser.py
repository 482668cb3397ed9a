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
    """Serves the site as GitHub Pages does: gzip, under the site's path, its own 404 page.

    ``prefix`` is the path the site lives under ("/NAME/" on a project site);
    ``not_found`` says which page answers a missing address, with status 404:
    "root" (GitHub Pages: the site's 404.html, whatever the depth), "edition"
    (hosts that use the nearest folder's 404.html: the edition's), or None.
    """

    prefix = "/"
    not_found: str | None = None

    def log_message(self, *args) -> None:
        pass

    def do_GET(self) -> None:
        if not self.path.startswith(self.prefix):
            self.send_error(404)
            return
        self.path = "/" + self.path[len(self.prefix) :]
        path = Path(self.translate_path(self.path))
        if self.not_found and not path.exists():
            self.send_file(self.not_found_page(), status=404)
            return
        accepts_gzip = "gzip" in self.headers.get("Accept-Encoding", "")
        if not (accepts_gzip and path.is_file() and path.suffix in COMPRESSIBLE):
            super().do_GET()
            return
        self.send_file(path)

    def not_found_page(self) -> Path:
        root = Path(self.directory)
        edition = root / self.path.lstrip("/").split("/")[0] / "404.html"
        return edition if self.not_found == "edition" and edition.is_file() else root / "404.html"

    def send_file(self, path: Path, status: int = 200) -> None:
        compress = "gzip" in self.headers.get("Accept-Encoding", "")
        body = gzip.compress(path.read_bytes(), mtime=0) if compress else path.read_bytes()
        self.send_response(status)
        self.send_header("Content-Type", self.guess_type(str(path)))
        if compress:
            self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


@contextmanager
def serve(directory: Path, prefix: str = "/", not_found: str | None = None) -> Iterator[str]:
    """Serve ``directory`` on 127.0.0.1 (a free port) under ``prefix``; yield the site's URL (no final "/")."""
    handler_class = type("Handler", (QuietHandler,), {"prefix": prefix, "not_found": not_found})
    handler = functools.partial(handler_class, directory=str(directory))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}{prefix.rstrip('/')}"
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
