"""Grammatical facts the blame rules ask about, exposed as spaCy token extensions.

Patterns in YAML packs use spaCy's own syntax and reach these through ``_``:
``{"LEMMA": "forget", "_": {"person_subject": true, "negated": false}}``.

- ``person_subject``: the clause's doer is a person — its subject, the agent of a passive
  ("was caused by Dana"), inherited through "and" (conj), "ought to" (xcomp) and relative clauses.
- ``person_patient``: the passive subject is a person ("Bob was fired").
- ``negated``: the word or its clause is negated ("did not miss", "nobody was careless").
- ``verb_negated``: the clause's own verb is negated ("did not follow", "didn't bother"), not merely
  some word above it.
- ``person_object``: the clause's direct object is a person ("reprimanded the release manager").
- ``system_subject``: the clause's subject is a thing, not a person ("the BGP daemon was negligent").
- ``caused_harm``: the clause explains a harm: "…crashed after the lead shipped…", "…lost data
  because Kenji overwrote…".
- ``careless_manner``: the action is described as careless or mistaken: a wrong/bad/untested object,
  "accidentally", "by mistake", "without review", "instead of".
- ``person``: the token itself stands for a person.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from spacy.tokens import Token

from pmcheck.nlp.people import NEGATIVE_PEOPLE, first_names, is_person

SUBJECT_DEPS = {"nsubj", "nsubjpass", "csubj"}
RELATIVE_PRONOUNS = {"who", "that", "which", "whom"}
NEGATIVE_WORDS = {"no", "never", "neither", "nor", "not", "n't", "without"}
BAD_MODIFIERS = {
    "wrong",
    "bad",
    "untested",
    "broken",
    "faulty",
    "incorrect",
    "outdated",
    "stale",
    "old",
    "unreviewed",
    "invalid",
    "buggy",
    "erroneous",
}
CARELESS_ADVERBS = {
    "accidentally",
    "mistakenly",
    "carelessly",
    "inadvertently",
    "blindly",
    "hastily",
    "recklessly",
    "wrongly",
    "erroneously",
}
WITHOUT_WHAT = {
    "review",
    "test",
    "testing",
    "approval",
    "check",
    "checking",
    "tell",
    "telling",
    "wait",
    "waiting",
    "ask",
    "asking",
    "backup",
    "reviewer",
    "verification",
    "verify",
    "verifying",
    "reading",
    "read",
    "look",
    "looking",
    "confirm",
    "confirming",
    "run",
    "running",
}
_STAMP = re.compile(r"^[\[\(]?\d{1,2}:\d{2}|^T[+-]")
_KNOWN_KEY = "pmcheck_people"
_MEMO_KEY = "pmcheck_answers"


def register() -> None:
    """Add the extensions once per process (spaCy keeps them globally)."""
    getters = {
        "person": lambda token: is_person(token, _known(token)),
        "person_subject": lambda token: any(
            is_person(s, _known(token)) for s in subjects(token, passive="agent")
        ),
        "person_patient": lambda token: any(
            is_person(s, _known(token)) for s in subjects(token, passive="patient")
        ),
        "negated": is_negated,
        "verb_negated": lambda token: any(child.dep_ == "neg" for child in clause_verb(token).children),
        "person_object": lambda token: any(
            child.dep_ == "dobj" and is_person(child, _known(token)) for child in clause_verb(token).children
        ),
        "system_subject": is_system_subject,
        "caused_harm": caused_harm,
        "careless_manner": is_careless,
    }
    for name, getter in getters.items():
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


def _known(token: Token) -> frozenset[str]:
    known = token.doc.user_data.get(_KNOWN_KEY)
    return known if isinstance(known, frozenset) else frozenset()


def set_known_people(doc: object, names: frozenset[str]) -> None:
    """Names the document itself gives for people (its authors, action owners)."""
    doc.user_data[_KNOWN_KEY] = names  # type: ignore[attr-defined]


def clause_verb(token: Token) -> Token:
    """The verb whose clause a token belongs to (auxiliaries and modals climb to their verb)."""
    verb = token
    if verb.dep_ in ("aux", "auxpass", "neg") and verb.head.i != verb.i:
        verb = verb.head
    return verb


def subjects(token: Token, *, passive: str) -> list[Token]:
    """Who does (``passive="agent"``) or undergoes (``"patient"``) the action of the token's clause."""
    verb = clause_verb(token)
    for _ in range(5):
        found = _direct_subjects(verb, passive)
        if found:
            return found
        if verb.dep_ in ("conj", "xcomp", "acomp") and verb.head.i != verb.i:
            verb = verb.head
            continue
        break
    return _leading_name(token.sent, verb) if passive == "agent" else []


