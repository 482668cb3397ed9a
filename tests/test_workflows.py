"""The GitHub workflow: offline audits, and a job graph that never deploys an untested commit."""

import copy
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from tools import portability

WORKFLOWS_DIR = Path(__file__).resolve().parent.parent / ".github" / "workflows"
WORKFLOWS = sorted(WORKFLOWS_DIR.glob("*.yml"))
CI = WORKFLOWS_DIR / "ci.yml"
BIN = Path(sys.executable).parent
DEPLOY_ACTION = "actions/deploy-pages"
# A job `if:` with one of these runs even when a job it needs failed.
RUNS_DESPITE_FAILURE = ("always()", "failure()", "cancelled()")


def run(*command):
    return subprocess.run(command, capture_output=True, text=True, check=False)


def load(path: Path = CI) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def needs(job: dict) -> list[str]:
    value = job.get("needs", [])
    return [value] if isinstance(value, str) else list(value)


def jobs_that_run(workflow: dict, failed: set[str]) -> set[str]:
    """The jobs GitHub starts when the jobs in ``failed`` fail (and every job's own `if:` holds).

    GitHub's rule: a job whose `needs` include a failed or skipped job is
    skipped, unless its `if:` uses always(), failure() or cancelled().
    """
    jobs = workflow["jobs"]
    outcome: dict[str, str] = {}

    def resolve(name: str) -> str:
        if name not in outcome:
            job = jobs[name]
            condition = str(job.get("if", ""))
            upstream_ok = all(resolve(dependency) == "success" for dependency in needs(job))
            if not upstream_ok and not any(word in condition for word in RUNS_DESPITE_FAILURE):
                outcome[name] = "skipped"
            else:
                outcome[name] = "failure" if name in failed else "success"
        return outcome[name]

    for name in jobs:
        resolve(name)
    return {name for name, result in outcome.items() if result != "skipped"}


def deploying_jobs(workflow: dict) -> set[str]:
    return {
        name
        for name, job in workflow["jobs"].items()
        if any(str(step.get("uses", "")).startswith(DEPLOY_ACTION) for step in job.get("steps", []))
    }


def test_zizmor_finds_nothing():
    result = run(str(BIN / "zizmor"), "--offline", "--no-progress", *map(str, WORKFLOWS))
    assert result.returncode == 0, result.stdout + result.stderr


def test_workflows_match_the_github_schema():
    result = run(str(BIN / "check-jsonschema"), "--builtin-schema", "vendor.github-workflows", *map(str, WORKFLOWS))
    assert result.returncode == 0, result.stdout + result.stderr


def test_actions_are_pinned_to_commit_shas():
    for path in WORKFLOWS:
        for line in path.read_text().splitlines():
            if "uses:" in line:
                reference = line.split("uses:")[1].split("#")[0].strip()
                assert reference.count("@") == 1 and len(reference.split("@")[1]) == 40, (path, line)


def test_only_the_ci_workflow_deploys():
    for path in WORKFLOWS:
        if path != CI:
            assert deploying_jobs(load(path)) == set(), f"{path.name} deploys outside the tested pipeline"
    assert deploying_jobs(load()) != set(), "ci.yml no longer deploys the site"


def test_the_test_job_runs_the_readme_test_command():
    steps = load()["jobs"]["test"]["steps"]
    assert any(str(step.get("run", "")).strip() == "make test" for step in steps)


def test_the_portability_matrix_runs_every_variant():
    matrix = load()["jobs"]["portability"]["strategy"]["matrix"]["variant"]
    assert matrix == list(portability.VARIANTS)


@pytest.mark.parametrize("failed", ["test", "portability"])
def test_a_commit_that_fails_the_checks_is_not_deployed(failed):
    workflow = load()
    assert deploying_jobs(workflow) & jobs_that_run(workflow, failed={failed}) == set()


def test_a_commit_that_passes_the_checks_is_deployed():
    workflow = load()
    assert deploying_jobs(workflow) <= jobs_that_run(workflow, failed=set())


@pytest.mark.parametrize(
    "break_the_gate",
    [
        lambda jobs: jobs["pages"].update(needs=["portability"]),  # forgets the tests
        lambda jobs: jobs["pages"].update({"if": "always() && github.ref == 'refs/heads/main'"}),
        lambda jobs: jobs["deploy"].update(needs=[]),
    ],
)
def test_the_gate_check_catches_a_deploy_that_does_not_wait(break_the_gate):
    workflow = copy.deepcopy(load())
    break_the_gate(workflow["jobs"])
    assert deploying_jobs(workflow) & jobs_that_run(workflow, failed={"test"}) != set()
