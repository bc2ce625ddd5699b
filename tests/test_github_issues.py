"""Corrective actions become GitHub issues exactly once, stay in sync, and survive failures.

Everything runs PyGithub over HTTP against the local fake GitHub server (tests/github_fake).
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest
from github_fake.plugin import READ_ONLY_TOKEN, REPO, TOKEN

from pmcheck import cli
from pmcheck.api import Checker
from pmcheck.config import Config, GitHubSettings
from pmcheck.engine import FileReport
from pmcheck.github.action_issue import IssueLinks, action_keys, issue_title, parse_marker
from pmcheck.github.apply import apply, prepare
from pmcheck.github.event import ClientSettings
from pmcheck.github.gateway import Gateway
from pmcheck.github.issue_plan import PlanInputs, SourceDocument, tracking_of
from pmcheck.github.pull_request import issue_previews
from pmcheck.parse import parse_document
from pmcheck.postmortem import read_postmortem
from pmcheck.run_result import RunResult

SHA = "0123456789abcdef0123456789abcdef01234567"
LABEL = "postmortem-action"

POSTMORTEM = """\
# Checkout outage

**Date:** 2026-03-02
**Severity:** SEV2

## Summary

Checkout failed for 20 minutes.

## Action items

| ID | Action | Owner | Due | Tracking |
| --- | --- | --- | --- | --- |
| CK-1 | Reject an empty upstream list in the config loader | @alice | 2026-03-16 | |
| CK-2 | Canary config pushes in one region first | @bob | 2026-03-27 | |
| CK-3 | Review the resolved upstream list in diffs | @carol | 2026-03-23 | |
| CK-4 | Page the gateway team on zero healthy upstreams | @acme/sre | 2026-03-13 | |
| CK-5 | Write the rollback runbook | Alice Example | 2026-03-20 | |
| CK-6 | Audit other config loaders | Sam Smith | 2026-04-01 | |
| CK-7 | Already tracked elsewhere | @alice | 2026-04-02 | OPS-77 |

## Follow-ups

