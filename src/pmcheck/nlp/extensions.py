"""The spaCy token extensions that rule-pack patterns read through ``_``
(``{"LEMMA": "forget", "_": {"person_subject": true}}``), registered in one place: the grammatical facts
of :mod:`pmcheck.nlp.grammar` and the fault shapes of :mod:`pmcheck.nlp.faults`.

Each answer is worked out once per token and kept on its parse. What the answers cost is noted too
(seconds per answer, per extension, in this process), so that a pattern can ask its cheapest
conditions first: the answers that ask who is a person may run the entity recogniser, by far the
slowest step, and a cheaper condition that fails first makes them unnecessary.
"""

from __future__ import annotations

import time
from collections import Counter, defaultdict
from collections.abc import Callable

from spacy.tokens import Token

from pmcheck.nlp import faults, grammar

_MEMO_KEY = "pmcheck_answers"
_ANSWERS: Counter[str] = Counter()
_SECONDS: defaultdict[str, float] = defaultdict(float)
_REVISION = [0, 0, 16]  # the costs' revision, answers so far, and the count at which the next one starts


def register() -> None:
    """Add the extensions once per process (spaCy keeps them globally)."""
    for name, getter in {**grammar.getters(), **faults.GETTERS}.items():
        if not Token.has_extension(name):
            Token.set_extension(name, getter=_memoized(name, getter))


def cost(name: str) -> float:
    """Seconds per answer of this extension so far in this process (0 before its first answer)."""
    answers = _ANSWERS[name]
    return _SECONDS[name] / answers if answers else 0.0


def cost_revision() -> int:
    """Changes when the costs have moved enough to be read again (after 16, 32, 64... answers)."""
    return _REVISION[0]


def _memoized(name: str, getter: Callable[[Token], bool]) -> Callable[[Token], bool]:
    """Answer each question once per token: several rules and patterns ask the same ones."""

    def cached(token: Token) -> bool:
        memo = token.doc.user_data.setdefault(_MEMO_KEY, {})
        key = (name, token.i)
        if key not in memo:
            started = time.perf_counter()
            memo[key] = getter(token)
            _SECONDS[name] += time.perf_counter() - started
            _ANSWERS[name] += 1
            _REVISION[1] += 1
            if _REVISION[1] >= _REVISION[2]:
                _REVISION[0] += 1
                _REVISION[2] *= 2
        return bool(memo[key])

    return cached
