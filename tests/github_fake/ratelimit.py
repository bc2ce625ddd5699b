"""Primary rate limits: one bucket per identity and resource, with GitHub's headers."""

from __future__ import annotations

import time
from dataclasses import dataclass

WINDOW_SECONDS = {"core": 3600, "search": 60, "graphql": 3600}
# Requests per window by token kind ("app" ~ GITHUB_TOKEN, "user" ~ PAT, "" ~ anonymous).
DEFAULT_LIMITS = {
    "core": {"app": 1000, "user": 5000, "": 60},
    "search": {"app": 30, "user": 30, "": 10},
    "graphql": {"app": 1000, "user": 5000, "": 0},
}


@dataclass
class Bucket:
    resource: str
    limit: int
    used: int
    reset: int  # UTC epoch seconds

    @property
    def remaining(self) -> int:
        return max(0, self.limit - self.used)

    def headers(self) -> dict[str, str]:
        return {
            "x-ratelimit-limit": str(self.limit),
            "x-ratelimit-remaining": str(self.remaining),
            "x-ratelimit-reset": str(self.reset),
            "x-ratelimit-used": str(self.used),
            "x-ratelimit-resource": self.resource,
        }

    def as_json(self) -> dict[str, int]:
        return {"limit": self.limit, "remaining": self.remaining, "reset": self.reset, "used": self.used}


@dataclass
class _Override:
    limit: int | None
    remaining: int | None
    reset_in: float | None


class RateLimits:
    """Buckets keyed by (identity, resource); a bucket refills when its reset time has passed."""

    def __init__(self) -> None:
        self._buckets: dict[tuple[str, str], Bucket] = {}
        self._overrides: dict[tuple[str | None, str], _Override] = {}  # (identity or None for all, resource)

    def bucket(self, identity: str, kind: str, resource: str) -> Bucket:
        key = (identity, resource)
        bucket = self._buckets.get(key)
        now = time.time()
        if bucket is not None and bucket.reset > now:
            return bucket
        fresh = Bucket(resource, DEFAULT_LIMITS[resource][kind], 0, int(now + WINDOW_SECONDS[resource]))
        override = self._overrides.get(key) or self._overrides.get((None, resource))
        if bucket is None and override is not None:  # a refill after the reset starts clean
            self._apply(fresh, override)
        self._buckets[key] = fresh
        return fresh

    def all_for(self, identity: str, kind: str) -> dict[str, Bucket]:
        return {resource: self.bucket(identity, kind, resource) for resource in WINDOW_SECONDS}

    def set(
        self,
        resource: str,
        *,
        limit: int | None,
        remaining: int | None,
        reset_in: float | None,
        identity: str | None,
    ) -> None:
        """Change the limit, what is left, or when it resets, for one identity or (None) for everyone."""
        override = _Override(limit, remaining, reset_in)
        self._overrides[(identity, resource)] = override  # for buckets not made yet
        for (who, res), bucket in self._buckets.items():
            if res == resource and identity in (None, who):
                self._apply(bucket, override)

    @staticmethod
    def _apply(bucket: Bucket, override: _Override) -> None:
        if override.limit is not None:
            bucket.limit = override.limit
        if override.remaining is not None:
            bucket.used = max(0, bucket.limit - override.remaining)
        if override.reset_in is not None:
            bucket.reset = int(time.time() + override.reset_in)
