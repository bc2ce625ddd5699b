"""One corrective action as one GitHub issue: its stable key, title, body and hidden marker.

Everything here is pure text work, shared by the pull-request preview and by the issue sync, so a
preview shows exactly the titles that a later push creates.

**The key.** Each issue body carries a hidden marker::

    <!-- pmcheck:action key=postmortems/2026-03-02-checkout.md::id:AI-1 due=2026-04-01 owners=alice fp=… -->

The key is the document's repository path, ``::``, and the action's identity:

- ``id:<id>`` when the document gives the action an id (an "ID" table column or ``id: AI-1`` in the
  item). This survives any edit to wording, owner, deadline or order. Recommended.
- otherwise ``text:<slug>:<n>``: a slug of the action's first five significant words (markup, owners,
  dates, issue references and filler words removed) and ``n``, its ordinal among the document's
  actions with the same slug. This survives edits to owners, deadlines, status, the end of the
  sentence and the order of different actions; rewording the first words gives a new key, so the
  old issue is closed as removed and a new one opened. Once an issue exists its number is written
  back into the document (``--write-back``), and an action that names its issue (``#123``) is
  matched by that number first, so from then on any rewording is safe.

Renaming or moving the document changes every key in it, with the same effect as rewording.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import PurePath
from urllib.parse import quote, unquote

from pmcheck.action_owners import HANDLE, OWNER_LABEL, TRACKING
from pmcheck.deadlines import Deadline
from pmcheck.inert import inert
from pmcheck.postmortem import Action, PostMortem
from pmcheck.read import split_lines

MARKER_NAME = "pmcheck:action"
REMINDER_NAME = "pmcheck:reminder"
CHANGE_NAME = "pmcheck:change"
SLUG_WORDS = 5
TITLE_SUMMARY_CHARS = 90
TITLE_INCIDENT_CHARS = 60
TEXT_LIMIT = 60000  # GitHub refuses bodies over 65,536 characters; leave room for the rest.

_MARKER = re.compile(r"<!--\s*pmcheck:(?P<kind>action|reminder|change)\b(?P<fields>[^<>]*?)-->")
_FIELD = re.compile(r"(?<![a-z])(?P<name>[a-z]+)=(?P<value>\S*)")
_LOGIN = re.compile(r"^[A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38}$")
_LINK = re.compile(r"!?\[(?P<text>[^\[\]]*)\]\([^()]*\)")
_MARKUP = re.compile(r"\*\*|__|`|~~|<[^<>]+>")
_CHECKBOX = re.compile(r"^\s*(?:\[[ xX]\]|✅|☑️?)\s*")
_INLINE_ID = re.compile(r"\b(?:id|action[ -]id)\s*[:=]\s*[\w.-]+", re.IGNORECASE)
_DEADLINE_PHRASE = re.compile(
    r"\(?\b(?:due(?:\s+date)?|deadline|target(?:\s+date)?|eta|by|before|until|no\s+later\s+than)\b\s*[:\-–]?\s*"
    r"(?:\d{4}-\d{2}-\d{2}|[A-Za-z]{3,9}\.?\s+\d{1,2}(?:,?\s+\d{4})?|\d{1,2}\s+[A-Za-z]{3,9}(?:\s+\d{4})?|"
    r"q[1-4](?:\s*'?\d{2,4})?|asap|tbd|eo[wmqy]|next\s+\w+)\)?",
    re.IGNORECASE,
)
_ISO_DATE = re.compile(r"\b\d{4}-\d{2}-\d{2}\b")
_STOPWORDS = frozenset(
    {
        "a",
        "an",
        "the",
        "to",
        "of",
        "for",
        "and",
        "or",
        "in",
        "on",
        "at",
        "with",
        "by",
        "from",
        "into",
        "onto",
        "as",
        "so",
        "that",
        "this",
        "these",
        "those",
        "it",
        "its",
        "we",
        "our",
        "us",
        "you",
        "your",
        "they",
        "their",
        "be",
        "is",
        "are",
        "was",
        "were",
        "will",
        "would",
        "should",
        "must",
        "shall",
        "can",
        "could",
        "may",
        "might",
        "need",
        "needs",
        "do",
        "does",
        "also",
        "all",
        "any",
        "each",
        "every",
        "then",
        "than",
        "more",
        "very",
        "just",
        "please",
        "make",
        "sure",
        "ensure",
    }
)
# A parenthetical that only says who, when or where it is tracked: "(Owner: @sam, due 2026-04-25)".
_BOOKKEEPING = re.compile(
    r"(?<!\s)\s*[(\[](?=[^()\[\]]*(?:@|\b(?:owners?|assignees?|due|deadline|eta|by|status|id|tracking)\b|#\d|"
    r"\d{4}-\d{2}-\d{2}))[^()\[\]]*[)\]]",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Owner:
    """An owner as the document names them, and what pmcheck can do with the name on GitHub."""

    name: str
    login: str | None = None
    team: bool = False


@dataclass(frozen=True)
class Marker:
    """The hidden line in an issue body that ties the issue to one action."""

    key: str
    due: dt.date | None = None
    owners: tuple[str, ...] = ()
    fingerprint: str = ""
    wording: str = ""

    @property
    def path(self) -> str:
        return key_path(self.key)

    def render(self) -> str:
        fields = [f"key={_q(self.key)}"]
        if self.due:
            fields.append(f"due={self.due.isoformat()}")
        if self.owners:
            fields.append(f"owners={','.join(_q(owner) for owner in self.owners)}")
        if self.fingerprint:
            fields.append(f"fp={self.fingerprint}")
        if self.wording:
            fields.append(f"text={self.wording}")
        return f"<!-- {MARKER_NAME} {' '.join(fields)} -->"


@dataclass(frozen=True)
class IssueLinks:
    """Where links in issue bodies point: ``{server_url}/{repo}/blob/{ref}/{path}#L{line}``."""

    repo: str | None = None
    ref: str | None = None
    server_url: str = "https://github.com"

    def document(self, path: str, line: int | None = None) -> str | None:
        if not self.repo or not self.ref:
            return None
        anchor = f"#L{line}" if line else ""
        return f"{self.server_url.rstrip('/')}/{self.repo}/blob/{quote(self.ref)}/{quote(path)}{anchor}"


