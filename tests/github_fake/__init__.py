"""A local, stateful fake of the GitHub REST API (the operations pmcheck uses), for PyGithub over HTTP.

    with FakeGitHub(validate=True) as fake:          # or the `fake_github` fixture (plugin.py)
        fake.add_repo("acme/incidents")
        fake.add_collaborator("acme/incidents", "alice")
        fake.add_token("t", "github-actions[bot]")   # read_only=True: a fork PR's token
        fake.add_pull_request("acme/incidents", 3, files=["docs/pm.md"])
        gh = Github(base_url=fake.url, auth=Auth.Token("t"), retry=None,
                    seconds_between_requests=0, seconds_between_writes=0)
        ...
        fake.inject(method="POST", path_regex=r"/issues$", status=502, times=1)
        assert fake.issues("acme/incidents") and fake.schema_errors == []

Modules: server (FakeGitHub, request handling), state (the model), render (JSON bodies), routing,
issues and repos (the 26 operations), search, paging, ratelimit, faults, schema (OpenAPI checks).
"""

from __future__ import annotations

from .dispatch import RecordedRequest
from .faults import Fault
from .server import FakeGitHub
from .state import CheckRun, Comment, Issue, Label, PullFile, Repo, Token, User

__all__ = [
    "CheckRun",
    "Comment",
    "FakeGitHub",
    "Fault",
    "Issue",
    "Label",
    "PullFile",
    "RecordedRequest",
    "Repo",
    "Token",
    "User",
]
