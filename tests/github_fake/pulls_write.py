"""Extension: open and list pull requests (``POST`` and ``GET /repos/{owner}/{repo}/pulls``).

Neither operation is in the OpenAPI subset, so their routes live in ``routing.EXTENSION_ROUTES``
(the contract test compares ``ROUTES`` alone with the spec) and the dispatcher checks their traffic
with :func:`check` instead of the spec's operations: request bodies against the documented fields,
pull requests against the spec's ``pull-request`` component, errors against ``validation-error`` /
``basic-error``. Pull requests share the issues' number sequence, as on GitHub.

GitHub knows the repository's branches; the fake only does when a test links a git repository to it
(:func:`link_git`, typically the bare ``origin`` the code under test pushes to). Then head and base must
be branches there (422 otherwise), and ``head.sha``, ``base.sha`` and the files (``GET .../files``)
come from git and follow later pushes to the branch (refreshed when pull requests are listed or
opened). Unlinked, any branch name is accepted and the shas are made up.
"""

from __future__ import annotations

import hashlib
import subprocess
import weakref
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from openapi_schema_validator import OAS30WriteValidator, oas30_format_checker

from . import schema
from .issues import body_object, invalid_type, text_field
from .routing import DOCS, EXTENSION_ROUTES, Api, ApiError, Handler, Reply, Request, Route, validation_failed
from .state import Issue, PullFile, PullRequest, Repo, State

if TYPE_CHECKING:
    from .server import FakeGitHub

PULLS = "/repos/{owner}/{repo}/pulls"
SUCCESS = {"pulls/create": 201, "pulls/list": 200}
OPERATIONS = frozenset(SUCCESS)
STATES = ("open", "closed", "all")
FILE_STATUS = {"A": "added", "M": "modified", "D": "removed", "T": "changed"}
# The documented body of "Create a pull request" (docs.github.com/rest/pulls/pulls#create-a-pull-request).
CREATE_BODY: dict[str, Any] = {
    "type": "object",
    "required": ["head", "base"],
    "properties": {
        "title": {"type": "string"},
        "head": {"type": "string"},
        "head_repo": {"type": "string"},
        "base": {"type": "string"},
        "body": {"type": "string"},
        "maintainer_can_modify": {"type": "boolean"},
        "draft": {"type": "boolean"},
        "issue": {"type": "integer"},
    },
}

# Linked git repositories, per fake (its State) and repository full name (lower case).
_GIT: weakref.WeakKeyDictionary[State, dict[str, Path]] = weakref.WeakKeyDictionary()


def link_git(fake: FakeGitHub, repo: str, git_dir: Path) -> None:
    """Let ``repo``'s pull requests see the branches of the git repository at ``git_dir``."""
    with fake.lock:
        _GIT.setdefault(fake.state, {})[fake.repo(repo).full_name.lower()] = Path(git_dir)


def _route(
    method: str, operation: str, doc: str, *, scopes: tuple[str, ...] = ()
) -> Callable[[Handler], Handler]:
    def register(handler: Handler) -> Handler:
        EXTENSION_ROUTES.append(Route(method, PULLS, operation, f"{DOCS}/{doc}", scopes, handler))
        return handler

    return register


@_route("POST", "pulls/create", "pulls/pulls#create-a-pull-request", scopes=("pull_requests",))
def create_pull(api: Api, req: Request, owner: str, repo: str) -> Reply:
    found = api.repo(req, owner, repo)
    data = body_object(req)
    for name in ("head", "base", "title"):
        if data.get(name) is None or data.get(name) == "":
            raise validation_failed("PullRequest", name, "missing_field")
        if not isinstance(data[name], str):
            raise invalid_type(name, data[name], "a string")
    body = text_field(data, "body", resource="PullRequest")
    draft = data.get("draft", False)
    if not isinstance(draft, bool):
        raise invalid_type("draft", draft, "a boolean")
    head_owner, _, head_ref = str(data["head"]).rpartition(":")
    base_ref = str(data["base"])
    if head_owner and head_owner.lower() != found.owner.lower():
        raise validation_failed("PullRequest", "head", "invalid")  # forks are not modelled
    if any(
        i.pull.head_ref == head_ref and i.pull.base_ref == base_ref
        for i in found.issues.values()
        if i.pull is not None and i.state == "open"
    ):
        raise _custom(f"A pull request already exists for {found.owner}:{head_ref}.")
    head_sha, base_sha = _sha(api.state, found, head_ref, "head"), _sha(api.state, found, base_ref, "base")
    if head_ref == base_ref or _contains(api.state, found, base_ref, head_ref):
        raise _custom(f"No commits between {base_ref} and {head_ref}")
    number = found.next_number()
    now = api.state.clock.now()
    pull = PullRequest(
        id=api.state.new_id("pull"),
        head_sha=head_sha,
        base_sha=base_sha,
        merge_sha=f"{number:x}".rjust(40, "c"),
        head_ref=head_ref,
        base_ref=base_ref,
        draft=draft,
    )
    issue = Issue(
        id=api.state.new_id("issue"),
        number=number,
        title=str(data["title"]),
        body=body,
        user=req.actor or "ghost",
        created_at=now,
        updated_at=now,
        pull=pull,
    )
    found.issues[number] = issue
    _refresh(api.state, found, issue)
    rendered = api.render.pull(found, issue)
    return Reply(201, rendered, {"location": rendered["url"]})


