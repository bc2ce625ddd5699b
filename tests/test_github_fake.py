"""The fake GitHub server, exercised through unmodified PyGithub over real HTTP."""

# pytest finds the imported fixtures by name, so test parameters deliberately shadow those imports.
# ruff: noqa: F811

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
import requests
from github import (
    BadCredentialsException,
    Github,
    GithubException,
    GithubRetry,
    RateLimitExceededException,
    UnknownObjectException,
)
from github.GithubException import RateLimitExceededExceedsMaxWait
from github.Repository import Repository
from github_fake import FakeGitHub, schema
from github_fake.plugin import (  # noqa: F401  (the fixtures)
    BOT,
    OUTSIDER,
    READ_ONLY_TOKEN,
    REPO,
    TOKEN,
    USER_TOKEN,
    GithubFactory,
    fake_github,
    github_client,
    github_client_factory,
    make_client,
    seed,
)
from github_fake.routing import ROUTES

MARKER = "<!-- pmcheck:summary -->"


@pytest.fixture
def repo(github_client: Github) -> Repository:
    return github_client.get_repo(REPO)


def raw(
    fake: FakeGitHub, method: str, path: str, token: str | None = TOKEN, **kwargs: Any
) -> requests.Response:
    """A plain HTTP request, to look at what PyGithub hides (headers, exact bodies)."""
    headers = {"Authorization": f"token {token}"} if token else {}
    return requests.request(method, fake.url + path, headers=headers, timeout=5, **kwargs)


def pages(fake: FakeGitHub, path_regex: str) -> list[dict[str, list[str]]]:
    return [r.query for r in fake.requests("GET", path_regex)]


# the contract: every operation against the official OpenAPI description


def test_routes_are_exactly_the_operations_of_the_spec() -> None:
    assert sorted((r.method, r.template, r.operation) for r in ROUTES) == sorted(schema.operations())


def exercise_every_operation(fake: FakeGitHub, make: GithubFactory) -> None:
    """Each of the 26 operations through PyGithub, with its success and typical failure statuses."""
    fake.add_pull_request(
        REPO,
        7,
        files=[
            "docs/a.md",
            {
                "filename": "docs/b.md",
                "status": "renamed",
                "previous_filename": "docs/old.md",
                "patch": "@@ -1 +1 @@",
            },
        ],
    )
    gh, read_only, alice = make(), make(READ_ONLY_TOKEN), make(USER_TOKEN)
    repo = gh.get_repo(REPO)
    pull = repo.get_pull(7)
    assert [f.status for f in pull.get_files()] == ["modified", "renamed"]
    comment = pull.create_issue_comment(f"{MARKER}\nfirst")
    comment.edit(f"{MARKER}\nsecond")
    with pytest.raises(GithubException):
        comment.edit("x" * 65537)
    issue = repo.create_issue(
        title="Add alerting", body="pmcheck:action id=PM-1#1", labels=["pm: action item"], assignees=["alice"]
    )
    with pytest.raises(GithubException):
        read_only.get_repo(REPO).create_issue(title="denied")
    issue.edit(state="closed", state_reason="completed")
    issue.create_comment("closing note")
    assert [c.body for c in issue.get_comments()] == ["closing note"]
    assert repo.get_issue(issue.number).get_comment(comment.id).body.endswith("second")
    extra = pull.create_issue_comment(f"{MARKER}\nduplicate")
    extra.delete()
    with pytest.raises(GithubException):
        extra.delete()
    repo.create_label("overdue", "d73a4a", "Past its due date")
    with pytest.raises(GithubException):
        repo.create_label("Overdue", "d73a4a")
    assert repo.get_label("overdue").color == "d73a4a"
    with pytest.raises(UnknownObjectException):
        repo.get_label("missing")
    assert {label.name for label in repo.get_labels()} == {"pm: action item", "overdue"}
    issue.add_to_labels("overdue")
    issue.set_labels("pm: action item")
    assert [label.name for label in issue.get_labels()] == ["pm: action item"]
    issue.add_to_assignees("bob")
    assert repo.has_in_assignees("alice") and not repo.has_in_assignees(OUTSIDER)
    assert [i.number for i in repo.get_issues(state="all", labels=["pm: action item"])] == [issue.number]
    assert gh.search_issues(f'repo:{REPO} is:issue "id=PM-1#1" in:body').totalCount == 1
    run = repo.create_check_run("pmcheck", pull.head.sha, status="in_progress")
    run.edit(
        conclusion="failure",
        output={
            "title": "pmcheck",
            "summary": "1 finding",
            "annotations": [
                {
                    "path": "docs/a.md",
                    "start_line": 3,
                    "end_line": 3,
                    "annotation_level": "failure",
                    "message": "PM010",
                }
            ],
        },
    )
    assert gh.get_rate_limit().resources.core.limit == 1000
    assert alice.get_user().login == "alice"
    with pytest.raises(GithubException):
        gh.get_user().login  # noqa: B018  (an installation token has no user: 403)
    assert gh.get_user("bob").login == "bob"
    with pytest.raises(UnknownObjectException):
        gh.get_user("nobody")


