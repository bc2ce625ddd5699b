"""The closed set of rule kinds that YAML rule packs instantiate.

Every module of this package lists its kinds in ``KINDS`` and is found here by itself, so a new kind
takes its module (or a line in one) and nothing else.
"""

from __future__ import annotations

import importlib
import pkgutil

from pmcheck.rule import RuleKind

KINDS: dict[str, RuleKind] = {
    kind.name: kind
    for module in pkgutil.iter_modules(__path__)
    for kind in importlib.import_module(f"{__name__}.{module.name}").KINDS
}


def register(kind: RuleKind) -> None:
    """Add a kind (the NLP kinds register themselves this way)."""
    KINDS[kind.name] = kind
