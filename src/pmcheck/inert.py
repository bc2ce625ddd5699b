"""One neutraliser for every text pmcheck copies from a document into GitHub.

Comments, issue bodies, reminders and job summaries render Markdown with HTML, mentions and links.
Text from a document must render as the text it is and do nothing else: no ``@person`` or ``@org/team``
ping, no HTML element or comment (which could forge pmcheck's own markers), no link or image, and no
``javascript:``-style link scheme. Line breaks are kept; everything else is escaped.
"""

from __future__ import annotations

import html
import re

_MARKDOWN_PUNCTUATION = re.compile(r"([\\`*_\[\]|~#!])")
_MENTION = re.compile(r"@(?=[A-Za-z0-9_])")
_SCHEME = re.compile(r"\b(javascript|vbscript|data|file)(?=\s*:)", re.IGNORECASE)
ZERO_WIDTH_SPACE = "&#8203;"


def inert(value: str) -> str:
    """``value`` as Markdown that shows it literally and pings, links and embeds nothing."""
    escaped = html.escape(value, quote=False)
    escaped = _MARKDOWN_PUNCTUATION.sub(r"\\\1", escaped)
    escaped = _SCHEME.sub(lambda match: match.group(1) + ZERO_WIDTH_SPACE, escaped)
    return _MENTION.sub("@" + ZERO_WIDTH_SPACE, escaped)


def inert_html(value: str) -> str:
    """``value`` for an HTML context such as ``<summary>``, where backslash escapes do not apply."""
    escaped = _SCHEME.sub(lambda match: match.group(1) + ZERO_WIDTH_SPACE, html.escape(value, quote=True))
    return _MENTION.sub("@" + ZERO_WIDTH_SPACE, escaped)