def test_every_response_and_request_body_matches_the_openapi_description(
    fake_github: FakeGitHub, github_client_factory: GithubFactory
) -> None:
    exercise_every_operation(fake_github, github_client_factory)
    log = fake_github.requests()
    templates = {op: (method, template) for method, template, op in schema.operations()}
    assert {r.operation for r in log} == set(templates)
    problems = []
    for r in log:
        method, template = templates[r.operation]
        problems += [
            f"{r.operation} {r.status}: {e}"
            for e in schema.check_response(method, template, r.status, r.response)
        ]
        if r.body is not None:
            problems += [
                f"{r.operation} request: {e}" for e in schema.check_request(method, template, r.body)
            ]
    assert problems == []
    seen = {(r.operation, r.status) for r in log}
    assert {
        ("issues/create", 201),
        ("issues/create", 403),
        ("issues/create-comment", 201),
        ("issues/update-comment", 422),
        ("issues/delete-comment", 204),
        ("issues/delete-comment", 404),
        ("issues/create-label", 201),
        ("issues/create-label", 422),
        ("issues/get-label", 404),
        ("issues/check-user-can-be-assigned", 204),
        ("issues/check-user-can-be-assigned", 404),
        ("issues/add-assignees", 201),
        ("checks/create", 201),
        ("users/get-authenticated", 200),
        ("users/get-authenticated", 403),
        ("users/get-by-username", 404),
    } <= seen


def test_every_api_url_in_a_response_uses_the_base_url(
    fake_github: FakeGitHub, github_client_factory: GithubFactory
) -> None:
    exercise_every_operation(fake_github, github_client_factory)

    def strings(node: Any) -> Iterator[str]:
        if isinstance(node, dict):
            for value in node.values():
                yield from strings(value)
        elif isinstance(node, list):
            for value in node:
                yield from strings(value)
        elif isinstance(node, str):
            yield node

    urls = {s for r in fake_github.requests() for s in strings(r.response) if s.startswith("http://")}
    assert urls and all(u.startswith(fake_github.url + "/") for u in urls)


def test_schema_check_catches_a_malformed_response(fake_github: FakeGitHub, repo: Repository) -> None:
    fake_github.inject(method="GET", path_regex=r"/labels/bug$", status=200, body={"id": "7", "name": "bug"})
    repo.get_label("bug")
    assert (
        "response 200 GET /repos/acme/incidents/labels/bug: id: '7' is not of type 'integer'"
        in fake_github.schema_errors
    )
    issue = repo.create_issue(title="t")
    body = fake_github.requests("POST")[-1].response
    del body["comments_url"]
    assert schema.check_response("POST", "/repos/{owner}/{repo}/issues", 201, body) == [
        "<root>: 'comments_url' is a required property"
    ]
    assert issue.number == 1
    fake_github.schema_errors.clear()


# pagination


def test_pull_request_files_paginate_with_default_per_page(fake_github: FakeGitHub, repo: Repository) -> None:
    fake_github.add_pull_request(REPO, 12, files=[f"postmortems/{n:03}.md" for n in range(250)])
    files = list(repo.get_pull(12).get_files())
    assert [f.filename for f in files] == [f"postmortems/{n:03}.md" for n in range(250)]
    assert pages(fake_github, r"/files$") == [{}] + [{"page": [str(n)]} for n in range(2, 10)]


def test_total_count_reads_the_last_link(fake_github: FakeGitHub, repo: Repository) -> None:
    fake_github.add_pull_request(REPO, 12, files=[f"f{n}.md" for n in range(250)])
    files = repo.get_pull(12).get_files()
    assert files.totalCount == 250
    assert len(files.get_page(8)) == 10 and files.get_page(9) == []


def test_link_header_carries_every_filter_and_all_relations(fake_github: FakeGitHub) -> None:
    for n in range(120):
        fake_github.add_issue(REPO, f"action {n}", labels=["pm: action item"])
    first = raw(
        fake_github, "GET", f"/repos/{REPO}/issues", params={"labels": "pm: action item", "per_page": 50}
    )
    base = f"{fake_github.url}/repos/{REPO}/issues?labels=pm%3A+action+item&per_page=50"
    assert first.headers["link"] == f'<{base}&page=2>; rel="next", <{base}&page=3>; rel="last"'
    middle = requests.get(f"{base}&page=2", headers={"Authorization": f"token {TOKEN}"}, timeout=5)
    assert middle.headers["link"] == (
        f'<{base}&page=1>; rel="prev", <{base}&page=3>; rel="next", '
        f'<{base}&page=3>; rel="last", <{base}&page=1>; rel="first"'
    )
    assert len(middle.json()) == 50
    one_page = raw(fake_github, "GET", f"/repos/{REPO}/issues", params={"per_page": 100, "labels": "nothing"})
    assert "link" not in one_page.headers and one_page.json() == []


