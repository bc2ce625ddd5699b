"""Handlers for issues, issue comments, labels and assignees."""

from __future__ import annotations

import json
from typing import Any

from .routing import Api, ApiError, Reply, Request, not_found, route, validation_failed
from .state import Comment, Issue, Repo, parse_iso

MAX_BODY = 65536
ISSUES = "/repos/{owner}/{repo}/issues"
ISSUE = ISSUES + "/{issue_number}"
STATE_REASONS = ("completed", "not_planned", "duplicate", "reopened")
ISSUE_SORTS = {
    "created": lambda repo, i: (i.created_at, i.number),
    "updated": lambda repo, i: (i.updated_at, i.number),
    "comments": lambda repo, i: (sum(c.issue_number == i.number for c in repo.comments.values()), i.number),
}


def invalid_type(name: str, value: Any, expected: str) -> ApiError:
    """GitHub's answer to a JSON value of the wrong type."""
    return ApiError(
        422, f"Invalid request.\n\nFor 'properties/{name}', {json.dumps(value)} is not {expected}."
    )


def body_object(req: Request) -> dict[str, Any]:
    if req.body is None:
        return {}
    if not isinstance(req.body, dict):
        raise ApiError(400, "Body should be a JSON object")
    return req.body


def text_field(data: dict[str, Any], name: str, *, resource: str, nullable: bool = True) -> str | None:
    """A string member that may be absent or null; over 65,536 characters is a 422 like GitHub's."""
    value = data.get(name)
    if value is None and nullable:
        return None
    if not isinstance(value, str):
        raise invalid_type(name, value, "a string")
    if len(value) > MAX_BODY:
        message = f"{name} is too long (maximum is {MAX_BODY} characters)"
        raise validation_failed(resource, name, "custom", message=message)
    return value


def string_list(data: dict[str, Any], name: str) -> list[str] | None:
    """A list of names; label objects ({"name": ...}) are accepted too, as GitHub does."""
    if name not in data:
        return None
    value = data[name]
    if not isinstance(value, list):
        raise invalid_type(name, value, "an array")
    return names_in(value, name)


def names_in(items: list[Any], name: str) -> list[str]:
    """Names from strings or {"name": ...} objects; 422 if any item is neither."""
    names = [item.get("name") if isinstance(item, dict) else item for item in items]
    strings = [n for n in names if isinstance(n, str) and n]
    if len(strings) != len(names):
        raise invalid_type(name, items, "an array of names")
    return strings


def check_assignable(api: Api, repo: Repo, logins: list[str]) -> list[str]:
    """The logins as GitHub spells them; 422 for anyone who cannot be assigned."""
    accepted: dict[str, str] = {}
    for login in logins:
        user = api.state.user(login)
        if user is None or not api.state.is_assignable(repo, login):
            raise validation_failed("Issue", "assignees", "invalid", value=login)
        accepted[user.login.lower()] = user.login
    return list(accepted.values())


def set_labels(api: Api, repo: Repo, issue: Issue, names: list[str]) -> None:
    issue.labels = list(dict.fromkeys(api.state.ensure_label(repo, n).name for n in names))


# issues


def _assignee_matches(wanted: str, issue: Issue) -> bool:
    """`none`: nobody assigned; `*`: anybody; otherwise that login."""
    if wanted in ("none", "*"):
        return bool(issue.assignees) == (wanted == "*")
    return wanted.lower() in {a.lower() for a in issue.assignees}


def _issue_filter(req: Request) -> Any:
    state = req.param("state", "open")
    if state not in ("open", "closed", "all"):
        raise validation_failed("Issue", "state", "invalid", value=state)
    labels = {n.strip().lower() for n in (req.param("labels") or "").split(",") if n.strip()}
    creator, assignee = req.param("creator"), req.param("assignee")
    since_text = req.param("since")
    since = parse_iso(since_text) if since_text else None
    if since_text and since is None:
        raise validation_failed("Issue", "since", "invalid", value=since_text)

    def keep(issue: Issue) -> bool:
        if state != "all" and issue.state != state:
            return False
        if not labels <= {n.lower() for n in issue.labels}:
            return False
        if creator and issue.user.lower() != creator.lower():
            return False
        if assignee is not None and not _assignee_matches(assignee, issue):
            return False
        return since is None or issue.updated_at >= since

    return keep


