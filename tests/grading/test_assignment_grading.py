"""The auto-graded assignments, graded by otter (`make assignments-check`, CI job assignments).

They build every chapter's student notebook and autograder and grade whole
chapters with `otter run`: minutes of work, so `make test` does not collect this
folder (pyproject.toml, norecursedirs). The fast checks of the same tool, and
the check that the student notebooks the site publishes hold no solution, are
in tests/test_assignments.py.
"""

from __future__ import annotations

import pytest

from tools.common.layout import LANGUAGES
from tools.grading import build as assignment_build
from tools.grading import chapters
from tools.grading import check as assignment_check

CHAPTERS = chapters.chapters()
EDITIONS = [(chapter, language) for chapter in CHAPTERS for language in LANGUAGES]


def test_a_rebuild_gives_the_same_files(built, tmp_path):
    assignment_build.build(output_dir=tmp_path)
    first = {p.relative_to(built): p.read_bytes() for p in sorted(built.rglob("*")) if p.is_file()}
    second = {p.relative_to(tmp_path): p.read_bytes() for p in sorted(tmp_path.rglob("*")) if p.is_file()}
    assert len(first) == 3 * len(EDITIONS)  # student notebook, autograder notebook, autograder zip
    assert first.keys() == second.keys()
    assert [name for name in first if first[name] != second[name]] == []


@pytest.mark.parametrize(("chapter", "language"), EDITIONS)
def test_the_reference_solutions_score_full_marks(built, chapter, language):
    outcome = assignment_check.check_chapter(language, chapter, built / language / chapter, planted=False)
    assert outcome.grade.possible > 0
    assert outcome.problems == []
    assert outcome.grade.score == outcome.grade.possible  # 100 %


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_each_planted_wrong_answer_fails_a_hidden_test(built, chapter):
    """The tests data are the same for both editions: the original (Spanish) one is enough."""
    outcome = assignment_check.check_chapter("es", chapter, built / "es" / chapter, planted=True)
    assert outcome.problems == []
    for question, (score, possible) in outcome.grade.questions.items():
        assert score < possible, question
