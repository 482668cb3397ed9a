"""The GitHub workflow: offline audits, and a job graph that never deploys an untested commit."""

import copy
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from tools.measure import portability

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


CHECKS = ("test", "portability", "assignments")
PAGES_UPLOAD_ACTION = "actions/upload-pages-artifact"
# Commands that build the site; only `make test` (through its site_build fixture) may.
SITE_BUILDS = ("make book", "tools.site.build", "jupyter-book build", "jupyter book build", "sphinx-build")


def steps_of(workflow: dict):
    for name, job in workflow["jobs"].items():
        for step in job.get("steps", []):
            yield name, step


def deploy_problems(workflow: dict) -> list[str]:
    """Why the deployed site might not be a tested one (empty when it is)."""
    problems = []
    for failed in CHECKS:
        if deploying_jobs(workflow) & jobs_that_run(workflow, failed={failed}):
            problems.append(f"the site is deployed even when {failed!r} fails")
    if not deploying_jobs(workflow) <= jobs_that_run(workflow, failed=set()):
        problems.append("a commit that passes every check is not deployed")
    for job, step in steps_of(workflow):
        command = str(step.get("run", ""))
        if any(build in command for build in SITE_BUILDS):
            problems.append(f"job {job!r} builds the site again ({command.strip()!r}): deploy the tested build")
    uploads = [
        (job, step) for job, step in steps_of(workflow) if str(step.get("uses", "")).startswith(PAGES_UPLOAD_ACTION)
    ]
    if len(uploads) != 1:
        problems.append(f"{len(uploads)} jobs upload a Pages artifact; the test job alone must")
    for job, step in uploads:
        runs = [str(s.get("run", "")).strip() for s in workflow["jobs"][job].get("steps", [])]
        if "make test" not in runs:
            problems.append(f"the Pages artifact comes from job {job!r}, which does not run `make test`")
        if step.get("with", {}).get("path") != "_build/html":
            problems.append("the Pages artifact is not the tested build in _build/html")
    return problems


def test_the_deployed_site_is_the_tested_one():
    assert deploy_problems(load()) == []


def rebuild_before_deploy(jobs):
    """The old shape: a job that builds the site again after the checks and uploads that."""
    test_steps = jobs["test"]["steps"]
    jobs["test"]["steps"] = [s for s in test_steps if not str(s.get("uses", "")).startswith(PAGES_UPLOAD_ACTION)]
    upload = next(s for s in test_steps if str(s.get("uses", "")).startswith(PAGES_UPLOAD_ACTION))
    jobs["pages"] = {"needs": list(CHECKS), "runs-on": "ubuntu-24.04", "steps": [{"run": "make book"}, upload]}
    jobs["deploy"]["needs"] = ["pages"]


@pytest.mark.parametrize(
    "break_the_gate",
    [
        *(
            pytest.param(
                lambda jobs, check=check: jobs["deploy"].update(needs=[c for c in CHECKS if c != check]),
                id=f"without {check}",
            )
            for check in CHECKS
        ),
        pytest.param(
            lambda jobs: jobs["deploy"].update({"if": "always() && github.ref == 'refs/heads/main'"}), id="if always()"
        ),
        pytest.param(lambda jobs: jobs["deploy"].update(needs=[]), id="needs nothing"),
        pytest.param(rebuild_before_deploy, id="builds the site again"),
    ],
)
def test_the_gate_check_catches_a_deploy_that_does_not_wait_or_rebuilds(break_the_gate):
    workflow = copy.deepcopy(load())
    break_the_gate(workflow["jobs"])
    assert deploy_problems(workflow) != []


DEPENDABOT = WORKFLOWS_DIR.parent / "dependabot.yml"


def test_dependabot_moves_the_pinned_actions_and_the_python_pins_weekly():
    result = run(str(BIN / "check-jsonschema"), "--builtin-schema", "vendor.dependabot", str(DEPENDABOT))
    assert result.returncode == 0, result.stdout + result.stderr
    updates = {entry["package-ecosystem"]: entry for entry in load(DEPENDABOT)["updates"]}
    assert set(updates) == {"github-actions", "pip"}
    for entry in updates.values():
        assert entry["schedule"]["interval"] == "weekly" and entry.get("groups"), entry
