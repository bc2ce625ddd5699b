"""A kind that finds credentials: the rule's own patterns plus the detectors of ``detect-secrets``.

``detect-secrets`` keeps the shapes of cloud, CI and SaaS tokens up to date; pmcheck runs the
regular expressions of the detectors a pack names over the whole file and reports each match, so
the report and every output redact it like any other secret.
"""

from __future__ import annotations

import bisect
import functools
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Annotated

from pmcheck.finding import Hit
from pmcheck.postmortem import PostMortem
from pmcheck.rule import Rule, RuleKind
from pmcheck.rules.patterns import PatternOptions, check_patterns, hide
from pmcheck.validation import After, about

_NEWLINE = re.compile("\n")
# Detectors whose every regular expression needs one of these shapes in the text it matches: 20
# token characters in a row (letters, digits, ``_+/=\-``; each detector's shortest token is longer),
# a URL's ``user:pass@``, ``PRIVATE KEY``, or the start of a Slack token or webhook. A document with
# none of them cannot hold what these detectors find, so it is checked without importing
# detect-secrets (~0.1 s, most of it ``requests``). tests/test_credentials_precheck.py holds each
# detector's patterns to it.
PRECHECKED = frozenset(
    {
        "AWSKeyDetector",
        "AzureStorageKeyDetector",
        "BasicAuthDetector",
        "DiscordBotTokenDetector",
        "GitHubTokenDetector",
        "GitLabTokenDetector",
        "MailchimpDetector",
        "PrivateKeyDetector",
        "PypiTokenDetector",
        "SendGridDetector",
        "SlackDetector",
        "SquareOAuthDetector",
        "StripeDetector",
        "TelegramBotTokenDetector",
        "TwilioKeyDetector",
    }
)
MAY_HOLD_TOKEN = re.compile(r"[\w+/=\\-]{20}|://[^\s/@]+@|PRIVATE KEY|(?i:xox|hooks\.slack\.com)")


@dataclass(frozen=True, kw_only=True)
class CredentialOptions(PatternOptions):
    detectors: Annotated[list[str], After(_known_detectors)] = field(
        default_factory=list,
        metadata=about("detect-secrets detectors to run, by class name (e.g. AWSKeyDetector)."),
    )


def _known_detectors(value: list[str], _info: object) -> list[str]:
    if PRECHECKED.issuperset(value):
        return value
    known = _detector_classes()
    unknown = [name for name in value if name not in known]
    if unknown:
        raise ValueError(f"unknown detectors {unknown}; known: {', '.join(sorted(known))}")
    return value


@functools.lru_cache(maxsize=1)
def _detector_classes() -> dict[str, type]:
    from detect_secrets.core.plugins.util import get_mapping_from_secret_type_to_class

    plugins: list[type] = list(get_mapping_from_secret_type_to_class().values())
    return {plugin.__name__: plugin for plugin in plugins}


@functools.lru_cache(maxsize=32)
def detector_patterns(names: tuple[str, ...]) -> tuple[tuple[str, re.Pattern[str]], ...]:
    """(label, compiled pattern) of every regular expression of the named detectors."""
    classes = _detector_classes()
    found: list[tuple[str, re.Pattern[str]]] = []
    for name in names:
        plugin = classes[name]()
        label = f"a credential ({plugin.secret_type})"
        found.extend((label, pattern) for pattern in getattr(plugin, "denylist", ()))
    return tuple(found)


def check_credentials(postmortem: PostMortem, rule: Rule) -> Iterator[Hit]:
    """Report credentials: the configured patterns, then what the named detectors find."""
    options: CredentialOptions = rule.options
    # Text already reported, per line: two patterns (or a pattern and a detector) that match the
    # same credential make one finding, the first pattern's.
    reported: dict[int, list[tuple[int, int]]] = {}
    for hit in check_patterns(postmortem, rule):
        location = hit.location
        span = (location.column, location.end_column or location.column + 1)
        if location.end_line not in (None, location.line) or not _overlaps(reported, location.line, span):
            reported.setdefault(location.line, []).append(span)
            yield hit
    source = postmortem.document.source
    starts = [0, *(match.end() for match in _NEWLINE.finditer(source))]
    names = tuple(options.detectors)
    if PRECHECKED.issuperset(names) and not MAY_HOLD_TOKEN.search(source):
        return
    for label, pattern in detector_patterns(names):
        for match in pattern.finditer(source):
            group = next((index for index in range(1, len(match.groups()) + 1) if match.group(index)), 0)
            start, end = match.span(group)
            line = bisect.bisect_right(starts, start)
            column = start - starts[line - 1] + 1
            span = (column, column + end - start)
            if start == end or "\n" in match.group(group) or _overlaps(reported, line, span):
                continue
            reported.setdefault(line, []).append(span)
            shown = hide(match.group(group))
            yield rule.hit(
                line,
                column,
                end_line=line,
                end_column=column + end - start,
                excerpt=shown,
                label=label,
                match=shown,
                conceal=True,
            )


def _overlaps(reported: dict[int, list[tuple[int, int]]], line: int, span: tuple[int, int]) -> bool:
    return any(start < span[1] and span[0] < end for start, end in reported.get(line, ()))


KINDS = [RuleKind("credentials", CredentialOptions, check_credentials, doc=check_credentials.__doc__ or "")]
