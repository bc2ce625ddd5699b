"""The one place that builds a PyGithub client: base URL, token, retries, pacing and wait caps.

Retries happen below PyGithub, in urllib3: 5xx answers, secondary rate limits (403 or 429 with
``Retry-After`` or GitHub's message) and primary limits that reset within ``max_wait`` are retried
with backoff, for every method including PATCH. A POST whose connection dropped after it was sent
is *not* resent here, because GitHub may have carried it out; callers that create things look
for them again before creating anew.
"""

from __future__ import annotations

import json
import os
import time
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from pmcheck.errors import GitHubError

if TYPE_CHECKING:
    from github import Github

DEFAULT_API_URL = "https://api.github.com"
RETRIED_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "PUT", "DELETE", "POST", "PATCH"})


@dataclass(frozen=True)
class ClientSettings:
    """How to reach GitHub and how patiently.

    ``max_wait`` caps any single wait for a rate limit (primary or secondary, ``Retry-After``
    included): PyGithub would otherwise sleep until the primary limit resets, possibly an hour,
    without a word. ``write_interval`` paces content-creating requests as GitHub's guidance asks
    (≥ 1 s apart). ``per_page`` is 100, GitHub's maximum, so long lists take few requests.
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
    per_page: int = 100

    @classmethod
    def from_env(cls, token: str | None = None, *, max_wait: float | None = None) -> ClientSettings:
        """Settings from the Actions environment: ``GITHUB_API_URL`` (GHES) and the token."""
        value = token or os.environ.get("GITHUB_TOKEN") or os.environ.get("INPUT_GITHUB-TOKEN") or ""
        if not value:
            raise GitHubError("no GitHub token: set GITHUB_TOKEN (the action passes its github-token input)")
        api_url = (os.environ.get("GITHUB_API_URL") or DEFAULT_API_URL).rstrip("/")
        settings = cls(token=value, api_url=api_url)
        return settings if max_wait is None else replace(settings, max_wait=max_wait)


def connect(settings: ClientSettings) -> Github:
    """A PyGithub client that retries 5xx and rate limits with backoff and never waits past the cap."""
    from github import Auth, Github

    return Github(
        base_url=settings.api_url,
        auth=Auth.Token(settings.token),
        retry=_retry(settings),
        timeout=int(settings.timeout),
        per_page=settings.per_page,
        seconds_between_requests=settings.request_interval,
        seconds_between_writes=settings.write_interval,
    )


def _retry(settings: ClientSettings) -> Any:
    from github import GithubRetry
    from github.GithubException import RateLimitExceededExceedsMaxWait
    from github.Requester import Requester

    class CappedRetry(GithubRetry):
        """GithubRetry that caps ``Retry-After``, reads 429s, never resends a POST that may have landed."""

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
            if error is not None and method == "POST" and self._is_read_error(error):
                raise error
            if response is not None and method == "POST" and response.status >= 500:
                # GitHub may have created the issue or comment before failing; the caller looks for
                # it by its marker before creating again, so a resend here could only duplicate it.
                raise Requester.createException(response.status, response.headers, _body(response))
            if response is not None:
                wait = _announced_wait(response)
                cap = self.max_rate_limit_wait
                if wait is not None and cap is not None and wait > cap:
                    raise RateLimitExceededExceedsMaxWait(
                        response.status, _body(response), response.headers, wait=wait
                    )
                if response.status == 429 and "Retry-After" not in response.headers:
                    return self._rate_limited_429(method, url, response, error, _pool, _stacktrace)
            return super().increment(method, url, response, error, _pool, _stacktrace)

        def _rate_limited_429(
            self,
            method: str | None,
            url: str | None,
            response: Any,
            error: Exception | None,
            pool: Any,
            stacktrace: Any,
        ) -> Any:
            # GithubRetry reads rate-limit messages on 403 only; GitHub sends them as 429 too.
            body = _body(response)
            message = str(body.get("message", "")) if isinstance(body, dict) else ""
            if not Requester.isRateLimitError(message):
                raise Requester.createException(response.status, response.headers, body)
            retry = super(GithubRetry, self).increment(method, url, response, error, pool, stacktrace)
            wait = self.secondary_rate_wait
            if Requester.isPrimaryRateLimitError(message):
                wait = _reset_wait(response) or 0.0
            if self.max_rate_limit_wait is not None and wait > self.max_rate_limit_wait:
                raise RateLimitExceededExceedsMaxWait(response.status, body, response.headers, wait=wait)
            retry.forced_backoff = max(wait, 0.0)
            return retry

    return CappedRetry(
        total=settings.retries,
        backoff_factor=settings.backoff,
        backoff_max=max(settings.backoff, min(settings.max_wait, 120.0)),
        secondary_rate_wait=settings.secondary_wait,
        max_rate_limit_wait=settings.max_wait,
        allowed_methods=RETRIED_METHODS,
        status_forcelist=[*range(500, 600), 429],
    )


def _announced_wait(response: Any) -> float | None:
    """Seconds a ``Retry-After`` header asks for (None without one)."""
    value = response.headers.get("Retry-After")
    if value is None:
        return None
    try:
        return max(float(value), 0.0)
    except ValueError:
        return None


def _reset_wait(response: Any) -> float | None:
    value = response.headers.get("X-RateLimit-Reset")
    if value is None or not str(value).isdigit():
        return None
    return int(value) - time.time() + 1


def _body(response: Any) -> Any:
    try:
        return json.loads(response.data or b"{}")
    except (ValueError, TypeError):
        return {"message": str(response.reason)}


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
    message = exc.message or (exc.data.get("message", "") if isinstance(exc.data, dict) else "")
    return exc.status == 403 and "not accessible" in str(message).lower()


def github_errors() -> tuple[type[BaseException], ...]:
    """The exception types a GitHub call can end with, for ``except`` clauses outside this module."""
    from github import GithubException
    from requests import RequestException
    from urllib3.exceptions import HTTPError

    return (GithubException, RequestException, HTTPError)
