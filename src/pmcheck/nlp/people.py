"""Who is a person in a sentence: names, @handles, pronouns and role nouns.

The statistical model alone misses names that are also words ("Will", "Mark", "June") and tags
handles as numbers, so its PERSON entities are combined with word lists and the document's own
people (its authors and action owners).
"""

from __future__ import annotations

import functools
from importlib import resources
from typing import TYPE_CHECKING

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
        "those",
        "nobody",
        "noone",
    }
)
NEGATIVE_PEOPLE = frozenset({"nobody", "noone", "none", "neither"})
ROLE_NOUNS = frozenset(
    {
        "engineer",
        "operator",
        "developer",
        "dev",
        "sre",
        "admin",
        "administrator",
        "sysadmin",
        "intern",
        "contractor",
        "dba",
        "hire",
        "person",
        "human",
        "reviewer",
        "approver",
        "employee",
        "staff",
        "manager",
        "lead",
        "teammate",
        "colleague",
        "member",
        "responder",
        "oncall",
        "on-call",
        "team",
        "individual",
        "programmer",
        "architect",
        "technician",
        "analyst",
        "owner",
        "author",
        "maintainer",
        "consultant",
        "guy",
        "folks",
        "people",
        "vendor",
        "idiot",
        "moron",
        "genius",
        "clown",
        "fool",
        "newbie",
        "rookie",
        "junior",
        "senior",
        "newcomer",
        "trainee",
        "apprentice",
        "clerk",
        "researcher",
        "scientist",
    }
)


@functools.lru_cache(maxsize=1)
def first_names() -> frozenset[str]:
    text = resources.files("pmcheck.nlp").joinpath("data/first_names.txt").read_text(encoding="utf-8")
    return frozenset(word for line in text.splitlines() if not line.startswith("#") for word in line.split())


NER_KEY = "pmcheck_ner"


def _entity_type(token: Token) -> str:
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
    if lower in PRONOUNS or token.text.startswith("@"):
        return True
    if lower in ROLE_NOUNS or token.lemma_.lower() in ROLE_NOUNS:
        # "the Kubernetes operator", "the Terraform provider's admin API": a product name makes it software.
        return not any(
            child.dep_ == "compound" and child.pos_ == "PROPN" and not is_person(child, known)
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
    if token.pos_ == "PROPN" and _entity_type(token) == "PERSON":
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
    # "Daniel Okafor": the head of a full name is a person when its first part is.
    return any(child.dep_ == "compound" and is_person(child, known) for child in token.children)
