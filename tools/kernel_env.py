"""The environment of every kernel that executes the book (tests and `make outputs`).

One place for it, so nbval, output regeneration, the standalone test and the
benchmark run notebooks under identical conditions: offline MNIST, TensorFlow's
C++ logging kept out of cell outputs, no GPU probing, fixed hash seed, one
TensorFlow thread.
"""

from __future__ import annotations

import os
from pathlib import Path

from tools import mnist_data
from tools.notebook_files import write_text_atomically

REPO_ROOT = mnist_data.REPO_ROOT
HOOK_SOURCE = Path(__file__).with_name("kernel_startup") / "offline_mnist_hook.py"
IPYTHON_DIR = REPO_ROOT / ".cache" / "ipython"

# Settings that make kernel output deterministic and quiet; each with its reason.
STATIC_ENV = {
    "TF_CPP_MIN_LOG_LEVEL": "3",  # C++ INFO/WARNING lines would land in cell outputs
    "CUDA_VISIBLE_DEVICES": "-1",  # no GPU here; skip the CUDA probe and its messages
    "PYTHONHASHSEED": "0",  # set/dict order of str keys identical across runs
}

# One TensorFlow thread per kernel, unless the environment says otherwise (the
# portability variants do). The test run gives each kernel a core of its own
# (pytest -n auto), the book's models are too small to gain from more threads,
# and idle TensorFlow threads spin on the other kernel's core: chapter 5 alone
# took 33 s instead of 40 s here. `make portability` re-runs the book with
# TensorFlow's own choice (tf-threads-auto, as readers run it) and with 4.
DEFAULT_THREADS = {"TF_NUM_INTRAOP_THREADS": "1", "TF_NUM_INTEROP_THREADS": "1"}


def thread_settings() -> dict[str, str]:
    """TensorFlow's thread counts for the kernels: the environment's, else one."""
    return {name: os.environ.get(name, value) for name, value in DEFAULT_THREADS.items()}


# TensorFlow prints some C++ lines before it reads TF_CPP_MIN_LOG_LEVEL
# ("All log messages before absl::InitializeLog() ..."). They go to the kernel
# process's file descriptor 2; with fd capture off, ipykernel leaves them in the
# harness's terminal instead of copying them into cell outputs. Python-level
# warnings still reach the cell output, where nbval sees them.
KERNEL_CONFIG = "c.IPKernelApp.capture_fd_output = False\n"


def install_hook(ipython_dir: Path = IPYTHON_DIR) -> Path:
    """Write the start-up hook and kernel config into an IPython profile; return the hook."""
    profile = ipython_dir / "profile_default"
    target = profile / "startup" / "00-offline-mnist.py"
    target.parent.mkdir(parents=True, exist_ok=True)
    write_text_atomically(target, HOOK_SOURCE.read_text(encoding="utf-8"))
    write_text_atomically(profile / "ipython_kernel_config.py", KERNEL_CONFIG)
    return target


def kernel_env(ipython_dir: Path = IPYTHON_DIR) -> dict[str, str]:
    """Prepare MNIST and the hook; return the variables a kernel must inherit."""
    npz = mnist_data.ensure_mnist()
    install_hook(ipython_dir)
    return {
        **thread_settings(),
        **STATIC_ENV,
        "IPYTHONDIR": str(ipython_dir),
        "OFFLINE_MNIST_NPZ": str(npz),
        "OFFLINE_MNIST_SHA256": mnist_data.NPZ_SHA256,
    }


def apply() -> dict[str, str]:
    """Put the kernel environment into this process, so child kernels inherit it."""
    env = kernel_env()
    os.environ.update(env)
    return env
