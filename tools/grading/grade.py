"""Grading submissions with `otter run`, as an instructor does; the grades, and what to grade by hand."""

from __future__ import annotations

import csv
import json
import re
import subprocess
import sys
import tempfile
import time
import zipfile
from dataclasses import dataclass
from pathlib import Path

import nbformat

from tools.grading.assign import TEXT
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


# The prompt of a hand-graded question in a student notebook (assign.TEXT["written"], in either edition).
WRITTEN_PROMPT = re.compile(
    r"^(?:<!-- BEGIN QUESTION -->\s*)?\*\*(?:Ejercicio|Exercise) (\d+): (?:tu respuesta escrita|your written answer)\."
)
BLANK_ANSWERS = {TEXT[language]["response"] for language in TEXT}


def to_grade_by_hand(submission: Path) -> list[str]:
    """The submission's hand-graded questions (``qN_written``), "(blank)" after those left unanswered.

    ``otter run`` leaves them out of its scores and its "possible" points: the instructor
    reads them in the submission (see the instructor guide).
    """
    if submission.suffix == ".zip":
        with zipfile.ZipFile(submission) as archive:
            names = [name for name in archive.namelist() if name.endswith(".ipynb")]
            if not names:
                return []
            notebook = nbformat.reads(archive.read(names[0]).decode("utf-8"), as_version=4)
    else:
        notebook = nbformat.read(submission, as_version=4)
    found = []
    cells = notebook.cells
    for i, cell in enumerate(cells):
        match = WRITTEN_PROMPT.match(cell.source) if cell.cell_type == "markdown" else None
        if match:
            answer = []  # the cells up to otter's end-of-question marker, that the student may have added
            for later in cells[i + 1 :]:
                if later.source.startswith("<!-- END QUESTION -->") or WRITTEN_PROMPT.match(later.source):
                    break
                answer.append(later.source.strip())
            blank = all(not text or text in BLANK_ANSWERS for text in answer)
            found.append(f"q{match.group(1)}_written" + (" (blank)" if blank else ""))
    return found


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
        by_hand = to_grade_by_hand(path)
        to_do = f"; to grade by hand: {', '.join(by_hand)}" if by_hand else ""
        print(f"{name}: {result.score:g}/{result.possible:g} ({percent:.1f} %){to_do}")
        rows.append(
            {
                "file": name,
                **{q: s for q, (s, _) in result.questions.items()},
                "total": result.score,
                "possible": result.possible,
                "percent": round(percent, 1),
                "to grade by hand": " ".join(question.replace(" ", "") for question in by_hand),
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
