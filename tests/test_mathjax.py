"""The vendored MathJax: the happy path on a small fake tarball, and every failure
path ending in a clear message, with the previous copy (if any) left intact."""

from __future__ import annotations

import hashlib
import io
import json
import tarfile
from pathlib import Path

import pytest
import yaml

from tools.assets import mathjax
from tools.assets.mathjax import MathJaxAssetsError

# What the site needs from the package, and what it does not.
SERVED = {
    "package/LICENSE": b"Apache License 2.0",
    "package/es5/startup.js": b"/* startup */",
    "package/es5/core.js": b"/* core */",
    "package/es5/input/tex.js": b"/* tex */",
    "package/es5/output/chtml.js": b"/* chtml */",
    "package/es5/output/chtml/fonts/tex.js": b"/* font data */",
    "package/es5/output/chtml/fonts/woff-v2/MathJax_Main-Regular.woff": b"wOFF",
    "package/es5/input/tex/extensions/cancel.js": b"/* cancel */",
    "package/es5/a11y/assistive-mml.js": b"/* assistive mml */",
}
NOT_SERVED = {
    "package/package.json": b"{}",
    "package/es5/tex-svg.js": b"/* another component */",
    "package/es5/output/svg.js": b"/* svg output */",
    "package/es5/a11y/explorer.js": b"/* menu-only */",
    "package/es5/sre/mathmaps/es.json": b"{}",
}


def write_tarball(path: Path, files: dict[str, bytes], extra: list[tarfile.TarInfo] = ()) -> Path:
    with tarfile.open(path, "w:gz") as archive:
        for name, data in files.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
        for info in extra:
            archive.addfile(info, io.BytesIO(b"x" * info.size) if info.isfile() else None)
    return path


@pytest.fixture
def fake_release(tmp_path, monkeypatch):
    """A fake MathJax tarball, pinned as if it were the genuine one."""
    tarball = write_tarball(tmp_path / "mathjax-9.9.9.tgz", {**SERVED, **NOT_SERVED})
    monkeypatch.setattr(mathjax, "TARBALL_SHA256", hashlib.sha256(tarball.read_bytes()).hexdigest())
    return tarball


def served_files(cache: Path) -> list[str]:
    root = mathjax.static_dir(cache) / mathjax.SERVED_AS
    return sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file())


def leftovers(directory: Path) -> list[str]:
    return sorted(p.name for p in directory.iterdir()) if directory.exists() else []


def test_installs_exactly_what_the_site_serves(tmp_path, fake_release):
    cache = tmp_path / "cache"
    cache.mkdir()
    mathjax.install(fake_release, cache)

    expected = sorted(name.removeprefix("package/").removeprefix("es5/") for name in SERVED)
    assert served_files(cache) == expected
    root = mathjax.static_dir(cache) / "mathjax"
    assert (root / "startup.js").read_bytes() == SERVED["package/es5/startup.js"]
    manifest = json.loads((cache / "manifest.json").read_text())
    assert manifest["package"] == mathjax.PACKAGE and sorted(manifest["files"]) == expected
    assert mathjax.is_complete(cache)
    assert leftovers(cache) == ["manifest.json", "static"]


def test_the_component_mathjax_path_names_is_served():
    """_config.yml's mathjax_path is <SERVED_AS>/<COMPONENT>, one of the files extracted."""
    config = yaml.safe_load((mathjax.REPO_ROOT / "_config.yml").read_text(encoding="utf-8"))
    sphinx = config["sphinx"]["config"]
    assert sphinx["mathjax_path"] == f"{mathjax.SERVED_AS}/{mathjax.COMPONENT}"
    static = mathjax.static_dir(mathjax.DEFAULT_CACHE_DIR).relative_to(mathjax.REPO_ROOT)
    assert static.as_posix() in sphinx["html_static_path"]
    loaded = sphinx["mathjax3_config"]["loader"]["load"]
    assert all(f"{component}.js" in mathjax.SERVED_FILES for component in loaded)


def test_checksum_mismatch_extracts_nothing(tmp_path):
    tarball = write_tarball(tmp_path / "mathjax.tgz", SERVED)  # the genuine pin stays in place
    cache = tmp_path / "cache"
    cache.mkdir()
    with pytest.raises(MathJaxAssetsError, match="(?s)Checksum mismatch for mathjax.tgz.*nothing was extracted"):
        mathjax.install(tarball, cache)
    assert leftovers(cache) == []


