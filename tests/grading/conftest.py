"""What the grading tests share: every chapter's assignment, built once per run."""

from __future__ import annotations

from pathlib import Path

import pytest

from tools.grading import build as assignment_build


@pytest.fixture(scope="session")
def built(tmp_path_factory) -> Path:
    output = tmp_path_factory.mktemp("assignments")
    assignment_build.build(output_dir=output)
    return output
