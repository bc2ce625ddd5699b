"""Fault shapes with no named doer, or with the doer given elsewhere: more spaCy token extensions.

- ``person_blamed``: "blame" lands on a person ("the contractor was to blame", "we blame the
  technician", "the outage was blamed on a junior developer", "the person to blame").
- ``unnamed_actor``: a passive whose doer is left out or is a person ("the patch was merged", "this
  should have been caught in review"), not a thing ("caught by the validator", "with better alerts").
- ``passive_fault``: such a passive of a person's act told as rushed or unchecked ("was merged without
  running the tests", "the change was rushed"); not a slip stated as a fact ("was accidentally deleted").
- ``admonition``: people told to take more care ("Please do not push unreviewed changes to main", "Be careful
  when ...", "engineers must pay closer attention", "please stop pushing to main"), not an instruction
  about the system ("stop the deploy if the canary fails").
- ``planned``: the action was scheduled or chosen ("took the old cluster offline once traffic had
  moved", "for maintenance").
- ``contrasted``: the clause goes on with "but", granting the slip to look past it.
"""

from __future__ import annotations

from spacy.tokens import Token

from pmcheck.nlp.people import is_person
from pmcheck.nlp.tree import SUBJECT_DEPS, WITHOUT_WHAT, clause_verb, known_people, weighed

PERSON_ACTS = frozenset(
    {
        "merge",
        "push",
        "deploy",
        "ship",
        "release",
        "roll",
        "apply",
        "run",
        "execute",
        "drop",
        "delete",
        "remove",
        "approve",
        "commit",
        "type",
        "enter",
        "change",
        "edit",
        "disable",
        "enable",
        "restart",
        "reboot",
        "unplug",
        "switch",
        "turn",
        "shut",
        "rush",
        "close",
        "wipe",
        "overwrite",
        "truncate",
        "purge",
        "implement",
        "write",
        "upload",
        "publish",
        "promote",
        "revoke",
        "rotate",
        "grant",
    }
)
CARE_WORDS = frozenset({"careful", "cautious", "vigilant", "attentive", "thorough", "diligent", "mindful"})
CARE_ADVERBS = frozenset({"carefully", "responsibly", "cautiously", "attentively", "thoroughly"})
# Documentation tells readers to "read carefully" and "pay attention to the FAQ"; an admonition asks
# for more care than was taken: "be more careful", "pay closer attention", "review more carefully".
MORE = frozenset({"more", "extra", "closer", "better", "greater", "especially"})
CHECK_TWICE = frozenset({"double", "triple"})
BAD_OBJECTS = frozenset({"untested", "unreviewed", "broken", "failing", "red"})
INSTRUMENTS = frozenset({"by", "with", "through", "via", "using"})
PLANNED_MARKS = frozenset({"once", "after", "before", "so", "until", "while"})
OLD_THINGS = frozenset({"old", "unused", "legacy", "stale", "deprecated", "former", "retired", "spare"})
MANNERS = frozenset({"mistake", "accident", "error", "hand", "default"})  # "by mistake" names no doer
# Error messages pasted as prose read like notes: "Failed to pull image", "Caused by: ...".
LOG_VERBS = frozenset({"fail", "cause", "time", "abort", "exit", "return", "raise", "throw"})
PAST_PASSIVE = frozenset({"was", "were", "been", "got", "gotten"})
PURPOSES = frozenset(
    {"maintenance", "upgrade", "migration", "test", "testing", "work", "repair", "replacement", "patching"}
)
MODALS = frozenset({"must", "should", "need", "have", "ought"})


