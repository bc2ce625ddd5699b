"""``pmcheck github``: pmcheck inside GitHub Actions.

``pmcheck github`` (or ``github auto``) picks the job from ``GITHUB_EVENT_NAME``: ``pull_request`` →
``pr``; ``push`` → ``issues`` when ``--create-issues true``; ``schedule`` and ``workflow_dispatch`` →
``followup``; ``workflow_run`` → ``publish``. ``github pr`` checks the post-mortems a pull request
changes, keeps one comment up to date, annotates the diff, writes the job summary and the step
outputs, and optionally a SARIF file. ``github publish`` posts the comment from a report saved by an
unprivileged run (pull requests from forks).

Exit codes: 0 nothing at or above fail-on; 1 something is, or GitHub failed in a way a re-run must
fix (rate limit beyond ``--max-wait``, retries used up); 2 usage or configuration error. A
read-only token (fork pull requests) is not a failure: findings still go to the annotations and
the summary, and the log says why there is no comment.
"""

from __future__ import annotations

import argparse
import os
import secrets
import sys
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pmcheck import baseline_run
from pmcheck.commands import github_issues
from pmcheck.commands.github_issues import optional_path
from pmcheck.commands.shared import EXIT_FINDINGS, EXIT_OK, write_output
from pmcheck.errors import GitHubError, UsageError
from pmcheck.finding import Severity
from pmcheck.formatters import github as workflow_commands
from pmcheck.formatters import markdown, sarif, text
from pmcheck.github import actions_env, report_file
from pmcheck.github.apply import apply, plan_pull_comment
from pmcheck.github.event import ClientSettings, RunContext, read_context
from pmcheck.github.gateway import Gateway, PermissionDenied
from pmcheck.github.pull_request import (
    Published,
    PullRequestRun,
    check_files,
    comment_body,
    files_to_check,
    issue_previews,
)

FORK_HELP = (
    "Pull requests from forks get a read-only token, so the comment cannot be written from this "
    "run; use the workflow_run pattern (examples/workflows/pmcheck-fork-comment.yml) to comment "
    "on them."
)
NO_REPOSITORY = "GITHUB_REPOSITORY is not set; `pmcheck github` runs inside GitHub Actions"


def add_parsers(commands: Any) -> None:
    group = commands.add_parser(
        "github",
        help="run inside GitHub Actions: pull-request comments, annotations, corrective-action issues",
    )
    _add_common(group)
    group.set_defaults(handler=run_auto)
    subparsers = group.add_subparsers(dest="github_command", metavar="SUBCOMMAND")
    auto = subparsers.add_parser("auto", help="pick the job from GITHUB_EVENT_NAME (the default)")
    _add_common(auto)
    auto.set_defaults(handler=run_auto)
    pr = subparsers.add_parser("pr", help="check the post-mortems a pull request changes and comment once")
    _add_pr_options(pr)
    pr.set_defaults(handler=run_pr)
    publisher = subparsers.add_parser(
        "publish",
        help="post the comment from a report saved by a pull_request run (fork-safe workflow_run pattern)",
    )
    publisher.add_argument("--report-file", type=optional_path, help="the report the pull_request run saved")
    publisher.add_argument("--max-wait", type=_seconds, default=300.0, metavar="SECONDS")
    publisher.set_defaults(handler=run_publish)
    github_issues.add_subcommands(subparsers)


def boolean(value: str) -> bool:
    lowered = value.strip().lower()
    if lowered in {"true", "yes", "1", "on"}:
        return True
    if lowered in {"false", "no", "0", "off", ""}:
        return False
    raise argparse.ArgumentTypeError(f"expected true or false, got {value!r}")


def _fail_on(value: str) -> Severity | None:
    if not value.strip():
        return None
    try:
        return Severity(value.strip().lower())
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected one of error, warning, info; got {value!r}") from None


