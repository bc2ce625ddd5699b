"""Run a rule's spaCy matchers over the candidate sentences of a post-mortem.

Parsing happens at most once per sentence per document, shared by every NLP rule; only sentences
that pass some rule's lexical pre-filter are parsed.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from pmcheck.model import Document
from pmcheck.nlp import parse_cache
from pmcheck.nlp.compiled import compiled, spans
from pmcheck.nlp.context import DEFAULT_MODELS as DEFAULT_MODELS
from pmcheck.nlp.context import NlpContext
from pmcheck.nlp.pipeline import load_pipeline
from pmcheck.nlp.sentences import Sentence, lowercase_words, prose_sentences, surface_forms
from pmcheck.postmortem import PostMortem
from pmcheck.rule import Rule

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc, Span

MAX_CANDIDATES = 2000
_LITERAL_ATTRS = ("LEMMA", "LOWER", "ORTH", "TEXT", "NORM")


@dataclass(frozen=True)
class Match:
    span: Span
    location: tuple[int, int, int, int]


def matches(postmortem: PostMortem, rule: Rule, context: NlpContext) -> Iterator[Match]:
    """Every match of the rule's patterns, with its place in the source file."""
    candidates = candidate_sentences(postmortem, rule, context)
    if not candidates:
        return
    nlp = load_pipeline(context.models)
    from pmcheck.nlp import extensions

    extensions.register()
    patterns = compiled(rule, nlp)
    # Parse what every NLP rule of the run will need in one batch, then serve each rule from it
    # (once that batch is parsed, a rule among them finds all its sentences there).
    if any(sentence not in context.docs for sentence in candidates):
        siblings = context.rules or (rule,)
        wanted = {s for other in siblings for s in candidate_sentences(postmortem, other, context)}
        _parsed(postmortem, nlp, [s for s in prose_sentences(postmortem, context) if s in wanted], context)
    for sentence, doc in _parsed(postmortem, nlp, candidates, context):
        for start, end in spans(patterns, doc):
            span = doc[start:end]
            yield Match(span, _locate(postmortem.document, sentence, span))


def candidate_sentences(postmortem: PostMortem, rule: Rule, context: NlpContext) -> list[Sentence]:
    """The sentences worth parsing for a rule: they hold a trigger word (and a person, if it asks)."""
    # Asked once per rule and again for each sibling rule's batch: the answer is kept per document.
    key = (rule.pack, rule.id)
    if key not in context.candidates:
        context.candidates[key] = _find_candidates(postmortem, rule, context)
    return context.candidates[key]


def _find_candidates(postmortem: PostMortem, rule: Rule, context: NlpContext) -> list[Sentence]:
    requirements = rule_requirements(rule)
    phrases = _literal_phrases(rule)
    people: frozenset[str] | None = None
    if getattr(rule.options, "needs_person", False):
        people = _person_cues(postmortem, context)
    found = []
    for sentence in prose_sentences(postmortem, context):
        if requirements is not None and not _meets(sentence.words, requirements):
            continue
        if phrases is not None and not any(phrase in sentence.folded for phrase in phrases):
            continue
        if people is not None and not _mentions_person(
            sentence, people, lowercase_words(postmortem, context)
        ):
            continue
        found.append(sentence)
        if len(found) >= MAX_CANDIDATES:
            break
    return found


def _literal_phrases(rule: Rule) -> tuple[str, ...] | None:
    """For a phrase list compared by spelling, the phrases themselves: a sentence must contain one."""
    options = rule.options
    if rule.kind.name != "nlp-phrase" or getattr(options, "attr", "") not in ("LOWER", "ORTH"):
        return None
    return tuple(" ".join(phrase.lower().split()) for phrase in options.phrases)


def _person_cues(postmortem: PostMortem, context: NlpContext) -> frozenset[str]:
    if context.person_cues is not None:
        return context.person_cues
    from pmcheck.nlp.people import PRONOUNS, STAFFING_VERBS, first_names, role_nouns

    names = {name.lower() for name in known_people(postmortem)}
    cues = frozenset(
        PRONOUNS
        | role_nouns()
        | {noun + "s" for noun in role_nouns()}
        | {"call"}
        | names
        | {"my", "our", "his", "their", "those", "who", "worker", "workers"}
        | {f"#{name}" for name in first_names()}
        | {form for verb in STAFFING_VERBS for form in surface_forms(verb)}
    )
    context.person_cues = cues
    return cues