def person_blamed(token: Token) -> bool:
    """The word "blame" puts a fault on a person."""
    lemma = token.lemma_.lower()
    if lemma not in ("blame", "fault") or token.tag_ == "VBG":
        return False  # "went from blaming the operator to blaming the UI" talks about blaming
    known = known_people(token)
    if token.pos_ == "NOUN":  # "the blame lies with the vendor", "the fault lies with the engineer"
        preps = [child for child in token.children if child.dep_ == "prep" and child.lower_ in ("on", "with")]
        preps += [c for c in token.head.children if c.dep_ == "prep" and c.lower_ in ("on", "with")]
        return any(_object_is_person(prep, known) for prep in preps)
    if lemma != "blame":
        return False
    if any(child.dep_ == "aux" and child.lower_ == "to" for child in token.children):
        if token.dep_ in ("relcl", "acl"):  # "the person to blame"
            return is_person(token.head, known) and not _sought_in_general(token.head)
        if token.dep_ == "xcomp":  # "the engineer was to blame"
            return any(c.dep_ == "nsubj" and is_person(c, known) for c in token.head.children)
        return False
    if _blame_denied(token):
        return False
    for child in token.children:
        if child.dep_ == "dobj" and is_person(child, known):
            return True  # "we blame the technician"
        if child.dep_ == "nsubjpass" and is_person(child, known):
            return True  # "the intern was blamed"
        if child.dep_ == "prep" and child.lower_ == "on" and _object_is_person(child, known):
            return True  # "was blamed on a junior developer", "blamed it on the intern"
    return False


WRONGLY = frozenset({"wrongly", "unfairly", "falsely", "unjustly", "mistakenly", "wrongfully"})


def _blame_denied(verb: Token) -> bool:
    """The sentence says the blame was wrong: "wrongly blamed", "blamed you for a problem you didn't
    cause" (talk about unfair blame, not a fault put on someone)."""
    if any(child.dep_ == "advmod" and child.lower_ in WRONGLY for child in verb.children):
        return True
    return any(
        prep.dep_ == "prep"
        and prep.lower_ == "for"
        and any(
            clause.dep_ == "relcl" and any(c.dep_ == "neg" for c in clause.children)
            for thing in prep.children
            for clause in thing.children
        )
        for prep in verb.children
    )


# Who is meant when a sentence talks about everyone: "people tend to look for someone to blame".
GENERIC_PEOPLE = frozenset({"people", "humans", "everyone", "everybody", "one", "you", "folks"})
INDEFINITE_PEOPLE = frozenset({"someone", "somebody", "anyone", "anybody", "scapegoat"})
_CHAIN = 3  # how many "to" verbs up a sentence may hang the search: "people tend to want to find ..."


def _sought_in_general(person: Token) -> bool:
    """Looking for "someone to blame" talked about as a human habit, not told of this incident: "it is
    tempting to look for someone to blame", "human nature is to find someone to blame", "people tend to
    look for someone to blame" (not "management wanted someone to blame", "we need someone to blame")."""
    if person.lower_ not in INDEFINITE_PEOPLE:
        return False
    verb = person.head.head if person.dep_ == "pobj" else person.head
    for _ in range(_CHAIN):
        habitual = verb.tag_ == "VB" and any(c.dep_ == "aux" and c.lower_ == "would" for c in verb.children)
        if habitual or (
            verb.tag_ in ("VBP", "VBZ")
            and any(child.dep_ == "nsubj" and child.lower_ in GENERIC_PEOPLE for child in verb.children)
        ):
            return True  # "people tend to ...", and a habit: "managers would look for someone to blame"
        if verb.dep_ != "xcomp":
            return False
        head = verb.head
        if weighed(head) or (
            # "human nature is to find ...": a thing, not a person, is what seeks
            head.lemma_.lower() == "be"
            and any(
                child.dep_ == "nsubj" and child.pos_ == "NOUN" and not is_person(child, known_people(child))
                for child in head.children
            )
        ):
            return True
        verb = head
    return False


def _object_is_person(prep: Token, known: frozenset[str]) -> bool:
    return any(child.dep_ == "pobj" and is_person(child, known) for child in prep.children)


def unnamed_actor(token: Token) -> bool:
    """A passive that leaves its doer out, or names a person, but no thing, as the means."""
    if not any(child.dep_ == "auxpass" for child in token.children):
        return False
    known = known_people(token)
    # anywhere in the clause: "was changed by mistake to 25% through upgrade code"
    for child in token.subtree:
        if child.dep_ in ("agent", "prep") and child.lower_ in INSTRUMENTS:
            objects = [
                g for g in child.children if g.dep_ in ("pobj", "pcomp") and g.lemma_.lower() not in MANNERS
            ]
            if any(not is_person(g, known) for g in objects):
                return False
    return True


