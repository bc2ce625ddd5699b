"""`FakeGitHub`: a stateful GitHub REST API on 127.0.0.1 for PyGithub to talk to over real HTTP."""

from __future__ import annotations

import re
import threading
from collections.abc import Iterable
from types import TracebackType
from typing import Any

from . import schema
from .dispatch import Dispatcher, HTTPServer, RecordedRequest
from .faults import Fault, secondary_rate_limit
from .ratelimit import RateLimits
from .render import Renderer
from .routing import Api
from .state import (
    WRITE_METHODS,
    CheckRun,
    Comment,
    Issue,
    Label,
    PullFile,
    PullRequest,
    Repo,
    State,
    Token,
    User,
)

SCOPES = ("issues", "pull_requests", "checks", "contents", "metadata")


class FakeGitHub:
    """A local GitHub: start it, seed it, point `Github(base_url=fake.url)` at it, then inspect it.

    `prefix` serves the API under a path, as GitHub Enterprise does ("/api/v3"); `validate` checks
    every JSON request body and response against the OpenAPI description and appends each problem
    to `schema_errors`. `html_url` is the web base used in `html_url` fields.
    """

    def __init__(
        self, *, prefix: str = "", validate: bool = False, html_url: str = "https://github.com"
    ) -> None:
        self.prefix = "/" + prefix.strip("/") if prefix.strip("/") else ""
        self.validate = validate
        self.html_url = html_url.rstrip("/")
        self.state = State()
        self.limits = RateLimits()
        self.lock = threading.RLock()
        self.faults: list[Fault] = []
        self.log: list[RecordedRequest] = []
        self.schema_errors: list[str] = []
        self.internal_errors: list[str] = []
        self.primary_limit_status = 403  # GitHub sends 403 or 429 when the primary limit is used up
        self._server: HTTPServer | None = None
        self._thread: threading.Thread | None = None
        self.api = Api(self.state, Renderer(self.state, api="", html=self.html_url), self.limits, "")
        if validate:
            schema.spec()  # fail now, with the places searched, if the description is missing

    # lifecycle

    def start(self) -> FakeGitHub:
        server = HTTPServer(Dispatcher(self))
        self._server = server
        self.api.origin = f"http://127.0.0.1:{server.server_address[1]}"
        self.api.render.api = self.url
        self._thread = threading.Thread(
            target=server.serve_forever, kwargs={"poll_interval": 0.05}, name="fake-github", daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)
        self._server = self._thread = None

    def __enter__(self) -> FakeGitHub:
        return self.start()

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()

    @property
    def url(self) -> str:
        """The `base_url` for PyGithub (and the `GITHUB_API_URL` of a simulated runner)."""
        if self._server is None:
            raise RuntimeError("FakeGitHub is not started")
        return f"{self.api.origin}{self.prefix}"

    # seeding

    def add_user(
        self, login: str, *, type: str = "User", name: str | None = None, email: str | None = None
    ) -> User:
        with self.lock:
            user = self.state.ensure_user(login, type=type)
            user.type, user.name, user.email = type, name, email
            return user

    def add_repo(
        self,
        full_name: str,
        *,
        default_branch: str = "main",
        private: bool = False,
        description: str | None = None,
    ) -> Repo:
        """A repository; an owner not added before becomes an organization."""
        owner, name = full_name.split("/")
        with self.lock:
            owner_user = self.state.ensure_user(owner, type="Organization")
            repo = Repo(
                id=self.state.new_id("repo"),
                owner=owner_user.login,
                name=name,
                created_at=self.state.clock.now(),
                default_branch=default_branch,
                private=private,
                description=description,
            )
            self.state.repos[full_name.lower()] = repo
            return repo

    def add_collaborator(self, repo: str | Repo, login: str, permission: str = "write") -> None:
        """A collaborator has push access and can be assigned (users only; not bots or teams)."""
        with self.lock:
            self.state.ensure_user(login)
            self.repo(repo).collaborators[login.lower()] = permission

    def add_token(
        self,
        token: str,
        login: str,
        *,
        kind: str = "app",
        read_only: bool = False,
        permissions: dict[str, str] | None = None,
    ) -> Token:
        """A valid token acting as `login`. kind "app" ~ GITHUB_TOKEN, "user" ~ a personal access token.

        `read_only` is a fork PR's token: every write answers 403. `permissions` ({"checks": "read", ...})
        limits single scopes; scopes it does not name stay writable.
        """
        if read_only:
            permissions = dict.fromkeys(SCOPES, "read")
        elif permissions is not None:
            permissions = dict.fromkeys(SCOPES, "write") | permissions
        with self.lock:
            self.state.ensure_user(login, type="Bot" if login.endswith("[bot]") else "User")
            entry = Token(value=token, login=login, kind=kind, permissions=permissions)
            self.state.tokens[token] = entry
            return entry

    def add_label(
        self, repo: str | Repo, name: str, *, color: str = "ededed", description: str | None = None
    ) -> Label:
        with self.lock:
            label = self.state.ensure_label(self.repo(repo), name)
            label.color, label.description = color, description
            return label

    def add_commit(self, repo: str | Repo, sha: str) -> None:
        """Make a commit known, so check runs can be created on it."""
        with self.lock:
            self.repo(repo).commits.add(sha)

    def add_issue(
        self,
        repo: str | Repo,
        title: str,
        *,
        body: str | None = None,
        labels: Iterable[str] = (),
        assignees: Iterable[str] = (),
        user: str = "alice",
        state: str = "open",
        state_reason: str | None = None,
    ) -> Issue:
        """An issue that already exists (no request logged; visible to search at once)."""
        with self.lock:
            found = self.repo(repo)
            now = self.state.clock.now()
            self.state.ensure_user(user)
            issue = Issue(
                id=self.state.new_id("issue"),
                number=found.next_number(),
                title=title,
                body=body,
                user=user,
                created_at=now,
                updated_at=now,
                assignees=list(assignees),
            )
            issue.labels = [self.state.ensure_label(found, n).name for n in labels]
            if state == "closed":
                issue.state, issue.closed_at = "closed", now
                issue.state_reason = state_reason or "completed"
            found.issues[issue.number] = issue
            return issue

    def add_pull_request(
        self,
        repo: str | Repo,
        number: int | None = None,
        *,
        files: Iterable[str | dict[str, Any] | PullFile] = (),
        head_sha: str | None = None,
        base_sha: str | None = None,
        head_ref: str | None = None,
        base_ref: str | None = None,
        title: str | None = None,
        body: str | None = None,
        user: str = "alice",
        draft: bool = False,
    ) -> Issue:
        """An open pull request; `files`: names (status "modified"), `PullFile` field dicts, PullFiles."""
        with self.lock:
            found = self.repo(repo)
            if number is None:
                number = found.last_number + 1
            if number in found.issues:
                raise ValueError(f"#{number} already exists in {found.full_name}")
            found.last_number = max(found.last_number, number)
            head_sha = head_sha or f"{number:x}".rjust(40, "a")
            base_sha = base_sha or f"{number:x}".rjust(40, "b")
            pull = PullRequest(
                id=self.state.new_id("pull"),
                head_sha=head_sha,
                base_sha=base_sha,
                merge_sha=f"{number:x}".rjust(40, "c"),
                head_ref=head_ref or f"pr-{number}",
                base_ref=base_ref or found.default_branch,
                files=[_pull_file(f) for f in files],
                draft=draft,
            )
            found.commits.update({head_sha, base_sha, pull.merge_sha})
            now = self.state.clock.now()
            self.state.ensure_user(user)
            issue = Issue(
                id=self.state.new_id("issue"),
                number=number,
                title=title or f"Pull request {number}",
                body=body,
                user=user,
                created_at=now,
                updated_at=now,
                pull=pull,
            )
            found.issues[number] = issue
            return issue

    def add_comment(self, repo: str | Repo, number: int, body: str, *, user: str = "alice") -> Comment:
        """A comment already on issue or pull request `number` (it bumps the issue's `updated_at`)."""
        with self.lock:
            found = self.repo(repo)
            issue = self.issue(found, number)
            now = self.state.clock.now()
            self.state.ensure_user(user)
            issue.updated_at = now
            comment = Comment(
                id=self.state.new_id("comment"),
                issue_number=issue.number,
                body=body,
                user=user,
                created_at=now,
                updated_at=now,
            )
            found.comments[comment.id] = comment
            return comment

    # inspection

    def repo(self, repo: str | Repo) -> Repo:
        if isinstance(repo, Repo):
            return repo
        found = self.state.repos.get(repo.lower())
        if found is None:
            raise KeyError(f"no repository {repo!r} in the fake")
        return found

    def issue(self, repo: str | Repo, number: int) -> Issue:
        return self.repo(repo).issues[number]

    def issues(self, repo: str | Repo, *, pulls: bool = False, state: str | None = None) -> list[Issue]:
        """Issues by number (pull requests only with `pulls=True`), optionally of one state."""
        with self.lock:
            return [
                i
                for _, i in sorted(self.repo(repo).issues.items())
                if (pulls or not i.is_pull) and state in (None, i.state)
            ]

    def comments(self, repo: str | Repo, number: int | None = None) -> list[Comment]:
        with self.lock:
            return [c for c in self.repo(repo).comments.values() if number in (None, c.issue_number)]

    def labels(self, repo: str | Repo) -> list[Label]:
        with self.lock:
            return list(self.repo(repo).labels.values())

    def check_runs(self, repo: str | Repo) -> list[CheckRun]:
        with self.lock:
            return list(self.repo(repo).check_runs.values())

    # behaviour

    @property
    def search_lag(self) -> int:
        """Issues created through the API stay out of search results for this many search requests."""
        return self.state.search_lag

    @search_lag.setter
    def search_lag(self, requests: int) -> None:
        self.state.search_lag = requests

    def advance_clock(self, seconds: float) -> None:
        """Move the fake's clock (timestamps it writes, `since` filters) forward."""
        with self.lock:
            self.state.clock.advance(seconds)

    def set_rate_limit(
        self,
        resource: str = "core",
        *,
        limit: int | None = None,
        remaining: int | None = None,
        reset_in: float | None = None,
        token: str | None = None,
    ) -> None:
        """Set the primary limit of `resource` ("core", "search") for one token, or for everyone (None).

        With `remaining=0` the next counted request gets 403 "API rate limit exceeded..." (status
        `primary_limit_status`) until `reset_in` seconds have passed.
        """
        with self.lock:
            self.limits.set(resource, limit=limit, remaining=remaining, reset_in=reset_in, identity=token)

    # fault injection

    def inject(
        self,
        *,
        method: str | None = None,
        path_regex: str | None = None,
        status: int = 502,
        body: Any = None,
        headers: dict[str, str] | None = None,
        times: int | None = 1,
        after: int = 0,
        drop: bool = False,
        process: bool = False,
        delay: float = 0.0,
    ) -> Fault:
        """Fail matching requests; see `Fault`. Returns the rule, whose `fired` counts its failures."""
        fault = Fault(
            method=method,
            path_regex=path_regex,
            status=status,
            body=body,
            headers=dict(headers or {}),
            times=times,
            after=after,
            drop=drop,
            process=process,
            delay=delay,
        )
        with self.lock:
            self.faults.append(fault)
        return fault

    def secondary_rate_limit(
        self,
        *,
        method: str | None = None,
        path_regex: str | None = None,
        status: int = 403,
        retry_after: int | None = 1,
        times: int | None = 1,
        after: int = 0,
    ) -> Fault:
        """Answer matching requests with GitHub's secondary-rate-limit error (403 or 429)."""
        fault = secondary_rate_limit(
            method=method,
            path_regex=path_regex,
            status=status,
            retry_after=retry_after,
            times=times,
            after=after,
        )
        with self.lock:
            self.faults.append(fault)
        return fault

    def fail_after(
        self,
        successes: int,
        *,
        method: str | None = None,
        path_regex: str | None = None,
        drop: bool = True,
        status: int = 502,
        times: int | None = None,
    ) -> Fault:
        """Let `successes` matching requests through, then fail every later one (a network fault mid-run)."""
        return self.inject(
            method=method, path_regex=path_regex, status=status, times=times, after=successes, drop=drop
        )

    def clear_faults(self) -> None:
        with self.lock:
            self.faults.clear()

    # request log

    def requests(
        self, method: str | None = None, path_regex: str | None = None, *, operation: str | None = None
    ) -> list[RecordedRequest]:
        """Logged requests, oldest first, filtered like `inject` and by operationId (e.g. "issues/create")."""
        with self.lock:
            return [
                r
                for r in self.log
                if (method is None or r.method == method.upper())
                and (path_regex is None or re.search(path_regex, r.path))
                and (operation is None or r.operation == operation)
            ]

    def write_count(self) -> int:
        """How many POST/PATCH/PUT/DELETE requests arrived (whatever their outcome)."""
        with self.lock:
            return sum(r.method in WRITE_METHODS for r in self.log)

    def clear_log(self) -> None:
        with self.lock:
            self.log.clear()


def _pull_file(entry: str | dict[str, Any] | PullFile) -> PullFile:
    if isinstance(entry, PullFile):
        return entry
    if isinstance(entry, str):
        return PullFile(filename=entry)
    return PullFile(**entry)
