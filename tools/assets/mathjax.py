"""Vendor MathJax into the site, so its formulas render without internet.

Sphinx loads MathJax from a CDN by default; offline (a classroom without
internet, a copy of the site on a laptop) the formulas of the chapters then
stay raw TeX. This script takes MathJax from its npm package, checks the
tarball against a pinned sha256 and extracts what the site serves into
``.cache/mathjax/static/mathjax/``. ``_config.yml`` lists ``.cache/mathjax/static``
in ``html_static_path`` and points ``mathjax_path`` at ``mathjax/startup.js``,
so every edition serves its own copy from ``_static/mathjax/``.
``tools/site/build.py`` calls ``ensure_assets()`` before each build.

Which MathJax: the smallest set that renders the book's TeX. The combined
component ``tex-chtml.js`` weighs 262 kB gzipped, 108 kB of it the right-click
menu; instead ``_config.yml`` has ``startup.js`` load only TeX input, HTML
output and assistive MathML (for screen readers): 164 kB, all told, plus the
web fonts a page's formulas use (only those are downloaded). ``SERVED_FILES``
lists those components, the CHTML fonts, and the TeX extensions that macros
such as ``\\cancel`` or ``\\color`` load on first use, so they work offline too.
MathJax's licence (Apache 2.0) travels with the files.

Usage: ``python -m tools.assets.mathjax [--cache-dir DIR]``
"""

from __future__ import annotations

import hashlib
import json
import tarfile
import tempfile
from pathlib import Path, PurePosixPath

from tools.assets import npm
from tools.assets.npm import sha256_file
from tools.common.files import write_text_atomically
from tools.common.layout import REPO_ROOT

PACKAGE = "mathjax@3.2.2"
# sha256 of the npm tarball (`npm pack mathjax@3.2.2`), checked before anything is extracted.
TARBALL_SHA256 = "1b9c0a1c44df864e915690558e72adb9cc5203360daefd385084ced3b6c64c09"
DEFAULT_CACHE_DIR = REPO_ROOT / ".cache" / "mathjax"
# Folder inside the static directory, i.e. the site serves _static/mathjax/.
SERVED_AS = "mathjax"
COMPONENT = "startup.js"
# What the site serves, as paths (or folder prefixes) inside package/es5/.
SERVED_FILES = (
    COMPONENT,
    "core.js",
    "input/tex.js",
    "output/chtml.js",
    "output/chtml/fonts/",
    "input/tex/extensions/",
    "a11y/assistive-mml.js",
)
LICENSE = "LICENSE"  # package/LICENSE, served beside the component


class MathJaxAssetsError(RuntimeError):
    """A problem with the vendored MathJax, phrased as what to do about it."""


def static_dir(directory: Path = DEFAULT_CACHE_DIR) -> Path:
    """The folder _config.yml lists in html_static_path (it holds ``mathjax/``)."""
    return Path(directory) / "static"


def manifest_path(directory: Path) -> Path:
    # Beside the static folder, not in it: the manifest is not part of the site.
    return directory / "manifest.json"


def npm_pack(destination: Path) -> Path:
    """Download the npm tarball of ``PACKAGE`` into ``destination``; return its path."""
    return npm.pack(PACKAGE, destination, MathJaxAssetsError, rerun="make book")


def verify_tarball(tarball: Path) -> None:
    actual = sha256_file(tarball)
    if actual != TARBALL_SHA256:
        raise MathJaxAssetsError(
            f"Checksum mismatch for {tarball.name} ({PACKAGE}):\n"
            f"  expected sha256 {TARBALL_SHA256}\n  got      sha256 {actual}\n"
            "The download is corrupt or not the pinned release; nothing was extracted. "
            "Run `make book` again; if it persists, review the pin in tools/assets/mathjax.py."
        )


def served_name(member: str) -> str | None:
    """Where a tarball member goes inside ``mathjax/`` (None: the site does not need it)."""
    path = PurePosixPath(member)
    if path.is_absolute() or ".." in path.parts or path.parts[:1] != ("package",):
        return None
    inside = PurePosixPath(*path.parts[1:]).as_posix()
    if inside == LICENSE:
        return LICENSE
    if not inside.startswith("es5/"):
        return None
    relative = inside.removeprefix("es5/")
    wanted = any(relative == item if not item.endswith("/") else relative.startswith(item) for item in SERVED_FILES)
    return relative if wanted else None


