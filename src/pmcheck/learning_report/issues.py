"""Read the state of a repository's issues from GitHub, for corrective actions that track one.

One listing of all issues (and pull requests), 100 per request, through the GitHub gateway (retries,
rate-limit waits capped, errors worded there).
"""

from __future__ import annotations

from pmcheck.github.event import ClientSettings
from pmcheck.github.gateway import Gateway
from pmcheck.learning_report.action_status import IssueState


def fetch_issue_states(settings: ClientSettings, repo: str) -> dict[int, IssueState]:
    """Every issue and pull request of ``repo`` (``owner/name``) by number; raises GitHubError."""
    with Gateway(settings, repo) as gateway:
        return {
            issue.number: IssueState(
                number=issue.number,
                state=issue.state,
                closed_on=issue.closed_at.date() if issue.closed_at else None,
                url=issue.url,
                created_on=issue.created_at.date() if issue.created_at else None,
            )
            for issue in gateway.all_issues()
        }
