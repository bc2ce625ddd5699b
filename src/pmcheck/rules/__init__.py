"""The closed set of rule kinds that YAML rule packs instantiate."""

from __future__ import annotations

from pmcheck.rule import RuleKind
from pmcheck.rules import actions, causes, credentials, metadata, patterns, sections, timeline

KINDS: dict[str, RuleKind] = {
    kind.name: kind
    for module in (metadata, sections, timeline, causes, actions, patterns, credentials)
    for kind in module.KINDS
}


def register(kind: RuleKind) -> None:
    """Add a kind (the NLP kinds register themselves this way)."""
    KINDS[kind.name] = kind
