"""Handlers for repositories, pull requests, search, check runs, users and the rate-limit endpoint."""

from __future__ import annotations

from typing import Any

from . import search
from .issues import body_object, invalid_type
from .routing import Api, ApiError, Reply, Request, not_found, route, validation_failed
from .state import CheckRun, Issue, Repo, parse_iso

MAX_PULL_FILES = 3000
MAX_SEARCH_RESULTS = 1000
MAX_SEARCH_TEXT = 256
MAX_ANNOTATIONS = 50
MAX_OUTPUT_TEXT = 65535
CHECK_STATUSES = ("queued", "in_progress", "completed", "waiting", "requested", "pending")
CONCLUSIONS = ("action_required", "cancelled", "failure", "neutral", "success", "skipped", "timed_out")
ANNOTATION_KEYS = ("path", "start_line", "end_line", "annotation_level", "message")
SEARCH_SORTS = {  # no sort: "best match", here simply newest first
    "created": lambda repo, issue: issue.created_at.timestamp(),
    "updated": lambda repo, issue: issue.updated_at.timestamp(),
    "comments": lambda repo, issue: sum(c.issue_number == issue.number for c in repo.comments.values()),
}
UNSEARCHABLE = (
    "The listed users and repositories cannot be searched either because the resources do not exist "
    "or you do not have permission to view them."
)


@route("GET", "/repos/{owner}/{repo}", "repos/get", "repos/repos#get-a-repository")
def get_repo(api: Api, req: Request, owner: str, repo: str) -> Reply:
    return Reply(200, api.render.repo(api.repo(req, owner, repo)))


def find_pull(api: Api, req: Request, owner: str, repo: str, number: str) -> tuple[Repo, Issue]:
    found = api.repo(req, owner, repo)
    issue = api.issue(found, number)
    if issue.pull is None:
        raise not_found()
    return found, issue


@route("GET", "/repos/{owner}/{repo}/pulls/{pull_number}", "pulls/get", "pulls/pulls#get-a-pull-request")
def get_pull(api: Api, req: Request, owner: str, repo: str, pull_number: str) -> Reply:
    found, issue = find_pull(api, req, owner, repo, pull_number)
    return Reply(200, api.render.pull(found, issue))


@route(
    "GET",
    "/repos/{owner}/{repo}/pulls/{pull_number}/files",
    "pulls/list-files",
    "pulls/pulls#list-pull-requests-files",
)
def list_pull_files(api: Api, req: Request, owner: str, repo: str, pull_number: str) -> Reply:
    found, issue = find_pull(api, req, owner, repo, pull_number)
    assert issue.pull is not None
    return api.page(
        req, issue.pull.files, lambda f: api.render.pull_file(found, issue, f), cap=MAX_PULL_FILES
    )


# search


def _search_repos(api: Api, req: Request, query: search.SearchQuery) -> list[Repo]:
    """The repositories named by `repo:` (422 if one is unknown or hidden), else all visible ones."""
    if not query.repos:
        return [r for r in api.state.repos.values() if not r.private or req.token]
    found = []
    for name in query.repos:
        owner, _, repo_name = name.partition("/")
        repo = api.state.repo(owner, repo_name)
        if repo is None or (repo.private and req.token is None):
            raise ApiError(
                422,
                "Validation Failed",
                errors=[{"message": UNSEARCHABLE, "resource": "Search", "field": "q", "code": "invalid"}],
            )
        found.append(repo)
    return found


def _age_search_lag(api: Api) -> None:
    for repo in api.state.repos.values():
        for issue in repo.issues.values():
            issue.search_hidden = max(0, issue.search_hidden - 1)


@route(
    "GET",
    "/search/issues",
    "search/issues-and-pull-requests",
    "search/search#search-issues-and-pull-requests",
)
def search_issues(api: Api, req: Request) -> Reply:
    q = req.param("q")
    if not q:
        raise validation_failed("Search", "q", "missing")
    query = search.parse(q)
    if len(" ".join(query.texts)) > MAX_SEARCH_TEXT:
        raise ApiError(
            422,
            "Validation Failed",
            errors=[
                {
                    "message": "The search is longer than 256 characters.",
                    "resource": "Search",
                    "field": "q",
                    "code": "invalid",
                }
            ],
        )
    hits = [
        (repo, issue)
        for repo in _search_repos(api, req, query)
        for issue in repo.issues.values()
        if issue.search_hidden == 0 and search.matches(query, repo, issue)
    ]
    _age_search_lag(api)
    sort = SEARCH_SORTS.get(req.param("sort") or "")
    hits.sort(
        key=lambda hit: (sort(*hit) if sort else 0, hit[1].id), reverse=req.param("order", "desc") != "asc"
    )
    reply = api.page(req, hits, lambda hit: api.render.search_item(*hit), cap=MAX_SEARCH_RESULTS)
    reply.body = {
        "total_count": len(hits),
        "incomplete_results": False,
        "search_type": "lexical",
        "items": reply.body,
    }
    return reply


# check runs


