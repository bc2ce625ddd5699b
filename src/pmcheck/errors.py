"""The errors a user can see. The CLI maps each to a message and an exit code."""

from __future__ import annotations


class PmcheckError(Exception):
    """Base of every error pmcheck reports to a user instead of a traceback."""

    exit_code = 2


class ConfigError(PmcheckError):
    """A configuration file is missing, unreadable or invalid."""


class RulePackError(PmcheckError):
    """A YAML rule pack is unreadable or invalid."""


class UsageError(PmcheckError):
    """The command line asks for something that cannot be done."""


class GitHubError(PmcheckError):
    """GitHub refused or failed a request in a way a re-run will not fix by itself."""

    exit_code = 1


class ModelUnavailableError(PmcheckError):
    """No English spaCy pipeline can be loaded."""
