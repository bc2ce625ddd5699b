"""Find the attribute ruler's matches by looking up each token's tag and word, not by trying every rule.

spaCy's ``attribute_ruler`` (tag → part of speech and morphology, plus word exceptions) runs a
Matcher of about 180 one- and two-token patterns, which tries every pattern at every token: a
quarter of the parse. Its patterns only compare a token's TAG, LOWER and DEP and its IS_SPACE flag,
so each token needs to try only the patterns keyed by its own tag or word (and the few keyed by
neither). The matches, and so every annotation, are the ones spaCy's Matcher gives; a ruler with
any other kind of pattern keeps spaCy's own matching.
"""

from __future__ import annotations

import functools
import operator
import re
from collections.abc import Callable
from typing import Any

Condition = Callable[[Any], bool]
_TOKEN_TEXT: dict[str, Callable[[Any], str]] = {
    "TAG": operator.attrgetter("tag_"),
    "LOWER": operator.attrgetter("lower_"),
    "DEP": operator.attrgetter("dep_"),
}


def speed_up(ruler: Any) -> None:
    """Give the ruler a ``match`` that returns what its own does, when its patterns allow it."""
    compiled = _compile(ruler)
    if compiled is not None:
        ruler.match = compiled


Compiled = tuple[int, int, list[list[Condition]]]


def _compile(ruler: Any) -> Callable[[Any], list[tuple[int, int, int, int]]] | None:
    # Rules of one token tested on its tag, word and spacing only, and the others; each filed under
    # the values its first token must have (see _keys), or else tried everywhere.
    lexical: dict[tuple[str, str], list[Compiled]] = {}
    lexical_anywhere: list[Compiled] = []
    keyed: dict[tuple[str, str], list[Compiled]] = {}
    anywhere: list[Compiled] = []
    for attr_id, entry in enumerate(ruler.patterns):
        match_id = ruler.vocab.strings[str(attr_id)]
        for pattern in entry["patterns"]:
            nodes = [_node(node) for node in pattern]
            if not pattern or any(node is None for node in nodes):
                return None
            rule = (attr_id, match_id, [node for node in nodes if node is not None])
            keys = _keys(pattern[0])
            one_token = len(pattern) == 1 and "DEP" not in pattern[0]
            if not keys:
                (lexical_anywhere if one_token else anywhere).append(rule)
            for key in keys:
                (lexical if one_token else keyed).setdefault(key, []).append(rule)
    # What the lexical rules say depends only on (tag, word, spacing): worked out once per process.
    answers: dict[tuple[str, str, bool], list[tuple[int, int]]] = {}

    def match(doc: Any) -> list[tuple[int, int, int, int]]:
        found: set[tuple[int, int, int, int]] = set()
        for start, token in enumerate(doc):
            tag, lower = token.tag_, token.lower_
            seen = (tag, lower, bool(token.is_space))
            known = answers.get(seen)
            if known is None:
                rules = (
                    *lexical.get(("TAG", tag), ()),
                    *lexical.get(("LOWER", lower), ()),
                    *lexical_anywhere,
                )
                known = answers[seen] = [
                    (attr_id, match_id)
                    for attr_id, match_id, nodes in rules
                    if all(test(token) for test in nodes[0])
                ]
            found.update((attr_id, match_id, start, start + 1) for attr_id, match_id in known)
            for key in (("TAG", tag), ("LOWER", lower), ("DEP", token.dep_)):
                for rule in keyed.get(key, ()):
                    _try(rule, doc, start, found)
            for rule in anywhere:
                _try(rule, doc, start, found)
        return sorted(found)

    return match


def _keys(node: dict[str, Any]) -> list[tuple[str, str]]:
    """Where to file a pattern: every (attribute, value) its first token must have, for one attribute."""
    for name in ("LOWER", "TAG", "DEP"):
        value = node.get(name)
        if isinstance(value, str):
            return [(name, value)]
        if isinstance(value, dict) and list(value) == ["IN"]:
            return [(name, str(item)) for item in value["IN"]]
    return []


def _try(rule: Compiled, doc: Any, start: int, found: set[tuple[int, int, int, int]]) -> None:
    attr_id, match_id, nodes = rule
    end = start + len(nodes)
    if end > len(doc):
        return
    for offset, node in enumerate(nodes):
        token = doc[start + offset]
        if not all(test(token) for test in node):
            return
    found.add((attr_id, match_id, start, end))


def _node(node: dict[str, Any]) -> list[Condition] | None:
    """The tests of one pattern token, or None for a pattern this module does not read."""
    tests: list[Condition] = []
    for name, value in node.items():
        if name == "IS_SPACE" and isinstance(value, bool):
            tests.append(functools.partial(_is_space, wanted=value))
            continue
        text = _TOKEN_TEXT.get(name)
        kind, operand = (
            next(iter(value.items())) if isinstance(value, dict) and len(value) == 1 else ("", value)
        )
        if text is None:
            return None
        if isinstance(value, str):
            tests.append(functools.partial(_equals, text=text, wanted=value))
        elif kind in ("IN", "NOT_IN") and isinstance(operand, list):
            tests.append(functools.partial(_among, text=text, values=frozenset(operand), inside=kind == "IN"))
        elif kind == "REGEX" and isinstance(operand, str):
            tests.append(functools.partial(_searches, text=text, pattern=re.compile(operand)))
        else:
            return None
    return tests


def _is_space(token: Any, *, wanted: bool) -> bool:
    return bool(token.is_space) == wanted


def _equals(token: Any, *, text: Callable[[Any], str], wanted: str) -> bool:
    return text(token) == wanted


def _among(token: Any, *, text: Callable[[Any], str], values: frozenset[str], inside: bool) -> bool:
    return (text(token) in values) == inside


def _searches(token: Any, *, text: Callable[[Any], str], pattern: re.Pattern[str]) -> bool:
    return pattern.search(text(token)) is not None
