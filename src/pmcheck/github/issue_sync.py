"""Carry out an issue plan on GitHub with PyGithub, exactly once, and say what was and was not done.

Reads go through :func:`pmcheck.github.client.connect`'s client, which retries 5xx answers and
rate limits. Writes go through a twin of that client *without* automatic retries: a POST answered
with a 5xx, or whose answer was lost, may still have created the issue (or comment), and resending
it blindly would duplicate it. Here every failed write is retried by hand, with backoff and GitHub's
rate-limit waits, and a create or comment is first looked for (by its hidden marker, among the
newest issues or the issue's comments) before it is sent again. Both clients pace requests as
``ClientSettings`` says (``write_interval`` between writes).
"""

from __future__ import annotations

import dataclasses
import functools
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypeVar

from pmcheck.errors import GitHubError
from pmcheck.github.action_issue import parse_marker
from pmcheck.github.client import ClientSettings, connect, describe
from pmcheck.github.followup import FollowupPlan
from pmcheck.github.issue_plan import (
    LABEL_COLORS,
    ExistingIssue,
    LabelSpec,
    Plan,
    PlanInputs,
    PlannedClose,
    PlannedIssue,
    PlannedUpdate,
    SourceDocument,
    plan,
)

if TYPE_CHECKING:
    from github import Github
    from github.Issue import Issue
    from github.Repository import Repository

T = TypeVar("T")
Step = tuple[str, Callable[[], None]]


class WriteRefused(GitHubError):
    """GitHub refused a write because the token lacks a permission (a re-run will not help)."""


class WriteFailed(GitHubError):
    """A write kept failing (network, outage, rate limit) after every retry."""


class WriteRejected(GitHubError):
    """GitHub rejected one write (422, 404, 410): that item failed, the others can still go ahead."""


@dataclass(frozen=True)
class PullInfo:
    """A pull request pmcheck opened or found (for ``--write-back=pr``)."""

    number: int
    url: str


@dataclass(frozen=True)
class IssueInfo:
    """One issue as listed, with everything planning and follow-ups read from it."""

    existing: ExistingIssue
    url: str