def _seconds(value: str) -> float:
    try:
        seconds = float(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a number of seconds, got {value!r}") from None
    if seconds < 0:
        raise argparse.ArgumentTypeError("must not be negative")
    return seconds


def _add_common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--paths",
        action="append",
        default=[],
        metavar="GLOBS",
        help="only changed files matching these globs (newline- or comma-separated, repeatable); "
        "default: the config's files globs",
    )
    parser.add_argument(
        "--config", type=optional_path, help="config file instead of the nearest .pmcheck.yml"
    )
    parser.add_argument("--fail-on", type=_fail_on, help="lowest severity that fails (default: the config's)")
    parser.add_argument(
        "--comment", type=boolean, default=True, metavar="BOOL", help="keep one PR comment (true)"
    )
    parser.add_argument(
        "--annotations",
        type=boolean,
        default=True,
        metavar="BOOL",
        help="annotate the diff with workflow commands (true)",
    )
    parser.add_argument("--sarif", type=optional_path, metavar="PATH", help="also write a SARIF 2.1.0 file")
    parser.add_argument(
        "--create-issues",
        type=boolean,
        default=False,
        metavar="BOOL",
        help="on push, open issues for corrective actions; on pull requests, preview them",
    )
    parser.add_argument(
        "--max-wait",
        type=_seconds,
        default=300.0,
        metavar="SECONDS",
        help="longest wait for a rate limit before giving up (300)",
    )
    parser.add_argument(
        "--report-file",
        type=optional_path,
        metavar="PATH",
        help="pull_request: save the report here; workflow_run: publish this saved report",
    )


def _add_pr_options(parser: argparse.ArgumentParser) -> None:
    _add_common(parser)
    parser.add_argument("--pr", type=int, help="pull request number (default: from the event)")
    parser.add_argument(
        "--workspace", type=Path, help="repository checkout (default: $GITHUB_WORKSPACE or .)"
    )


# auto


@dataclass(frozen=True)
class PullRequestOptions:
    """What ``github pr`` (and ``github auto`` on a pull request) is asked to do."""

    globs: Sequence[str]
    config: Path | None
    fail_on: Severity | None
    comment: bool
    annotations: bool
    sarif: Path | None
    create_issues: bool
    max_wait: float
    report_file: Path | None
    number: int | None = None
    workspace: Path | None = None

    @classmethod
    def from_args(cls, args: argparse.Namespace) -> PullRequestOptions:
        return cls(
            globs=args.paths,
            config=args.config,
            fail_on=args.fail_on,
            comment=args.comment,
            annotations=args.annotations,
            sarif=args.sarif,
            create_issues=args.create_issues,
            max_wait=args.max_wait,
            report_file=args.report_file,
            number=vars(args).get("pr"),
            workspace=vars(args).get("workspace"),
        )


def _auto_pull_request(context: RunContext, args: argparse.Namespace) -> int:
    return pull_request_job(context, PullRequestOptions.from_args(args))


def _auto_push(context: RunContext, args: argparse.Namespace) -> int:
    if not args.create_issues:
        print("pmcheck: push without create-issues: nothing to do")
        return EXIT_OK
    options = github_issues.IssueOptions(globs=args.paths, config=args.config, max_wait=args.max_wait)
    return github_issues.issues_job(context, options)


def _auto_followup(context: RunContext, args: argparse.Namespace) -> int:
    options = github_issues.FollowupOptions(config=args.config, max_wait=args.max_wait)
    return github_issues.followup_job(context, options)


def _auto_publish(context: RunContext, args: argparse.Namespace) -> int:
    if args.report_file is None:
        raise UsageError(
            "workflow_run: pass the report saved by the pull_request run (the report-file input)"
        )
    return publish_job(context, args.report_file, max_wait=args.max_wait)


_JOBS: dict[str, Callable[[RunContext, argparse.Namespace], int]] = {
    "pull_request": _auto_pull_request,
    "push": _auto_push,
    "schedule": _auto_followup,
    "workflow_dispatch": _auto_followup,
    "workflow_run": _auto_publish,
}


def run_auto(args: argparse.Namespace) -> int:
    context = read_context(os.environ)
    event = context.event_name
    if event == "pull_request_target":
        raise UsageError(
            "pull_request_target is not supported: its checkout holds the base branch, not the pull "
            "request's files; run on pull_request, and use workflow_run to comment on forks"
        )
    job = _JOBS.get(event)
    if job is None:
        raise UsageError(
            f"nothing to do for GITHUB_EVENT_NAME={event or '(unset)'}; run on pull_request, push, "
            "schedule, workflow_dispatch or workflow_run, or name a subcommand"
        )
    return job(context, args)


# pr


def split_globs(values: Sequence[str]) -> list[str]:
    parts = (part.strip() for value in values for line in value.splitlines() for part in line.split(","))
    return [part for part in parts if part and not part.startswith("#")]


