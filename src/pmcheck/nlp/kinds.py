"""The NLP rule kinds: phrase lists, token patterns and dependency patterns, matched with spaCy.

Patterns are written in spaCy's own syntax (Matcher, PhraseMatcher and DependencyMatcher) and may
use pmcheck's token extensions (see :mod:`pmcheck.nlp.grammar`). spaCy is imported only when a
document holds a sentence with one of a rule's trigger words.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

from pmcheck.finding import Hit
from pmcheck.nlp.context import NlpContext
from pmcheck.postmortem import PostMortem
from pmcheck.rule import Rule, RuleKind
from pmcheck.rules import register
from pmcheck.saferegex import UserRegex
from pmcheck.validation import FORBID_EXTRA, about

if TYPE_CHECKING:
    from spacy.tokens import Span

DEFAULT_GUIDANCE_CUES = [
    r"\bavoid(?:ing)?\b",
    r"\binstead of (?:asking|saying|writing|blaming|naming)\b",
    r"\brather than (?:blaming|labell?ing|naming|asking who|judging)\b",
    r"\breplace\b",
    r"\brewrite\b",
    r"\bno place in\b",
    r"\b(?:do not|don't|never) (?:write|say|use)\b",
    r"\bnever its conclusion\b",
    r"\bstarting point\b",
    r"\bask (?:why|whether|what|how)\b",
    r"\bblameless\b",
    r"\bwe (?:do not|don't) punish\b",
    r"\bexplains? nothing\b",
    r"\btells? us nothing\b",
    r"\bmiss(?:es)? the point\b",
    r"\bwrong to say\b",
    r"\bwords? like\b",
    r"\bterms? (?:like|such as)\b",
    r"\bphrases? (?:like|such as)\b",
    r"\bdescribe what\b",
    r"\bhindsight makes\b",
    r"\bthe point of this\b",
    r"\bnot deciding\b",
    r"\bif you find yourself\b",
    r"\bcounterfactuals?\b",
]
QUOTE_PAIRS = [("“", "”"), ("‘", "’"), ('"', '"'), ("'", "'")]


@dataclass(frozen=True, kw_only=True)
class NlpOptions:
    __pydantic_config__ = FORBID_EXTRA
    triggers: list[str] | None = field(
        default=None,
        metadata=about(
            "Extra words that make a sentence worth parsing, added to those taken from the patterns; "
            "they stand in for patterns that name no fixed word."
        ),
    )
    require_triggers: bool = field(
        default=False,
        metadata=about("Parse a sentence only when it also holds one of `triggers`, whatever the patterns."),
    )
    skip_quoted: bool = field(default=True, metadata=about("Ignore matches inside quotation marks."))
    skip_guidance: bool = field(default=True, metadata=about("Ignore sentences that give writing guidance."))
    guidance_cues: list[UserRegex] = field(
        default_factory=lambda: list(DEFAULT_GUIDANCE_CUES),
        metadata=about("Regular expressions that mark a sentence as guidance."),
    )
    skip_negated: bool = field(
        default=False, metadata=about("Ignore matches whose word or clause is negated.")
    )
    needs_person: bool = field(
        default=False,
        metadata=about(
            "Parse only sentences that mention a person: a pronoun, an @handle, a role noun or a "
            "name (common first names and the document's authors and owners). Faster; rare names can "
            "be missed."
        ),
    )
    rewrites: dict[str, str] = field(
        default_factory=dict,
        metadata=about(
            "Verb lemma → system-focused rewording; {action}, {object}, {subject} are filled in. "
            "Key 'default' applies to other verbs."
        ),
    )


@dataclass(frozen=True, kw_only=True)
class PhraseOptions(NlpOptions):
    phrases: list[str] = field(metadata=about("Phrases to find (PhraseMatcher)."))
    attr: Literal["LOWER", "LEMMA", "ORTH"] = field(
        default="LOWER", metadata=about("Token attribute to compare.")
    )


@dataclass(frozen=True, kw_only=True)
class TokenOptions(NlpOptions):
    patterns: list[list[dict[str, Any]]] = field(metadata=about("spaCy Matcher patterns."))


@dataclass(frozen=True, kw_only=True)
class DependencyOptions(NlpOptions):
    patterns: list[list[dict[str, Any]]] = field(metadata=about("spaCy DependencyMatcher patterns."))


def _check_alone(postmortem: PostMortem, rule: Rule) -> Iterator[Hit]:
    """Match the rule's spaCy patterns in the document's prose (a rule checked on its own)."""
    return _check(postmortem, rule, NlpContext(rules=(rule,)))


def _check(postmortem: PostMortem, rule: Rule, context: NlpContext) -> Iterator[Hit]:
    from pmcheck.nlp import matching

    options: NlpOptions = rule.options
    guidance = (
        [re.compile(cue, re.IGNORECASE) for cue in options.guidance_cues] if options.skip_guidance else []
    )
    for match in matching.matches(postmortem, rule, context):
        span = match.span
        sentence = span.sent.text
        if guidance and any(cue.search(sentence) for cue in guidance):
            continue
        if options.skip_quoted and _quoted(span):
            continue
        if options.skip_negated and _negated(span):
            continue
        if rule.kind.name == "nlp-phrase" and _named_as_label(span):
            continue
        fields = matching.describe(span)
        rewrite = _rewrite(options.rewrites, fields)
        line, column, end_line, end_column = match.location
        yield rule.hit(
            line,
            column,
            end_line=end_line,
            end_column=end_column,
            excerpt=_excerpt(span),
            match=span.text,
            rewrite=rewrite,
            values=fields,
        )


def _negated(span: Span) -> bool:
    from pmcheck.nlp.grammar import is_negated

    inside = range(span.start, span.end)
    return any(is_negated(token, inside=inside) for token in (span.root, span[0]))


def _named_as_label(span: Span) -> bool:
    """The match is a term talked about, not used: the subject of a gerund ("treating human error as the
    end of the story is a trap"), a case ("if you file it under operator error, ...") or a definition."""
    from pmcheck.nlp.grammar import inside_condition

    verb = span.root
    while verb.pos_ not in ("VERB", "AUX") and verb.head.i != verb.i:
        verb = verb.head
    gerund = verb.tag_ == "VBG" and (verb.dep_ == "csubj" or verb.i == verb.sent.start)
    # "If an admin skips the check, that is human error": a definition in the present, not a finding.
    defined = verb.tag_ in ("VBZ", "VBP") and any(
        child.dep_ == "advcl" and any(g.dep_ == "mark" and g.lower_ == "if" for g in child.children)
        for child in verb.children
    )
    return gerund or defined or inside_condition(verb)


def _rewrite(rewrites: dict[str, str], fields: dict[str, str]) -> str:
    template = rewrites.get(fields.get("verb", ""), rewrites.get("default", ""))
    text = template.format_map({key: value or "it" for key, value in fields.items()})
    return text[:1].upper() + text[1:] if text else ""


def _quoted(span: Span) -> bool:
    sentence = span.sent
    text = sentence.text
    start = span.start_char - sentence.start_char
    end = span.end_char - sentence.start_char
    for opening, closing in QUOTE_PAIRS:
        position = 0
        while True:
            left = _quote_at(text, opening, position, opening_side=True)
            if left < 0:
                break
            right = _quote_at(text, closing, left + 1, opening_side=False)
            if right < 0:
                break
            # A quotation that holds most of the sentence is reported speech, not a quoted term; so is a
            # clause someone is said to have said ("\"It was human error,\" the spokesman said").
            if (
                left < start
                and end <= right
                and (right - left) < 0.6 * len(text)
                and not _said(sentence, left, right)
                and not _pinned_on_person(span)
            ):
                return True
            position = right + 1
    return False


def _pinned_on_person(span: Span) -> bool:
    """The quoted label is put on someone outside the quotes: "a \"simple human error\" by one of the
    contractors" uses the label, it does not talk about it."""
    return any(
        child.dep_ == "prep" and child.lower_ == "by" and any(t._.person for t in child.subtree)
        for child in span.root.children
    )


REPORTING_VERBS = frozenset({"say", "tell", "add", "write", "explain", "state", "claim", "admit", "insist"})


def _said(sentence: Span, left: int, right: int) -> bool:
    """The quotation is a clause of a reporting verb outside it: what someone said, not a term."""
    root = sentence.root
    if root.lemma_.lower() not in REPORTING_VERBS or left <= root.idx - sentence.start_char < right:
        return False
    return any(
        child.dep_ in ("ccomp", "parataxis") and left < child.idx - sentence.start_char < right
        for child in root.children
    )


def _quote_at(text: str, mark: str, start: int, *, opening_side: bool) -> int:
    """The next quotation mark, ignoring apostrophes inside words ("didn't", "Zoe's")."""
    index = text.find(mark, start)
    while index >= 0 and mark == "'" and _inside_word(text, index, opening_side=opening_side):
        index = text.find(mark, index + 1)
    return index


def _inside_word(text: str, index: int, *, opening_side: bool) -> bool:
    before = text[index - 1] if index > 0 else " "
    after = text[index + 1] if index + 1 < len(text) else " "
    if opening_side:
        return before.isalnum()
    return after.isalnum()


def _excerpt(span: Span) -> str:
    sentence = span.sent.text.strip()
    return sentence if len(sentence) <= 160 else sentence[:157].rstrip() + "…"


for _name, _options in (
    ("nlp-phrase", PhraseOptions),
    ("nlp-tokens", TokenOptions),
    ("nlp-dependency", DependencyOptions),
):
    register(RuleKind(_name, _options, _check_alone, nlp_check=_check, doc=_check.__doc__ or ""))
