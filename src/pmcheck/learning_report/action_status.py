"""Whether a corrective action is done, open or overdue on the report date.

Done: the document checks it off or gives it a done status, or its tracking issue on GitHub is
closed. Overdue: not done, and its deadline (a real day) is before the report date. Open: the rest.
Only issues of the report's own repository count: ``#12``, ``owner/repo#12`` or an issue URL.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

from pmcheck.postmortem import Action
from pmcheck.values import issue_ref

DONE, OPEN, OVERDUE = "done", "open", "overdue"
STATUSES = (DONE, OPEN, OVERDUE)


@dataclass(frozen=True)
class IssueState:
    """What GitHub says about one issue (or pull request)."""

    number: int
    state: str
    closed_on: dt.date | None = None
    url: str | None = None
    created_on: dt.date | None = None


@dataclass(frozen=True)
class ActionStatus:
    status: str
    source: str
    issue: IssueState | None = None


def issue_number(tracking: str | None, repo: str | None) -> int | None:
    """The issue number in ``repo`` that ``tracking`` names, if it names one there."""
    found = issue_ref(tracking)
    return found.number_in(repo) if found else None


def action_status(
    action: Action, *, as_of: dt.date, repo: str | None = None, issues: Mapping[int, IssueState] | None = None
) -> ActionStatus:
    number = action.issue_number(repo)
    issue = issues.get(number) if issues is not None and number is not None else None
    if action.done:
        return ActionStatus(DONE, "document", issue)
    if issue is not None and issue.state == "closed":
        return ActionStatus(DONE, "github", issue)
    deadline = action.deadline.date if action.deadline else None
    source = "github" if issue is not None else "document"
    if deadline is not None and deadline < as_of:
        return ActionStatus(OVERDUE, source, issue)
    return ActionStatus(OPEN, source, issue)
