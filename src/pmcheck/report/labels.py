"""One spelling per severity and status, so that charts and filters group like with like.

``sev 1``, ``SEV-1``, ``Sev1`` and ``1`` become ``SEV1``; ``p2`` becomes ``P2``; words are lower-cased
(``Critical`` → ``critical``); empty values and placeholders (``TBD``, ``?``) become ``unknown``.
A value that explains itself keeps only its label: "Major (high impact, degraded service)" is
``major``, "SEV-2 - customer facing" is ``SEV2``, "Closed April 14 with preventive measures" is
``closed``.
"""

from __future__ import annotations

import re

UNKNOWN = "unknown"
_SEV = re.compile(r"^(?:sev(?:erity)?)?\s*(?:[-_]\s*)?(?P<level>\d)$", re.IGNORECASE)
_PRIORITY = re.compile(r"^p\s*(?:[-_]\s*)?(?P<level>\d)$", re.IGNORECASE)
_PLACEHOLDERS = {"", "tbd", "tba", "todo", "?", "??", "n/a", "na", "none", "unknown", "-", "—", "–", "unset"}
_WORD_ORDER = ("critical", "major", "high", "medium", "moderate", "minor", "low")
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
_EXPLANATION = re.compile(r"[(\[,;:]|\s[-–—]\s")
"""Where a value's explanation starts: "Major (high impact)", "SEV-2 - customers"."""


def severity_label(raw: str | None) -> str:
    text = (raw or "").strip().strip("*_`\"'")
    if text.lower() in _PLACEHOLDERS or text.startswith("<"):
        return UNKNOWN
    for candidate in (text, _label_part(text)):
        for pattern, prefix in ((_SEV, "SEV"), (_PRIORITY, "P")):
            match = pattern.match(candidate)
            if match:
                return f"{prefix}{match['level']}"
        if candidate.lower() in _WORD_ORDER:
            return candidate.lower()
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


def _label_part(text: str) -> str:
    found = _EXPLANATION.search(text)
    return text[: found.start()].rstrip() if found else text


def status_label(raw: str | None) -> str:
    text = " ".join((raw or "").strip().strip("*_`\"'").lower().split())
    if text in _PLACEHOLDERS or text.startswith("<"):
        return UNKNOWN
    return next((word for word in _STATUSES if re.match(rf"{word}\b", text)), text)
