"""Plan recording new issue numbers in the post-mortems through a pull request: which lines change.

:func:`propose` reads git and writes nothing; :mod:`pmcheck.github.write_back_push` commits, pushes
and opens the pull request (through :func:`pmcheck.github.apply.apply`). The edits are the ones
``--write-back=local`` makes (:mod:`pmcheck.github.write_back`), applied to the committed version of
each document (``HEAD``). The commit is built with git's plumbing in a temporary index
(``hash-object``, ``update-index``, ``write-tree``, ``commit-tree``) on top of ``HEAD``, so the
user's checkout — branch, index, work tree, refs, config — is never touched: no branch is checked
out or created locally, nothing needs restoring if the run is killed.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from pmcheck.errors import GitHubError
from pmcheck.github.write_back import add_references
from pmcheck.parse import parse_document

BRANCH_PREFIX = "pmcheck/write-back/"
REMOTE = "origin"
LOCAL_TIMEOUT = 60.0


class WriteBackFailed(GitHubError):
    """The references could not be committed, pushed or proposed; ``not_done`` lists what is left."""

    def __init__(self, message: str, not_done: Sequence[str] = ()) -> None:
        super().__init__(message)
        self.not_done = tuple(not_done)


@dataclass(frozen=True)
class DocumentReferences:
    """What to record in one document: ``references`` maps an action's line to ``"#12"``."""

    path: str  # relative to the root the documents were read from, with "/"
    text: str  # as pmcheck read it (newlines normalised): the committed version must say the same
    references: Mapping[int, str]
    actions: Mapping[int, str] = field(default_factory=dict)  # line -> the action's text


@dataclass(frozen=True)
class Recorded:
    line: int
    reference: str
    action: str
    before: str
    after: str


@dataclass(frozen=True)
class FileEdit:
    path: str
    git_path: str  # relative to the top of the work tree
    mode: str
    content: bytes
    recorded: tuple[Recorded, ...]


@dataclass(frozen=True)
class Proposal:
    """The commit to propose: ``HEAD``, the branch it goes to, the edited files, what was skipped."""

    head: str
    branch: str
    top: Path  # the top of the git work tree
    edits: tuple[FileEdit, ...]
    problems: tuple[str, ...] = ()


class Git:
    """Runs ``git -C root ...`` without a shell; failures become :class:`WriteBackFailed`."""

    def __init__(self, root: Path, *, secrets: Sequence[str] = ()) -> None:
        self.root = root
        self.secrets = [secret for secret in secrets if secret]
        self.env = {**os.environ, "GIT_TERMINAL_PROMPT": "0"}

    def run(
        self,
        *args: str,
        what: str,
        stdin: bytes | None = None,
        env: Mapping[str, str] | None = None,
        timeout: float = LOCAL_TIMEOUT,
        ok: Sequence[int] = (0,),
    ) -> subprocess.CompletedProcess[bytes]:
        try:
            done = subprocess.run(
                ["git", "-C", str(self.root), *args],
                input=stdin,
                capture_output=True,
                env={**self.env, **(env or {})},
                timeout=timeout,
                check=False,
            )
        except FileNotFoundError:
            raise WriteBackFailed(f"could not {what}: git is not installed") from None
        except subprocess.TimeoutExpired:
            raise WriteBackFailed(f"could not {what}: git did not finish within {timeout:.0f} s") from None
        if done.returncode not in ok:
            # `push --porcelain` reports a rejected ref ("!  ...  [rejected] (stale info)") on stdout.
            rejected = [line for line in done.stdout.splitlines() if line.startswith(b"!")]
            reason = self.reason(b"\n".join([done.stderr, *rejected]))
            raise WriteBackFailed(f"could not {what}: {reason}")
        return done

    def text(
        self,
        *args: str,
        what: str,
        stdin: bytes | None = None,
        env: Mapping[str, str] | None = None,
        timeout: float = LOCAL_TIMEOUT,
    ) -> str:
        """The command's output, stripped."""
        done = self.run(*args, what=what, stdin=stdin, env=env, timeout=timeout)
        return done.stdout.decode("utf-8", "replace").strip()

    def reason(self, stderr: bytes) -> str:
        """git's own explanation, in a line or two, with any secret taken out."""
        lines = [line.strip() for line in stderr.decode("utf-8", "replace").splitlines() if line.strip()]
        marked = [line for line in lines if line.startswith(("fatal:", "error:", "remote:", "!"))]
        text = " ".join((marked or lines)[-3:]) or "git failed without saying why"
        for secret in self.secrets:
            text = text.replace(secret, "***")
        return text


