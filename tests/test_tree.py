"""The shape of tools/: one room per job, small modules, imports that only go down the table.

tools/__init__.py lists the rooms in order; a room may import only from rooms
listed after it (and from itself), which rules out import cycles between rooms.
Inside a room, the module graph must have no cycle either.
"""

import ast
from graphlib import CycleError, TopologicalSorter
from pathlib import Path

import pytest

from tools.common.layout import REPO_ROOT

TOOLS = REPO_ROOT / "tools"
# Top-down, as tools/__init__.py draws it: each may import the ones below it.
ROOMS = ["measure", "site", "grading", "i18n", "notebooks", "assets", "common"]
MAX_LINES = 400
MODULES = sorted(TOOLS.rglob("*.py")) + sorted((REPO_ROOT / "book" / "_ext").glob("*.py"))


def module_name(path: Path) -> str:
    parts = path.relative_to(REPO_ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imported_modules(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("tools"):
            found |= {f"{node.module}.{alias.name}" for alias in node.names} | {node.module}
        elif isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names if alias.name.startswith("tools")}
    return found


def room(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 and parts[0] == "tools" else None


@pytest.mark.parametrize("path", MODULES, ids=lambda path: str(path.relative_to(REPO_ROOT)))
def test_no_module_is_over_the_limit(path):
    lines = len(path.read_text(encoding="utf-8").splitlines())
    assert lines <= MAX_LINES, f"{lines} lines: split it by responsibility (limit {MAX_LINES})"


def test_every_room_is_a_listed_package_that_says_what_it_owns():
    rooms = {path.name for path in TOOLS.iterdir() if path.is_dir() and (path / "__init__.py").exists()}
    assert rooms == set(ROOMS)
    for name in ROOMS:
        docstring = ast.get_docstring(ast.parse((TOOLS / name / "__init__.py").read_text(encoding="utf-8")))
        assert docstring and "import" in docstring.lower(), (
            f"tools/{name}/__init__.py must say what it owns and imports"
        )
    loose = [path.name for path in TOOLS.glob("*.py") if path.name != "__init__.py"]
    assert loose == [], f"modules outside any room: {loose}"


def test_rooms_import_only_rooms_below_them():
    problems = []
    for path in TOOLS.rglob("*.py"):
        here = room(module_name(path))
        for target in {room(m) for m in imported_modules(path)} - {None, here}:
            if target not in ROOMS or ROOMS.index(target) < ROOMS.index(here):
                problems.append(f"{path.relative_to(REPO_ROOT)} ({here}) imports tools.{target}")
    assert problems == []


def test_no_import_cycle_between_modules():
    names = {module_name(path): path for path in TOOLS.rglob("*.py")}
    graph = {name: {m for m in imported_modules(path) if m in names and m != name} for name, path in names.items()}
    try:
        tuple(TopologicalSorter(graph).static_order())
    except CycleError as error:
        pytest.fail(f"import cycle: {' -> '.join(error.args[1])}")
