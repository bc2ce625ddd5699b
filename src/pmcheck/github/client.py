"""The one place that builds a PyGithub client: base URL, token, retries, pacing and wait caps."""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import TYPE_CHECKING

from pmcheck.errors import GitHubError

if TYPE_CHECKING:
    from github import Github

DEFAULT_API_URL = "https://api.github.com"


@dataclass(frozen=True)
class ClientSettings:
    """How to reach GitHub and how patiently.

    ``max_wait`` caps any single wait for a rate limit (primary or secondary): PyGithub would
    otherwise sleep until the primary limit resets, possibly an hour, without a word.
    ``write_interval`` paces content-creating requests as GitHub's guidance asks (≥ 1 s apart).
    """

    token: str
    api_url: str = DEFAULT_API_URL
    max_wait: float = 300.0
    retries: int = 5
    backoff: float = 1.0
    secondary_wait: float = 60.0
    write_interval: float = 1.0
    request_interval: float = 0.0
    timeout: float = 30.0

    @classmethod
    def from_env(cls, token: str | None = None, **overrides: float | int | str) -> ClientSettings:
        """Settings from the Actions environment: ``GITHUB_API_URL`` (GHES) and the token."""
        value = token or os.environ.get("GITHUB_TOKEN") or os.environ.get("INPUT_GITHUB-TOKEN") or ""
        if not value:
            raise GitHubError("no GitHub token: pass --token, or set GITHUB_TOKEN")
        api_url = os.environ.get("GITHUB_API_URL") or DEFAULT_API_URL
        return cls(token=value, api_url=api_url.rstrip("/"), **overrides)  # type: ignore[arg-type]


def connect(settings: ClientSettings) -> Github:
    """A PyGithub client that retries 5xx and secondary limits with backoff and never waits past the cap."""
    from github import Auth, Github, GithubRetry

    retry = GithubRetry(
        total=settings.retries,
        backoff_factor=settings.backoff,
        secondary_rate_wait=settings.secondary_wait,
        max_rate_limit_wait=int(settings.max_wait),
        allowed_methods=frozenset({"GET", "HEAD", "OPTIONS", "PUT", "DELETE", "POST", "PATCH"}),
    )
    return Github(
        base_url=settings.api_url,
        auth=Auth.Token(settings.token),
        retry=retry,
        timeout=int(settings.timeout),
        seconds_between_requests=settings.request_interval,
        seconds_between_writes=settings.write_interval,
    )


def redact(text: str, settings: ClientSettings) -> str:
    """Remove the token from any text before it is shown."""
    return text.replace(settings.token, "***") if settings.token else text