def _check_fields(run: CheckRun, data: dict[str, Any], api: Api) -> None:
    """Apply name/status/conclusion/times/output from a create or update body, checking like GitHub."""
    for name in ("name", "details_url", "external_id"):
        if name in data:
            if not isinstance(data[name], str):
                raise invalid_type(name, data[name], "a string")
            setattr(run, name, data[name])
    status, conclusion = data.get("status"), data.get("conclusion")
    if status is not None and status not in CHECK_STATUSES:
        raise validation_failed("CheckRun", "status", "invalid", value=status)
    if conclusion is not None and conclusion not in CONCLUSIONS:
        raise validation_failed("CheckRun", "conclusion", "invalid", value=conclusion)
    if status == "completed" and conclusion is None and run.conclusion is None:
        raise validation_failed("CheckRun", "conclusion", "missing_field")
    for name in ("started_at", "completed_at"):
        if name in data:
            moment = parse_iso(str(data[name]))
            if moment is None:
                raise validation_failed("CheckRun", name, "invalid", value=data[name])
            setattr(run, name, moment)
    now = api.state.clock.now()
    if status is not None:
        run.status = status
    if conclusion is not None:
        run.status, run.conclusion = "completed", conclusion
    if run.status == "completed" and run.completed_at is None:
        run.completed_at = now
    if "output" in data:
        _check_output(run, data["output"])


def _check_output(run: CheckRun, output: Any) -> None:
    if not isinstance(output, dict):
        raise invalid_type("output", output, "an object")
    for name in ("title", "summary"):
        if not isinstance(output.get(name), str):
            raise validation_failed("CheckRun", f"output.{name}", "missing_field")
    for name in ("summary", "text"):
        if len(output.get(name) or "") > MAX_OUTPUT_TEXT:
            raise validation_failed(
                "CheckRun",
                f"output.{name}",
                "invalid",
                message=f"{name} is too long (maximum is {MAX_OUTPUT_TEXT} characters)",
            )
    annotations = output.get("annotations") or []
    if len(annotations) > MAX_ANNOTATIONS:
        raise validation_failed(
            "CheckRun",
            "output.annotations",
            "invalid",
            message=f"Only {MAX_ANNOTATIONS} annotations are allowed per request",
        )
    for annotation in annotations:
        missing = [key for key in ANNOTATION_KEYS if key not in annotation]
        if missing:
            raise validation_failed("CheckRun", f"output.annotations.{missing[0]}", "missing_field")
        if annotation["annotation_level"] not in ("notice", "warning", "failure"):
            raise validation_failed("CheckRun", "output.annotations.annotation_level", "invalid")
    run.title, run.summary = output["title"], output["summary"]
    run.text = output.get("text", run.text)
    run.annotations.extend(annotations)  # appended, never replaced


@route(
    "POST",
    "/repos/{owner}/{repo}/check-runs",
    "checks/create",
    "checks/runs#create-a-check-run",
    scopes=("checks",),
)
def create_check_run(api: Api, req: Request, owner: str, repo: str) -> Reply:
    found = api.repo(req, owner, repo)
    if req.token is not None and req.token.kind != "app":
        raise ApiError(403, "You must authenticate via a GitHub App.")
    data = body_object(req)
    for name in ("name", "head_sha"):
        if not isinstance(data.get(name), str) or not data[name]:
            raise validation_failed("CheckRun", name, "missing_field")
    if data["head_sha"] not in found.commits:
        raise validation_failed(
            "CheckRun", "head_sha", "invalid", message=f"No commit found for SHA: {data['head_sha']}"
        )
    run = CheckRun(
        id=api.state.new_id("check_run"),
        name=data["name"],
        head_sha=data["head_sha"],
        started_at=api.state.clock.now(),
    )
    _check_fields(run, data, api)
    found.check_runs[run.id] = run
    return Reply(201, api.render.check_run(found, run))


@route(
    "PATCH",
    "/repos/{owner}/{repo}/check-runs/{check_run_id}",
    "checks/update",
    "checks/runs#update-a-check-run",
    scopes=("checks",),
)
def update_check_run(api: Api, req: Request, owner: str, repo: str, check_run_id: str) -> Reply:
    found = api.repo(req, owner, repo)
    run = found.check_runs.get(int(check_run_id)) if check_run_id.isdigit() else None
    if run is None:
        raise not_found()
    _check_fields(run, body_object(req), api)
    return Reply(200, api.render.check_run(found, run))


# users and rate limits


@route("GET", "/user", "users/get-authenticated", "users/users#get-the-authenticated-user")
def get_authenticated_user(api: Api, req: Request) -> Reply:
    """An installation token (GITHUB_TOKEN) has no user behind it: GitHub answers 403."""
    if req.token is None:
        raise ApiError(401, "Requires authentication")
    if req.token.kind == "app":
        raise ApiError(403, "Resource not accessible by integration")
    user = api.state.user(req.token.login)
    if user is None:
        raise not_found()
    return Reply(200, api.render.full_user(user, private=True))


@route("GET", "/users/{username}", "users/get-by-username", "users/users#get-a-user")
def get_user(api: Api, req: Request, username: str) -> Reply:
    user = api.state.user(username)
    if user is None:
        raise not_found()
    return Reply(200, api.render.full_user(user, private=False))


@route(
    "GET",
    "/rate_limit",
    "rate-limit/get",
    "rate-limit/rate-limit#get-rate-limit-status-for-the-authenticated-user",
)
def get_rate_limit(api: Api, req: Request) -> Reply:
    identity, kind = (req.token.value, req.token.kind) if req.token else ("", "")
    buckets = {name: bucket.as_json() for name, bucket in api.limits.all_for(identity, kind).items()}
    return Reply(200, api.render.rate_limit(buckets))
