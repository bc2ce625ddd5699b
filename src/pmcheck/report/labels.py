"""One spelling per severity and status, so that charts and filters group like with like.

``sev 1``, ``SEV-1``, ``Sev1`` and ``1`` become ``SEV1``; ``p2`` becomes ``P2``; words are lower-cased
(``Critical`` → ``critical``); empty values and placeholders (``TBD``, ``?``) become ``unknown``.
"""

from __future__ import annotations

import re

from pmcheck.values import is_placeholder

UNKNOWN = "unknown"
_SEV = re.compile(r"^(?:sev(?:erity)?)?\s*(?:[-_]\s*)?(?P<level>\d)$", re.IGNORECASE)
_PRIORITY = re.compile(r"^p\s*(?:[-_]\s*)?(?P<level>\d)$", re.IGNORECASE)
_WORD_ORDER = ("critical", "major", "high", "medium", "moderate", "minor", "low")


def severity_label(raw: str | None) -> str:
    text = (raw or "").strip().strip("*_`\"'")
    if is_placeholder(text):
        return UNKNOWN
    for pattern, prefix in ((_SEV, "SEV"), (_PRIORITY, "P")):
        match = pattern.match(text)
        if match:
            return f"{prefix}{match['level']}"
    return " ".join(text.lower().split())


def severity_sort_key(label: str) -> tuple[int, int, str]:
    """Most severe first: SEV0…SEV9, P0…P9, the usual words, then anything else, ``unknown`` last."""
    if label == UNKNOWN:
        return (4, 0, label)
    for group, pattern in enumerate((_SEV, _PRIORITY)):
        match = pattern.match(label)
        if match:
            return (group, int(match["level"]), label)
    if label in _WORD_ORDER:
        return (2, _WORD_ORDER.index(label), label)
    return (3, 0, label)


def status_label(raw: str | None) -> str:
    text = " ".join((raw or "").strip().strip("*_`\"'").lower().split())
    return UNKNOWN if is_placeholder(text) else text
