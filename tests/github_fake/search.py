"""Enough of GitHub's issue-search syntax for pmcheck: qualifiers (repo, is, label, ...) and free text."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .state import Issue, Repo

_TOKEN = re.compile(r'(-?)([A-Za-z_-]+):("(?:[^"]*)"|\S+)|(-?)"([^"]*)"|(\S+)')
_QUALIFIERS = frozenset({"repo", "is", "type", "state", "label", "author", "assignee", "in", "no"})


@dataclass
class Criterion:
    """One qualifier, e.g. `label:"pm: action item"`; `negated` for a leading `-`."""

    key: str
    value: str
    negated: bool = False


@dataclass
class SearchQuery:
    criteria: list[Criterion] = field(default_factory=list)
    texts: list[str] = field(default_factory=list)  # each must occur (case-insensitively)
    fields: set[str] = field(default_factory=set)  # from in:title / in:body; empty means both

    def values(self, key: str) -> list[str]:
        return [c.value for c in self.criteria if c.key == key and not c.negated]

    @property
    def repos(self) -> list[str]:
        return self.values("repo")


def _unquote(text: str) -> str:
    return text[1:-1] if len(text) >= 2 and text[0] == text[-1] == '"' else text


def parse(q: str) -> SearchQuery:
    """Split `q` into qualifiers and free text; unknown `key:value` words count as text, as on GitHub."""
    query = SearchQuery()
    for match in _TOKEN.finditer(q):
        neg, key, value, _, phrase, word = match.groups()
        if key is not None and key.lower() in _QUALIFIERS:
            key = key.lower()
            if key == "in":
                query.fields.update(part.lower() for part in _unquote(value).split(","))
            else:
                query.criteria.append(Criterion(key, _unquote(value), negated=bool(neg)))
        elif key is not None:
            query.texts.append(f"{key}:{_unquote(value)}")
        elif phrase is not None:
            query.texts.append(phrase)
        elif word.upper() != "AND":  # AND is implied; OR/NOT are not supported
            query.texts.append(word)
    return query


def _kind_matches(issue: Issue, value: str) -> bool | None:
    value = value.lower()
    if value == "issue":
        return not issue.is_pull
    if value in ("pr", "pull-request"):
        return issue.is_pull
    if value in ("open", "closed"):
        return issue.state == value
    return None


def _criterion(repo: Repo, issue: Issue, c: Criterion) -> bool:
    value = c.value.lower()
    if c.key == "repo":
        return repo.full_name.lower() == value
    if c.key in ("is", "type", "state"):
        return bool(_kind_matches(issue, value))
    if c.key == "label":  # label:a,b matches either
        names = {name.lower() for name in issue.labels}
        return any(part.strip() in names for part in value.split(","))
    if c.key == "author":
        return issue.user.lower() == value
    if c.key == "assignee":
        return value in {login.lower() for login in issue.assignees}
    if c.key == "no":
        return {"label": not issue.labels, "assignee": not issue.assignees}.get(value, True)
    return True


def matches(query: SearchQuery, repo: Repo, issue: Issue) -> bool:
    """True when `issue` of `repo` satisfies every qualifier and contains every text."""
    for c in query.criteria:
        if _criterion(repo, issue, c) == c.negated:
            return False
    fields = query.fields & {"title", "body"} or {"title", "body"}
    haystack = "\n".join(
        text for name, text in (("title", issue.title), ("body", issue.body or "")) if name in fields
    ).lower()
    return all(text.lower() in haystack for text in query.texts)
