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
- ``error_manner``: an error adverb on the clause's verb ("inadvertently switched off", "incorrectly
  thought"), so any action of a person can carry the fault.
- ``person_fault``: a fault noun owned by a person ("my mistake", "their oversight", "a developer's
  fault"), not a compound ("our error budget").
- ``owner_subject``: the clause's subject is something a person owns ("my coworker's PR caused ...");
  the collective "our" is left out, as a blameless team writes "our change".
- ``harm_object``: the direct object is a harm ("caused the outage", "triggered an incident").
- ``deliberate``: the verb is what someone chose, planned or tried to do ("decided to wipe the db").
- ``harm_consequence``: the clause's action is followed by its harm: "..., which broke the site",
  "..., causing the outage".
- ``procedure_subject``: the passive subject is a procedure, runbook, standard or rule.
- ``hypothetical``: a possibility, plan or inability ("could have bypassed", "will break", "could not").
- ``remedy``: a reporting, noticing, paging or fixing verb ("rolled back", "spotted", "reported").
- ``org_subject``: the clause's doer is an organisation ("Microsoft", "our hosting provider").
- ``attributed_to_person``: the harm is traced to a person ("boiled down to an engineer pushing ...").
- ``against_rule``: the act was done against a policy, procedure or instruction.
- ``third_person``: the clause's doer is someone other than the writer (not I / we / you).
- ``harm_from_owned``: a harm came from something a person owns ("the regression came from my PR").
- ``longing``: "miss" said of what one longs for ("one thing I miss about the old system").

More, for faults with no named doer, are in :mod:`pmcheck.nlp.faults`.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from spacy.tokens import Token

from pmcheck.nlp.faults import implied_writer
from pmcheck.nlp.faults import planned as is_planned
from pmcheck.nlp.people import NEGATIVE_PEOPLE, entity_type, first_names, is_person
from pmcheck.nlp.tree import SUBJECT_DEPS, SYSTEM_NOUNS, WITHOUT_WHAT, clause_verb, known_people, weighed

RELATIVE_PRONOUNS = {"who", "that", "which", "whom"}
NEGATIVE_WORDS = {"no", "never", "neither", "nor", "not", "n't", "n’t", "without"}
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
ERROR_ADVERBS = frozenset(
    {
        "accidentally",
        "accidently",
        "accidentially",
        "mistakenly",
        "carelessly",
        "inadvertently",
        "inadvertantly",
        "unintentionally",
        "blindly",
        "recklessly",
        "wrongly",
        "incorrectly",
        "erroneously",
        "negligently",
        "sloppily",
        "lazily",
        "nonchalantly",
        "thoughtlessly",
        "absentmindedly",
        "foolishly",
        "stupidly",
        "blithely",
        "naively",
        "rashly",
        "prematurely",
        "heedlessly",
        "unthinkingly",
        "mindlessly",
        "haphazardly",
    }
)
CARELESS_ADVERBS = ERROR_ADVERBS
WRONG_MODIFIERS = frozenset({"wrong", "incorrect", "untested", "unreviewed"})
# Where an action was aimed: "ran the cleanup against / on the wrong cluster".
AIMED_PREPOSITIONS = frozenset({"against", "on", "to", "into", "in"})
CLEANUP_VERBS = frozenset({"delete", "remove", "drop", "purge", "flush", "prune", "clean", "disable"})
FAULT_NOUNS = frozenset(
    {
        "mistake",
        "error",
        "oversight",
        "fault",
        "blunder",
        "slip",
        "slip-up",
        "typo",
        "screw-up",
        "screwup",
        "lapse",
        "negligence",
        "carelessness",
        "misstep",
        "goof",
        "bad",
        "mess",
    }
)
# Faults that are someone's only when the text puts them on that person's part or side ("a significant
# miss on our part", "it was a failure on our side"); alone they are as often the system's.
PART_FAULTS = frozenset({"miss", "failure", "failing"})
POSSESSIVE_PEOPLE = frozenset({"my", "our", "his", "her", "their", "your"})
HARM_NOUNS = frozenset(
    {
        "outage",
        "incident",
        "failure",
        "problem",
        "issue",
        "downtime",
        "error",
        "breakage",
        "crash",
        "loss",
        "delay",
        "disruption",
        "regression",
        "bug",
        "leak",
        "breach",
        "damage",
        "degradation",
        "interruption",
        "blackout",
        "chaos",
        "mess",
        "havoc",
        "fire",
        "exposure",
        "lock",
        "deadlock",
        "lockup",
        "shutdown",
    }
)
DELIBERATE_VERBS = frozenset(
    {"decide", "choose", "opt", "plan", "agree", "try", "attempt", "need", "want", "intend"}
)
REMEDY_VERBS = frozenset(
    {
        "roll",
        "revert",
        "restore",
        "fix",
        "resolve",
        "mitigate",
        "repair",
        "recover",
        "notice",
        "spot",
        "report",
        "find",
        "discover",
        "identify",
        "detect",
        "investigate",
        "page",
        "alert",
        "notify",
        "escalate",
        "contact",
        "tell",
        "warn",
        "help",
        "rescue",
        "save",
        "stumble",
    }
)
STATIVE_VERBS = frozenset(
    {"be", "have", "need", "want", "know", "use", "see", "get", "seem", "look", "own", "hold"}
    | {"occur", "happen", "arise", "exist", "appear", "remain"}
)
# What is followed or applied by people: "the procedure was not followed" (not "the change was not applied").
PROCEDURE_NOUNS = frozenset(
    {
        "procedure",
        "process",
        "runbook",
        "playbook",
        "checklist",
        "standard",
        "policy",
        "guideline",
        "guidance",
        "rule",
        "instruction",
        "step",
        "protocol",
        "practice",
        "convention",
        "advice",
        "recommendation",
        "they",
    }
)
CONSEQUENCE_VERBS = frozenset(
    {"cause", "break", "crash", "trigger", "wipe", "delete", "corrupt", "leak", "expose"}
    | {"block", "lock", "disrupt", "interrupt", "halt", "overload", "delay", "flood", "exhaust", "saturate"}
)
# Consequence verbs that need their particle or preposition: "took down", "took the API offline", "led
# to", "resulted in".
CONSEQUENCE_PHRASES = {
    "take": ("down", "offline"),
    "bring": ("down", "offline"),
    "knock": ("out", "offline"),
    "lead": ("to",),
    "result": ("in",),
}
CAPABILITY_VERBS = frozenset({"allow", "let", "enable", "permit", "help", "force"})
HYPOTHETICAL_AUX = frozenset({"could", "might", "may", "would", "will", "'ll", "’ll", "can", "shall", "wo"})
_STAMP = re.compile(r"^[\[\(]?\d{1,2}:\d{2}|^T[+-]")


def getters() -> dict[str, Callable[[Token], bool]]:
    """What each of this module's extensions answers (:func:`pmcheck.nlp.extensions.register` adds them)."""
    return {
        "person": lambda token: is_person(token, known_people(token)),
        "person_subject": lambda token: (
            any(is_person(s, known_people(token)) for s in subjects(token, passive="agent"))
            or implied_writer(token)
        ),
        "person_patient": lambda token: any(
            is_person(s, known_people(token)) for s in subjects(token, passive="patient")
        ),
        "negated": is_negated,
        "verb_negated": lambda token: any(child.dep_ == "neg" for child in clause_verb(token).children),
        "person_object": lambda token: any(
            child.dep_ == "dobj" and is_person(child, known_people(token))
            for child in clause_verb(token).children
        ),
        "system_subject": is_system_subject,
        "caused_harm": caused_harm,
        "careless_manner": is_careless,
        "error_manner": has_error_manner,
        "person_fault": is_person_fault,
        "owner_subject": is_owner_subject,
        # "caused the outage", and in the passive "the outage was caused by an engineer"
        "harm_object": has_harm_object,
        "deliberate": is_deliberate,
        "harm_consequence": has_harm_consequence,
        "org_subject": org_subject,
        "remedy": lambda token: clause_verb(token).lemma_.lower() in REMEDY_VERBS,
        "people_trained": people_trained,
        "wrong_object": has_wrong_object,
        "own_object": has_own_object,
        "talked_about": talked_about,
        "decision_harm": decision_harm,
        "outsider_decision": outsider_decision,
        "attributed_to_person": attributed_to_person,
        "against_rule": against_rule,
        "third_person": third_person,
        "longing": longing,
        "lacking": lacking,
        "harm_from_owned": harm_from_owned,
        "harm_result": lambda token: (
            clause_verb(token).lemma_.lower() in NEUTRAL_RESULTS and _harmful_result(clause_verb(token))
        ),
        "hypothetical": is_hypothetical,
        "procedure_subject": lambda token: any(
            child.dep_ == "nsubjpass" and child.lemma_.lower() in PROCEDURE_NOUNS
            for child in clause_verb(token).children
        ),
    }


def is_deliberate(token: Token) -> bool:
    """A chosen action: "decided to wipe the db", and "broke the monolith into services" (split, not harm)."""
    verb = clause_verb(token)
    if verb.dep_ == "xcomp" and verb.head.lemma_.lower() in DELIBERATE_VERBS:
        return True
    return verb.lemma_.lower() == "break" and any(
        child.dep_ in ("prep", "prt") and child.lower_ in ("into", "up", "down", "apart")
        for child in verb.children
    )


def has_harm_object(token: Token) -> bool:
    """The clause's object is a harm: "caused the outage", "the outage was caused by", and in a relative
    clause the noun it describes ("one of the worst outages I've caused")."""
    verb = clause_verb(token)
    if any(
        child.dep_ in ("dobj", "attr", "nsubjpass") and child.lemma_.lower() in HARM_NOUNS
        for child in verb.children
    ):
        return True
    return (
        verb.dep_ == "relcl"
        and verb.head.lemma_.lower() in HARM_NOUNS
        and not any(child.dep_ in ("dobj", "nsubjpass") for child in verb.children)
    )


# Whose thing it is: one person's own ("my laptop", "his test branch"), not the team's or the service's.
OWN_POSSESSIVES = frozenset({"my", "his", "her"})
LIVE_WORDS = frozenset({"production", "prod", "live", "customer", "customers", "user", "users", "shared"})


def has_own_object(token: Token) -> bool:
    """The clause acts on the doer's own thing, nothing live: "I wiped my laptop", "he broke his own
    test branch" (not "I wiped my production replica", "he deleted the shared bucket")."""
    for child in clause_verb(token).children:
        if child.dep_ != "dobj":
            continue
        words = {g.lower_ for g in child.subtree}
        if any(g.dep_ == "poss" and g.lower_ in OWN_POSSESSIVES for g in child.children):
            return not words & LIVE_WORDS
    return False


def has_wrong_object(token: Token) -> bool:
    """The clause acts on a wrong thing: "unplugged the wrong cable", "ran it against the wrong region"."""
    verb = clause_verb(token)
    return _aimed_wrong(verb) or any(
        _wrong(child) or (child.dep_ == "dobj" and _aimed_wrong(child, also=("of",)))
        for child in verb.children
    )


def _wrong(thing: Token) -> bool:
    """A wrong thing acted on: "the wrong cable" (object), also "the wrong cluster" after "against"."""
    return thing.dep_ in ("dobj", "nsubjpass", "pobj") and any(
        child.dep_ == "amod" and child.lower_ in WRONG_MODIFIERS for child in thing.children
    )


def _aimed_wrong(token: Token, also: tuple[str, ...] = ()) -> bool:
    """ "ran the job against the wrong region": a preposition of aim whose object is wrong; of an object,
    also "reset the password of the wrong account"."""
    return any(
        child.dep_ == "prep"
        and (child.lower_ in AIMED_PREPOSITIONS or child.lower_ in also)
        and any(map(_wrong, child.children))
        for child in token.children
    )


def subjects(token: Token, *, passive: str) -> list[Token]:
    """Who does (``passive="agent"``) or undergoes (``"patient"``) the action of the token's clause."""
    verb = clause_verb(token)
    shares_subject = False
    for _ in range(5):
        shared = [child for child in verb.children if child.dep_ == "nsubjpass"]
        if shares_subject and passive == "agent" and shared:
            # "I got pulled into a meeting by X and forgot the change": the active conjunct's doer is
            # the subject its passive head undergoes (not the passive's agent).
            return shared
        found = _direct_subjects(verb, passive)
        if found:
            return found
        if any(child.dep_ in SUBJECT_DEPS for child in verb.children):
            break  # "I tried it, but the package is broken": the clause has its own (thing) subject
        shares_subject = verb.dep_ == "conj" and not any(child.dep_ == "auxpass" for child in verb.children)
        if (verb.dep_ in ("conj", "xcomp", "acomp") or (verb.dep_ == "advcl" and verb.tag_ == "VBG")) and (
            verb.head.i != verb.i
        ):
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
    if passive == "patient" and not subjects_ and verb.dep_ == "conj" and verb.head.i != verb.i:
        # "The guy owned up ... and was sacked": the conjoined passive shares the first subject.
        return [child for child in verb.head.children if child.dep_ == "nsubj"]
    if (
        passive == "patient"
        and not subjects_
        and verb.dep_ == "xcomp"
        and any(child.dep_ == "auxpass" for child in verb.children)
    ):
        # "I was going to get fired": the passive complement happens to its head's subject.
        return [child for child in verb.head.children if child.dep_ in ("nsubj", "nsubjpass")]
    if passive == "agent":
        if agents:
            return agents
        if not subjects_ and (_headline_doer(verb) or (verb.dep_ == "acl" and verb.tag_ == "VBG")):
            return [verb.head]  # also "a guy forgetting to refuel the plane": the noun does the act
        chosen = [s for s in subjects_ if s.dep_ != "nsubjpass"]
    else:
        chosen = [s for s in subjects_ if s.dep_ == "nsubjpass"]
    resolved = []
    for subject in chosen:
        if subject.lower_ in RELATIVE_PRONOUNS and verb.dep_ == "relcl":
            resolved.append(verb.head)
            if subject.lower_ == "who":
                resolved.append(subject)  # "the one who messed up": whoever it is, a person
        else:
            resolved.append(subject)
            resolved.extend(child for child in subject.children if child.dep_ == "conj")
    return resolved


def _headline_doer(verb: Token) -> bool:
    """A verbless sentence the parser read as a noun with a reduced relative: "A supervisor neglected to
    sign off on the change" (an object or a "to" complement shows the verb is active, not passive)."""
    return (
        verb.dep_ == "acl"
        and verb.tag_ in ("VBD", "VBN")
        and verb.head.dep_ == "ROOT"
        and verb.head.pos_ in ("NOUN", "PROPN")
        and any(child.dep_ in ("dobj", "xcomp") for child in verb.children)
    )


def _leading_name(sentence: object, verb: Token) -> list[Token]:
    """A sentence-initial name the parser took for a word ("Will neglected to renew ...")."""
    for token in sentence:  # type: ignore[attr-defined]
        if token.text.startswith("@") and len(token.text) > 1 and token.i < verb.i and token.head.i == verb.i:
            return [token]  # "@x changed ...": the tagger often takes a leading handle for punctuation
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


def has_error_manner(token: Token) -> bool:
    """An error adverb or "by mistake / by accident" on the clause's own verb."""
    verb = clause_verb(token)
    if _chosen_or_habitual(verb):
        return False
    for child in verb.children:
        if child.dep_ == "advmod" and child.lower_ in ERROR_ADVERBS:
            return True
        if (
            child.dep_ == "prep"
            and child.lower_ == "by"
            and any(grand.lemma_.lower() in ("mistake", "accident", "error") for grand in child.children)
        ):
            return True
    return False


SHORTFALLS = frozenset({"enough", "sufficient", "adequate"})
CHOICE_VERBS = frozenset({"decide", "choose", "opt", "agree", "coordinate", "plan", "elect"})


def _chosen_or_habitual(verb: Token) -> bool:
    """A manner that was chosen ("coordinated to merge it prematurely, before the audit") or that describes
    what the software does now ("we instead prematurely redirect to the hub"): not a slip told."""
    if verb.tag_ in ("VBP", "VBZ") and any(
        child.dep_ == "nsubj" and child.lower_ == "we" for child in verb.children
    ):
        return True
    current = verb
    for _ in range(4):
        if current.dep_ not in ("conj", "xcomp") or current.head.i == current.i:
            return False
        if current.dep_ == "xcomp" and current.head.lemma_.lower() in CHOICE_VERBS:
            return True
        current = current.head
    return False


LIKELIHOODS = frozenset({"likely", "unlikely", "liable", "apt", "prone"})


def is_hypothetical(token: Token) -> bool:
    """Not an account of what happened: a possibility or plan ("they could have bypassed", "we will
    break it up"), a condition ("if your change is breaking"), a capability ("allows you to skip"),
    or a generic "you" in the present ("when you skip heading levels")."""
    verb = clause_verb(token)
    if _asks_why(verb) or inside_condition(verb):
        return True
    if verb.tag_ == "VBG" and talked_about(verb):
        return True
    for _ in range(4):
        if any(
            (child.dep_ == "aux" and child.lower_ in HYPOTHETICAL_AUX and child.i != child.sent.start)
            or (child.dep_ == "mark" and child.lower_ in ("if", "whether", "unless"))
            or (child.dep_ == "nsubj" and child.lower_ == "you" and verb.tag_ in ("VB", "VBP"))
            for child in verb.children
        ):
            return True
        if verb.dep_ in ("xcomp", "ccomp") and verb.head.lemma_.lower() in CAPABILITY_VERBS:
            return True
        if verb.dep_ == "xcomp" and verb.head.lemma_.lower() in LIKELIHOODS:
            return True  # "the new member is more likely to screw something up": a prediction
        # ("I'll make sure to skip ...": the plan sits on the verb above the adjective)
        if verb.dep_ not in ("conj", "xcomp", "acomp") or verb.head.i == verb.i:
            return False
        verb = verb.head
    return False


def talked_about(token: Token) -> bool:
    """An act talked about, not told: a gerund as the subject ("Firing people for one mistake will
    destroy morale"), also where the parser makes the opening gerund the root, or an act weighed by an
    adjective ("it would be wise to fire him")."""
    verb = clause_verb(token)
    if _echo_question(verb):
        return True
    if verb.dep_ == "xcomp" and any(c.dep_ == "aux" for c in verb.children) and weighed(verb.head):
        return True  # "it would be beneficial to fire an employee for it": an act weighed, not told
    if verb.tag_ != "VBG":
        return False
    if verb.dep_ in ("csubj", "nsubj"):
        return True
    return (
        verb.dep_ == "ROOT"
        and verb.i == verb.sent.start
        and not any(child.dep_ in SUBJECT_DEPS | {"aux"} for child in verb.children)
    )


def _echo_question(verb: Token) -> bool:
    """A bare verb asked back, with no one doing it: "Fire you? ..." (a rejoinder, not an account)."""
    return (
        verb.dep_ == "ROOT"
        and verb.tag_ == "VB"
        and verb.sent.text.rstrip(" \"'”’").endswith("?")
        and not any(child.dep_ in SUBJECT_DEPS | {"aux"} for child in verb.children)
    )


def inside_condition(verb: Token) -> bool:
    """A clause nested anywhere inside an if-clause or a generic "you" in the present: "if you stop once
    you find a person to blame"."""
    current = verb
    for _ in range(6):
        if current.dep_ == "advcl" and any(
            child.dep_ == "mark" and child.lower_ in ("if", "unless") for child in current.children
        ):
            return True
        if (
            current.i != verb.i
            and current.tag_ in ("VB", "VBP")
            and any(child.dep_ == "nsubj" and child.lower_ == "you" for child in current.children)
        ):
            return True
        if current.head.i == current.i:
            return False
        current = current.head
    return False


def _asks_why(verb: Token) -> bool:
    """A question about the action, not an account of it: "Why did we ship the faulty release?", "ask
    people why they failed to foresee it" (the five whys, or guidance quoting the questions to avoid)."""
    if not any(child.lower_ == "why" and child.dep_ == "advmod" for child in verb.children):
        return False
    asked = verb.dep_ == "ccomp" and verb.head.lemma_.lower() in ("ask", "wonder", "question")
    return asked or verb.sent.text.rstrip().endswith("?")


def is_person_fault(token: Token) -> bool:
    """A fault noun that a person owns: "my mistake", "their oversight", "the developer's fault"."""
    lemma = token.lemma_.lower()
    if lemma not in FAULT_NOUNS | PART_FAULTS or token.dep_ == "compound":
        return False
    if token.sent.text.rstrip().endswith("?"):
        return False  # "how could that be the trainee's fault?" asks, it does not assign
    if any(child.dep_ == "compound" for child in token.children) and token.lower_ != "bad":
        return False  # "our config error": a kind of error, not someone's
    if _learned_from(token):
        return False
    known = known_people(token)
    said_of = token.dep_ == "attr"
    # "it was a mistake on our end": the parser may hang the place on the copula
    places = [*token.children, *(token.head.children if said_of else [])]
    on_whose_part = any(
        child.dep_ == "prep"
        and child.lower_ == "on"
        and any(_whose_part(grand, known, said_of=said_of) for grand in child.children)
        for child in places
    )
    if lemma in PART_FAULTS or on_whose_part:
        # "this was a big miss by our team" (said of what happened, not "a failure by the disk")
        return on_whose_part or (
            said_of
            and any(
                c.dep_ == "prep" and c.lower_ == "by" and _done_by_person(c, known) for c in token.children
            )
        )
    if token.dep_ == "nsubj" and any(
        child.dep_ in ("acomp", "attr") and child.lower_ in OWN_PRONOUNS for child in token.head.children
    ):
        return True  # "the mistake was mine"
    return any(
        (
            child.dep_ == "poss"
            and (child.lower_ in POSSESSIVE_PEOPLE or (not child.is_upper and is_person(child, known)))
        )
        or (
            child.dep_ == "prep"
            and child.lower_ == "on"
            and any(_whose_part(grand, known, said_of=said_of) for grand in child.children)
        )
        or (child.dep_ == "prep" and token.lemma_.lower() in LAPSES and _done_by_person(child, known))
        or (
            # "the fault of a single engineer" (not "the fault of the design", "an error of judgement")
            child.dep_ == "prep"
            and child.lower_ == "of"
            and any(g.dep_ == "pobj" and is_person(g, known) for g in child.children)
        )
        for child in token.children
    )


# Faults that are always someone's lapse (an "error" or a "fault" is as often the software's own).
def _learned_from(fault: Token) -> bool:
    """Mistakes as what people learn from, in general: "we learn from our mistakes"."""
    head = fault.head
    return (
        fault.tag_ == "NNS"
        and fault.dep_ == "pobj"
        and head.lower_ == "from"
        and head.head.lemma_.lower() in ("learn", "grow", "benefit")
    )


LAPSES = frozenset({"mistake", "oversight", "blunder", "slip", "slip-up", "lapse", "misstep", "typo"})


def _done_by_person(prep: Token, known: frozenset[str]) -> bool:
    """ "a mistake by the operator", "an oversight in how we tested the links": a person's act."""
    for grand in prep.children:
        if prep.lower_ == "by" and grand.dep_ == "pobj" and is_person(grand, known):
            return True
        if prep.lower_ in ("in", "by") and grand.dep_ == "pcomp" and grand.pos_ in ("VERB", "AUX"):
            return any(c.dep_ == "nsubj" and is_person(c, known) for c in grand.children)
    return False


OWN_PRONOUNS = frozenset({"mine", "ours", "his", "hers", "theirs", "yours"})


def _whose_part(token: Token, known: frozenset[str], *, said_of: bool = True) -> bool:
    """ "on my part", "on the part of the engineer": the part a person played; and, of a fault said of
    something ("it was a failure on our side"), "on our side / end" too ("the failure on our side was a
    full disk" only places a failure)."""
    sides = ("part", "side", "end") if said_of else ("part",)
    if token.dep_ != "pobj" or token.lower_ not in sides:
        return False
    return any(
        (child.dep_ == "poss" and child.lower_ in POSSESSIVE_PEOPLE)
        or (
            child.dep_ == "prep"
            and child.lower_ == "of"
            and any(g.dep_ == "pobj" and is_person(g, known) for g in child.children)
        )
        for child in token.children
    )


def is_owner_subject(token: Token) -> bool:
    """The clause's subject belongs to a named person, a role or a third person ("her PR", "Bo's change")."""
    known = known_people(token)
    for subject in _direct_subjects(clause_verb(token), "agent"):
        for child in subject.children:
            # "a change by @ito to the DNS zone broke ..."
            if (
                child.dep_ == "prep"
                and child.lower_ == "by"
                and subject.pos_ == "NOUN"
                and any(g.dep_ == "pobj" and is_person(g, known) for g in child.children)
            ):
                return True
            if child.dep_ != "poss" or child.lower_ in ("our", "its"):
                continue
            if child.lower_ in POSSESSIVE_PEOPLE or is_person(child, known):
                return True
    return False


def _owned(noun: Token, known: frozenset[str]) -> bool:
    """The noun belongs to a person, not to the team ("her PR", "Bo's change"; not "our change")."""
    return any(
        child.dep_ == "poss"
        and child.lower_ not in ("our", "its")
        and (child.lower_ in POSSESSIVE_PEOPLE or is_person(child, known))
        for child in noun.children
    )


ORIGIN_VERBS = frozenset({"come", "stem", "originate"})


def harm_from_owned(token: Token) -> bool:
    """A harm that came from something a person owns: "this regression came from my PR" (not "came
    from the upstream library", nor "from our change": the team's own)."""
    verb = clause_verb(token)
    if verb.lemma_.lower() not in ORIGIN_VERBS or not any(
        child.dep_ == "nsubj" and child.lemma_.lower() in HARM_NOUNS for child in verb.children
    ):
        return False
    known = known_people(verb)
    return any(
        prep.dep_ == "prep"
        and prep.lower_ == "from"
        and any(g.dep_ == "pobj" and _owned(g, known) for g in prep.children)
        for prep in verb.children
    )


NEUTRAL_RESULTS = frozenset({"cause", "trigger", "lead", "result"})


def _harmful_result(verb: Token) -> bool:
    """ "caused an outage" or "causing firewalls to go dark", not "caused the callback to run"."""
    if verb.lemma_.lower() not in NEUTRAL_RESULTS:
        return True
    for child in verb.subtree:
        if child.dep_ in ("dobj", "pobj", "attr") and child.lemma_.lower() in HARM_NOUNS:
            return True
        if child.dep_ in ("ccomp", "xcomp") and child.lemma_.lower() in HARM_VERBS:
            return True
    return False


def _distance(inner: Token, verb: Token) -> int:
    steps, current = 0, inner
    while current.i != verb.i and current.head.i != current.i:
        current, steps = current.head, steps + 1
    return steps if current.i == verb.i else 99


def _inside_other_clause(inner: Token, verb: Token) -> bool:
    """A clause of its own (a that-clause, a relative or adverbial clause) stands between the two."""
    current = inner.head
    while current.i != verb.i and current.head.i != current.i:
        if current.pos_ in ("VERB", "AUX") and current.dep_ in ("ccomp", "csubj", "advcl", "relcl", "xcomp"):
            return True
        current = current.head
    return False


def people_trained(token: Token) -> bool:
    """Training aimed at people named by role: "more training ... of employees", "staff get training"."""
    from pmcheck.nlp.people import PRONOUNS

    known = known_people(token)
    verb = token
    while verb.pos_ not in ("VERB", "AUX") and verb.head.i != verb.i:
        verb = verb.head
    return any(inner.lower_ not in PRONOUNS and is_person(inner, known) for inner in verb.subtree)


def decision_harm(token: Token) -> bool:
    """Someone else's decision whose action did the harm: "the contractor decided to reboot the
    controllers, which took down the site" (the writer's own "we decided ..." is left to other rules)."""
    verb = clause_verb(token)
    if verb.lemma_.lower() not in DELIBERATE_VERBS or any(
        child.dep_ == "nsubj" and child.lower_ in ("i", "we") for child in verb.children
    ):
        return False
    return any(
        child.dep_ == "xcomp" and child.lemma_.lower() not in REMEDY_VERBS and _harm_follows(child)
        for child in verb.children
    )


# People from outside the team, whose choices the team did not make: "the contractor decided to ...".
OUTSIDERS = frozenset(
    {"contractor", "subcontractor", "vendor", "supplier", "technician", "electrician", "customer", "client"}
    | {"landlord", "consultant", "tenant", "neighbour", "neighbor", "user"}
)
# Acts that take something away or down: "reboot the machines", "power off the rack", "pull the cable".
DISRUPTIVE_ACTS = frozenset(
    {"reboot", "restart", "unplug", "switch", "turn", "shut", "pull", "cut", "power", "kill", "wipe"}
    | {"delete", "drop", "disable", "remove", "overwrite", "truncate", "purge", "disconnect", "erase"}
)


# The writer and the reader: "I", "we", "you" in any case.
WRITER_AND_READER = frozenset({"i", "we", "me", "us", "you"})


# Verbs that lay a harm at someone's door: "boiled down to an engineer pushing a patch", "was traced to a
# contractor who ...", "was attributed to a technician".
ATTRIBUTION_VERBS = frozenset({"trace", "attribute", "boil", "come", "narrow", "put"})
PARTICLE_ATTRIBUTIONS = frozenset({"boil", "come", "narrow", "put"})  # only with "down" ("came down to")


def attributed_to_person(token: Token) -> bool:
    """The harm is traced to a person: "the outage boiled down to an engineer pushing a patch", "was
    traced to a third-party contractor" (not "came down to the on-call to decide": a duty, and not "was
    traced to a bad transformer")."""
    verb = token
    lemma = verb.lemma_.lower()
    if lemma not in ATTRIBUTION_VERBS or verb.tag_ not in ("VBD", "VBN", "VBZ", "VBP"):
        return False  # (not "add a tracing channel to ...")
    told_of_harm = verb.dep_ in ("acl", "relcl") and verb.head.lemma_.lower() in HARM_NOUNS
    if not told_of_harm and not any(
        child.dep_ in ("nsubj", "nsubjpass", "dobj")
        and (child.lemma_.lower() in HARM_NOUNS or child.lower_ in ("it", "this", "that", "which"))
        for child in verb.children
    ):
        return False  # what is traced is a harm ("attributing your changes to you" is credit)
    if lemma in PARTICLE_ATTRIBUTIONS and not any(
        child.dep_ == "prt" and child.lower_ == "down" for child in verb.children
    ):
        return False
    known = known_people(verb)
    for prep in verb.children:
        if prep.dep_ != "prep" or prep.lower_ != "to":
            continue
        for person in prep.children:
            if person.dep_ != "pobj" or not is_person(person, known) or person.lower_ in WRITER_AND_READER:
                continue
            duty = any(
                child.dep_ in ("relcl", "acl")
                and any(g.dep_ == "aux" and g.lower_ == "to" for g in child.children)
                for child in person.children
            )
            if not duty:
                return True
    return False


# What a person can act against when told not to: "disabled two levels of backups against company policy".
RULE_NOUNS = frozenset(
    {"policy", "procedure", "protocol", "rule", "instruction", "guideline", "guidance", "advice", "order"}
)
# Acting against a rule by arguing, voting or warning is no breach of it.
OPPOSING_VERBS = frozenset(
    {"argue", "vote", "speak", "advise", "warn", "decide", "protest", "rule", "push", "recommend", "caution"}
)


def against_rule(token: Token) -> bool:
    """A person's act done against a policy, procedure or instruction ("he disabled the relays against
    company policy", also when the parser hangs "against" on the object), not an argument against it
    ("we argued against the policy")."""
    if token.pos_ not in ("VERB", "AUX") or token.lemma_.lower() in OPPOSING_VERBS:
        return False
    places = [token, *(child for child in token.children if child.dep_ == "dobj")]
    return any(
        prep.dep_ == "prep"
        and prep.lower_ == "against"
        and any(g.dep_ == "pobj" and g.lemma_.lower() in RULE_NOUNS for g in prep.children)
        for place in places
        for prep in place.children
    )


def longing(token: Token) -> bool:
    """Missing as longing, not as an oversight: "one thing I miss about the old deploy system"."""
    following = token.nbor(1) if token.i + 1 < len(token.doc) else None
    return token.lemma_.lower() == "miss" and following is not None and following.lower_ == "about"


def lacking(token: Token) -> bool:
    """Missing as a lack, not as an oversight: the progressive "we're missing all of June", "we are still
    missing the logs" (what is not there), unlike "the reviewer missed the typo" or "we kept missing it"."""
    return (
        token.lemma_.lower() == "miss"
        and token.tag_ == "VBG"
        and any(child.dep_ == "aux" and child.lemma_.lower() == "be" for child in token.children)
    )


def third_person(token: Token) -> bool:
    """The clause's doer is someone other than the writer ("the contractor did not notify ...", not
    "we did not notify customers until ...": the team's own account of its response)."""
    doers = subjects(token, passive="agent")
    return bool(doers) and all(doer.lower_ not in WRITER_AND_READER for doer in doers)


def outsider_decision(token: Token) -> bool:
    """Someone from outside the team chose to take something down: "the contractor decided to reboot
    the storage machines", "a customer decided to unplug the switch" (not "the on-call engineer decided
    to restart the pods to clear the connections": the team's own call, and with a purpose)."""
    verb = clause_verb(token)
    if verb.lemma_.lower() not in ("decide", "choose", "opt"):
        return False
    if not any(child.dep_ == "nsubj" and _outsider(child) for child in verb.children):
        return False
    return any(
        child.dep_ == "xcomp" and child.lemma_.lower() in DISRUPTIVE_ACTS and not is_planned(child)
        for child in verb.children
    )


# A group of people, an outsider when placed somewhere not the writer's: "the people in the datacenter".
PEOPLE_GROUPS = frozenset({"people", "folk", "folks", "guy", "crew", "staff", "personnel"})


def _outsider(subject: Token) -> bool:
    if subject.lemma_.lower() in OUTSIDERS:
        return True
    if subject.lemma_.lower() not in PEOPLE_GROUPS and subject.lower_ not in PEOPLE_GROUPS:
        return False
    return any(
        child.dep_ == "prep"
        and child.lower_ in ("in", "at", "from")
        and any(
            grand.dep_ == "pobj"
            and grand.pos_ in ("NOUN", "PROPN")
            and not any(c.lower_ in ("our", "my") for c in grand.children)
            for grand in child.children
        )
        for child in subject.children
    )


def _harm_follows(action: Token) -> bool:
    """A harm told right after the action: "..., which took down the site", "..., causing the outage",
    also when the relative clause hangs on the action's object ("rebooted the machines, which ...")."""
    if has_harm_consequence(action):
        return True
    return any(
        child.dep_ == "dobj"
        and any(
            grand.dep_ == "relcl" and grand.i > child.i and _is_consequence(grand) for grand in child.children
        )
        for child in action.children
    )


def _is_consequence(inner: Token) -> bool:
    """ "which took down the site": a relative clause telling a harm."""
    return (
        _consequence_verb(inner)
        and _harmful_result(inner)
        and any(child.dep_ == "nsubj" and child.lower_ in ("which", "that") for child in inner.children)
    )


def _consequence_verb(inner: Token) -> bool:
    """A verb of consequence, with its particle where it needs one ("took down"), not negated."""
    lemma = inner.lemma_.lower()
    particles = CONSEQUENCE_PHRASES.get(lemma, ())
    if lemma not in CONSEQUENCE_VERBS and not any(child.lower_ in particles for child in inner.children):
        return False
    return not any(child.dep_ == "neg" for child in inner.children)


def has_harm_consequence(token: Token) -> bool:
    """ "..., which broke the site" or "..., causing the outage" follows the clause's action."""
    verb = clause_verb(token)
    if verb.lemma_.lower() in REMEDY_VERBS | STATIVE_VERBS or any(
        child.dep_ == "aux" and child.lower_ in HYPOTHETICAL_AUX for child in verb.children
    ):
        return False
    for inner in verb.subtree:
        if inner.i <= verb.i or inner.pos_ != "VERB" or not _consequence_verb(inner):
            continue
        if _inside_other_clause(inner, verb) or not _harmful_result(inner):
            continue  # "we recognise that this was an experience that caused ...": not the person's action
        relative = _distance(inner, verb) <= 3 and any(
            child.dep_ == "nsubj" and child.lower_ in ("which", "that") for child in inner.children
        )
        participle = inner.tag_ == "VBG" and inner.dep_ in ("advcl", "xcomp", "conj")
        if relative or participle:
            return True
    return False


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
            if (
                child.dep_ == "mark"
                and child.lower_ == "than"
                and child.i > 0
                and child.nbor(-1).lower_ == "rather"
            ):
                return True  # "rather than blame the technicians": the road not taken
            if child.dep_ in SUBJECT_DEPS and _negative_subject(child):
                return True
            if child.dep_ == "dobj" and child.lower_ in ("nothing", "none") and child.i not in inside:
                return True  # "we forgot nothing"
        if current.dep_ == "ROOT" or current.head.i == current.i:
            return False
        if current.dep_ == "relcl" and any(
            child.dep_ in SUBJECT_DEPS and child.lower_ in ("who", "that") for child in current.children
        ):
            # "wouldn't name the engineer who slipped up": the relative clause says what the person did;
            # only a negative head ("nobody who", "no engineer who") denies it
            head = current.head
            return head.lower_ in NEGATIVE_PEOPLE or any(
                child.dep_ in ("det", "neg") and child.lower_ in NEGATIVE_WORDS for child in head.children
            )
        if (
            current.dep_ == "advcl"
            and (_told_in_past(current) or _told_in_past(token))
            and any(child.dep_ == "mark" and child.lower_ in FACTIVE_MARKS for child in current.children)
        ):
            # "features that could not be merged because we skipped the review", "no problem, since I'm
            # the one who messed up": still skipped (but "outages do not happen because engineers are
            # careless" denies the reason)
            return False
        if (
            current.dep_ in ("pcomp", "pobj")
            and current.head.lower_ == "without"
            and current.head.i not in inside
        ):
            return True  # "without sounding careless", "deployed without skipping the tests"
        if (
            current.dep_ == "prep"
            and current.head.i > current.i
            and all(t.is_punct for t in current.doc[current.sent.start : current.i])
        ):
            # a fronted phrase ("With his lack of knowledge, it was not ...") is outside the negation
            return False
        if current.dep_ == "conj" and any(
            child.dep_ == "cc" and child.lower_ == "but" for child in current.head.children
        ):
            return False  # "not a lack of electricity, but employee error": the negation stops at "but"
        if current.dep_ == "ccomp" and any(
            child.lower_ == "why" and child.dep_ == "advmod" for child in current.children
        ):
            return False  # "we don't know why the employee disabled the relays": it did happen
        if _after_colon(current):
            return False  # "I don't expect it to last: they will learn of my mistake": a new statement
        current = current.head
    return False


def _after_colon(clause: Token) -> bool:
    """A clause told after a colon or semicolon that the parser hung on a verb before it."""
    head = clause.head
    if clause.dep_ not in ("ccomp", "conj", "parataxis", "advcl") or head.i > clause.i:
        return False
    return any(t.text in (":", ";") for t in clause.doc[head.i + 1 : clause.left_edge.i])


def _told_in_past(verb: Token) -> bool:
    return verb.tag_ in ("VBD", "VBN") or any(
        child.dep_ in ("aux", "auxpass") and child.tag_ == "VBD" for child in verb.children
    )


# Subordinate clauses that assert their own content, whatever the main clause denies.
FACTIVE_MARKS = frozenset(
    {"because", "since", "after", "before", "when", "while", "although", "though", "once"}
)


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
    "lock",
    "block",
    "slow",
    "saturate",
}
CAUSAL_MARKERS = {"because", "after", "when", "since", "as", "once"}


