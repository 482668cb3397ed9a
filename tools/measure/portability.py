"""Prove the stored outputs hold on other processors (`make portability`).

The strict nbval check of the whole book is re-run once per numeric
environment below. Each variant makes this machine compute the way another
one would: another OpenBLAS kernel for NumPy (as on a processor with or
without AVX-512 or AVX2), another number of TensorFlow threads (as on a
laptop or runner with another core count), TensorFlow with or without oneDNN,
and oneDNN held to AVX2 instructions. An output that changes under any of them
would change on some reader's machine.

Before a run, the variant is checked to have taken effect (an OpenBLAS
core type it does not know silently falls back to the default, and would prove
nothing).

Usage: python -m tools.measure.portability [--list] [VARIANT ...]   (default: all)
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from tools.common.layout import BOOK_DIR, REPO_ROOT
from tools.notebooks import figures, harness

# The name of each variant, and what it changes in the harness's settings
# (tools/notebooks/harness.py). .github/workflows/ci.yml runs the same names as a matrix.
VARIANTS: dict[str, dict[str, str]] = {
    "default": {},
    "openblas-haswell": {"OPENBLAS_CORETYPE": "Haswell"},  # AVX2, no AVX-512
    "openblas-sandybridge": {"OPENBLAS_CORETYPE": "Sandybridge"},  # AVX, no FMA
    # The harness runs TensorFlow on one thread. 0 is TensorFlow's own choice (one
    # thread per core), the one readers get; 4 is a bigger machine.
    "tf-threads-auto": {"TF_NUM_INTRAOP_THREADS": "0", "TF_NUM_INTEROP_THREADS": "0"},
    "tf-threads-4": {"TF_NUM_INTRAOP_THREADS": "4", "TF_NUM_INTEROP_THREADS": "4"},
    "onednn-off": {"TF_ENABLE_ONEDNN_OPTS": "0"},
    "onednn-avx2": {"TF_ENABLE_ONEDNN_OPTS": "1", "ONEDNN_MAX_CPU_ISA": "AVX2"},
}

# Asks NumPy's bundled OpenBLAS which kernel it chose.
OPENBLAS_CORE_PROBE = """
import ctypes, glob, os, numpy
library = glob.glob(os.path.join(os.path.dirname(numpy.__path__[0]), "numpy.libs", "libscipy_openblas*"))[0]
blas = ctypes.CDLL(library)
name = next(n for n in ("scipy_openblas_get_corename64_", "scipy_openblas_get_corename") if hasattr(blas, n))
getattr(blas, name).restype = ctypes.c_char_p
print(getattr(blas, name)().decode())
"""

# Counts the threads of a process once TensorFlow has run an op: its thread
# pools exist by then, so the count follows the thread settings.
TF_THREADS_PROBE = """
import os, tensorflow as tf
tf.linalg.matmul(tf.ones((64, 64)), tf.ones((64, 64)))
print("threads:", len(os.listdir("/proc/self/task")))
"""

# Asks oneDNN (through TensorFlow) which instruction set it uses.
ONEDNN_ISA_PROBE = """
import tensorflow as tf
tf.linalg.matmul(tf.ones((64, 64)), tf.ones((64, 64)))
"""


MAX_FAILURES_SHOWN = 10


@dataclass
class Outcome:
    variant: str
    passed: bool
    seconds: float
    summary: str
    figures: int = 0  # figures compared
    largest_rms: float = 0.0  # their largest difference from the stored ones (tools/notebooks/figures.py)


def variant_env(name: str) -> dict[str, str]:
    return {**os.environ, **VARIANTS[name]}


def probe(code: str, env: dict[str, str]) -> str:
    result = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=False)
    return result.stdout + result.stderr


def thread_count(env: dict[str, str]) -> str:
    log = probe(TF_THREADS_PROBE, env)
    return next((line.split(":")[1].strip() for line in log.splitlines() if line.startswith("threads:")), "no")


def check_took_effect(name: str) -> str | None:
    """None if the variant is in force, else why not."""
    settings = VARIANTS[name]
    env = variant_env(name)
    if "OPENBLAS_CORETYPE" in settings:
        core = probe(OPENBLAS_CORE_PROBE, env).strip().splitlines()[-1:]
        if [c.lower() for c in core] != [settings["OPENBLAS_CORETYPE"].lower()]:
            return f"OpenBLAS runs the {core} kernel, not {settings['OPENBLAS_CORETYPE']}"
    if settings.keys() & harness.DEFAULT_THREADS.keys() and (os.cpu_count() or 1) > 1:
        harness_env = {**os.environ, **harness.thread_settings()}
        default, variant = (thread_count(harness_env), thread_count(env))
        if default == variant:
            return f"TensorFlow started {variant} threads, as many as with the harness's settings"
    if "ONEDNN_MAX_CPU_ISA" in settings:
        log = probe(ONEDNN_ISA_PROBE, {**env, "ONEDNN_VERBOSE": "1", "TF_CPP_MIN_LOG_LEVEL": "3"})
        isa = next((line for line in log.splitlines() if ",isa:" in line), "")
        if settings["ONEDNN_MAX_CPU_ISA"].lower() not in isa.replace(" ", "").lower():
            return f"oneDNN did not report {settings['ONEDNN_MAX_CPU_ISA']} ({isa or 'no isa line'})"
    return None


def nbval_command(*paths: str) -> list[str]:
    """Strict nbval of the given notebooks or folders, as `make test` runs it."""
    return [sys.executable, "-m", "pytest", "-n", "auto", "--nbval", "-q", *paths]


def run_variant(name: str, paths: list[str] | None = None) -> Outcome:
    started = time.perf_counter()
    problem = check_took_effect(name)
    if problem:
        return Outcome(name, False, time.perf_counter() - started, f"not in force: {problem}")
    with tempfile.TemporaryDirectory(prefix="figures-") as folder:
        log = Path(folder) / "figures.jsonl"
        result = subprocess.run(
            nbval_command(*(paths or [str(BOOK_DIR)])),
            cwd=REPO_ROOT,
            env={**variant_env(name), "BOOK_FIGURE_LOG": str(log)},
            capture_output=True,
            text=True,
            check=False,
        )
        differences = [json.loads(line)["rms"] for line in log.read_text().splitlines()] if log.exists() else []
    lines = result.stdout.strip().splitlines()
    failures = [line.split(" - ")[0] for line in lines if line.startswith(("FAILED", "ERROR"))]
    shown = failures[:MAX_FAILURES_SHOWN] + (["..."] if len(failures) > MAX_FAILURES_SHOWN else [])
    summary = "\n".join([*shown, lines[-1] if lines else result.stderr[-500:]])
    seconds = time.perf_counter() - started
    return Outcome(name, result.returncode == 0, seconds, summary, len(differences), max(differences, default=0.0))


def describe(name: str) -> str:
    return " ".join(f"{key}={value}" for key, value in VARIANTS[name].items()) or "the harness's settings"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--list", action="store_true", help="print the variant names and exit")
    parser.add_argument("variants", nargs="*", metavar="VARIANT", help=", ".join(VARIANTS))
    args = parser.parse_args(argv)
    unknown = [name for name in args.variants if name not in VARIANTS]
    if unknown:
        parser.error(f"unknown variant {', '.join(unknown)}; choose from {', '.join(VARIANTS)}")
    if args.list:
        print("\n".join(VARIANTS))
        return 0
    outcomes = []
    for name in args.variants or list(VARIANTS):
        print(f"{name} ({describe(name)}) ...", flush=True)
        outcome = run_variant(name)
        print(f"  {'passed' if outcome.passed else 'FAILED'} in {outcome.seconds:.0f} s: {outcome.summary}", flush=True)
        outcomes.append(outcome)
    print(f"\n{'variant':22} {'result':7} {'seconds':>8} {'figures':>8} {'max RMS':>8}  settings")
    for outcome in outcomes:
        result = "passed" if outcome.passed else "FAILED"
        print(
            f"{outcome.variant:22} {result:7} {outcome.seconds:8.0f} {outcome.figures:8d} "
            f"{outcome.largest_rms:8.3f}  {describe(outcome.variant)}"
        )
    print(f"figure tolerance: RMS {figures.TOLERANCE_RMS} (tools/notebooks/figures.py)")
    return 0 if all(outcome.passed for outcome in outcomes) else 1


if __name__ == "__main__":
    raise SystemExit(main())