# Capitalised first words that are not names; any other capitalised opening may be one ("Okafor forgot").
_OPENERS = frozenset(
    [
        "the",
        "a",
        "an",
        "this",
        "that",
        "these",
        "those",
        "it",
        "its",
        "we",
        "our",
        "in",
        "on",
        "at",
        "after",
        "before",
        "when",
        "while",
        "during",
        "because",
        "since",
        "as",
        "if",
        "for",
        "to",
        "from",
        "by",
        "with",
        "without",
        "all",
        "no",
        "some",
        "most",
        "each",
        "every",
        "both",
        "either",
        "neither",
        "then",
        "there",
        "here",
        "once",
        "also",
        "however",
        "although",
        "though",
        "around",
        "about",
        "between",
        "until",
        "by",
        "over",
        "under",
        "what",
        "which",
        "who",
        "why",
        "how",
        "later",
        "earlier",
        "today",
        "yesterday",
        "tonight",
        "overnight",
        "meanwhile",
        "next",
        "first",
        "finally",
        "initially",
        "eventually",
        "subsequently",
        "root",
        "impact",
        "summary",
        "customers",
        "users",
        "service",
        "services",
        "traffic",
        "requests",
        "our",
        "their",
        "my",
        "his",
        "her",
        "one",
        "two",
        "three",
        "several",
        "many",
        "few",
        "any",
    ]
)


def _mentions_person(sentence: Sentence, cues: frozenset[str], common: frozenset[str]) -> bool:
    if sentence.words & cues or any(word.startswith("@") for word in sentence.words):
        return True
    opening = sentence.opening.lower()
    if opening and opening not in _OPENERS and opening not in common:
        return True
    return any(f"#{name}" in cues or name.lower() in cues for name in sentence.names)


Requirements = tuple[tuple[frozenset[str], ...], ...]
_REQUIREMENTS: dict[int, tuple[Any, Requirements | None]] = {}


def rule_requirements(rule: Rule) -> Requirements | None:
    """Per pattern, the word sets a sentence must hit (one word from each) for that pattern to match.

    A Matcher or DependencyMatcher pattern can only match where every required token with a fixed
    word (``LEMMA``, ``LOWER``, ``ORTH``, ``TEXT``, ``NORM``) finds one, so a sentence that lacks any of
    them cannot match and is not parsed. None means the rule may match anywhere.
    """
    key = id(rule.options)
    cached = _REQUIREMENTS.get(key)
    if cached is None or cached[0] is not rule.options:
        cached = (rule.options, _requirements_for(rule.pack, rule.id, _freeze(vars(rule.options))))
        _REQUIREMENTS[key] = cached
    return cached[1]


def rule_triggers(rule: Rule) -> frozenset[str] | None:
    """Every word form that can make a sentence a candidate for the rule (None: any sentence)."""
    return _triggers_of(rule_requirements(rule))


@functools.lru_cache(maxsize=256)
def _triggers_of(requirements: Requirements | None) -> frozenset[str] | None:
    if requirements is None:
        return None
    return frozenset(word for pattern in requirements for words in pattern for word in words)


@functools.lru_cache(maxsize=256)
def _requirements_for(pack: str, rule_id: str, frozen: Any) -> Requirements | None:
    options = _thaw(frozen)
    extra = frozenset(form for word in options.get("triggers") or [] for form in surface_forms(word))
    found: list[tuple[frozenset[str], ...]] = (
        [(extra,)] if extra and not options.get("require_triggers") else []
    )
    for phrase in options.get("phrases", []):
        first = phrase.split()[0].lower()
        found.append((frozenset(surface_forms(first) | {first}),))
    for pattern in options.get("patterns", []):
        required = tuple(
            frozenset(form for value in values for form in surface_forms(value) | {value.lower()})
            for values in _required_literals(pattern)
        )
        if options.get("require_triggers") and extra:
            required = (*required, extra)
        if not required:
            if not extra:
                return None  # a pattern with no fixed word: every sentence is a candidate
            continue
        found.append(required)
    return tuple(found)


def _required_literals(pattern: list[dict[str, Any]]) -> list[list[str]]:
    """The fixed words of each token the pattern cannot do without (optional tokens are skipped)."""
    literals = []
    for node in pattern:
        attrs = node.get("RIGHT_ATTRS", node)
        operator = str(node.get("OP", ""))
        if operator in ("?", "*", "!") or operator.startswith("{0") or operator.startswith("{,"):
            continue
        for name in _LITERAL_ATTRS:
            value = attrs.get(name)
            values = (
                [value] if isinstance(value, str) else value.get("IN") if isinstance(value, dict) else None
            )
            # Contractions ("n't", "'ve") are tokens to spaCy but part of a word to the pre-filter.
            if isinstance(values, list) and not any(
                str(item).startswith(("'", "’", "n'")) for item in values
            ):
                literals.append([str(item) for item in values])
    return literals


def _meets(words: frozenset[str], requirements: Requirements) -> bool:
    # Most sentences hold none of the rule's words at all: one set intersection turns them away, and
    # the few words it leaves say which required sets they fill.
    triggers, bits, masks = _slots(requirements)
    filled = 0
    for word in words & triggers:
        filled |= bits[word]
    return bool(filled) and any(filled & mask == mask for mask in masks)