def action_key(path: str, action: Action, *, ordinal: int = 1) -> str:
    """The stable key of ``action`` in the document at repository path ``path``.

    ``ordinal`` is the action's position among actions of the same document with the same slug
    (or the same id); :func:`action_keys` computes it for a whole document.
    """
    explicit = _clean_id(action.key or "")
    identity = f"id:{explicit}" if explicit else f"text:{action_slug(action.text)}"
    suffix = f":{ordinal}" if identity.startswith("text:") or ordinal > 1 else ""
    return f"{_posix(path)}::{identity}{suffix}"


def action_keys(path: str, actions: Sequence[Action]) -> list[str]:
    """The key of every action of one document, in order, with ordinals among equal slugs or ids."""
    seen: Counter[str] = Counter()
    keys = []
    for action in actions:
        base = action_key(path, action)
        seen[base] += 1
        keys.append(action_key(path, action, ordinal=seen[base]))
    return keys


def key_path(key: str) -> str:
    """The document path a key names."""
    return key.rpartition("::")[0]


def action_slug(text: str) -> str:
    """The first significant words of an action, lower-case and hyphenated: its wording identity."""
    words = re.findall(r"[a-z0-9]+", summary_text(text, strip_people=True).lower())
    significant = [word for word in words if word not in _STOPWORDS and not word.isdigit()]
    return "-".join(significant[:SLUG_WORDS]) or "action"


def summary_text(text: str, *, strip_people: bool = False) -> str:
    """An action's first line without Markdown, checkboxes, ids, issue references or deadlines."""
    first = text.strip().splitlines()[0] if text.strip() else ""
    return _without_bookkeeping(first, strip_people=strip_people)


def _without_bookkeeping(first: str, *, strip_people: bool) -> str:
    first = _LINK.sub(lambda match: match["text"], first)
    first = _CHECKBOX.sub("", _MARKUP.sub("", first))
    first = _BOOKKEEPING.sub("", first)
    first = TRACKING.sub("", _INLINE_ID.sub("", first))
    first = OWNER_LABEL.sub("", _DEADLINE_PHRASE.sub("", first))
    if strip_people:
        first = _ISO_DATE.sub("", HANDLE.sub("", first))
    first = re.sub(r"\(\s*[,;]?\s*\)|\[\s*\]", "", first)
    first = re.sub(r"\s+", " ", first).strip(" \t-–—:;,")
    return first


