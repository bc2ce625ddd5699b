"""What the issue sync should do, decided from the documents and the issues GitHub already holds.

Pure: :func:`plan` takes parsed post-mortems, the pmcheck issues found on GitHub (plain data) and the
configuration, and returns a :class:`Plan` of creations, updates and closings. Applying it is
:func:`pmcheck.github.apply.apply`'s job; ``--dry-run`` prints it; the pull-request comment previews
its creations (:func:`pmcheck.github.pull_request.issue_previews`).

Matching an action to its issue, in order: the issue the action names (``#123`` or the issue's URL,
when that issue carries a pmcheck marker), then the marker's key (:mod:`pmcheck.github.action_issue`).
An action naming any other reference (another repository's issue, a Jira key) is tracked elsewhere
and left alone. An issue is never created twice for one key: a closed issue still counts.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal

from pmcheck.config import Config, GitHubSettings
from pmcheck.github.action_issue import (
    IssueLinks,
    Marker,
    Owner,
    action_keys,
    action_marker,
    change_marker,
    issue_body,
    issue_title,
    resolve_owners,
)
from pmcheck.postmortem import Action, PostMortem

LABEL_COLORS = {"action": "5319e7", "severity": "d93f0b", "overdue": "b60205"}


@dataclass(frozen=True)
class SourceDocument:
    """A post-mortem read in this run, with its path in the repository (POSIX, from the root)."""

    path: str
    postmortem: PostMortem


@dataclass(frozen=True)
class ExistingIssue:
    """A pmcheck issue as GitHub holds it (only the fields planning needs)."""

    number: int
    title: str
    state: str
    marker: Marker
    assignees: tuple[str, ...] = ()
    labels: tuple[str, ...] = ()
    body: str = ""


@dataclass(frozen=True)
class LabelSpec:
    name: str
    color: str
    description: str


@dataclass(frozen=True)
class PlannedIssue:
    """An issue to open for one corrective action (also what the pull-request preview lists)."""

    key: str
    path: str
    line: int
    title: str
    body: str
    labels: tuple[str, ...]
    assignees: tuple[str, ...]
    unassigned: tuple[Owner, ...] = ()
    deadline: dt.date | None = None
    text: str = ""
    owners: tuple[str, ...] = ()  # as the document names them: logins, else names
    deadline_text: str | None = None  # the deadline as a date, else as written


@dataclass(frozen=True)
class PlannedUpdate:
    """New title/body (and assignees, when the owners changed) for an issue whose action changed."""

    number: int
    key: str
    path: str
    line: int
    title: str
    body: str
    assignees: tuple[str, ...] | None
    changes: tuple[str, ...]
    comment: str | None


@dataclass(frozen=True)
class PlannedClose:
    number: int
    key: str
    title: str
    reason: Literal["done", "removed"]
    comment: str


@dataclass(frozen=True)
class Skipped:
    """An action pmcheck leaves alone, and why (shown in the plan, never silently dropped)."""

    path: str
    line: int
    text: str
    reason: str


@dataclass
class Plan:
    creates: list[PlannedIssue] = field(default_factory=list)
    updates: list[PlannedUpdate] = field(default_factory=list)
    closes: list[PlannedClose] = field(default_factory=list)
    labels: list[LabelSpec] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    tracked: dict[str, int] = field(default_factory=dict)

    @property
    def empty(self) -> bool:
        return not (self.creates or self.updates or self.closes)

    def logins(self) -> set[str]:
        """Every login the plan would assign: the ones whose access must be checked first."""
        found = {login for issue in self.creates for login in issue.assignees}
        found |= {login for update in self.updates for login in update.assignees or ()}
        return found


@dataclass(frozen=True)
class PlanInputs:
    """What planning needs besides the documents and issues."""

    settings: GitHubSettings = field(default_factory=GitHubSettings)
    owners: Mapping[str, str] = field(default_factory=dict)
    links: IssueLinks = field(default_factory=IssueLinks)
    assignable: Mapping[str, bool] | None = None
    today: dt.date | None = None

    @classmethod
    def from_config(
        cls, config: Config, *, links: IssueLinks | None = None, today: dt.date | None = None
    ) -> PlanInputs:
        return cls(
            settings=config.github, owners=dict(config.owners), links=links or IssueLinks(), today=today
        )


def plan(documents: Sequence[SourceDocument], existing: Sequence[ExistingIssue], inputs: PlanInputs) -> Plan:
    """Decide every creation, update and closing; ``existing`` are the issues carrying a marker."""
    result = Plan()
    by_key, by_number = _index(existing, result)
    present: set[int] = set()
    for document in documents:
        keys = action_keys(document.path, document.postmortem.actions)
        for action, key in zip(document.postmortem.actions, keys, strict=True):
            issue = _match(action, key, by_key, by_number, inputs.links.repo, result, document.path)
            if issue is None:
                continue
            if isinstance(issue, _New):
                _plan_create(result, document, action, key, inputs)
                continue
            present.add(issue.number)
            result.tracked[key] = issue.number
            _plan_existing(result, document, action, key, issue, inputs)
    checked = {document.path for document in documents}
    for issue in existing:
        if issue.state == "open" and issue.number not in present and issue.marker.path in checked:
            if by_key.get(issue.marker.key) is not issue:
                continue  # a duplicate of another issue for the same key, reported by _index
            _plan_removed(result, issue, inputs)
    result.labels = _labels_needed(result, inputs.settings)
    return result


# Matching ----------------------------------------------------------------------------------------


class _New:
    """Sentinel: the action needs a new issue."""


_NEW = _New()


def _index(
    existing: Sequence[ExistingIssue], result: Plan
) -> tuple[dict[str, ExistingIssue], dict[int, ExistingIssue]]:
    by_key: dict[str, ExistingIssue] = {}
    for issue in sorted(existing, key=lambda found: found.number):
        first = by_key.setdefault(issue.marker.key, issue)
        if first is not issue:
            result.notes.append(
                f"#{issue.number} duplicates #{first.number} (same action "
                f"{issue.marker.key}); pmcheck keeps #{first.number} in sync"
            )
    return by_key, {issue.number: issue for issue in existing}


def _match(
    action: Action,
    key: str,
    by_key: Mapping[str, ExistingIssue],
    by_number: Mapping[int, ExistingIssue],
    repo: str | None,
    result: Plan,
    path: str,
) -> ExistingIssue | _New | None:
    reference = tracking_of(action)
    if reference:
        number = action.issue_number(repo)
        if number is not None and number in by_number:
            return by_number[number]
        if key in by_key:
            return by_key[key]
        result.skipped.append(Skipped(path, action.line, action.text, f"tracked in {reference}"))
        return None
    if key in by_key:
        return by_key[key]
    if action.done:
        result.skipped.append(Skipped(path, action.line, action.text, "already done"))
        return None
    return _NEW


def tracking_of(action: Action) -> str | None:
    """The action's tracking reference, ignoring its own id (an "ID" cell like CK-2 is not a ticket)."""
    return action.tracked_by