def caused_harm(token: Token) -> bool:
    """The token's clause is the "because/after/when" clause of a harm in the main clause."""
    verb = clause_verb(token)
    if verb.dep_ != "advcl" or not any(child.lower_ in CAUSAL_MARKERS for child in verb.children):
        return False
    if verb.lemma_.lower() in REMEDY_VERBS | STATIVE_VERBS:
        return False  # "errors stopped after the engineer rolled back"; "... when we have customers"
    main = verb.head
    if _found_on_arrival(verb, main) or _by_the_writers(verb, team_only=True):
        return False
    if is_hypothetical(main) or (main.dep_ == "xcomp" and is_hypothetical(main.head)):
        return False  # "you might get an error when running it": a possibility, not an account
    main_subjects = [child for child in main.children if child.dep_ in ("nsubj", "nsubjpass")]
    if _explains_it(main, main_subjects) and verb.tag_ == "VBD" and not _by_the_writers(verb):
        return True  # "It was because someone on the security team added a rule": the reason for "it"
    if not main_subjects and main.tag_ == "VB":
        return False  # an instruction: "When you open a pull request, start a CI right away."
    if main.lemma_.lower() != "lose" and any(is_person(s, known_people(token)) for s in main_subjects):
        return False  # "when we cut a release, we drop support": people acting, not a harm happening
    return main.lemma_.lower() in HARM_VERBS and not any(child.dep_ == "neg" for child in main.children)