def issue_title(postmortem: PostMortem, action: Action) -> str:
    """A short, specific title: the action's own words, then which incident it comes from."""
    words = summary_text(action.text) or action.text.strip() or "Corrective action"
    summary = _shorten(words, TITLE_SUMMARY_CHARS)
    incident = _shorten(incident_name(postmortem), TITLE_INCIDENT_CHARS)
    return f"{summary} (post-mortem: {incident})"


def incident_name(postmortem: PostMortem) -> str:
    title = (postmortem.title or "").strip()
    return title or PurePath(postmortem.path).stem.replace("-", " ").replace("_", " ")


def resolve_owners(names: Sequence[str], logins: Mapping[str, str]) -> list[Owner]:
    """Turn the owners a document names into GitHub logins where possible.

    ``logins`` is the configuration's ``owners`` map (matched case-insensitively). A name with a
    slash is a team (teams cannot be assigned). A name that looks like a login is tried as one; the
    caller checks on GitHub that it can be assigned.
    """
    folded = {name.casefold(): login for name, login in logins.items()}
    owners: list[Owner] = []
    for name in names:
        raw = name.strip().lstrip("@")
        mapped = folded.get(raw.casefold()) or folded.get(f"@{raw}".casefold())
        target = (mapped or raw).lstrip("@")
        if "/" in target:
            owners.append(Owner(name=raw, login=target, team=True))
        elif mapped or _LOGIN.match(raw):
            owners.append(Owner(name=raw, login=target))
        else:
            owners.append(Owner(name=raw))
    return owners


def fingerprint(action: Action, owners: Sequence[str]) -> str:
    """A digest of what the document says about the action: changes to it trigger an issue update."""
    deadline = action.deadline
    state = {
        "text": _wording(action.text),
        "owners": list(owners),
        "due": _due_value(deadline),
    }
    return _digest(state)


def wording_digest(action: Action) -> str:
    """A digest of the action's words alone, to tell a rewording from an owner or deadline change."""
    return _digest(_wording(action.text))[:8]


def _wording(text: str) -> str:
    """The words of an action without owners, deadlines or issue references, which change on their own
    (an issue number written back must not count as a change of wording)."""
    return " ".join(_without_bookkeeping(" ".join(text.split()), strip_people=False).split())


def action_marker(key: str, action: Action, owners: Sequence[Owner]) -> Marker:
    """The marker for ``action`` as the document states it now."""
    names = [owner.name for owner in owners]
    deadline = action.deadline
    return Marker(
        key=key,
        due=deadline.date if deadline and deadline.date else None,
        owners=tuple(names),
        fingerprint=fingerprint(action, names),
        wording=wording_digest(action),
    )


def issue_body(
    postmortem: PostMortem,
    action: Action,
    *,
    key: str,
    links: IssueLinks | None = None,
    owners: Sequence[Owner] = (),
    assignees: Sequence[str] = (),
) -> str:
    """The issue body: the action, its incident, deadline, owners, a link to its line, the marker.

    ``assignees`` are the logins that will be assigned; every other owner is listed as not assignable.
    """
    path = key_path(key)
    marker = action_marker(key, action, owners)
    link = (links or IssueLinks()).document(path, action.line)
    where = f"[`{path}` line {action.line}]({link})" if link else f"`{path}` line {action.line}"
    incident = incident_name(postmortem)
    facts = [
        ("Incident", inert(incident)),
        ("Incident date", postmortem.incident_date.isoformat() if postmortem.incident_date else "not stated"),
        ("Severity", inert(postmortem.severity) if postmortem.severity else "not stated"),
        ("Deadline", _deadline_text(action)),
        ("Owners", _owners_text(owners, assignees)),
        ("Source", where),
    ]
    if action.group:
        facts.insert(4, ("Group", inert(action.group)))
    lines = split_lines(_limit(action.text.strip(), TEXT_LIMIT))
    quoted = "\n".join(f"> {inert(line)}" if line else ">" for line in lines)
    table = "\n".join(f"| {name} | {_cell(value)} |" for name, value in facts)
    return (
        f"{marker.render()}\n"
        f"Corrective action from the post-mortem **{_cell(inert(incident))}**:\n\n"
        f"{quoted}\n\n"
        f"| | |\n| --- | --- |\n{table}\n\n"
        "_pmcheck keeps this issue in sync with the post-mortem: change the action in the document, "
        "and close this issue by marking the action done there._\n"
    )


