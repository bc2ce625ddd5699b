"""Facts about a parsed sentence that the NLP modules share: the clause a word belongs to, the subject
relations, the people the document itself names, and word lists (things that are systems, checks that
"without ..." says were skipped).

A leaf of :mod:`pmcheck.nlp`: it imports no other pmcheck module, so :mod:`~pmcheck.nlp.grammar`,
:mod:`~pmcheck.nlp.faults` and :mod:`~pmcheck.nlp.people` all read it without importing each other back.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from spacy.tokens import Token

SUBJECT_DEPS = {"nsubj", "nsubjpass", "csubj"}
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
    "think",
    "thinking",
}
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
_KNOWN_KEY = "pmcheck_people"


def known_people(token: Token) -> frozenset[str]:
    """Names the document gives for people, as :func:`set_known_people` stored them on its parse."""
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


def weighed(head: Token) -> bool:
    """ "beneficial (to ...)", "it is rarely wise (to ...)": an adjective judging an act in general."""
    if head.pos_ == "ADJ":
        return True
    return (
        head.lemma_.lower() == "be"
        and any(c.dep_ == "nsubj" and c.lower_ == "it" for c in head.children)
        and any(c.dep_ == "acomp" for c in head.children)
    )