class IssueClient:
    """The GitHub operations the issue sync and follow-ups need, on one repository."""

    def __init__(
        self, settings: ClientSettings, repository: str, *, sleep: Callable[[float], None] = time.sleep
    ):
        self.settings = settings
        self.repository = repository
        self.sleep = sleep
        self.reader: Github = connect(settings)
        from github import Github

        # Same base URL, token, timeout and pacing as the reader; retries are done by hand (see module doc).
        self.writer: Github = Github(**{**self.reader.requester.kwargs, "retry": None, "lazy": True})
        self._repo: Repository | None = None
        self._assignable: dict[str, bool] = {}

    def close(self) -> None:
        self.reader.close()
        self.writer.close()

    @property
    def repo(self) -> Repository:
        if self._repo is None:
            self._repo = self._read(f"open {self.repository}", lambda: self.reader.get_repo(self.repository))
        return self._repo

    # Reads -------------------------------------------------------------------------------------

    def pmcheck_issues(self, label: str | None, *, state: str = "all") -> list[IssueInfo]:
        """Every issue carrying a pmcheck marker, open and closed, from all pages of the list.

        The list (not search, which lags behind new issues) filtered by the pmcheck label.
        """

        def fetch() -> list[IssueInfo]:
            found = (
                self.repo.get_issues(state=state, labels=[label])
                if label
                else self.repo.get_issues(state=state)
            )
            return [info for issue in found if (info := _info(issue)) is not None]

        return self._read(f"list the issues of {self.repository}", fetch)

    def assignable(self, logins: Iterable[str]) -> dict[str, bool]:
        """Which logins can be assigned here (``GET /assignees/{login}``), each asked once per run."""
        for login in sorted({login.casefold() for login in logins} - set(self._assignable)):
            self._assignable[login] = self._read(
                f"check whether {login} can be assigned", functools.partial(self._can_assign, login)
            )
        return dict(self._assignable)

    def _can_assign(self, login: str) -> bool:
        return bool(self.repo.has_in_assignees(login))

    def label_names(self) -> set[str]:
        return self._read("list labels", lambda: {label.name.casefold() for label in self.repo.get_labels()})

    def comment_bodies(self, number: int) -> list[str]:
        return self._read(
            f"read the comments of #{number}",
            lambda: [comment.body or "" for comment in self._issue(number, reader=True).get_comments()],
        )

    # Writes ------------------------------------------------------------------------------------

    def create_label(self, spec: LabelSpec) -> None:
        from github import GithubException

        def send() -> None:
            try:
                self._writer_repo().create_label(spec.name, spec.color, spec.description)
            except GithubException as exc:
                if exc.status != 422:  # 422 already_exists: another run (or a resend) made it
                    raise

        self._write(f"create the label {spec.name!r}", send)

    def create_issue(self, planned: PlannedIssue) -> int:
        """Open the issue, or find the one an earlier attempt opened; returns its number."""
        from github import GithubException

        def send() -> int:
            fields: dict[str, Any] = {
                "title": planned.title,
                "body": planned.body,
                "labels": list(planned.labels),
            }
            if planned.assignees:
                fields["assignees"] = list(planned.assignees)
            try:
                return int(self._writer_repo().create_issue(**fields).number)
            except GithubException as exc:
                if exc.status != 422 or "assignees" not in str(exc.data) or not planned.assignees:
                    raise
                # Someone lost access since the check: open the issue anyway; the body names the owners.
                fields.pop("assignees")
                return int(self._writer_repo().create_issue(**fields).number)

        return self._write(
            f"create the issue {planned.title!r}", send, recover=lambda: self.find_created(planned.key)
        )

    def find_created(self, key: str) -> int | None:
        """The newest issue whose marker holds ``key``: where a create whose answer was lost went."""

        def fetch() -> int | None:
            newest = self.repo.get_issues(state="all", sort="created", direction="desc").get_page(0)
            for issue in newest:
                marker = parse_marker(issue.body)
                if marker is not None and marker.key == key:
                    return int(issue.number)
            return None

        return self._read("look for an issue created by an unanswered request", fetch)

    def edit_issue(self, number: int, **fields: Any) -> None:
        self._write(f"edit #{number}", lambda: self._issue(number).edit(**fields))

    def comment(self, number: int, body: str) -> None:
        """Comment once: a comment whose answer was lost is found before it is sent again."""

        def recover() -> bool | None:
            return True if body in self.comment_bodies(number) else None

        self._write(
            f"comment on #{number}", lambda: self._issue(number).create_comment(body), recover=recover
        )

    def add_label(self, number: int, name: str) -> None:
        self._write(f"label #{number} {name!r}", lambda: self._issue(number).add_to_labels(name))

    def set_labels(self, number: int, names: Sequence[str]) -> None:
        self._write(f"set the labels of #{number}", lambda: self._issue(number).set_labels(*names))

    # Pull requests (``--write-back=pr``) -------------------------------------------------------

    def default_branch(self) -> str:
        return self._read(
            f"read the default branch of {self.repository}", lambda: str(self.repo.default_branch)
        )

    def open_pull(self, branch: str) -> PullInfo | None:
        """The open pull request from ``branch`` of this repository.

        GitHub filters by ``head`` only in the form ``owner:branch`` (a bare branch name is ignored and
        every pull request listed), so the owner is given and the head checked again.
        """
        owner = self.repository.split("/", 1)[0]

        def fetch() -> PullInfo | None:
            for pull in self.repo.get_pulls(state="open", head=f"{owner}:{branch}"):
                if pull.head.ref == branch:
                    return PullInfo(int(pull.number), pull.html_url or "")
            return None

        return self._read(f"look for an open pull request from {branch}", fetch)

    def create_pull(self, *, title: str, body: str, head: str, base: str) -> PullInfo:
        """Open the pull request, or find the one an earlier attempt opened (GitHub allows one per head)."""
        from github import GithubException

        def send() -> PullInfo:
            try:
                pull = self._writer_repo().create_pull(base=base, head=head, title=title, body=body)
            except GithubException as exc:
                if exc.status != 422 or "already exists" not in str(exc.data):
                    raise
                found = self.open_pull(head)
                if found is None:
                    raise
                return found
            return PullInfo(int(pull.number), pull.html_url or "")

        return self._write(
            f"open a pull request from {head} into {base}", send, recover=lambda: self.open_pull(head)
        )

    # Plumbing ----------------------------------------------------------------------------------

    def _writer_repo(self) -> Repository:
        return self.writer.get_repo(self.repository)

    def _issue(self, number: int, *, reader: bool = False) -> Issue:
        if reader:
            return self.repo.get_issue(number)
        return self._writer_repo().get_issue(number)

    def _read(self, what: str, call: Callable[[], T]) -> T:
        try:
            return call()
        except GitHubError:
            raise
        except Exception as exc:
            raise GitHubError(f"could not {what}: {describe(exc, self.settings)}") from None

    def _write(self, what: str, send: Callable[[], T], *, recover: Callable[[], T | None] | None = None) -> T:
        attempts = max(self.settings.retries, 0) + 1
        for attempt in range(attempts):
            try:
                return send()
            except Exception as exc:
                reason = f"could not {what}: {describe(exc, self.settings)}"
                if _refused(exc):
                    raise WriteRefused(reason) from None
                wait = _retry_wait(exc, attempt, self.settings)
                if wait is None and _rejected(exc):
                    raise WriteRejected(reason) from None
                if wait is None or attempt == attempts - 1:
                    raise WriteFailed(reason) from None
                self.sleep(wait)
                if recover is not None:
                    found = recover()
                    if found is not None:
                        return found
        raise WriteFailed(f"could not {what}")  # unreachable: the loop returns or raises


