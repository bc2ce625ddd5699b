"""Injected failures: GitHub outages, secondary rate limits and dropped connections, on chosen requests."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from http import HTTPStatus
from typing import Any

SECONDARY_RATE_LIMIT_MESSAGE = (
    "You have exceeded a secondary rate limit. Please wait a few minutes before you try again. "
    "If you reach out to GitHub Support for help, please include the request ID 0000:FAKE."
)
SECONDARY_RATE_LIMIT_DOCS = (
    "https://docs.github.com/rest/using-the-rest-api/rate-limits-for-the-rest-api#about-secondary-rate-limits"
)


@dataclass
class Fault:
    """One injected failure rule.

    A request matches when its method equals `method` (any if None) and `path_regex` is found by
    `re.search` in the path as received (any if None). The first `after` matching requests pass
    through untouched; the next `times` ones (all of them if None) fail: with `status`/`body`/`headers`,
    or, with `drop`, by closing the connection without an answer. With `process` the request is first
    carried out for real and only its answer is lost or replaced, as when GitHub did the work but the
    response never arrived. `delay` seconds are slept before answering.
    """

    method: str | None = None
    path_regex: str | None = None
    status: int = 502
    body: Any = None
    headers: dict[str, str] = field(default_factory=dict)
    times: int | None = 1
    after: int = 0
    drop: bool = False
    process: bool = False
    delay: float = 0.0
    passed: int = 0  # matching requests let through so far
    fired: int = 0  # matching requests failed so far

    def __post_init__(self) -> None:
        if self.body is None and not self.drop:
            self.body = {"message": HTTPStatus(self.status).phrase}

    def matches(self, method: str, path: str) -> bool:
        if self.method is not None and self.method.upper() != method:
            return False
        return self.path_regex is None or re.search(self.path_regex, path) is not None

    @property
    def exhausted(self) -> bool:
        return self.times is not None and self.fired >= self.times

    def trigger(self) -> bool:
        """Count one matching request; True when this one must fail."""
        if self.exhausted:
            return False
        if self.passed < self.after:
            self.passed += 1
            return False
        self.fired += 1
        return True


def secondary_rate_limit(
    *,
    method: str | None,
    path_regex: str | None,
    status: int,
    retry_after: int | None,
    times: int | None,
    after: int,
) -> Fault:
    """A 403/429 with GitHub's secondary-rate-limit message and, unless None, a `retry-after` header."""
    headers = {} if retry_after is None else {"retry-after": str(retry_after)}
    body = {"message": SECONDARY_RATE_LIMIT_MESSAGE, "documentation_url": SECONDARY_RATE_LIMIT_DOCS}
    return Fault(
        method=method,
        path_regex=path_regex,
        status=status,
        body=body,
        headers=headers,
        times=times,
        after=after,
    )
