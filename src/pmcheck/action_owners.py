"""Owners and tracking references named in corrective actions."""

from __future__ import annotations

import re

from pmcheck.values import PLACEHOLDERS

HANDLE = re.compile(r"(?<![\w/.])@(?P<name>[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})(?:/[A-Za-z0-9_.-]+)?)")
OWNER_LABEL = re.compile(
    r"\b(?:owners?|assignees?|assigned\s+to|responsible|dri|who)\s*[:=\-–]\s*"
    r"(?P<value>[^;|)\]\n]+?)(?=\s*(?:[;|)\]\n]|[.,]\s*(?:due|by|deadline|eta|status|tracking|target)\b|\.?\s*$))",
    re.IGNORECASE,
)
TRACKING = re.compile(
    # Bounded, and a repository name starts only where a name can start: linear on any text.
    r"(?P<url>https?://\S{1,300}?/(?:issues|pull|browse|tickets?)/[\w-]+)"
    r"|(?:(?<![\w.&/-])(?P<repo>[\w.-]+/[\w.-]+)|(?<![\w&/]))#(?P<number>\d+)\b"
    # Ticket keys, but not the look-alikes post-mortems are full of ("UTF-8", "SEV-2", "CVE-2024-1234").
    r"|(?<![\w-])(?!(?:UTF|SEV|ISO|CVE|CWE|RFC|SHA|TLS|SSL|HTTP|IPV|PEP|AES|RSA|MD)-)(?P<jira>[A-Z][A-Z0-9]{1,9}-\d+)\b"
)
_NAME = re.compile(r"^[A-Z][\w'.-]*(?:\s+[A-Z][\w'.-]*){0,2}$|^[a-z][a-z0-9_.-]{1,38}$")
_NOT_OWNERS = PLACEHOLDERS | {"unassigned", "nobody"}
# "[Hypha] Investigate ...": a bracketed team or person before the action (not a "[text](link)").
_LEADING = re.compile(r"^\s*\[(?P<inner>[^\[\]]{1,60})\](?!\()\s+\S")
# Bracketed tags that are not owners: states and priorities.
_TAGS = {
    "done",
    "open",
    "closed",
    "wip",
    "in progress",
    "blocked",
    "fixed",
    "ongoing",
    "planned",
    "high",
    "medium",
    "low",
    "critical",
    "urgent",
    "optional",
    "new",
    "update",
    "updated",
    "resolved",
}


def handles(text: str) -> list[str]:
    """``@alice`` and ``@org/team`` mentions, in order, without duplicates."""
    seen: dict[str, None] = {}
    for match in HANDLE.finditer(text):
        seen.setdefault(match["name"], None)
    return list(seen)


def owners_from_cell(cell: str) -> list[str]:
    """Owners listed in a table cell: handles, or names separated by commas, "and" or slashes."""
    value = cell.strip().strip("*_`")
    if value.lower() in _NOT_OWNERS or not value:
        return []
    found = handles(value)
    if found:
        return found
    parts = re.split(r"\s*(?:,|/|&|\band\b|;)\s*", value)
    return [part.strip() for part in parts if part.strip() and part.strip().lower() not in _NOT_OWNERS]


def owners_in_text(text: str) -> list[str]:
    """Owners named in an action's own words: "Owner: Sam", "@sam", or a trailing "(Sam)"."""
    labelled = OWNER_LABEL.search(text)
    if labelled:
        return owners_from_cell(labelled["value"])
    found = handles(text)
    if found:
        return found
    leading = _LEADING.match(text)
    if leading:
        named = _names(re.split(r"\s*(?:[,;+&/]|\band\b)\s*", leading["inner"]))
        if named:
            return named
    untracked = TRACKING.sub("", text).rstrip(" .,;")
    trailing = re.search(r"[(\[](?P<inner>[^()\[\]]{1,60})[)\]]\s*\.?\s*$", untracked)
    if trailing:
        for piece in re.split(r"\s*[,;]\s*", trailing["inner"]):
            piece = piece.strip()
            if _NAME.match(piece) and not re.search(r"\d", piece) and piece.lower() not in _NOT_OWNERS:
                return owners_from_cell(piece)
    return []


def tracking_reference(text: str) -> str | None:
    """An issue number, URL or ticket key that already tracks the action ("#123", "OPS-12")."""
    match = TRACKING.search(text)
    if not match:
        return None
    if match["url"]:
        return match["url"]
    if match["number"]:
        return f"{match['repo'] or ''}#{match['number']}"
    return match["jira"]


def _names(pieces: list[str]) -> list[str]:
    """The pieces that read as names of people or teams, when all of them do."""
    cleaned = [piece.strip() for piece in pieces if piece.strip()]
    if cleaned and all(
        _NAME.match(piece) and not re.search(r"\d", piece) and piece.lower() not in _NOT_OWNERS | _TAGS
        for piece in cleaned
    ):
        return cleaned
    return []