# Coming to a thing, not acting on it: "when we arrived", "when we managed to log in to the server".
ARRIVAL_VERBS = frozenset(
    {"arrive", "log", "login", "reach", "return", "enter", "connect", "reconnect", "access", "visit"}
    | {"wake", "inspect", "check", "look", "open", "land", "come", "walk", "ssh", "boot"}
)
TEMPORAL_MARKERS = frozenset({"when", "once", "as"})


def _found_on_arrival(verb: Token, main: Token) -> bool:
    """A harm found, not caused: what someone met on coming to it ("when we arrived, the generator had
    stopped"; "once we got in, the files were gone"), or a harm that was already over when the "when"
    clause happened (past perfect: "when Sam opened the console, the job had already failed")."""
    markers = (child for child in verb.children if child.dep_ in ("advmod", "mark"))
    if not any(marker.lower_ in TEMPORAL_MARKERS for marker in markers):
        return False
    reached = [verb, *(child for child in verb.children if child.dep_ == "xcomp")]
    if any(step.lemma_.lower() in ARRIVAL_VERBS for step in reached):
        return True  # "when we managed to log in": the arrival, told through "managed to"
    before = any(child.dep_ == "aux" and child.lower_ in ("had", "'d") for child in main.children)
    gone = (
        main.lemma_.lower() == "go"
        and main.tag_ == "VBN"
        and any(child.dep_ == "aux" and child.lemma_.lower() == "be" for child in main.children)
    )
    return before or gone


