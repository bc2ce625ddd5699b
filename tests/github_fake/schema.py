"""Check JSON bodies against GitHub's OpenAPI 3.0 description (the subset kept beside this module).

The spec is `openapi-subset.json` beside this module (source and MIT licence in `OPENAPI-LICENSE.md`);
`$PMCHECK_GITHUB_OPENAPI` points at another copy, e.g. a newer cut of GitHub's description.
"""

from __future__ import annotations

import copy
import functools
import json
import os
from pathlib import Path
from typing import Any

from openapi_schema_validator import OAS30ReadValidator, OAS30WriteValidator, oas30_format_checker

SPEC_NAME = "openapi-subset.json"


def spec_path() -> Path:
    """Where the spec file is; FileNotFoundError naming every place tried when it is nowhere."""
    candidates = (
        [Path(os.environ["PMCHECK_GITHUB_OPENAPI"])] if os.environ.get("PMCHECK_GITHUB_OPENAPI") else []
    )
    here = Path(__file__).resolve()
    candidates.append(here.with_name(SPEC_NAME))
    for candidate in candidates:
        if candidate.is_file():
            return candidate
    raise FileNotFoundError(f"{SPEC_NAME} not found; tried: {', '.join(map(str, candidates))}")


@functools.cache
def spec() -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(spec_path().read_text(encoding="utf-8"))
    return loaded


def _relax(node: Any) -> None:
    """Two literal readings of GitHub's description that real responses contradict.

    A `nullable` enum without null (check-run `conclusion`) gets null added, since api.github.com returns
    null there; a `discriminator` without `mapping` over inline `oneOf` members (POST check-runs) is
    dropped, because the validator would look for a component named after the value (the oneOf stays).
    """
    if isinstance(node, dict):
        if node.get("nullable") is True and isinstance(node.get("enum"), list) and None not in node["enum"]:
            node["enum"] = [*node["enum"], None]
        members = node.get("oneOf") or node.get("anyOf") or []
        discriminator = node.get("discriminator")
        if discriminator and "mapping" not in discriminator and any("$ref" not in m for m in members):
            del node["discriminator"]
        for value in node.values():
            _relax(value)
    elif isinstance(node, list):
        for value in node:
            _relax(value)


@functools.cache
def _components() -> dict[str, Any]:
    components: dict[str, Any] = copy.deepcopy(spec()["components"])
    _relax(components)
    return components


def _deref(obj: Any) -> Any:
    while isinstance(obj, dict) and "$ref" in obj:
        target: Any = spec()
        for part in obj["$ref"].removeprefix("#/").split("/"):
            target = target[part]
        obj = target
    return obj


def _validator(cls: Any, schema: dict[str, Any]) -> Any:
    schema = copy.deepcopy(schema)
    _relax(schema)
    # The components sit beside the schema so every "#/components/..." reference resolves in one document.
    return cls({**schema, "components": _components()}, format_checker=oas30_format_checker)


def operation(method: str, template: str) -> dict[str, Any]:
    """The spec's operation object, e.g. ("GET", "/repos/{owner}/{repo}")."""
    found: dict[str, Any] = spec()["paths"][template][method.lower()]
    return found


def operations() -> list[tuple[str, str, str]]:
    """Every (METHOD, path template, operationId) in the spec."""
    return [
        (method.upper(), template, op["operationId"])
        for template, item in spec()["paths"].items()
        for method, op in item.items()
        if isinstance(op, dict) and "operationId" in op
    ]


@functools.cache
def response_validator(method: str, template: str, status: int) -> Any | None:
    """Validator for a documented JSON response; None when that status has no JSON body (e.g. 204)."""
    response = _deref(operation(method, template)["responses"][str(status)])
    media = response.get("content", {}).get("application/json")
    return None if media is None else _validator(OAS30ReadValidator, media["schema"])


@functools.cache
def component_validator(name: str) -> Any:
    return _validator(OAS30ReadValidator, {"$ref": f"#/components/schemas/{name}"})


@functools.cache
def request_validator(method: str, template: str) -> Any | None:
    body = operation(method, template).get("requestBody")
    if body is None:
        return None
    return _validator(OAS30WriteValidator, _deref(body)["content"]["application/json"]["schema"])


def errors(validator: Any, instance: Any) -> list[str]:
    return [
        f"{'/'.join(map(str, e.absolute_path)) or '<root>'}: {e.message}"
        for e in validator.iter_errors(instance)
    ]


def check_response(method: str, template: str, status: int, body: Any) -> list[str]:
    """Problems with a response body: against the documented status, else against GitHub's error shapes.

    GitHub answers 401/403/404/5xx on operations whose description omits them, so an undocumented
    error status only has to look like a `basic-error` (`validation-error` for 422). An undocumented
    success status is itself a problem.
    """
    documented = operation(method, template)["responses"]
    if str(status) in documented:
        validator = response_validator(method, template, status)
        if validator is None:
            return [] if body is None else [f"<root>: status {status} documents no body, got {body!r:.80}"]
        return errors(validator, body)
    if status < 400:
        return [f"<root>: status {status} is not documented for {method} {template}"]
    name = "validation-error" if status == 422 else "basic-error"
    return errors(component_validator(name), body)


def check_request(method: str, template: str, body: Any) -> list[str]:
    """Problems with a JSON request body against the operation's request schema."""
    validator = request_validator(method, template)
    if validator is None:
        return [] if body is None else [f"<root>: {method} {template} takes no body"]
    return errors(validator, body)
