"""JSON bodies shaped like GitHub's, with every URL on the fake's own base URL."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from .state import CheckRun, Comment, Issue, Label, PullFile, Repo, State, User, iso

Json = dict[str, Any]

_NO_REACTIONS = ("+1", "-1", "laugh", "confused", "heart", "hooray", "eyes", "rocket")
_REPO_URLS = {
    "archive_url": "/{archive_format}{/ref}",
    "assignees_url": "/assignees{/user}",
    "blobs_url": "/git/blobs{/sha}",
    "branches_url": "/branches{/branch}",
    "collaborators_url": "/collaborators{/collaborator}",
    "comments_url": "/comments{/number}",
    "commits_url": "/commits{/sha}",
    "compare_url": "/compare/{base}...{head}",
    "contents_url": "/contents/{+path}",
    "contributors_url": "/contributors",
    "deployments_url": "/deployments",
    "downloads_url": "/downloads",
    "events_url": "/events",
    "forks_url": "/forks",
    "git_commits_url": "/git/commits{/sha}",
    "git_refs_url": "/git/refs{/sha}",
    "git_tags_url": "/git/tags{/sha}",
    "hooks_url": "/hooks",
    "issue_comment_url": "/issues/comments{/number}",
    "issue_events_url": "/issues/events{/number}",
    "issues_url": "/issues{/number}",
    "keys_url": "/keys{/key_id}",
    "labels_url": "/labels{/name}",
    "languages_url": "/languages",
    "merges_url": "/merges",
    "milestones_url": "/milestones{/number}",
    "notifications_url": "/notifications{?since,all,participating}",
    "pulls_url": "/pulls{/number}",
    "releases_url": "/releases{/id}",
    "stargazers_url": "/stargazers",
    "statuses_url": "/statuses/{sha}",
    "subscribers_url": "/subscribers",
    "subscription_url": "/subscription",
    "tags_url": "/tags",
    "teams_url": "/teams",
    "trees_url": "/git/trees{/sha}",
}


class Renderer:
    """Builds response bodies; `api` is the API base URL, `html` the web base URL."""

    def __init__(self, state: State, *, api: str, html: str) -> None:
        self.state = state
        self.api = api
        self.html = html

    # users and repositories

    def user(self, login: str) -> Json:
        """A `simple-user`."""
        user = self.state.ensure_user(login)
        api = f"{self.api}/users/{quote(user.login, safe='')}"
        return {
            "login": user.login,
            "id": user.id,
            "node_id": f"U_kgDO{user.id}",
            "avatar_url": f"https://avatars.githubusercontent.com/u/{user.id}?v=4",
            "gravatar_id": "",
            "url": api,
            "html_url": f"{self.html}/{quote(user.login, safe='')}",
            "followers_url": f"{api}/followers",
            "following_url": f"{api}/following{{/other_user}}",
            "gists_url": f"{api}/gists{{/gist_id}}",
            "starred_url": f"{api}/starred{{/owner}}{{/repo}}",
            "subscriptions_url": f"{api}/subscriptions",
            "organizations_url": f"{api}/orgs",
            "repos_url": f"{api}/repos",
            "events_url": f"{api}/events{{/privacy}}",
            "received_events_url": f"{api}/received_events",
            "type": user.type,
            "user_view_type": "public",
            "site_admin": False,
        }

    def full_user(self, user: User, *, private: bool) -> Json:
        """A `public-user`, or a `private-user` for the token's own account."""
        body = self.user(user.login) | {
            "name": user.name,
            "company": None,
            "blog": "",
            "location": None,
            "email": user.email,
            "hireable": None,
            "bio": None,
            "twitter_username": None,
            "public_repos": sum(
                1 for r in self.state.repos.values() if r.owner == user.login and not r.private
            ),
            "public_gists": 0,
            "followers": 0,
            "following": 0,
            "created_at": iso(user.created_at),
            "updated_at": iso(user.created_at),
        }
        if not private:
            return body
        return body | {
            "user_view_type": "private",
            "private_gists": 0,
            "total_private_repos": 0,
            "owned_private_repos": 0,
            "disk_usage": 0,
            "collaborators": 0,
            "two_factor_authentication": True,
        }

    def repo_api(self, repo: Repo) -> str:
        return f"{self.api}/repos/{repo.owner}/{repo.name}"

    def repo_html(self, repo: Repo) -> str:
        return f"{self.html}/{repo.owner}/{repo.name}"

    def repo(self, repo: Repo) -> Json:
        """Fits both `full-repository` (GET /repos/o/r) and `repository` (a PR's head/base repo)."""
        api, html = self.repo_api(repo), self.repo_html(repo)
        urls = {key: api + suffix for key, suffix in _REPO_URLS.items()}
        open_issues = sum(1 for i in repo.issues.values() if i.state == "open")
        created = iso(repo.created_at)
        return urls | {
            "id": repo.id,
            "node_id": f"R_kgDO{repo.id}",
            "name": repo.name,
            "full_name": repo.full_name,
            "owner": self.user(repo.owner),
            "private": repo.private,
            "visibility": "private" if repo.private else "public",
            "html_url": html,
            "description": repo.description,
            "fork": False,
            "url": api,
            "clone_url": f"{html}.git",
            "git_url": f"git://{html.split('://', 1)[-1]}.git",
            "ssh_url": f"git@{html.split('://', 1)[-1].split('/', 1)[0]}:{repo.full_name}.git",
            "svn_url": html,
            "mirror_url": None,
            "homepage": None,
            "language": None,
            "default_branch": repo.default_branch,
            "forks": 0,
            "forks_count": 0,
            "stargazers_count": 0,
            "watchers": 0,
            "watchers_count": 0,
            "network_count": 0,
            "subscribers_count": 0,
            "size": 0,
            "open_issues": open_issues,
            "open_issues_count": open_issues,
            "has_issues": True,
            "has_projects": True,
            "has_wiki": True,
            "has_pages": False,
            "has_downloads": True,
            "has_discussions": False,
            "archived": False,
            "disabled": False,
            "is_template": False,
            "license": None,
            "topics": [],
            "pushed_at": created,
            "created_at": created,
            "updated_at": created,
        }

    # issues and their parts

    def label(self, repo: Repo, label: Label) -> Json:
        return {
            "id": label.id,
            "node_id": f"LA_kwDO{label.id}",
            "url": f"{self.repo_api(repo)}/labels/{quote(label.name, safe='')}",
            "name": label.name,
            "color": label.color,
            "description": label.description,
            "default": label.default,
        }

    def association(self, repo: Repo, login: str) -> str:
        if login.lower() == repo.owner.lower():
            return "OWNER"
        return "COLLABORATOR" if login.lower() in repo.collaborators else "NONE"

    def issue(self, repo: Repo, issue: Issue) -> Json:
        """An `issue`; pull requests carry the `pull_request` key, as on GitHub."""
        api = f"{self.repo_api(repo)}/issues/{issue.number}"
        html = f"{self.repo_html(repo)}/{'pull' if issue.is_pull else 'issues'}/{issue.number}"
        labels = [self.label(repo, lab) for name in issue.labels if (lab := repo.label(name))]
        assignees = [self.user(login) for login in issue.assignees]
        body: Json = {
            "id": issue.id,
            "node_id": f"I_kwDO{issue.id}",
            "url": api,
            "repository_url": self.repo_api(repo),
            "labels_url": f"{api}/labels{{/name}}",
            "comments_url": f"{api}/comments",
            "events_url": f"{api}/events",
            "timeline_url": f"{api}/timeline",
            "html_url": html,
            "number": issue.number,
            "state": issue.state,
            "state_reason": issue.state_reason,
            "title": issue.title,
            "body": issue.body,
            "user": self.user(issue.user),
            "labels": labels,
            "assignee": assignees[0] if assignees else None,
            "assignees": assignees,
            "milestone": None,
            "locked": issue.locked,
            "active_lock_reason": None,
            "comments": sum(1 for c in repo.comments.values() if c.issue_number == issue.number),
            "closed_at": iso(issue.closed_at),
            "created_at": iso(issue.created_at),
            "updated_at": iso(issue.updated_at),
            "closed_by": self.user(issue.closed_by) if issue.closed_by else None,
            "author_association": self.association(repo, issue.user),
            "performed_via_github_app": None,
            "reactions": self.reactions(f"{api}/reactions"),
        }
        if issue.pull is not None:
            pulls = f"{self.repo_api(repo)}/pulls/{issue.number}"
            body["draft"] = issue.pull.draft
            body["pull_request"] = {
                "url": pulls,
                "html_url": html,
                "diff_url": f"{html}.diff",
                "patch_url": f"{html}.patch",
                "merged_at": iso(issue.closed_at) if issue.pull.merged else None,
            }
        return body

    def search_item(self, repo: Repo, issue: Issue) -> Json:
        return self.issue(repo, issue) | {"score": 1.0}

    @staticmethod
    def reactions(url: str) -> Json:
        return {"url": url, "total_count": 0} | dict.fromkeys(_NO_REACTIONS, 0)

    def comment(self, repo: Repo, comment: Comment) -> Json:
        """An `issue-comment`."""
        issue = repo.issues[comment.issue_number]
        kind = "pull" if issue.is_pull else "issues"
        url = f"{self.repo_api(repo)}/issues/comments/{comment.id}"
        return {
            "id": comment.id,
            "node_id": f"IC_kwDO{comment.id}",
            "url": url,
            "html_url": f"{self.repo_html(repo)}/{kind}/{issue.number}#issuecomment-{comment.id}",
            "issue_url": f"{self.repo_api(repo)}/issues/{issue.number}",
            "body": comment.body,
            "user": self.user(comment.user),
            "created_at": iso(comment.created_at),
            "updated_at": iso(comment.updated_at),
            "author_association": self.association(repo, comment.user),
            "performed_via_github_app": None,
            "reactions": self.reactions(f"{url}/reactions"),
        }

    # pull requests

    def pull(self, repo: Repo, issue: Issue) -> Json:
        """A `pull-request`."""
        pull = issue.pull
        assert pull is not None
        api = f"{self.repo_api(repo)}/pulls/{issue.number}"
        issue_api = f"{self.repo_api(repo)}/issues/{issue.number}"
        html = f"{self.repo_html(repo)}/pull/{issue.number}"
        as_issue = self.issue(repo, issue)

        def side(ref: str, sha: str) -> Json:
            return {
                "label": f"{repo.owner}:{ref}",
                "ref": ref,
                "sha": sha,
                "user": self.user(repo.owner),
                "repo": self.repo(repo),
            }

        links = {
            "self": api,
            "html": html,
            "issue": issue_api,
            "comments": f"{issue_api}/comments",
            "review_comments": f"{api}/comments",
            "review_comment": f"{self.repo_api(repo)}/pulls/comments{{/number}}",
            "commits": f"{api}/commits",
            "statuses": f"{self.repo_api(repo)}/statuses/{pull.head_sha}",
        }
        return {
            "url": api,
            "id": pull.id,
            "node_id": f"PR_kwDO{pull.id}",
            "html_url": html,
            "diff_url": f"{html}.diff",
            "patch_url": f"{html}.patch",
            "issue_url": issue_api,
            "commits_url": f"{api}/commits",
            "review_comments_url": f"{api}/comments",
            "review_comment_url": links["review_comment"],
            "comments_url": f"{issue_api}/comments",
            "statuses_url": links["statuses"],
            "number": issue.number,
            "state": issue.state,
            "locked": issue.locked,
            "title": issue.title,
            "user": as_issue["user"],
            "body": issue.body,
            "labels": as_issue["labels"],
            "milestone": None,
            "active_lock_reason": None,
            "created_at": as_issue["created_at"],
            "updated_at": as_issue["updated_at"],
            "closed_at": as_issue["closed_at"],
            "merged_at": as_issue["closed_at"] if pull.merged else None,
            "merge_commit_sha": pull.merge_sha,
            "assignee": as_issue["assignee"],
            "assignees": as_issue["assignees"],
            "requested_reviewers": [],
            "requested_teams": [],
            "head": side(pull.head_ref, pull.head_sha),
            "base": side(pull.base_ref, pull.base_sha),
            "_links": {name: {"href": href} for name, href in links.items()},
            "author_association": as_issue["author_association"],
            "auto_merge": None,
            "draft": pull.draft,
            "merged": pull.merged,
            "mergeable": True,
            "rebaseable": True,
            "mergeable_state": "clean",
            "merged_by": None,
            "comments": as_issue["comments"],
            "review_comments": 0,
            "maintainer_can_modify": False,
            "commits": 1,
            "additions": sum(f.additions for f in pull.files),
            "deletions": sum(f.deletions for f in pull.files),
            "changed_files": len(pull.files),
        }

    def pull_file(self, repo: Repo, issue: Issue, entry: PullFile) -> Json:
        """A `diff-entry`."""
        assert issue.pull is not None
        sha, path = issue.pull.head_sha, quote(entry.filename)
        body: Json = {
            "sha": entry.sha,
            "filename": entry.filename,
            "status": entry.status,
            "additions": entry.additions,
            "deletions": entry.deletions,
            "changes": entry.additions + entry.deletions,
            "blob_url": f"{self.repo_html(repo)}/blob/{sha}/{path}",
            "raw_url": f"{self.repo_html(repo)}/raw/{sha}/{path}",
            "contents_url": f"{self.repo_api(repo)}/contents/{path}?ref={sha}",
        }
        if entry.patch is not None:
            body["patch"] = entry.patch
        if entry.previous_filename is not None:
            body["previous_filename"] = entry.previous_filename
        return body

    # checks

    def check_run(self, repo: Repo, run: CheckRun) -> Json:
        """A `check-run`; `pull_requests` lists the open PRs whose head is the run's commit."""
        url = f"{self.repo_api(repo)}/check-runs/{run.id}"
        minimal_repo = {"id": repo.id, "url": self.repo_api(repo), "name": repo.name}
        pulls = [
            {
                "id": i.pull.id,
                "number": i.number,
                "url": f"{self.repo_api(repo)}/pulls/{i.number}",
                "head": {"ref": i.pull.head_ref, "sha": i.pull.head_sha, "repo": minimal_repo},
                "base": {"ref": i.pull.base_ref, "sha": i.pull.base_sha, "repo": minimal_repo},
            }
            for i in repo.issues.values()
            if i.pull is not None and i.pull.head_sha == run.head_sha and i.state == "open"
        ]
        return {
            "id": run.id,
            "node_id": f"CR_kwDO{run.id}",
            "head_sha": run.head_sha,
            "external_id": run.external_id,
            "url": url,
            "html_url": f"{self.repo_html(repo)}/runs/{run.id}",
            "details_url": run.details_url,
            "status": run.status,
            "conclusion": run.conclusion,
            "started_at": iso(run.started_at),
            "completed_at": iso(run.completed_at),
            "output": {
                "title": run.title,
                "summary": run.summary,
                "text": run.text,
                "annotations_count": len(run.annotations),
                "annotations_url": f"{url}/annotations",
            },
            "name": run.name,
            "check_suite": {"id": run.id + 1},
            "app": self.app(),
            "pull_requests": pulls,
        }

    def app(self) -> Json:
        """The GitHub Actions app, as check runs created with GITHUB_TOKEN report it."""
        return {
            "id": 15368,
            "slug": "github-actions",
            "node_id": "MDM6QXBwMTUzNjg=",
            "owner": self.user("github"),
            "name": "GitHub Actions",
            "description": "Automate your workflow from idea to production",
            "external_url": "https://help.github.com/en/actions",
            "html_url": f"{self.html}/apps/github-actions",
            "created_at": "2018-07-30T09:30:17Z",
            "updated_at": "2019-12-10T19:04:12Z",
            "permissions": {
                "checks": "write",
                "issues": "write",
                "metadata": "read",
                "pull_requests": "write",
            },
            "events": [],
        }

    @staticmethod
    def rate_limit(buckets: dict[str, Json]) -> Json:
        return {"resources": buckets, "rate": buckets["core"]}
