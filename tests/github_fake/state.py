"""The fake's in-memory model of GitHub: users, repositories, issues, pull requests, comments, checks."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone

WRITE_METHODS = frozenset({"POST", "PATCH", "PUT", "DELETE"})


def iso(moment: datetime | None) -> str | None:
    """GitHub's timestamp format: UTC, whole seconds, trailing Z."""
    return None if moment is None else moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def parse_iso(text: str) -> datetime | None:
    """Parse an ISO 8601 timestamp as GitHub accepts it (`Z` or an offset); None when unreadable."""
    try:
        moment = datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


class Clock:
    """UTC wall clock that tests can move forward (e.g. to make an action item overdue)."""

    def __init__(self) -> None:
        self.offset = timedelta()

    def now(self) -> datetime:
        return (datetime.now(timezone.utc) + self.offset).replace(microsecond=0)

    def advance(self, seconds: float) -> None:
        self.offset += timedelta(seconds=seconds)


@dataclass
class User:
    login: str
    id: int
    type: str = "User"  # "User", "Bot" or "Organization"
    name: str | None = None
    email: str | None = None
    created_at: datetime = field(default_factory=lambda: datetime(2020, 1, 1, tzinfo=timezone.utc))


@dataclass
class Token:
    """An access token. kind "app" behaves like GITHUB_TOKEN (no GET /user), "user" like a PAT."""

    value: str
    login: str
    kind: str = "app"
    permissions: dict[str, str] | None = None  # scope -> "read" / "write"; None: write everywhere

    def can_write(self, scopes: tuple[str, ...]) -> bool:
        if self.permissions is None:
            return True
        return any(self.permissions.get(scope) == "write" for scope in scopes)


@dataclass
class Label:
    id: int
    name: str
    color: str = "ededed"
    description: str | None = None
    default: bool = False


@dataclass
class PullFile:
    filename: str
    status: str = "modified"  # added / modified / removed / renamed / copied / changed / unchanged
    additions: int = 1
    deletions: int = 0
    patch: str | None = None
    previous_filename: str | None = None
    sha: str = "0" * 40


@dataclass
class PullRequest:
    """What a pull request adds to its issue."""

    id: int
    head_sha: str
    base_sha: str
    merge_sha: str
    head_ref: str
    base_ref: str
    files: list[PullFile] = field(default_factory=list)
    draft: bool = False
    merged: bool = False


@dataclass
class Issue:
    """An issue, or the issue half of a pull request (`pull` set); both share one number sequence."""

    id: int
    number: int
    title: str
    user: str
    created_at: datetime
    updated_at: datetime
    body: str | None = None
    labels: list[str] = field(default_factory=list)
    assignees: list[str] = field(default_factory=list)
    state: str = "open"
    state_reason: str | None = None
    closed_at: datetime | None = None
    closed_by: str | None = None
    locked: bool = False
    pull: PullRequest | None = None
    search_hidden: int = 0  # search requests that will still miss this issue (search lag)

    @property
    def is_pull(self) -> bool:
        return self.pull is not None


@dataclass
class Comment:
    id: int
    issue_number: int
    body: str
    user: str
    created_at: datetime
    updated_at: datetime


@dataclass
class CheckRun:
    id: int
    name: str
    head_sha: str
    status: str = "queued"
    conclusion: str | None = None
    started_at: datetime | None = None
    completed_at: datetime | None = None
    details_url: str | None = None
    external_id: str | None = None
    title: str | None = None
    summary: str | None = None
    text: str | None = None
    annotations: list[dict[str, object]] = field(default_factory=list)


@dataclass
class Repo:
    id: int
    owner: str
    name: str
    created_at: datetime
    default_branch: str = "main"
    private: bool = False
    description: str | None = None
    labels: dict[str, Label] = field(default_factory=dict)  # key: lower-cased name
    issues: dict[int, Issue] = field(default_factory=dict)
    comments: dict[int, Comment] = field(default_factory=dict)
    check_runs: dict[int, CheckRun] = field(default_factory=dict)
    collaborators: dict[str, str] = field(default_factory=dict)  # lower-cased login -> permission
    commits: set[str] = field(default_factory=set)
    last_number: int = 0

    @property
    def full_name(self) -> str:
        return f"{self.owner}/{self.name}"

    def next_number(self) -> int:
        self.last_number += 1
        return self.last_number

    def label(self, name: str) -> Label | None:
        return self.labels.get(name.lower())


class State:
    """Everything the fake knows. Callers hold `FakeGitHub.lock` while touching it from tests."""

    def __init__(self) -> None:
        self.clock = Clock()
        self.users: dict[str, User] = {}
        self.repos: dict[str, Repo] = {}
        self.tokens: dict[str, Token] = {}
        self.search_lag = 0
        # Separate, distinctive id ranges so code that mixes up ids and numbers fails loudly.
        self._ids: dict[str, Iterator[int]] = {
            "user": itertools.count(1001),
            "repo": itertools.count(500_001),
            "issue": itertools.count(1_700_000_001),
            "pull": itertools.count(1_900_000_001),
            "comment": itertools.count(3_000_000_001),
            "label": itertools.count(6_000_000_001),
            "check_run": itertools.count(20_000_000_001),
        }

    def new_id(self, kind: str) -> int:
        return next(self._ids[kind])

    def user(self, login: str) -> User | None:
        return self.users.get(login.lower())

    def repo(self, owner: str, name: str) -> Repo | None:
        return self.repos.get(f"{owner}/{name}".lower())

    def ensure_user(self, login: str, *, type: str = "User") -> User:
        existing = self.user(login)
        if existing:
            return existing
        user = User(login=login, id=self.new_id("user"), type=type)
        self.users[login.lower()] = user
        return user

    def can_push(self, repo: Repo, login: str) -> bool:
        return login.lower() == repo.owner.lower() or login.lower() in repo.collaborators

    def is_assignable(self, repo: Repo, login: str) -> bool:
        """Collaborators (and a user owner) can be assigned; bots, teams and strangers cannot."""
        user = self.user(login)
        if user is None or user.type != "User":
            return False
        return self.can_push(repo, login)

    def ensure_label(self, repo: Repo, name: str) -> Label:
        """Find a label by name (case-insensitively) or create it, as issue writes do on GitHub."""
        label = repo.label(name)
        if label is None:
            label = Label(id=self.new_id("label"), name=name)
            repo.labels[name.lower()] = label
        return label
