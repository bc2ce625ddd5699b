"""pytest fixtures: a started FakeGitHub holding `acme/incidents`, and PyGithub clients pointed at it.

Load with `pytest_plugins = ["github_fake.plugin"]` in the root conftest, or import the fixtures.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from github import Auth, Github

from .server import FakeGitHub

REPO = "acme/incidents"
BOT = "github-actions[bot]"
TOKEN = "ghs_fake_actions_token"  # like GITHUB_TOKEN with write permissions
READ_ONLY_TOKEN = "ghs_fake_fork_pr_token"  # like a fork pull request's GITHUB_TOKEN
USER_TOKEN = "ghp_fake_alice_token"  # a personal access token of alice
COLLABORATORS = ("alice", "bob")  # assignable in REPO
OUTSIDER = "carol"  # a user who is not a collaborator, so not assignable

GithubFactory = Callable[..., Github]


def seed(fake: FakeGitHub) -> None:
    """The standard world: org `acme`, repo `acme/incidents`, alice (admin) and bob (write), carol, tokens."""
    fake.add_user("acme", type="Organization", name="ACME")
    fake.add_user("alice", name="Alice Example", email="alice@example.com")
    fake.add_user("bob", name="Bob Example")
    fake.add_user(OUTSIDER, name="Carol Example")
    fake.add_user(BOT, type="Bot")
    fake.add_repo(REPO, description="Post-mortems of ACME incidents")
    fake.add_collaborator(REPO, "alice", "admin")
    fake.add_collaborator(REPO, "bob", "write")
    fake.add_token(TOKEN, BOT)
    fake.add_token(READ_ONLY_TOKEN, BOT, read_only=True)
    fake.add_token(USER_TOKEN, "alice", kind="user")


@pytest.fixture
def fake_github() -> Iterator[FakeGitHub]:
    """A started, seeded fake with schema validation on; fails the test if any response broke the spec."""
    with FakeGitHub(validate=True) as fake:
        seed(fake)
        yield fake
        problems = fake.schema_errors + fake.internal_errors
    if problems:
        pytest.fail("fake GitHub contract problems:\n" + "\n".join(problems), pytrace=False)


def make_client(fake: FakeGitHub, token: str | None = TOKEN, **kwargs: Any) -> Github:
    """A PyGithub client for `fake`: no retries, no throttling, 10 s timeout, unless `kwargs` differ."""
    options: dict[str, Any] = {
        "base_url": fake.url,
        "retry": None,
        "timeout": 10,
        "seconds_between_requests": 0,
        "seconds_between_writes": 0,
    }
    if token is not None:
        options["auth"] = Auth.Token(token)
    return Github(**(options | kwargs))


@pytest.fixture
def github_client_factory(fake_github: FakeGitHub) -> Iterator[GithubFactory]:
    """`make(token=TOKEN, **Github kwargs)`, e.g. `make(READ_ONLY_TOKEN)` or `make(retry=GithubRetry())`."""
    clients: list[Github] = []

    def make(token: str | None = TOKEN, **kwargs: Any) -> Github:
        client = make_client(fake_github, token, **kwargs)
        clients.append(client)
        return client

    yield make
    for client in clients:
        client.close()


@pytest.fixture
def github_client(fake_github: FakeGitHub) -> Iterator[Github]:
    """PyGithub on the fake with the write-enabled Actions-like token."""
    client = make_client(fake_github)
    yield client
    client.close()
