"""The pipeline pmcheck loads is faster than spaCy's default and annotates exactly as it does."""

from __future__ import annotations

import random
import subprocess
import sys
import textwrap
from pathlib import Path

import spacy
from spacy.pipeline import AttributeRuler

from pmcheck.nlp.matching import DEFAULT_MODELS
from pmcheck.nlp.pipeline import EXCLUDED_PIPES, LAZY_PIPES, load_pipeline

# Text written for this test: the attribute ruler's word exceptions ("gonna", "ain't", "let's",
# "y'all"), pronoun cases, auxiliaries, "there is", whitespace tokens, and plain incident prose.
TEXTS = [
    "I ain't gonna say it was you, but you'd think we'd have gotta check it first.",
    "Let's see: y'all knew there were three replicas and it was the oldest one that failed.",
    "It told me that the job had not run; I asked it again and  it said  nothing.",
    "The on-call engineer did restart the database, which does happen when the disk fills.\n\nThen?",
    "C'mon, those alerts were paging all night because the threshold was set to 0.5% at 02:14 UTC.",
    "Nobody was careless: the deploy tool accepted a config for the wrong environment without a check.",
]


def _tokens(nlp: spacy.language.Language) -> list[list[tuple[str, ...]]]:
    return [
        [(t.text, t.tag_, t.pos_, str(t.morph), t.lemma_, t.dep_, str(t.head.i)) for t in doc]
        for doc in nlp.pipe(TEXTS)
    ]


def test_annotations_equal_those_of_the_pipeline_as_spacy_loads_it() -> None:
    nlp = load_pipeline(DEFAULT_MODELS)
    name = next(model for model in DEFAULT_MODELS if spacy.util.is_package(model))
    plain = spacy.load(name, exclude=list(EXCLUDED_PIPES), disable=list(LAZY_PIPES))
    plain.add_pipe("pmcheck_lemma_repair", last=True)
    # The rules and patterns, not the vocabulary: that one grows with whatever this process parsed.
    assert nlp.tokenizer.to_bytes(exclude=["vocab"]) == plain.tokenizer.to_bytes(exclude=["vocab"])
    assert _tokens(nlp) == _tokens(plain)


def test_attribute_ruler_matches_are_spacy_matcher_matches() -> None:
    nlp = load_pipeline(DEFAULT_MODELS)
    ruler = nlp.get_pipe("attribute_ruler")
    assert "match" in vars(ruler), "the ruler kept spaCy's matching: its patterns were not understood"
    before = [name for name, _pipe in nlp.pipeline][: nlp.pipe_names.index("attribute_ruler")]
    with nlp.select_pipes(enable=before):
        docs = list(nlp.pipe(TEXTS))
    for doc in docs:
        found = ruler.match(doc)
        assert found == AttributeRuler.match(ruler, doc)
        assert found, "every sentence has tags the ruler maps"


def test_lemmatizer_word_lists_are_sets() -> None:
    lookups = load_pipeline(DEFAULT_MODELS).get_pipe("lemmatizer").lookups
    index = lookups.get_table("lemma_index")
    assert all(isinstance(words, frozenset) for words in index.values())


def test_spacy_loads_without_its_command_line_which_still_imports_when_asked() -> None:
    script = textwrap.dedent(
        """\
        import sys
        from pmcheck.nlp.matching import DEFAULT_MODELS
        from pmcheck.nlp.pipeline import load_pipeline

        nlp = load_pipeline(DEFAULT_MODELS)
        print(sorted(name for name in ("typer", "weasel", "spacy.cli") if name in sys.modules))
        import spacy.cli

        print(callable(spacy.cli.download), [token.lemma_ for token in nlp("They forgot the keys.")])
        """
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert done.stdout.splitlines() == ["[]", "True ['they', 'forget', 'the', 'key', '.']"]


def test_the_pre_filter_passes_exactly_the_sentences_with_a_word_from_each_set_a_pattern_needs() -> None:
    from pmcheck.api import Checker
    from pmcheck.nlp.matching import _meets, rule_requirements

    rules = [rule for rule in Checker().ruleset_for(Path.cwd()).rules if rule.kind.needs_nlp]
    requirements = [found for rule in rules if (found := rule_requirements(rule))]
    assert requirements
    pool = sorted(
        {word for found in requirements for pattern in found for words in pattern for word in words}
    )
    pool += ["the", "deploy", "failed", "at", "night"]
    chooser = random.Random(12)
    tried = met = 0
    for _round in range(3000):
        words = frozenset(chooser.sample(pool, chooser.randint(0, 8)))
        for found in requirements:
            expected = any(all(words & needed for needed in pattern) for pattern in found)
            assert _meets(words, found) == expected, (sorted(words), found)
            tried, met = tried + 1, met + expected
    assert 0 < met < tried


def test_registries_find_the_same_entry_points_while_the_pipeline_loads() -> None:
    import catalogue  # type: ignore[import-untyped]  # no stubs

    from pmcheck.nlp.pipeline import _entry_points_by_group

    available = catalogue.AVAILABLE_ENTRY_POINTS
    groups = {*available.groups, *(f"spacy_{name}" for name in spacy.util.registry.get_registry_names())}
    assert len(available.groups) > 1, "this environment installs entry points of several groups"

    def found() -> dict[str, list[tuple[str, str]]]:
        return {
            group: [
                (point.name, point.value)
                for point in catalogue.Registry((group,), entry_points=True)._get_entry_points()
            ]
            for group in groups
        }

    before = found()
    assert any(before.values())
    with _entry_points_by_group():
        assert catalogue.AVAILABLE_ENTRY_POINTS is not available
        assert found() == before
    assert catalogue.AVAILABLE_ENTRY_POINTS is available
    try:
        with _entry_points_by_group():
            raise ValueError("a load that fails")
    except ValueError:
        pass
    assert catalogue.AVAILABLE_ENTRY_POINTS is available
