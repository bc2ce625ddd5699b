"""The one module that talks to GitHub: PyGithub, reads and writes, pagination, retries, error wording.

Nothing else in pmcheck imports PyGithub (``github``). Callers get plain data (:class:`IssueInfo`,
:class:`ExistingComment`, :class:`ChangedFile`...) and :class:`~pmcheck.errors.GitHubError`\\ s
worded by :func:`describe`; lists are read whole, ``per_page`` 100.

Retries. Reads retry each request below PyGithub, in urllib3: 5xx answers, secondary rate limits and
primary limits that reset within ``max_wait``, with backoff. Writes go through a twin client
*without* automatic retries: a POST answered with a 5xx, or whose answer was lost, may still have
created the issue or comment, and resending it blindly would duplicate it. A failed write is retried
by hand, and a create or comment is first looked for (by its hidden marker) before it is sent again.
Both take their waits from :func:`retry_wait`, and no wait is longer than ``max_wait``.
"""

from __future__ import annotations

import contextlib
import functools
import json
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar

from pmcheck.errors import GitHubError
from pmcheck.github.action_issue import parse_marker
from pmcheck.github.event import ClientSettings
from pmcheck.github.issue_plan import ExistingIssue, LabelSpec, PlannedIssue

if TYPE_CHECKING:
    from github import Github
    from github.Issue import Issue
    from github.PullRequest import PullRequest
    from github.Repository import Repository

T = TypeVar("T")
RETRIED_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "PUT", "DELETE", "POST", "PATCH"})


class WriteRefused(GitHubError):
    """GitHub refused a write because the token lacks a permission (a re-run will not help)."""


class PermissionDenied(WriteRefused):
    """The 403 a read-only token gets on a write (fork pull requests); ``detail`` is GitHub's message."""

    def __init__(self, message: str, detail: str) -> None:
        super().__init__(message)
        self.detail = detail


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


@dataclass(frozen=True)
class ListedIssue:
    """Any issue or pull request, as the learning report reads its state."""

    number: int
    state: str
    url: str
    closed_at: Any = None
    created_at: Any = None


@dataclass(frozen=True)
class ChangedFile:
    """One entry of a pull request's file list."""

    filename: str
    status: str = "modified"
    previous_filename: str | None = None


@dataclass(frozen=True)
class ExistingComment:
    """A comment on a pull request, as the comment planner sees it."""

    id: int
    body: str
    author_type: str = "User"
    url: str = ""
    author: str = ""


# Errors --------------------------------------------------------------------------------------------


def errors() -> tuple[type[BaseException], ...]:
    """The exception types a GitHub call can end with."""
    from github import GithubException
    from requests import RequestException
    from urllib3.exceptions import HTTPError

    return (GithubException, RequestException, HTTPError)


def redact(text: str, settings: ClientSettings) -> str:
    """Remove the token from any text before it is shown."""
    return text.replace(settings.token, "***") if settings.token else text


def describe(exc: BaseException, settings: ClientSettings) -> str:
    """One line a user can act on, for any error PyGithub, requests or urllib3 raised; without the token.

    GitHub's answers read ``HTTP <status>: <what it means>``, with the permission GitHub says the
    token lacks; anything below HTTP names the API address that could not be reached.
    """
    from github import BadCredentialsException, GithubException, UnknownObjectException
    from github.GithubException import RateLimitExceededExceedsMaxWait

    if isinstance(exc, RateLimitExceededExceedsMaxWait):
        text = (
            f"GitHub's API rate limit for this token is used up; waiting would take {exc.wait:.0f} s, "
            f"more than --max-wait ({settings.max_wait:.0f} s). Re-run the job later, or raise max-wait"
        )
    elif isinstance(exc, GithubException):
        message = exc.message or (exc.data.get("message") if isinstance(exc.data, dict) else None)
        if isinstance(exc, BadCredentialsException):
            reason = f"GitHub refused the token ({message or 'Bad credentials'})"
        elif isinstance(exc, UnknownObjectException):
            reason = "not found: check the repository name and that the token can see it"
        else:
            reason = str(message or "no message")
        accepted = (exc.headers or {}).get("x-accepted-github-permissions")
        text = f"HTTP {exc.status}: {reason}" + (f" (the token needs: {accepted})" if accepted else "")
    else:
        text = f"could not reach GitHub at {settings.api_url} ({exc.__class__.__name__}: {exc})"
    return redact(text, settings)


def is_permission_denied(exc: BaseException) -> bool:
    """True for the 403 a read-only token gets on writes (fork pull requests, missing ``permissions:``)."""
    from github import GithubException, RateLimitExceededException

    if not isinstance(exc, GithubException) or isinstance(exc, RateLimitExceededException):
        return False
    return exc.status == 403 and "not accessible" in _message(exc).lower()


def denied_detail(exc: BaseException) -> str | None:
    """GitHub's words when ``exc`` is that 403 (see :func:`is_permission_denied`), else None."""
    if not is_permission_denied(exc):
        return None
    return str(getattr(exc, "message", "") or exc)


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
    message = exc.message or (exc.data.get("message", "") if isinstance(exc.data, dict) else "")
    return str(message)