@route("GET", ISSUES, "issues/list-for-repo", "issues/issues#list-repository-issues")
def list_issues(api: Api, req: Request, owner: str, repo: str) -> Reply:
    found = api.repo(req, owner, repo)
    keep = _issue_filter(req)
    sort = ISSUE_SORTS.get(req.param("sort") or "created")
    if sort is None:
        raise validation_failed("Issue", "sort", "invalid", value=req.param("sort"))
    issues = sorted(
        (i for i in found.issues.values() if keep(i)),
        key=lambda i: sort(found, i),
        reverse=req.param("direction", "desc") != "asc",
    )
    return api.page(req, issues, lambda i: api.render.issue(found, i))


@route("POST", ISSUES, "issues/create", "issues/issues#create-an-issue", scopes=("issues",))
def create_issue(api: Api, req: Request, owner: str, repo: str) -> Reply:
    found = api.repo(req, owner, repo)
    data = body_object(req)
    title = data.get("title")
    if title is None or title == "":
        raise validation_failed("Issue", "title", "missing_field")
    if not isinstance(title, (str, int)) or isinstance(title, bool):
        raise invalid_type("title", title, "a string or integer")
    body = text_field(data, "body", resource="Issue")
    labels = string_list(data, "labels") or []
    assignees = string_list(data, "assignees") or []
    if isinstance(data.get("assignee"), str):
        assignees.append(data["assignee"])
    if not api.has_push(req, found):  # "silently dropped otherwise"
        labels, assignees = [], []
    now = api.state.clock.now()
    issue = Issue(
        id=api.state.new_id("issue"),
        number=found.next_number(),
        title=str(title),
        body=body,
        user=req.actor or "ghost",
        created_at=now,
        updated_at=now,
        assignees=check_assignable(api, found, assignees),
        search_hidden=api.state.search_lag,
    )
    set_labels(api, found, issue, labels)
    found.issues[issue.number] = issue
    rendered = api.render.issue(found, issue)
    return Reply(201, rendered, {"location": rendered["url"]})


@route("GET", ISSUE, "issues/get", "issues/issues#get-an-issue")
def get_issue(api: Api, req: Request, owner: str, repo: str, issue_number: str) -> Reply:
    found = api.repo(req, owner, repo)
    return Reply(200, api.render.issue(found, api.issue(found, issue_number)))


def _change_state(api: Api, req: Request, issue: Issue, state: Any, reason: Any) -> None:
    if state not in ("open", "closed"):
        raise validation_failed("Issue", "state", "invalid", value=state)
    if reason is not None and reason not in STATE_REASONS:
        raise validation_failed("Issue", "state_reason", "invalid", value=reason)
    if state == issue.state:  # state_reason is "ignored unless state is changed"
        return
    issue.state = state
    if state == "closed":
        issue.closed_at, issue.closed_by = api.state.clock.now(), req.actor
        issue.state_reason = reason if reason not in (None, "reopened") else "completed"
    else:
        issue.closed_at, issue.closed_by, issue.state_reason = None, None, "reopened"


@route("PATCH", ISSUE, "issues/update", "issues/issues#update-an-issue", scopes=("issues",))
def update_issue(api: Api, req: Request, owner: str, repo: str, issue_number: str) -> Reply:
    found = api.repo(req, owner, repo)
    issue = api.issue(found, issue_number)
    data = body_object(req)
    if "title" in data:
        if data["title"] in (None, ""):
            raise validation_failed("Issue", "title", "missing_field")
        issue.title = str(data["title"])
    if "body" in data:
        issue.body = text_field(data, "body", resource="Issue")
    if "state" in data:
        _change_state(api, req, issue, data["state"], data.get("state_reason"))
    push = api.has_push(req, found)
    labels = string_list(data, "labels")
    if labels is not None and push:
        set_labels(api, found, issue, labels)
    assignees = string_list(data, "assignees")
    if "assignee" in data and assignees is None:
        assignees = [] if data["assignee"] is None else [data["assignee"]]
    if assignees is not None and push:
        issue.assignees = check_assignable(api, found, assignees)
    issue.updated_at = api.state.clock.now()
    return Reply(200, api.render.issue(found, issue))


# comments


COMMENTS = ISSUE + "/comments"
COMMENT = "/repos/{owner}/{repo}/issues/comments/{comment_id}"


