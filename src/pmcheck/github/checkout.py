"""The post-mortems of the checked-out repository: which to read, and writing issue numbers into them.

On a push only the post-mortems the push added or changed are read. New issue numbers go back into
the documents either in place (``--write-back=local``: only the action's line changes, and a file
changed since it was read is left alone) or through a pull request (``--write-back=pr``:
:mod:`pmcheck.github.write_back_pr` plans it, :func:`pmcheck.github.apply.apply` sends it).
"""

from __future__ import annotations

import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from pmcheck.api import Checker
from pmcheck.discover import discover, is_postmortem, matches_any
from pmcheck.errors import UsageError
from pmcheck.github.action_issue import action_keys
from pmcheck.github.event import ClientSettings, RunContext
from pmcheck.github.issue_plan import Plan, SourceDocument, tracking_of
from pmcheck.parse import parse_document
from pmcheck.postmortem import read_postmortem
from pmcheck.read import ReadProblem, read_text

if TYPE_CHECKING:
    from pmcheck.github.write_back_pr import DocumentReferences


@dataclass(frozen=True)
class LocalDocument:
    source: SourceDocument
    file: Path
    text: str


def root_of(workspace: Path | None) -> Path:
    """``--root``, else ``GITHUB_WORKSPACE``, else the folder holding ``.git`` above the current one."""
    if workspace is not None:
        return workspace.resolve()
    here = Path.cwd().resolve()
    return next((folder for folder in (here, *here.parents) if (folder / ".git").exists()), here)


def changed_paths(
    root: Path, paths: Sequence[Path], checker: Checker, context: RunContext
) -> list[Path] | None:
    """On a push, the post-mortems the push added or modified under ``paths``; None otherwise."""
    names = context.pushed_files
    if names is None:
        return None
    scopes = [path.resolve() for path in paths]
    changed = []
    for name in names:
        candidate = (root / name).resolve()
        inside = any(candidate == scope or scope in candidate.parents for scope in scopes)
        if inside and candidate.is_file() and is_postmortem(candidate, checker.config_for(candidate)):
            changed.append(candidate)
    return changed


def read_documents(
    paths: Sequence[Path], root: Path, checker: Checker, globs: Sequence[str]
) -> list[LocalDocument]:
    documents = []
    for candidate in discover(paths, checker.config_for, force_exclude=True):
        if globs and not matches_any(_repo_path(candidate.path, root), globs):
            continue
        text = read_text(candidate.path, checker.config_for(candidate.path).config.max_file_bytes)
        if isinstance(text, ReadProblem):
            print(f"pmcheck: {candidate.path}:{text.line}: skipped: {text.message}", file=sys.stderr)
            continue
        relative = _repo_path(candidate.path, root)
        document = parse_document(text, relative)
        postmortem = read_postmortem(document, checker.ruleset_for(candidate.path).catalog)
        documents.append(LocalDocument(SourceDocument(relative, postmortem), candidate.path, text))
    return documents


def _repo_path(path: Path, root: Path) -> str:
    resolved = path.resolve()
    try:
        return resolved.relative_to(root).as_posix()
    except ValueError:
        raise UsageError(f"{path} is outside the repository root {root}; pass --root") from None


def write_back_local(documents: Sequence[LocalDocument], current: Plan, created: dict[str, int]) -> None:
    """Record issue numbers in the documents: for every action whose issue is known and unnamed there."""
    from pmcheck.github.write_back import add_references

    numbers = {key: f"#{number}" for key, number in {**current.tracked, **created}.items()}
    for document in documents:
        wanted = _wanted(document, numbers)
        if not wanted:
            continue
        try:
            raw = document.file.read_bytes()
        except OSError as exc:
            print(f"pmcheck: {document.file}: not updated: {exc.strerror or exc}", file=sys.stderr)
            continue
        bom = raw.startswith(b"\xef\xbb\xbf")
        text = raw.decode("utf-8-sig")
        if text.replace("\r\n", "\n").replace("\r", "\n") != document.text:
            print(
                f"pmcheck: {document.file}: changed since it was read; issue numbers not written",
                file=sys.stderr,
            )
            continue
        edited = add_references(text, parse_document(document.text, document.source.path), wanted)
        for problem in edited.problems:
            print(f"pmcheck: {document.file}: {problem}", file=sys.stderr)
        if edited.changed:
            document.file.write_bytes((b"\xef\xbb\xbf" if bom else b"") + edited.text.encode("utf-8"))
            print(f"wrote issue numbers into {document.file} (lines {', '.join(map(str, edited.changed))})")