def _by_the_writers(verb: Token, *, team_only: bool = False) -> bool:
    """ "This happened because we deployed a change": the team telling its own step, not someone else's.
    ``team_only``: "we"/"our" alone ("the site crashed after we deployed the change" singles no one out;
    "after I deployed it" names the writer)."""
    pronouns, owners = (("we",), ("our",)) if team_only else (("i", "we"), ("my", "our"))
    return any(
        child.dep_ == "nsubj"
        and (child.lower_ in pronouns or any(g.dep_ == "poss" and g.lower_ in owners for g in child.children))
        for child in verb.children
    )


def _explains_it(main: Token, main_subjects: list[Token]) -> bool:
    """ "It was because ...", "this happened because ...": the clause gives the reason for what the
    sentence refers back to (the problem told before), with nothing else said of it."""
    if [s.lower_ for s in main_subjects] not in (["it"], ["this"], ["that"]):
        return False
    if main.lemma_.lower() not in ("be", "happen", "occur"):
        return False
    return not any(child.dep_ in ("attr", "acomp", "neg", "aux") for child in main.children)


def is_system_subject(token: Token) -> bool:
    """The clause's subject is a piece of software or hardware ("the storage controller was negligent")."""
    known = known_people(token)
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
    # Removing old or stale things is housekeeping: only a wrong or untested one is a mistake there.
    bad = WRONG_MODIFIERS if verb.lemma_.lower() in CLEANUP_VERBS else BAD_MODIFIERS
    # "Without a second look, she opened the console and ran it": a fronted manner covers every conjunct.
    fronted = [c for c in verb.head.children if c.i < verb.head.i] if verb.dep_ == "conj" else []
    for child in [*verb.children, *fronted]:
        if child.dep_ in ("dobj", "nsubjpass", "attr") and any(
            grand.lower_ in bad for grand in child.children if grand.dep_ in ("amod", "compound")
        ):
            return True
        if child.dep_ == "advmod" and child.lower_ in CARELESS_ADVERBS and not _chosen_or_habitual(verb):
            return True
        if child.dep_ == "prep" and child.lower_ in ("by", "without", "instead"):
            objects = [grand for grand in child.subtree if grand.i != child.i]
            lemmas = {grand.lemma_.lower() for grand in objects}
            if child.lower_ == "by" and lemmas & {"accident", "mistake", "error"}:
                return True
            if child.lower_ == "without" and lemmas & (WITHOUT_WHAT | SHORTFALLS):
                return True  # "without review", "without setting aside enough resources"
            if child.lower_ == "instead":
                return True
        if _unaware(child) and third_person(verb):
            return True  # "wiped the disk, not realizing the site ran on it"
    return False