def comment_body(data: dict[str, Any]) -> str:
    body = data.get("body")
    if body is None:
        raise validation_failed("IssueComment", "body", "missing_field")
    if not isinstance(body, str):
        raise invalid_type("body", body, "a string")
    if len(body) > MAX_BODY:
        message = f"Body is too long (maximum is {MAX_BODY} characters)"
        raise validation_failed("IssueComment", "data", "unprocessable", message=message)
    return body


def find_comment(repo: Repo, comment_id: str) -> Comment:
    comment = repo.comments.get(int(comment_id)) if comment_id.isdigit() else None
    if comment is None:
        raise not_found()
    return comment


@route("GET", COMMENTS, "issues/list-comments", "issues/comments#list-issue-comments")
def list_comments(api: Api, req: Request, owner: str, repo: str, issue_number: str) -> Reply:
    found = api.repo(req, owner, repo)
    issue = api.issue(found, issue_number)
    since_text = req.param("since")
    since = parse_iso(since_text) if since_text else None
    comments = [
        c
        for c in found.comments.values()
        if c.issue_number == issue.number and (since is None or c.updated_at >= since)
    ]
    return api.page(req, comments, lambda c: api.render.comment(found, c))


@route(
    "POST",
    COMMENTS,
    "issues/create-comment",
    "issues/comments#create-an-issue-comment",
    scopes=("issues", "pull_requests"),
)
def create_comment(api: Api, req: Request, owner: str, repo: str, issue_number: str) -> Reply:
    found = api.repo(req, owner, repo)
    issue = api.issue(found, issue_number)
    body = comment_body(body_object(req))
    now = api.state.clock.now()
    comment = Comment(
        id=api.state.new_id("comment"),
        issue_number=issue.number,
        body=body,
        user=req.actor or "ghost",
        created_at=now,
        updated_at=now,
    )
    found.comments[comment.id] = comment
    issue.updated_at = now
    rendered = api.render.comment(found, comment)
    return Reply(201, rendered, {"location": rendered["url"]})


@route("GET", COMMENT, "issues/get-comment", "issues/comments#get-an-issue-comment")
def get_comment(api: Api, req: Request, owner: str, repo: str, comment_id: str) -> Reply:
    found = api.repo(req, owner, repo)
    return Reply(200, api.render.comment(found, find_comment(found, comment_id)))


@route(
    "PATCH",
    COMMENT,
    "issues/update-comment",
    "issues/comments#update-an-issue-comment",
    scopes=("issues", "pull_requests"),
)
def update_comment(api: Api, req: Request, owner: str, repo: str, comment_id: str) -> Reply:
    found = api.repo(req, owner, repo)
    comment = find_comment(found, comment_id)
    comment.body = comment_body(body_object(req))
    comment.updated_at = api.state.clock.now()
    return Reply(200, api.render.comment(found, comment))


@route(
    "DELETE",
    COMMENT,
    "issues/delete-comment",
    "issues/comments#delete-an-issue-comment",
    scopes=("issues", "pull_requests"),
)
def delete_comment(api: Api, req: Request, owner: str, repo: str, comment_id: str) -> Reply:
    found = api.repo(req, owner, repo)
    del found.comments[find_comment(found, comment_id).id]
    return Reply(204)


# labels


LABELS = "/repos/{owner}/{repo}/labels"
ISSUE_LABELS = ISSUE + "/labels"


@route("GET", LABELS, "issues/list-labels-for-repo", "issues/labels#list-labels-for-a-repository")
def list_labels(api: Api, req: Request, owner: str, repo: str) -> Reply:
    found = api.repo(req, owner, repo)
    labels = sorted(found.labels.values(), key=lambda lab: lab.name.lower())
    return api.page(req, labels, lambda lab: api.render.label(found, lab))


@route("POST", LABELS, "issues/create-label", "issues/labels#create-a-label", scopes=("issues",))
def create_label(api: Api, req: Request, owner: str, repo: str) -> Reply:
    found = api.repo(req, owner, repo)
    data = body_object(req)
    name = data.get("name")
    if not isinstance(name, str) or not name.strip():
        raise validation_failed("Label", "name", "missing_field")
    if found.label(name) is not None:
        raise validation_failed("Label", "name", "already_exists")
    color = str(data.get("color") or "ededed").removeprefix("#")
    if len(color) != 6 or any(ch not in "0123456789abcdefABCDEF" for ch in color):
        raise validation_failed("Label", "color", "invalid", value=data.get("color"))
    label = api.state.ensure_label(found, name)
    label.color, label.description = color.lower(), text_field(data, "description", resource="Label")
    rendered = api.render.label(found, label)
    return Reply(201, rendered, {"location": rendered["url"]})


