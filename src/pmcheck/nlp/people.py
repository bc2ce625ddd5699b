"""Who is a person in a sentence: names, @handles, pronouns and role nouns.

The statistical model alone misses names that are also words ("Will", "Mark", "June") and tags
handles as numbers, so its PERSON entities are combined with word lists and the document's own
people (its authors and action owners).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from pmcheck.nlp.tree import SYSTEM_NOUNS
from pmcheck.packpath import builtin_pack_dir

if TYPE_CHECKING:
    from spacy.tokens import Token

PRONOUNS = frozenset(
    {
        "i",
        "we",
        "he",
        "she",
        "they",
        "you",
        "me",
        "us",
        "him",
        "her",
        "them",
        "someone",
        "somebody",
        "anyone",
        "anybody",
        "whoever",
        "everyone",
        "everybody",
        "nobody",
        "noone",
    }
)
RESPONSIBLE = frozenset({"responsible", "involved", "who", "at"})
# "one of our interns", "two of the contractors": a part of a group of people is a person.
QUANTITIES = frozenset(
    {"one", "two", "three", "some", "several", "many", "few", "each", "both", "all", "most"}
)
NEGATIVE_PEOPLE = frozenset({"nobody", "noone", "none", "neither"})


@functools.lru_cache(maxsize=1)
def role_nouns() -> frozenset[str]:
    """Lemmas of role nouns ("engineer", "contractor"...), from ``roles.txt`` in the rule packs."""
    text = (builtin_pack_dir() / "roles.txt").read_text(encoding="utf-8")
    return frozenset(line.strip().lower() for line in text.splitlines() if line.strip()[:1] not in ("", "#"))


@functools.lru_cache(maxsize=1)
def first_names() -> frozenset[str]:
    text = (Path(__file__).parent / "data" / "first_names.txt").read_text(encoding="utf-8")
    return frozenset(word for line in text.splitlines() if not line.startswith("#") for word in line.split())


NER_KEY = "pmcheck_ner"


def entity_type(token: Token) -> str:
    """The token's entity type, running the loaded-but-idle NER component on its sentence at most once."""
    doc = token.doc
    recognizer = doc.user_data.get(NER_KEY)
    if recognizer is not None:
        doc.user_data[NER_KEY] = None
        recognizer(doc)
    return str(token.ent_type_)


def is_person(token: Token, known: frozenset[str] = frozenset()) -> bool:
    """True when the token names or stands for a person (or a group of people)."""
    lower = token.lower_
    if lower in THING_PRONOUNS and _things_before(token, known):
        return False  # "systems where mistakes are caught before they cause incidents"
    if lower in PRONOUNS or token.text.startswith("@") or _inside_handle(token):
        return True
    if lower == "who" and token.dep_ in ("nsubj", "nsubjpass") and token.head.dep_ == "relcl":
        return True  # "the one who messed up": a relative "who" stands for a person
    if lower in QUANTITIES and any(
        child.dep_ == "prep"
        and child.lower_ == "of"
        and any(grand.dep_ == "pobj" and is_person(grand, known) for grand in child.children)
        for child in token.children
    ):
        return True
    if lower == "those" and token.i + 1 < len(token.doc) and token.doc[token.i + 1].lower_ in RESPONSIBLE:
        return True  # "those responsible", "those involved", "those who ..."
    plural = lower[:-1] if token.tag_ in ("NNS", "NNPS") and lower.endswith("s") else lower  # "SREs"
    if lower in role_nouns() or token.lemma_.lower() in role_nouns() or plural in role_nouns():
        # "the Kubernetes operator", "the Terraform provider's admin API": a product name makes it software
        # (in a title-case headline every word looks like a name: "Blamed On Careless Employee").
        # Only a role that software also plays can be a product's: "the FirstEnergy operators", "the Google
        # engineers" are an employer's people.
        return _headline(token) or not any(
            child.dep_ == "compound"
            and child.pos_ == "PROPN"
            and not is_person(child, known)
            and _software_role(token, plural, child)
            for child in token.children
        )
    if (
        lower == "call"
        and token.i >= 2
        and token.doc[token.i - 1].text == "-"
        and token.doc[token.i - 2].lower_ == "on"
    ):
        return True
    if token.text in known or lower in known:
        return True
    if token.pos_ == "PROPN" and entity_type(token) == "PERSON":
        return True
    if (
        token.is_title
        and token.text in first_names()
        and (
            token.pos_ in ("PROPN", "NOUN")
            or token.dep_ in ("nsubj", "nsubjpass")
            or token.is_sent_start
            or token.i == token.sent.start
        )
    ):
        return True
    # "Daniel Okafor": the head of a full name is a person when its first part is ("the Diego Brain
    # instance" is not: its head is a common noun).
    if token.pos_ == "PROPN" and any(
        child.dep_ == "compound" and is_person(child, known) for child in token.children
    ):
        return True
    return acts_as_person(token)