def test_tarball_that_is_not_gzip_is_rejected(tmp_path, monkeypatch):
    tarball = tmp_path / "mathjax.tgz"
    tarball.write_bytes(b"this is not a tarball")
    monkeypatch.setattr(mathjax, "TARBALL_SHA256", hashlib.sha256(tarball.read_bytes()).hexdigest())
    cache = tmp_path / "cache"
    cache.mkdir()
    with pytest.raises(MathJaxAssetsError, match="not a readable .tgz"):
        mathjax.install(tarball, cache)
    assert leftovers(cache) == []


def test_tarball_without_the_component_is_rejected(tmp_path, monkeypatch):
    files = {name: data for name, data in SERVED.items() if not name.endswith("/startup.js")}
    tarball = write_tarball(tmp_path / "other.tgz", files)
    monkeypatch.setattr(mathjax, "TARBALL_SHA256", hashlib.sha256(tarball.read_bytes()).hexdigest())
    cache = tmp_path / "cache"
    cache.mkdir()
    with pytest.raises(MathJaxAssetsError, match="has no startup.js"):
        mathjax.install(tarball, cache)
    assert leftovers(cache) == []


def test_members_outside_the_package_or_not_files_are_never_written(tmp_path, monkeypatch):
    link = tarfile.TarInfo("package/es5/input/tex/extensions/evil.js")
    link.type, link.linkname = tarfile.SYMTYPE, "/etc/passwd"
    escape = tarfile.TarInfo("package/es5/../../../escaped.js")
    escape.size = 1
    absolute = tarfile.TarInfo(str(tmp_path / "absolute.js"))
    absolute.size = 1
    tarball = write_tarball(tmp_path / "mathjax.tgz", SERVED, extra=[link, escape, absolute])
    monkeypatch.setattr(mathjax, "TARBALL_SHA256", hashlib.sha256(tarball.read_bytes()).hexdigest())
    cache = tmp_path / "deep" / "er" / "cache"
    cache.mkdir(parents=True)
    mathjax.install(tarball, cache)
    assert "input/tex/extensions/evil.js" not in served_files(cache)
    assert not (tmp_path / "absolute.js").exists() and not list(tmp_path.rglob("escaped.js"))


def test_an_altered_file_is_fetched_again(tmp_path, fake_release, monkeypatch):
    cache = tmp_path / "cache"
    cache.mkdir()
    mathjax.install(fake_release, cache)
    component = mathjax.static_dir(cache) / "mathjax" / "startup.js"
    component.write_bytes(b"/* edited by hand */")
    assert not mathjax.is_complete(cache)
    monkeypatch.setattr(mathjax, "npm_pack", lambda destination: fake_release)
    mathjax.ensure_assets(cache)
    assert component.read_bytes() == SERVED["package/es5/startup.js"]
    assert mathjax.is_complete(cache)


def test_a_stray_file_or_a_changed_selection_is_not_complete(tmp_path, fake_release, monkeypatch):
    cache = tmp_path / "cache"
    cache.mkdir()
    mathjax.install(fake_release, cache)
    stray = mathjax.static_dir(cache) / "mathjax" / "tex-svg.js"
    stray.write_text("/* not from the manifest */")
    assert not mathjax.is_complete(cache)
    stray.unlink()
    assert mathjax.is_complete(cache)
    monkeypatch.setattr(mathjax, "SERVED_FILES", (*mathjax.SERVED_FILES, "tex-svg.js"))
    assert not mathjax.is_complete(cache)


def test_a_failed_update_keeps_the_previous_copy(tmp_path, fake_release, monkeypatch):
    cache = tmp_path / "cache"
    cache.mkdir()
    mathjax.install(fake_release, cache)
    before = served_files(cache)

    def disk_full(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(mathjax, "extract", disk_full)
    with pytest.raises(OSError, match="disk full"):
        mathjax.install(fake_release, cache)
    assert served_files(cache) == before and mathjax.is_complete(cache)
    assert leftovers(cache) == ["manifest.json", "static"]


def test_unwritable_cache_dir_says_what_to_do(tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a directory")
    with pytest.raises(MathJaxAssetsError, match="Cannot write the MathJax cache"):
        mathjax.ensure_assets(blocker / "cache")