def _is_rate_limited(exc: BaseException) -> bool:
    """A primary or secondary rate limit: GitHub's message says so, or it asks to retry after a while."""
    from github import GithubException, RateLimitExceededException

    if isinstance(exc, RateLimitExceededException):
        return True
    if not isinstance(exc, GithubException) or exc.status not in (403, 429):
        return False
    headers = {name.lower() for name in (exc.headers or {})}
    return _is_limit(_message(exc)) or "retry-after" in headers


def _is_limit(message: str) -> bool:
    lowered = message.lower()
    return "rate limit" in lowered or lowered.endswith(("try again.", "try again later."))


# What to grant when GitHub refuses a write, by the permission it needs.
PERMISSION_HINTS = {
    "issues": (
        "Give the workflow `permissions: issues: write` (and `contents: read`), or use a token "
        "that can write issues in this repository."
    ),
    "pull-requests": (
        "Give the workflow `permissions: pull-requests: write`, or use a token that can open pull "
        "requests in this repository."
    ),
    "contents": (
        "Give the workflow `permissions: contents: write`, or check out with credentials that can push "
        "branches to origin."
    ),
}


# Retries ------------------------------------------------------------------------------------------


def limit_wait(headers: Mapping[str, str], settings: ClientSettings) -> float:
    """GitHub's guidance for a rate limit: ``retry-after`` if given, the reset time when the primary
    limit is used up, else the configured secondary wait."""
    lowered = {name.lower(): str(value) for name, value in headers.items()}
    try:
        return max(float(lowered["retry-after"]), 0.0)
    except (KeyError, ValueError):
        pass
    if lowered.get("x-ratelimit-remaining") == "0" and lowered.get("x-ratelimit-reset", "").isdigit():
        return max(float(lowered["x-ratelimit-reset"]) - time.time(), 0.0) + 1.0
    return settings.secondary_wait


def retry_wait(exc: BaseException, attempt: int, settings: ClientSettings) -> float | None:
    """Seconds to wait before trying a failed request again, or None when trying again cannot help
    (a client error) or would wait longer than ``max_wait``."""
    import requests
    from github import GithubException

    wait: float | None
    if _is_rate_limited(exc):
        assert isinstance(exc, GithubException)
        wait = limit_wait(exc.headers or {}, settings)
    elif isinstance(exc, GithubException):
        wait = settings.backoff * (2**attempt) if exc.status >= 500 else None
    elif isinstance(
        exc, (requests.ConnectionError, requests.Timeout, requests.exceptions.ChunkedEncodingError)
    ):
        wait = settings.backoff * (2**attempt)
    else:
        wait = None
    if wait is not None and wait > settings.max_wait:
        return None
    return wait


def _client(settings: ClientSettings, *, retry: Any, lazy: bool = False) -> Github:
    from github import Auth, Github

    return Github(
        base_url=settings.api_url,
        auth=Auth.Token(settings.token),
        retry=retry,
        timeout=int(settings.timeout),
        per_page=settings.per_page,
        seconds_between_requests=settings.request_interval,
        seconds_between_writes=settings.write_interval,
        lazy=lazy,
    )


def _capped_retry(settings: ClientSettings) -> Any:
    """urllib3's Retry for every read, deciding with :func:`retry_wait` like the writes do: 5xx and
    rate limits are retried, never past ``max_wait``; other answers raise at once, as PyGithub's
    exceptions; a POST that may have landed is never resent."""
    from github.GithubException import RateLimitExceededExceedsMaxWait
    from github.Requester import Requester
    from urllib3.util.retry import Retry

    class CappedRetry(Retry):
        forced_backoff: float | None = None

        def get_backoff_time(self) -> float:
            if self.forced_backoff is not None:
                return self.forced_backoff
            return float(super().get_backoff_time())

        def increment(
            self,
            method: str | None = None,
            url: str | None = None,
            response: Any = None,
            error: Exception | None = None,
            _pool: Any = None,
            _stacktrace: Any = None,
        ) -> Any:
            if response is None:
                if error is not None and method == "POST" and self._is_read_error(error):
                    raise error
                return super().increment(method, url, response, error, _pool, _stacktrace)
            body = _body(response)
            answer = Requester.createException(response.status, response.headers, body)
            if method == "POST" and response.status >= 500:
                # GitHub may have created the issue or comment before failing; the caller looks for
                # it by its marker before creating again, so a resend here could only duplicate it.
                raise answer
            wait = retry_wait(answer, len(self.history), settings)
            if wait is None:
                if _is_rate_limited(answer):
                    limit = limit_wait(response.headers, settings)
                    raise RateLimitExceededExceedsMaxWait(response.status, body, response.headers, wait=limit)
                raise answer
            retry = super().increment(method, url, response, error, _pool, _stacktrace)
            retry.forced_backoff = wait
            return retry

    return CappedRetry(
        total=settings.retries,
        allowed_methods=RETRIED_METHODS,
        status_forcelist=[*range(500, 600), 403, 429],
    )