# Role nouns that also name software: "the Kubernetes operator", "the Terraform provider's admin API".
SOFTWARE_ROLES = frozenset(
    {"operator", "admin", "administrator", "agent", "user", "client", "manager", "provider", "worker"}
    | {"controller", "driver", "runner", "scheduler", "assistant", "bot", "owner", "maintainer"}
)


def _software_role(token: Token, singular: str, compound: Token) -> bool:
    """A product name before the role makes it software ("the Kubernetes operator"); a company's name
    before a plural makes it that company's staff ("the FirstEnergy operators")."""
    if singular not in SOFTWARE_ROLES and token.lemma_.lower() not in SOFTWARE_ROLES:
        return False
    return not (token.tag_ in ("NNS", "NNPS") and entity_type(compound) == "ORG")


# Trades that make a "worker" a person: "construction workers", "a utility worker", "the maintenance crew".
TRADES = frozenset(
    {"construction", "maintenance", "utility", "field", "site", "road", "city", "council", "factory"}
    | {"cleaning", "repair", "electrical", "electric", "power", "sewer", "rail", "railway", "telecom"}
    | {"warehouse", "office", "plant", "line", "contract", "temp", "temporary", "farm", "building"}
    | {"it", "support", "helpdesk"}
)


def _trade(token: Token) -> bool:
    return any(
        child.dep_ in ("compound", "amod") and child.lemma_.lower() in TRADES for child in token.children
    )


def _headline(token: Token) -> bool:
    """The token's own word and nearly every word of its sentence start with a capital."""
    words = [t for t in token.sent if t.is_alpha and len(t) > 3]
    return token.is_title and len(words) >= 3 and sum(t.is_title for t in words) >= 0.8 * len(words)


THING_PRONOUNS = frozenset({"they", "them"})


def _things_before(pronoun: Token, known: frozenset[str]) -> bool:
    """ "they" after plural things and no people in its sentence stands for those things."""
    plurals = [
        t
        for t in pronoun.doc[pronoun.sent.start : pronoun.i]
        if t.tag_ in ("NNS", "NNPS") or t.lower_ == "we"
    ]
    if not plurals:
        return False  # the people it stands for are in an earlier sentence
    return not any(t.lower_ in PRONOUNS or is_person(t, known) for t in plurals)


def _inside_handle(token: Token) -> bool:
    """A piece of a hyphenated handle the tokenizer split ("@dev-ana" gives "@dev", "-", "ana")."""
    index = token.i
    while index > token.sent.start:
        before = token.doc[index - 1]
        if before.whitespace_:
            return False
        if before.text.startswith("@"):
            return True
        index -= 1
    return False


# A timeline entry's opening: its time ("14:02", "[14:02]", "2026-03-02 14:02 UTC", "T+5"), then a
# separator, then the word or handle that acts ("- 14:05 mbk acknowledges the page").
_ENTRY_ACTOR = re.compile(
    r"^\W*(?:\d{4}-\d{2}-\d{2}[ T]?)?(?:\d{1,2}:\d{2}(?::\d{2})?|T[+-]\d+\w*)\]?\**\s*"
    r"(?:[A-Z]{2,5}\b)?\s*[:|\-–—]*\s*\**(?P<actor>@?[A-Za-z][\w.-]{1,38})\**:?\s+(?P<verb>[a-z]+)"
)
# What only a person does at the start of a timeline entry (a bot pages, posts and alerts too).
ACTOR_VERBS = frozenset(
    {
        "acknowledge",
        "ack",
        "join",
        "declare",
        "decide",
        "escalate",
        "ask",
        "reply",
        "confirm",
        "suggest",
        "propose",
        "agree",
        "realise",
        "realize",
        "notice",
        "investigate",
        "hand",
        "coordinate",
        "wake",
        "tell",
        "say",
        "think",
        "suspect",
    }
)


