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
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar, cast

from pmcheck.api import Checker
from pmcheck.cli import EXIT_FINDINGS, EXIT_OK
from pmcheck.config import Config
from pmcheck.discover import discover, is_postmortem, matches_any
from pmcheck.errors import GitHubError, UsageError
from pmcheck.github.action_issue import IssueLinks, action_keys, incident_from_body, parse_reminder
from pmcheck.github.event import ClientSettings, RunContext, read_context
from pmcheck.github.issue_plan import Plan, PlanInputs, SourceDocument, describe_plan, plan, tracking_of
from pmcheck.parse import parse_document
from pmcheck.postmortem import read_postmortem
from pmcheck.read import ReadProblem, read_text

if TYPE_CHECKING:
    from pmcheck.github.write_back_pr import DocumentReferences

T = TypeVar("T")
PERMISSIONS_HINT = (
    "Give the workflow `permissions: issues: write` (and `contents: read`), or use a token "
    "that can write issues in this repository."
)


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


def _optional_path(value: str) -> Path | None:
    return Path(value) if value.strip() else None


def _common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--repo", default=None, help="owner/name (default: GITHUB_REPOSITORY)")
    parser.add_argument("--token", default=None, help="GitHub token (default: GITHUB_TOKEN)")
    parser.add_argument(
        "--api-url", default=None, help="REST API URL (default: GITHUB_API_URL or api.github.com)"
    )
    parser.add_argument("--config", type=_optional_path, default=None, help="use this config file")
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
class LocalDocument:
    source: SourceDocument
    file: Path
    text: str


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

    root = _root(context.workspace)
    checker = Checker(config=options.config)
    paths = _changed_paths(root, options.paths, checker, context) if not options.all else None
    globs = [part.strip() for value in options.globs for part in re.split(r"[,\n]", value) if part.strip()]
    documents = _read_documents(paths if paths is not None else options.paths, root, checker, globs)
    config = checker.config_for(options.paths[0] if options.paths else root).config
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
            print(_preview_pr(documents, draft, root=root, base=None))
        return EXIT_OK
    if not repo:
        raise UsageError("no repository: pass --repo owner/name, or set GITHUB_REPOSITORY")
    settings = _settings(context, options.max_wait, options.write_interval)
    with Gateway(settings, repo) as gateway:
        current, _infos = prepare(gateway, sources, inputs, label=_label(config))
        print(describe_plan(current))
        if options.dry_run:
            if write_back == "pr":
                print(_preview_pr(documents, current, root=root, base=gateway.default_branch()))
            return EXIT_OK
        result = apply(current, gateway)
    print(
        f"created {len(result.created)}, updated {len(result.updated)}, closed {len(result.closed)}"
        + (f", labels created: {', '.join(result.labels_created)}" if result.labels_created else "")
    )
    for number_key, number in result.created.items():
        print(f"  #{number}  {number_key}")
    if write_back == "local":
        _write_back(documents, current, result.created)
    unrecorded = None
    if write_back == "pr":
        unrecorded = _write_back_pr(
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
        lines.append(PERMISSIONS_HINT)
    else:
        lines.append("Run it again later: what was done is not done twice.")
    lines.append(f"Not done ({len(not_done)}):")
    lines += [f"  - {item}" for item in not_done]
    return "\n".join(lines)


def _label(config: Config) -> str | None:
    return config.github.labels[0] if config.github.labels else None


def _settings(context: RunContext, max_wait: float, write_interval: float) -> ClientSettings:
    return context.settings(max_wait=max_wait, write_interval=write_interval)


def _root(workspace: Path | None) -> Path:
    """``--root``, else ``GITHUB_WORKSPACE``, else the folder holding ``.git`` above the current one."""
    if workspace is not None:
        return workspace.resolve()
    here = Path.cwd().resolve()
    return next((folder for folder in (here, *here.parents) if (folder / ".git").exists()), here)


def _changed_paths(
    root: Path, paths: Sequence[Path], checker: Checker, context: RunContext
) -> list[Path] | None:
    """On a push, the post-mortems the push added or modified under ``paths``; None otherwise."""
    names = context.pushed_files
    if names is None:
        return None
    scopes = [path.resolve() for path in paths]
    changed = []
    for name in names:
        candidate = (root / name).resolve()
        inside = any(candidate == scope or scope in candidate.parents for scope in scopes)
        if inside and candidate.is_file() and is_postmortem(candidate, checker.config_for(candidate)):
            changed.append(candidate)
    return changed


def _read_documents(
    paths: Sequence[Path], root: Path, checker: Checker, globs: Sequence[str]
) -> list[LocalDocument]:
    documents = []
    for candidate in discover(paths, checker.config_for, force_exclude=True):
        if globs and not matches_any(_repo_path(candidate.path, root), globs):
            continue
        text = read_text(candidate.path, checker.config_for(candidate.path).config.max_file_bytes)
        if isinstance(text, ReadProblem):
            print(f"pmcheck: {candidate.path}:{text.line}: skipped: {text.message}", file=sys.stderr)
            continue
        relative = _repo_path(candidate.path, root)
        document = parse_document(text, relative)
        postmortem = read_postmortem(document, checker.ruleset_for(candidate.path).catalog)
        documents.append(LocalDocument(SourceDocument(relative, postmortem), candidate.path, text))
    return documents


def _repo_path(path: Path, root: Path) -> str:
    resolved = path.resolve()
    try:
        return resolved.relative_to(root).as_posix()
    except ValueError:
        raise UsageError(f"{path} is outside the repository root {root}; pass --root") from None


def _write_back(documents: Sequence[LocalDocument], current: Plan, created: dict[str, int]) -> None:
    """Record issue numbers in the documents: for every action whose issue is known and unnamed there."""
    from pmcheck.github.write_back import add_references

    numbers = {key: f"#{number}" for key, number in {**current.tracked, **created}.items()}
    for document in documents:
        wanted = _wanted(document, numbers)
        if not wanted:
            continue
        try:
            raw = document.file.read_bytes()
        except OSError as exc:
            print(f"pmcheck: {document.file}: not updated: {exc.strerror or exc}", file=sys.stderr)
            continue
        bom = raw.startswith(b"\xef\xbb\xbf")
        text = raw.decode("utf-8-sig")
        if text.replace("\r\n", "\n").replace("\r", "\n") != document.text:
            print(
                f"pmcheck: {document.file}: changed since it was read; issue numbers not written",
                file=sys.stderr,
            )
            continue
        edited = add_references(text, parse_document(document.text, document.source.path), wanted)
        for problem in edited.problems:
            print(f"pmcheck: {document.file}: {problem}", file=sys.stderr)
        if edited.changed:
            document.file.write_bytes((b"\xef\xbb\xbf" if bom else b"") + edited.text.encode("utf-8"))
            print(f"wrote issue numbers into {document.file} (lines {', '.join(map(str, edited.changed))})")


def _wanted(document: LocalDocument, references: Mapping[str, str]) -> dict[int, str]:
    """Line → reference for each action of ``document`` whose issue is known and that names none."""
    postmortem = document.source.postmortem
    keys = action_keys(document.source.path, postmortem.actions)
    return {
        action.line: references[key]
        for action, key in zip(postmortem.actions, keys, strict=True)
        if key in references and tracking_of(action) is None
    }


def _pr_documents(
    documents: Sequence[LocalDocument], references: Mapping[str, str]
) -> list[DocumentReferences]:
    from pmcheck.github.write_back_pr import DocumentReferences

    return [
        DocumentReferences(
            path=document.source.path,
            text=document.text,
            references=_wanted(document, references),
            actions={action.line: action.text for action in document.source.postmortem.actions},
        )
        for document in documents
    ]


def _preview_pr(documents: Sequence[LocalDocument], current: Plan, *, root: Path, base: str | None) -> str:
    """What ``--write-back=pr`` would commit; issues not created yet show as ``#NEW``."""
    from pmcheck.github.write_back_pr import describe, propose

    references = {key: f"#{number}" for key, number in current.tracked.items()}
    references |= {planned.key: "#NEW" for planned in current.creates}
    proposal = propose(root, _pr_documents(documents, references))
    for problem in proposal.problems:
        print(f"pmcheck: {problem}", file=sys.stderr)
    return describe(proposal, base=base)


_PUBLISHED = {
    (True, True): "pushed {branch} and opened pull request #{number} into {base}: {url}",
    (True, False): "{branch} was already pushed; opened pull request #{number} into {base}: {url}",
    (False, True): "updated {branch}; pull request #{number} into {base} follows it: {url}",
    (False, False): "{branch} already holds these issue numbers; pull request #{number}: {url}",
}


def _write_back_pr(
    documents: Sequence[LocalDocument],
    current: Plan,
    *,
    created: dict[str, int],
    root: Path,
    settings: ClientSettings,
    repo: str,
) -> str | None:
    """Propose the issue numbers in a pull request; returns why they were not recorded, if so."""
    from pmcheck.github.apply import apply
    from pmcheck.github.gateway import Gateway
    from pmcheck.github.write_back_pr import WriteBackFailed, propose

    references = {key: f"#{number}" for key, number in {**current.tracked, **created}.items()}
    try:
        proposal = propose(root, _pr_documents(documents, references))
        for problem in proposal.problems:
            print(f"pmcheck: {problem}", file=sys.stderr)
        if not proposal.edits:
            print("write-back (pr): nothing to record")
            return None
        with Gateway(settings, repo) as gateway:
            published = apply(proposal, gateway)
    except WriteBackFailed as exc:
        lines = [f"The issue numbers were not recorded in the post-mortems: {exc}"]
        if exc.not_done:
            lines.append(f"Not done ({len(exc.not_done)}):")
            lines += [f"  - {item}" for item in exc.not_done]
        lines.append("The issues exist; a re-run records their numbers without opening them again.")
        return "\n".join(lines)
    message = _PUBLISHED[published.opened, published.pushed]
    print(
        "write-back (pr): "
        + message.format(
            branch=published.branch, base=published.base, number=published.pull.number, url=published.pull.url
        )
    )
    for edit in proposal.edits:
        print(f"  {edit.path}: {', '.join(item.reference for item in edit.recorded)}")
    return None


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
