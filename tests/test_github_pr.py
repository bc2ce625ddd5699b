"""``pmcheck github pr`` end to end: PyGithub over HTTP against the fake GitHub, a real workspace on disk.

Each run is the command's own handler with a simulated Actions environment (event payload, summary
and output files in tmp_path); ``ClientSettings`` only shortens waits so retries stay fast.
"""

# pytest finds the imported fixtures by name, so test parameters deliberately shadow those imports.
# ruff: noqa: F811

from __future__ import annotations

import json
import re
from dataclasses import dataclass, replace
from pathlib import Path

import pytest
from github_fake import FakeGitHub
from github_fake.plugin import (  # noqa: F401  (the fixture)
    READ_ONLY_TOKEN,
    REPO,
    TOKEN,
    fake_github,
)
from markdown_it import MarkdownIt

from pmcheck import cli
from pmcheck.commands import github as github_command
from pmcheck.engine import FileReport
from pmcheck.errors import GitHubError, UsageError
from pmcheck.finding import Finding, Severity
from pmcheck.formatters import github as github_reporter
from pmcheck.formatters import markdown as markdown_reporter
from pmcheck.formatters.markdown import COMMENT_LIMIT
from pmcheck.github.event import ClientSettings
from pmcheck.github.pull_request import MARKER
from pmcheck.run_result import RunResult

ROOT = Path(__file__).resolve().parents[1]
FLAWED = (ROOT / "examples" / "2026-01-20-queue-backlog.md").read_text(encoding="utf-8")
CLEAN = (ROOT / "examples" / "2026-03-02-checkout-config-push.md").read_text(encoding="utf-8")
PM = "docs/postmortems/2026-01-20-queue-backlog.md"
OTHER = "docs/postmortems/2026-03-02-checkout-config-push.md"
NO_NLP = "nlp:\n  enabled: false\n"


@dataclass
class Outcome:
    code: int
    stdout: str
    stderr: str
    summary: str
    outputs: str

    def output(self, name: str) -> str:
        match = re.search(rf"^{re.escape(name)}=(.*)$", self.outputs, re.M)
        return match.group(1) if match else ""


