"""Kinds that check which sections a post-mortem has, whether they say anything, and their order."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from pmcheck.finding import Hit
from pmcheck.postmortem import PostMortem
from pmcheck.rule import Rule, RuleKind
from pmcheck.validation import FORBID_EXTRA, about


@dataclass(frozen=True, kw_only=True)
class RequiredOptions:
    __pydantic_config__ = FORBID_EXTRA
    sections: list[str] = field(metadata=about("Section kinds that must be present, by catalog name."))
    intro_counts_as: list[str] = field(
        default_factory=list,
        metadata=about("Kinds that untitled opening prose under the title can stand for."),
    )


def check_required(postmortem: PostMortem, rule: Rule) -> Iterator[Hit]:
    """Report each required section kind that no heading names."""
    options: RequiredOptions = rule.options
    for kind in options.sections:
        if kind in options.intro_counts_as and postmortem.intro:
            continue
        if not postmortem.sections_of(kind):
            aliases = postmortem.catalog.aliases.get(kind, (kind,))
            heading = aliases[0][:1].upper() + aliases[0][1:] if aliases else kind
            yield rule.hit(
                1,
                subject=f"section {kind}",
                section=kind.replace("-", " "),
                heading=heading,
                aliases=", ".join(f'"{a}"' for a in aliases[:4]),
            )


@dataclass(frozen=True, kw_only=True)
class EmptyOptions:
    __pydantic_config__ = FORBID_EXTRA
    sections: list[str] | None = field(
        default=None, metadata=about("Kinds to check; every known kind when empty.")
    )


def check_empty(postmortem: PostMortem, rule: Rule) -> Iterator[Hit]:
    """Report known sections that have a heading but no content, not even in subsections."""
    options: EmptyOptions = rule.options
    kinds = options.sections or list(postmortem.kinds)
    reported: set[int] = set()
    for kind in kinds:
        for section in postmortem.sections_of(kind):
            if section.line not in reported and section.is_empty():
                reported.add(section.line)
                # Found in the source line: an ATX "## " prefix, a setext heading or markup moves the title.
                line, column, _end_line, end_column = postmortem.document.locate(
                    section.title, section.line, search_lines=0
                )
                yield rule.hit(line, column, end_column=end_column, section=section.title)


@dataclass(frozen=True, kw_only=True)
class OrderOptions:
    __pydantic_config__ = FORBID_EXTRA
    order: list[str] = field(metadata=about("Section kinds in the order they should appear."))


def check_order(postmortem: PostMortem, rule: Rule) -> Iterator[Hit]:
    """Report a section that appears above one that the configured order puts before it.

    The title ("# RCA: ...") and the labelled fields above the first part's heading (a header block of
    "**Impact window:** 08:43-10:52 UTC", "**Severity:** ...") are not parts placed out of order.
    """
    options: OrderOptions = rule.options
    headings = postmortem.document.sections
    top = [section.line for section in headings if section.level == 1]
    # The one H1 that opens the document is its title; where every part is an H1, none is.
    titles = set(top) if len(top) == 1 and headings[0].level == 1 else set()
    parts = [
        section
        for kind in options.order
        for section in postmortem.sections_of(kind)
        if not section.labelled and section.line not in titles
    ]
    first_part = min((section.line for section in parts), default=0)
    firsts = []
    for kind in options.order:
        sections = [
            section
            for section in postmortem.sections_of(kind)
            if section.line not in titles and not (section.labelled and section.line < first_part)
        ]
        if sections:
            # Where the part first appears: a labelled field ("**Impact**:") may come before a heading.
            first = min(sections, key=lambda section: section.line)
            if kind == "summary" and postmortem.intro and postmortem.intro[0].line < first.line:
                continue  # the opening paragraph is the summary, at the top
            firsts.append((kind, first))
    latest_kind, latest_line = None, 0
    for kind, section in firsts:
        if section.line < latest_line and latest_kind is not None:
            yield rule.hit(
                section.line,
                section=section.title,
                after=latest_kind.replace("-", " "),
                expected=kind.replace("-", " "),
            )
        elif section.line > latest_line:
            latest_kind, latest_line = kind, section.line


KINDS = [
    RuleKind("required-sections", RequiredOptions, check_required, doc=check_required.__doc__ or ""),
    RuleKind("empty-sections", EmptyOptions, check_empty, doc=check_empty.__doc__ or ""),
    RuleKind("section-order", OrderOptions, check_order, doc=check_order.__doc__ or ""),
]