def test_issue_list_pages_keep_the_filters(fake_github: FakeGitHub, repo: Repository) -> None:
    for n in range(120):
        fake_github.add_issue(
            REPO,
            f"action {n}",
            labels=["pm: action item"] if n < 100 else ["other"],
            state="closed" if n % 4 == 3 else "open",
        )
    found = list(repo.get_issues(state="open", labels=["pm: action item"]))
    assert len(found) == 75 and all(
        i.state == "open" and i.labels[0].name == "pm: action item" for i in found
    )
    first = {"state": ["open"], "labels": ["pm: action item"]}
    assert pages(fake_github, r"/issues$") == [first, first | {"page": ["2"]}, first | {"page": ["3"]}]


def test_per_page_is_capped_at_100(fake_github: FakeGitHub, github_client_factory: GithubFactory) -> None:
    for n in range(120):
        fake_github.add_issue(REPO, f"i{n}")
    issues = list(github_client_factory(per_page=500).get_repo(REPO).get_issues())
    assert len(issues) == 120
    assert len(fake_github.requests("GET", r"/issues$")) == 2


# issues


def test_issue_list_includes_pull_requests_like_github(fake_github: FakeGitHub, repo: Repository) -> None:
    fake_github.add_issue(REPO, "an issue")
    fake_github.add_pull_request(REPO, files=["a.md"])
    listed = list(repo.get_issues())
    assert [(i.number, i.pull_request is not None) for i in listed] == [(2, True), (1, False)]
    assert fake_github.issue(REPO, 2).is_pull


def test_issue_list_filters(fake_github: FakeGitHub, repo: Repository) -> None:
    fake_github.add_issue(REPO, "a", labels=["x", "y"], assignees=["alice"], user="alice")
    fake_github.add_issue(REPO, "b", labels=["x"], user="bob")
    fake_github.add_issue(REPO, "c", state="closed", user="bob")
    fake_github.advance_clock(3600)
    d = fake_github.add_issue(REPO, "d", user="alice")
    fake_github.advance_clock(60)
    repo.get_issue(1).edit(body="touched")
    cases: list[tuple[dict[str, Any], list[str]]] = [
        ({}, ["d", "b", "a"]),
        ({"state": "closed"}, ["c"]),
        ({"state": "all", "direction": "asc"}, ["a", "b", "c", "d"]),
        ({"labels": ["x", "y"]}, ["a"]),
        ({"labels": ["X"]}, ["b", "a"]),
        ({"creator": "bob", "state": "all"}, ["c", "b"]),
        ({"assignee": "alice"}, ["a"]),
        ({"assignee": "none"}, ["d", "b"]),
        ({"since": d.created_at}, ["d", "a"]),
        ({"sort": "updated"}, ["a", "d", "b"]),
    ]
    for kwargs, titles in cases:
        assert [i.title for i in repo.get_issues(**kwargs)] == titles, kwargs


def test_create_issue_autocreates_labels_and_rejects_unassignable_users(
    fake_github: FakeGitHub, repo: Repository
) -> None:
    issue = repo.create_issue(title="Fix paging", labels=["pm: action item", "sev1"], assignees=["alice"])
    assert [(lab.name, lab.color) for lab in fake_github.labels(REPO)] == [
        ("pm: action item", "ededed"),
        ("sev1", "ededed"),
    ]
    assert issue.user.login == BOT and issue.assignees[0].login == "alice"
    with pytest.raises(GithubException) as caught:
        repo.create_issue(title="x", assignees=[OUTSIDER])
    assert caught.value.status == 422
    assert caught.value.data["errors"] == [
        {"resource": "Issue", "field": "assignees", "code": "invalid", "value": OUTSIDER}
    ]
    assert len(fake_github.issues(REPO)) == 1


def test_without_push_access_labels_and_assignees_are_dropped(
    fake_github: FakeGitHub, github_client_factory: GithubFactory
) -> None:
    fake_github.add_token("ghp_carol", OUTSIDER, kind="user")
    repo = github_client_factory("ghp_carol").get_repo(REPO)
    issue = repo.create_issue(title="from outside", labels=["sev1"], assignees=["alice"])
    assert (issue.user.login, issue.labels, issue.assignees) == (OUTSIDER, [], [])
    assert fake_github.labels(REPO) == []


