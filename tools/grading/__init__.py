"""Auto-graded assignments from the book's chapters, with otter-grader (`make assignments`).

Owns: chapters.py (the exercises and the tests files' format), assign.py (the
Otter Assign master notebook), otter.py (running otter from .venv-grading),
build.py (student notebooks and autograders), grade.py (grading submissions),
check.py (the book's solutions score full marks, planted answers fail), and
exercises/ (one tests file per chapter). Command line: ``python -m tools.grading``.
May import tools.common and tools.notebooks.
"""