AWARENESS_VERBS = frozenset({"realize", "realise", "notice"})


def _unaware(clause: Token) -> bool:
    """Done without knowing what it would hit: "..., unaware that it was in use", "not realizing that",
    "without noticing" (told of someone else; the team's own "we switched over, not realizing it was
    still warming up" is what was known at the time, as a timeline should say)."""
    if clause.dep_ in ("advcl", "xcomp", "conj", "amod") and clause.lower_ in ("unaware", "oblivious"):
        return True
    if clause.dep_ == "prep" and clause.lower_ == "without":
        return any(g.dep_ == "pcomp" and g.lemma_.lower() in AWARENESS_VERBS for g in clause.children)
    return (
        clause.dep_ in ("advcl", "xcomp", "conj")
        and clause.tag_ == "VBG"
        and clause.lemma_.lower() in AWARENESS_VERBS
        and any(child.dep_ == "neg" for child in clause.children)
    )


# Common nouns that name an organisation acting ("our hosting provider failed to notify us").
ORGANISATION_NOUNS = frozenset(
    {
        "company",
        "firm",
        "provider",
        "organisation",
        "organization",
        "agency",
        "department",
        "division",
        "registrar",
        "carrier",
        "telco",
        "isp",
        "utility",
        "bank",
        "regulator",
        "authority",
        "government",
        "ministry",
        "council",
        "university",
        "host",
        "upstream",
    }
)


def org_subject(token: Token) -> bool:
    """The clause's doer is an organisation: a name the recogniser calls one ("Microsoft failed to
    renew its certificate"), or a noun such as "provider" or "registrar"."""
    if any(child.dep_ == "auxpass" for child in clause_verb(token).children):
        return False  # "being ignored by node.File": the agent of a passive is as often code
    for subject in subjects(token, passive="agent"):
        if subject.pos_ == "NOUN" and subject.lemma_.lower() in ORGANISATION_NOUNS:
            return True
        if subject.pos_ == "PROPN" and entity_type(subject) == "ORG":
            return True
    return False
