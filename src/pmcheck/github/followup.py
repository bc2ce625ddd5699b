"""Follow-ups on open corrective-action issues: an ``overdue`` label, paced reminders, a job summary.

Pure: the shell lists the open pmcheck issues, reads the comments of those that are overdue or due
soon, and hands them here as plain data; :func:`plan_followup` decides, :func:`render_summary` writes
the Markdown. Deadlines come from each issue's marker, so they follow the document. Each reminder
carries its own hidden marker with the day it was posted: the next overdue reminder waits
``reminder_days`` after the last one, however often the schedule runs, and ``--today`` makes a run
reproducible.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Literal

from pmcheck.config import GitHubSettings
from pmcheck.github.action_issue import Marker, ReminderMark
from pmcheck.inert import inert

ReminderKind = Literal["overdue", "upcoming"]


@dataclass(frozen=True)
class TrackedAction:
    """An open pmcheck issue as follow-ups see it."""

    number: int
    title: str
    marker: Marker
    url: str = ""
    assignees: tuple[str, ...] = ()
    labels: tuple[str, ...] = ()
    incident: str | None = None
    reminders: tuple[ReminderMark, ...] = ()

    @property
    def due(self) -> dt.date | None:
        return self.marker.due

    @property
    def owners(self) -> tuple[str, ...]:
        """Who to name: the assignees, else the owners the document names."""
        if self.assignees:
            return tuple(f"@{login}" for login in self.assignees)
        return tuple(f"@{name}" if "/" in name else name for name in self.marker.owners)


@dataclass(frozen=True)
class Reminder:
    number: int
    kind: ReminderKind
    title: str
    body: str


@dataclass
class FollowupPlan:
    today: dt.date
    overdue_label: str = "overdue"
    overdue: list[TrackedAction] = field(default_factory=list)
    upcoming: list[TrackedAction] = field(default_factory=list)
    reminders: list[Reminder] = field(default_factory=list)
    add_label: list[int] = field(default_factory=list)
    clear_label: dict[int, tuple[str, ...]] = field(default_factory=dict)
    next_reminder: dict[int, dt.date] = field(default_factory=dict)

    @property
    def empty(self) -> bool:
        return not (self.reminders or self.add_label or self.clear_label)


def state_of(action: TrackedAction, settings: GitHubSettings, today: dt.date) -> ReminderKind | None:
    """``overdue`` once the deadline has passed, ``upcoming`` within ``remind_before_days`` of it."""
    if action.due is None:
        return None
    if action.due < today:
        return "overdue"
    if settings.remind_before_days is not None and (action.due - today).days <= settings.remind_before_days:
        return "upcoming"
    return None


def needs_comments(actions: Iterable[TrackedAction], settings: GitHubSettings, today: dt.date) -> list[int]:
    """The issues whose comments must be read (for earlier reminders) before planning."""
    return [action.number for action in actions if state_of(action, settings, today) is not None]


def plan_followup(actions: Sequence[TrackedAction], settings: GitHubSettings, today: dt.date) -> FollowupPlan:
    """Which issues get a reminder, the overdue label, or lose that label (the deadline moved)."""
    result = FollowupPlan(today=today, overdue_label=settings.overdue_label)
    overdue_label = settings.overdue_label.casefold()
    for action in sorted(actions, key=lambda found: (found.due or dt.date.max, found.number)):
        state = state_of(action, settings, today)
        labelled = overdue_label in {label.casefold() for label in action.labels}
        if state == "overdue":
            result.overdue.append(action)
            if not labelled:
                result.add_label.append(action.number)
            _overdue_reminder(result, action, settings, today)
        elif labelled:
            result.clear_label[action.number] = tuple(
                label for label in action.labels if label.casefold() != overdue_label
            )
        if state == "upcoming":
            result.upcoming.append(action)
            if not any(mark.kind == "upcoming" and mark.due == action.due for mark in action.reminders):
                result.reminders.append(_reminder(action, "upcoming", today))
    return result


def _overdue_reminder(
    result: FollowupPlan, action: TrackedAction, settings: GitHubSettings, today: dt.date
) -> None:
    earlier = [mark.day for mark in action.reminders if mark.kind == "overdue"]
    last = max(earlier, default=None)
    if last is not None and (today - last).days < settings.reminder_days:
        result.next_reminder[action.number] = last + dt.timedelta(days=settings.reminder_days)
        return
    result.reminders.append(_reminder(action, "overdue", today))


def _reminder(action: TrackedAction, kind: ReminderKind, today: dt.date) -> Reminder:
    assert action.due is not None
    mark = ReminderMark(kind=kind, day=today, due=action.due)
    who = " ".join(action.owners) if action.owners else "Nobody is assigned to this action."
    if kind == "overdue":
        days = (today - action.due).days
        when = f"was due on **{action.due.isoformat()}** ({_days(days)} ago) and is still open"
    else:
        days = (action.due - today).days
        when = f"is due on **{action.due.isoformat()}** ({'today' if days == 0 else f'in {_days(days)}'})"
    body = (
        f"{mark.render()}\n{who}\n\nThis corrective action {when}. If the plan changed, update the action "
        "in the post-mortem (new owner or deadline) and pmcheck will update this issue; mark it done there "
        "once it is."
    )
    return Reminder(number=action.number, kind=kind, title=action.title, body=body)


def render_summary(plan: FollowupPlan, *, repository: str, applied: bool = True) -> str:
    """The job summary: overdue and upcoming actions, by owner and by incident."""
    posted = "posted" if applied else "to post"
    lines = [f"## Corrective actions: follow-up on {plan.today.isoformat()}", ""]
    if not plan.overdue and not plan.upcoming:
        lines += [f"No open corrective action in {repository} is overdue or due soon.", ""]
        return "\n".join(lines)
    lines.append(
        f"**{len(plan.overdue)} overdue** and **{len(plan.upcoming)} due soon** in {repository}. "
        f"Reminders {posted}: {len(plan.reminders)}."
    )
    if plan.next_reminder:
        waiting = ", ".join(
            f"#{number} ({day.isoformat()})" for number, day in sorted(plan.next_reminder.items())
        )
        lines.append(f"Reminded recently, next reminder on or after: {waiting}.")
    lines.append("")
    everything = [(action, "overdue") for action in plan.overdue] + [
        (action, "upcoming") for action in plan.upcoming
    ]
    lines += ["### By owner", ""]
    for owner, group in _grouped(everything, lambda action: action.owners or ("(no owner)",)):
        lines += [
            f"#### {inert(owner)}",
            "",
            *(_item(action, state, plan.today) for action, state in group),
            "",
        ]
    lines += ["### By incident", ""]
    for incident, group in _grouped(everything, lambda action: (action.incident or action.marker.path,)):
        lines += [
            f"#### {inert(incident)}",
            "",
            *(_item(action, state, plan.today, owners=True) for action, state in group),
            "",
        ]
    return "\n".join(lines)


def describe(plan: FollowupPlan) -> str:
    """The plan in words, one line per write (for ``--dry-run``)."""
    lines = [f"remind  #{reminder.number} ({reminder.kind}) {reminder.title}" for reminder in plan.reminders]
    lines += [f"label   #{number} overdue" for number in plan.add_label]
    lines += [f"unlabel #{number} overdue (deadline no longer passed)" for number in plan.clear_label]
    lines += [
        f"wait    #{number} reminded recently; next reminder on or after {day}"
        for number, day in sorted(plan.next_reminder.items())
    ]
    return "\n".join(lines) if lines else "nothing to do"


def _grouped(
    items: Sequence[tuple[TrackedAction, str]], keys: Callable[[TrackedAction], Iterable[str]]
) -> list[tuple[str, list[tuple[TrackedAction, str]]]]:
    groups: dict[str, list[tuple[TrackedAction, str]]] = {}
    for action, state in items:
        for key in keys(action):
            groups.setdefault(key, []).append((action, state))
    return sorted(groups.items(), key=lambda group: group[0].casefold())


def _item(action: TrackedAction, state: str, today: dt.date, *, owners: bool = False) -> str:
    assert action.due is not None
    if state == "overdue":
        when = f"due {action.due.isoformat()}, **{_days((today - action.due).days)} overdue**"
    else:
        when = f"due {action.due.isoformat()}"
    link = f"[#{action.number}]({action.url})" if action.url else f"#{action.number}"
    who = f" — {inert(', '.join(action.owners)) or 'no owner'}" if owners else ""
    return f"- {link} {inert(action.title)}{who} ({when})"


def _days(count: int) -> str:
    return f"{count} day" if count == 1 else f"{count} days"
