"""Where rule packs are: the built-in ones shipped in the package, or a repository's own by path.

Kept apart from :mod:`pmcheck.rulepack` so that finding a pack's file loads no pack models or rules.
"""

from __future__ import annotations

from pathlib import Path

from pmcheck.errors import RulePackError

__all__ = ["builtin_pack_dir", "builtin_packs", "resolve_pack"]


def builtin_pack_dir() -> Path:
    """Where the shipped packs are: inside the wheel, or the repository's ``rules/`` in a checkout."""
    installed = Path(__file__).with_name("packs")
    if installed.is_dir():
        return installed
    return Path(__file__).resolve().parents[2] / "rules"


def builtin_packs() -> list[str]:
    return sorted(path.stem for path in builtin_pack_dir().glob("*.yml"))


def resolve_pack(reference: str, base: Path) -> Path:
    """A built-in pack name (``default``) or a path relative to the config file's folder."""
    if reference.endswith((".yml", ".yaml")) or "/" in reference:
        path = (base / reference).resolve()
    else:
        path = builtin_pack_dir() / f"{reference}.yml"
        if not path.is_file():
            raise RulePackError(
                f"unknown rule pack {reference!r}; built-in packs: {', '.join(builtin_packs())}, "
                "or give a path ending in .yml"
            )
    if not path.is_file():
        raise RulePackError(f"{path}: rule pack not found")
    return path