def passive_fault(token: Token) -> bool:
    """A person's act in the passive, told as rushed or as done without the check it needed.

    A slip told in the passive ("was accidentally deleted", "was changed by mistake") is how
    blameless reports state a fact without a name, so it is left alone; skipping the check ("merged
    without running the tests") and rushing judge the act.
    """
    lemma = token.lemma_.lower()
    if token.tag_ != "VBN" or lemma not in PERSON_ACTS or not unnamed_actor(token):
        return False
    if not any(child.dep_ == "auxpass" and child.lower_ in PAST_PASSIVE for child in token.children):
        return False  # "is set up without a check" describes a state, not someone's act
    if lemma == "rush":
        return True
    return any(
        child.dep_ == "prep"
        and child.lower_ == "without"
        and {g.lemma_.lower() for g in child.subtree if g.i != child.i} & WITHOUT_WHAT
        for child in token.children
    )


def admonition(token: Token) -> bool:
    """People told to take more care: an imperative or a must/should aimed at people."""
    if token.pos_ not in ("VERB", "AUX"):
        return False
    if token.dep_ not in ("ROOT", "conj") and not (
        token.dep_ == "xcomp" and token.head.lemma_.lower() in ("need", "have")
    ):
        return False
    urged = _urged(token)
    if not (urged or _imperative(token)):
        return False
    negative = any(child.dep_ == "neg" or child.lower_ == "never" for child in token.children)
    always = urged or any(child.lower_ in ("always", "please") for child in token.children)
    for child in token.children:
        more = urged or any(grand.lower_ in MORE for grand in child.subtree)
        if child.dep_ == "acomp" and more and any(g.lower_ in CARE_WORDS for g in child.subtree):
            return True  # "be more careful", "we need to be vigilant"
        if child.dep_ == "advmod" and child.lower_ in CARE_ADVERBS and more:
            return True  # "review changes more carefully"
        if child.dep_ == "dobj" and child.lower_ == "attention" and token.lemma_.lower() == "pay" and more:
            return True  # "pay closer attention"
        if negative and child.dep_ == "dobj" and any(g.lower_ in BAD_OBJECTS for g in child.children):
            return True  # "do not push unreviewed changes", "never push untested code"
    if token.lemma_.lower() in ("stop", "quit") and any(
        child.dep_ == "xcomp" and child.tag_ == "VBG" and child.lemma_.lower() in PERSON_ACTS
        for child in token.children
    ):
        return True  # "please stop pushing to main": a person told to quit what they did
    twice = token.i >= 2 and token.doc[token.i - 2].lower_ in CHECK_TWICE
    return always and token.lemma_.lower() == "check" and twice  # "always double-check the environment"


def _imperative(verb: Token) -> bool:
    if verb.tag_ != "VB" or any(child.dep_ in ("nsubj", "nsubjpass", "expl") for child in verb.children):
        return False
    if any(child.dep_ == "aux" and child.lower_ not in ("do", "please") for child in verb.children):
        return False  # "to check", "will check"
    if verb.dep_ == "conj":
        return _imperative(verb.head)
    return not verb.sent.text.rstrip().endswith("?")


def _urged(verb: Token) -> bool:
    """ "Engineers must pay closer attention", "we need to be more careful" (not "we should have alerts")."""
    known = known_people(verb)
    current = verb
    if current.dep_ == "xcomp" and current.head.lemma_.lower() in ("need", "have"):
        current = current.head
    modal = any(
        child.dep_ == "aux" and child.lower_ in MODALS for child in current.children
    ) or current.lemma_.lower() in ("need", "have")
    if not modal or any(
        child.lower_ in ("have", "'ve", "’ve") and child.i > verb.i for child in verb.children
    ):
        return False
    return any(child.dep_ == "nsubj" and is_person(child, known) for child in current.children)