# Planning each case ---------------------------------------------------------------------------


@dataclass(frozen=True)
class _Rendered:
    title: str
    body: str
    marker: Marker
    assignees: tuple[str, ...]
    unassigned: tuple[Owner, ...]
    owners: tuple[Owner, ...]


def _render(document: SourceDocument, action: Action, key: str, inputs: PlanInputs) -> _Rendered:
    owners = resolve_owners(action.owners, inputs.owners)
    assignees = tuple(
        dict.fromkeys(
            owner.login
            for owner in owners
            if owner.login and not owner.team and _can_assign(owner.login, inputs.assignable)
        )
    )
    unassigned = tuple(owner for owner in owners if owner.login not in assignees)
    body = issue_body(
        document.postmortem, action, key=key, links=inputs.links, owners=owners, assignees=assignees
    )
    marker = action_marker(key, action, owners)
    title = issue_title(document.postmortem, action)
    return _Rendered(title, body, marker, assignees, unassigned, tuple(owners))


def _can_assign(login: str, assignable: Mapping[str, bool] | None) -> bool:
    if assignable is None:
        return True
    return assignable.get(login.casefold(), False)


def _plan_create(
    result: Plan, document: SourceDocument, action: Action, key: str, inputs: PlanInputs
) -> None:
    rendered = _render(document, action, key, inputs)
    labels = list(inputs.settings.labels)
    level = document.postmortem.severity_level if inputs.settings.severity_label else None
    # Only a level of a usual scale becomes a label, never free text such as a sentence.
    severity = level.label if level and level.on_a_scale else None
    if severity and severity not in labels:
        labels.append(severity)
    result.creates.append(
        PlannedIssue(
            key=key,
            path=document.path,
            line=action.line,
            title=rendered.title,
            body=rendered.body,
            labels=tuple(labels),
            assignees=rendered.assignees,
            unassigned=rendered.unassigned,
            deadline=rendered.marker.due,
            text=action.text,
            owners=tuple(owner.login or owner.name for owner in rendered.owners),
            deadline_text=_deadline_text(action),
        )
    )
    _owner_notes(result, document.path, action, rendered.unassigned, inputs)
    if inputs.today and rendered.marker.due and rendered.marker.due < inputs.today:
        result.notes.append(
            f"{document.path}:{action.line}: the deadline {rendered.marker.due} has already passed"
        )


def _deadline_text(action: Action) -> str | None:
    if action.deadline is None:
        return None
    return action.deadline.date.isoformat() if action.deadline.date else action.deadline.text


