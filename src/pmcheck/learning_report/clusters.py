"""Recurring themes by what factors say: similar contributing-factor sentences clustered across incidents.

Each factor becomes a TF-IDF vector of its lemmas (the English pipeline has no word vectors, so
similarity is shared wording, weighted by how rare each word is across the repository); common
function words are dropped, and so are the words a post-mortem uses to talk about its own analysis
("contributing factor", "determined", "the following"): shared template wording such as "After the
review, we determined the following factors contributed:" would otherwise join unrelated incidents.
A sentence that ends with a colon introduces a list rather than stating a factor, and is left out.

Two factors are neighbours when the cosine of their vectors reaches :data:`THRESHOLD`. Clusters are
grown greedily: the factor with the most unclaimed neighbours starts
a cluster with them, then the next, so each factor sits in one cluster. A cluster is a theme when
its factors come from at least two incidents. It is named by its most typical phrase: the first
clause of the member closest to the cluster's centre.

Cost grows with the square of the number of distinct factor sentences, computed in blocks with
numpy; beyond :data:`MAX_SENTENCES` only the most recent incidents' factors are clustered (and
the report says so).
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from pmcheck.learning_report.categories import Words, lower_words

if TYPE_CHECKING:
    from pmcheck.learning_report.model import Incident

THRESHOLD = 0.4
MIN_INCIDENTS = 2
MAX_SENTENCES = 8000
_BLOCK = 512
_CLAUSE = re.compile(r"(?<!\s)\s*(?:[;:(]|,\s+(?:so|and|but|which|because)\b|\s[—–-]\s)\s*")
_NAME_LENGTH = 90
_STOP_TEXT = """a about above after again against all also am an and any are as at be because been before
being
below between both but by can could did do does doing down during each few for from further had has
have having he her here hers him his how i if in into is it its itself just me more most my no nor
not now of off on once only or other our ours out over own same she should so some such than that the
their theirs them then there these they this those through to too under until up very was we were
what when where which while who whom why will with would you your yours one two three 's n't
-pron- get got make made"""
STOP_WORDS = frozenset(_STOP_TEXT.split())
_ANALYSIS_TEXT = """contribute contributing contributory factor cause determine conclude following
postmortem post-mortem incident several direct"""
ANALYSIS_WORDS = frozenset(_ANALYSIS_TEXT.split())
"""Words about the analysis rather than the failure: every factors section can say them."""


@dataclass(frozen=True)
class Member:
    incident: str
    line: int
    text: str


@dataclass(frozen=True)
class Cluster:
    name: str
    incidents: tuple[str, ...]
    """Incident ids, in the report's order (newest first)."""
    members: tuple[Member, ...]
    terms: tuple[str, ...]
    """The lemmas that weigh most in the cluster's centre."""


def cluster_factors(
    incidents: Sequence[Incident], *, words: Words | None = None, threshold: float = THRESHOLD
) -> list[Cluster]:
    """Themes of similar factors shared by two or more incidents, the most widespread first."""
    members = [
        Member(incident.id, factor.line, factor.text)
        for incident in incidents
        for factor in incident.factors
        if factor.text.strip() and not factor.text.rstrip().endswith(":")
    ]
    texts = list(dict.fromkeys(member.text for member in members))[:MAX_SENTENCES]
    if len(texts) < 2:
        return []
    import numpy as np  # late: only reports with factors need it

    lemmas = [[word for word in found if _content(word)] for found in (words or lower_words)(texts)]
    vocabulary: dict[str, int] = {}
    document_frequency: list[int] = []
    for found in lemmas:
        for word in set(found):
            if word not in vocabulary:
                vocabulary[word] = len(document_frequency)
                document_frequency.append(0)
            document_frequency[vocabulary[word]] += 1
    idf = np.log((1 + len(texts)) / (1 + np.asarray(document_frequency, dtype=np.float32))) + 1
    shared = np.flatnonzero(np.asarray(document_frequency) >= 2)
    column = {int(index): place for place, index in enumerate(shared)}
    matrix = np.zeros((len(texts), len(shared)), dtype=np.float32)
    norms = np.zeros(len(texts), dtype=np.float32)
    for row, found in enumerate(lemmas):
        counts: dict[int, int] = {}
        for word in found:
            counts[vocabulary[word]] = counts.get(vocabulary[word], 0) + 1
        weights = {index: (1 + math.log(count)) * float(idf[index]) for index, count in counts.items()}
        norms[row] = math.sqrt(sum(weight * weight for weight in weights.values())) or 1.0
        for index, weight in weights.items():
            if index in column:
                matrix[row, column[index]] = weight
    matrix /= norms[:, None]
    neighbours: list[set[int]] = []
    for start in range(0, len(texts), _BLOCK):
        similarity = matrix[start : start + _BLOCK] @ matrix.T
        for offset, row in enumerate(similarity):
            found_rows = set(np.flatnonzero(row >= threshold).tolist())
            found_rows.discard(start + offset)
            neighbours.append(found_rows)
    groups = _grow(neighbours)
    by_text: dict[str, list[Member]] = {}
    for member in members:
        by_text.setdefault(member.text, []).append(member)
    order = {incident.id: place for place, incident in enumerate(incidents)}
    vocabulary_names = {
        place: word for word, index in vocabulary.items() if (place := column.get(index)) is not None
    }
    clusters = []
    for group in groups:
        grouped = [member for index in group for member in by_text[texts[index]]]
        incident_ids = sorted({member.incident for member in grouped}, key=order.__getitem__)
        if len(incident_ids) < MIN_INCIDENTS:
            continue
        centre = matrix[group].mean(axis=0)
        typical = group[int(np.argmax(matrix[group] @ centre))]
        top = [vocabulary_names[int(place)] for place in np.argsort(-centre)[:4] if centre[place] > 0]
        clusters.append(Cluster(_name(texts[typical]), tuple(incident_ids), tuple(grouped), tuple(top)))
    return sorted(
        clusters, key=lambda cluster: (-len(cluster.incidents), -len(cluster.members), cluster.name)
    )


def _grow(neighbours: list[set[int]]) -> list[list[int]]:
    """Greedy clusters: the densest unclaimed factor takes its unclaimed neighbours, and so on."""
    claimed: set[int] = set()
    groups = []
    for index in sorted(range(len(neighbours)), key=lambda item: (-len(neighbours[item]), item)):
        if index in claimed or not neighbours[index]:
            continue
        group = [index, *sorted(neighbours[index] - claimed)]
        claimed.update(group)
        if len(group) > 1:
            groups.append(group)
    return groups


def _content(word: str) -> bool:
    return word not in STOP_WORDS and word not in ANALYSIS_WORDS and any(c.isalpha() for c in word)


def _name(text: str) -> str:
    """The first clause of a sentence, without its final full stop, cut at a word near the limit."""
    clause = _CLAUSE.split(text.strip(), maxsplit=1)[0].rstrip(" .")
    if len(clause) > _NAME_LENGTH:
        clause = clause[:_NAME_LENGTH].rsplit(" ", 1)[0] + "…"
    return clause
