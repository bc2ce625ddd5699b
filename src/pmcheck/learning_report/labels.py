"""One spelling per severity and status, so that charts and filters group like with like.

Severities are the post-mortem's ``severity_level`` (``sev 1``, ``SEV-1``, ``Sev1`` and ``1`` are
``SEV1``; ``p2`` is ``P2``; ``Critical`` is ``critical``; "Major (high impact, degraded service)" is
``major``); empty values and placeholders (``TBD``, ``?``) are ``unknown``. A status that explains
itself keeps only its label: "Closed April 14 with preventive measures" is ``closed``.
"""

from __future__ import annotations

import re

from pmcheck.values import SEVERITY_WORDS, SeverityLevel, is_placeholder, severity_level

UNKNOWN = "unknown"
_STATUSES = (
    "draft",
    "in review",
    "under review",
    "in progress",
    "final",
    "published",
    "approved",
    "accepted",
    "complete",
    "completed",
    "closed",
    "resolved",
    "open",
)


def severity_label(level: SeverityLevel | None) -> str:
    return level.label if level else UNKNOWN


def severity_sort_key(label: str) -> tuple[int, int, str]:
    """Most severe first: SEV0…SEV9, P0…P9, the usual words, then anything else, ``unknown`` last."""
    if label == UNKNOWN:
        return (4, 0, label)
    level = severity_level(label)
    if level is not None and level.rank is not None:
        return (1 if label.startswith("P") else 0, level.rank, label)
    if label in SEVERITY_WORDS:
        return (2, SEVERITY_WORDS.index(label), label)
    return (3, 0, label)


def status_label(raw: str | None) -> str:
    text = " ".join((raw or "").strip().strip("*_`\"'").lower().split())
    if is_placeholder(text):
        return UNKNOWN
    return next((word for word in _STATUSES if re.match(rf"{word}\b", text)), text)
