"""The composite action as the runner executes it: its own ``run:`` steps, in bash, against the fake GitHub.

``action.yml`` is read with PyYAML; the steps after ``actions/setup-python`` run in order, each
``${{ ... }}`` replaced the way the runner would from the inputs, the ``github`` context and earlier
steps' outputs. The runner environment is simulated: an event payload (checked against GitHub's
``pull-request-opened`` webhook schema), ``GITHUB_*`` variables with ``GITHUB_API_URL`` pointing at
the fake, and the summary and output files in tmp_path. ``actions/setup-python`` is this interpreter, and
``actions/cache`` is the runner's business (the same ``RUNNER_TEMP`` across runs stands in for a
restored cache). The install step runs as shipped, with one stand-in: before the first run, the
action's virtual environment is given a ``.pth`` line naming this environment's site-packages, so pip
finds spaCy and the other dependencies installed and builds only pmcheck itself.
"""

from __future__ import annotations

import json
import os
import platform
import re
import subprocess
import sys
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import pytest
import requests
import yaml
from environments import seeded_venv
from github_fake import FakeGitHub, schema
from github_fake.plugin import REPO, TOKEN, seed

ROOT = Path(__file__).resolve().parents[1]
ACTION = yaml.safe_load((ROOT / "action.yml").read_text(encoding="utf-8"))
FLAWED = (ROOT / "examples" / "2026-01-20-queue-backlog.md").read_text(encoding="utf-8")
PM = "docs/postmortems/2026-01-20-queue-backlog.md"
EXPRESSION = re.compile(r"\$\{\{\s*([A-Za-z0-9_.\-]+)\s*\}\}")


def evaluate(text: str, context: Mapping[str, Any]) -> str:
    """Replace property references such as ``${{ inputs.fail-on }}``, as the runner does (missing: empty)."""

    def lookup(match: re.Match[str]) -> str:
        value: Any = context
        for part in match.group(1).split("."):
            value = value.get(part, "") if isinstance(value, Mapping) else ""
        return "" if value is None else str(value)

    return EXPRESSION.sub(lookup, text)


def read_outputs(path: Path) -> dict[str, str]:
    """GITHUB_OUTPUT as the runner parses it: ``name=value`` and ``name<<DELIMITER`` blocks."""
    lines = path.read_text(encoding="utf-8").splitlines()
    outputs: dict[str, str] = {}
    index = 0
    while index < len(lines):
        line = lines[index]
        if "<<" in line and ("=" not in line or line.index("<<") < line.index("=")):
            name, delimiter = line.split("<<", 1)
            end = lines.index(delimiter, index + 1)
            outputs[name] = "\n".join(lines[index + 1 : end])
            index = end + 1
            continue
        name, _, value = line.partition("=")
        outputs[name] = value
        index += 1
    return outputs


def webhook_payload(fake: FakeGitHub, number: int) -> dict[str, Any]:
    """A ``pull_request`` ``opened`` payload assembled from what the fake serves for the same objects."""
    headers = {"Authorization": f"token {TOKEN}"}

    def get(path: str) -> Any:
        response = requests.get(f"{fake.url}{path}", headers=headers, timeout=5)
        response.raise_for_status()
        return response.json()

    pull = get(f"/repos/{REPO}/pulls/{number}")
    pull["merged"] = False  # the webhook's pull request requires it; the REST answer leaves it out
    return {
        "action": "opened",
        "number": number,
        "pull_request": pull,
        "repository": get(f"/repos/{REPO}"),
        "sender": pull["user"],
    }