def _direct_subjects(verb: Token, passive: str) -> list[Token]:
    agents = []
    for child in verb.children:
        if child.dep_ != "agent":
            continue
        for grand in child.children:
            if grand.dep_ == "pobj":
                agents.append(grand)
            elif grand.dep_ == "pcomp":  # "by whoever reviewed it"
                agents.extend(g for g in grand.children if g.dep_ in SUBJECT_DEPS)
    subjects_ = [child for child in verb.children if child.dep_ in SUBJECT_DEPS]
    if passive == "agent":
        if agents:
            return agents
        chosen = [s for s in subjects_ if s.dep_ != "nsubjpass"]
    else:
        chosen = [s for s in subjects_ if s.dep_ == "nsubjpass"]
    resolved = []
    for subject in chosen:
        if subject.lower_ in RELATIVE_PRONOUNS and verb.dep_ == "relcl":
            resolved.append(verb.head)
        else:
            resolved.append(subject)
            resolved.extend(child for child in subject.children if child.dep_ == "conj")
    return resolved


def _leading_name(sentence: object, verb: Token) -> list[Token]:
    """A sentence-initial name the parser took for a word ("Will neglected to renew ...")."""
    for token in sentence:  # type: ignore[attr-defined]
        if token.is_punct or token.is_space or _STAMP.match(token.text) or token.like_num:
            continue
        if (
            token.i < verb.i
            and token.head.i == verb.i
            and token.is_title
            and token.text in first_names()
            and (token.dep_ in ("aux", "npadvmod", "nsubj", "compound", "amod", "advmod", "dep", "intj"))
        ):
            return [token]
        return []
    return []


def is_negated(token: Token, *, inside: range = range(0)) -> bool:
    """Negation on the word, on the clause it sits in, or a negative subject ("nobody", "no one").

    Negation words at positions in ``inside`` (the matched phrase itself, as in "not paying
    attention") do not count.
    """
    current = token
    for _ in range(8):
        for child in current.children:
            if child.i in inside:
                continue
            if child.dep_ == "neg" or (
                child.dep_ in ("det", "advmod", "preconj") and child.lower_ in NEGATIVE_WORDS
            ):
                return True
            if child.dep_ in SUBJECT_DEPS and _negative_subject(child):
                return True
        if current.dep_ == "ROOT" or current.head.i == current.i:
            return False
        current = current.head
    return False


def _negative_subject(subject: Token) -> bool:
    if subject.lower_ in NEGATIVE_PEOPLE or subject.lower_ in {"nothing"}:
        return True
    return any(
        child.lower_ in {"no", "neither"} and child.dep_ in ("det", "preconj") for child in subject.children
    )


HARM_VERBS = {
    "crash",
    "break",
    "stop",
    "fail",
    "lose",
    "drop",
    "withdraw",
    "expose",
    "leak",
    "corrupt",
    "wipe",
    "delete",
    "go",
    "fall",
    "hang",
    "stall",
    "degrade",
    "spike",
    "overload",
    "collapse",
    "drag",
    "die",
    "halt",
    "freeze",
    "error",
    "timeout",
    "reject",
    "page",
    "alert",
    "disappear",
    "vanish",
    "miss",
    "leave",
    "become",
    "start",
    "begin",
    "get",
    "happen",
    "occur",
}
CAUSAL_MARKERS = {"because", "after", "when", "since", "as", "once"}


