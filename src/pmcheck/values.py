"""Values a post-mortem writes in its fields and cells, each read one way for every reader.

Placeholders ("TBD", "n/a", "?") and issue references (``#12``, ``owner/repo#12``, an issue or
pull-request URL) are read here once; the post-mortem model stores the results, and rules, GitHub
planners and the learning report read them there.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# Cells and fields that hold no value yet: template leftovers, not content.
PLACEHOLDERS = frozenset(
    {"", "-", "–", "—", "?", "??", "…", "...", "tbd", "tba", "todo", "n/a", "na", "none", "unknown", "unset"}
)


def is_placeholder(text: str | None) -> bool:
    """Whether a field or cell holds no value: empty, a placeholder word, or a ``<fill in>`` prompt."""
    value = (text or "").strip().strip("*_`\"' ")
    return value.casefold() in PLACEHOLDERS or value.startswith("<")


# Issue references --------------------------------------------------------------------------------

_SHORT_REFERENCE = re.compile(r"^(?P<repo>[\w.-]+/[\w.-]+)?#(?P<number>\d+)$")
_URL_REFERENCE = re.compile(
    r"^https?://[^/\s]+/(?:api/v3/)?(?:repos/)?(?P<repo>[\w.-]+/[\w.-]+)/(?:issues|pull)/(?P<number>\d+)\b"
)


@dataclass(frozen=True)
class IssueRef:
    """A GitHub issue or pull request that tracks an action; ``repo`` None means the document's own."""

    number: int
    repo: str | None = None

    def number_in(self, repo: str | None) -> int | None:
        """The number when this names an issue of ``repo``: a bare ``#12`` always does."""
        if self.repo is None:
            return self.number
        return self.number if repo is not None and self.repo.casefold() == repo.casefold() else None


def issue_ref(reference: str | None) -> IssueRef | None:
    """``#12``, ``owner/repo#12`` or ``https://github.com/owner/repo/issues/12``; None for anything else."""
    found = _SHORT_REFERENCE.match((reference or "").strip()) or _URL_REFERENCE.match(
        (reference or "").strip()
    )
    if found is None:
        return None
    return IssueRef(int(found["number"]), found["repo"])