def planned(token: Token) -> bool:
    """An action that was scheduled or chosen: a time or purpose clause ("to limit the impact"),
    "for maintenance", an old thing."""
    for child in token.children:
        marks = [g for g in child.children if g.dep_ == "mark" and g.lower_ in PLANNED_MARKS]
        if child.dep_ == "advcl" and marks:
            return True
        if child.dep_ == "advcl" and child.lemma_.lower() in (
            "plan",
            "schedule",
            "agree",
            "announce",
            "intend",
        ):
            return True  # "dropped the table, as planned"
        if child.dep_ in ("advcl", "xcomp") and any(
            g.dep_ == "aux" and g.lower_ == "to" for g in child.children
        ):
            return True  # "to limit the impact": a purpose
        if (
            child.dep_ == "prep"
            and child.lower_ == "for"
            and any(grand.lemma_.lower() in PURPOSES for grand in child.children)
        ):
            return True  # "for maintenance", not "for an hour" or "for everyone"
        if child.dep_ == "dobj" and any(g.lower_ in OLD_THINGS for g in child.children):
            return True
    return False


def implied_writer(token: Token) -> bool:
    """A past-tense sentence with its subject left out, as in notes and timelines: the writer acted
    ("Forgot to update the DNS record.", "14:05 Accidentally restarted the wrong node.")."""
    verb = clause_verb(token)
    while verb.dep_ in ("conj", "xcomp") and verb.head.i != verb.i:
        verb = verb.head
    labels = [child for child in verb.children if child.dep_ in SUBJECT_DEPS and _label(child, verb)]
    if verb.dep_ != "ROOT" or any(
        child.dep_ in SUBJECT_DEPS | {"expl"} and not _stamp(child) and child not in labels
        for child in verb.children
    ):
        return False  # (a time stamp the parser took for the subject is none, nor a label: "Project X - ...")
    text = verb.lower_
    past = verb.tag_ == "VBD" or (
        verb.tag_ in ("VB", "VBN") and text != verb.lemma_.lower() and not text.endswith("s")
    )
    # "was messing with the TTS settings, but forgot ...": the past progressive of a note
    progressive = verb.tag_ == "VBG" and (
        bool(labels) or any(c.dep_ == "aux" and c.tag_ == "VBD" for c in verb.children)
    )
    if not (past or progressive) or verb.pos_ != "VERB" or verb.lemma_.lower() in LOG_VERBS:
        return False
    if not any(
        child.dep_ in ("dobj", "xcomp", "prt") or (progressive and child.dep_ == "prep")
        for child in verb.children
    ):
        return False  # "Ignored if the option is set": documentation describing a default, not a note
    labelled = {t.i for label in labels for t in label.subtree}
    for before in verb.doc[verb.sent.start : verb.i]:
        if before.i in labelled or (progressive and before.dep_ == "aux" and before.head.i == verb.i):
            continue
        if not (before.is_punct or _stamp(before) or before.dep_ in ("advmod", "intj", "npadvmod", "nummod")):
            return False  # something other than a time stamp or an adverb comes first: not a note
    return True


def contrasted(token: Token) -> bool:
    """The clause goes on with "but" ("this developer made a mistake, but the problems started long
    before"): the sentence grants the slip in order to look past it."""
    verb = clause_verb(token)
    for _ in range(4):
        if any(child.dep_ == "cc" and child.lower_ == "but" and child.i > token.i for child in verb.children):
            return True
        if verb.head.i == verb.i:
            break
        verb = verb.head
    return False


def _label(subject: Token, verb: Token) -> bool:
    """A name set off by a dash or colon before the note it heads: "Project X - forgot the cache"."""
    after = subject.right_edge.i + 1
    return after < verb.i and subject.doc[after].text in ("-", "–", "—", ":")


def _stamp(token: Token) -> bool:
    return token.like_num or token.shape_.startswith(("d:dd", "dd:dd", "[d", "T+"))


GETTERS = {
    "person_blamed": person_blamed,
    "unnamed_actor": unnamed_actor,
    "passive_fault": passive_fault,
    "admonition": admonition,
    "planned": planned,
    "contrasted": contrasted,
}