def caused_harm(token: Token) -> bool:
    """The token's clause is the "because/after/when" clause of a harm in the main clause."""
    verb = clause_verb(token)
    if verb.dep_ != "advcl" or not any(child.lower_ in CAUSAL_MARKERS for child in verb.children):
        return False
    main = verb.head
    return main.lemma_.lower() in HARM_VERBS and not any(child.dep_ == "neg" for child in main.children)


SYSTEM_NOUNS = {
    "service",
    "server",
    "daemon",
    "controller",
    "job",
    "script",
    "scheduler",
    "autoscaler",
    "pipeline",
    "cache",
    "database",
    "db",
    "cluster",
    "node",
    "pod",
    "container",
    "process",
    "worker",
    "queue",
    "consumer",
    "producer",
    "client",
    "library",
    "tool",
    "bot",
    "system",
    "app",
    "application",
    "api",
    "gateway",
    "proxy",
    "balancer",
    "router",
    "switch",
    "firewall",
    "alert",
    "monitor",
    "check",
    "probe",
    "agent",
    "driver",
    "firmware",
    "kernel",
    "disk",
    "array",
    "replica",
    "primary",
    "backup",
    "cron",
    "cronjob",
    "operator",
    "resolver",
    "daemonset",
    "deployment",
    "orchestrator",
    "sdk",
    "cdn",
    "dns",
    "vm",
    "host",
}


def is_system_subject(token: Token) -> bool:
    """The clause's subject is a piece of software or hardware ("the storage controller was negligent")."""
    known = _known(token)
    verb = token
    for _ in range(4):
        if verb.pos_ in ("VERB", "AUX") and verb.dep_ not in ("aux", "auxpass"):
            break
        if verb.head.i == verb.i:
            break
        verb = verb.head
    for subject in _direct_subjects(verb, "agent"):
        if is_person(subject, known) or any(
            child.dep_ == "poss" and is_person(child, known) for child in subject.children
        ):
            return False
        if subject.lemma_.lower() in SYSTEM_NOUNS or any(
            child.dep_ == "compound" and child.pos_ == "PROPN" for child in subject.children
        ):
            return True
    return False


def _same_clause(token: Token, verb: Token) -> bool:
    """True when no other verb stands between the token and the clause's verb."""
    current = token.head
    while current.i != verb.i and current.head.i != current.i:
        if current.pos_ in ("VERB", "AUX") and current.dep_ not in ("aux", "auxpass"):
            return False
        current = current.head
    return current.i == verb.i


def is_careless(token: Token) -> bool:
    """The action is described as mistaken: bad object, careless adverb, "by accident", "without review"."""
    verb = clause_verb(token)
    for inner in verb.subtree:
        if (
            inner.lower_ in ("accident", "mistake")
            and inner.head.lower_ == "by"
            and _same_clause(inner, verb)
        ):
            return True
        if inner.lower_ == "instead" and _same_clause(inner, verb):
            return True
    for child in verb.children:
        if child.dep_ in ("dobj", "nsubjpass", "attr") and any(
            grand.lower_ in BAD_MODIFIERS for grand in child.children if grand.dep_ in ("amod", "compound")
        ):
            return True
        if child.dep_ == "advmod" and child.lower_ in CARELESS_ADVERBS:
            return True
        if child.dep_ == "prep" and child.lower_ in ("by", "without", "instead"):
            objects = [grand for grand in child.subtree if grand.i != child.i]
            lemmas = {grand.lemma_.lower() for grand in objects}
            if child.lower_ == "by" and lemmas & {"accident", "mistake", "error"}:
                return True
            if child.lower_ == "without" and lemmas & WITHOUT_WHAT:
                return True
            if child.lower_ == "instead":
                return True
    return False
