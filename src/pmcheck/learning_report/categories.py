"""Sort contributing factors into categories (process, tooling, ownership, safeguards...).

A factor belongs to every category one of whose keywords it contains. Words are compared as
lemmas from the English spaCy pipeline, so "alerts", "alerting" and "alerted" all match the keyword
"alert"; keywords are lemmatised the same way, so users may write them in any form. Each distinct
word is lemmatised once, on its own: a whole repository's factors then cost a few thousand tiny
documents instead of a full tagging pass, and a word always gets the same lemma.

When no pipeline loads (or NLP is turned off), words are only lower-cased and the categoriser
says so in its ``note``. Where keywords overlap, the longest wins: "load test" is testing, not
capacity. Users add keywords or whole categories with a YAML mapping (``--categories``).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from pydantic import RootModel

from pmcheck.errors import ConfigError, ModelUnavailableError
from pmcheck.yamlfile import YamlFile, validate

if TYPE_CHECKING:
    from spacy.language import Language

Words = Callable[[Sequence[str]], list[list[str]]]

DEFAULT_CATEGORIES: dict[str, tuple[str, ...]] = {
    "process": (
        "process",
        "procedure",
        "review",
        "reviewer",
        "approval",
        "approve",
        "sign off",
        "checklist",
        "handoff",
        "hand off",
        "handover",
        "escalate",
        "escalation",
        "communication",
        "communicate",
        "coordination",
        "policy",
        "change management",
        "training",
        "onboarding",
        "freeze",
    ),
    "tooling": (
        "tool",
        "tooling",
        "script",
        "pipeline",
        "automation",
        "automate",
        "manual",
        "manually",
        "by hand",
        "cli",
        "ui",
        "interface",
        "diff",
        "console",
    ),
    "ownership": (
        "owner",
        "ownership",
        "unowned",
        "responsible",
        "responsibility",
        "accountable",
        "accountability",
        "dri",
        "split between",
    ),
    "safeguards": (
        "safeguard",
        "guard",
        "guardrail",
        "validation",
        "validate",
        "validator",
        "limit",
        "rate limit",
        "throttle",
        "canary",
        "dry run",
        "timeout",
        "circuit breaker",
        "protection",
        "fail safe",
        "failsafe",
        "staged rollout",
        "confirmation",
        "backoff",
        "coalesce",
        "coalescing",
    ),
    "monitoring": (
        "monitoring",
        "monitor",
        "alert",
        "alerting",
        "page",
        "pager",
        "dashboard",
        "metric",
        "observability",
        "log",
        "logging",
        "trace",
        "tracing",
        "detection",
        "detect",
        "synthetic",
        "health check",
        "slo",
        "notification",
        "notify",
    ),
    "documentation": (
        "documentation",
        "doc",
        "docs",
        "runbook",
        "playbook",
        "wiki",
        "readme",
        "guide",
        "instruction",
        "out of date",
        "outdated",
        "undocumented",
        "documented",
    ),
    "testing": (
        "test",
        "testing",
        "load test",
        "fixture",
        "staging",
        "qa",
        "coverage",
        "integration test",
        "unit test",
        "end to end",
        "chaos",
        "rehearse",
        "rehearsal",
        "drill",
        "game day",
    ),
    "capacity": (
        "capacity",
        "throughput",
        "scale",
        "scaling",
        "autoscaling",
        "quota",
        "resource",
        "cpu",
        "memory",
        "disk",
        "headroom",
        "traffic",
        "saturation",
        "saturate",
        "backlog",
        "exhaust",
        "exhaustion",
        "overload",
        "bottleneck",
        "peak load",
        "high load",
    ),
}
# The pipes the lemmatiser needs; the parser and the entity recogniser only cost time here.
_SKIPPED_PIPES = ("parser", "ner", "textcat")
_WORD = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")


class CategoryFile(RootModel[dict[str, list[str]]]):
    """``--categories`` YAML: ``{category: [keyword, ...]}``, added to the built-in categories."""


@dataclass
class Categoriser:
    """Keyword sequences per category and the way text becomes words (lemmas or lower-cased)."""

    categories: dict[str, tuple[str, ...]]
    words: Words
    method: str
    note: str | None = None
    _index: dict[str, list[tuple[tuple[str, ...], str]]] = field(default_factory=dict, init=False, repr=False)

    def __post_init__(self) -> None:
        phrases = [(name, keyword) for name, keywords in self.categories.items() for keyword in keywords]
        keywords = [keyword for _name, keyword in phrases]
        # Both the keyword as written and its lemmas, so a keyword never fails to match itself.
        for (category, _keyword), raw, normalized in zip(
            phrases, lower_words(keywords), self.words(keywords), strict=True
        ):
            for form in {tuple(raw), tuple(normalized)} - {()}:
                entry = (form, category)
                if entry not in self._index.setdefault(form[0], []):
                    self._index[form[0]].append(entry)

    def classify(self, texts: Sequence[str]) -> list[tuple[str, ...]]:
        """The categories of each text, in the order the categories are defined."""
        order = {name: index for index, name in enumerate(self.categories)}
        return [tuple(sorted(self._match(words), key=order.__getitem__)) for words in self.words(list(texts))]

    def _match(self, words: list[str]) -> set[str]:
        found: list[tuple[int, int, str]] = []
        for start, word in enumerate(words):
            for form, category in self._index.get(word, ()):
                if tuple(words[start : start + len(form)]) == form:
                    found.append((start, start + len(form), category))
        # Longest first; a keyword shared by two categories (same span) counts for both.
        spans: set[tuple[int, int]] = set()
        taken: set[int] = set()
        categories: set[str] = set()
        for start, end, category in sorted(found, key=lambda hit: hit[0] - hit[1]):
            if (start, end) in spans or not taken.intersection(range(start, end)):
                spans.add((start, end))
                taken.update(range(start, end))
                categories.add(category)
        return categories


def merged_categories(extra: Mapping[str, Sequence[str]]) -> dict[str, tuple[str, ...]]:
    """The built-in categories with the user's keywords added (new categories come last)."""
    combined = dict(DEFAULT_CATEGORIES)
    for category, keywords in extra.items():
        # Category names go into URLs and space-separated attribute lists, so they become one word.
        name = re.sub(r"\s+", "-", category.strip().lower())
        combined[name] = combined.get(name, ()) + tuple(keyword for keyword in keywords if keyword.strip())
    return combined