def _plan_existing(
    result: Plan, document: SourceDocument, action: Action, key: str, issue: ExistingIssue, inputs: PlanInputs
) -> None:
    where = inputs.links.document(document.path, action.line)
    place = f"`{document.path}` line {action.line}"
    if where:
        place = f"[{place}]({where})"
    if action.done:
        if issue.state == "open" and inputs.settings.close_when_done:
            note = (
                f"{change_marker()}\nThe post-mortem marks this action done ({place}), so pmcheck "
                "closes this issue."
            )
            result.closes.append(PlannedClose(issue.number, key, issue.title, "done", note))
        return
    if issue.state != "open":
        why = f"#{issue.number} is closed on GitHub; the document still lists it as open"
        result.skipped.append(Skipped(document.path, action.line, action.text, why))
        return
    rendered = _render(document, action, key, inputs)
    old = issue.marker
    if old.fingerprint == rendered.marker.fingerprint and old.key == key:
        return
    changes = _changes(old, rendered.marker)
    owners_changed = old.owners != rendered.marker.owners
    comment: str | None = None
    if changes:
        listed = "\n".join(f"- {change}" for change in changes)
        comment = f"{change_marker()}\nThe post-mortem changed this action ({place}):\n\n{listed}"
        _owner_notes(result, document.path, action, rendered.unassigned, inputs)
    result.updates.append(
        PlannedUpdate(
            number=issue.number,
            key=key,
            path=document.path,
            line=action.line,
            title=rendered.title,
            body=rendered.body,
            assignees=rendered.assignees if owners_changed else None,
            changes=tuple(changes) or ("marker",),
            comment=comment,
        )
    )


def _changes(old: Marker, new: Marker) -> list[str]:
    changes = []
    if old.wording and old.wording != new.wording:
        changes.append("wording changed; the issue's title and description now follow the document")
    if old.owners != new.owners:
        changes.append(f"owners: {_names(old.owners)} → {_names(new.owners)}")
    if old.due != new.due:
        changes.append(f"deadline: {old.due or 'none'} → {new.due or 'none'}")
    if not changes and old.fingerprint and old.fingerprint != new.fingerprint:
        changes.append("deadline or wording changed")
    return changes


def _plan_removed(result: Plan, issue: ExistingIssue, inputs: PlanInputs) -> None:
    path = issue.marker.path
    if not inputs.settings.close_when_removed:
        result.notes.append(
            f"#{issue.number}: its action is no longer in {path} (left open: close_when_removed is off)"
        )
        return
    at = f" at {inputs.links.ref[:12]}" if inputs.links.ref else ""
    comment = (
        f"{change_marker()}\nThis action is no longer in `{path}`{at}, so pmcheck closes this "
        "issue as not planned. If it was only reworded, the issue for the new wording is linked "
        "from the document; reopen this one if the action still matters."
    )
    result.closes.append(PlannedClose(issue.number, issue.marker.key, issue.title, "removed", comment))


def _owner_notes(
    result: Plan, path: str, action: Action, unassigned: Sequence[Owner], inputs: PlanInputs
) -> None:
    repo = inputs.links.repo or "the repository"
    for owner in unassigned:
        if owner.team:
            why = f"@{owner.login} is a team; teams cannot be assigned (mentioned in the issue instead)"
        elif owner.login:
            why = f"{owner.login} cannot be assigned in {repo} (not a user with access)"
        else:
            why = f"owner {owner.name!r} has no GitHub login; map it under `owners:` in .pmcheck.yml"
        result.notes.append(f"{path}:{action.line}: {why}")


def _labels_needed(result: Plan, settings: GitHubSettings) -> list[LabelSpec]:
    names: dict[str, LabelSpec] = {}
    for issue in result.creates:
        for name in issue.labels:
            kind = "action" if name in settings.labels else "severity"
            description = (
                "Corrective action from a post-mortem"
                if kind == "action"
                else "Severity of the incident behind this action"
            )
            names.setdefault(name.casefold(), LabelSpec(name, LABEL_COLORS[kind], description))
    return list(names.values())


def _names(names: Sequence[str]) -> str:
    return ", ".join(names) or "none"


def describe_plan(plan: Plan) -> str:
    """The plan in words, one line per write, then what is left alone and why (for ``--dry-run``)."""
    lines = [f"label   create {spec.name!r} if missing" for spec in plan.labels]
    for issue in plan.creates:
        who = ", ".join(f"@{login}" for login in issue.assignees) or "nobody"
        lines.append(
            f"create  {issue.title!r} ({issue.path}:{issue.line}); assign {who}; "
            f"labels {', '.join(issue.labels) or 'none'}"
        )
    for update in plan.updates:
        who = (
            ""
            if update.assignees is None
            else f"; assign {', '.join(f'@{a}' for a in update.assignees) or 'nobody'}"
        )
        lines.append(f"update  #{update.number} {update.title!r}: {'; '.join(update.changes)}{who}")
    for closing in plan.closes:
        why = "marked done in the document" if closing.reason == "done" else "no longer in the document"
        lines.append(f"close   #{closing.number} {closing.title!r}: {why}")
    if not lines:
        lines.append("nothing to create, update or close")
    lines += [f"skip    {item.path}:{item.line}: {item.reason}" for item in plan.skipped]
    lines += [f"note    {note}" for note in plan.notes]
    return "\n".join(lines)
