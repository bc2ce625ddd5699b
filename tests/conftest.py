"""Shared fixtures: the local fake GitHub server is available to every test."""

from __future__ import annotations

pytest_plugins = ["github_fake.plugin"]
