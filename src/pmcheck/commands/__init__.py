"""Sub-commands, one module per group; each has ``add_parsers(subparsers)``."""

from __future__ import annotations

from pmcheck.commands import check, docs, documents, fix, github, report

COMMAND_MODULES = [check, docs, documents, fix, report, github]
