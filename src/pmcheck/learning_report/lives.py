"""Each current corrective action's life (opened, closed), from GitHub, git or its document.

Joins what :mod:`git_history` read and what GitHub says about tracking issues to the actions the
checker found today, and says in one sentence which source dated how many actions.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from pathlib import Path

from pmcheck.engine import FileReport
from pmcheck.github.action_issue import action_keys
from pmcheck.learning_report.action_status import IssueState
from pmcheck.learning_report.git_history import GitHistory, repo_path
from pmcheck.learning_report.history import DOCUMENT, GIT, GITHUB, Life, action_life, lives_from_versions


def action_lives(
    reports: Sequence[FileReport],
    *,
    history: GitHistory | str | None,
    repo: str | None,
    issues: Mapping[int, IssueState] | None,
) -> dict[str, list[Life]]:
    """Document path → the life of each of its actions, in document order."""
    git = lives_from_versions(history.versions) if isinstance(history, GitHistory) else None
    found: dict[str, list[Life]] = {}
    for report in reports:
        postmortem = report.postmortem
        if postmortem is None:
            continue
        where = repo_path(Path(report.path), history.root) if isinstance(history, GitHistory) else None
        keys = action_keys(where or report.path, postmortem.actions)
        lives = []
        for key, action in zip(keys, postmortem.actions, strict=True):
            number = action.issue_number(repo)
            issue = issues.get(number) if issues is not None and number is not None else None
            lives.append(
                action_life(
                    key,
                    action,
                    incident_date=postmortem.incident_date,
                    git=git if where is not None else None,
                    issue_created=issue.created_on if issue else None,
                    issue_closed=issue.closed_on if issue else None,
                    issue_open=issue is not None and issue.state != "closed",
                )
            )
        found[report.path] = lives
    return found


def history_note(
    lives: Mapping[str, Sequence[Life]], history: GitHistory | str | None, *, disabled: bool
) -> str:
    """Which source dated how many actions, and why git was not used when it was not."""
    counts = Counter(life.source for items in lives.values() for life in items)
    parts = []
    if counts[GITHUB]:
        parts.append(f"{counts[GITHUB]} from their tracking issues on GitHub (created and closed times)")
    if counts[GIT]:
        assert isinstance(history, GitHistory)
        shallow = " (a shallow clone: only the fetched commits)" if history.shallow else ""
        parts.append(
            f"{counts[GIT]} from git history ({history.commits} commits read in one pass{shallow}: "
            "the commit that added each item and the one that marked it done)"
        )
    if counts[DOCUMENT]:
        why = (
            "git history was not read (--no-history)"
            if disabled
            else history
            if isinstance(history, str)
            else "git has no committed version of them"
        )
        parts.append(
            f"{counts[DOCUMENT]} from the documents only, opened on the incident date with no closing day "
            f"({why})"
        )
    if not parts:
        return "No corrective actions."
    return "Corrective actions dated: " + "; ".join(parts) + "."
