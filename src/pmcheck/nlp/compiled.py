"""A rule's spaCy patterns, compiled once, and where they match in a parsed sentence.

spaCy's ``Matcher`` asks every extension attribute (``_``) that any pattern of a rule names of every
token it looks at, before it matches anything: each of those answers is a Python call, and most are
never needed. So a pattern with ``_`` conditions runs in two steps. A gate (the same pattern without
its ``_`` conditions, which accepts every span the full one accepts, and more) finds where it may
match; then only the ``_`` conditions of that pattern are asked, of the tokens they belong to,
stopping at the first that fails. That is exact when each ``_`` token sits at a fixed place in
the span (before any token with an ``OP``, counted from the start; after the last one, counted from
the end): whatever the other tokens matched, those places hold the same tokens. Any other pattern is
matched in full by its own ``Matcher`` inside the gate's span, as before.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from pmcheck.errors import RulePackError
from pmcheck.rule import Rule

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc, Token

Condition = tuple[int, str, Callable[["Token"], Any], bool]
"""A token's place in the span, an extension's name, its getter and the value the pattern asks of it."""


class _Checks:
    """A pattern's ``_`` conditions, each at a token place: >= 0 from the span's start, < 0 from its end.

    The answer is the same in any order, so the condition likeliest to turn a span away for the least
    work is asked first: ranked by what its extension costs per answer in this process times how
    often it has let a span through here. The order is worked out again each time the costs are
    revised (after 16, 32, 64... answers).
    """

    def __init__(self, conditions: tuple[Condition, ...]) -> None:
        self.conditions = conditions
        self._order = tuple(range(len(conditions)))
        self._revision = 0
        self._asked = [0] * len(conditions)
        self._failed = [0] * len(conditions)

    def hold(self, doc: Doc, start: int, end: int) -> bool:
        from pmcheck.nlp.extensions import cost, cost_revision

        if self._revision != cost_revision():
            self._revision = cost_revision()
            self._order = tuple(
                sorted(
                    self._order,
                    key=lambda i: cost(self.conditions[i][1]) * (self._asked[i] + 2) / (self._failed[i] + 1),
                )
            )
        for i in self._order:
            place, _name, getter, wanted = self.conditions[i]
            self._asked[i] += 1
            if bool(getter(doc[start + place if place >= 0 else end + place])) != wanted:
                self._failed[i] += 1
                return False
        return True


@dataclass(frozen=True)
class Compiled:
    """A rule's matcher and, for token patterns with ``_`` conditions, the two-step form of each.

    ``gate`` holds every pattern without its ``_`` conditions, under its index in ``keys``;
    ``checks[index]`` is None for a pattern without them (a gate match is a match), its conditions
    when they can be asked at fixed places, or else the pattern's own full ``Matcher``.
    """

    matcher: Any
    gate: Any = None
    keys: dict[int, int] | None = None
    checks: tuple[_Checks | Any | None, ...] = ()


_MATCHERS: dict[tuple[str, str, int], Compiled] = {}


def compiled(rule: Rule, nlp: Language) -> Compiled:
    """The rule's compiled patterns for this pipeline, built once per process."""
    key = (rule.pack, rule.id, id(nlp))
    if key not in _MATCHERS:
        matcher = _compile(rule, nlp)
        _MATCHERS[key] = _two_step(rule, nlp, matcher) or Compiled(matcher)
    return _MATCHERS[key]


def _two_step(rule: Rule, nlp: Language, matcher: Any) -> Compiled | None:
    patterns = getattr(rule.options, "patterns", None)
    if not patterns or not any(_extension_free(node) != node for pattern in patterns for node in pattern):
        return None
    from spacy.matcher import DependencyMatcher, Matcher

    if isinstance(matcher, DependencyMatcher):
        dependency_gate = DependencyMatcher(nlp.vocab)
        dependency_gate.add(rule.id, [[_extension_free(node) for node in pattern] for pattern in patterns])
        return Compiled(matcher, dependency_gate)
    gate = Matcher(nlp.vocab)
    keys: dict[int, int] = {}
    checks: list[_Checks | Any | None] = []
    for index, pattern in enumerate(patterns):
        keys[nlp.vocab.strings.add(f"{rule.id}#{index}")] = index
        gate.add(f"{rule.id}#{index}", [[_extension_free(node) for node in pattern]])
        if all(_extension_free(node) == node for node in pattern):
            checks.append(None)
        elif (fixed := _fixed_checks(pattern)) is not None:
            checks.append(fixed)
        else:
            whole = Matcher(nlp.vocab)
            whole.add(rule.id, [pattern])
            checks.append(whole)
    return Compiled(matcher, gate, keys, tuple(checks))


