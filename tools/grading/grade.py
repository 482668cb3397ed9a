"""Grading submissions with `otter run`, as an instructor does, and the grades as a table."""

from __future__ import annotations

import csv
import json
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from tools.grading.otter import GRADING_VENV, OtterError, run_otter

GRADING_TIMEOUT_S = 1800


@dataclass
class Grade:
    """What otter run said about one submission."""

    questions: dict[str, tuple[float, float]]  # question -> (score, possible)
    failed_tests: dict[str, list[tuple[str, bool, str]]]  # question -> [(test, hidden, message)] that failed
    seconds: float
    output: str = ""

    @property
    def score(self) -> float:
        return sum(score for score, _ in self.questions.values())

    @property
    def possible(self) -> float:
        return sum(possible for _, possible in self.questions.values())


# Runs in the grading environment: otter's pickled GradingResults as plain JSON.
RESULTS_TO_JSON = """
import json, sys
import dill
results = dill.load(open(sys.argv[1], "rb"))
print(json.dumps({
    name: {
        "score": test_file.score,
        "possible": test_file.possible,
        "failed": [
            [r.test_case.name or "", bool(r.test_case.hidden), r.message]
            for r in test_file.test_case_results
            if not r.passed
        ],
    }
    for name, test_file in results.results.items()
}))
"""


def grade(submission: Path, autograder: Path) -> Grade:
    """Grade one submission (.ipynb or .zip) with ``otter run``, as an instructor would."""
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="otter-run-") as scratch:
        result = run_otter(
            ["run", "--no-logo", "-p", "-a", str(autograder.resolve()), "-o", scratch, str(submission.resolve())],
            cwd=Path(scratch),
            timeout=GRADING_TIMEOUT_S,
            kernels=True,
        )
        pickled = Path(scratch) / "results.pkl"
        if result.returncode != 0 or not pickled.exists():
            raise OtterError(f"otter run failed on {submission}:\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}")
        converted = subprocess.run(
            [str(GRADING_VENV / "bin" / "python"), "-c", RESULTS_TO_JSON, str(pickled)],
            capture_output=True,
            text=True,
            check=True,
        )
    results = json.loads(converted.stdout)
    questions = {name: (float(r["score"]), float(r["possible"])) for name, r in sorted(results.items())}
    failed = {name: [tuple(case) for case in r["failed"]] for name, r in sorted(results.items())}
    return Grade(questions, failed, time.perf_counter() - started, result.stdout)


def submissions_in(paths: list[Path]) -> list[tuple[Path, str]]:
    """Each submission and the name its CSV row shows: a folder is searched recursively.

    An LMS download keeps each student's name or id in the file or folder name, so the
    name shown is the path below the folder given.
    """
    found = []
    for path in paths:
        if path.is_dir():
            files = sorted(
                p for p in path.rglob("*") if p.suffix in (".ipynb", ".zip") and ".ipynb_checkpoints" not in p.parts
            )
            found += [(file, file.relative_to(path).as_posix()) for file in files]
        else:
            found.append((path, path.name))
    return found


def grade_to_csv(autograder: Path, paths: list[Path], csv_path: Path | None) -> int:
    """Grade each submission; print its score and optionally write one CSV row per submission."""
    rows, failures = [], 0
    for path, name in submissions_in(paths):
        try:
            result = grade(path, autograder)
        except OtterError as error:
            failures += 1
            print(f"{name}: NOT GRADED\n{error}", file=sys.stderr)
            continue
        percent = 100 * result.score / result.possible if result.possible else 0.0
        print(f"{name}: {result.score:g}/{result.possible:g} ({percent:.1f} %)")
        rows.append(
            {
                "file": name,
                **{q: s for q, (s, _) in result.questions.items()},
                "total": result.score,
                "possible": result.possible,
                "percent": round(percent, 1),
            }
        )
    if csv_path and rows:
        columns = list(dict.fromkeys(key for row in rows for key in row))
        with open(csv_path, "w", newline="", encoding="utf-8") as stream:
            writer = csv.DictWriter(stream, fieldnames=columns)
            writer.writeheader()
            writer.writerows(rows)
        print(f"wrote {csv_path}")
    return 1 if failures else 0