# Proposing: the edits, from the committed documents -----------------------------------------------


def branch_for(head: str) -> str:
    return f"{BRANCH_PREFIX}{head[:7]}"


def propose(root: Path, documents: Sequence[DocumentReferences]) -> Proposal:
    """The edited files, from each document's version at ``HEAD``; reads git, writes nothing.

    A document whose committed version differs from what pmcheck read (uncommitted changes, or not
    committed at all) is left out and named in ``problems``: its line numbers would not fit.
    """
    found = Git(root)
    top = Path(
        found.text(
            "rev-parse",
            "--show-toplevel",
            what=f"find the git checkout holding {root} (--write-back=pr commits there)",
        )
    )
    prefix = found.text("rev-parse", "--show-prefix", what=f"find {root} in its git work tree")
    git = Git(top)
    head = git.text("rev-parse", "--verify", "HEAD^{commit}", what=f"read HEAD in {top}")
    edits: list[FileEdit] = []
    problems: list[str] = []
    for document in documents:
        if not document.references:
            continue
        edit = _edit(git, head, prefix + document.path, document, problems)
        if edit is not None:
            edits.append(edit)
    return Proposal(head, branch_for(head), top, tuple(edits), tuple(problems))


def _edit(
    git: Git, head: str, git_path: str, document: DocumentReferences, problems: list[str]
) -> FileEdit | None:
    listed = git.text("ls-tree", "-z", head, "--", git_path, what=f"look up {document.path} at HEAD")
    meta, _, _name = listed.rstrip("\0").partition("\t")
    parts = meta.split()
    if len(parts) != 3 or parts[1] != "blob":
        problems.append(f"{document.path}: not committed at HEAD; its issue numbers were not written")
        return None
    mode, _kind, blob = parts
    raw = git.run("cat-file", "blob", blob, what=f"read {document.path} at HEAD").stdout
    bom = raw.startswith(b"\xef\xbb\xbf")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        problems.append(f"{document.path}: not UTF-8 at HEAD; its issue numbers were not written")
        return None
    if text.replace("\r\n", "\n").replace("\r", "\n") != document.text:
        problems.append(
            f"{document.path}: differs from its committed version (uncommitted changes?); "
            "its issue numbers were not written"
        )
        return None
    edited = add_references(text, parse_document(document.text, document.path), document.references)
    problems += [f"{document.path}: {problem}" for problem in edited.problems]
    if not edited.changed:
        return None
    before, after = text.splitlines(), edited.text.splitlines()
    recorded = tuple(
        Recorded(
            line=line,
            reference=document.references[line],
            action=document.actions.get(line, ""),
            before=before[line - 1],
            after=after[line - 1],
        )
        for line in edited.changed
    )
    content = (b"\xef\xbb\xbf" if bom else b"") + edited.text.encode("utf-8")
    return FileEdit(document.path, git_path, mode, content, recorded)


def describe(proposal: Proposal, *, base: str | None) -> str:
    """What the pull request would hold, line by line (for ``--dry-run``)."""
    if not proposal.edits:
        return "write-back (pr): nothing to record"
    target = f"into {base}" if base else "into the default branch"
    lines = [
        f"write-back (pr): would push {proposal.branch} (one commit on {proposal.head[:7]} changing these "
        f"lines only) and open or update a pull request {target}:"
    ]
    for edit in proposal.edits:
        lines.append(f"  {edit.path}")
        for item in edit.recorded:
            lines += [f"    {item.line}: - {item.before}", f"    {item.line}: + {item.after}"]
    return "\n".join(lines)


def pull_body(proposal: Proposal, *, repository: str) -> str:
    lines = [
        "pmcheck opened an issue for each corrective action below and records its number in the "
        "post-mortem. Only those references change; nothing else in the documents does.",
        "",
    ]
    for edit in proposal.edits:
        lines.append(f"**`{edit.path}`**")
        lines.append("")
        for item in edit.recorded:
            action = f" — {item.action}" if item.action else ""
            lines.append(f"- line {item.line}: {repository}{item.reference}{action}")
        lines.append("")
    lines.append(
        f"Made on {proposal.head[:7]}. Re-runs of `pmcheck github issues --write-back=pr` update this "
        "branch; merge it to keep the issue numbers with the actions."
    )
    return "\n".join(lines)


def commit_message(proposal: Proposal) -> str:
    lines = ["Record corrective-action issue numbers in post-mortems", ""]
    for edit in proposal.edits:
        references = ", ".join(item.reference for item in edit.recorded)
        lines.append(f"- {edit.path}: {references}")
    return "\n".join(lines) + "\n"
