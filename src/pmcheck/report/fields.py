"""Metadata fields the report reads beyond the checker's own: any front-matter key, and bold
``**Key:** value`` lines or two-column ``| Key | value |`` rows near the top of a document.

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


def header_fields(postmortem: PostMortem) -> Mapping[str, str]:
    """Normalised key → text of every field the document states at its top; front matter first."""
    fields: dict[str, str] = {}
    for key, value in (postmortem.document.front_matter or {}).items():
        if value is not None:
            text = ", ".join(map(str, value)) if isinstance(value, (list, tuple)) else str(value)
            fields.setdefault(normalize_title(str(key)), text)
    for line in postmortem.document.lines[:HEADER_LINES]:
        match = _BOLD_KEY.match(line) or _TABLE_ROW.match(line)
        if match:
            value = match["value"].strip().strip("*_` ")
            if value and not set(value) <= set("-: "):
                fields.setdefault(normalize_title(match["key"].strip("*_` ")), value)
    return fields
