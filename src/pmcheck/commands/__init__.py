"""Sub-commands, one module per group; each has ``add_parsers(subparsers)``.

Only the module of the command being run is imported: ``pmcheck check`` never loads the GitHub,
report or fix code. Help and unknown commands load them all.
"""

from __future__ import annotations

import importlib
from collections.abc import Sequence
from types import ModuleType

MODULE_NAMES = ("check", "baseline", "rules_help", "authoring", "fix", "lsp", "report", "github")
COMMANDS = {
    "check": "check",
    "baseline": "baseline",
    "lsp": "lsp",
    "rules": "rules_help",
    "explain": "rules_help",
    "schema": "rules_help",
    "init": "authoring",
    "actions": "authoring",
    "fix": "fix",
    "report": "report",
    "github": "github",
}


def command_modules(argv: Sequence[str] | None = None) -> list[ModuleType]:
    """The module of the command named in ``argv``; every module when it names none we know."""
    chosen = next((arg for arg in argv or () if not arg.startswith("-")), None)
    names = [COMMANDS[chosen]] if chosen in COMMANDS else MODULE_NAMES
    return [importlib.import_module(f"pmcheck.commands.{name}") for name in names]
