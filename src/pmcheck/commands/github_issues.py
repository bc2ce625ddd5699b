"""``pmcheck github issues`` and ``pmcheck github followup``: corrective actions as tracked issues.

``issues`` opens one issue per untracked corrective action, keeps it in sync with the document and
closes it when the action is done or removed; ``followup`` labels and reminds overdue ones. Both
take the repository, token and event from the run context (:func:`pmcheck.github.event.read_context`:
the Actions environment, or options when run by hand).
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import os
import re
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar, cast

from pmcheck.api import Checker
from pmcheck.commands.shared import EXIT_FINDINGS, EXIT_OK
from pmcheck.config import Config
from pmcheck.errors import GitHubError, UsageError
from pmcheck.github import checkout
from pmcheck.github.action_issue import IssueLinks, incident_from_body, parse_reminder
from pmcheck.github.event import ClientSettings, RunContext, read_context
from pmcheck.github.gateway import PERMISSION_HINTS
from pmcheck.github.issue_plan import PlanInputs, describe_plan, plan

if TYPE_CHECKING:
    pass

T = TypeVar("T")


def add_subcommands(github: Any) -> None:
    """Add ``issues`` and ``followup`` to the ``pmcheck github`` command group."""
    issues = github.add_parser(
        "issues",
        help="open, update and close one GitHub issue per corrective action",
        description="Open one issue per corrective action without a tracking reference, keep it in sync "
        "with the document, and close it when the action is done or removed. On a push, only the "
        "post-mortems the push changed are read (unless --all).",
    )
    issues.add_argument(
        "paths",
        nargs="*",
        type=Path,
        default=[Path(".")],
        help="files or folders of post-mortems (default: .)",
    )
    issues.add_argument(
        "--paths",
        dest="globs",
        action="append",
        default=[],
        metavar="GLOBS",
        help="only post-mortems matching these globs, relative to the repository root "
        "(newline- or comma-separated, repeatable)",
    )
    issues.add_argument(
        "--all", action="store_true", help="read every post-mortem under the paths, even on a push event"
    )
    issues.add_argument(
        "--sha",
        "--ref",
        dest="sha",
        default=None,
        help="commit (or ref) the document links point at (default: GITHUB_SHA)",
    )
    issues.add_argument(
        "--root",
        type=Path,
        default=None,
        help="repository root that paths in keys and links are relative to "
        "(default: GITHUB_WORKSPACE, else the folder holding .git)",
    )
    issues.add_argument(
        "--write-back",
        nargs="?",
        const="local",
        choices=["off", "local", "pr"],
        default=None,
        help="record each issue's number in the document: local edits the files in place (the default "
        "of a bare --write-back), pr pushes the edits to a pmcheck/write-back/<sha> branch and opens a "
        "pull request (default: github.write_back in the config, else off)",
    )
    _common(issues)
    issues.set_defaults(handler=run_issues)

    followup = github.add_parser(
        "followup",
        help="label overdue action issues and remind their owners",
        description="Find open corrective-action issues past their deadline, label them and post one "
        "reminder per reminder_days; write a job summary of overdue and upcoming actions.",
    )
    followup.add_argument("--today", default=None, help="the date to judge deadlines by (YYYY-MM-DD)")
    followup.add_argument(
        "--summary",
        type=Path,
        default=None,
        help="write the summary here (default: GITHUB_STEP_SUMMARY, else standard output)",
    )
    _common(followup)
    followup.set_defaults(handler=run_followup)


def optional_path(value: str) -> Path | None:
    """A path option that an empty value (an unset action input) leaves unset."""
    return Path(value) if value.strip() else None


def _common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--repo", default=None, help="owner/name (default: GITHUB_REPOSITORY)")
    parser.add_argument("--token", default=None, help="GitHub token (default: GITHUB_TOKEN)")
    parser.add_argument(
        "--api-url", default=None, help="REST API URL (default: GITHUB_API_URL or api.github.com)"
    )
    parser.add_argument("--config", type=optional_path, default=None, help="use this config file")
    parser.add_argument(
        "--max-wait",
        type=float,
        default=300.0,
        metavar="SECONDS",
        help="longest wait for a rate limit before giving up (default: 300)",
    )
    parser.add_argument("--dry-run", action="store_true", help="print the plan and change nothing")
    parser.add_argument(
        "--write-interval",
        type=float,
        default=1.0,
        metavar="SECONDS",
        help="pause between writes, as GitHub asks of integrations (default: 1)",
    )


# pmcheck github issues ---------------------------------------------------------------------------


@dataclass(frozen=True)
class IssueOptions:
    """What ``github issues`` (and ``github auto`` on a push) is asked to do."""

    paths: Sequence[Path] = (Path("."),)
    globs: Sequence[str] = ()
    all: bool = False
    write_back: str | None = None
    config: Path | None = None
    max_wait: float = 300.0
    dry_run: bool = False
    write_interval: float = 1.0


@dataclass(frozen=True)
class FollowupOptions:
    """What ``github followup`` (and ``github auto`` on a schedule) is asked to do."""

    today: str | None = None
    summary: Path | None = None
    config: Path | None = None
    max_wait: float = 300.0
    dry_run: bool = False
    write_interval: float = 1.0


def _context(args: argparse.Namespace) -> RunContext:
    """The run context; ``--repo``, ``--token``, ``--api-url``, ``--sha`` and ``--root`` win."""
    return read_context(
        os.environ,
        repository=args.repo,
        token=args.token,
        api_url=args.api_url,
        sha=vars(args).get("sha"),
        workspace=vars(args).get("root"),
    )


def _options(kind: Callable[..., T], args: argparse.Namespace) -> T:
    """The options ``kind`` holds, from the parsed arguments of the same names."""
    given = vars(args)
    return kind(**{f.name: given[f.name] for f in dataclasses.fields(cast(Any, kind)) if f.name in given})


def run_issues(args: argparse.Namespace) -> int:
    return issues_job(_context(args), _options(IssueOptions, args))


def issues_job(context: RunContext, options: IssueOptions) -> int:
    from pmcheck.github.apply import apply, prepare
    from pmcheck.github.gateway import Gateway

    root = checkout.root_of(context.workspace)
    checker = Checker(config=options.config)
    paths = checkout.changed_paths(root, options.paths, checker, context) if not options.all else None
    globs = [part.strip() for value in options.globs for part in re.split(r"[,\n]", value) if part.strip()]
    documents = checkout.read_documents(paths if paths is not None else options.paths, root, checker, globs)
    config = checker.run_config(options.paths or [root]).config
    repo = context.repository or None
    links = IssueLinks(repo=repo, ref=context.sha or None, server_url=context.server_url)
    inputs = PlanInputs.from_config(config, links=links)
    write_back = options.write_back or config.github.write_back
    sources = [document.source for document in documents]
    actions = sum(len(source.postmortem.actions) for source in sources)
    print(f"{len(sources)} post-mortem{'s' * (len(sources) != 1)}, {actions} corrective actions")
    if not sources:
        print(
            "nothing to do: no post-mortem to read" + (" changed in this push" if paths is not None else "")
        )
        return EXIT_OK
    if options.dry_run and not (context.token and repo):
        print("(no repository or token: planning as if no issue existed yet)")
        draft = plan(sources, [], inputs)
        print(describe_plan(draft))
        if write_back == "pr":
            print(checkout.preview_write_back_pr(documents, draft, root=root, base=None))
        return EXIT_OK
    if not repo:
        raise UsageError("no repository: pass --repo owner/name, or set GITHUB_REPOSITORY")
    settings = _settings(context, options.max_wait, options.write_interval)
    with Gateway(settings, repo) as gateway:
        current, _infos = prepare(gateway, sources, inputs, label=_label(config))
        print(describe_plan(current))
        if options.dry_run:
            if write_back == "pr":
                print(
                    checkout.preview_write_back_pr(
                        documents, current, root=root, base=gateway.default_branch()
                    )
                )
            return EXIT_OK
        result = apply(current, gateway)
    print(
        f"created {len(result.created)}, updated {len(result.updated)}, closed {len(result.closed)}"
        + (f", labels created: {', '.join(result.labels_created)}" if result.labels_created else "")
    )
    for number_key, number in result.created.items():
        print(f"  #{number}  {number_key}")
    if write_back == "local":
        checkout.write_back_local(documents, current, result.created)
    unrecorded = None
    if write_back == "pr":
        unrecorded = checkout.write_back_through_pr(
            documents, current, created=result.created, root=root, settings=settings, repo=repo
        )
    for failure in result.failed:
        print(f"pmcheck: {failure}", file=sys.stderr)
    if result.error:
        stopped = _stopped_message(result.error, result.not_done, refused=result.refused)
        raise GitHubError(stopped + (f"\n{unrecorded}" if unrecorded else ""))
    if unrecorded:
        raise GitHubError(unrecorded)
    return EXIT_OK if result.ok else EXIT_FINDINGS


def _stopped_message(error: str, not_done: Sequence[str], *, refused: bool) -> str:
    lines = [error]
    if refused:
        lines.append(PERMISSION_HINTS["issues"])
    else:
        lines.append("Run it again later: what was done is not done twice.")
    lines.append(f"Not done ({len(not_done)}):")
    lines += [f"  - {item}" for item in not_done]
    return "\n".join(lines)


def _label(config: Config) -> str | None:
    return config.github.labels[0] if config.github.labels else None


def _settings(context: RunContext, max_wait: float, write_interval: float) -> ClientSettings:
    return context.settings(max_wait=max_wait, write_interval=write_interval)


# pmcheck github followup -------------------------------------------------------------------------


def run_followup(args: argparse.Namespace) -> int:
    return followup_job(_context(args), _options(FollowupOptions, args))


def followup_job(context: RunContext, options: FollowupOptions) -> int:
    from pmcheck.github.apply import SyncResult, apply
    from pmcheck.github.followup import TrackedAction, describe, needs_comments, plan_followup, render_summary
    from pmcheck.github.gateway import Gateway

    today = _today(options.today)
    repo = context.require_repository("no repository: pass --repo owner/name, or set GITHUB_REPOSITORY")
    config = Checker(config=options.config).config_for(Path.cwd()).config
    result = SyncResult()
    with Gateway(_settings(context, options.max_wait, options.write_interval), repo) as gateway:
        infos = gateway.pmcheck_issues(_label(config), state="open")
        actions = [
            TrackedAction(
                number=info.existing.number,
                title=info.existing.title,
                marker=info.existing.marker,
                url=info.url,
                assignees=info.existing.assignees,
                labels=info.existing.labels,
                incident=incident_from_body(info.existing.body),
            )
            for info in infos
        ]
        wanted = set(needs_comments(actions, config.github, today))
        actions = [
            _with_reminders(action, gateway) if action.number in wanted else action for action in actions
        ]
        current = plan_followup(actions, config.github, today)
        print(describe(current))
        if not options.dry_run:
            result = apply(current, gateway)
    summary = render_summary(current, repository=repo, applied=not options.dry_run)
    _write_summary(summary, options.summary, context.summary_file)
    for failure in result.failed:
        print(f"pmcheck: {failure}", file=sys.stderr)
    if result.error:
        raise GitHubError(_stopped_message(result.error, result.not_done, refused=result.refused))
    return EXIT_OK if result.ok else EXIT_FINDINGS


def _with_reminders(action: Any, client: Any) -> Any:
    marks = tuple(mark for body in client.comment_bodies(action.number) if (mark := parse_reminder(body)))
    return dataclasses.replace(action, reminders=marks)


def _today(value: str | None) -> dt.date:
    if not value:
        return dt.date.today()
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise UsageError(f"--today {value!r} is not a date like 2026-03-02") from None


def _write_summary(text: str, destination: Path | None, step_summary: Path | None) -> None:
    """To ``--summary`` (replaced), else appended to the job summary, else to standard output."""
    if destination is None and step_summary is None:
        sys.stdout.write(text + "\n")
        return
    target, mode = (destination, "w") if destination is not None else (step_summary, "a")
    assert target is not None
    try:
        with target.open(mode, encoding="utf-8") as stream:
            stream.write(text + "\n")
    except OSError as exc:
        raise UsageError(f"{target}: cannot write the summary: {exc.strerror or exc}") from None
