"""Kinds that check corrective actions: present, owned, due on a real date within policy, specific,
tracked."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field

from pmcheck.finding import Hit
from pmcheck.postmortem import Action, PostMortem
from pmcheck.rule import Rule, RuleKind
from pmcheck.saferegex import Budget, PatternTimeout, UserRegex, compile_pattern, stopped_hit
from pmcheck.validation import FORBID_EXTRA, about
from pmcheck.values import SeverityLevel, severity_level


@dataclass(frozen=True, kw_only=True)
class PresentOptions:
    __pydantic_config__ = FORBID_EXTRA
    min_actions: int = field(
        default=1, metadata=about("Fewest corrective actions a post-mortem must list.", ge=1)
    )


def check_present(postmortem: PostMortem, rule: Rule) -> Iterator[Hit]:
    """Report a post-mortem that lists fewer corrective actions than required."""
    options: PresentOptions = rule.options
    if len(postmortem.actions) < options.min_actions:
        section = postmortem.section("actions")
        yield rule.hit(
            section.line if section else 1,
            subject="actions",
            count=len(postmortem.actions),
            minimum=options.min_actions,
        )


@dataclass(frozen=True, kw_only=True)
class ItemOptions:
    __pydantic_config__ = FORBID_EXTRA
    skip_done: bool = field(default=True, metadata=about("Ignore actions already marked done."))


def _open_actions(postmortem: PostMortem, options: ItemOptions) -> Iterator[Action]:
    return (action for action in postmortem.actions if not (options.skip_done and action.done))


def _hit(rule: Rule, action: Action, **fields: object) -> Hit:
    return rule.hit(action.line, excerpt=action.text[:100], action=_short(action.text), values=fields)


def check_owner(postmortem: PostMortem, rule: Rule) -> Iterator[Hit]:
    """Report corrective actions that name no owner (a column, an @handle, "Owner: ..." or "(name)")."""
    for action in _open_actions(postmortem, rule.options):
        if not action.owners:
            yield _hit(rule, action)


def check_deadline(postmortem: PostMortem, rule: Rule) -> Iterator[Hit]:
    """Report corrective actions with no deadline, or with one that names no day ("ASAP", "Q3")."""
    for action in _open_actions(postmortem, rule.options):
        deadline = action.deadline
        if deadline is None:
            yield _hit(rule, action, problem="has no deadline")
        elif deadline.date is None:
            yield _hit(rule, action, problem=f'has a deadline that names no day ("{deadline.text}")')


@dataclass(frozen=True, kw_only=True)
class PolicyOptions(ItemOptions):
    days: dict[str, int] = field(
        default_factory=dict,
        metadata=about(
            "Severity → most days from the incident to a deadline. A numbered level the map "
            "leaves out takes the days of the nearest more severe level in it (else of the nearest less "
            "severe one). A map in the config replaces the pack's whole map."
        ),
    )
    default_days: int | None = field(
        default=None,
        metadata=about("Days allowed when the severity is unknown, or a word the map does not list."),
    )


def check_policy(postmortem: PostMortem, rule: Rule) -> Iterator[Hit]:
    """Report deadlines further from the incident date than the policy allows for its severity."""
    options: PolicyOptions = rule.options
    start = postmortem.incident_date
    if start is None:
        return
    level = postmortem.severity_level
    allowed = policy_days_for(level, options)
    if allowed is None:
        return
    latest = start + dt.timedelta(days=allowed)
    for action in _open_actions(postmortem, options):
        due = action.deadline.date if action.deadline else None
        if due is not None and due > latest:
            yield _hit(
                rule,
                action,
                deadline=due.isoformat(),
                latest=latest.isoformat(),
                days=allowed,
                severity=postmortem.severity or "unknown",
                over=(due - latest).days,
            )


def policy_days_for(level: SeverityLevel | None, options: PolicyOptions) -> int | None:
    """Days the policy allows from the incident to a deadline at ``level``, if it sets any.

    A level the map names gets its days; a numbered level it leaves out gets those of the nearest more
    severe level it names (SEV0 gets SEV1's under ``{sev1: 14, sev2: 28}``), or, above them all, of the
    most severe one: never more time than a less severe incident gets.
    """
    levels = {found: days for name, days in options.days.items() if (found := severity_level(name))}
    if level is None:
        return options.default_days
    if level in levels:
        return levels[level]
    rank = level.rank
    if rank is None:
        return options.default_days
    numbered = [(found.rank, days) for found, days in levels.items() if found.rank is not None]
    # A priority scale (P1) and a severity scale (SEV1) rank alike; the incident's own scale comes first.
    same_scale = [
        (found.rank, days)
        for found, days in levels.items()
        if found.rank is not None and found.label[0] == level.label[0]
    ]
    candidates = same_scale or numbered
    if not candidates:
        return options.default_days
    more_severe = [item for item in candidates if item[0] <= rank]
    nearest = max(more_severe, key=lambda item: (item[0], -item[1])) if more_severe else min(candidates)
    return nearest[1]


@dataclass(frozen=True, kw_only=True)
class TrackedOptions(ItemOptions):
    github_only: bool = field(
        default=False,
        metadata=about(
            "Count only a GitHub issue or pull request (#12, owner/repo#12, its URL) as tracking, "
            "not a ticket key such as OPS-12 or another tracker's link."
        ),
    )


def check_tracked(postmortem: PostMortem, rule: Rule) -> Iterator[Hit]:
    """Report open corrective actions that name no issue or ticket tracking them."""
    options: TrackedOptions = rule.options
    for action in _open_actions(postmortem, options):
        if not (action.issue_ref if options.github_only else action.tracked_by):
            yield _hit(rule, action)


@dataclass(frozen=True, kw_only=True)
class TextOptions(ItemOptions):
    patterns: list[UserRegex] = field(
        metadata=about("Regular expressions for vague wording (case-insensitive).")
    )
    unless: list[UserRegex] = field(
        default_factory=list, metadata=about("Regular expressions that make an action specific after all.")
    )


def check_text(postmortem: PostMortem, rule: Rule) -> Iterator[Hit]:
    """Report actions whose wording matches a vague pattern and none of the rescuing patterns."""
    budget = Budget.for_rule(rule, postmortem.document.source)
    try:
        yield from _vague(postmortem, rule, budget)
    except PatternTimeout:
        yield stopped_hit(budget)


def _vague(postmortem: PostMortem, rule: Rule, budget: Budget) -> Iterator[Hit]:
    options: TextOptions = rule.options
    patterns = [compile_pattern(pattern, ignore_case=True) for pattern in options.patterns]
    rescues = [compile_pattern(pattern, ignore_case=True) for pattern in options.unless]
    document = postmortem.document
    for action in _open_actions(postmortem, options):
        for pattern in patterns:
            match = budget.search(pattern, action.text)
            if match and not any(budget.search(rescue, action.text) for rescue in rescues):
                line, column, end_line, end_column = document.locate(match.group(0), action.line)
                yield rule.hit(
                    line,
                    column,
                    end_line=end_line,
                    end_column=end_column,
                    excerpt=action.text[:100],
                    match=match.group(0),
                    action=_short(action.text),
                )
                break


def _short(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


KINDS = [
    RuleKind("actions-present", PresentOptions, check_present, doc=check_present.__doc__ or ""),
    RuleKind("action-owner", ItemOptions, check_owner, doc=check_owner.__doc__ or ""),
    # A deadline without a year takes today's year in an undated document.
    RuleKind(
        "action-deadline", ItemOptions, check_deadline, doc=check_deadline.__doc__ or "", reads_today=True
    ),
    RuleKind(
        "action-deadline-policy",
        PolicyOptions,
        check_policy,
        doc=check_policy.__doc__ or "",
        reads_today=True,
    ),
    RuleKind("action-text", TextOptions, check_text, doc=check_text.__doc__ or ""),
    RuleKind("action-tracked", TrackedOptions, check_tracked, doc=check_tracked.__doc__ or ""),
]
