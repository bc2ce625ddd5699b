"""A local, stateful fake of the GitHub REST API (the operations pmcheck uses), for PyGithub over HTTP."""

from __future__ import annotations

from .faults import Fault
from .server import FakeGitHub, RecordedRequest
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
