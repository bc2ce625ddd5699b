"""When each corrective action was opened and closed: from git, from GitHub, or only from the document.

An action is known by the key the issue tracker uses (:func:`pmcheck.github.action_issue.action_keys`:
the document's path plus its id, or its first significant words). Reading a document's versions in
the order they were committed:

- **opened** is the first commit whose version holds the key;
- **closed** is the first commit that marks it done (checked off, or a done status);
- **removed** is a commit after which the key is gone without having been marked done.

With ``--repo``, a tracking issue's created and closed times take precedence: that is where the
work is followed. Without either, the action is dated by its incident (opened that day) and its
closing day is unknown. Every life says which ``source`` it came from.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from pmcheck.github.action_issue import action_keys
from pmcheck.postmortem import Action

GIT, GITHUB, DOCUMENT = "git", "github", "document"


@dataclass(frozen=True)
class Version:
    """One committed version of one document: its actions, or None when the commit deleted it."""

    day: dt.date
    path: str
    actions: Sequence[Action] | None


@dataclass(frozen=True)
class Life:
    opened: dt.date | None
    closed: dt.date | None = None
    removed: dt.date | None = None
    source: str = DOCUMENT


def lives_from_versions(versions: Iterable[Version]) -> dict[str, Life]:
    """Each action key's life, from document versions in commit order (oldest first)."""
    lives: dict[str, Life] = {}
    present: dict[str, set[str]] = {}
    for version in versions:
        actions = list(version.actions or ())
        keys = action_keys(version.path, actions)
        now = set(keys)
        for key, action in zip(keys, actions, strict=True):
            life = lives.get(key)
            if life is None or (life.removed is not None and life.closed is None):
                life = Life(opened=life.opened if life else version.day, source=GIT)
            if action.done and life.closed is None:
                life = Life(life.opened, version.day, None, GIT)
            lives[key] = life
        for gone in present.get(version.path, set()) - now:
            life = lives[gone]
            if life.closed is None and life.removed is None:
                lives[gone] = Life(life.opened, None, version.day, GIT)
        present[version.path] = now
    return lives


def action_life(
    key: str,
    action: Action,
    *,
    incident_date: dt.date | None,
    git: Mapping[str, Life] | None,
    issue_created: dt.date | None = None,
    issue_closed: dt.date | None = None,
    issue_open: bool = False,
) -> Life:
    """The best-known life of one current action: its tracking issue, else git, else its document."""
    if issue_created is not None:
        return Life(issue_created, None if issue_open else issue_closed, None, GITHUB)
    found = git.get(key) if git is not None else None
    if found is not None:
        # A done mark not yet committed is done, on a day git cannot tell.
        return found if action.done or found.closed is None else Life(found.opened, None, None, GIT)
    return Life(incident_date, None, None, DOCUMENT)
