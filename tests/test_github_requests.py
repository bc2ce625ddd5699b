"""Golden request logs: every GitHub flow, run as a user runs it, sends the same requests in the same order.

Each test drives ``pmcheck github ...`` through the real command line against the fake GitHub and
compares what the fake received (method, path, query and JSON body, with the fake's address, the
temporary folder, today's date and pmcheck's version replaced by placeholders) with
``tests/data/github_requests/<name>.json``. ``PMCHECK_REGENERATE_REQUESTS=1`` rewrites those files
instead (see tests/data/README.md); review the diff before committing it.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from github_fake import FakeGitHub
from github_fake.plugin import REPO, TOKEN
from github_fake.pulls_write import link_git
from test_followup import LABEL, seed_tracked_issues

from pmcheck import __version__, cli
from pmcheck.github.action_issue import Marker

GOLDEN = Path(__file__).parent / "data" / "github_requests"
REGENERATE = os.environ.get("PMCHECK_REGENERATE_REQUESTS") == "1"
SHA = "0123456789abcdef0123456789abcdef01234567"
ROOT = Path(__file__).resolve().parents[1]
FLAWED = (ROOT / "examples" / "2026-01-20-queue-backlog.md").read_text(encoding="utf-8")
PM = "docs/postmortems/2026-01-20-queue-backlog.md"

POSTMORTEM = """\
# Checkout outage

**Date:** 2026-03-02
**Severity:** SEV2

## Action items

| ID | Action | Owner | Due | Tracking |
| --- | --- | --- | --- | --- |
| CK-1 | Reject an empty upstream list in the config loader | @alice | 2026-03-16 | |
| CK-2 | Canary config pushes in one region first | @bob | 2026-03-27 | TBD |
| CK-3 | Review the resolved upstream list in diffs | @carol | 2026-03-23 | |
| CK-4 | Page the gateway team on zero healthy upstreams | @acme/sre | 2026-03-13 | |
| CK-5 | Already tracked elsewhere | @alice | 2026-04-02 | OPS-77 |

## Follow-ups

- [ ] Add a config schema check to CI (Owner: @bob, due 2026-04-10)
"""

OTHER = """\
# Queue backlog

**Date:** 2026-01-20

## Action items

- [ ] Alert on consumer throughput (Owner: @alice, due 2026-02-01)
- [x] Add large orders to the load tests (Owner: @bob, due 2026-02-15)
"""


def recorded(fake: FakeGitHub, *, tmp: Path) -> list[dict[str, Any]]:
    """The fake's log as plain data, with what differs between runs replaced."""
    entries = [{"method": r.method, "path": r.path, "query": r.query, "body": r.body} for r in fake.log]
    text = json.dumps(entries, indent=1, sort_keys=True, ensure_ascii=False)
    for value, placeholder in [
        (fake.url, "<api>"),
        (str(tmp), "<tmp>"),
        (dt.date.today().isoformat(), "<today>"),
        (__version__, "<version>"),
    ]:
        text = text.replace(json.dumps(value)[1:-1], placeholder)
    text = re.sub(r"\(\d+ days? ago\)", "(<n> days ago)", text)
    loaded: list[dict[str, Any]] = json.loads(text)
    return loaded


def check_golden(name: str, fake: FakeGitHub, tmp: Path) -> None:
    found = recorded(fake, tmp=tmp)
    path = GOLDEN / f"{name}.json"
    if REGENERATE:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(
            json.dumps(found, indent=1, sort_keys=True, ensure_ascii=False) + "\n", encoding="utf-8"
        )
    expected = json.loads(path.read_text(encoding="utf-8"))
    assert [(e["method"], e["path"]) for e in found] == [(e["method"], e["path"]) for e in expected]
    assert found == expected