def test_pull_requests_and_issues_share_numbers(fake_github: FakeGitHub, repo: Repository) -> None:
    fake_github.add_pull_request(REPO, 5)
    assert repo.create_issue(title="next").number == 6
    with pytest.raises(UnknownObjectException):
        repo.get_pull(6)
    assert repo.get_issue(5).pull_request is not None


def test_close_and_reopen(fake_github: FakeGitHub, repo: Repository) -> None:
    issue = repo.create_issue(title="t")
    issue.edit(state="closed", state_reason="not_planned")
    stored = fake_github.issue(REPO, issue.number)
    assert (issue.state, issue.state_reason, stored.closed_by) == ("closed", "not_planned", BOT)
    assert issue.closed_at is not None
    issue.edit(state="open")
    assert (issue.state, issue.state_reason, issue.closed_at) == ("open", "reopened", None)
    with pytest.raises(GithubException) as caught:
        issue.edit(state="done")
    assert caught.value.status == 422
    # the request broke the spec too, and the fake noticed
    assert fake_github.schema_errors == [
        "request PATCH /repos/acme/incidents/issues/1: state: 'done' is not one of ['open', 'closed']"
    ]
    fake_github.schema_errors.clear()


def test_labels_add_set_and_assignees(fake_github: FakeGitHub, repo: Repository) -> None:
    issue = repo.create_issue(title="t", labels=["a"])
    issue.add_to_labels("b", "A")
    assert fake_github.issue(REPO, issue.number).labels == ["a", "b"]
    issue.set_labels("c")
    assert fake_github.issue(REPO, issue.number).labels == ["c"]
    issue.add_to_assignees("bob", OUTSIDER)  # outsiders are ignored silently
    assert fake_github.issue(REPO, issue.number).assignees == ["bob"]
    assert [repo.has_in_assignees(who) for who in ("alice", "bob", OUTSIDER, BOT, "acme/sre", "acme")] == [
        True,
        True,
        False,
        False,
        False,
        False,
    ]


def test_summary_comment_is_found_by_marker_and_edited(fake_github: FakeGitHub, repo: Repository) -> None:
    fake_github.add_pull_request(REPO, 3)
    fake_github.add_comment(REPO, 3, "LGTM", user="bob")
    pull = repo.get_pull(3)
    for text in ("3 findings", "1 finding"):
        mine = [c for c in pull.get_issue_comments() if MARKER in c.body]
        if mine:
            mine[0].edit(f"{MARKER}\n{text}")
        else:
            pull.create_issue_comment(f"{MARKER}\n{text}")
    assert [c.body for c in fake_github.comments(REPO, 3)] == ["LGTM", f"{MARKER}\n1 finding"]
    assert len(fake_github.requests("POST")) == 1 and len(fake_github.requests("PATCH")) == 1


# search


@pytest.fixture
def searchable(fake_github: FakeGitHub) -> FakeGitHub:
    fake_github.add_issue(
        REPO, "Add paging alert", body="pmcheck:action id=PM-7#1", labels=["pm: action item"]
    )
    fake_github.add_issue(
        REPO,
        "Rotate keys",
        body="pmcheck:action id=PM-7#2",
        labels=["pm: action item", "sev1"],
        state="closed",
    )
    fake_github.add_issue(REPO, "Unrelated PM-7#1 mention", body="nothing")
    fake_github.add_pull_request(REPO, title="Postmortem PM-7", body="pmcheck:action id=PM-7#1")
    fake_github.add_repo("acme/other")
    fake_github.add_issue("acme/other", "Same marker elsewhere", body="pmcheck:action id=PM-7#1")
    return fake_github


@pytest.mark.parametrize(
    ("query", "titles"),
    [
        (f'repo:{REPO} is:issue "id=PM-7#1" in:body', ["Add paging alert"]),
        (f'repo:{REPO} "id=pm-7#1"', ["Postmortem PM-7", "Add paging alert"]),
        (f'repo:{REPO} is:pr "id=PM-7#1"', ["Postmortem PM-7"]),
        (f'repo:{REPO} "PM-7#1" in:title', ["Unrelated PM-7#1 mention"]),
        (f'repo:{REPO} label:"pm: action item" is:closed', ["Rotate keys"]),
        (f'repo:{REPO} label:"pm: action item" state:open', ["Add paging alert"]),
        (f'repo:{REPO} label:"pm: action item" -label:sev1', ["Add paging alert"]),
        (f"repo:{REPO} label:sev1 rotate", ["Rotate keys"]),
        (f"repo:{REPO} author:alice is:pr", ["Postmortem PM-7"]),
        (f"repo:{REPO} no:label", ["Postmortem PM-7", "Unrelated PM-7#1 mention"]),
        ('"id=PM-7#1" in:body is:issue', ["Same marker elsewhere", "Add paging alert"]),
    ],
)
def test_search_filters(searchable: FakeGitHub, github_client: Github, query: str, titles: list[str]) -> None:
    assert [i.title for i in github_client.search_issues(query)] == titles


