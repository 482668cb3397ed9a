"""How a book kernel starts: the one place for it.

``make outputs`` (tools/notebooks/execute.py), nbval (the pytest plugin
tests/kernel_harness.py), ``make portability`` and ``make bench`` (which run
that nbval) all start kernels through this module, so the outputs are written
and checked under the same conditions:
- the interpreter: the project's own (the one running this code, .venv's), named
  by a private kernelspec in .cache/jupyter that nothing else is searched
  beside, so a user's or the system's ``python3`` kernelspec cannot take over;
- the folder: a new empty one, outside the repository, with HOME inside it, as
  on Colab: a notebook cannot read a repository file through a relative path, nor
  a ``~/.keras/keras.json`` or anything an earlier notebook left in HOME;
- the environment: built from scratch, not inherited. Only PATH and the numeric
  settings that ``make portability`` varies (PASSED_THROUGH) come from the
  caller; a KERAS_BACKEND, PYTHONPATH or MPLBACKEND on a contributor's machine
  never reaches the kernel;
- offline MNIST (an IPython start-up hook, tools/notebooks/kernel_startup), TensorFlow's
  C++ logs kept out of cell outputs, no GPU probing, a fixed hash seed and one
  TensorFlow thread (see DEFAULT_THREADS).
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from tools.assets import mnist
from tools.common.files import write_text_atomically
from tools.common.layout import CACHE_DIR

HOOK_SOURCE = Path(__file__).with_name("kernel_startup") / "offline_mnist_hook.py"
IPYTHON_DIR = CACHE_DIR / "ipython"
KERNELSPECS_DIR = CACHE_DIR / "jupyter" / "kernels"
# Matplotlib's font cache, shared by every kernel: it saves seconds per notebook
# and is not something a notebook reads or writes on purpose.
MATPLOTLIB_CACHE = CACHE_DIR / "matplotlib"
# The project's kernelspec. Its own name, so no other kernelspec can shadow it;
# the notebooks keep "python3" in their metadata, as readers' Jupyter expects.
KERNEL_NAME = "tf-keras-book"

# Settings that make kernel output deterministic and quiet; each with its reason.
STATIC_ENV = {
    "TF_CPP_MIN_LOG_LEVEL": "3",  # C++ INFO/WARNING lines would land in cell outputs
    "CUDA_VISIBLE_DEVICES": "-1",  # no GPU here; skip the CUDA probe and its messages
    "PYTHONHASHSEED": "0",  # set/dict order of str keys identical across runs
    "LANG": "C.UTF-8",  # one locale for every machine; UTF-8 for the Spanish strings
}

# One TensorFlow thread per kernel, unless the environment says otherwise (the
# portability variants do). The test run gives each kernel a core of its own
# (pytest -n auto), the book's models are too small to gain from more threads,
# and idle TensorFlow threads spin on the other kernel's core: chapter 5 alone
# took 33 s instead of 40 s here. `make portability` re-runs the book with
# TensorFlow's own choice (tf-threads-auto, as readers run it) and with 4.
DEFAULT_THREADS = {"TF_NUM_INTRAOP_THREADS": "1", "TF_NUM_INTEROP_THREADS": "1"}

# The only variables a kernel takes from the caller: PATH (so `!pip` and the like
# find programs) and the numeric settings that stand in for other processors in
# `make portability` (tools/measure/portability.py; tests/test_harness.py keeps the two
# lists in step).
PASSED_THROUGH = ("PATH", "OPENBLAS_CORETYPE", "TF_ENABLE_ONEDNN_OPTS", "ONEDNN_MAX_CPU_ISA", *DEFAULT_THREADS)

# TensorFlow prints some C++ lines before it reads TF_CPP_MIN_LOG_LEVEL
# ("All log messages before absl::InitializeLog() ..."). They go to the kernel
# process's file descriptor 2; with fd capture off, ipykernel leaves them in the
# harness's terminal instead of copying them into cell outputs. Python-level
# warnings still reach the cell output, where nbval sees them.
KERNEL_CONFIG = "c.IPKernelApp.capture_fd_output = False\n"


def thread_settings() -> dict[str, str]:
    """TensorFlow's thread counts for the kernels: the environment's, else one."""
    return {name: os.environ.get(name, value) for name, value in DEFAULT_THREADS.items()}


def install_hook(ipython_dir: Path = IPYTHON_DIR) -> Path:
    """Write the start-up hook and kernel config into an IPython profile; return the hook."""
    profile = ipython_dir / "profile_default"
    target = profile / "startup" / "00-offline-mnist.py"
    target.parent.mkdir(parents=True, exist_ok=True)
    write_text_atomically(target, HOOK_SOURCE.read_text(encoding="utf-8"))
    write_text_atomically(profile / "ipython_kernel_config.py", KERNEL_CONFIG)
    return target


def install_kernelspec(directory: Path = KERNELSPECS_DIR) -> Path:
    """The project's kernelspec: ipykernel's own, for this interpreter (.venv's)."""
    from ipykernel.kernelspec import get_kernel_dict

    spec = {**get_kernel_dict(), "display_name": "TensorFlow y Keras desde cero (.venv)"}
    target = directory / KERNEL_NAME / "kernel.json"
    target.parent.mkdir(parents=True, exist_ok=True)
    write_text_atomically(target, json.dumps(spec, indent=1) + "\n")
    return target


def harness_variables() -> dict[str, str]:
    """Prepare MNIST, the hook and the kernelspec; the variables every book kernel gets.

    Also what ``otter run`` needs to grade offline (tools/grading/).
    """
    npz = mnist.ensure_mnist()
    install_hook()
    install_kernelspec()
    MATPLOTLIB_CACHE.mkdir(parents=True, exist_ok=True)
    return {
        **thread_settings(),
        **STATIC_ENV,
        "IPYTHONDIR": str(IPYTHON_DIR),
        "MPLCONFIGDIR": str(MATPLOTLIB_CACHE),
        "OFFLINE_MNIST_NPZ": str(npz),
        "OFFLINE_MNIST_SHA256": mnist.NPZ_SHA256,
    }


def kernel_environment(home: Path, variables: dict[str, str]) -> dict[str, str]:
    """The whole environment of one kernel: nothing inherited but PASSED_THROUGH."""
    passed = {name: os.environ[name] for name in PASSED_THROUGH if name in os.environ}
    return {**passed, **variables, "HOME": str(home)}


@dataclass
class Sandbox:
    """Where one kernel runs: an empty working folder and a HOME of its own."""

    workdir: Path
    env: dict[str, str]


@contextmanager
def sandbox(variables: dict[str, str]) -> Iterator[Sandbox]:
    """A new empty folder with HOME inside it, removed when the kernel is done."""
    root = Path(tempfile.mkdtemp(prefix="book-kernel-"))
    workdir, home = root / "work", root / "home"
    workdir.mkdir()
    home.mkdir()
    try:
        yield Sandbox(workdir, kernel_environment(home, variables))
    finally:
        shutil.rmtree(root, ignore_errors=True)


def kernelspec_manager():
    """A kernelspec manager that sees only the project's kernelspec."""
    from jupyter_client.kernelspec import KernelSpecManager

    return KernelSpecManager(kernel_dirs=[str(KERNELSPECS_DIR)], ensure_native_kernel=False)


def kernel_manager(asynchronous: bool = False):
    """A kernel manager for the project's kernel (nbval uses the blocking one, nbclient the other)."""
    from jupyter_client import AsyncKernelManager, KernelManager

    manager = AsyncKernelManager if asynchronous else KernelManager
    return manager(kernel_name=KERNEL_NAME, kernel_spec_manager=kernelspec_manager())