def parse_marker(body: str | None) -> Marker | None:
    """The action marker in an issue body, or None when the issue is not pmcheck's."""
    for match in _MARKER.finditer(body or ""):
        if match["kind"] != "action":
            continue
        fields = {found["name"]: found["value"] for found in _FIELD.finditer(match["fields"])}
        if not fields.get("key"):
            continue
        return Marker(
            key=unquote(fields["key"]),
            due=_date(fields.get("due")),
            owners=tuple(unquote(owner) for owner in fields.get("owners", "").split(",") if owner),
            fingerprint=fields.get("fp", ""),
            wording=fields.get("text", ""),
        )
    return None


@dataclass(frozen=True)
class ReminderMark:
    """The hidden line of a follow-up comment: which reminder, on which day, for which deadline."""

    kind: str
    day: dt.date
    due: dt.date | None = None

    def render(self) -> str:
        due = f" due={self.due.isoformat()}" if self.due else ""
        return f"<!-- {REMINDER_NAME} kind={self.kind} date={self.day.isoformat()}{due} -->"


def parse_reminder(body: str | None) -> ReminderMark | None:
    """The reminder marker of a comment pmcheck posted, or None for any other comment."""
    for match in _MARKER.finditer(body or ""):
        if match["kind"] != "reminder":
            continue
        fields = {found["name"]: found["value"] for found in _FIELD.finditer(match["fields"])}
        day = _date(fields.get("date"))
        if day:
            return ReminderMark(kind=fields.get("kind", "overdue"), day=day, due=_date(fields.get("due")))
    return None


def incident_from_body(body: str | None) -> str | None:
    """The incident named in an issue body pmcheck wrote (its "Incident" row)."""
    match = re.search(r"^\| Incident \| (?P<name>.+?) \|\s*$", body or "", re.MULTILINE)
    return match["name"].replace("\\|", "|") if match else None


def change_marker() -> str:
    return f"<!-- {CHANGE_NAME} -->"


def _deadline_text(action: Action) -> str:
    deadline = action.deadline
    if deadline is None:
        return "none stated"
    if deadline.date:
        stated = deadline.text.strip()
        iso = deadline.date.isoformat()
        return iso if stated in ("", iso) else f"{iso} (“{inert(stated)}”)"
    return f"“{inert(deadline.text)}” (not a date: no overdue reminders)"


def _owners_text(owners: Sequence[Owner], assignees: Sequence[str]) -> str:
    if not owners:
        return "none named in the document"
    assigned = {login.casefold() for login in assignees}
    parts = []
    for owner in owners:
        if owner.login and owner.login.casefold() in assigned:
            parts.append(f"@{owner.login}")
        elif owner.team:
            parts.append(f"{inert(f'@{owner.login}')} (team: teams cannot be assigned)")
        elif owner.login:
            parts.append(f"{inert(owner.name)} (not assignable in this repository)")
        else:
            parts.append(f"{inert(owner.name)} (no GitHub login known: add it to `owners` in .pmcheck.yml)")
    return ", ".join(parts)


def _digest(value: object) -> str:
    return hashlib.sha256(json.dumps(value, sort_keys=True).encode("utf-8")).hexdigest()[:16]


def _due_value(deadline: Deadline | None) -> str | None:
    if deadline is None:
        return None
    return deadline.date.isoformat() if deadline.date else deadline.text


def _cell(value: str) -> str:
    return value.replace("|", "\\|").replace("\n", " ")


def _shorten(text: str, limit: int) -> str:
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[: limit - 1].rsplit(" ", 1)[0].rstrip(" ,;:-")
    return f"{cut or text[: limit - 1]}…"


def _limit(text: str, limit: int) -> str:
    return text if len(text) <= limit else f"{text[: limit - 1]}…"


def _clean_id(value: str) -> str:
    return re.sub(r"\s+", "-", value.strip().strip("*_`#"))


def _posix(path: str) -> str:
    return PurePath(path).as_posix().removeprefix("./")


def _q(value: str) -> str:
    return quote(value, safe="/:._-@~")


def _date(value: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value) if value else None
    except ValueError:
        return None