def read_category_file(source: YamlFile) -> dict[str, list[str]]:
    """Validate a parsed ``--categories`` file; problems name the file, line and key."""
    return validate(source, CategoryFile, ConfigError).root


def make_categoriser(
    models: tuple[str, ...] | None, *, extra: Mapping[str, Sequence[str]] | None = None
) -> Categoriser:
    """A lemma-based categoriser when a pipeline loads, else a keyword one that says why.

    ``models=None`` means NLP is turned off in the configuration.
    """
    categories = merged_categories(extra or {})
    if models is None:
        return Categoriser(
            categories,
            lower_words,
            "keywords",
            "NLP is turned off in the configuration, so contributing factors were "
            "categorised by plain keyword matching (word forms must match exactly)",
        )
    from pmcheck.nlp.pipeline import load_pipeline, pipeline_version

    try:
        nlp = load_pipeline(models)
    except ModelUnavailableError as exc:
        return Categoriser(
            categories,
            lower_words,
            "keywords",
            f"contributing factors were categorised by plain keyword matching: {exc}",
        )
    return Categoriser(categories, lemma_words(nlp), f"lemmas ({pipeline_version(models) or 'spaCy'})")


def lower_words(texts: Sequence[str]) -> list[list[str]]:
    """Lower-cased words, without punctuation."""
    return [_WORD.findall(text.lower().replace("’", "'")) for text in texts]


def lemma_words(nlp: Language) -> Words:
    """Words as lower-cased lemmas; each distinct word is lemmatised once and remembered."""
    lemmas: dict[str, str] = {}
    skipped = [name for name in _SKIPPED_PIPES if name in nlp.pipe_names]

    def words(texts: Sequence[str]) -> list[list[str]]:
        tokenized = [
            [token.lower_ for token in nlp.tokenizer(text) if not (token.is_punct or token.is_space)]
            for text in texts
        ]
        unseen = sorted({word for words in tokenized for word in words} - lemmas.keys())
        with nlp.select_pipes(disable=skipped):
            for word, doc in zip(unseen, nlp.pipe(unseen, batch_size=1000), strict=True):
                lemmas[word] = doc[0].lemma_.lower() if len(doc) == 1 and doc[0].lemma_ else word
        return [[lemmas[word] for word in words] for words in tokenized]

    return words
