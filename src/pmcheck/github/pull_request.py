"""The pull-request check, planned as plain data (no network): which changed files to check, what the
one comment says, and whether to create it, edit it or leave it.

:func:`files_to_check` picks the changed post-mortems, :func:`issue_previews` lists the issues a
merge would open (the issue planner's own creations), :func:`comment_body` renders the comment and
:func:`plan_comment` decides between create, edit and keep, from the comments GitHub holds; the
comment is found again by its hidden marker on every run. :func:`pmcheck.github.apply.apply` sends it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from pmcheck import __version__, api
from pmcheck.config import config_for
from pmcheck.discover import is_excluded, is_postmortem, matches_any
from pmcheck.finding import Severity
from pmcheck.formatters import markdown
from pmcheck.github.gateway import ChangedFile, ExistingComment
from pmcheck.github.issue_plan import PlanInputs, SourceDocument, plan
from pmcheck.run_result import RunResult

MARKER = "<!-- pmcheck:pr-comment -->"
PREVIEW_ROWS = 25
LISTED_FILES = 20


@dataclass(frozen=True)
class Selection:
    """The changed files to check, and why others were passed over."""

    paths: list[str]
    notes: list[str] = field(default_factory=list)


def files_to_check(
    changed: Sequence[ChangedFile], *, workspace: Path, config: Path | None = None, globs: Sequence[str] = ()
) -> Selection:
    """Changed post-mortems present in the workspace: renamed ones under their new name, deleted ones,
    symbolic links and files outside the workspace not.

    With ``globs`` a file must match one of them (relative to the repository root); otherwise the
    configuration's ``files`` globs decide. The configuration's ``exclude`` globs apply either way.
    """
    chosen: list[str] = []
    missing: list[str] = []
    linked: list[str] = []
    root = workspace.resolve()
    for entry in changed:
        if entry.status == "removed":
            continue
        path = workspace / entry.filename
        loaded = config_for(path, config)
        wanted = (
            (matches_any(entry.filename, globs) and not is_excluded(path, loaded))
            if globs
            else is_postmortem(path, loaded)
        )
        if not wanted:
            continue
        if path.is_symlink() or not path.resolve().is_relative_to(root):
            # A link could point at the runner's credentials; its target must never reach a comment.
            linked.append(entry.filename)
        elif path.is_file():
            chosen.append(entry.filename)
        else:
            missing.append(entry.filename)
    notes = []
    if linked:
        notes.append(
            f"{len(linked)} changed post-mortem(s) are symbolic links or lie outside the repository and "
            f"were not checked: {', '.join(linked[:5])}"
        )
    if missing:
        notes.append(
            f"{len(missing)} changed post-mortem(s) are not in the checked-out workspace and were "
            f"not checked (check out the pull request's head first): {', '.join(missing[:5])}"
        )
    return Selection(sorted(chosen), notes)


def check_files(
    paths: Sequence[str], *, workspace: Path, config: Path | None = None, fail_on: Severity | None = None
) -> RunResult:
    """Check the files as ``pmcheck check`` would, reporting them by their repository paths."""
    if not paths:  # nothing to check; the threshold still comes from the workspace's configuration
        return RunResult(reports=[], fail_on=fail_on or api.Checker(config=config).fail_on([workspace]))
    return api.run(
        [workspace / path for path in paths], config=config, fail_on=fail_on, root=workspace, jobs=1
    )


@dataclass(frozen=True)
class IssuePreview:
    path: str
    line: int
    title: str
    owners: tuple[str, ...]
    deadline: str | None
    key: str = ""


def issue_previews(
    result: RunResult, *, owner_logins: Callable[[str], Mapping[str, str]]
) -> list[IssuePreview]:
    """The issues the issue planner would create for these post-mortems if GitHub held none yet: what
    ``pmcheck github issues`` opens when the change is merged (owners assumed assignable)."""
    previews = []
    for report in result.reports:
        if report.postmortem is None:
            continue
        document = SourceDocument(report.path, report.postmortem)
        planned = plan([document], [], PlanInputs(owners=owner_logins(report.path))).creates
        previews += [
            IssuePreview(issue.path, issue.line, issue.title, issue.owners, issue.deadline_text, issue.key)
            for issue in planned
        ]
    return previews


# the comment


@dataclass(frozen=True)
class PullRequestRun:
    """Everything the comment reports, as data (what `--report-file` saves, too)."""

    repository: str
    number: int
    head_sha: str
    server_url: str
    result: RunResult
    checked: list[str]
    notes: list[str] = field(default_factory=list)
    previews: list[IssuePreview] | None = None
    run_url: str | None = None

    @property
    def links(self) -> markdown.Links:
        return markdown.Links(self.server_url, self.repository, self.head_sha)


def comment_body(
    run: PullRequestRun,
    *,
    limit: int = markdown.COMMENT_LIMIT,
    extra: Sequence[str] = (),
    marker: bool = True,
) -> str:
    """The comment (or, without the marker, the job summary), under ``limit`` characters.

    ``extra`` notes are pmcheck's own words (already Markdown), shown under the headline.
    """
    result = run.result
    head = [MARKER] if marker else []
    if not run.checked:
        head.append("### pmcheck: no post-mortems changed")
        head.append(
            f"The pull request at `{run.head_sha[:12]}` changes no post-mortems, so there is nothing "
            "to check; earlier results here no longer apply."
        )
        head += list(extra)
    else:
        head.append(markdown.headline(result))
        head.append(_checked_line(run))
        head += [f"> {markdown.text(note)}" for note in [*run.notes, *result.notices]]
        head += list(extra)
        head.append(markdown.rule_table(result))
    tail = [_previews_section(run.previews) if run.checked else "", _footer(run)]
    fixed = "\n\n".join(part for part in [*head, *tail] if part)
    budget = limit - len(fixed) - 200
    findings = markdown.findings_section(result, links=run.links, budget=budget) if run.checked else ""
    body = "\n\n".join(part for part in [*head, findings, *tail] if part) + "\n"
    return body if len(body) <= limit else body[: limit - 40] + "\n\n… (cut to fit)\n"


def _checked_line(run: PullRequestRun) -> str:
    names = ", ".join(markdown.code(path, limit=120) for path in run.checked[:LISTED_FILES])
    more = len(run.checked) - LISTED_FILES
    listed = names + (f" and {more:,} more" if more > 0 else "")
    threshold = run.result.fail_on.value
    return (
        f"Checked at `{run.head_sha[:12]}`: {listed}. "
        f"Findings of severity `{threshold}` or above fail the check."
    )


def _previews_section(previews: Sequence[IssuePreview] | None) -> str:
    if not previews:
        return ""
    rows = [
        "#### Corrective actions that get an issue when this is merged",
        "",
        "| Post-mortem | Issue title | Owners | Deadline |",
        "| --- | --- | --- | --- |",
    ]
    for preview in previews[:PREVIEW_ROWS]:
        owners = ", ".join(markdown.text(f"@{login}", limit=60) for login in preview.owners) or "*none*"
        rows.append(
            f"| {markdown.text(preview.path, limit=120)}:{preview.line} | "
            f"{markdown.text(preview.title, limit=200)} | {owners} | "
            f"{markdown.text(preview.deadline, limit=40) if preview.deadline else '*none*'} |"
        )
    if len(previews) > PREVIEW_ROWS:
        rows.append(f"\n… and {len(previews) - PREVIEW_ROWS:,} more.")
    return "\n".join(rows)


def _footer(run: PullRequestRun) -> str:
    parts = [f"pmcheck {__version__}"]
    if run.run_url:
        parts.append(f"[workflow run]({run.run_url})")
    parts.append("this comment is updated on every push")
    return "<sub>" + " · ".join(parts) + "</sub>"


# create or edit


@dataclass(frozen=True)
class CommentPlan:
    """``create``, ``edit`` or ``keep`` (nothing to write); ``comment_id`` for edit and keep.

    ``delete`` lists the other marked comments the same author left (a run that failed half-way can
    leave two), so that after the plan is applied exactly one pmcheck comment remains.
    """

    action: str
    body: str = ""
    comment_id: int | None = None
    delete: tuple[int, ...] = ()
    pull: int = 0
    url: str | None = None  # of the comment kept


def find_ours(comments: Sequence[ExistingComment]) -> ExistingComment | None:
    """The comment that starts with the marker; a bot's before a person's, the oldest first."""
    marked = [c for c in comments if c.body.lstrip().startswith(MARKER)]
    bots = [c for c in marked if c.author_type == "Bot"]
    candidates = bots or marked
    return candidates[0] if candidates else None


def duplicates_of(kept: ExistingComment | None, comments: Sequence[ExistingComment]) -> tuple[int, ...]:
    """Marked comments other than ``kept`` by the same author: what earlier faulty runs left behind."""
    if kept is None:
        return ()
    return tuple(
        c.id
        for c in comments
        if c.id != kept.id
        and c.body.lstrip().startswith(MARKER)
        and (c.author, c.author_type) == (kept.author, kept.author_type)
    )


def plan_comment(
    existing: ExistingComment | None,
    body: str,
    *,
    create: bool = True,
    comments: Sequence[ExistingComment] = (),
    pull: int = 0,
) -> CommentPlan:
    extra = duplicates_of(existing, comments)
    if existing is None:
        return CommentPlan("create", body, pull=pull) if create else CommentPlan("keep", pull=pull)
    if existing.body == body:
        return CommentPlan("keep", comment_id=existing.id, delete=extra, pull=pull, url=existing.url)
    return CommentPlan("edit", body, existing.id, delete=extra, pull=pull)


@dataclass(frozen=True)
class Published:
    """What happened to the comment: created, edited, kept, not-needed, or forbidden (read-only token)."""

    status: str
    url: str | None = None
    detail: str | None = None
