"""A kind that matches regular expressions in the text: placeholders, secrets, personal data."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Literal

from pmcheck.finding import Hit
from pmcheck.postmortem import PostMortem
from pmcheck.rule import Rule, RuleKind
from pmcheck.saferegex import Budget, PatternTimeout, UserRegex, compile_pattern, stopped_hit
from pmcheck.validation import FORBID_EXTRA, about

_CODE_SPAN = re.compile(r"`[^`]*`")
_YAML_COMMENT = re.compile(r"(?:^|\s)#.*$")
_MAX_HITS = 50


@dataclass(frozen=True, kw_only=True)
class Pattern:
    __pydantic_config__ = FORBID_EXTRA
    label: str = field(metadata=about("What the pattern finds, shown in the message."))
    regex: UserRegex = field(metadata=about("A Python regular expression."))


@dataclass(frozen=True, kw_only=True)
class PatternOptions:
    __pydantic_config__ = FORBID_EXTRA
    patterns: list[Pattern] = field(metadata=about("Labelled regular expressions to find."))
    scope: Literal["prose", "source"] = field(
        default="prose",
        metadata=about("prose: paragraphs, lists, tables and headings, not code; source: every line."),
    )
    ignore_case: bool = True
    allow: list[UserRegex] = field(
        default_factory=list, metadata=about("Regular expressions for matches to let through.")
    )
    redact: bool = field(default=False, metadata=about("Hide the matched text in output (for secrets)."))


def check_patterns(postmortem: PostMortem, rule: Rule) -> Iterator[Hit]:
    """Report every match of the configured patterns within the chosen scope."""
    options: PatternOptions = rule.options
    budget = Budget.for_rule(rule, postmortem.document.source)
    try:
        yield from _matches(postmortem, rule, options, budget)
    except PatternTimeout:
        yield stopped_hit(budget)


def _matches(postmortem: PostMortem, rule: Rule, options: PatternOptions, budget: Budget) -> Iterator[Hit]:
    compiled = [
        (pattern.label, compile_pattern(pattern.regex, ignore_case=options.ignore_case))
        for pattern in options.patterns
    ]
    allowed = [compile_pattern(pattern, ignore_case=True) for pattern in options.allow]
    document = postmortem.document
    count = 0
    # Where the next search for each pattern starts, so that repeated matches in a paragraph that spans
    # lines (or in the cells of one table row) each get their own position instead of the first one's.
    cursors: dict[tuple[str, int], tuple[int, int]] = {}
    for line, text in _scope(postmortem, options.scope):
        for label, regex in compiled:
            for match in budget.finditer(regex, text):
                found = match.group(0)
                if any(budget.search(allow, found) for allow in allowed):
                    continue
                shown = hide(found) if options.redact else found
                start_line, start_column = cursors.get((regex.pattern, line), (line, 1))
                located = document.locate(found, start_line, column=start_column)
                cursors[(regex.pattern, line)] = (located[0], located[1] + 1)
                yield rule.hit(
                    located[0],
                    located[1],
                    end_line=located[2],
                    end_column=located[3],
                    excerpt=shown,
                    label=label,
                    match=shown,
                    conceal=options.redact,
                )
                count += 1
                if count >= _MAX_HITS:
                    return


def _scope(postmortem: PostMortem, scope: str) -> Iterator[tuple[int, str]]:
    document = postmortem.document
    if scope == "source":
        yield from enumerate(document.lines, start=1)
        return
    for number in range(2, document.front_matter_end_line):
        # Front-matter values ("severity: TBD"), without YAML comments.
        yield number, _YAML_COMMENT.sub("", document.lines[number - 1])
    for section in document.sections:
        yield section.line, _list_name_hidden(postmortem, section.title)
    for unit in document.text_units():
        yield unit.line, _CODE_SPAN.sub(lambda span: " " * len(span.group(0)), unit.text)
    for block in document.html_blocks():
        if not block.text.lstrip().startswith("<!--"):
            yield block.line, block.text


_TO_DO = re.compile(r"\bTO[\s-]?DOS?\b", re.IGNORECASE)


def _list_name_hidden(postmortem: PostMortem, title: str) -> str:
    """A heading that names a list of things to do ("Recovery TODO") without a to-do word in it.

    The word names the section there, as "Action items" would; a heading that is nothing but "TODO"
    is still a placeholder.
    """
    if not _TO_DO.search(title) or "actions" not in postmortem.catalog.kinds_of(title):
        return title
    hidden = _TO_DO.sub(lambda word: " " * len(word.group(0)), title)
    return hidden if hidden.strip(" #*_:") else title


def hide(text: str) -> str:
    return text[:4] + "…" if len(text) > 6 else "…"


KINDS = [RuleKind("text-pattern", PatternOptions, check_patterns, doc=check_patterns.__doc__ or "")]
