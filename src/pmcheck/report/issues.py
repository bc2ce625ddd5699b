"""Read the state of a repository's issues from GitHub, for corrective actions that track one.

One listing of all issues (and pull requests), 100 per request, through the shared client (retries,
rate-limit waits capped). PyGithub's exceptions are not imported outside ``pmcheck.github``; they
all carry the HTTP ``status``, which is what the message needs.
"""

from __future__ import annotations

from pmcheck.errors import GitHubError
from pmcheck.github.client import ClientSettings, connect, describe, github_errors
from pmcheck.report.action_status import IssueState

PER_PAGE = 100


def fetch_issue_states(settings: ClientSettings, repo: str) -> dict[int, IssueState]:
    """Every issue and pull request of ``repo`` (``owner/name``) by number; raises GitHubError."""
    client = connect(settings)
    client.per_page = PER_PAGE
    try:
        repository = client.get_repo(repo)
        return {
            issue.number: IssueState(
                number=issue.number,
                state=issue.state,
                closed_on=issue.closed_at.date() if issue.closed_at else None,
                url=issue.html_url,
                created_on=issue.created_at.date() if issue.created_at else None,
            )
            for issue in repository.get_issues(state="all")
        }
    except github_errors() as exc:
        raise GitHubError(f"cannot read the issues of {repo} ({describe(exc, settings)})") from None
    finally:
        client.close()
