"""Values written in fields and cells (placeholders, issue references, severities) read one way.

The checker's rules, the GitHub side and the learning report all read them from the post-mortem
model, so they cannot disagree about what a cell says.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from github_fake.plugin import REPO, TOKEN
from github_fake.server import FakeGitHub

from pmcheck import cli
from pmcheck.config import Config, LoadedConfig
from pmcheck.engine import build_ruleset, check_text
from pmcheck.github.write_back import add_references
from pmcheck.learning_report.action_status import IssueState, action_status
from pmcheck.parse import parse_document
from pmcheck.postmortem import PostMortem, read_postmortem

RULESET = build_ruleset(LoadedConfig(config=Config(packs=["default"]), base=Path.cwd()))
HEAD = "---\ndate: 2026-03-02\n---\n# Outage\n\n## Action items\n\n"  # the table's first row is line 10


def read(text: str) -> PostMortem:
    return read_postmortem(parse_document(text, "pm.md"), RULESET.catalog)


@pytest.mark.parametrize("cell", ["TBD", "unknown", "…", "n/a", "?", "unset"])
def test_a_placeholder_tracking_cell_tracks_nothing_and_write_back_replaces_it(cell: str) -> None:
    table = f"| Action | Owner | Tracking |\n| --- | --- | --- |\n| Fix the loader | @alice | {cell} |\n"
    text = HEAD + table
    [action] = read(text).actions
    assert action.tracking is None
    written = add_references(text, parse_document(text, "pm.md"), {10: "#12"})
    assert written.text.splitlines()[9] == "| Fix the loader | @alice | #12 |"


@pytest.mark.parametrize("cell", ["TBD", "unknown", "…", "n/a", "?", "unset", "nobody"])
def test_a_placeholder_owner_cell_names_no_owner(cell: str) -> None:
    text = HEAD + f"| Action | Owner | Due |\n| --- | --- | --- |\n| Fix the loader | {cell} | 2026-03-10 |\n"
    findings = check_text(text, "pm.md", RULESET).findings
    assert [f.line for f in findings if f.rule_name == "action-owner"] == [10]


@pytest.mark.parametrize(
    ("tracking", "repo", "number"),
    [
        ("#12", "acme/x", 12),
        ("#12", None, 12),
        ("ACME/X#12", "acme/x", 12),
        ("other/repo#12", "acme/x", None),
        ("https://github.com/acme/x/issues/12", "acme/x", 12),
        ("https://github.com/acme/x/pull/3", "acme/x", 3),
        ("https://github.com/other/repo/issues/12", "acme/x", None),
        ("OPS-12", "acme/x", None),
    ],
)
def test_github_issues_and_the_report_read_one_issue_number(
    tracking: str, repo: str | None, number: int | None
) -> None:
    [action] = read(HEAD + f"- Fix the loader (Owner: @alice), tracked in {tracking}\n").actions
    assert action.issue_number(repo) == number
    # The report marks the action done when that issue is closed, and only then.
    closed = {number: IssueState(number=number, state="closed")} if number else {}
    status = action_status(action, as_of=dt.date(2026, 3, 10), repo=repo, issues=closed)
    assert (status.status, status.source) == (("done", "github") if number else ("open", "document"))


def test_one_severity_written_three_ways_makes_one_github_label(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fake_github: FakeGitHub
) -> None:
    (tmp_path / ".git").mkdir()
    for number, written in enumerate(["SEV-2", "sev 2", "Severity 2"], start=1):
        (tmp_path / f"2026-03-0{number}-outage.md").write_text(
            f"# Outage {number}\n\n**Date:** 2026-03-0{number}\n**Severity:** {written}\n\n"
            f"## Action items\n\n- [ ] Fix loader {number} (Owner: @alice, due 2026-03-20)\n",
            encoding="utf-8",
        )
    monkeypatch.chdir(tmp_path)
    for name, value in {
        "GITHUB_API_URL": fake_github.url,
        "GITHUB_TOKEN": TOKEN,
        "GITHUB_REPOSITORY": REPO,
    }.items():
        monkeypatch.setenv(name, value)
    for name in ("GITHUB_EVENT_NAME", "GITHUB_EVENT_PATH", "GITHUB_WORKSPACE", "GITHUB_STEP_SUMMARY"):
        monkeypatch.delenv(name, raising=False)

    assert cli.main(["github", "issues", ".", "--write-interval", "0"]) == 0

    issues = fake_github.issues(REPO)
    assert len(issues) == 3
    assert {label for issue in issues for label in issue.labels} == {"postmortem-action", "SEV2"}
    assert sorted(label.name for label in fake_github.labels(REPO)) == ["SEV2", "postmortem-action"]


@pytest.mark.parametrize(
    ("written", "label"),
    [
        *((written, "SEV2") for written in ["SEV-2", "sev 2", "Severity 2", "S2", "Sev2", "2", "**SEV 2**"]),
        ("P2", "P2"),
        ("p-2", "P2"),
        ("Critical", "critical"),
        ("TBD", None),
        ("<severity>", None),
    ],
)
def test_the_model_reads_one_severity_level_for_every_reader(written: str, label: str | None) -> None:
    postmortem = read(f"# Outage\n\n**Severity:** {written}\n")
    assert (postmortem.severity_level.label if postmortem.severity_level else None) == label