def test_search_pages_and_counts(fake_github: FakeGitHub, github_client: Github) -> None:
    for n in range(45):
        fake_github.add_issue(REPO, f"item {n}", body="pmcheck:action")
    results = github_client.search_issues(f"repo:{REPO} pmcheck:action")
    assert len(list(results)) == 45 and results.totalCount == 45
    queries = pages(fake_github, r"/search/issues$")
    assert queries[1] == {"q": [f"repo:{REPO} pmcheck:action"], "page": ["2"]}
    body = fake_github.requests("GET", r"/search/issues$")[0].response
    assert (body["total_count"], body["incomplete_results"], body["items"][0]["score"]) == (45, False, 1.0)


def test_search_of_an_unknown_repository_is_422(fake_github: FakeGitHub, github_client: Github) -> None:
    with pytest.raises(GithubException) as caught:
        list(github_client.search_issues("repo:acme/nope is:issue"))
    assert caught.value.status == 422
    assert caught.value.data["errors"][0]["code"] == "invalid"


def test_search_lag_hides_new_issues_for_n_searches(
    fake_github: FakeGitHub, github_client: Github, repo: Repository
) -> None:
    fake_github.search_lag = 2
    repo.create_issue(title="fresh", body="pmcheck:action id=PM-9#1")
    query = f'repo:{REPO} "id=PM-9#1"'
    seen = [github_client.search_issues(query).totalCount for _ in range(3)]
    assert seen == [0, 0, 1]
    assert [i.title for i in repo.get_issues()] == ["fresh"]  # listing is never lagged


def test_search_has_its_own_rate_limit(fake_github: FakeGitHub) -> None:
    response = raw(fake_github, "GET", "/search/issues", params={"q": f"repo:{REPO}"})
    assert (response.headers["x-ratelimit-resource"], response.headers["x-ratelimit-limit"]) == (
        "search",
        "30",
    )


# errors


def test_not_found_body_and_exception(fake_github: FakeGitHub, github_client: Github) -> None:
    with pytest.raises(UnknownObjectException) as caught:
        github_client.get_repo("acme/missing")
    assert caught.value.status == 404
    assert caught.value.data == {
        "message": "Not Found",
        "status": "404",
        "documentation_url": "https://docs.github.com/rest/repos/repos#get-a-repository",
    }
    assert raw(fake_github, "GET", "/no/such/endpoint").json()["message"] == "Not Found"


@pytest.mark.parametrize(
    ("call", "error"),
    [
        (
            lambda repo: repo.create_label("Bug", "ffffff"),
            {"resource": "Label", "field": "name", "code": "already_exists"},
        ),
        (
            lambda repo: repo.create_issue(title=""),
            {"resource": "Issue", "field": "title", "code": "missing_field"},
        ),
        (
            lambda repo: repo.get_issue(1).create_comment("x" * 65537),
            {
                "resource": "IssueComment",
                "field": "data",
                "code": "unprocessable",
                "message": "Body is too long (maximum is 65536 characters)",
            },
        ),
        (
            lambda repo: repo.create_issue(title="t", body="x" * 65537),
            {
                "resource": "Issue",
                "field": "body",
                "code": "custom",
                "message": "body is too long (maximum is 65536 characters)",
            },
        ),
    ],
)
def test_validation_failures(
    fake_github: FakeGitHub, repo: Repository, call: Any, error: dict[str, str]
) -> None:
    fake_github.add_label(REPO, "bug")
    fake_github.add_issue(REPO, "existing")
    with pytest.raises(GithubException) as caught:
        call(repo)
    assert caught.value.status == 422
    assert caught.value.data["message"] == "Validation Failed"
    assert caught.value.data["errors"] == [error]


def test_comment_of_exactly_65536_characters_is_accepted(fake_github: FakeGitHub, repo: Repository) -> None:
    fake_github.add_issue(REPO, "existing")
    assert len(repo.get_issue(1).create_comment("x" * 65536).body) == 65536


def test_bad_json_is_400(fake_github: FakeGitHub) -> None:
    response = raw(fake_github, "POST", f"/repos/{REPO}/issues", data=b"{not json")
    assert (response.status_code, response.json()["message"]) == (400, "Problems parsing JSON")


