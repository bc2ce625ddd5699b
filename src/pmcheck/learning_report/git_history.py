"""Read every committed version of the post-mortems from git in one pass over the history.

One ``git log --reverse --raw`` lists, per commit and oldest first, the blob of each document it
changed (renames are not followed: a renamed document starts a new history); one
``git cat-file --batch`` then streams those blobs. Two processes whatever the number of documents
or commits, never one ``git log`` per file. Each blob is read with pmcheck's own extraction, so a
version counts the same actions the checker would.

A checkout without history (``actions/checkout`` fetches one commit unless ``fetch-depth: 0``), no
git, or paths outside a repository give ``None`` and a reason; the report then says so.
"""

from __future__ import annotations

import datetime as dt
import subprocess
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from pmcheck.learning_report.history import Version
from pmcheck.parse import parse_document
from pmcheck.postmortem import Action, SectionCatalog, read_postmortem
from pmcheck.read import decode

_RECORD = "\x1e"
_NO_BLOB = "0" * 40


@dataclass(frozen=True)
class GitHistory:
    root: Path
    versions: tuple[Version, ...]
    commits: int
    shallow: bool


def read_history(
    paths: Sequence[Path], *, catalog: SectionCatalog, suffixes: tuple[str, ...] = (".md", ".markdown")
) -> GitHistory | str:
    """Every version of the Markdown files under ``paths``, or why there is no history to read."""
    anchor = paths[0] if paths else Path.cwd()
    folder = anchor if anchor.is_dir() else anchor.parent
    root_text = _git(folder, "rev-parse", "--show-toplevel")
    if root_text is None:
        return "the documents are not in a git repository (or git is not installed)"
    root = Path(root_text.strip())
    specs = [_relative(path, root) for path in paths]
    if any(spec is None for spec in specs):
        return f"some paths are outside the git repository at {root}"
    shallow = (_git(root, "rev-parse", "--is-shallow-repository") or "").strip() == "true"
    log = _git(
        root,
        "-c",
        "core.quotepath=off",
        "log",
        "--reverse",
        "--raw",
        "--no-renames",
        "--no-abbrev",
        "--no-merges",
        "--format=%x1e%H %cI",
        "--",
        *[spec or "." for spec in specs],
    )
    if log is None:
        return "git log failed (a repository without commits?)"
    changes = list(_changes(log, suffixes))
    blobs = _blobs(root, sorted({blob for _day, _path, blob in changes if blob != _NO_BLOB}))
    versions = []
    for day, path, blob in changes:
        if blob == _NO_BLOB:
            versions.append(Version(day, path, None))  # the commit deleted the document
            continue
        actions = _actions(blobs.get(blob), path, catalog)
        if actions is not None:  # a version that cannot be read says nothing about its actions
            versions.append(Version(day, path, actions))
    commits = log.count(_RECORD)
    return GitHistory(root=root, versions=tuple(versions), commits=commits, shallow=shallow)


def repo_path(path: Path, root: Path) -> str | None:
    """``path`` relative to the repository root, in git's spelling."""
    return _relative(path, root)


def _changes(log: str, suffixes: tuple[str, ...]) -> Iterator[tuple[dt.date, str, str]]:
    for record in log.split(_RECORD)[1:]:
        header, _, body = record.partition("\n")
        _sha, _, stamp = header.partition(" ")
        day = dt.datetime.fromisoformat(stamp.strip()).astimezone(dt.timezone.utc).date()
        for line in body.splitlines():
            # ":100644 100644 <old> <new> M\tpath"
            if not line.startswith(":") or "\t" not in line:
                continue
            meta, _, path = line.partition("\t")
            fields = meta.split()
            if len(fields) >= 5 and path.lower().endswith(suffixes):
                yield day, path, fields[3]


def _blobs(root: Path, shas: list[str]) -> dict[str, bytes]:
    if not shas:
        return {}
    done = subprocess.run(
        ["git", "cat-file", "--batch"],
        cwd=root,
        input=("\n".join(shas) + "\n").encode(),
        capture_output=True,
        check=False,
    )
    data, found, position = done.stdout, {}, 0
    for sha in shas:
        end = data.find(b"\n", position)
        if end < 0:
            break
        header = data[position:end].split()
        position = end + 1
        if len(header) < 3 or header[1] == b"missing":
            continue
        size = int(header[2])
        found[sha] = data[position : position + size]
        position += size + 1
    return found


def _actions(data: bytes | None, path: str, catalog: SectionCatalog) -> list[Action] | None:
    """The actions of one version, or None when it cannot be read."""
    text = decode(data) if data is not None else None
    if not isinstance(text, str):
        return None
    try:
        return list(read_postmortem(parse_document(text, path), catalog).actions)
    except Exception:  # one unreadable old version must not stop the report
        return None


def _relative(path: Path, root: Path) -> str | None:
    try:
        relative = path.resolve().relative_to(root.resolve())
    except ValueError:
        return None
    return relative.as_posix() or "."


def _git(folder: Path, *args: str) -> str | None:
    try:
        done = subprocess.run(
            ["git", *args], cwd=folder, capture_output=True, text=True, check=False, encoding="utf-8"
        )
    except OSError:
        return None
    return done.stdout if done.returncode == 0 else None
