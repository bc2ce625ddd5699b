"""Settings types as plain frozen dataclasses, validated by pydantic only where input is not yet known-valid.

The config's sections, the rule packs' entries and every rule kind's options are dataclasses: a run
whose packs and config are already validated (the shipped packs kept in their validated form, the
defaults) builds them without importing pydantic (~0.15 s of a one-document run). Where input comes
from a file a user wrote, :func:`validated` checks it with a pydantic ``TypeAdapter`` over the same
dataclasses: constraints and descriptions sit in each field's ``metadata`` (:func:`about`), extra keys
are refused (:data:`FORBID_EXTRA`), and :class:`Before`/:class:`After` run a plain function in
pydantic's place. :func:`problems` words every error as pydantic does for a model.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:
    from pydantic import GetCoreSchemaHandler, ValidationError, ValidationInfo
    from pydantic_core import CoreSchema

T = TypeVar("T")
Location = tuple[str | int, ...]

FORBID_EXTRA = {"extra": "forbid"}
"""Put as ``__pydantic_config__`` in a settings dataclass: a key it does not name is an error."""


def about(description: str | None = None, **constraints: object) -> dict[str, object]:
    """A field's ``metadata``: its description (schema, docs) and pydantic's constraints (``ge=1``...)."""
    return {"description": description, **constraints} if description is not None else constraints


class Before:
    """``Annotated[T, Before(f)]``: ``f`` reads the raw value before it is validated as ``T``."""

    def __init__(self, function: Callable[[Any], Any]) -> None:
        self.function = function

    def __get_pydantic_core_schema__(self, source: Any, handler: GetCoreSchemaHandler) -> CoreSchema:
        from pydantic_core import core_schema

        return core_schema.no_info_before_validator_function(self.function, handler(source))


class After:
    """``Annotated[T, After(f)]``: ``f(value, info)`` checks the validated value (``info.context`` holds
    what :func:`validated` was given); a ``ValueError`` it raises is the field's error."""

    def __init__(self, function: Callable[[Any, ValidationInfo], Any]) -> None:
        self.function = function

    def __get_pydantic_core_schema__(self, source: Any, handler: GetCoreSchemaHandler) -> CoreSchema:
        from pydantic_core import core_schema

        return core_schema.with_info_after_validator_function(self.function, handler(source))


_ADAPTERS: dict[type[Any], Any] = {}


def _adapter(kind: type[Any]) -> Any:
    """pydantic's validator of ``kind``, built once per process (imports pydantic the first time)."""
    if kind not in _ADAPTERS:
        from pydantic import TypeAdapter

        _ADAPTERS[kind] = TypeAdapter(kind)
    return _ADAPTERS[kind]


def validated(kind: type[T], data: object, *, context: dict[str, object] | None = None) -> T:
    """``data`` as a ``kind``; raises pydantic's ``ValidationError`` (read it with :func:`problems`)."""
    value: T = _adapter(kind).validate_python(data, context=context)
    return value


def schema_of(kind: type[Any]) -> dict[str, Any]:
    """The JSON Schema of a settings type, for editors."""
    schema: dict[str, Any] = _adapter(kind).json_schema()
    return schema


def validation_error() -> type[ValidationError]:
    from pydantic import ValidationError

    return ValidationError


# A dataclass words two errors unlike a model; a user reads the model's words, as before.
_WORDING = {
    "unexpected_keyword_argument": "Extra inputs are not permitted",
    "dataclass_type": "Input should be a valid dictionary or instance of {class_name}",
}


def problems(error: ValidationError) -> list[tuple[Location, str]]:
    """Each problem's location (keys and indexes) and message."""
    found = []
    for item in error.errors():
        location = tuple(part for part in item["loc"] if isinstance(part, (str, int)))
        wording = _WORDING.get(item["type"])
        message = wording.format(**item.get("ctx", {})) if wording else item["msg"]
        found.append((location, message))
    return found


def values(settings: object) -> dict[str, Any]:
    """A settings dataclass as plain values (what a config merges its options over, and docs show)."""
    return dataclasses.asdict(settings)  # type: ignore[call-overload, no-any-return]
