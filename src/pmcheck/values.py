"""Values a post-mortem writes in its fields and cells, each read one way for every reader.

Placeholders ("TBD", "n/a", "?") are told apart from content here once; the post-mortem model
stores what it reads through them, and rules, GitHub planners and the learning report read it there.
"""

from __future__ import annotations

# Cells and fields that hold no value yet: template leftovers, not content.
PLACEHOLDERS = frozenset(
    {"", "-", "–", "—", "?", "??", "…", "...", "tbd", "tba", "todo", "n/a", "na", "none", "unknown", "unset"}
)


def is_placeholder(text: str | None) -> bool:
    """Whether a field or cell holds no value: empty, a placeholder word, or a ``<fill in>`` prompt."""
    value = (text or "").strip().strip("*_`\"' ")
    return value.casefold() in PLACEHOLDERS or value.startswith("<")