def extract(tarball: Path, target: Path) -> dict[str, str]:
    """Extract what the site needs into ``target/mathjax``; return {served path: sha256}."""
    files: dict[str, str] = {}
    try:
        archive = tarfile.open(tarball, "r:gz")
    except (tarfile.TarError, OSError, EOFError) as error:
        raise MathJaxAssetsError(f"{tarball} is not a readable .tgz ({error}). Run `make book` again.") from error
    with archive:
        for member in archive:
            name = served_name(member.name)
            if name is None or not member.isfile():
                continue
            source = archive.extractfile(member)
            data = source.read() if source else b""
            destination = target / SERVED_AS / name
            destination.parent.mkdir(parents=True, exist_ok=True)
            destination.write_bytes(data)
            files[name] = hashlib.sha256(data).hexdigest()
    missing = [item for item in (COMPONENT, LICENSE) if item not in files]
    if missing or not any(name.startswith("output/chtml/fonts/") for name in files):
        raise MathJaxAssetsError(
            f"{tarball.name} has no {missing[0] if missing else 'CHTML fonts'}: it is not the MathJax 3 "
            "npm package this site expects. Review PACKAGE in tools/assets/mathjax.py."
        )
    return files


def manifest_header() -> dict:
    """What the extracted files were made from: a change to any of these re-extracts them."""
    return {"package": PACKAGE, "tarball_sha256": TARBALL_SHA256, "served_files": list(SERVED_FILES)}


def read_manifest(directory: Path) -> dict | None:
    try:
        return json.loads(manifest_path(directory).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def is_complete(directory: Path) -> bool:
    """True if the static folder holds exactly the pinned release's files, unaltered."""
    manifest = read_manifest(directory)
    header = manifest_header()
    if not manifest or any(manifest.get(key) != value for key, value in header.items()):
        return False
    root = static_dir(directory) / SERVED_AS
    for name, digest in manifest.get("files", {}).items():
        path = root / name
        if not path.is_file() or sha256_file(path) != digest:
            return False
    on_disk = {p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file()} if root.is_dir() else set()
    return bool(manifest.get("files")) and on_disk == set(manifest["files"])


def check_writable(directory: Path) -> None:
    npm.check_writable(
        directory, MathJaxAssetsError, "MathJax", "Make it writable, or delete it so that `make book` creates it again."
    )


def install(tarball: Path, directory: Path) -> Path:
    """Verify ``tarball`` and put its files in place; a reader never sees half a copy.

    The files are extracted into a scratch folder, which then replaces the
    static folder in one rename. The manifest goes first and comes back last,
    so an interrupted run leaves no manifest and the next run starts over.
    """
    verify_tarball(tarball)
    with tempfile.TemporaryDirectory(dir=directory, prefix=".extract-") as scratch:
        fresh = Path(scratch) / "static"
        files = extract(tarball, fresh)
        manifest_path(directory).unlink(missing_ok=True)
        target = static_dir(directory)
        if target.exists():
            target.rename(Path(scratch) / "old")  # removed with the scratch folder
        fresh.rename(target)
        manifest = {**manifest_header(), "files": dict(sorted(files.items()))}
        write_text_atomically(manifest_path(directory), json.dumps(manifest, indent=1) + "\n")
    return target


def ensure_assets(directory: Path = DEFAULT_CACHE_DIR) -> Path:
    """Return the static folder holding a verified ``mathjax/``, fetching it if needed."""
    directory = Path(directory)
    if is_complete(directory):
        return static_dir(directory)
    check_writable(directory)
    with tempfile.TemporaryDirectory(dir=directory, prefix=".npm-") as download:
        return install(npm_pack(Path(download)), directory)


def main(argv: list[str] | None = None) -> int:
    path, status = npm.command_line(argv, __doc__.splitlines()[0], DEFAULT_CACHE_DIR, ensure_assets, MathJaxAssetsError)
    if path:
        print(f"MathJax ready: {path / SERVED_AS / COMPONENT} ({PACKAGE}, tarball sha256 {TARBALL_SHA256})")
    return status


if __name__ == "__main__":
    raise SystemExit(main())