@dataclass
class SyncResult:
    """What applying a plan did, and — when it stopped — what it left undone and why."""

    created: dict[str, int] = field(default_factory=dict)
    updated: list[int] = field(default_factory=list)
    closed: list[int] = field(default_factory=list)
    labels_created: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    error: str | None = None
    refused: bool = False
    not_done: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.error is None and not self.failed


def apply(plan: Plan, client: IssueClient) -> SyncResult:
    """Create labels, then issues, then updates and closings (see :func:`run_steps`)."""
    result = SyncResult()
    run_steps(_steps(plan, client, result), result)
    return result


def apply_followup(plan: FollowupPlan, client: IssueClient, *, overdue_label: str) -> SyncResult:
    """Label overdue issues, clear the label where the deadline moved, post the reminders."""
    steps: list[Step] = []
    if plan.add_label:
        spec = LabelSpec(overdue_label, LABEL_COLORS["overdue"], "A corrective action past its deadline")
        steps.append(
            (
                f"create the label {overdue_label!r} if missing",
                functools.partial(_ensure_labels, [spec], client, SyncResult()),
            )
        )
    for number in plan.add_label:
        steps.append(
            (
                f"label #{number} {overdue_label!r}",
                functools.partial(client.add_label, number, overdue_label),
            )
        )
    for number, labels in plan.clear_label.items():
        steps.append(
            (
                f"remove {overdue_label!r} from #{number}",
                functools.partial(client.set_labels, number, labels),
            )
        )
    for reminder in plan.reminders:
        steps.append(
            (
                f"remind on #{reminder.number} ({reminder.kind})",
                functools.partial(client.comment, reminder.number, reminder.body),
            )
        )
    result = SyncResult()
    run_steps(steps, result)
    return result


def run_steps(steps: Sequence[Step], result: SyncResult) -> None:
    """Run writes in order. A write GitHub rejects for that item alone (422, 404) is reported and the
    rest goes ahead; a refused permission or a write that keeps failing stops the run, and everything
    not yet done is listed — the next run picks it up, since nothing is ever done twice."""
    for index, (_description, step) in enumerate(steps):
        try:
            step()
        except WriteRejected as exc:
            result.failed.append(str(exc))
        except GitHubError as exc:
            result.error = str(exc)
            result.refused = isinstance(exc, WriteRefused)
            result.not_done = [later for later, _ in steps[index:]]
            return


def _steps(plan: Plan, client: IssueClient, result: SyncResult) -> list[Step]:
    steps: list[Step] = []
    if plan.labels:
        names = ", ".join(spec.name for spec in plan.labels)
        steps.append(
            (f"create missing labels {names}", functools.partial(_ensure_labels, plan.labels, client, result))
        )
    steps += [
        (f"create {item.title!r}", functools.partial(_create, item, client, result)) for item in plan.creates
    ]
    steps += [
        (
            f"update #{item.number} ({', '.join(item.changes)})",
            functools.partial(_update, item, client, result),
        )
        for item in plan.updates
    ]
    steps += [
        (f"close #{item.number} ({item.reason})", functools.partial(_close, item, client, result))
        for item in plan.closes
    ]
    return steps


def _create(planned: PlannedIssue, client: IssueClient, result: SyncResult) -> None:
    result.created[planned.key] = client.create_issue(planned)


def _update(update: PlannedUpdate, client: IssueClient, result: SyncResult) -> None:
    fields: dict[str, Any] = {"title": update.title, "body": update.body}
    if update.assignees is not None:
        fields["assignees"] = list(update.assignees)
    client.edit_issue(update.number, **fields)
    result.updated.append(update.number)
    if update.comment:
        client.comment(update.number, update.comment)


