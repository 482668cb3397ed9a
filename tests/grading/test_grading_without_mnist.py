"""Grading that cannot be silently wrong: without MNIST it stops, with the cause and the fix.

This machine has no internet, so "no MNIST" is a HOME without Keras's cache and,
for the project's command, no offline copy either (tools.assets.mnist made to
fail as it does without npm). Also: the grading report lists the questions left
to grade by hand.
"""

from __future__ import annotations

import csv
import os
import subprocess
from pathlib import Path

import nbformat
import pytest

from tools.assets import mnist
from tools.grading import __main__ as grading_cli
from tools.grading import check as assignment_check
from tools.grading import grade as assignment_grade
from tools.grading import otter
from tools.grading.build import autograder_zip
from tools.notebooks.files import canonical_text

CHAPTER = "03_data_splitting"  # loads MNIST


def answered(built: Path, language: str, chapter: str, folder: Path) -> Path:
    """The student notebook with the book's solutions, as a submission file."""
    student = nbformat.read(built / language / chapter / "student" / f"{chapter}.ipynb", as_version=4)
    path = folder / f"{chapter}.ipynb"
    text = canonical_text(assignment_check.submission(language, chapter, student), also_kept=("otter",))
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize(("language", "headline"), [("es", "CORRECCIÓN DETENIDA"), ("en", "GRADING STOPPED")])
def test_the_guides_otter_run_stops_without_mnist(built, tmp_path, language, headline):
    """`otter run -a <zip> submission.ipynb`, as the instructor guide shows it, on a machine without MNIST."""
    submission = answered(built, language, CHAPTER, tmp_path)
    home = tmp_path / "home"
    home.mkdir()
    env = {"PATH": os.environ["PATH"], "HOME": str(home), "TF_CPP_MIN_LOG_LEVEL": "3", "LANG": "C.UTF-8"}
    result = subprocess.run(
        [str(otter.otter_command()), "run", "-a", str(autograder_zip(built / language / CHAPTER, CHAPTER))]
        + [submission.name],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )
    print(result.stderr[-3000:])
    assert result.returncode != 0
    assert f"*** {headline}" in result.stderr and "MNIST" in result.stderr
    assert "make data" in result.stderr and "storage.googleapis.com" in result.stderr  # the fix
    assert "Total Score" not in result.stdout


def test_the_projects_grade_command_stops_without_mnist(built, tmp_path, monkeypatch, capsys):
    def no_npm(*args, **kwargs):
        raise mnist.MnistDataError("npm not found: install Node.js and npm, then run `make data`")

    monkeypatch.setattr(mnist, "ensure_mnist", no_npm)
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.delenv("KERAS_HOME", raising=False)
    otter.grading_variables.cache_clear()
    try:
        submission = answered(built, "es", CHAPTER, tmp_path)
        status = grading_cli.main(["grade", str(autograder_zip(built / "es" / CHAPTER, CHAPTER)), str(submission)])
    finally:
        otter.grading_variables.cache_clear()
    error = capsys.readouterr().err
    print(error)
    assert status == 1
    assert "Grading stopped: the grading kernels cannot load MNIST" in error
    assert "npm not found" in error and "URL fetch failure" in error  # both causes
    assert "make data" in error  # the fix


def test_the_grading_report_lists_the_questions_to_grade_by_hand(built, tmp_path, capsys):
    chapter = "01_tensorflow"
    submission = answered(built, "es", chapter, tmp_path)
    report = tmp_path / "notas.csv"
    status = assignment_grade.grade_to_csv(autograder_zip(built / "es" / chapter, chapter), [submission], report)
    assert status == 0
    written = assignment_grade.to_grade_by_hand(submission)
    assert written and all(q.startswith("q") and "_written" in q for q in written)
    printed = capsys.readouterr().out
    assert f"to grade by hand: {', '.join(written)}" in printed
    (row,) = list(csv.DictReader(report.open(encoding="utf-8")))
    assert row["to grade by hand"].split() == [q.replace(" ", "") for q in written]
