"""Regular expressions that users write in packs and configs: checked when loaded, bounded when run.

A user's pattern is refused when it nests quantifiers (``(a+)+``) or repeats alternatives that can
match the same text (``(a|aa)*``), the shapes that make backtracking take exponential time. What the
static check cannot see is bounded at run time: patterns run through the ``regex`` module with a time
limit per document.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Iterator
from typing import TYPE_CHECKING, Annotated, Any

import regex

from pmcheck.finding import Hit, Location
from pmcheck.rule import Rule
from pmcheck.validation import After

if TYPE_CHECKING:
    from pydantic import ValidationInfo

if sys.version_info >= (3, 11):
    from re import _constants as sre_constants
    from re import _parser as sre_parse
else:  # pragma: no cover - Python 3.10
    import sre_constants
    import sre_parse

SECONDS_PER_DOCUMENT = 5.0
SECONDS_PER_MEGABYTE = 2.0  # and more for a long document, which linear patterns need in proportion
UNTRUSTED = "untrusted patterns"
_REPEATS = {
    sre_constants.MAX_REPEAT,
    sre_constants.MIN_REPEAT,
    getattr(sre_constants, "POSSESSIVE_REPEAT", None),
}
_WIDE = None  # a first-character set too large to list: it overlaps everything


class PatternTimeout(Exception):
    """A pattern ran past its time limit on one document."""


def backtracking_problem(pattern: str) -> str | None:
    """Why ``pattern`` can take exponential time, or None when its shape is safe."""
    try:
        parsed = sre_parse.parse(pattern)
    except Exception:  # a pattern `re` cannot parse is reported when it is compiled
        return None
    return _walk(list(parsed.data), inside_repeat=False)


def _walk(items: list[Any], *, inside_repeat: bool) -> str | None:
    for op, av in items:
        if op in _REPEATS:
            low, high, body = av
            unbounded = high == sre_constants.MAXREPEAT or high > 1
            if inside_repeat and high != low:
                return "it nests quantifiers (such as (a+)+), which can take exponential time"
            problem = _walk(list(body), inside_repeat=inside_repeat or unbounded)
            if problem:
                return problem
        elif op == sre_constants.BRANCH:
            alternatives = [list(branch) for branch in av[1]]
            if inside_repeat and _overlap(alternatives):
                return (
                    "it repeats alternatives that can match the same text (such as (a|aa)*), "
                    "which can take exponential time"
                )
            for branch in alternatives:
                problem = _walk(branch, inside_repeat=inside_repeat)
                if problem:
                    return problem
        else:
            for body in _bodies(op, av):
                problem = _walk(body, inside_repeat=inside_repeat)
                if problem:
                    return problem
    return None


def _bodies(op: Any, av: Any) -> list[list[Any]]:
    if op == sre_constants.SUBPATTERN:
        return [list(av[-1])]
    if op in (sre_constants.ASSERT, sre_constants.ASSERT_NOT):
        return [list(av[1])]
    if op == getattr(sre_constants, "ATOMIC_GROUP", None):
        return [list(av)]
    if op == sre_constants.GROUPREF_EXISTS:
        return [list(part) for part in av[1:] if part is not None]
    return []


def _overlap(alternatives: list[list[Any]]) -> bool:
    seen: set[str] = set()
    for branch in alternatives:
        first = _first_chars(branch)
        if first is _WIDE or first & seen:
            return True
        seen |= first
    return False


def _first_chars(items: list[Any]) -> set[str] | None:
    """The characters a branch can start with, or None when that is too wide to list (or empty)."""
    if not items:
        return _WIDE
    op, av = items[0]
    if op == sre_constants.LITERAL:
        return {chr(av).lower(), chr(av).upper()}
    if op == sre_constants.IN:
        chars: set[str] = set()
        for kind, value in av:
            if kind == sre_constants.LITERAL:
                chars |= {chr(value).lower(), chr(value).upper()}
            elif kind == sre_constants.RANGE and value[1] - value[0] < 256:
                chars |= {chr(code) for code in range(value[0], value[1] + 1)}
                chars |= {char.upper() for char in list(chars)} | {char.lower() for char in list(chars)}
            else:
                return _WIDE
        return chars
    if op == sre_constants.SUBPATTERN:
        return _first_chars(list(av[-1]) + items[1:]) if av[-1] else _first_chars(items[1:])
    if op in _REPEATS and av[0] >= 1:
        return _first_chars(list(av[2]))
    return _WIDE


def _checked(value: str, info: ValidationInfo) -> str:
    if isinstance(info.context, dict) and info.context.get(UNTRUSTED) is False:
        return value  # a shipped pack's: compiled where its rule runs (the tests compile every one)
    try:
        regex.compile(value)
    except regex.error as exc:
        raise ValueError(f"not a valid regular expression: {exc}") from None
    if isinstance(info.context, dict) and info.context.get(UNTRUSTED):
        problem = backtracking_problem(value)
        if problem:
            raise ValueError(f"regular expression {value!r} is refused: {problem}; rewrite it without")
    return value


UserRegex = Annotated[str, After(_checked)]
"""A regular expression a pack or config gives: compiled at load, its shape checked in user packs."""


def compile_pattern(pattern: str, *, ignore_case: bool = False) -> regex.Pattern[str]:
    return regex.compile(pattern, regex.IGNORECASE if ignore_case else 0)


def stopped_hit(budget: Budget) -> Hit:
    """What a rule reports when its patterns ran out of time on a document."""
    return Hit(
        Location(1, 1),
        f"the rule's regular expressions ran past {budget.seconds:g} s on this document and were "
        "stopped; simplify them (see the rule pack)",
    )


class Budget:
    """The time the patterns of one rule may spend on one document (unlimited for shipped patterns)."""

    def __init__(self, seconds: float | None = None, *, size: int = 0, limited: bool = True) -> None:
        allowed = SECONDS_PER_DOCUMENT + SECONDS_PER_MEGABYTE * size / 1_048_576
        self.seconds = allowed if seconds is None else seconds
        self.deadline = time.monotonic() + self.seconds
        self.limited = limited

    @classmethod
    def for_rule(cls, rule: Rule, text: str) -> Budget:
        """A limit for patterns a user wrote; the shipped ones are linear by construction and run free."""
        return cls(size=len(text), limited=bool(rule.extra.get(UNTRUSTED)))

    def _left(self) -> float | None:
        if not self.limited:
            return None
        left = self.deadline - time.monotonic()
        if left <= 0:
            raise PatternTimeout(self.seconds)
        return left

    def finditer(self, pattern: regex.Pattern[str], text: str) -> Iterator[regex.Match[str]]:
        if not self.limited:  # called per line and pattern: no watching layer where nothing is watched
            return pattern.finditer(text)
        return self._watched(pattern, text)

    def _watched(self, pattern: regex.Pattern[str], text: str) -> Iterator[regex.Match[str]]:
        try:
            yield from pattern.finditer(text, timeout=self._left())
        except TimeoutError:
            raise PatternTimeout(self.seconds) from None

    def search(self, pattern: regex.Pattern[str], text: str) -> regex.Match[str] | None:
        try:
            return pattern.search(text, timeout=self._left())
        except TimeoutError:
            raise PatternTimeout(self.seconds) from None
