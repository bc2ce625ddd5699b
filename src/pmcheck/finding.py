"""The one result type every rule produces and every reporter reads."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field


class Severity(str, enum.Enum):
    """How much a finding matters; ordered so that ``error > warning > info``."""

    INFO = "info"
    WARNING = "warning"
    ERROR = "error"

    @property
    def rank(self) -> int:
        return _RANK[self]

    def at_least(self, other: Severity) -> bool:
        return self.rank >= other.rank


_RANK = {Severity.INFO: 0, Severity.WARNING: 1, Severity.ERROR: 2}


@dataclass(frozen=True)
class Location:
    """A 1-based span in a source file; ``end_*`` point just past the last character."""

    line: int
    column: int = 1
    end_line: int | None = None
    end_column: int | None = None


@dataclass(frozen=True)
class Hit:
    """What a rule knows about one problem: where it is and what to say about it."""

    location: Location
    message: str
    suggestion: str | None = None
    excerpt: str | None = None
    conceal: bool = False
    subject: str | None = None  # what a finding about a missing part is about: the part, field or action


@dataclass(frozen=True, order=True)
class Finding:
    """A rule's hit, stamped by the engine with the file, the rule and the severity."""

    path: str
    line: int
    column: int
    rule_id: str
    rule_name: str = field(compare=False)
    severity: Severity = field(compare=False)
    message: str = field(compare=False)
    end_line: int | None = field(default=None, compare=False)
    end_column: int | None = field(default=None, compare=False)
    suggestion: str | None = field(default=None, compare=False)
    excerpt: str | None = field(default=None, compare=False)
    conceal: bool = field(default=False, compare=False)
    subject: str | None = field(default=None, compare=False)
    url: str | None = field(default=None, compare=False)  # the rule's documentation page

    @property
    def code(self) -> str:
        """``PM010 action-owner``: the id and the readable name together."""
        return f"{self.rule_id} {self.rule_name}"
