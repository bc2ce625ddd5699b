"""The spaCy token extensions that rule-pack patterns read through ``_``
(``{"LEMMA": "forget", "_": {"person_subject": true}}``), registered in one place: the grammatical facts
of :mod:`pmcheck.nlp.grammar` and the fault shapes of :mod:`pmcheck.nlp.faults`.
"""

from __future__ import annotations

from collections.abc import Callable

from spacy.tokens import Token

from pmcheck.nlp import faults, grammar

_MEMO_KEY = "pmcheck_answers"


def register() -> None:
    """Add the extensions once per process (spaCy keeps them globally)."""
    for name, getter in {**grammar.getters(), **faults.GETTERS}.items():
        if not Token.has_extension(name):
            Token.set_extension(name, getter=_memoized(name, getter))


def _memoized(name: str, getter: Callable[[Token], bool]) -> Callable[[Token], bool]:
    """Answer each question once per token: several rules and patterns ask the same ones."""

    def cached(token: Token) -> bool:
        memo = token.doc.user_data.setdefault(_MEMO_KEY, {})
        key = (name, token.i)
        if key not in memo:
            memo[key] = getter(token)
        return bool(memo[key])

    return cached