def test_bad_and_missing_tokens(fake_github: FakeGitHub, github_client_factory: GithubFactory) -> None:
    with pytest.raises(BadCredentialsException) as caught:
        github_client_factory("ghp_wrong").get_repo(REPO)
    assert caught.value.status == 401 and caught.value.data["message"] == "Bad credentials"
    anonymous = github_client_factory(None)
    repo = anonymous.get_repo(REPO)  # public repositories can be read without a token
    with pytest.raises(GithubException) as caught:
        repo.create_issue(title="t")
    assert (caught.value.status, caught.value.data["message"]) == (401, "Requires authentication")
    fake_github.add_repo("acme/secret", private=True)
    with pytest.raises(UnknownObjectException):
        anonymous.get_repo("acme/secret")
    assert github_client_factory().get_repo("acme/secret").private is True


def test_read_only_token_cannot_write(fake_github: FakeGitHub, github_client_factory: GithubFactory) -> None:
    fake_github.add_pull_request(REPO, 4)
    repo = github_client_factory(READ_ONLY_TOKEN).get_repo(REPO)
    pull = repo.get_pull(4)  # reads work
    for write in (
        lambda: pull.create_issue_comment("hi"),
        lambda: repo.create_issue(title="t"),
        lambda: repo.create_label("x", "ffffff"),
        lambda: repo.create_check_run("pmcheck", pull.head.sha),
    ):
        with pytest.raises(GithubException) as caught:
            write()
        assert caught.value.status == 403
        assert caught.value.data["message"] == "Resource not accessible by integration"
        assert "=write" in caught.value.headers["x-accepted-github-permissions"]
    assert fake_github.write_count() == 4
    assert (
        fake_github.comments(REPO) == [] and fake_github.issues(REPO) == [] and fake_github.labels(REPO) == []
    )


def test_single_scope_permissions(fake_github: FakeGitHub, github_client_factory: GithubFactory) -> None:
    fake_github.add_token("ghs_no_checks", BOT, permissions={"checks": "read"})
    pull_issue = fake_github.add_pull_request(REPO, 4)
    repo = github_client_factory("ghs_no_checks").get_repo(REPO)
    repo.get_pull(4).create_issue_comment("allowed")
    with pytest.raises(GithubException) as caught:
        repo.create_check_run("pmcheck", pull_issue.pull.head_sha)
    assert caught.value.headers["x-accepted-github-permissions"] == "checks=write"


# check runs


def test_check_runs(fake_github: FakeGitHub, repo: Repository, github_client_factory: GithubFactory) -> None:
    sha = fake_github.add_pull_request(REPO, 8).pull.head_sha
    note = {"path": "a.md", "start_line": 1, "end_line": 1, "annotation_level": "warning", "message": "m"}
    run = repo.create_check_run(
        "pmcheck", sha, output={"title": "t", "summary": "s", "annotations": [note] * 50}
    )
    assert run.status == "queued" and [p.number for p in run.pull_requests] == [8]
    run.edit(conclusion="success", output={"title": "t", "summary": "s", "annotations": [note] * 20})
    stored = fake_github.check_runs(REPO)[0]
    assert (stored.status, stored.conclusion, len(stored.annotations)) == ("completed", "success", 70)
    assert run.output.annotations_count == 70
    for bad in (
        {"head_sha": "f" * 40},
        {"output": {"title": "t", "summary": "s", "annotations": [note] * 51}},
        {"status": "completed"},
    ):
        with pytest.raises(GithubException) as caught:
            repo.create_check_run(**({"name": "pmcheck", "head_sha": sha} | bad))
        assert caught.value.status == 422, bad
    assert len(fake_github.schema_errors) == 2  # 51 annotations, "completed" without a conclusion
    fake_github.schema_errors.clear()
    with pytest.raises(GithubException) as caught:
        github_client_factory(USER_TOKEN).get_repo(REPO).create_check_run("pmcheck", sha)
    assert (caught.value.status, caught.value.data["message"]) == (
        403,
        "You must authenticate via a GitHub App.",
    )


# rate limits


def test_rate_limit_headers_count_down(fake_github: FakeGitHub, github_client: Github) -> None:
    first = raw(fake_github, "GET", f"/repos/{REPO}")
    second = raw(fake_github, "GET", f"/repos/{REPO}/labels/missing")
    assert {
        k: first.headers[k]
        for k in ("x-ratelimit-limit", "x-ratelimit-remaining", "x-ratelimit-used", "x-ratelimit-resource")
    } == {
        "x-ratelimit-limit": "1000",
        "x-ratelimit-remaining": "999",
        "x-ratelimit-used": "1",
        "x-ratelimit-resource": "core",
    }
    assert second.headers["x-ratelimit-remaining"] == "998"
    assert int(first.headers["x-ratelimit-reset"]) > 0
    free = raw(fake_github, "GET", "/rate_limit")
    assert free.headers["x-ratelimit-remaining"] == "998" and free.json()["rate"]["used"] == 2
    github_client.get_repo(REPO)
    assert github_client.rate_limiting == (997, 1000)
    assert raw(fake_github, "GET", f"/repos/{REPO}", token=None).headers["x-ratelimit-limit"] == "60"


