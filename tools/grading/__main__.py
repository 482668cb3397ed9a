"""Command line of the assignments (`make assignments`, `make assignments-check`, grading).

Usage:
    python -m tools.grading build [CHAPTER ...]        (make assignments)
    python -m tools.grading check [CHAPTER ...]        grade the reference solutions and the
                                               planted answers; print the times
    python -m tools.grading grade AUTOGRADER.zip SUBMISSION_OR_FOLDER ... [--csv FILE]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from tools.grading.build import build, refresh_exercises
from tools.grading.chapters import chapters
from tools.grading.check import check
from tools.grading.grade import grade_to_csv
from tools.grading.otter import OtterError


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    for name, text in [
        ("build", "build the student notebooks and autograders"),
        ("check", "build, then grade the solutions and the planted answers"),
    ]:
        command = commands.add_parser(name, help=text)
        command.add_argument("chapters", nargs="*", help=f"default: every chapter with tests ({', '.join(chapters())})")
    grading = commands.add_parser("grade", help="grade submissions (files or folders) with an autograder zip")
    grading.add_argument("autograder", type=Path)
    grading.add_argument("submissions", nargs="+", type=Path)
    grading.add_argument("--csv", type=Path, help="write the scores here, one row per submission")
    args = parser.parse_args(argv)
    try:
        if args.command == "build":
            build(args.chapters)
            if not args.chapters:  # the whole set: refresh the committed copies Colab opens
                print(f"refreshed {len(refresh_exercises())} student notebooks in exercises/")
            return 0
        if args.command == "check":
            return 1 if any(outcome.problems for outcome in check(args.chapters)) else 0
        return grade_to_csv(args.autograder, args.submissions, args.csv)
    except OtterError as error:
        print(error, file=sys.stderr)
        return 1


if __name__ == "__main__":
    raise SystemExit(main())


if __name__ == "__main__":
    raise SystemExit(main())
