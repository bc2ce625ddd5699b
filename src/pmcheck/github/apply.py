"""Carry out a plan on GitHub through the gateway, exactly once, and say what was and was not done.

:func:`apply` takes any plan the planners make: an issue :class:`~pmcheck.github.issue_plan.Plan`,
a follow-up :class:`~pmcheck.github.followup.FollowupPlan`, the pull-request
:class:`~pmcheck.github.pull_request.CommentPlan` or a write-back
:class:`~pmcheck.github.write_back_pr.Proposal`. Writes run in order; a write GitHub rejects for its
item alone is reported and the rest goes ahead; a refused permission or a write that keeps failing
stops the run and lists what is left, which the next run picks up, since nothing is done twice.
"""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, overload

from pmcheck.errors import GitHubError
from pmcheck.github import write_back_pr, write_back_push
from pmcheck.github.followup import FollowupPlan
from pmcheck.github.gateway import Gateway, IssueInfo, PermissionDenied, WriteRefused, WriteRejected
from pmcheck.github.issue_plan import (
    LABEL_COLORS,
    LabelSpec,
    Plan,
    PlanInputs,
    PlannedClose,
    PlannedIssue,
    PlannedUpdate,
    SourceDocument,
    plan,
)
from pmcheck.github.pull_request import CommentPlan, Published, find_ours, plan_comment

Step = tuple[str, Callable[[], None]]


@overload
def apply(plan: Plan, gateway: Gateway) -> SyncResult: ...
@overload
def apply(plan: FollowupPlan, gateway: Gateway) -> SyncResult: ...
@overload
def apply(plan: CommentPlan, gateway: Gateway) -> Published: ...
@overload
def apply(plan: write_back_pr.Proposal, gateway: Gateway) -> write_back_push.Published: ...
def apply(plan: Any, gateway: Gateway) -> Any:
    """Send ``plan`` through ``gateway``; what was done comes back as data."""
    applier: Callable[[Any, Gateway], Any] = _APPLIERS[type(plan)]
    return applier(plan, gateway)


@dataclass
class SyncResult:
    """What applying a plan did, and — when it stopped — what it left undone and why."""

    created: dict[str, int] = field(default_factory=dict)
    updated: list[int] = field(default_factory=list)
    closed: list[int] = field(default_factory=list)
    labels_created: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    error: str | None = None
    refused: bool = False
    not_done: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.error is None and not self.failed


def _apply_issues(plan: Plan, gateway: Gateway) -> SyncResult:
    """Create labels, then issues, then updates and closings (see :func:`run_steps`)."""
    result = SyncResult()
    run_steps(_steps(plan, gateway, result), result)
    return result


def _apply_followup(plan: FollowupPlan, gateway: Gateway) -> SyncResult:
    """Label overdue issues, clear the label where the deadline moved, post the reminders."""
    overdue_label = plan.overdue_label
    steps: list[Step] = []
    if plan.add_label:
        spec = LabelSpec(overdue_label, LABEL_COLORS["overdue"], "A corrective action past its deadline")
        steps.append(
            (
                f"create the label {overdue_label!r} if missing",
                functools.partial(_ensure_labels, [spec], gateway, SyncResult()),
            )
        )
    for number in plan.add_label:
        steps.append(
            (
                f"label #{number} {overdue_label!r}",
                functools.partial(gateway.add_label, number, overdue_label),
            )
        )
    for number, labels in plan.clear_label.items():
        steps.append(
            (
                f"remove {overdue_label!r} from #{number}",
                functools.partial(gateway.set_labels, number, labels),
            )
        )
    for reminder in plan.reminders:
        steps.append(
            (
                f"remind on #{reminder.number} ({reminder.kind})",
                functools.partial(gateway.comment, reminder.number, reminder.body),
            )
        )
    result = SyncResult()
    run_steps(steps, result)
    return result


def run_steps(steps: Sequence[Step], result: SyncResult) -> None:
    """Run writes in order. A write GitHub rejects for that item alone (422, 404) is reported and the
    rest goes ahead; a refused permission or a write that keeps failing stops the run, and everything
    not yet done is listed — the next run picks it up, since nothing is ever done twice."""
    for index, (_description, step) in enumerate(steps):
        try:
            step()
        except WriteRejected as exc:
            result.failed.append(str(exc))
        except GitHubError as exc:
            result.error = str(exc)
            result.refused = isinstance(exc, WriteRefused)
            result.not_done = [later for later, _ in steps[index:]]
            return