def run_pr(
    args: argparse.Namespace,
    *,
    settings: ClientSettings | None = None,
    environ: Mapping[str, str] | None = None,
) -> int:
    context = read_context(os.environ if environ is None else environ)
    return pull_request_job(context, PullRequestOptions.from_args(args), settings=settings)


def pull_request_job(
    context: RunContext, options: PullRequestOptions, *, settings: ClientSettings | None = None
) -> int:
    """Check the post-mortems a pull request changes, comment and annotate, and report to the workflow."""
    repository = context.require_repository(NO_REPOSITORY)
    number = options.number or context.pull_number
    if number is None:
        raise UsageError("no pull request: run on a pull_request event or pass --pr N")
    gateway = Gateway(settings or context.settings(max_wait=options.max_wait), repository)
    run = _check_pull_request(context, options, gateway, repository, number)
    omitted = _write_results(run, options)
    published, failure = _comment(gateway, run, enabled=options.comment)
    notes = _status_notes(context, published, failure, omitted, options.annotations)
    _report_to_workflow(context, run, notes, published, options.sarif)
    if failure:
        print(f"pmcheck: error: the comment was not written: {failure}", file=sys.stderr)
        return GitHubError.exit_code
    return EXIT_FINDINGS if run.result.failed else EXIT_OK


def _check_pull_request(
    context: RunContext, options: PullRequestOptions, gateway: Gateway, repository: str, number: int
) -> PullRequestRun:
    """The changed post-mortems checked (findings the repository's baseline holds left out), with the
    issues their actions would open when ``--create-issues`` is on."""
    workspace = options.workspace or context.workspace or Path(".")
    try:
        head_sha, changed = gateway.pull_request(number)
    except GitHubError as exc:
        raise GitHubError(f"cannot read pull request #{number} of {repository}: {exc}") from None
    selection = files_to_check(
        changed, workspace=workspace, config=options.config, globs=split_globs(options.globs)
    )
    result = check_files(selection.paths, workspace=workspace, config=options.config, fail_on=options.fail_on)
    # Only findings the repository's baseline does not hold are commented on and annotated.
    result = baseline_run.apply(result, locate=lambda path: workspace / path, root=workspace)
    previews = None
    if options.create_issues:
        from pmcheck.config import config_for

        previews = issue_previews(
            result, owner_logins=lambda path: config_for(workspace / path, options.config).config.owners
        )
    return PullRequestRun(
        repository=repository,
        number=number,
        head_sha=head_sha,
        server_url=context.server_url,
        result=result,
        checked=selection.paths,
        notes=selection.notes,
        previews=previews,
        run_url=context.run_url,
    )


def _write_results(run: PullRequestRun, options: PullRequestOptions) -> int:
    """The log, the annotations, the SARIF and report files; how many annotations were left out."""
    _print_log(run.result)
    omitted = _annotate(run.result) if options.annotations else 0
    if options.sarif is not None:
        write_output(sarif.render(run.result), options.sarif)
    if options.report_file is not None:
        write_output(report_file.dump(run), options.report_file)
    return omitted


def _report_to_workflow(
    context: RunContext,
    run: PullRequestRun,
    notes: list[str],
    published: Published | None,
    sarif_path: Path | None,
) -> None:
    """The notes on the log, then the job summary and the step outputs."""
    for note in notes:
        print(f"pmcheck: {note}")
    summary = comment_body(
        run,
        limit=markdown.SUMMARY_BUDGET,
        marker=False,
        extra=[f"> {markdown.text(note, limit=1000)}" for note in notes],
    )
    actions_env.append_summary(f"## pmcheck — pull request #{run.number}\n\n{summary}", context.summary_file)
    actions_env.set_outputs(_outputs(run, published, sarif_path), context.output_file)


def _print_log(result: Any) -> None:
    """The full text report, with workflow commands off: document text must not act as one."""
    report = text.render(result)
    if not report:
        return
    token = secrets.token_hex(16)
    sys.stdout.write(f"::stop-commands::{token}\n{report}::{token}::\n")
    sys.stdout.flush()


def _annotate(result: Any) -> int:
    selection = workflow_commands.select(result.findings)
    for finding in selection.annotated:
        print(workflow_commands.command(finding))
    sys.stdout.flush()
    return selection.omitted