class Runner:
    """A repository checkout, an Actions environment around it, and `pmcheck github pr` to run in it."""

    def __init__(self, fake: FakeGitHub, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
        self.fake = fake
        self.tmp = tmp_path
        self.capsys = capsys
        self.workspace = tmp_path / "repo"
        self.workspace.mkdir()
        (self.workspace / ".pmcheck.yml").write_text(NO_NLP, encoding="utf-8")
        self.settings = ClientSettings(
            token=TOKEN, api_url=fake.url, backoff=0.01, secondary_wait=0.1, write_interval=0, max_wait=5
        )

    def write(self, path: str, text: str) -> None:
        target = self.workspace / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")

    def env(self, number: int, *, payload: dict[str, object] | None = None) -> dict[str, str]:
        event = self.tmp / "event.json"
        event.write_text(json.dumps(payload if payload is not None else {"number": number}), encoding="utf-8")
        for name in ("summary.md", "output.txt"):
            (self.tmp / name).write_text("", encoding="utf-8")
        return {
            "GITHUB_EVENT_NAME": "pull_request",
            "GITHUB_EVENT_PATH": str(event),
            "GITHUB_REPOSITORY": REPO,
            "GITHUB_REF": f"refs/pull/{number}/merge",
            "GITHUB_SERVER_URL": "https://github.com",
            "GITHUB_WORKSPACE": str(self.workspace),
            "GITHUB_RUN_ID": "4242",
            "GITHUB_STEP_SUMMARY": str(self.tmp / "summary.md"),
            "GITHUB_OUTPUT": str(self.tmp / "output.txt"),
        }

    def run(
        self,
        number: int = 3,
        *args: str,
        settings: ClientSettings | None = None,
        payload: dict[str, object] | None = None,
    ) -> Outcome:
        env = self.env(number, payload=payload)
        self.capsys.readouterr()
        parsed = cli.build_parser().parse_args(["github", "pr", *args])
        code = github_command.run_pr(parsed, settings=settings or self.settings, environ=env)
        captured = self.capsys.readouterr()
        return Outcome(
            code,
            captured.out,
            captured.err,
            (self.tmp / "summary.md").read_text(encoding="utf-8"),
            (self.tmp / "output.txt").read_text(encoding="utf-8"),
        )

    def comments(self, number: int = 3) -> list[str]:
        return [comment.body for comment in self.fake.comments(REPO, number)]


@pytest.fixture
def runner(fake_github: FakeGitHub, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Runner:
    return Runner(fake_github, tmp_path, capsys)


def test_first_run_creates_the_comment_reruns_edit_it_and_a_fix_makes_it_all_clear(runner: Runner) -> None:
    runner.write(PM, FLAWED)
    runner.write(OTHER, CLEAN)
    runner.fake.add_pull_request(REPO, 3, files=[PM, OTHER, "src/app.py"])
    runner.fake.add_comment(REPO, 3, "Looks good to me", user="bob")

    first = runner.run()
    assert first.code == 1
    ours = [body for body in runner.comments() if MARKER in body]
    assert len(ours) == 1 and len(runner.comments()) == 2
    body = ours[0]
    assert "6 errors, 3 warnings" in body
    link = f"https://github.com/{REPO}/blob/{runner.fake.issue(REPO, 3).pull.head_sha}/{PM}?plain=1#L38"
    assert link in body
    assert "`- Improve monitoring`" in body and "Name one owner" in body
    assert first.output("comment-url").endswith(f"#issuecomment-{runner.fake.comments(REPO, 3)[1].id}")
    assert (first.output("errors"), first.output("warnings"), first.output("failed")) == ("6", "3", "true")

    runner.write(PM, FLAWED.replace("- Improve monitoring\n", ""))
    runner.fake.clear_log()
    second = runner.run()
    assert second.code == 1
    assert [r.operation for r in runner.fake.requests(method="PATCH")] == ["issues/update-comment"]
    assert runner.fake.requests(method="POST") == []
    ours = [body for body in runner.comments() if MARKER in body]
    assert len(ours) == 1 and "4 errors, 2 warnings" in ours[0]

    runner.fake.clear_log()
    assert runner.run().code == 1
    assert runner.fake.write_count() == 0, "an unchanged comment is not rewritten"

    runner.write(PM, CLEAN)
    third = runner.run()
    assert third.code == 0
    ours = [body for body in runner.comments() if MARKER in body]
    assert len(ours) == 1
    assert "all clear" in ours[0] and f"`{PM}`" in ours[0] and f"`{OTHER}`" in ours[0]
    assert third.output("failed") == "false"


def test_the_comment_holds_only_findings_the_baseline_does_not(
    runner: Runner, monkeypatch: pytest.MonkeyPatch
) -> None:
    runner.write(PM, FLAWED)
    runner.fake.add_pull_request(REPO, 3, files=[PM])
    monkeypatch.chdir(runner.workspace)
    assert cli.main(["baseline", "docs"]) == 0
    monkeypatch.chdir(runner.tmp)
    first = runner.run()
    assert first.code == 0
    [body] = [body for body in runner.comments() if MARKER in body]
    assert "all clear" in body and "already in the baseline .pmcheck-baseline.json not shown" in body
    assert first.output("failed") == "false"

    runner.write(PM, FLAWED + "- Someone should look at the retries\n")
    second = runner.run()
    assert second.code == 1
    [body] = [body for body in runner.comments() if MARKER in body]
    assert "look at the retries" in body and "Improve monitoring" not in body
    assert (second.output("errors"), second.output("warnings")) == ("2", "0")


@pytest.mark.parametrize("existing", [False, True])
def test_a_pull_request_without_post_mortems(runner: Runner, existing: bool) -> None:
    runner.fake.add_pull_request(REPO, 3, files=["src/app.py", "README.md"])
    if existing:
        runner.fake.add_comment(REPO, 3, f"{MARKER}\nold findings", user="github-actions[bot]")
    outcome = runner.run()
    assert outcome.code == 0
    bodies = runner.comments()
    if existing:
        assert len(bodies) == 1 and "no post-mortems changed" in bodies[0]
    else:
        assert bodies == [] and runner.fake.write_count() == 0
    assert "no post-mortems changed" in outcome.summary


def test_250_changed_files_are_read_on_every_page(runner: Runner) -> None:
    files: list[object] = [f"src/module_{index:03}.py" for index in range(245)]
    runner.write("docs/postmortems/renamed.md", FLAWED)
    runner.write("docs/postmortems/late.md", CLEAN)
    files += [
        {
            "filename": "docs/postmortems/renamed.md",
            "status": "renamed",
            "previous_filename": "docs/postmortems/old-name.md",
        },
        {"filename": "docs/postmortems/deleted.md", "status": "removed"},
        "docs/guide/README.md",
        "docs/postmortems/late.md",
        "notes.txt",
    ]
    secret = runner.tmp / "credentials.md"
    secret.write_text("# token ghs_secretvalue\n", encoding="utf-8")
    (runner.workspace / "docs/postmortems/link.md").symlink_to(secret)
    files.append("docs/postmortems/link.md")
    runner.fake.add_pull_request(REPO, 3, files=files)
    outcome = runner.run()
    assert "ghs_secretvalue" not in runner.comments()[0] + outcome.stdout + outcome.summary
    assert "symbolic links" in runner.comments()[0]
    pages = runner.fake.requests("GET", r"/pulls/3/files$")
    assert len(pages) == 3
    assert re.search(
        r"^checked-files<<(\S+)\ndocs/postmortems/late.md\ndocs/postmortems/renamed.md\n\1$",
        outcome.outputs,
        re.M,
    )
    assert outcome.code == 1


def test_a_fork_pull_request_falls_back_to_annotations_and_the_summary(runner: Runner) -> None:
    runner.write(PM, FLAWED)
    runner.fake.add_pull_request(REPO, 3, files=[PM])
    payload = {
        "number": 3,
        "pull_request": {
            "number": 3,
            "head": {"repo": {"full_name": "mallory/incidents"}},
            "base": {"repo": {"full_name": REPO}},
        },
    }
    outcome = runner.run(settings=replace(runner.settings, token=READ_ONLY_TOKEN), payload=payload)
    assert outcome.code == 1, "the findings decide, not the missing write permission"
    assert runner.comments() == []
    assert "Resource not accessible by integration" in outcome.stdout
    assert "comes from a fork" in outcome.summary and "pmcheck-fork-comment.yml" in outcome.summary
    assert outcome.stdout.count("::error file=") == 6
    assert "6 errors, 3 warnings" in outcome.summary
    assert outcome.output("comment-url") == ""


@pytest.mark.parametrize(
    ("method", "path", "fault"),
    [
        ("POST", r"/comments$", "502"),
        ("GET", r"/files$", "502"),
        ("GET", r"/files$", "403-secondary"),
        ("POST", r"/comments$", "429-secondary"),
        ("PATCH", r"/comments/\d+$", "403-secondary"),
        ("PATCH", r"/comments/\d+$", "502"),
    ],
)
def test_transient_failures_are_retried(runner: Runner, method: str, path: str, fault: str) -> None:
    runner.write(PM, FLAWED)
    runner.fake.add_pull_request(REPO, 3, files=[PM])
    if method == "PATCH":
        runner.fake.add_comment(REPO, 3, f"{MARKER}\nstale", user="github-actions[bot]")
    if fault == "502":
        runner.fake.inject(method=method, path_regex=path, status=502, times=1)
    else:
        status = int(fault.split("-")[0])
        runner.fake.secondary_rate_limit(
            method=method, path_regex=path, status=status, retry_after=0, times=1
        )
    outcome = runner.run()
    assert outcome.code == 1
    bodies = runner.comments()
    assert len(bodies) == 1 and "6 errors" in bodies[0]
    assert len(runner.fake.requests(method, path)) == 2


def test_a_dropped_answer_to_the_create_does_not_make_a_second_comment(runner: Runner) -> None:
    runner.write(PM, FLAWED)
    runner.fake.add_pull_request(REPO, 3, files=[PM])
    runner.fake.inject(method="POST", path_regex=r"/comments$", drop=True, process=True, times=1)
    outcome = runner.run()
    assert outcome.code == 1
    assert len(runner.comments()) == 1
    assert len(runner.fake.requests("POST", r"/comments$")) == 1
    assert outcome.output("comment-url").startswith(f"https://github.com/{REPO}/pull/3#issuecomment-")


@pytest.mark.parametrize("status", [403, 429])
def test_a_primary_rate_limit_beyond_max_wait_stops_with_a_clear_message(
    runner: Runner, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], status: int
) -> None:
    runner.write(PM, FLAWED)
    runner.fake.add_pull_request(REPO, 3, files=[PM])
    runner.fake.primary_limit_status = status
    runner.fake.set_rate_limit("core", remaining=0, reset_in=3600)
    for name, value in {**runner.env(3), "GITHUB_TOKEN": TOKEN, "GITHUB_API_URL": runner.fake.url}.items():
        monkeypatch.setenv(name, value)
    code = cli.main(["github", "pr", "--max-wait", "30"])
    err = capsys.readouterr().err
    assert code == 1  # documented: GitHub failures a re-run must fix exit 1, like failing findings
    assert "rate limit" in err and "more than --max-wait (30 s)" in err
    assert "Traceback" not in err
    assert len(runner.fake.requests()) == 1, "no waiting and no retrying past the cap"


@pytest.mark.parametrize("status", [403, 429])
def test_a_primary_rate_limit_that_resets_within_max_wait_is_waited_out(runner: Runner, status: int) -> None:
    runner.write(PM, FLAWED)
    runner.fake.add_pull_request(REPO, 3, files=[PM])
    runner.fake.primary_limit_status = status
    runner.fake.set_rate_limit("core", remaining=0, reset_in=1)
    outcome = runner.run()
    assert outcome.code == 1 and len(runner.comments()) == 1
    assert [r.status for r in runner.fake.requests("GET", r"/pulls/3$")] == [status, 200]


def test_a_retry_after_beyond_max_wait_is_not_slept(runner: Runner) -> None:
    runner.write(PM, FLAWED)
    runner.fake.add_pull_request(REPO, 3, files=[PM])
    runner.fake.secondary_rate_limit(
        method="GET", path_regex=r"/files$", status=429, retry_after=900, times=1
    )
    with pytest.raises(GitHubError, match=r"waiting would take 900 s, more than --max-wait \(5 s\)"):
        runner.run()
    assert len(runner.fake.requests("GET", r"/files$")) == 1


def _requests_for(runner: Runner, document: str) -> list[str | None]:
    runner.write(PM, document)
    runner.fake.clear_log()
    runner.run()
    return [r.operation for r in runner.fake.requests()]


def test_the_number_of_requests_does_not_grow_with_the_findings(runner: Runner) -> None:
    runner.fake.add_pull_request(REPO, 3, files=[PM])
    few = _requests_for(runner, FLAWED)
    many = _requests_for(runner, FLAWED + "".join(f"- Improve monitoring {n}\n" for n in range(400)))
    expected_first = ["pulls/get", "pulls/list-files", "issues/list-comments", "issues/create-comment"]
    assert few == expected_first
    assert many == ["pulls/get", "pulls/list-files", "issues/list-comments", "issues/update-comment"]


def test_thousands_of_findings_fit_in_one_comment(runner: Runner) -> None:
    runner.fake.add_pull_request(REPO, 3, files=[PM, OTHER])
    runner.write(PM, FLAWED + "".join(f"- Improve monitoring of queue {n}\n" for n in range(1500)))
    runner.write(OTHER, CLEAN.replace("## Timeline", "## Timeline\n\n<fill in: details>\n"))
    outcome = runner.run()
    (body,) = runner.comments()
    assert len(body) <= COMMENT_LIMIT
    total = int(outcome.output("errors")) + int(outcome.output("warnings")) + int(outcome.output("notices"))
    assert total > 3000
    assert re.search(r"\*\*[\d,]+ more findings not shown\*\*", body)
    assert "PM040 placeholder" in body, "an error in a small file is not crowded out by a big one"
    html = MarkdownIt("commonmark", {"html": True}).enable("table").render(body)
    assert html.count("<details") == html.count("</details>")
    warnings = int(outcome.output("warnings"))
    assert outcome.stdout.count("::error ") == 10
    assert outcome.stdout.count("::warning ") == min(10, warnings)
    assert "findings are not annotated on the diff" in outcome.summary


HOSTILE = """---
title: "Outage @org/team <img src=x onerror=alert(1)>"
date: 2026-01-20
severity: SEV2
---

# Outage @org/team

## Impact

<img src=x onerror=alert(1)> hurt @alice and </details><script>alert(1)</script>.

## Timeline (UTC)

- 09:12 — @org/team pushed `rm -rf` | a | b </details>

## Root cause

**Trigger:** the config.

The loader accepted it.

## Contributing factors

- None.

## Action items

- Improve monitoring @org/team </details> <img src=x onerror=alert(1)> | pipe | ``tick``
"""


def test_hostile_document_text_pings_no_one_and_injects_no_markup(runner: Runner) -> None:
    runner.write(PM, HOSTILE)
    runner.fake.add_pull_request(REPO, 3, files=[PM])
    runner.run(3, "--create-issues", "true")
    (body,) = runner.comments()
    assert "Improve monitoring" in body and "Corrective actions that get an issue" in body
    html = MarkdownIt("commonmark", {"html": True}).enable("table").render(body)
    assert "<img" not in html and "<script" not in html
    assert html.count("<details") == html.count("</details>") == 1
    outside_code = re.sub(r"<code>.*?</code>", "", html, flags=re.S)
    assert not re.search(r"@[A-Za-z0-9]", outside_code), "a mention outside code would ping someone"
    tables = re.findall(r"<table>.*?</table>", html, flags=re.S)
    assert tables, "the rule counts and the issue preview are tables"
    for table in tables:
        widths = {
            row.count("<td") or row.count("<th") for row in re.findall(r"<tr>.*?</tr>", table, flags=re.S)
        }
        assert len(widths) == 1, "a pipe in document text split a table cell"


WARNING_ONLY = CLEAN.replace("## Detection", "## Detection\n\nReported by noor.haddad@gmail.com.\n")
CASES = [
    # (config fail_on, --fail-on, document)
    ("error", None, FLAWED),
    ("error", None, CLEAN),
    ("warning", None, WARNING_ONLY),
    ("error", None, WARNING_ONLY),
    ("error", "warning", FLAWED),
    ("warning", "error", CLEAN),
]


@pytest.mark.parametrize(("config_fail_on", "option", "document"), CASES)
def test_pass_and_fail_mean_the_same_as_pmcheck_check(
    runner: Runner, monkeypatch: pytest.MonkeyPatch, config_fail_on: str, option: str | None, document: str
) -> None:
    runner.write(".pmcheck.yml", f"{NO_NLP}fail_on: {config_fail_on}\n")
    runner.write(PM, document)
    runner.fake.add_pull_request(REPO, 3, files=[PM])
    extra = ["--fail-on", option] if option else []
    monkeypatch.chdir(runner.workspace)
    cli_code = cli.main(["check", "--force-exclude", *extra, PM])
    action_code = runner.run(3, *extra).code
    assert cli_code == action_code
    assert cli_code in (0, 1)


def test_the_token_never_appears_in_any_output(runner: Runner) -> None:
    secret = "ghs_" + "Zq9" * 12
    runner.fake.add_token(secret, "github-actions[bot]")
    runner.write(PM, FLAWED)
    runner.fake.add_pull_request(REPO, 3, files=[PM])
    runner.fake.inject(
        method="POST",
        path_regex=r"/comments$",
        status=500,
        times=None,
        body={"message": "Server Error", "echo": f"token {secret}"},
    )
    sarif = runner.tmp / "out.sarif"
    report = runner.tmp / "report.json"
    outcome = runner.run(
        3,
        "--sarif",
        str(sarif),
        "--report-file",
        str(report),
        settings=replace(runner.settings, token=secret, retries=1),
    )
    assert outcome.code == 1 and "the comment was not written" in outcome.stderr
    texts = [
        outcome.stdout,
        outcome.stderr,
        outcome.summary,
        outcome.outputs,
        sarif.read_text(encoding="utf-8"),
        report.read_text(encoding="utf-8"),
    ]
    assert all(secret not in text for text in texts)


def test_the_comment_is_found_again_among_many_pages_of_comments(runner: Runner) -> None:
    runner.write(PM, FLAWED)
    runner.fake.add_pull_request(REPO, 3, files=[PM])
    for index in range(120):
        runner.fake.add_comment(REPO, 3, f"comment {index}", user="bob")
    runner.fake.add_comment(REPO, 3, f"> {MARKER} quoted by a person", user="alice")
    runner.fake.add_comment(REPO, 3, f"{MARKER}\nold", user="github-actions[bot]")
    runner.run()
    ours = [c for c in runner.fake.comments(REPO, 3) if c.body.startswith(MARKER)]
    assert len(ours) == 1 and ours[0].user == "github-actions[bot]" and "6 errors" in ours[0].body
    assert len(runner.fake.requests("GET", r"/issues/3/comments$")) == 2


@pytest.mark.parametrize(
    ("event", "args", "code", "says"),
    [
        ("push", [], 0, "push without create-issues: nothing to do"),
        ("pull_request_target", [], 2, "pull_request_target is not supported"),
        ("release", [], 2, "nothing to do for GITHUB_EVENT_NAME=release"),
        ("workflow_run", [], 2, "report-file input"),
    ],
)
def test_auto_mode_picks_the_job_from_the_event(
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    event: str,
    args: list[str],
    code: int,
    says: str,
) -> None:
    monkeypatch.setenv("GITHUB_EVENT_NAME", event)
    assert cli.main(["github", *args]) == code
    captured = capsys.readouterr()
    assert says in captured.out + captured.err


def test_auto_mode_runs_the_pull_request_check(runner: Runner, monkeypatch: pytest.MonkeyPatch) -> None:
    runner.write(PM, FLAWED)
    runner.fake.add_pull_request(REPO, 3, files=[PM])
    for name, value in {**runner.env(3), "GITHUB_TOKEN": TOKEN, "GITHUB_API_URL": runner.fake.url}.items():
        monkeypatch.setenv(name, value)
    assert cli.main(["github", "--fail-on", "warning", "--paths", "docs/**/*.md"]) == 1
    assert len(runner.comments()) == 1


def test_publishing_a_saved_report_checks_it_belongs_to_the_run(runner: Runner) -> None:
    runner.write(PM, FLAWED)
    pull = runner.fake.add_pull_request(REPO, 3, files=[PM])
    runner.fake.add_pull_request(REPO, 4, files=["src/other.py"])
    report = runner.tmp / "report.json"
    saved = runner.run(
        3,
        "--comment",
        "false",
        "--report-file",
        str(report),
        settings=replace(runner.settings, token=READ_ONLY_TOKEN),
    )
    assert saved.code == 1 and runner.comments() == []
    assert pull.pull is not None
    head = pull.pull.head_sha

    def publish(number_in_report: int, head_sha: str) -> int:
        data = json.loads(report.read_text(encoding="utf-8"))
        data["number"] = number_in_report
        forged = runner.tmp / f"report-{number_in_report}.json"
        forged.write_text(json.dumps(data), encoding="utf-8")
        env = runner.env(0, payload={"workflow_run": {"head_sha": head_sha, "event": "pull_request"}})
        env["GITHUB_EVENT_NAME"] = "workflow_run"
        parsed = cli.build_parser().parse_args(["github", "publish", "--report-file", str(forged)])
        return github_command.run_publish(parsed, settings=runner.settings, environ=env)

    assert publish(3, head) == 0
    (body,) = runner.comments(3)
    assert body.startswith(MARKER) and "6 errors, 3 warnings" in body
    with pytest.raises(UsageError, match="workflow run was for"):
        publish(3, "f" * 40)
    assert publish(4, head) == 0, "another pull request's head: refused quietly"
    assert runner.comments(4) == []


def _result(*findings: Finding) -> RunResult:
    paths = sorted({finding.path for finding in findings})
    return RunResult(reports=[FileReport(path, [f for f in findings if f.path == path]) for path in paths])


def test_github_reporter_golden_output() -> None:
    odd = "docs/a,b: 100%.md"
    result = _result(
        Finding(
            odd,
            3,
            5,
            "PM031",
            "action-owner",
            Severity.ERROR,
            "no owner: 50%\nsecond line",
            end_line=3,
            end_column=9,
            suggestion="Name one owner.",
        ),
        Finding(
            odd, 7, 1, "PM013", "timeline-timezone", Severity.WARNING, "no zone", end_line=9, end_column=2
        ),
        Finding(odd, 8, 1, "PM099", "note", Severity.INFO, "a note"),
    )
    assert github_reporter.render(result) == (
        "::error file=docs/a%2Cb%3A 100%25.md,line=3,col=5,endLine=3,endColumn=9,title=PM031 action-owner"
        "::no owner: 50%25%0Asecond line%0AName one owner.\n"
        "::warning file=docs/a%2Cb%3A 100%25.md,line=7,endLine=9,title=PM013 timeline-timezone::no zone\n"
        "::notice file=docs/a%2Cb%3A 100%25.md,line=8,col=1,title=PM099 note::a note\n"
    )


def test_github_reporter_keeps_to_ten_per_severity_spread_over_files() -> None:
    findings = [
        Finding(f"docs/{name}.md", line, 1, "PM031", "action-owner", Severity.ERROR, "no owner")
        for name in ("a", "b", "c")
        for line in range(1, 9)
    ]
    selection = github_reporter.select(findings)
    assert selection.omitted == 14
    assert {f.path for f in selection.annotated} == {"docs/a.md", "docs/b.md", "docs/c.md"}
    assert "14 more findings are not annotated" in github_reporter.render(_result(*findings))


def test_markdown_reporter_golden_output() -> None:
    result = _result(
        Finding(
            "docs/pm.md",
            2,
            3,
            "PM034",
            "vague-action",
            Severity.WARNING,
            'vague: "Improve <b>things</b> @ops"',
            suggestion="Say *what* changes.",
        )
    )
    result.sources["docs/pm.md"] = ["## Actions", "- Improve <b>things</b> @ops `now`"]
    assert markdown_reporter.render(result) == (
        "## :warning: pmcheck passes: 1 warning in 1 of 1 post-mortem\n\n"
        "| Rule | Severity | Findings |\n| --- | --- | ---: |\n| `PM034 vague-action` | warning | 1 |\n\n"
        "<details open>\n<summary><b>docs/pm.md</b> — 1 warning</summary>\n\n"
        '- **L2** :warning: `PM034 vague-action` vague: "Improve &lt;b&gt;things&lt;/b&gt; @&#8203;ops"  \n'
        "  `` - Improve <b>things</b> @ops `now` ``  \n"
        "  ↳ Say \\*what\\* changes.\n\n</details>\n"
    )


def test_after_a_rate_limited_create_the_next_run_leaves_exactly_one_comment(runner: Runner) -> None:
    runner.write(PM, FLAWED)
    runner.fake.add_pull_request(REPO, 3, files=[PM])
    runner.fake.add_comment(REPO, 3, "Looks good to me", user="bob")
    # GitHub did the work but answered with a secondary rate limit: the retried POST makes a second one.
    fault = runner.fake.secondary_rate_limit(
        method="POST", path_regex=r"/comments$", status=403, retry_after=0
    )
    fault.process = True
    runner.run()
    ours = [c for c in runner.fake.comments(REPO, 3) if c.body.startswith(MARKER)]
    assert len(ours) == 2, "the fault left two comments"
    runner.fake.add_comment(REPO, 3, f"{MARKER}\nquoted by a person", user="carol")

    runner.write(PM, FLAWED.replace("- Improve monitoring\n", ""))
    assert runner.run().code == 1
    remaining = runner.fake.comments(REPO, 3)
    mine = [c for c in remaining if c.body.startswith(MARKER) and c.user == ours[0].user]
    assert [c.id for c in mine] == [ours[0].id], "the oldest is kept and edited, the extra deleted"
    assert "4 errors, 2 warnings" in mine[0].body
    assert [c.body for c in remaining if c.user in ("bob", "carol")] == [
        "Looks good to me",
        f"{MARKER}\nquoted by a person",
    ]
    runner.fake.clear_log()
    assert runner.run().code == 1
    assert runner.fake.write_count() == 0, "a folded comment is stable"