- [ ] Add a config schema check to CI (Owner: @bob, due 2026-04-10)
- [ ] Add a config schema check to CI for the gateway too (Owner: @alice, due 2026-04-11)
"""


def many_actions(count: int, *, title: str = "Incident") -> str:
    items = "\n".join(
        f"- [ ] Fix thing number {index} in service {index} (Owner: @alice, due 2026-05-01)"
        for index in range(count)
    )
    return f"# {title}\n\n**Date:** 2026-03-02\n\n## Action items\n\n{items}\n"


def settings_for(fake: object, token: str = TOKEN) -> ClientSettings:
    return ClientSettings(
        token=token,
        api_url=fake.url,
        write_interval=0.0,
        backoff=0.0,  # type: ignore[attr-defined]
        secondary_wait=0.0,
        retries=3,
        max_wait=5.0,
    )


def document(text: str, path: str = "postmortems/2026-03-02-checkout.md") -> SourceDocument:
    catalog = Checker().ruleset_for(Path.cwd()).catalog
    return SourceDocument(path, read_postmortem(parse_document(text, path), catalog))


def sync(fake: object, documents: list[SourceDocument], *, config: Config | None = None, token: str = TOKEN):
    config = config or Config(owners={"Alice Example": "alice"})
    client = Gateway(settings_for(fake, token), REPO)
    try:
        inputs = PlanInputs.from_config(config, links=IssueLinks(repo=REPO, ref=SHA))
        plan, _ = prepare(client, documents, inputs, label=LABEL)
        return plan, apply(plan, client)
    finally:
        client.close()


def markers(fake: object) -> Counter[str]:
    found = (parse_marker(issue.body) for issue in fake.issues(REPO))  # type: ignore[attr-defined]
    return Counter(marker.key for marker in found if marker)


# Creating --------------------------------------------------------------------------------------


def test_every_untracked_action_gets_one_issue_with_owners_labels_link_and_marker(fake_github):
    plan, result = sync(fake_github, [document(POSTMORTEM)])

    assert result.ok, result.error
    issues = {parse_marker(issue.body).key.rsplit("::", 1)[1]: issue for issue in fake_github.issues(REPO)}
    assert sorted(issues) == [
        "id:CK-1",
        "id:CK-2",
        "id:CK-3",
        "id:CK-4",
        "id:CK-5",
        "id:CK-6",
        "text:add-config-schema-check-ci:1",
        "text:add-config-schema-check-ci:2",
    ]
    assignees = {key: issue.assignees for key, issue in issues.items()}
    assert assignees["id:CK-1"] == ["alice"]
    assert assignees["id:CK-2"] == ["bob"]
    assert assignees["id:CK-5"] == ["alice"]  # "Alice Example" mapped by the config's owners
    assert assignees["id:CK-3"] == assignees["id:CK-4"] == assignees["id:CK-6"] == []
    first = issues["id:CK-1"]
    assert first.title == "Reject an empty upstream list in the config loader (post-mortem: Checkout outage)"
    assert set(first.labels) == {LABEL, "SEV2"}
    for expected in (
        "Checkout outage",
        "2026-03-02",
        "2026-03-16",
        f"https://github.com/{REPO}/blob/{SHA}/postmortems/2026-03-02-checkout.md#L14",
    ):
        assert expected in first.body
    # A team named in a document is shown, not pinged (the one neutraliser for document text).
    assert "@&#8203;acme/sre (team: teams cannot be assigned)" in issues["id:CK-4"].body
    assert "Sam Smith (no GitHub login known" in issues["id:CK-6"].body
    assert any("carol cannot be assigned" in note for note in plan.notes)
    assert any("@acme/sre is a team" in note for note in plan.notes)
    assert any("'Sam Smith' has no GitHub login" in note for note in plan.notes)
    assert [skip.reason for skip in plan.skipped] == ["tracked in OPS-77"]
    # Labels are made once per run, not once per issue.
    assert len(fake_github.requests("POST", operation="issues/create-label")) == 2


def test_a_rerun_makes_no_writes_and_no_search(fake_github):
    sync(fake_github, [document(POSTMORTEM)])
    fake_github.clear_log()
    fake_github.search_lag = 100  # new issues invisible to search: must not matter

    plan, result = sync(fake_github, [document(POSTMORTEM)])

    assert plan.empty and result.ok
    assert fake_github.write_count() == 0
    assert fake_github.requests(path_regex=r"^/search") == []
    assert len(fake_github.issues(REPO)) == 8


@pytest.mark.parametrize(
    ("tracking", "created"),
    [
        ("#1", False),  # an issue of this repository that pmcheck did not open: tracked, left alone
        (f"https://github.com/{REPO}/issues/1", False),
        ("other/repo#5", False),
        ("OPS-12", False),
        ("", True),
    ],
)
def test_an_action_naming_its_tracking_issue_is_not_recreated(fake_github, tracking, created):
    fake_github.add_issue(REPO, "Hand-made issue")
    table = f"| Action | Owner | Tracking |\n| --- | --- | --- |\n| Fix it | @alice | {tracking} |\n"
    text = f"# X\n\n## Action items\n\n{table}"

    sync(fake_github, [document(text)])

    assert len(fake_github.issues(REPO)) == (2 if created else 1)
    assert fake_github.issue(REPO, 1).title == "Hand-made issue"


# Exactly once under failures -----------------------------------------------------------------


def test_a_run_that_dies_half_way_is_finished_by_the_next_without_duplicates(fake_github):
    docs = [document(many_actions(20))]
    fake_github.fail_after(10, method="POST", path_regex=r"/issues$")

    _plan, first = sync(fake_github, docs)

    assert first.error and "could not create" in first.error
    assert len(first.created) == 10 and len(first.not_done) == 10
    assert len(fake_github.issues(REPO)) == 10

    fake_github.clear_faults()
    fake_github.clear_log()
    plan, second = sync(fake_github, docs)

    assert second.ok and len(plan.creates) == 10
    assert len(fake_github.requests("POST", operation="issues/create")) == 10
    assert max(markers(fake_github).values()) == 1 and sum(markers(fake_github).values()) == 20


def test_a_create_whose_answer_was_lost_is_not_sent_again(fake_github):
    docs = [document(many_actions(5))]
    fault = fake_github.inject(method="POST", path_regex=r"/issues$", drop=True, process=True, after=2)

    _plan, result = sync(fake_github, docs)

    assert fault.fired == 1 and result.ok
    assert len(fake_github.requests("POST", operation="issues/create")) == 5
    assert sum(markers(fake_github).values()) == 5 and max(markers(fake_github).values()) == 1
    assert len(set(result.created.values())) == 5

    fake_github.clear_log()
    sync(fake_github, docs)
    assert fake_github.write_count() == 0


@pytest.mark.parametrize(
    "fault",
    [
        {"status": 502, "process": True},  # GitHub created it, then answered 502
        {"status": 502},  # GitHub failed before creating anything
    ],
)
def test_a_failed_create_is_retried_without_duplicates(fake_github, fault):
    fake_github.inject(method="POST", path_regex=r"/issues$", times=2, **fault)

    _plan, result = sync(fake_github, [document(many_actions(3))])

    assert result.ok
    assert sorted(markers(fake_github).values()) == [1, 1, 1]


def test_secondary_rate_limits_on_creates_are_waited_out(fake_github):
    fake_github.secondary_rate_limit(method="POST", path_regex=r"/issues$", retry_after=0, times=2)

    _plan, result = sync(fake_github, [document(many_actions(3))])

    assert result.ok and sorted(markers(fake_github).values()) == [1, 1, 1]
    assert len(fake_github.requests("POST", operation="issues/create")) == 5


# Keeping issues in sync --------------------------------------------------------------------------

BASE = "# Outage\n\n**Date:** 2026-03-02\n\n## Action items\n\n"
ROW = "| ID | Action | Owner | Due |\n| --- | --- | --- | --- |\n"


@pytest.mark.parametrize(
    ("after", "settings", "state", "reason", "comment", "assignees", "title"),
    [
        (
            ROW + "| A1 | Add alerting on queue depth | @alice | 2026-05-01 |\n",
            {},
            "open",
            None,
            None,
            ["alice"],
            "Add alerting on queue depth (post-mortem: Outage)",
        ),
        (
            ROW + "| A1 | Add paging on queue depth | @alice | 2026-05-01 |\n",
            {},
            "open",
            None,
            "wording changed",
            ["alice"],
            "Add paging on queue depth (post-mortem: Outage)",
        ),
        (
            ROW + "| A1 | Add alerting on queue depth | @bob | 2026-05-01 |\n",
            {},
            "open",
            None,
            "owners: alice → bob",
            ["bob"],
            None,
        ),
        (
            ROW + "| A1 | Add alerting on queue depth | @alice | 2026-06-15 |\n",
            {},
            "open",
            None,
            "deadline: 2026-05-01 → 2026-06-15",
            ["alice"],
            None,
        ),
        (
            ROW
            + "| A1 | Add alerting on queue depth | @alice | 2026-05-01 |\n".replace(
                "| A1 | Add", "| A1 | [x] Add"
            ),
            {},
            "closed",
            "completed",
            "marks this action done",
            ["alice"],
            None,
        ),
        (
            "| ID | Action | Owner | Due | Status |\n| --- | --- | --- | --- | --- |\n"
            "| A1 | Add alerting on queue depth | @alice | 2026-05-01 | Done |\n",
            {"close_when_done": False},
            "open",
            None,
            None,
            ["alice"],
            None,
        ),
        (
            ROW + "| A2 | Something else entirely | @alice | 2026-05-01 |\n",
            {},
            "closed",
            "not_planned",
            "no longer in",
            ["alice"],
            None,
        ),
        (
            ROW + "| A2 | Something else entirely | @alice | 2026-05-01 |\n",
            {"close_when_removed": False},
            "open",
            None,
            None,
            ["alice"],
            None,
        ),
    ],
)
def test_changes_in_the_document_reach_the_issue(
    fake_github, after, settings, state, reason, comment, assignees, title
):
    before = ROW + "| A1 | Add alerting on queue depth | @alice | 2026-05-01 |\n"
    config = Config(github=GitHubSettings(**settings))
    sync(fake_github, [document(BASE + before)], config=config)
    original = fake_github.issue(REPO, 1)
    original_title = original.title

    _plan, result = sync(fake_github, [document(BASE + after)], config=config)

    assert result.ok
    issue = fake_github.issue(REPO, 1)
    assert (issue.state, issue.state_reason if issue.state == "closed" else None) == (state, reason)
    assert issue.assignees == assignees
    assert issue.title == (title or original_title)
    comments = [c.body for c in fake_github.comments(REPO, 1)]
    if comment is None:
        assert comments == []
    else:
        assert len(comments) == 1 and comment in comments[0]
    assert fake_github.requests("DELETE") == []


def test_only_documents_checked_in_this_run_close_their_removed_actions(fake_github):
    one, two = (
        document(many_actions(1, title="One"), "pm/one.md"),
        document(many_actions(1, title="Two"), "pm/two.md"),
    )
    sync(fake_github, [one, two])

    sync(fake_github, [one])  # two.md was not read this run (e.g. the push did not touch it)

    assert [issue.state for issue in fake_github.issues(REPO)] == ["open", "open"]


def test_a_closed_issue_is_never_reopened_or_recreated(fake_github):
    docs = [document(many_actions(1))]
    sync(fake_github, docs)
    fake_github.issue(REPO, 1).state = "closed"

    plan, result = sync(fake_github, docs)

    assert plan.empty and result.ok and len(fake_github.issues(REPO)) == 1
    assert "closed on GitHub" in plan.skipped[0].reason


# Preview for pull requests (no network) ------------------------------------------------------


def test_the_preview_lists_the_issues_a_push_would_open_with_the_same_titles(fake_github):
    doc = document(POSTMORTEM)
    result = RunResult(reports=[FileReport(doc.path, [], doc.postmortem)])
    preview = issue_previews(result, owner_logins=lambda path: {"Alice Example": "alice"})

    assert fake_github.log == []
    keys = action_keys(doc.path, doc.postmortem.actions)
    assert [planned.key for planned in preview] == [
        key for key, action in zip(keys, doc.postmortem.actions, strict=True) if not tracking_of(action)
    ]
    assert preview[0].title == issue_title(doc.postmortem, doc.postmortem.actions[0])
    sync(fake_github, [doc])
    assert sorted(planned.title for planned in preview) == sorted(
        issue.title for issue in fake_github.issues(REPO)
    )


# The command line ----------------------------------------------------------------------------------


def run_cli(argv: list[str]) -> int:
    """``pmcheck github ...`` through the real command line."""
    return cli.main(["github", *argv])


@pytest.fixture
def workspace(tmp_path, monkeypatch, fake_github):
    """A checked-out repository with two post-mortems, and the Actions environment pointing at the fake."""
    (tmp_path / ".git").mkdir()
    folder = tmp_path / "postmortems"
    folder.mkdir()
    (folder / "2026-03-02-checkout.md").write_text(POSTMORTEM, encoding="utf-8")
    (folder / "2026-04-01-other.md").write_text(many_actions(2, title="Other"), encoding="utf-8")
    (tmp_path / ".pmcheck.yml").write_text("owners:\n  Alice Example: alice\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    for name, value in {
        "GITHUB_API_URL": fake_github.url,
        "GITHUB_TOKEN": TOKEN,
        "GITHUB_REPOSITORY": REPO,
        "GITHUB_SHA": SHA,
        "GITHUB_SERVER_URL": "https://github.com",
    }.items():
        monkeypatch.setenv(name, value)
    for name in ("GITHUB_EVENT_NAME", "GITHUB_EVENT_PATH", "GITHUB_WORKSPACE", "GITHUB_STEP_SUMMARY"):
        monkeypatch.delenv(name, raising=False)
    return tmp_path


def test_dry_run_prints_the_plan_and_writes_nothing(workspace, fake_github, capsys):
    assert run_cli(["issues", "postmortems", "--dry-run", "--write-interval", "0"]) == 0

    out = capsys.readouterr().out
    assert (
        "create  'Reject an empty upstream list in the config loader (post-mortem: Checkout outage)'" in out
    )
    assert (
        "assign @alice" in out and "skip    postmortems/2026-03-02-checkout.md:20: tracked in OPS-77" in out
    )
    assert fake_github.write_count() == 0 and fake_github.issues(REPO) == []


def test_the_command_creates_then_a_rerun_changes_nothing(workspace, fake_github, capsys):
    assert run_cli(["issues", "postmortems", "--write-interval", "0"]) == 0
    assert len(fake_github.issues(REPO)) == 10
    fake_github.clear_log()

    assert run_cli(["issues", "postmortems", "--write-interval", "0"]) == 0

    assert fake_github.write_count() == 0
    assert "nothing to create, update or close" in capsys.readouterr().out


def test_on_a_push_only_the_changed_post_mortems_are_read(workspace, fake_github, monkeypatch):
    event = workspace / "event.json"
    event.write_text(
        json.dumps(
            {"commits": [{"added": [], "modified": ["postmortems/2026-04-01-other.md", "README.md"]}]}
        ),
        encoding="utf-8",
    )
    monkeypatch.setenv("GITHUB_EVENT_NAME", "push")
    monkeypatch.setenv("GITHUB_EVENT_PATH", str(event))

    assert run_cli(["issues", ".", "--write-interval", "0"]) == 0

    assert {parse_marker(issue.body).path for issue in fake_github.issues(REPO)} == {
        "postmortems/2026-04-01-other.md"
    }


def test_a_read_only_token_reports_what_it_could_not_do(workspace, fake_github, monkeypatch, capsys):
    monkeypatch.setenv("GITHUB_TOKEN", READ_ONLY_TOKEN)

    code = run_cli(["issues", "postmortems", "--write-interval", "0"])

    err = capsys.readouterr().err
    assert code == 1
    assert "Resource not accessible by integration" in err and "issues=write" in err
    assert "permissions: issues: write" in err and "Not done (11):" in err
    assert "create 'Reject an empty upstream list" in err
    assert "Traceback" not in err
    assert fake_github.issues(REPO) == []


def test_write_back_records_each_new_issue_in_the_document_and_nothing_else(workspace, fake_github):
    path = workspace / "postmortems" / "2026-03-02-checkout.md"
    before = path.read_text(encoding="utf-8").splitlines()

    assert (
        run_cli(["issues", "postmortems/2026-03-02-checkout.md", "--write-interval", "0", "--write-back"])
        == 0
    )

    after = path.read_text(encoding="utf-8").splitlines()
    changed = {
        number + 1: (old, new)
        for number, (old, new) in enumerate(zip(before, after, strict=True))
        if old != new
    }
    numbers = {
        parse_marker(issue.body).key.rsplit("::", 1)[1]: issue.number for issue in fake_github.issues(REPO)
    }
    row = "| CK-1 | Reject an empty upstream list in the config loader | @alice | 2026-03-16 |"
    assert changed[14] == (f"{row} |", f"{row} #{numbers['id:CK-1']} |")
    assert changed[24][1].endswith(f"due 2026-04-10) (#{numbers['text:add-config-schema-check-ci:1']})")
    assert sorted(changed) == [14, 15, 16, 17, 18, 19, 24, 25]

    fake_github.clear_log()
    assert run_cli(["issues", "postmortems/2026-03-02-checkout.md", "--write-interval", "0"]) == 0
    assert fake_github.write_count() == 0  # the written-back numbers are not a change to sync