def test_exhausted_primary_limit(fake_github: FakeGitHub, github_client_factory: GithubFactory) -> None:
    fake_github.set_rate_limit("core", remaining=1, reset_in=3600, token=TOKEN)
    gh = github_client_factory()
    gh.get_repo(REPO)
    with pytest.raises(RateLimitExceededException) as caught:
        gh.get_repo(REPO)
    assert caught.value.status == 403 and caught.value.headers["x-ratelimit-remaining"] == "0"
    assert caught.value.data["message"].startswith("API rate limit exceeded for installation ID")
    with pytest.raises(RateLimitExceededExceedsMaxWait) as waited:
        github_client_factory(retry=GithubRetry(max_rate_limit_wait=10)).get_repo(REPO)
    assert 3590 < waited.value.wait <= 3602
    github_client_factory(USER_TOKEN).get_repo(REPO)  # other tokens have their own budget


def test_exhausted_primary_limit_as_429(fake_github: FakeGitHub, github_client: Github) -> None:
    fake_github.primary_limit_status = 429
    fake_github.set_rate_limit("core", remaining=0, reset_in=60)
    with pytest.raises(GithubException) as caught:
        github_client.get_repo(REPO)
    assert caught.value.status == 429 and not isinstance(caught.value, RateLimitExceededException)


# fault injection and PyGithub's retries


def test_502_once_then_success_with_github_retry(
    fake_github: FakeGitHub, github_client_factory: GithubFactory
) -> None:
    fake_github.add_label(REPO, "bug")
    fault = fake_github.inject(method="GET", path_regex=r"/labels/bug$", status=502, times=1)
    repo = github_client_factory(retry=GithubRetry(total=3)).get_repo(REPO)
    assert repo.get_label("bug").name == "bug"
    assert [r.status for r in fake_github.requests("GET", r"/labels/bug$")] == [502, 200]
    assert fault.fired == 1 and fault.exhausted


def test_502_without_retry_raises(fake_github: FakeGitHub, repo: Repository) -> None:
    fake_github.inject(method="POST", path_regex=r"/issues$", status=502)
    with pytest.raises(GithubException) as caught:
        repo.create_issue(title="t")
    assert caught.value.status == 502
    assert repo.create_issue(title="t").number == 1


def test_patch_is_never_retried(fake_github: FakeGitHub, github_client_factory: GithubFactory) -> None:
    fake_github.add_issue(REPO, "t")
    issue = github_client_factory(retry=GithubRetry(total=3)).get_repo(REPO).get_issue(1)
    fake_github.inject(method="PATCH", status=502)
    with pytest.raises(GithubException):
        issue.edit(state="closed")
    assert len(fake_github.requests("PATCH")) == 1 and fake_github.issue(REPO, 1).state == "open"


def test_secondary_rate_limit_with_retry_after(
    fake_github: FakeGitHub, github_client_factory: GithubFactory
) -> None:
    repo = github_client_factory(retry=GithubRetry(total=3)).get_repo(REPO)
    fake_github.secondary_rate_limit(method="POST", path_regex=r"/issues$", retry_after=0)
    repo.create_issue(title="once")
    assert [r.status for r in fake_github.requests("POST")] == [403, 201]
    assert len(fake_github.issues(REPO)) == 1
    fake_github.secondary_rate_limit(method="PATCH", retry_after=0)
    with pytest.raises(RateLimitExceededException):
        repo.get_issue(1).edit(title="renamed")


def test_secondary_rate_limit_without_retry_after(
    fake_github: FakeGitHub, github_client_factory: GithubFactory
) -> None:
    fake_github.add_label(REPO, "bug")
    fake_github.secondary_rate_limit(path_regex=r"/labels/", retry_after=None, times=2)
    repo = github_client_factory(retry=GithubRetry(total=5, secondary_rate_wait=0)).get_repo(REPO)
    assert repo.get_label("bug").name == "bug"
    assert [r.status for r in fake_github.requests("GET", r"/labels/")] == [403, 403, 200]
    fake_github.secondary_rate_limit(path_regex=r"/labels/", retry_after=None)
    with pytest.raises(RateLimitExceededException):
        github_client_factory().get_repo(REPO).get_label("bug")


def test_429_with_retry_after_is_retried(
    fake_github: FakeGitHub, github_client_factory: GithubFactory
) -> None:
    fake_github.add_label(REPO, "bug")
    fake_github.secondary_rate_limit(path_regex=r"/labels/", status=429, retry_after=0)
    repo = github_client_factory(retry=GithubRetry(total=3)).get_repo(REPO)
    assert repo.get_label("bug").name == "bug"
    assert [r.status for r in fake_github.requests("GET", r"/labels/")] == [429, 200]


