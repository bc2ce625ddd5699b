"""Shared fixtures: the local fake GitHub server, and pmcheck built and installed as users get it."""

from __future__ import annotations

pytest_plugins = ["github_fake.plugin", "environments"]