def _close(closing: PlannedClose, client: IssueClient, result: SyncResult) -> None:
    # Closed first, then commented: a re-run after a failure in between finds the issue closed and
    # does nothing, where the other order would comment twice.
    reason = "completed" if closing.reason == "done" else "not_planned"
    client.edit_issue(closing.number, state="closed", state_reason=reason)
    result.closed.append(closing.number)
    client.comment(closing.number, closing.comment)


def _ensure_labels(specs: Sequence[LabelSpec], client: IssueClient, result: SyncResult) -> None:
    existing = client.label_names()
    for spec in specs:
        if spec.name.casefold() not in existing:
            client.create_label(spec)
            result.labels_created.append(spec.name)


def _refused(exc: BaseException) -> bool:
    """A missing permission or a bad token: every later write would be refused too."""
    from github import GithubException, RateLimitExceededException

    if not isinstance(exc, GithubException) or isinstance(exc, RateLimitExceededException):
        return False
    return exc.status == 401 or (exc.status == 403 and not _is_limit(_message(exc)))


def _rejected(exc: BaseException) -> bool:
    from github import GithubException

    return isinstance(exc, GithubException) and 400 <= exc.status < 500


def _message(exc: Any) -> str:
    return str(exc.data.get("message", "")) if isinstance(exc.data, dict) else ""


def _is_limit(message: str) -> bool:
    lowered = message.lower()
    return "rate limit" in lowered or lowered.endswith(("try again.", "try again later."))


def _retry_wait(exc: BaseException, attempt: int, settings: ClientSettings) -> float | None:
    """Seconds to wait before trying a failed write again, or None when trying again cannot help."""
    import requests
    from github import GithubException, RateLimitExceededException

    backoff = settings.backoff * (2**attempt)
    wait: float | None
    if isinstance(exc, RateLimitExceededException) or (
        isinstance(exc, GithubException)
        and exc.status in (403, 429)
        and isinstance(exc.data, dict)
        and _is_limit(str(exc.data.get("message", "")))
    ):
        headers = {name.lower(): value for name, value in (exc.headers or {}).items()}
        wait = _limit_wait(headers, settings)
    elif isinstance(exc, GithubException):
        wait = backoff if exc.status >= 500 else None
    elif isinstance(
        exc, (requests.ConnectionError, requests.Timeout, requests.exceptions.ChunkedEncodingError)
    ):
        wait = backoff
    else:
        wait = None
    if wait is not None and wait > settings.max_wait:
        return None
    return wait


def _limit_wait(headers: dict[str, str], settings: ClientSettings) -> float:
    """GitHub's guidance: ``retry-after`` if given, the reset time when the primary limit is used up,
    else at least the configured secondary wait."""
    if headers.get("retry-after", "").isdigit():
        return float(headers["retry-after"])
    if headers.get("x-ratelimit-remaining") == "0" and headers.get("x-ratelimit-reset", "").isdigit():
        return max(float(headers["x-ratelimit-reset"]) - time.time(), 0.0) + 1.0
    return settings.secondary_wait


def _info(issue: Any) -> IssueInfo | None:
    # Pull requests are issues too; told apart by URL, since reading ``pull_request`` on a list item
    # that lacks it would cost one extra request per issue.
    if "/pull/" in (issue.html_url or ""):
        return None
    marker = parse_marker(issue.body)
    if marker is None:
        return None
    existing = ExistingIssue(
        number=int(issue.number),
        title=issue.title or "",
        state=issue.state or "open",
        marker=marker,
        assignees=tuple(user.login for user in issue.assignees or ()),
        labels=tuple(label.name for label in issue.labels or ()),
        body=issue.body or "",
    )
    return IssueInfo(existing=existing, url=issue.html_url or "")


def prepare(
    client: IssueClient, documents: Sequence[SourceDocument], inputs: PlanInputs, *, label: str | None
) -> tuple[Plan, list[IssueInfo]]:
    """Read what GitHub holds and plan against it: the issues, then who of the owners can be assigned.

    Planning runs twice: once to learn which logins the plan would assign, then with the answers.
    """
    infos = client.pmcheck_issues(label)
    existing = [info.existing for info in infos]
    draft = plan(documents, existing, inputs)
    assignable = client.assignable(draft.logins())
    return plan(documents, existing, dataclasses.replace(inputs, assignable=assignable)), infos