@functools.lru_cache(maxsize=256)
def _slots(requirements: Requirements) -> tuple[frozenset[str], dict[str, int], tuple[int, ...]]:
    """Each required word set of each pattern as a bit: every trigger word, the bits of the sets each
    word is in, and per pattern the bits a sentence must fill (one word from each set) to match."""
    bits: dict[str, int] = {}
    masks = []
    bit = 1
    for pattern in requirements:
        mask = 0
        for needed in pattern:
            for word in needed:
                bits[word] = bits.get(word, 0) | bit
            mask |= bit
            bit <<= 1
        masks.append(mask)
    return frozenset(bits), bits, tuple(masks)


def _freeze(value: Any) -> Any:
    if isinstance(value, dict):
        return tuple(sorted((key, _freeze(item)) for key, item in value.items()))
    if isinstance(value, list):
        return ("__list__", *[_freeze(item) for item in value])
    return value


def _thaw(value: Any) -> Any:
    if isinstance(value, tuple) and value and value[0] == "__list__":
        return [_thaw(item) for item in value[1:]]
    if isinstance(value, tuple):
        return {key: _thaw(item) for key, item in value}
    return value


def _parsed(
    postmortem: PostMortem, nlp: Language, candidates: list[Sentence], context: NlpContext
) -> list[tuple[Sentence, Doc]]:
    from pmcheck.nlp.people import NER_KEY
    from pmcheck.nlp.tree import set_known_people

    cache = context.docs
    missing = [sentence for sentence in candidates if sentence not in cache]
    if missing:
        people = known_people(postmortem)
        recognizer = nlp.get_pipe("ner") if "ner" in nlp.component_names else None
        docs = parse_cache.parse(nlp, [sentence.text for sentence in missing])
        for sentence, doc in zip(missing, docs, strict=True):
            set_known_people(doc, people)
            doc.user_data[NER_KEY] = recognizer
            cache[sentence] = doc
    return [(sentence, cache[sentence]) for sentence in candidates]


def known_people(postmortem: PostMortem) -> frozenset[str]:
    """Names the document gives for people: its authors, its timeline's actors, its actions' owners."""
    from pmcheck.nlp.people import timeline_actors

    names: set[str] = set()
    for value in (postmortem.metadata.get("authors", ""), postmortem.metadata.get("commander", "")):
        for part in value.replace(";", ",").split(","):
            cleaned = part.strip().strip("[]'\"@ ")
            if cleaned:
                names.add(cleaned)
                names.update(word for word in cleaned.split() if word[:1].isupper())
    names.update(timeline_actors(entry.text for entry in postmortem.timeline))
    for action in postmortem.actions:
        for owner in action.owners:
            names.add(owner)
            names.update(word for word in owner.split() if word[:1].isupper())
    return frozenset(names)


def _locate(document: Document, sentence: Sentence, span: Span) -> tuple[int, int, int, int]:
    """Map a span back to the source: find the sentence's opening words, then the span after them.

    The span may wrap onto the next source line, so words are matched across any whitespace.
    """
    prefix = sentence.text[:24]
    line, column, _end_line, _end_column = document.locate(prefix, sentence.line)
    last = min(line + 40, len(document.lines))
    window = "\n".join(document.lines[line - 1 : last])
    words = [re.escape(word) for word in span.text.split()]
    found = re.compile(r"\s+".join(words), re.IGNORECASE).search(window, column - 1) if words else None
    if found is None:
        return document.locate(span.text, sentence.line)
    return (*_position(window, found.start(), line), *_position(window, found.end(), line))


def _position(window: str, offset: int, first_line: int) -> tuple[int, int]:
    before = window[:offset]
    return first_line + before.count("\n"), offset - (before.rfind("\n") + 1) + 1


def describe(span: Span) -> dict[str, str]:
    """Words a message or rewording can use: the subject, the verb, what was acted on."""
    from pmcheck.nlp.grammar import subjects
    from pmcheck.nlp.tree import clause_verb

    root = clause_verb(span.root)
    verb = root
    if verb.pos_ not in ("VERB", "AUX"):
        verb = next((token for token in span if token.pos_ == "VERB"), root)
    people = subjects(verb, passive="agent")
    complement = next((child for child in verb.children if child.dep_ == "xcomp"), None)
    target = complement or verb
    obj = next((child for child in target.children if child.dep_ in ("dobj", "nsubjpass", "pobj")), None)
    if obj is None and complement is None:
        obj = next((child for child in verb.children if child.dep_ == "nsubjpass"), None)
    action = ""
    if complement is not None:
        words = [t.text for t in complement.subtree]
        if words and words[0].lower() == "to":
            words = words[1:]
        action = " ".join(words[:16]).strip()
    elif obj is not None:
        action = f"{verb.lemma_} {_phrase(obj)}"
    return {
        "subject": " ".join(_phrase(person) for person in people[:1]),
        "verb": verb.lemma_.lower(),
        "object": _phrase(obj) if obj is not None else "",
        "action": action,
    }


def _phrase(token: Any) -> str:
    words = [t.text for t in token.subtree]
    return " ".join(words[:12]).replace(" - ", "-").replace(" ,", ",").replace(" 's", "'s")
