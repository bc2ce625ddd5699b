"""Kinds that check causes: a trigger and a root cause, kept apart, and system-level factors."""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Literal

from pmcheck.finding import Hit
from pmcheck.postmortem import PostMortem
from pmcheck.rule import Rule, RuleKind
from pmcheck.validation import FORBID_EXTRA, about


@dataclass(frozen=True, kw_only=True)
class PresentOptions:
    __pydantic_config__ = FORBID_EXTRA
    cause: Literal["proximate", "root"] = field(metadata=about("Which cause must be stated."))


def check_present(postmortem: PostMortem, rule: Rule) -> Iterator[Hit]:
    """Report a post-mortem that states no proximate cause (trigger) or no root cause."""
    options: PresentOptions = rule.options
    causes = postmortem.proximate_causes if options.cause == "proximate" else postmortem.root_causes
    if not any(cause.text.strip() for cause in causes):
        section = postmortem.section("root-cause")
        yield rule.hit(section.line if section else 1, subject=f"{options.cause} cause", cause=options.cause)


@dataclass(frozen=True, kw_only=True)
class DistinctOptions:
    __pydantic_config__ = FORBID_EXTRA
    max_similarity: float = field(
        default=0.8, metadata=about("Similarity (0–1) above which two texts are the same.", gt=0, le=1)
    )


def check_distinct(postmortem: PostMortem, rule: Rule) -> Iterator[Hit]:
    """Report a root cause that restates the trigger instead of the weakness that let it matter."""
    options: DistinctOptions = rule.options
    trigger = " ".join(cause.text for cause in postmortem.proximate_causes)
    if not trigger.strip() or not postmortem.root_causes:
        return
    root = " ".join(cause.text for cause in postmortem.root_causes)
    similarity = difflib.SequenceMatcher(None, _words(trigger), _words(root)).ratio()
    if similarity >= options.max_similarity:
        line = postmortem.root_causes[0].line
        yield rule.hit(line, similarity=f"{similarity:.0%}")


def _words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9]+", text.lower())


@dataclass(frozen=True, kw_only=True)
class FactorsOptions:
    __pydantic_config__ = FORBID_EXTRA
    min_factors: int = field(
        default=1, metadata=about("Fewest contributing factors a post-mortem must name.", ge=1)
    )


def check_factors(postmortem: PostMortem, rule: Rule) -> Iterator[Hit]:
    """Report a post-mortem that names fewer contributing factors than required."""
    options: FactorsOptions = rule.options
    found = [factor for factor in postmortem.contributing_factors if factor.text.strip()]
    if len(found) < options.min_factors:
        section = postmortem.section("contributing-factors") or postmortem.section("root-cause")
        yield rule.hit(
            section.line if section else 1,
            subject="contributing factors",
            count=len(found),
            minimum=options.min_factors,
        )


KINDS = [
    RuleKind("cause-present", PresentOptions, check_present, doc=check_present.__doc__ or ""),
    RuleKind("causes-distinct", DistinctOptions, check_distinct, doc=check_distinct.__doc__ or ""),
    RuleKind("contributing-factors", FactorsOptions, check_factors, doc=check_factors.__doc__ or ""),
]
