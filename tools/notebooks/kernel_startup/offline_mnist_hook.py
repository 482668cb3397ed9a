"""IPython start-up hook for the kernels that test and re-execute the book.

It makes the notebooks' unchanged ``tf.keras.datasets.mnist.load_data()`` read
the verified local copy built by ``tools/assets/mnist.py`` instead of downloading
Google's file, which these machines cannot reach. Readers never run it: it is
active only in kernels started by ``tools/notebooks/harness.py`` (via IPYTHONDIR) and
only when OFFLINE_MNIST_NPZ is set. Keras is patched lazily, on first import of
its MNIST module, so kernel start-up stays fast and import order is unchanged.
"""

import hashlib
import importlib.abc
import importlib.machinery
import os
import sys

_MODULE = "keras.src.datasets.mnist"
_NPZ = os.environ.get("OFFLINE_MNIST_NPZ")
_SHA256 = os.environ.get("OFFLINE_MNIST_SHA256")
_verified = []


def _verified_npz():
    """Path of the local mnist.npz, after checking its sha256 once per kernel."""
    if not _verified:
        digest = hashlib.sha256()
        try:
            with open(_NPZ, "rb") as handle:
                for block in iter(lambda: handle.read(1 << 20), b""):
                    digest.update(block)
        except OSError as error:
            raise RuntimeError(f"Offline MNIST copy {_NPZ} is unreadable ({error}). Run `make data`.") from error
        if digest.hexdigest() != _SHA256:
            raise RuntimeError(
                f"Offline MNIST copy {_NPZ} fails its checksum. Delete it and run `make data` to rebuild it."
            )
        _verified.append(_NPZ)
    return _verified[0]


def _local_get_file(fname=None, origin=None, **kwargs):
    if fname != "mnist.npz":
        raise RuntimeError(f"The offline hook only serves mnist.npz, not {fname!r}.")
    return _verified_npz()


def _patch(module):
    module.get_file = _local_get_file


class _PatchMnistOnImport(importlib.abc.MetaPathFinder):
    def find_spec(self, fullname, path, target=None):
        if fullname != _MODULE:
            return None
        spec = importlib.machinery.PathFinder.find_spec(fullname, path)
        if spec is None or spec.loader is None:
            return None
        execute = spec.loader.exec_module

        def exec_module(module):
            execute(module)
            _patch(module)

        spec.loader.exec_module = exec_module
        return spec


if _NPZ:
    if _MODULE in sys.modules:
        _patch(sys.modules[_MODULE])
    else:
        sys.meta_path.insert(0, _PatchMnistOnImport())