def git(cwd: Path, *args: str) -> str:
    done = subprocess.run(["git", "-C", str(cwd), *args], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


@pytest.fixture
def actions_env(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fake_github: FakeGitHub
) -> Callable[..., None]:
    """Set an Actions-like environment pointing at the fake; ``set_env(event, payload)`` picks the event."""
    for name in ("GITHUB_EVENT_NAME", "GITHUB_EVENT_PATH", "GITHUB_WORKSPACE", "GITHUB_REF", "GITHUB_RUN_ID"):
        monkeypatch.delenv(name, raising=False)
    for name, value in {
        "GITHUB_API_URL": fake_github.url,
        "GITHUB_TOKEN": TOKEN,
        "GITHUB_REPOSITORY": REPO,
        "GITHUB_SHA": SHA,
        "GITHUB_SERVER_URL": "https://github.com",
        "GITHUB_STEP_SUMMARY": str(tmp_path / "summary.md"),
        "GITHUB_OUTPUT": str(tmp_path / "output.txt"),
        "GIT_CONFIG_GLOBAL": str(tmp_path / "gitconfig"),
        "GIT_CONFIG_NOSYSTEM": "1",
        "GIT_AUTHOR_NAME": "Test Author",
        "GIT_AUTHOR_EMAIL": "author@example.com",
        "GIT_AUTHOR_DATE": "2026-03-03T10:00:00Z",
        "GIT_COMMITTER_NAME": "Test Committer",
        "GIT_COMMITTER_EMAIL": "committer@example.com",
        "GIT_COMMITTER_DATE": "2026-03-03T10:00:00Z",
    }.items():
        monkeypatch.setenv(name, value)
    (tmp_path / "gitconfig").write_text("", encoding="utf-8")

    def set_env(event: str | None, payload: dict[str, Any] | None = None, **extra: str) -> None:
        if event is not None:
            monkeypatch.setenv("GITHUB_EVENT_NAME", event)
        if payload is not None:
            location = tmp_path / "event.json"
            location.write_text(json.dumps(payload), encoding="utf-8")
            monkeypatch.setenv("GITHUB_EVENT_PATH", str(location))
        for name, value in extra.items():
            monkeypatch.setenv(name, value)

    return set_env


@pytest.fixture
def checkout(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, actions_env: Any) -> Path:
    """A repository with two post-mortems and a config, as ``actions/checkout`` leaves it."""
    work = tmp_path / "work"
    (work / "postmortems").mkdir(parents=True)
    (work / "postmortems" / "2026-03-02-checkout.md").write_text(POSTMORTEM, encoding="utf-8")
    (work / "postmortems" / "2026-01-20-queue.md").write_text(OTHER, encoding="utf-8")
    (work / ".pmcheck.yml").write_text(f"github:\n  labels: [{LABEL}]\n", encoding="utf-8")
    git(work, "init", "-q", "-b", "main")
    git(work, "add", ".")
    git(work, "commit", "-q", "-m", "Post-mortems")
    monkeypatch.chdir(work)
    return work


def github(*argv: str) -> int:
    return cli.main(["github", *argv])


# The pull request ---------------------------------------------------------------------------------


def pull_request_workspace(tmp_path: Path, fake: FakeGitHub, actions_env: Any) -> Path:
    workspace = tmp_path / "repo"
    (workspace / "docs" / "postmortems").mkdir(parents=True)
    (workspace / ".pmcheck.yml").write_text("nlp:\n  enabled: false\n", encoding="utf-8")
    (workspace / PM).write_text(FLAWED, encoding="utf-8")
    fake.add_pull_request(REPO, 3, files=[PM, "src/app.py"])
    fake.add_comment(REPO, 3, "Looks good to me", user="bob")
    actions_env(
        "pull_request",
        {"number": 3},
        GITHUB_REF="refs/pull/3/merge",
        GITHUB_WORKSPACE=str(workspace),
        GITHUB_RUN_ID="4242",
    )
    return workspace


def test_pull_request_comment_and_its_update(
    tmp_path: Path, fake_github: FakeGitHub, actions_env: Any
) -> None:
    workspace = pull_request_workspace(tmp_path, fake_github, actions_env)

    assert github("pr", "--create-issues", "true") == 1
    (workspace / PM).write_text(
        FLAWED.replace("Improve monitoring", "Add a queue-depth alert"), encoding="utf-8"
    )
    assert github("pr", "--create-issues", "true") == 1
    assert github("pr", "--create-issues", "true") == 1  # unchanged: nothing written

    check_golden("pull_request", fake_github, tmp_path)


def test_auto_on_a_pull_request_event(tmp_path: Path, fake_github: FakeGitHub, actions_env: Any) -> None:
    pull_request_workspace(tmp_path, fake_github, actions_env)

    assert (
        github("--comment", "true", "--annotations", "false", "--report-file", str(tmp_path / "r.json")) == 1
    )

    check_golden("auto_pull_request", fake_github, tmp_path)


def test_auto_on_a_workflow_run_publishes_the_saved_report(
    tmp_path: Path, fake_github: FakeGitHub, actions_env: Any
) -> None:
    pull_request_workspace(tmp_path, fake_github, actions_env)
    assert github("pr", "--comment", "false", "--report-file", str(tmp_path / "r.json")) == 1
    fake_github.clear_log()
    head = fake_github.issue(REPO, 3).pull.head_sha
    actions_env("workflow_run", {"workflow_run": {"head_sha": head}})

    assert github("auto", "--report-file", str(tmp_path / "r.json")) == 0

    check_golden("auto_workflow_run", fake_github, tmp_path)


# Issues, write-back, follow-up --------------------------------------------------------------------


def test_issues_are_created_then_updated_and_closed(
    tmp_path: Path, checkout: Path, fake_github: FakeGitHub
) -> None:
    assert github("issues", "postmortems", "--write-interval", "0") == 0
    document = checkout / "postmortems" / "2026-03-02-checkout.md"
    changed = POSTMORTEM.replace("| @bob | 2026-03-27 | TBD |", "| @alice | 2026-03-30 | TBD |")
    changed = changed.replace("- [ ] Add a config schema", "- [x] Add a config schema")
    changed = changed.replace(
        "| CK-3 | Review the resolved upstream list in diffs | @carol | 2026-03-23 | |\n", ""
    )
    document.write_text(changed, encoding="utf-8")
    assert github("issues", "postmortems", "--write-interval", "0") == 0
    assert github("issues", "postmortems", "--write-interval", "0") == 0  # nothing left to do

    check_golden("issues", fake_github, tmp_path)


def test_auto_on_a_push_opens_issues_for_the_changed_post_mortems(
    tmp_path: Path, checkout: Path, fake_github: FakeGitHub, actions_env: Any
) -> None:
    payload = {"commits": [{"added": ["postmortems/2026-01-20-queue.md"], "modified": ["README.md"]}]}
    actions_env("push", payload, GITHUB_WORKSPACE=str(checkout))

    assert github("auto", "--create-issues", "false") == 0
    assert fake_github.log == []
    assert github("auto", "--create-issues", "true") == 0

    check_golden("auto_push", fake_github, tmp_path)


def test_a_rerun_after_a_lost_answer_finishes_without_duplicates(
    tmp_path: Path, checkout: Path, fake_github: FakeGitHub
) -> None:
    # The third issue is created on GitHub, but its answer never arrives; retries are off (max-wait 0).
    fake_github.inject(method="POST", path_regex=r"/issues$", after=2, drop=True, process=True)

    assert github("issues", "postmortems", "--write-interval", "0", "--max-wait", "0") == 1
    assert github("issues", "postmortems", "--write-interval", "0", "--max-wait", "0") == 0

    titles = [issue.title for issue in fake_github.issues(REPO)]
    assert len(titles) == len(set(titles)) == 6
    check_golden("issues_rerun_after_fault", fake_github, tmp_path)


def test_write_back_local_and_through_a_pull_request(
    tmp_path: Path, checkout: Path, fake_github: FakeGitHub
) -> None:
    origin = tmp_path / "origin.git"
    origin.mkdir()
    git(origin, "init", "-q", "--bare", "-b", "main")
    git(checkout, "remote", "add", "origin", str(origin))
    git(checkout, "push", "-q", "origin", "main")
    link_git(fake_github, REPO, origin)

    assert github("issues", "postmortems/2026-01-20-queue.md", "--write-interval", "0", "--write-back") == 0
    assert "(#1)" in (checkout / "postmortems" / "2026-01-20-queue.md").read_text(encoding="utf-8")
    git(checkout, "checkout", "-q", "--", ".")
    assert github("issues", "postmortems", "--write-interval", "0", "--write-back=pr") == 0
    assert github("issues", "postmortems", "--write-interval", "0", "--write-back=pr") == 0

    check_golden("write_back", fake_github, tmp_path)


def seed_followup(fake: FakeGitHub) -> None:
    seed_tracked_issues(fake)
    fake.add_issue(
        REPO,
        "Moved",
        body=Marker(key="pm/outage.md::text:moved:1", due=dt.date(2099, 1, 1)).render(),
        labels=[LABEL, "overdue"],
    )


def test_followup_labels_and_reminds_overdue_actions(
    tmp_path: Path, checkout: Path, fake_github: FakeGitHub
) -> None:
    seed_followup(fake_github)
    (checkout / ".pmcheck.yml").write_text(
        f"github:\n  labels: [{LABEL}]\n  remind_before_days: 3\n", encoding="utf-8"
    )

    for day in ["2026-05-01", "2026-05-01", "2026-05-04", "2026-05-08"]:
        assert github("followup", "--today", day, "--write-interval", "0") == 0

    check_golden("followup", fake_github, tmp_path)


def test_auto_on_a_schedule_runs_the_followup(
    tmp_path: Path, checkout: Path, fake_github: FakeGitHub, actions_env: Any
) -> None:
    seed_followup(fake_github)
    actions_env("schedule", {})

    assert github("auto") == 0

    check_golden("auto_schedule", fake_github, tmp_path)
