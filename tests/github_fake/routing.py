"""Requests, replies, GitHub-shaped errors, and the table that maps (method, path) to a handler."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

from .paging import paginate
from .ratelimit import RateLimits
from .render import Renderer
from .state import Issue, Repo, State, Token

DOCS = "https://docs.github.com/rest"
T = TypeVar("T")


@dataclass
class Request:
    method: str
    path: str  # as received, with any Enterprise prefix
    api_path: str  # without the prefix
    segments: list[str]  # api_path split on "/" and percent-decoded
    query: dict[str, list[str]]
    body: Any
    headers: dict[str, str]  # lower-case names
    token: Token | None = None

    def param(self, name: str, default: str | None = None) -> str | None:
        values = self.query.get(name)
        return values[0] if values else default

    @property
    def actor(self) -> str | None:
        return self.token.login if self.token else None


@dataclass
class Reply:
    status: int
    body: Any = None  # JSON-ready; None sends no body
    headers: dict[str, str] = field(default_factory=dict)


class ApiError(Exception):
    """An error answer in GitHub's shape: `message`, `documentation_url`, `status`, maybe `errors`."""

    def __init__(
        self,
        status: int,
        message: str,
        *,
        errors: list[dict[str, Any]] | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(f"{status} {message}")
        self.status = status
        self.message = message
        self.errors = errors
        self.headers = headers or {}

    def reply(self, doc: str) -> Reply:
        body: dict[str, Any] = {"message": self.message, "documentation_url": doc, "status": str(self.status)}
        if self.errors is not None:
            body["errors"] = self.errors
        return Reply(self.status, body, dict(self.headers))


def not_found() -> ApiError:
    return ApiError(404, "Not Found")


def validation_failed(resource: str, field_name: str, code: str, **extra: Any) -> ApiError:
    """422 "Validation Failed" with one entry in `errors` (extra keys such as `message`, `value`)."""
    return ApiError(
        422, "Validation Failed", errors=[{"resource": resource, "field": field_name, "code": code, **extra}]
    )


Handler = Callable[..., Reply]


@dataclass(frozen=True)
class Route:
    """One operation of the spec: `template` as written there, `scopes` that a token may write with."""

    method: str
    template: str
    operation: str
    doc: str
    scopes: tuple[str, ...]
    handler: Handler

    def match(self, method: str, segments: Sequence[str]) -> dict[str, str] | None:
        parts = self.template.strip("/").split("/")
        if method != self.method or len(parts) != len(segments):
            return None
        params: dict[str, str] = {}
        for part, segment in zip(parts, segments, strict=True):
            if part.startswith("{") and part.endswith("}"):
                params[part[1:-1]] = segment
            elif part != segment:
                return None
        return params


ROUTES: list[Route] = []
# Extension: operations the OpenAPI subset lacks (pulls_write), kept out of ROUTES so the contract
# test still compares ROUTES with the spec; the dispatcher validates them with their own module.
EXTENSION_ROUTES: list[Route] = []


def route(
    method: str, template: str, operation: str, doc: str, *, scopes: tuple[str, ...] = ()
) -> Callable[[Handler], Handler]:
    """Register a handler; `doc` is the page under https://docs.github.com/rest/ used in error bodies."""

    def register(handler: Handler) -> Handler:
        ROUTES.append(Route(method, template, operation, f"{DOCS}/{doc}", scopes, handler))
        return handler

    return register


def find_route(method: str, segments: Sequence[str]) -> tuple[Route, dict[str, str]] | None:
    for candidate in (*ROUTES, *EXTENSION_ROUTES):
        params = candidate.match(method, segments)
        if params is not None:
            return candidate, params
    return None


class Api:
    """What handlers work with: the state, the renderer and a few lookups that 404 like GitHub."""

    def __init__(self, state: State, render: Renderer, limits: RateLimits, origin: str) -> None:
        self.state = state
        self.render = render
        self.limits = limits
        self.origin = origin  # scheme://host:port, for Link headers

    def repo(self, req: Request, owner: str, name: str) -> Repo:
        repo = self.state.repo(owner, name)
        if repo is None or (repo.private and req.token is None):
            raise not_found()
        return repo

    @staticmethod
    def issue(repo: Repo, number: str) -> Issue:
        issue = repo.issues.get(int(number)) if number.isdigit() else None
        if issue is None:
            raise not_found()
        return issue

    def has_push(self, req: Request, repo: Repo) -> bool:
        """An installation token (kind "app") writes with the app's access; a user must be a collaborator."""
        if req.token is None:
            return False
        return req.token.kind == "app" or self.state.can_push(repo, req.token.login)

    def page(
        self, req: Request, items: Sequence[T], render: Callable[[T], Any], *, cap: int | None = None
    ) -> Reply:
        """200 with one page of `items` rendered, and the `Link` header when there are more pages."""
        chunk, link = paginate(items, req.query, f"{self.origin}{req.path}", cap=cap)
        return Reply(200, [render(item) for item in chunk], {"link": link} if link else {})
