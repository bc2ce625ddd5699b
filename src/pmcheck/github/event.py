"""What a GitHub Actions run is about, read from its environment and event payload (no network).

The payload at ``GITHUB_EVENT_PATH`` may be thin (GitHub documents it as empty for some fork and
merged pull requests), so the pull-request number falls back to ``GITHUB_REF``
(``refs/pull/N/merge``), and the head commit is read from the API, which is always complete.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pmcheck.errors import UsageError

DEFAULT_SERVER_URL = "https://github.com"
_PULL_REF = re.compile(r"^refs/pull/(\d+)/(?:merge|head)$")


@dataclass(frozen=True)
class RunContext:
    """The parts of the Actions environment pmcheck uses."""

    event_name: str
    repository: str
    server_url: str = DEFAULT_SERVER_URL
    workspace: Path = Path(".")
    payload: Mapping[str, Any] = field(default_factory=dict)
    ref: str = ""
    sha: str = ""
    run_url: str | None = None

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


def context_from(environ: Mapping[str, str], payload: Mapping[str, Any]) -> RunContext:
    """Build the context from environment variables and the already-read event payload."""
    repository = environ.get("GITHUB_REPOSITORY") or _dig(payload, "repository", "full_name") or ""
    if not repository:
        raise UsageError("GITHUB_REPOSITORY is not set; `pmcheck github` runs inside GitHub Actions")
    server_url = (environ.get("GITHUB_SERVER_URL") or DEFAULT_SERVER_URL).rstrip("/")
    run_id = environ.get("GITHUB_RUN_ID")
    return RunContext(
        event_name=environ.get("GITHUB_EVENT_NAME", ""),
        repository=str(repository),
        server_url=server_url,
        workspace=Path(environ.get("GITHUB_WORKSPACE") or "."),
        payload=payload,
        ref=environ.get("GITHUB_REF", ""),
        sha=environ.get("GITHUB_SHA", ""),
        run_url=f"{server_url}/{repository}/actions/runs/{run_id}" if run_id else None,
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