def _fixed_checks(pattern: list[dict[str, Any]]) -> _Checks | None:
    """The pattern's ``_`` conditions at fixed places, or None when some cannot be asked that way."""
    from spacy.tokens import Token

    variable = [index for index, node in enumerate(pattern) if "OP" in node]
    first, last = (variable[0], variable[-1]) if variable else (len(pattern), len(pattern))
    conditions = []
    for index, node in enumerate(pattern):
        wanted = node.get("_")
        if not wanted or _extension_free(node) == node:
            continue
        if not isinstance(wanted, dict) or first <= index <= last:
            return None
        place = index if index < first else index - len(pattern)
        for name, value in wanted.items():
            getter = Token.get_extension(name)[2] if Token.has_extension(name) else None
            if not isinstance(value, bool) or getter is None:
                return None
            conditions.append((place, name, getter, value))
    return _Checks(tuple(conditions))


def _extension_free(node: dict[str, Any]) -> dict[str, Any]:
    """A pattern token without its ``_`` conditions: it accepts every token the full one accepts.

    A negated token (``OP: "!"``) keeps them, since dropping a condition there would reject more.
    """
    if node.get("OP") == "!":
        return node
    if "RIGHT_ATTRS" in node:
        return {**node, "RIGHT_ATTRS": _extension_free(node["RIGHT_ATTRS"])}
    return {key: value for key, value in node.items() if key != "_"}


def _compile(rule: Rule, nlp: Language) -> Any:
    from spacy.errors import MatchPatternError
    from spacy.matcher import DependencyMatcher, Matcher, PhraseMatcher

    options = rule.options
    try:
        if rule.kind.name == "nlp-phrase":
            phrase_matcher = PhraseMatcher(nlp.vocab, attr=options.attr)
            make = nlp if options.attr == "LEMMA" else nlp.make_doc
            phrase_matcher.add(rule.id, [make(text) for text in options.phrases])
            return phrase_matcher
        if rule.kind.name == "nlp-tokens":
            token_matcher = Matcher(nlp.vocab, validate=True)
            token_matcher.add(rule.id, options.patterns)
            return token_matcher
        dependency_matcher = DependencyMatcher(nlp.vocab, validate=True)
        dependency_matcher.add(rule.id, options.patterns)
        return dependency_matcher
    except (MatchPatternError, ValueError, KeyError) as exc:
        raise RulePackError(
            f"{rule.source}: rule {rule.id} ({rule.name}): invalid spaCy pattern: {exc}"
        ) from None


def spans(compiled: Compiled, doc: Doc) -> list[tuple[int, int]]:
    """Where the rule matches in the parsed sentence, as token ranges, longest first where they overlap."""
    matcher, gate = compiled.matcher, compiled.gate
    found = []
    if gate is None:
        found = [_span(match) for match in matcher(doc)]
    elif compiled.keys is None:  # a DependencyMatcher: only a sentence the gate accepts can match
        if gate(doc):
            found = [_span(match) for match in matcher(doc)]
    else:
        for key, start, end in gate(doc):
            check = compiled.checks[compiled.keys[key]]
            if check is None or (isinstance(check, _Checks) and check.hold(doc, start, end)):
                found.append((start, end))
            elif not isinstance(check, _Checks):
                found += [(start + inner, start + outer) for _key, inner, outer in check(doc[start:end])]
    return _longest_first(found)


def _span(match: tuple[Any, ...]) -> tuple[int, int]:
    if isinstance(match[1], list):  # DependencyMatcher: (key, token ids)
        return min(match[1]), max(match[1]) + 1
    return match[1], match[2]


def _longest_first(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Drop matches that overlap an earlier or longer one, so one phrase gives one finding."""
    kept: list[tuple[int, int]] = []
    for start, end in sorted(set(spans), key=lambda item: (item[0], -(item[1] - item[0]))):
        if any(start < k_end and k_start < end for k_start, k_end in kept):
            continue
        kept.append((start, end))
    return kept
