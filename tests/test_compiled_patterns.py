"""A rule's token patterns find exactly what spaCy's own Matcher finds, while asking far fewer
extension questions: only a matching pattern's own ``_`` conditions, of its own tokens, until one fails.

Sentences written for these tests.
"""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest
from spacy.matcher import Matcher
from spacy.tokens import Doc

from pmcheck.nlp import extensions
from pmcheck.nlp.compiled import compiled, spans
from pmcheck.nlp.matching import DEFAULT_MODELS
from pmcheck.nlp.pipeline import load_pipeline
from pmcheck.packpath import builtin_pack_dir
from pmcheck.rulepack import load_pack

SENTENCES = [
    "Alice forgot to renew the certificate before the weekend.",
    "The engineer did not notify the control room until noon.",
    "We had just broken production when the pager went off.",
    "I took the whole site down with one command.",
    "Bob's commit broke the build for every team.",
    "The deploy tool skipped the canary stage because of a config flag.",
    "Nobody forgot anything: the runbook was missing a step.",
    "The on-call engineer never acknowledged the page, so it escalated twice.",
    "They rushed the migration and did not check the replicas.",
    "Sam misread the dashboard and restarted the wrong cluster.",
]

# Conditions at the start, after a quantifier (counted from the end), and on a quantified token.
PATTERNS: list[list[dict[str, Any]]] = [
    [{"LEMMA": {"IN": ["forget", "misread", "skip"]}, "_": {"person_subject": True, "negated": False}}],
    [
        {"LOWER": {"IN": ["did", "never"]}},
        {"LOWER": {"IN": ["not", "n't"]}, "OP": "?"},
        {"POS": "VERB", "_": {"person_subject": True, "verb_negated": True}},
        {"POS": {"IN": ["DET", "NOUN"]}},
    ],
    [{"LOWER": {"IN": ["i", "we"]}}, {"LEMMA": "have"}, {"POS": "ADV", "OP": "*"}, {"LOWER": "broken"}],
    [
        {"LEMMA": "take", "_": {"person_subject": True}},
        {"OP": "{0,3}", "_": {"negated": False}},
        {"LOWER": "down"},
    ],
    [{"LEMMA": "break", "_": {"owner_subject": True}}, {"POS": "DET", "OP": "?"}],
    [{"LEMMA": "skip", "_": {"person_subject": False}}],
]


@pytest.fixture(scope="module")
def nlp() -> Any:
    loaded = load_pipeline(DEFAULT_MODELS)
    extensions.register()
    return loaded


def rule(patterns: list[list[dict[str, Any]]], rule_id: str) -> Any:
    options = SimpleNamespace(patterns=patterns)
    return SimpleNamespace(
        pack="test",
        id=rule_id,
        name="test.rule",
        source="test.yml",
        kind=SimpleNamespace(name="nlp-tokens"),
        options=options,
    )


def spacy_spans(nlp: Any, patterns: list[list[dict[str, Any]]], doc: Doc) -> set[tuple[int, int]]:
    matcher = Matcher(nlp.vocab)
    matcher.add("whole", patterns)
    return {(start, end) for _key, start, end in matcher(doc)}


def overlapping_removed(found: set[tuple[int, int]]) -> list[tuple[int, int]]:
    kept: list[tuple[int, int]] = []
    for start, end in sorted(found, key=lambda item: (item[0], -(item[1] - item[0]))):
        if not any(start < k_end and k_start < end for k_start, k_end in kept):
            kept.append((start, end))
    return kept


@pytest.mark.parametrize("index", range(len(PATTERNS)))
def test_each_pattern_finds_what_spacy_finds(nlp: Any, index: int) -> None:
    pattern = PATTERNS[index]
    patterns = compiled(rule([pattern], f"T{index:03}"), nlp)
    found_any = False
    for doc in nlp.pipe(SENTENCES):
        expected = overlapping_removed(spacy_spans(nlp, [pattern], doc))
        assert spans(patterns, doc) == expected, doc.text
        found_any = found_any or bool(expected)
    assert found_any or index == len(PATTERNS) - 1, (
        "the pattern matches none of the sentences: it tests nothing"
    )


def test_all_patterns_of_a_rule_together_find_what_spacy_finds(nlp: Any) -> None:
    patterns = compiled(rule(PATTERNS, "T100"), nlp)
    total = 0
    for doc in nlp.pipe(SENTENCES):
        expected = overlapping_removed(spacy_spans(nlp, PATTERNS, doc))
        assert spans(patterns, doc) == expected, doc.text
        total += len(expected)
    assert total >= 5


def test_the_shipped_blame_rules_find_what_spacy_finds(nlp: Any) -> None:
    pack = load_pack(builtin_pack_dir() / "blame.yml")
    token_rules = [r for r in pack.rules if r.kind.name in ("nlp-tokens", "nlp-dependency")]
    assert len(token_rules) >= 10
    for shipped in token_rules:
        patterns = compiled(shipped, nlp)
        for doc in nlp.pipe(SENTENCES):
            expected = overlapping_removed(
                {(min(ids), max(ids) + 1) for _key, ids in patterns.matcher(doc)}
                if shipped.kind.name == "nlp-dependency"
                else {(start, end) for _key, start, end in patterns.matcher(doc)}
            )
            assert spans(patterns, doc) == expected, (shipped.id, doc.text)


def test_a_condition_is_asked_only_of_the_token_it_belongs_to(nlp: Any) -> None:
    pattern = [{"LEMMA": "forget", "_": {"negated": False}}, {"LOWER": "to"}, {"POS": "VERB"}]
    patterns = compiled(rule([pattern], "T200"), nlp)
    doc = nlp("Alice forgot to renew the certificate before the weekend.")
    assert spans(patterns, doc) == [(1, 4)]
    answers = doc.user_data.get("pmcheck_answers", {})
    assert set(answers) == {("negated", 1)}, "only 'forgot' was asked, and only what its pattern asks"


def test_a_failing_condition_stops_the_others(nlp: Any) -> None:
    pattern = [{"LEMMA": "forget", "_": {"negated": True, "person_subject": True, "owner_subject": True}}]
    patterns = compiled(rule([pattern], "T201"), nlp)
    doc = nlp("Alice forgot to renew the certificate before the weekend.")
    assert spans(patterns, doc) == []
    answers = doc.user_data.get("pmcheck_answers", {})
    assert 1 <= len(answers) < 3, "after the first condition that failed, no other was asked"