def _comment(gateway: Gateway, run: PullRequestRun, *, enabled: bool) -> tuple[Published | None, str | None]:
    if not enabled:
        return None, None
    try:
        plan = plan_pull_comment(gateway, run.number, comment_body(run), create=bool(run.checked))
        return apply(plan, gateway), None
    except PermissionDenied as exc:
        return Published("forbidden", detail=exc.detail), None
    except GitHubError as exc:
        return None, str(exc)


def _status_notes(
    context: RunContext, published: Published | None, failure: str | None, omitted: int, annotated: bool
) -> list[str]:
    notes = []
    if published is not None and published.status == "forbidden":
        reason = "this pull request comes from a fork" if context.from_fork else "the token may not write"
        notes.append(
            f"no pull-request comment: HTTP 403: {published.detail}; {reason}. The findings "
            f"are in the annotations and this summary. {FORK_HELP}"
        )
    if failure:
        notes.append(f"no pull-request comment: {failure}")
    if annotated and omitted:
        notes.append(
            f"{omitted} findings are not annotated on the diff (GitHub shows at most "
            f"{workflow_commands.PER_STEP_LIMIT} per severity and step); all of them are listed below"
        )
    return notes


def _outputs(run: PullRequestRun, published: Published | None, sarif_path: Path | None) -> dict[str, str]:
    counts = run.result.counts()
    return {
        "errors": str(counts[Severity.ERROR]),
        "warnings": str(counts[Severity.WARNING]),
        "notices": str(counts[Severity.INFO]),
        "failed": "true" if run.result.failed else "false",
        "comment-url": (published.url or "") if published else "",
        "checked-files": "\n".join(run.checked),
        "sarif-file": str(sarif_path) if sarif_path else "",
    }


# publish (workflow_run)


def run_publish(
    args: argparse.Namespace,
    *,
    settings: ClientSettings | None = None,
    environ: Mapping[str, str] | None = None,
) -> int:
    context = read_context(os.environ if environ is None else environ)
    if args.report_file is None:
        raise UsageError("pass --report-file: the report the pull_request run saved")
    return publish_job(context, args.report_file, max_wait=args.max_wait, settings=settings)


def publish_job(
    context: RunContext, location: Path, *, max_wait: float, settings: ClientSettings | None = None
) -> int:
    """Post the comment from a report a pull_request run saved, if it is still about the head commit."""
    repository = context.require_repository(NO_REPOSITORY)
    payload = context.payload
    workflow_run = payload.get("workflow_run") if isinstance(payload.get("workflow_run"), dict) else None
    expected = workflow_run.get("head_sha") if workflow_run else None
    if not isinstance(expected, str) or not expected:
        raise UsageError("`pmcheck github publish` runs on workflow_run events (no workflow_run.head_sha)")
    report = report_file.load(location)
    if report.repository.lower() != repository.lower():
        raise UsageError(f"{location}: the report is for {report.repository}, not {repository}")
    if report.head_sha != expected:
        raise UsageError(
            f"{location}: the report is for commit {report.head_sha[:12]}, but the "
            f"workflow run was for {expected[:12]}"
        )
    settings = settings or context.settings(max_wait=max_wait)
    gateway = Gateway(settings, repository)
    try:
        head_sha = gateway.head_sha(report.number)
    except GitHubError as exc:
        raise GitHubError(f"cannot read pull request #{report.number}: {exc}") from None
    if head_sha != expected:
        print(
            f"pmcheck: pull request #{report.number} is now at {head_sha[:12]}, not {expected[:12]}: "
            "not publishing this report (a later run will)"
        )
        return EXIT_OK
    run = report_file.to_run(report, server_url=context.server_url, run_url=context.run_url)
    published, failure = _comment(gateway, run, enabled=True)
    notes = _status_notes(context, published, failure, 0, False)
    for note in notes:
        print(f"pmcheck: {note}")
    actions_env.set_outputs(_outputs(run, published, None), context.output_file)
    if failure or (published is not None and published.status == "forbidden"):
        print(
            "pmcheck: error: the comment was not written; give the workflow `pull-requests: write`",
            file=sys.stderr,
        )
        return GitHubError.exit_code
    print(
        f"pmcheck: comment {published.status if published else 'skipped'}: "
        f"{published.url if published and published.url else 'no URL'}"
    )
    return EXIT_OK