def _wanted(document: LocalDocument, references: Mapping[str, str]) -> dict[int, str]:
    """Line → reference for each action of ``document`` whose issue is known and that names none."""
    postmortem = document.source.postmortem
    keys = action_keys(document.source.path, postmortem.actions)
    return {
        action.line: references[key]
        for action, key in zip(postmortem.actions, keys, strict=True)
        if key in references and tracking_of(action) is None
    }


def _pr_documents(
    documents: Sequence[LocalDocument], references: Mapping[str, str]
) -> list[DocumentReferences]:
    from pmcheck.github.write_back_pr import DocumentReferences

    return [
        DocumentReferences(
            path=document.source.path,
            text=document.text,
            references=_wanted(document, references),
            actions={action.line: action.text for action in document.source.postmortem.actions},
        )
        for document in documents
    ]


def preview_write_back_pr(
    documents: Sequence[LocalDocument], current: Plan, *, root: Path, base: str | None
) -> str:
    """What ``--write-back=pr`` would commit; issues not created yet show as ``#NEW``."""
    from pmcheck.github.write_back_pr import describe, propose

    references = {key: f"#{number}" for key, number in current.tracked.items()}
    references |= {planned.key: "#NEW" for planned in current.creates}
    proposal = propose(root, _pr_documents(documents, references))
    for problem in proposal.problems:
        print(f"pmcheck: {problem}", file=sys.stderr)
    return describe(proposal, base=base)


_PUBLISHED = {
    (True, True): "pushed {branch} and opened pull request #{number} into {base}: {url}",
    (True, False): "{branch} was already pushed; opened pull request #{number} into {base}: {url}",
    (False, True): "updated {branch}; pull request #{number} into {base} follows it: {url}",
    (False, False): "{branch} already holds these issue numbers; pull request #{number}: {url}",
}


def write_back_through_pr(
    documents: Sequence[LocalDocument],
    current: Plan,
    *,
    created: dict[str, int],
    root: Path,
    settings: ClientSettings,
    repo: str,
) -> str | None:
    """Propose the issue numbers in a pull request; returns why they were not recorded, if so."""
    from pmcheck.github.apply import apply
    from pmcheck.github.gateway import Gateway
    from pmcheck.github.write_back_pr import WriteBackFailed, propose

    references = {key: f"#{number}" for key, number in {**current.tracked, **created}.items()}
    try:
        proposal = propose(root, _pr_documents(documents, references))
        for problem in proposal.problems:
            print(f"pmcheck: {problem}", file=sys.stderr)
        if not proposal.edits:
            print("write-back (pr): nothing to record")
            return None
        with Gateway(settings, repo) as gateway:
            published = apply(proposal, gateway)
    except WriteBackFailed as exc:
        lines = [f"The issue numbers were not recorded in the post-mortems: {exc}"]
        if exc.not_done:
            lines.append(f"Not done ({len(exc.not_done)}):")
            lines += [f"  - {item}" for item in exc.not_done]
        lines.append("The issues exist; a re-run records their numbers without opening them again.")
        return "\n".join(lines)
    message = _PUBLISHED[published.opened, published.pushed]
    print(
        "write-back (pr): "
        + message.format(
            branch=published.branch, base=published.base, number=published.pull.number, url=published.pull.url
        )
    )
    for edit in proposal.edits:
        print(f"  {edit.path}: {', '.join(item.reference for item in edit.recorded)}")
    return None