def _steps(plan: Plan, gateway: Gateway, result: SyncResult) -> list[Step]:
    steps: list[Step] = []
    if plan.labels:
        names = ", ".join(spec.name for spec in plan.labels)
        steps.append(
            (
                f"create missing labels {names}",
                functools.partial(_ensure_labels, plan.labels, gateway, result),
            )
        )
    steps += [
        (f"create {item.title!r}", functools.partial(_create, item, gateway, result)) for item in plan.creates
    ]
    steps += [
        (
            f"update #{item.number} ({', '.join(item.changes)})",
            functools.partial(_update, item, gateway, result),
        )
        for item in plan.updates
    ]
    steps += [
        (f"close #{item.number} ({item.reason})", functools.partial(_close, item, gateway, result))
        for item in plan.closes
    ]
    return steps


def _create(planned: PlannedIssue, gateway: Gateway, result: SyncResult) -> None:
    result.created[planned.key] = gateway.create_issue(planned)


def _update(update: PlannedUpdate, gateway: Gateway, result: SyncResult) -> None:
    fields: dict[str, Any] = {"title": update.title, "body": update.body}
    if update.assignees is not None:
        fields["assignees"] = list(update.assignees)
    gateway.edit_issue(update.number, **fields)
    result.updated.append(update.number)
    if update.comment:
        gateway.comment(update.number, update.comment)


def _close(closing: PlannedClose, gateway: Gateway, result: SyncResult) -> None:
    # Closed first, then commented: a re-run after a failure in between finds the issue closed and
    # does nothing, where the other order would comment twice.
    reason = "completed" if closing.reason == "done" else "not_planned"
    gateway.edit_issue(closing.number, state="closed", state_reason=reason)
    result.closed.append(closing.number)
    gateway.comment(closing.number, closing.comment)


def _ensure_labels(specs: Sequence[LabelSpec], gateway: Gateway, result: SyncResult) -> None:
    existing = gateway.label_names()
    for spec in specs:
        if spec.name.casefold() not in existing:
            gateway.create_label(spec)
            result.labels_created.append(spec.name)


def prepare(
    gateway: Gateway, documents: Sequence[SourceDocument], inputs: PlanInputs, *, label: str | None
) -> tuple[Plan, list[IssueInfo]]:
    """Read what GitHub holds and plan against it: the issues, then who of the owners can be assigned.

    Planning runs twice: once to learn which logins the plan would assign, then with the answers.
    """
    infos = gateway.pmcheck_issues(label)
    existing = [info.existing for info in infos]
    draft = plan(documents, existing, inputs)
    assignable = gateway.assignable(draft.logins())
    return plan(documents, existing, dataclasses.replace(inputs, assignable=assignable)), infos


# The pull-request comment ------------------------------------------------------------------------


def plan_pull_comment(gateway: Gateway, number: int, body: str, *, create: bool = True) -> CommentPlan:
    """Read the pull request's comments and plan the one pmcheck keeps there."""
    existing = gateway.pull_comments(number)
    return plan_comment(find_ours(existing), body, create=create, comments=existing, pull=number)


def _apply_comment(plan: CommentPlan, gateway: Gateway) -> Published:
    """Create or edit the one marked comment. A 403 for a read-only token comes back as ``forbidden``."""
    try:
        return _send_comment(plan, gateway)
    except PermissionDenied as exc:
        return Published("forbidden", detail=exc.detail)


def _send_comment(plan: CommentPlan, gateway: Gateway) -> Published:
    for extra in plan.delete:
        gateway.delete_pull_comment(extra)
    if plan.action == "keep":
        return Published("kept", plan.url) if plan.comment_id is not None else Published("not-needed")
    if plan.action == "edit":
        assert plan.comment_id is not None
        return Published("edited", gateway.edit_pull_comment(plan.comment_id, plan.body))
    try:
        url = gateway.create_pull_comment(plan.pull, plan.body)
    except PermissionDenied:
        raise
    except GitHubError:
        # The request may have reached GitHub although no answer came back: look before creating again.
        again = find_ours(gateway.pull_comments(plan.pull))
        if again is None:
            url = gateway.create_pull_comment(plan.pull, plan.body)
        else:
            if again.body != plan.body:
                gateway.edit_pull_comment(again.id, plan.body)
            return Published("created", again.url)
    return Published("created", url)


def _apply_proposal(proposal: write_back_pr.Proposal, gateway: Gateway) -> write_back_push.Published:
    return write_back_push.publish(proposal, client=gateway, token=gateway.settings.token)


_APPLIERS: dict[type, Callable[[Any, Gateway], Any]] = {
    Plan: _apply_issues,
    FollowupPlan: _apply_followup,
    CommentPlan: _apply_comment,
    write_back_pr.Proposal: _apply_proposal,
}