@route("GET", LABELS + "/{name}", "issues/get-label", "issues/labels#get-a-label")
def get_label(api: Api, req: Request, owner: str, repo: str, name: str) -> Reply:
    found = api.repo(req, owner, repo)
    label = found.label(name)
    if label is None:
        raise not_found()
    return Reply(200, api.render.label(found, label))


def _issue_labels_reply(api: Api, req: Request, repo: Repo, issue: Issue) -> Reply:
    labels = [lab for n in issue.labels if (lab := repo.label(n))]
    return api.page(req, labels, lambda lab: api.render.label(repo, lab))


@route("GET", ISSUE_LABELS, "issues/list-labels-on-issue", "issues/labels#list-labels-for-an-issue")
def list_issue_labels(api: Api, req: Request, owner: str, repo: str, issue_number: str) -> Reply:
    found = api.repo(req, owner, repo)
    return _issue_labels_reply(api, req, found, api.issue(found, issue_number))


def label_names(body: Any, *, allow_string: bool) -> list[str]:
    """The three body forms GitHub accepts: {"labels": [...]}, a bare array, or (set only) one string."""
    if allow_string and isinstance(body, str):
        return [body]
    items = body.get("labels") if isinstance(body, dict) else body
    if not isinstance(items, list):
        raise invalid_type("labels", items, "an array")
    return names_in(items, "labels")


@route(
    "POST",
    ISSUE_LABELS,
    "issues/add-labels",
    "issues/labels#add-labels-to-an-issue",
    scopes=("issues", "pull_requests"),
)
def add_labels(api: Api, req: Request, owner: str, repo: str, issue_number: str) -> Reply:
    found = api.repo(req, owner, repo)
    issue = api.issue(found, issue_number)
    names = label_names(req.body, allow_string=False)
    if not names:
        raise validation_failed("Label", "labels", "missing_field")
    set_labels(api, found, issue, [*issue.labels, *names])
    issue.updated_at = api.state.clock.now()
    return _issue_labels_reply(api, req, found, issue)


@route(
    "PUT",
    ISSUE_LABELS,
    "issues/set-labels",
    "issues/labels#set-labels-for-an-issue",
    scopes=("issues", "pull_requests"),
)
def replace_labels(api: Api, req: Request, owner: str, repo: str, issue_number: str) -> Reply:
    found = api.repo(req, owner, repo)
    issue = api.issue(found, issue_number)
    set_labels(api, found, issue, label_names(req.body if req.body is not None else [], allow_string=True))
    issue.updated_at = api.state.clock.now()
    return _issue_labels_reply(api, req, found, issue)


# assignees


@route(
    "POST",
    ISSUE + "/assignees",
    "issues/add-assignees",
    "issues/assignees#add-assignees-to-an-issue",
    scopes=("issues", "pull_requests"),
)
def add_assignees(api: Api, req: Request, owner: str, repo: str, issue_number: str) -> Reply:
    """People who cannot be assigned are silently ignored, as on GitHub."""
    found = api.repo(req, owner, repo)
    issue = api.issue(found, issue_number)
    wanted = string_list(body_object(req), "assignees") or []
    known = {a.lower() for a in issue.assignees}
    for login in wanted:
        user = api.state.user(login)
        if user and api.state.is_assignable(found, login) and login.lower() not in known:
            issue.assignees.append(user.login)
            known.add(login.lower())
    issue.updated_at = api.state.clock.now()
    return Reply(201, api.render.issue(found, issue))


@route(
    "GET",
    "/repos/{owner}/{repo}/assignees/{assignee}",
    "issues/check-user-can-be-assigned",
    "issues/assignees#check-if-a-user-can-be-assigned",
)
def check_assignee(api: Api, req: Request, owner: str, repo: str, assignee: str) -> Reply:
    found = api.repo(req, owner, repo)
    if not api.state.is_assignable(found, assignee):
        raise not_found()
    return Reply(204)