def timeline_actors(entries: Iterable[str]) -> frozenset[str]:
    """Words and handles that open a timeline entry acting as a person ("14:05 mbk acknowledges the page")."""
    found = set()
    for entry in entries:
        match = _ENTRY_ACTOR.match(entry)
        if match is None:
            continue
        actor, verb = match["actor"], match["verb"]
        if actor.startswith("@") or (_verb_lemma(verb) in ACTOR_VERBS and _may_name(actor)):
            found.add(actor)
    return frozenset(found)


def _may_name(word: str) -> bool:
    """Not a pronoun or a gerund ("Monitoring notices")."""
    lower = word.lower()
    return lower not in PRONOUNS and not lower.endswith("ing")


def _verb_lemma(word: str) -> str:
    for ending, replacement in (("ies", "y"), ("es", ""), ("s", ""), ("ed", ""), ("ed", "e")):
        if word.endswith(ending) and word[: -len(ending)] + replacement in ACTOR_VERBS:
            return word[: -len(ending)] + replacement
    return word


# Verbs only a person does: a noun that thinks, decides or is paged is someone ("the duty officer
# decided", "the night-shift lead was paged").
MIND_VERBS = frozenset(
    {
        "think",
        "decide",
        "believe",
        "assume",
        "realise",
        "realize",
        "feel",
        "want",
        "agree",
        "admit",
        "apologise",
        "apologize",
        "suspect",
        "guess",
        "confess",
        "regret",
        "intend",
        "choose",
        "hesitate",
    }
)
BELIEF_VERBS = frozenset({"think", "believe", "assume", "admit", "regret", "confess"})
# Verbs whose object is a person: "the operator is retraining workers".
STAFFING_VERBS = frozenset({"retrain", "reprimand", "discipline", "hire"})
CONTACT_VERBS = frozenset({"page", "wake", "notify", "email", "phone", "ping"})


def acts_as_person(token: Token) -> bool:
    """A common noun that the sentence shows acting as a person: it thinks, decides, is paged."""
    if token.pos_ == "NOUN" and token.dep_ == "dobj" and token.head.lemma_.lower() in STAFFING_VERBS:
        # "retraining workers", "reprimanded two temps" (not "retrain the ranking model")
        return token.tag_ == "NNS" and (
            token.lemma_.lower() in SYSTEM_NOUNS or token.head.lemma_ != "retrain"
        )
    if token.pos_ == "NOUN" and any(
        child.dep_ == "relcl"
        and any(
            g.lower_ in ("who", "whom") and g.dep_ in ("nsubj", "nsubjpass", "dobj") for g in child.children
        )
        for child in token.children
    ):
        return True  # "a user who had admin rights": only a person is a "who"
    if token.pos_ == "NOUN" and token.lemma_.lower() in ("worker", "crew") and _trade(token):
        return True  # "construction workers cut the cable", "a utility worker" (not "a queue worker")
    if token.pos_ != "NOUN" or token.dep_ not in ("nsubj", "nsubjpass"):
        return False
    verb = token.head
    if token.dep_ == "nsubj" and _slipped_up(verb):
        return True  # "a worker messed up": only people mess up or screw up
    if token.lemma_.lower() in SYSTEM_NOUNS:
        # "the three workers thought ...": people, though a lone "worker" is usually a process
        return token.tag_ == "NNS" and token.dep_ == "nsubj" and verb.lemma_.lower() in BELIEF_VERBS
    lemma = verb.lemma_.lower()
    return (token.dep_ == "nsubj" and lemma in MIND_VERBS) or (
        token.dep_ == "nsubjpass" and lemma in CONTACT_VERBS
    )


def _slipped_up(verb: Token) -> bool:
    return verb.lemma_.lower() in ("mess", "screw", "goof", "foul") and any(
        child.dep_ == "prt" and child.lower_ == "up" for child in verb.children
    )