def _body(response: Any) -> Any:
    try:
        return json.loads(response.data or b"{}")
    except (ValueError, TypeError):
        return {"message": str(response.reason)}


# The gateway ---------------------------------------------------------------------------------------


class Gateway:
    """Every read and write pmcheck makes, on one repository."""

    def __init__(
        self, settings: ClientSettings, repository: str, *, sleep: Callable[[float], None] = time.sleep
    ):
        self.settings = settings
        self.repository = repository
        self.sleep = sleep
        self.reader: Github = _client(settings, retry=_capped_retry(settings))
        self.writer: Github = _client(settings, retry=None, lazy=True)
        self._repo: Repository | None = None
        self._pulls: dict[int, PullRequest] = {}
        self._comments: dict[int, Any] = {}
        self._assignable: dict[str, bool] = {}

    def close(self) -> None:
        self.reader.close()
        self.writer.close()

    def __enter__(self) -> Gateway:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    @property
    def repo(self) -> Repository:
        if self._repo is None:
            self._repo = self._read(f"open {self.repository}", lambda: self.reader.get_repo(self.repository))
        return self._repo

    # Issues: reads ---------------------------------------------------------------------------------

    def pmcheck_issues(self, label: str | None, *, state: str = "all") -> list[IssueInfo]:
        """Every issue carrying a pmcheck marker, from all pages of the list filtered by the label
        (the list, not search, which lags behind new issues)."""

        def fetch() -> list[IssueInfo]:
            found = (
                self.repo.get_issues(state=state, labels=[label])
                if label
                else self.repo.get_issues(state=state)
            )
            return [info for issue in found if (info := _info(issue)) is not None]

        return self._read(f"list the issues of {self.repository}", fetch)

    def all_issues(self) -> list[ListedIssue]:
        """Every issue and pull request of the repository, open and closed."""

        def fetch() -> list[ListedIssue]:
            return [
                ListedIssue(issue.number, issue.state, issue.html_url, issue.closed_at, issue.created_at)
                for issue in self.reader.get_repo(self.repository).get_issues(state="all")
            ]

        try:
            return fetch()
        except errors() as exc:
            raise GitHubError(
                f"cannot read the issues of {self.repository} ({describe(exc, self.settings)})"
            ) from None

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

    # Issues: writes --------------------------------------------------------------------------------

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

    # Pull requests: the pmcheck comment ------------------------------------------------------------

    def pull_request(self, number: int) -> tuple[str, list[ChangedFile]]:
        """The pull request's head commit and its changed files (all pages)."""
        with self._worded():
            pull = self._pull(number)
            return pull.head.sha, [
                ChangedFile(f.filename, f.status, f.previous_filename) for f in pull.get_files()
            ]

    def head_sha(self, number: int) -> str:
        with self._worded():
            return str(self._pull(number).head.sha)

    def pull_comments(self, number: int) -> list[ExistingComment]:
        """Every comment on the pull request (all pages)."""
        with self._worded():
            self._comments = {comment.id: comment for comment in self._pull(number).get_issue_comments()}
            return [
                ExistingComment(
                    c.id,
                    c.body or "",
                    c.user.type if c.user else "User",
                    c.html_url,
                    c.user.login if c.user else "",
                )
                for c in self._comments.values()
            ]

    def create_pull_comment(self, number: int, body: str) -> str:
        """Post a comment on the pull request; returns its URL."""
        with self._worded():
            return str(self._pull(number).create_issue_comment(body).html_url)

    def edit_pull_comment(self, comment_id: int, body: str) -> str:
        """Edit a comment listed by :meth:`pull_comments`; returns its URL."""
        with self._worded():
            self._comments[comment_id].edit(body)
            return str(self._comments[comment_id].html_url)

    def delete_pull_comment(self, comment_id: int) -> None:
        """Delete a comment listed by :meth:`pull_comments`; one already gone is no error."""
        with self._worded():
            try:
                self._comments[comment_id].delete()
            except errors() as exc:
                if getattr(exc, "status", None) != 404:  # already gone is what was wanted
                    raise

    @contextlib.contextmanager
    def _worded(self) -> Iterator[None]:
        """PyGithub's failures inside, as :class:`GitHubError` worded by :func:`describe`."""
        try:
            yield
        except errors() as exc:
            detail = denied_detail(exc)
            if detail is not None:
                raise PermissionDenied(describe(exc, self.settings), detail) from None
            raise GitHubError(describe(exc, self.settings)) from None

    def _pull(self, number: int) -> PullRequest:
        if number not in self._pulls:
            self._pulls[number] = self.reader.withLazy(True).get_repo(self.repository).get_pull(number)
        return self._pulls[number]

    # Pull requests: ``--write-back=pr`` ------------------------------------------------------------

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

    # Plumbing --------------------------------------------------------------------------------------

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
                wait = retry_wait(exc, attempt, self.settings)
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
