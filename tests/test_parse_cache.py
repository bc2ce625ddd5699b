"""Sentences are parsed once per process, whichever document they appear in, with no leaks between them."""

from __future__ import annotations

import textwrap
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from pmcheck.api import Checker
from pmcheck.nlp import parse_cache
from pmcheck.nlp.matching import DEFAULT_MODELS
from pmcheck.nlp.pipeline import load_pipeline

SHARED = "Alice forgot to renew the certificate before the weekend."


def postmortem(title: str, extra: str) -> str:
    return textwrap.dedent(
        f"""\
        # {title}

        The storefront returned errors for forty minutes.

        ## Impact

        Checkout failed for most customers.

        ## Timeline (UTC)

        - 09:12 alerts fired

        ## Root cause

        {SHARED} {extra}
        """
    )


@pytest.fixture
def counted() -> Iterator[list[str]]:
    """Every text the real pipeline is asked to parse while the test runs."""
    nlp = load_pipeline(DEFAULT_MODELS)
    seen: list[str] = []
    original = nlp.pipe

    def pipe(texts: Any, **options: Any) -> Any:
        texts = list(texts)
        seen.extend(texts)
        return original(texts, **options)

    nlp.pipe = pipe  # type: ignore[method-assign]
    try:
        yield seen
    finally:
        nlp.pipe = original  # type: ignore[method-assign]


def test_a_sentence_in_several_documents_is_parsed_once_and_found_in_each(
    tmp_path: Path, counted: list[str]
) -> None:
    unique = f"Later Alice forgot to renew the {tmp_path.name} certificate too."
    for name in ("a", "b", "c"):
        (tmp_path / f"{name}.md").write_text(postmortem(f"Incident {name}", unique))
    reports = Checker(select=["blame"]).check_paths([tmp_path])
    for report in reports:
        assert [(f.line, f.rule_name) for f in report.findings] == [(15, "blame.person-cause")] * 2
    assert counted.count(unique) == 1  # new to this process: parsed for the first document only
    assert counted.count(SHARED) <= 1  # parsed here once, or by an earlier test of this process
    again = Checker(select=["blame"]).check_paths([tmp_path / "a.md"])
    assert again[0].findings == reports[0].findings
    assert counted.count(SHARED) <= 1


def test_each_caller_gets_its_own_copy() -> None:
    nlp = load_pipeline(DEFAULT_MODELS)
    first, second = parse_cache.parse(nlp, ["Priya restarted the primary database.", SHARED])
    first.user_data["marker"] = True
    again = parse_cache.parse(nlp, ["Priya restarted the primary database."])[0]
    assert again is not first and "marker" not in again.user_data
    assert [token.dep_ for token in again] == [token.dep_ for token in first]
    assert "forget" in [token.lemma_ for token in second]
    # Entities recognised on one copy stay on that copy.
    nlp.get_pipe("ner")(first)
    assert not parse_cache.parse(nlp, ["Priya restarted the primary database."])[0].ents