def test_dropped_connection_without_retry(fake_github: FakeGitHub, repo: Repository) -> None:
    fake_github.inject(method="POST", path_regex=r"/issues$", drop=True)
    with pytest.raises(requests.exceptions.ConnectionError):
        repo.create_issue(title="t")
    assert fake_github.issues(REPO) == [] and fake_github.requests("POST")[0].status is None


def test_github_retry_resends_a_post_whose_answer_was_lost(
    fake_github: FakeGitHub, github_client_factory: GithubFactory
) -> None:
    """GitHub did the work but the answer never came: PyGithub's default retry creates a duplicate."""
    repo = github_client_factory(retry=GithubRetry(total=3)).get_repo(REPO)
    fake_github.inject(method="POST", path_regex=r"/issues$", drop=True, process=True)
    repo.create_issue(title="only once, please")
    assert [i.title for i in fake_github.issues(REPO)] == ["only once, please"] * 2


def test_delay_lets_client_time_out(fake_github: FakeGitHub) -> None:
    """PyGithub only takes whole-second timeouts, so plain requests shows the delay cheaply."""
    fake_github.inject(path_regex=r"/repos/", status=503, delay=0.3)
    with pytest.raises(requests.exceptions.ReadTimeout):
        requests.get(f"{fake_github.url}/repos/{REPO}", timeout=0.1)
    assert raw(fake_github, "GET", f"/repos/{REPO}").status_code == 200


def sync_actions(repo: Repository, items: list[str]) -> None:
    """A minimal idempotent sync: create one issue per item unless its marker is already on an issue."""
    existing = {i.body for i in repo.get_issues(state="all", labels=["pm: action item"])}
    for item in items:
        marker = f"<!-- pmcheck:action id={item} -->"
        if marker not in existing:
            repo.create_issue(title=item, body=marker, labels=["pm: action item"])


def test_fail_after_mid_run_then_rerun_finishes_without_duplicates(
    fake_github: FakeGitHub, repo: Repository
) -> None:
    items = [f"PM-1#{n}" for n in range(1, 6)]
    fault = fake_github.fail_after(2, method="POST", path_regex=r"/issues$")
    with pytest.raises(requests.exceptions.ConnectionError):
        sync_actions(repo, items)
    assert [i.title for i in fake_github.issues(REPO)] == items[:2] and fault.passed == 2
    fake_github.clear_faults()
    writes_before = fake_github.write_count()
    sync_actions(repo, items)
    assert [i.title for i in fake_github.issues(REPO)] == items
    assert fake_github.write_count() - writes_before == 3
    sync_actions(repo, items)
    assert fake_github.write_count() - writes_before == 3


def test_request_log_helpers(fake_github: FakeGitHub, repo: Repository) -> None:
    issue = repo.create_issue(title="t", labels=["a"])
    issue.create_comment("c")
    assert [r.operation for r in fake_github.requests()] == [
        "repos/get",
        "issues/create",
        "issues/create-comment",
    ]
    assert fake_github.requests("post", r"/comments$")[0].body == {"body": "c"}
    assert fake_github.requests(operation="issues/create")[0].body == {"title": "t", "labels": ["a"]}
    assert fake_github.write_count() == 2
    assert fake_github.requests("GET")[0].headers["authorization"] == f"token {TOKEN}"


# GitHub Enterprise: the API under /api/v3


def test_enterprise_prefix() -> None:
    with FakeGitHub(prefix="/api/v3", validate=True) as fake:
        seed(fake)
        for n in range(35):
            fake.add_label(REPO, f"label-{n:02}")
        assert re.fullmatch(r"http://127\.0\.0\.1:\d+/api/v3", fake.url)
        gh = make_client(fake)
        repo = gh.get_repo(REPO)
        issue = repo.create_issue(title="t")
        issue.create_comment("c")
        assert len(list(repo.get_labels())) == 35
        assert issue.url == f"{fake.url}/repos/{REPO}/issues/1"
        assert all(r.path.startswith("/api/v3/") for r in fake.requests())
        assert fake.requests("GET", r"/labels$")[1].query == {"page": ["2"]}
        outside = requests.get(fake.url.removesuffix("/api/v3") + f"/repos/{REPO}", timeout=5)
        assert outside.status_code == 404
        gh.close()
        assert fake.schema_errors == []


def test_fixture_world(fake_github: FakeGitHub, github_client: Github) -> None:
    repo = github_client.get_repo(REPO)
    assert (repo.owner.login, repo.owner.type, repo.private, repo.default_branch) == (
        "acme",
        "Organization",
        False,
        "main",
    )
    assert github_client.get_user("alice").name == "Alice Example"
    assert github_client.get_user(BOT).type == "Bot"
