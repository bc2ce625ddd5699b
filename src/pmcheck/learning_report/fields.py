"""Metadata fields the report reads beyond the checker's own: any front-matter key, and bold
``**Key:** value`` lines, two-column ``| Key | value |`` rows or plain ``Key: value`` lines (also
several on one line, separated by ``<br>``) near the top of a document.

The checker keeps only the keys its rules know (date, severity, status, authors); the report also
wants a team, a service or when impact began, in whatever shape a repository writes them. Keys
are compared as :func:`pmcheck.model.normalize_title` leaves them ("Impact start:" → "impact start").
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from pmcheck.model import normalize_title
from pmcheck.postmortem import PostMortem

HEADER_LINES = 40
_BOLD_KEY = re.compile(r"^\s*(?:[-*]\s+)?\*\*(?P<key>[^*:]{2,40}):?\*\*:?\s*(?P<value>.+)$")
_TABLE_ROW = re.compile(r"^\s*\|\s*(?P<key>[^|]{2,40}?)\s*\|\s*(?P<value>[^|]+?)\s*\|\s*$")
# "Component: www web site<br>": a capitalised key of a few words, a colon, a space, the value.
_PLAIN_KEY = re.compile(r"^\s*(?P<key>[A-Z][\w/ -]{1,30}?):\s+(?P<value>\S.*)$")
_BREAK = re.compile(r"<br\s*/?>", re.IGNORECASE)


def header_fields(postmortem: PostMortem) -> Mapping[str, str]:
    """Normalised key → text of every field the document states at its top; front matter first."""
    fields: dict[str, str] = {}
    for key, value in (postmortem.document.front_matter or {}).items():
        if value is not None:
            text = ", ".join(map(str, value)) if isinstance(value, (list, tuple)) else str(value)
            fields.setdefault(normalize_title(str(key)), text)
    for line in postmortem.document.lines[:HEADER_LINES]:
        for part in _BREAK.split(line):
            match = _BOLD_KEY.match(part) or _TABLE_ROW.match(part) or _PLAIN_KEY.match(part)
            if match:
                value = match["value"].strip().strip("*_` ")
                if value and not set(value) <= set("-: "):
                    fields.setdefault(normalize_title(match["key"].strip("*_` ")), value)
    return fields


def body_field(postmortem: PostMortem, keys: tuple[str, ...]) -> str | None:
    """The first bold ``**Key:** value`` line anywhere in the document whose key is one of ``keys``.

    For the fields a document states where it discusses them ("**Severity:** Major" under Impact)
    rather than at its top."""
    for line in postmortem.document.lines:
        match = _BOLD_KEY.match(line)
        if match and normalize_title(match["key"].strip("*_` ")) in keys:
            value = match["value"].strip().strip("*_` ")
            if value and not set(value) <= set("-: "):
                return value
    return None
