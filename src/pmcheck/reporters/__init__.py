"""Reporters turn a run's results into text for people or machines; one function per format."""

from __future__ import annotations

from collections.abc import Callable

from pmcheck.reporters import github, jsonout, markdown, sarif, text
from pmcheck.run import RunResult

Reporter = Callable[[RunResult], str]

REPORTERS: dict[str, Reporter] = {
    "text": text.render,
    "json": jsonout.render,
    "markdown": markdown.render,
    "github": github.render,
    "sarif": sarif.render,
}


def register(name: str, reporter: Reporter) -> None:
    REPORTERS[name] = reporter