@pytest.fixture(scope="session")
def runner_temp(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """RUNNER_TEMP, shared by every run in the session as a runner with a restored cache would see it."""
    return tmp_path_factory.mktemp("runner-temp")


@pytest.fixture(params=["", "/api/v3"], ids=["github.com", "enterprise-server"])
def fake(request: pytest.FixtureRequest) -> Iterator[FakeGitHub]:
    with FakeGitHub(prefix=request.param, validate=True) as server:
        seed(server)
        yield server
        problems = server.schema_errors + server.internal_errors
    assert problems == []


def run_action(
    fake: FakeGitHub, tmp_path: Path, inputs: Mapping[str, str], *, runner_temp: Path
) -> tuple[int, str, dict[str, str], str]:
    """Run the action's steps like the runner; returns (exit code, stdout, action outputs, job summary)."""
    workspace = tmp_path / "workspace"
    (workspace / PM).parent.mkdir(parents=True)
    (workspace / PM).write_text(FLAWED, encoding="utf-8")
    (workspace / ".pmcheck.yml").write_text("nlp:\n  enabled: false\n", encoding="utf-8")
    payload = webhook_payload(fake, 3)
    assert schema.errors(schema.component_validator("webhook-pull-request-opened"), payload) == []
    event = tmp_path / "event.json"
    event.write_text(json.dumps(payload), encoding="utf-8")
    summary = tmp_path / "summary.md"
    runner_env = {
        "PATH": os.environ["PATH"],
        "HOME": str(tmp_path),
        "CI": "true",
        "GITHUB_ACTIONS": "true",
        "GITHUB_EVENT_NAME": "pull_request",
        "GITHUB_EVENT_PATH": str(event),
        "GITHUB_REPOSITORY": REPO,
        "GITHUB_REF": "refs/pull/3/merge",
        "GITHUB_SHA": "c" * 40,
        "GITHUB_WORKSPACE": str(workspace),
        "GITHUB_SERVER_URL": "https://github.com",
        "GITHUB_API_URL": fake.url,
        "GITHUB_RUN_ID": "99",
        "GITHUB_STEP_SUMMARY": str(summary),
        "RUNNER_TEMP": str(runner_temp),
        "RUNNER_OS": "Linux",
        "RUNNER_ARCH": "X64",
    }
    defaults = {name: spec.get("default", "") for name, spec in ACTION["inputs"].items()}
    context: dict[str, Any] = {
        "inputs": {**defaults, **inputs},
        "github": {"token": TOKEN, "action_path": str(ROOT), "workspace": str(workspace)},
        "runner": {"temp": str(runner_temp)},
        "steps": {"python": {"outputs": {"python-path": sys.executable}}},
    }
    context["inputs"] = {name: evaluate(str(value), context) for name, value in context["inputs"].items()}
    steps = ACTION["runs"]["steps"]
    setup = next(
        i for i, step in enumerate(steps) if str(step.get("uses", "")).startswith("actions/setup-python")
    )
    stdout = ""
    code = 0
    for index, step in enumerate(steps[setup + 1 :]):
        if "run" not in step:
            continue  # other actions (the cache) are the runner's business, not pmcheck's
        if step.get("id") == "install":
            seeded_venv(Path(context["steps"]["venv"]["outputs"]["dir"]))
        output_file = tmp_path / f"output-{index}.txt"
        output_file.write_text("", encoding="utf-8")
        script = tmp_path / f"step-{index}.sh"
        script.write_text(evaluate(step["run"], context), encoding="utf-8")
        env = {**runner_env, "GITHUB_OUTPUT": str(output_file)}
        env |= {name: evaluate(str(value), context) for name, value in step.get("env", {}).items()}
        done = subprocess.run(
            ["bash", "--noprofile", "--norc", "-eo", "pipefail", str(script)],
            env=env,
            cwd=workspace,
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
        stdout += done.stdout
        assert "Traceback" not in done.stderr, done.stderr
        if "id" in step:
            context["steps"][step["id"]] = {"outputs": read_outputs(output_file)}
        code = done.returncode
        if code:
            break
    outputs = {name: evaluate(spec["value"], context) for name, spec in ACTION["outputs"].items()}
    return code, stdout, outputs, summary.read_text(encoding="utf-8") if summary.exists() else ""


def test_the_action_comments_annotates_and_reports_on_a_pull_request(
    fake: FakeGitHub, tmp_path: Path, runner_temp: Path
) -> None:
    fake.add_pull_request(REPO, 3, files=[PM, "src/app.py"])
    sarif = tmp_path / "results.sarif"
    code, stdout, outputs, summary = run_action(
        fake, tmp_path, {"sarif": str(sarif)}, runner_temp=runner_temp
    )
    assert code == 1, "errors in the post-mortem fail the step"
    (comment,) = fake.comments(REPO, 3)
    assert comment.body.startswith("<!-- pmcheck:pr-comment -->")
    assert outputs["errors"] == "6" and outputs["warnings"] == "3" and outputs["failed"] == "true"
    assert outputs["comment-url"] == f"https://github.com/{REPO}/pull/3#issuecomment-{comment.id}"
    assert outputs["checked-files"] == PM
    assert re.search(
        r"^::error file=docs/postmortems/2026-01-20-queue-backlog\.md,line=38,col=1,"
        r"title=PM031 action-owner::corrective action has no owner",
        stdout,
        re.M,
    )
    assert "## pmcheck — pull request #3" in summary and "6 errors, 3 warnings" in summary
    assert json.loads(sarif.read_text(encoding="utf-8"))["runs"][0]["results"]
    assert all(fake.prefix + "/repos/" in r.path for r in fake.requests())


def test_inputs_reach_the_script_only_through_the_environment() -> None:
    for step in ACTION["runs"]["steps"]:
        assert "${{" not in step.get("run", ""), f"expression in the script text of {step.get('name')!r}"
    cache = next(
        step for step in ACTION["runs"]["steps"] if str(step.get("uses")).startswith("actions/cache")
    )
    assert cache["with"] == {"path": "${{ steps.venv.outputs.dir }}", "key": "${{ steps.venv.outputs.key }}"}
    assert ACTION["inputs"]["github-token"]["default"] == "${{ github.token }}"
    for name, spec in ACTION["inputs"].items():
        assert spec.get("description"), f"input {name} has no description"
    assert {"errors", "warnings", "comment-url"} <= set(ACTION["outputs"])
    assert ACTION["branding"]["icon"] and ACTION["branding"]["color"]


def test_a_hostile_input_value_stays_data(fake: FakeGitHub, tmp_path: Path, runner_temp: Path) -> None:
    fake.add_pull_request(REPO, 3, files=[PM])
    marker = tmp_path / "pwned"
    code, _stdout, outputs, _summary = run_action(
        fake,
        tmp_path,
        {"paths": f'docs/**/*.md"; touch {marker}; echo "', "fail-on": "warning"},
        runner_temp=runner_temp,
    )
    assert not marker.exists()
    assert code == 0 and outputs["checked-files"] == ""
    assert len(fake.comments(REPO, 3)) == 0, "a pull request whose post-mortems match nothing gets no comment"


@pytest.mark.parametrize("fake", [""], ids=["github.com"], indirect=True)
def test_a_warm_run_installs_nothing_and_leaves_the_jobs_python_alone(
    fake: FakeGitHub, tmp_path: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    fake.add_pull_request(REPO, 3, files=[PM])
    runner_temp = tmp_path_factory.mktemp("fresh-runner-temp")
    cold = run_action(fake, tmp_path / "cold", {"comment": "false"}, runner_temp=runner_temp)
    warm = run_action(fake, tmp_path / "warm", {"comment": "false"}, runner_temp=runner_temp)
    assert "pmcheck: installing into" in cold[1] and "nothing to install" not in cold[1]
    assert "nothing to install" in warm[1] and "pmcheck: installing" not in warm[1]
    assert cold[0] == warm[0] == 1 and cold[2] == warm[2]
    setup = next(s for s in ACTION["runs"]["steps"] if str(s.get("uses")).startswith("actions/setup-python"))
    assert setup["with"]["update-environment"] is False, "the job's PATH keeps its own Python"
    for step in ACTION["runs"]["steps"]:
        assert not re.search(r"(^|\s)(python|pip)3? -m pip install", step.get("run", "")), step["name"]


@pytest.mark.parametrize("fake", [""], ids=["github.com"], indirect=True)
def test_the_cache_key_names_os_python_ref_and_code(
    fake: FakeGitHub, tmp_path: Path, runner_temp: Path
) -> None:
    fake.add_pull_request(REPO, 3, files=[PM])
    run_action(fake, tmp_path, {"comment": "false"}, runner_temp=runner_temp)
    (key,) = (read_outputs(f)["key"] for f in tmp_path.glob("output-*.txt") if "key=" in f.read_text())
    version = platform.python_version()
    assert re.fullmatch(
        rf"pmcheck-venv-Linux-X64-py{re.escape(version)}-local-[0-9a-f]{{16}}-[0-9a-f]{{16}}", key
    )
