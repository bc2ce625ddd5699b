"""The HTTP side of the fake: a threaded server and the path every request takes through it.

fault rules -> token -> primary rate limit -> route -> 404 / write permission -> handler
-> log, validate, send
"""

from __future__ import annotations

import json
import socket
import sys
import time
import traceback
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qs, unquote, urlsplit

from . import issues as _issues  # noqa: F401  (registers the issue routes)
from . import pulls_write as _pulls_write  # extension: registers POST/GET /pulls (not in the spec)
from . import repos as _repos  # noqa: F401  (registers the other routes)
from . import schema
from .routing import DOCS, ApiError, Reply, Request, Route, find_route
from .state import WRITE_METHODS

if TYPE_CHECKING:
    from .server import FakeGitHub

RATE_LIMIT_DOCS = "https://docs.github.com/rest/using-the-rest-api/rate-limits-for-the-rest-api"


@dataclass(frozen=True)
class RecordedRequest:
    """One request as the fake saw it, and what it answered (`status` None: connection dropped)."""

    method: str
    path: str
    api_path: str
    query: dict[str, list[str]]
    body: Any
    headers: dict[str, str]
    status: int | None
    response: Any
    operation: str | None
    faulted: bool


class HTTPServer(ThreadingHTTPServer):
    """Listens on 127.0.0.1 at a free port; one thread per connection."""

    daemon_threads = True

    def __init__(self, dispatcher: Dispatcher) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.dispatcher = dispatcher

    def handle_error(self, request: Any, client_address: Any) -> None:
        """Stay quiet when a client hung up first (e.g. its timeout ran out during an injected delay)."""
        if not isinstance(sys.exc_info()[1], OSError):
            super().handle_error(request, client_address)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "GitHub.com"
    sys_version = ""
    timeout = 30
    wbufsize = -1  # headers and body leave in one send (no Nagle / delayed-ACK stalls)
    server: HTTPServer

    def setup(self) -> None:
        super().setup()
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def do_GET(self) -> None:
        self.server.dispatcher.handle(self)

    do_POST = do_PATCH = do_PUT = do_DELETE = do_GET

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet: the fake keeps its own request log."""


class Dispatcher:
    """Runs requests against a `FakeGitHub`'s state, fault rules, rate limits and log."""

    def __init__(self, fake: FakeGitHub) -> None:
        self.fake = fake

    def handle(self, handler: BaseHTTPRequestHandler) -> None:
        """Read one request, pass it through the pipeline, then answer (or hang up on) the client."""
        method = handler.command
        length = int(handler.headers.get("content-length") or 0)
        raw = handler.rfile.read(length) if length else b""
        split = urlsplit(handler.path)
        headers = {name.lower(): value for name, value in handler.headers.items()}
        req = Request(
            method=method,
            path=split.path,
            api_path="",
            segments=[],
            query=parse_qs(split.query, keep_blank_values=True),
            body=None,
            headers=headers,
        )
        bad_json = False
        if raw:
            try:
                req.body = json.loads(raw)
            except ValueError:
                bad_json = True
        with self.fake.lock:
            fault = next((f for f in self.fake.faults if f.matches(method, req.path) and f.trigger()), None)
        if fault is not None and fault.delay:
            time.sleep(fault.delay)
        route: Route | None = None
        reply: Reply | None = None
        with self.fake.lock:
            if fault is None or fault.process:
                reply, route = self._serve(req, bad_json)
            else:
                self._authenticate(req)
                route = self._route_of(req)
            if fault is not None:
                reply = None if fault.drop else Reply(fault.status, fault.body, dict(fault.headers))
                if reply is not None:
                    reply.headers = self._bucket_headers(req) | reply.headers
            self._record(req, reply, route, fault is not None)
        if reply is None:
            handler.close_connection = True
            return
        self._send(handler, reply)

    def _authenticate(self, req: Request) -> bool:
        """Attach the token to `req`; False for a token GitHub would not know."""
        scheme, _, value = req.headers.get("authorization", "").partition(" ")
        if not scheme:
            return True
        req.token = (
            self.fake.state.tokens.get(value.strip()) if scheme.lower() in ("token", "bearer") else None
        )
        return req.token is not None

    def _route_of(self, req: Request) -> Route | None:
        if req.path != self.fake.prefix and not req.path.startswith(self.fake.prefix + "/"):
            return None
        req.api_path = req.path[len(self.fake.prefix) :] or "/"
        req.segments = [unquote(part) for part in req.api_path.strip("/").split("/")]
        found = find_route(req.method, req.segments)
        return found[0] if found else None

    def _bucket_headers(self, req: Request) -> dict[str, str]:
        identity, kind = (req.token.value, req.token.kind) if req.token else ("", "")
        resource = "search" if req.segments[:1] == ["search"] else "core"
        return self.fake.limits.bucket(identity, kind, resource).headers()

    def _serve(self, req: Request, bad_json: bool) -> tuple[Reply, Route | None]:
        known = self._authenticate(req)
        route = self._route_of(req)
        if not known:
            reply = ApiError(401, "Bad credentials").reply(DOCS)
            reply.headers |= self._bucket_headers(req)
            return reply, route
        identity, kind = (req.token.value, req.token.kind) if req.token else ("", "")
        bucket = self.fake.limits.bucket(
            identity, kind, "search" if req.segments[:1] == ["search"] else "core"
        )
        if req.api_path == "/rate_limit":  # free of charge, as on GitHub
            reply = self._run(route, req, bad_json)
        elif bucket.remaining == 0:
            reply = self._primary_limit_reply(req)
        else:
            bucket.used += 1
            reply = self._run(route, req, bad_json)
        reply.headers |= bucket.headers()
        return reply, route

    def _primary_limit_reply(self, req: Request) -> Reply:
        if req.token is None:
            who = "127.0.0.1. (But here's the good news: Authenticated requests get a higher rate limit.)"
        elif req.token.kind == "app":
            who = "installation ID 1."
        else:
            who = f"user ID {self.fake.state.ensure_user(req.token.login).id}."
        return ApiError(self.fake.primary_limit_status, f"API rate limit exceeded for {who}").reply(
            RATE_LIMIT_DOCS
        )

    def _run(self, route: Route | None, req: Request, bad_json: bool) -> Reply:
        if route is None:
            return ApiError(404, "Not Found").reply(DOCS)
        found = route.match(req.method, req.segments)
        assert found is not None
        try:
            if bad_json:
                raise ApiError(400, "Problems parsing JSON")
            if "owner" in found and "repo" in found:
                self.fake.api.repo(req, found["owner"], found["repo"])  # 404 before 401/403, like GitHub
            if req.method in WRITE_METHODS:
                self._authorize_write(route, req)
            return route.handler(self.fake.api, req, **found)
        except ApiError as error:
            return error.reply(route.doc)
        except Exception:
            self.fake.internal_errors.append(traceback.format_exc())
            return ApiError(500, "Server Error").reply(route.doc)

    @staticmethod
    def _authorize_write(route: Route, req: Request) -> None:
        if req.token is None:
            raise ApiError(401, "Requires authentication")
        if not req.token.can_write(route.scopes):
            accepted = "; ".join(f"{scope}=write" for scope in route.scopes)
            raise ApiError(
                403,
                "Resource not accessible by integration",
                headers={"x-accepted-github-permissions": accepted},
            )

    def _record(self, req: Request, reply: Reply | None, route: Route | None, faulted: bool) -> None:
        self.fake.log.append(
            RecordedRequest(
                method=req.method,
                path=req.path,
                api_path=req.api_path,
                query=req.query,
                body=req.body,
                headers=req.headers,
                status=None if reply is None else reply.status,
                response=None if reply is None else reply.body,
                operation=route.operation if route else None,
                faulted=faulted,
            )
        )
        if self.fake.validate and route is not None:
            self._validate(req, reply, route)

    def _validate(self, req: Request, reply: Reply | None, route: Route) -> None:
        where = f"{req.method} {req.path}"
        if route.operation in _pulls_write.OPERATIONS:  # extension: not in the spec, checked by its module
            status, body = (None, None) if reply is None else (reply.status, reply.body)
            problems = _pulls_write.check(req.method, req.body, status, body)
            self.fake.schema_errors += [_shorten(f"{where}: {e}") for e in problems]
            return
        if req.method in WRITE_METHODS and req.body is not None:
            problems = schema.check_request(req.method, route.template, req.body)
            self.fake.schema_errors += [_shorten(f"request {where}: {e}") for e in problems]
        if reply is not None:
            problems = schema.check_response(req.method, route.template, reply.status, reply.body)
            self.fake.schema_errors += [_shorten(f"response {reply.status} {where}: {e}") for e in problems]

    @staticmethod
    def _send(handler: BaseHTTPRequestHandler, reply: Reply) -> None:
        data = b"" if reply.body is None else json.dumps(reply.body).encode()
        handler.send_response(reply.status)
        if data:
            handler.send_header("content-type", "application/json; charset=utf-8")
        handler.send_header("x-github-media-type", "github.v3; format=json")
        handler.send_header("x-github-api-version-selected", "2022-11-28")
        for name, value in reply.headers.items():
            handler.send_header(name, value)
        handler.send_header("content-length", str(len(data)))
        handler.end_headers()
        handler.wfile.write(data)


def _shorten(text: str, limit: int = 300) -> str:
    return text if len(text) <= limit else f"{text[:limit]}... ({len(text)} characters)"
