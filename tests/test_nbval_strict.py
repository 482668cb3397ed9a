"""The notebook check is strict: a stored output edited by hand makes it fail."""

import json
import subprocess
import sys

from tools.notebook_files import BOOK_DIR, REPO_ROOT

CHEAPEST_CHAPTER = BOOK_DIR / "es" / "01_tensorflow.ipynb"


def test_a_hand_edited_output_fails_nbval(tmp_path):
    notebook = json.loads(CHEAPEST_CHAPTER.read_text(encoding="utf-8"))
    setup = next(cell for cell in notebook["cells"] if cell["cell_type"] == "code")
    stream = next(output for output in setup["outputs"] if output["output_type"] == "stream")
    stream["text"] = [line.replace("TensorFlow 2.", "TensorFlow 9.") for line in stream["text"]]
    edited = tmp_path / CHEAPEST_CHAPTER.name
    edited.write_text(json.dumps(notebook), encoding="utf-8")

    result = subprocess.run(
        [sys.executable, "-m", "pytest", "--nbval", "-x", "-q", "--rootdir", str(REPO_ROOT), str(edited)],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 1, result.stdout[-2000:]
    assert "TensorFlow 9." in result.stdout and "1 failed" in result.stdout
