"""Values a post-mortem writes in its fields and cells, each read one way for every reader.

Placeholders ("TBD", "n/a", "?"), severity levels ("SEV-2", "sev 2", "Severity 2" and "S2" are one
level, ``SEV2``) and issue references (``#12``, ``owner/repo#12``, an issue or pull-request URL) are
read here once; the post-mortem model stores the results, and rules, GitHub planners and the
learning report read them there.
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


# Severity ----------------------------------------------------------------------------------------

_NUMBERED = re.compile(r"^(?P<scale>sev(?:erity)?|s|p)?\s*(?:[-_]\s*)?(?P<rank>\d)$", re.IGNORECASE)
# The words teams use for a severity, most severe first.
SEVERITY_WORDS = ("critical", "major", "high", "medium", "moderate", "minor", "low")
# Where a value's explanation starts: "Major (high impact)", "SEV-2 - customers facing".
_EXPLANATION = re.compile(r"[(\[,;:]|\s[-–—]\s")


@dataclass(frozen=True)
class SeverityLevel:
    """An incident's severity in one spelling: ``SEV2``, ``P1``, ``critical``, or the words as written.

    ``rank`` orders the numbered levels, 0 the most severe.
    """

    label: str
    rank: int | None = None

    @property
    def on_a_scale(self) -> bool:
        """A level of a usual scale (numbered, or a word such as "critical"), not free text."""
        return self.rank is not None or self.label in SEVERITY_WORDS

    def __str__(self) -> str:
        return self.label


def severity_level(raw: str | None) -> SeverityLevel | None:
    """The level a severity field states; None when it states none (empty, "TBD", "<severity>")."""
    text = " ".join((raw or "").strip().strip("*_`\"'").split())
    if is_placeholder(text):
        return None
    explained = _EXPLANATION.search(text)
    for candidate in (text, text[: explained.start()].rstrip()) if explained else (text,):
        numbered = _NUMBERED.match(candidate)
        if numbered is not None:
            scale = "P" if (numbered["scale"] or "").lower() == "p" else "SEV"
            return SeverityLevel(f"{scale}{numbered['rank']}", int(numbered["rank"]))
        if candidate.lower() in SEVERITY_WORDS:
            return SeverityLevel(candidate.lower())
    return SeverityLevel(text.lower())


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
    text = (reference or "").strip()
    found = _SHORT_REFERENCE.match(text) or _URL_REFERENCE.match(text)
    if found is None:
        return None
    return IssueRef(int(found["number"]), found["repo"])
