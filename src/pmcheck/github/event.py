"""What a GitHub run is about, read once from the environment, the event payload and the options.

:func:`read_context` is the only place pmcheck's GitHub side reads ``GITHUB_*`` variables; everything
after it takes the :class:`RunContext` (no network here). The payload at ``GITHUB_EVENT_PATH`` may
be thin (GitHub documents it as empty for some fork and merged pull requests), so the pull-request
number falls back to ``GITHUB_REF`` (``refs/pull/N/merge``), and the head commit is read from the
API, which is always complete.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from pmcheck.errors import GitHubError, UsageError

DEFAULT_SERVER_URL = "https://github.com"
DEFAULT_API_URL = "https://api.github.com"
_PULL_REF = re.compile(r"^refs/pull/(\d+)/(?:merge|head)$")


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


@dataclass(frozen=True)
class RunContext:
    """The parts of the Actions environment (and of the options standing in for it) pmcheck uses.

    ``repository`` and ``token`` are empty when neither the environment nor an option gives them;
    ``workspace`` is None when ``GITHUB_WORKSPACE`` is unset and no option names one.
    """

    event_name: str
    repository: str
    server_url: str = DEFAULT_SERVER_URL
    workspace: Path | None = None
    payload: Mapping[str, Any] = field(default_factory=dict)
    ref: str = ""
    sha: str = ""
    run_url: str | None = None
    token: str = ""
    api_url: str = DEFAULT_API_URL
    summary_file: Path | None = None
    output_file: Path | None = None

    def settings(
        self, *, max_wait: float | None = None, write_interval: float | None = None
    ) -> ClientSettings:
        """How to reach GitHub for this run; an error naming what to set when there is no token."""
        if not self.token:
            raise GitHubError("no GitHub token: set GITHUB_TOKEN (the action passes its github-token input)")
        settings = ClientSettings(token=self.token, api_url=self.api_url)
        if max_wait is not None:
            settings = replace(settings, max_wait=max_wait)
        if write_interval is not None:
            settings = replace(settings, write_interval=max(write_interval, 0.0))
        return settings

    def require_repository(self, message: str) -> str:
        if not self.repository:
            raise UsageError(message)
        return self.repository

    @property
    def pushed_files(self) -> list[str] | None:
        """On a push, the files its commits added or modified (each once, in order); None otherwise."""
        commits = self.payload.get("commits")
        if self.event_name != "push" or not isinstance(commits, list):
            return None
        names: dict[str, None] = {}
        for commit in commits:
            if isinstance(commit, dict):
                for name in [*(commit.get("added") or []), *(commit.get("modified") or [])]:
                    names.setdefault(str(name), None)
        return list(names)

    @property
    def pull_number(self) -> int | None:
        """The pull request this run is about, from the payload or ``GITHUB_REF``."""
        for value in (self.payload.get("number"), _dig(self.payload, "pull_request", "number")):
            if isinstance(value, int) and value > 0:
                return value
        match = _PULL_REF.match(self.ref)
        return int(match.group(1)) if match else None

    @property
    def from_fork(self) -> bool:
        """True when the pull request's head lives in another repository (its token is read-only)."""
        head = _dig(self.payload, "pull_request", "head", "repo", "full_name")
        base = _dig(self.payload, "pull_request", "base", "repo", "full_name") or self.repository
        return isinstance(head, str) and head.lower() != str(base).lower()


def read_context(
    environ: Mapping[str, str],
    *,
    repository: str | None = None,
    token: str | None = None,
    api_url: str | None = None,
    sha: str | None = None,
    workspace: Path | None = None,
) -> RunContext:
    """The run's context from the environment and its event payload; options given here win."""
    payload = read_payload(environ)
    repository = (
        repository or environ.get("GITHUB_REPOSITORY") or _dig(payload, "repository", "full_name") or ""
    )
    server_url = (environ.get("GITHUB_SERVER_URL") or DEFAULT_SERVER_URL).rstrip("/")
    run_id = environ.get("GITHUB_RUN_ID")
    folder = workspace or (Path(environ["GITHUB_WORKSPACE"]) if environ.get("GITHUB_WORKSPACE") else None)
    return RunContext(
        event_name=environ.get("GITHUB_EVENT_NAME", ""),
        repository=str(repository),
        server_url=server_url,
        workspace=folder,
        payload=payload,
        ref=environ.get("GITHUB_REF", ""),
        sha=sha or environ.get("GITHUB_SHA", ""),
        run_url=f"{server_url}/{repository}/actions/runs/{run_id}" if run_id and repository else None,
        token=token or environ.get("GITHUB_TOKEN") or environ.get("INPUT_GITHUB-TOKEN") or "",
        api_url=(api_url or environ.get("GITHUB_API_URL") or DEFAULT_API_URL).rstrip("/"),
        summary_file=_path(environ.get("GITHUB_STEP_SUMMARY")),
        output_file=_path(environ.get("GITHUB_OUTPUT")),
    )


def read_payload(environ: Mapping[str, str]) -> dict[str, Any]:
    """The event payload at ``GITHUB_EVENT_PATH``; empty when unset, an error when unreadable."""
    location = environ.get("GITHUB_EVENT_PATH")
    if not location:
        return {}
    try:
        data = json.loads(Path(location).read_text(encoding="utf-8"))
    except OSError as exc:
        raise UsageError(f"{location}: cannot read the event payload: {exc.strerror or exc}") from None
    except ValueError as exc:
        raise UsageError(f"{location}: the event payload is not JSON: {exc}") from None
    return data if isinstance(data, dict) else {}


def _dig(data: Mapping[str, Any], *keys: str) -> Any:
    value: Any = data
    for key in keys:
        if not isinstance(value, Mapping):
            return None
        value = value.get(key)
    return value


def _path(value: str | None) -> Path | None:
    return Path(value) if value else None
