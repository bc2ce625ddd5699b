"""Reporters turn a run's results into text for people or machines; one function per format.

Each reporter's module is imported when its format is asked for, so a plain text run loads no more.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterator, Mapping
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pmcheck.run_result import RunResult

Reporter = Callable[["RunResult"], str]


class _Reporters(Mapping[str, Reporter]):
    """Format name → reporter; a built-in reporter's module is imported on first use."""

    def __init__(self, modules: dict[str, str]) -> None:
        self._modules = modules
        self._loaded: dict[str, Reporter] = {}

    def __getitem__(self, name: str) -> Reporter:
        if name not in self._loaded:
            module = importlib.import_module(f"pmcheck.formatters.{self._modules[name]}")
            self._loaded[name] = module.render
        return self._loaded[name]

    def __iter__(self) -> Iterator[str]:
        return iter(dict.fromkeys([*self._modules, *self._loaded]))

    def __len__(self) -> int:
        return len(set(self._modules) | set(self._loaded))

    def register(self, name: str, reporter: Reporter) -> None:
        self._loaded[name] = reporter


REPORTERS = _Reporters(
    {"text": "text", "json": "json_findings", "markdown": "markdown", "github": "github", "sarif": "sarif"}
)


def register(name: str, reporter: Reporter) -> None:
    REPORTERS.register(name, reporter)