@_route("GET", "pulls/list", "pulls/pulls#list-pull-requests")
def list_pulls(api: Api, req: Request, owner: str, repo: str) -> Reply:
    found = api.repo(req, owner, repo)
    state = req.param("state", "open")
    if state not in STATES:
        raise validation_failed("PullRequest", "state", "invalid", value=state)
    pulls = [i for i in found.issues.values() if i.pull is not None and state in ("all", i.state)]
    head = req.param("head") or ""
    if ":" in head:  # GitHub ignores a head without its "owner:" prefix
        head_owner, _, head_ref = head.partition(":")
        pulls = [
            i
            for i in pulls
            if head_owner.lower() == found.owner.lower()
            and i.pull is not None
            and i.pull.head_ref == head_ref
        ]
    base = req.param("base")
    if base:
        pulls = [i for i in pulls if i.pull is not None and i.pull.base_ref == base]
    sort = req.param("sort", "created")
    direction = req.param("direction", "desc" if sort == "created" else "asc")
    pulls.sort(
        key=lambda i: (i.updated_at if sort == "updated" else i.created_at, i.number),
        reverse=direction == "desc",
    )
    for issue in pulls:
        _refresh(api.state, found, issue)
    return api.page(req, pulls, lambda i: api.render.pull(found, i))


def check(method: str, request_body: Any, status: int | None, reply_body: Any) -> list[str]:
    """Problems with one request to an extension route and its reply (``status`` None: no reply)."""
    problems = []
    if method == "POST" and request_body is not None:
        validator = OAS30WriteValidator(CREATE_BODY, format_checker=oas30_format_checker)
        problems += [f"request {e}" for e in schema.errors(validator, request_body)]
    if status is None:
        return problems
    if status >= 400:
        name = "validation-error" if status == 422 else "basic-error"
        return problems + [
            f"response {e}" for e in schema.errors(schema.component_validator(name), reply_body)
        ]
    operation = "pulls/create" if method == "POST" else "pulls/list"
    if status != SUCCESS[operation]:
        return [*problems, f"response <root>: status {status} is not what {operation} answers"]
    items = reply_body if isinstance(reply_body, list) else [reply_body]
    if operation == "pulls/list" and not isinstance(reply_body, list):
        problems.append("response <root>: a list of pull requests was expected")
    validator = schema.component_validator("pull-request")
    for index, item in enumerate(items):
        problems += [f"response {index}/{e}" for e in schema.errors(validator, item)]
    return problems


# git-backed branches


def _custom(message: str) -> ApiError:
    return ApiError(
        422, "Validation Failed", errors=[{"resource": "PullRequest", "code": "custom", "message": message}]
    )


def _git(state: State, repo: Repo, *args: str) -> subprocess.CompletedProcess[str] | None:
    git_dir = _GIT.get(state, {}).get(repo.full_name.lower())
    if git_dir is None:
        return None
    return subprocess.run(
        ["git", f"--git-dir={git_dir}", *args], capture_output=True, text=True, check=False, timeout=30
    )


def _sha(state: State, repo: Repo, ref: str, field_name: str) -> str:
    """The branch's commit in the linked repository (422 when there is no such branch), else made up."""
    done = _git(state, repo, "rev-parse", "--verify", "--quiet", f"refs/heads/{ref}^{{commit}}")
    if done is None:
        return hashlib.sha1(f"{field_name}:{ref}".encode()).hexdigest()
    if done.returncode != 0:
        raise validation_failed("PullRequest", field_name, "invalid")
    return done.stdout.strip()


def _contains(state: State, repo: Repo, base: str, head: str) -> bool:
    """True when every commit of ``head`` is already on ``base`` (only known for a linked repository)."""
    done = _git(state, repo, "merge-base", "--is-ancestor", f"refs/heads/{head}", f"refs/heads/{base}")
    return done is not None and done.returncode == 0


def _refresh(state: State, repo: Repo, issue: Issue) -> None:
    """Follow pushes: the head's current commit and the files changed since the merge base."""
    pull = issue.pull
    if pull is None or issue.state != "open":
        return
    head = _git(state, repo, "rev-parse", "--verify", "--quiet", f"refs/heads/{pull.head_ref}^{{commit}}")
    if head is None or head.returncode != 0:
        return
    pull.head_sha = head.stdout.strip()
    span = f"refs/heads/{pull.base_ref}...{pull.head_sha}"
    names = _git(state, repo, "diff", "--no-renames", "--name-status", "-z", span)
    counts = _git(state, repo, "diff", "--no-renames", "--numstat", "-z", span)
    if names is None or counts is None or names.returncode or counts.returncode:
        return
    statuses = names.stdout.split("\0")
    status_of = dict(zip(statuses[1::2], statuses[0::2], strict=False))
    files = []
    for entry in filter(None, counts.stdout.split("\0")):
        added, deleted, filename = entry.split("\t", 2)
        files.append(
            PullFile(
                filename=filename,
                status=FILE_STATUS.get(status_of.get(filename, "M"), "modified"),
                additions=int(added) if added.isdigit() else 0,
                deletions=int(deleted) if deleted.isdigit() else 0,
            )
        )
    pull.files = files
