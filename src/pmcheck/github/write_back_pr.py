"""Record new issue numbers in the post-mortems through a pull request, never on the default branch.

The edits are the ones ``--write-back=local`` makes (:mod:`pmcheck.github.write_back`), applied to
the committed version of each document (``HEAD``). The commit is built with git's plumbing in a
temporary index (``hash-object``, ``update-index``, ``write-tree``, ``commit-tree``) on top of
``HEAD``, so the user's checkout — branch, index, work tree, refs, config — is never touched: no
branch is checked out or created locally, nothing needs restoring if the run is killed.

The commit goes to ``pmcheck/write-back/<first 7 hex digits of HEAD>`` on ``origin``, pushed to
origin's URL (so no remote-tracking ref appears locally) with ``--force-with-lease`` on that one
branch, and only when the branch does not already hold the same files on the same parent. Then one
pull request into the default branch is opened, or the open one is found and told what changed.

Credentials: a checkout that kept its credentials (``actions/checkout``'s default writes an
``http.<url>.extraheader``) is used as it is; otherwise, for an http(s) origin, the token reaches git
as an ``http.<origin>/.extraheader`` through ``GIT_CONFIG_*`` environment variables — never on a
command line, in ``.git/config`` or in any message.
"""

from __future__ import annotations

import base64
import contextlib
import os
import subprocess
import tempfile
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit, urlunsplit

from pmcheck.errors import GitHubError
from pmcheck.github.gateway import WriteRefused
from pmcheck.github.write_back import add_references
from pmcheck.parse import parse_document

if TYPE_CHECKING:
    from pmcheck.github.gateway import Gateway, PullInfo

BRANCH_PREFIX = "pmcheck/write-back/"
REMOTE = "origin"
# Used only when git has no identity configured (typical of CI): GitHub shows such commits as the
# Actions bot's, where an address of the form <name>@users.noreply.github.com would credit whichever
# GitHub account happens to be called <name>.
FALLBACK_NAME = "github-actions[bot]"
FALLBACK_EMAIL = "41898282+github-actions[bot]@users.noreply.github.com"
NETWORK_TIMEOUT = 300.0
LOCAL_TIMEOUT = 60.0
PULL_TITLE = "Record the issue numbers of corrective actions in the post-mortems"
PULLS_HINT = (
    "Give the workflow `permissions: pull-requests: write`, or use a token that can open pull requests "
    "in this repository."
)
CONTENTS_HINT = (
    "Give the workflow `permissions: contents: write`, or check out with credentials that can push "
    "branches to origin."
)


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


@dataclass(frozen=True)
class Published:
    branch: str
    base: str
    pull: PullInfo
    opened: bool  # a new pull request (else the one already open)
    pushed: bool  # the branch moved (else it already held these edits)


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


# Publishing: commit, push, pull request -----------------------------------------------------------


def publish(proposal: Proposal, *, client: Gateway, token: str | None) -> Published:
    """Commit on top of ``HEAD``, push the pmcheck branch, open (or find) its pull request."""
    branch = proposal.branch
    with _leaving([f"push {branch} to {REMOTE}", f"open a pull request from {branch}"]):
        base = client.default_branch()
    not_done = [f"push {branch} to {REMOTE}", f"open a pull request from {branch} into {base}"]
    if branch == base or not branch.startswith(BRANCH_PREFIX):
        raise WriteBackFailed(
            f"refusing to push {branch}: it is the default branch, and pmcheck pushes only its own "
            f"{BRANCH_PREFIX}* branches",
            not_done,
        )
    git = Git(proposal.top, secrets=_secrets(token))
    with _leaving(not_done):
        url = git.text("remote", "get-url", "--push", REMOTE, what=f"find the URL of {REMOTE}")
        env = _auth_env(git, url, token)
        commit = _commit(git, proposal)
        pushed = _push(git, url, branch, commit, proposal.head, env=env)
    body = pull_body(proposal, repository=client.repository)
    with _leaving(not_done[1:]):
        found = client.open_pull(branch)
        if found is None:
            pull = client.create_pull(title=PULL_TITLE, body=body, head=branch, base=base)
        else:
            pull = found
            if pushed:
                client.comment(found.number, f"pmcheck updated `{branch}`.\n\n{body}")
    return Published(branch, base, pull, opened=found is None, pushed=pushed)


@contextlib.contextmanager
def _leaving(not_done: Sequence[str]) -> Iterator[None]:
    """Turn any failure inside into :class:`WriteBackFailed` naming what is left undone."""
    try:
        yield
    except WriteRefused as exc:
        raise WriteBackFailed(f"{exc}\n{PULLS_HINT}", not_done) from None
    except GitHubError as exc:
        raise WriteBackFailed(str(exc), not_done) from None


def _secrets(token: str | None) -> list[str]:
    if not token:
        return []
    return [token, base64.b64encode(f"x-access-token:{token}".encode()).decode()]


def _auth_env(git: Git, url: str, token: str | None) -> dict[str, str]:
    """The token as an extra header for origin's host, in git's environment, when git needs one."""
    parts = urlsplit(url)
    if not token or parts.scheme not in ("http", "https") or not parts.hostname:
        return {}
    configured = git.run(
        "config", "--name-only", "--get-regexp", r"^http\..*extraheader$", what="read git config", ok=(0, 1)
    )
    if configured.returncode == 0:  # the checkout kept its credentials: a second header would clash
        return {}
    port = f":{parts.port}" if parts.port else ""
    scope = f"{parts.scheme}://{parts.hostname}{port}/"
    basic = base64.b64encode(f"x-access-token:{token}".encode()).decode()
    index = int(os.environ.get("GIT_CONFIG_COUNT") or 0)
    return {
        "GIT_CONFIG_COUNT": str(index + 1),
        f"GIT_CONFIG_KEY_{index}": f"http.{scope}.extraheader",
        f"GIT_CONFIG_VALUE_{index}": f"AUTHORIZATION: basic {basic}",
    }


def _identity(git: Git) -> list[str]:
    """``-c user.*`` fallbacks when git has no e-mail address configured (``GIT_*`` variables still win)."""
    email = git.run("config", "user.email", what="read git config", ok=(0, 1)).stdout.strip()
    if email:
        return []
    name = git.run("config", "user.name", what="read git config", ok=(0, 1)).stdout.strip()
    options = ["-c", f"user.email={FALLBACK_EMAIL}"]
    return options if name else [*options, "-c", f"user.name={FALLBACK_NAME}"]


def _commit(git: Git, proposal: Proposal) -> str:
    """A commit on ``HEAD`` changing only the edited files, built in a temporary index."""
    with tempfile.TemporaryDirectory(prefix="pmcheck-write-back-") as folder:
        env = {"GIT_INDEX_FILE": str(Path(folder) / "index")}
        git.run("read-tree", proposal.head, what="read HEAD's tree", env=env)
        for edit in proposal.edits:
            blob = git.text(
                "hash-object", "-w", "--no-filters", "--stdin", what=f"store {edit.path}", stdin=edit.content
            )
            git.run(
                "update-index", "--cacheinfo", f"{edit.mode},{blob},{edit.git_path}", what="stage it", env=env
            )
        tree = git.text("write-tree", what="write the tree", env=env)
    return git.text(
        *_identity(git),
        "commit-tree",
        tree,
        "-p",
        proposal.head,
        "-F",
        "-",
        what="commit the issue numbers",
        stdin=commit_message(proposal).encode("utf-8"),
    )


def _push(git: Git, url: str, branch: str, commit: str, head: str, *, env: Mapping[str, str]) -> bool:
    """Push ``commit`` to ``branch`` unless it already holds the same tree on ``head``; True if pushed."""
    ref = f"refs/heads/{branch}"
    where = _display(url)
    listed = git.text(
        "ls-remote", url, ref, what=f"reach {REMOTE} ({where})", env=env, timeout=NETWORK_TIMEOUT
    )
    remote = next((line.split()[0] for line in listed.splitlines() if line.endswith(f"\t{ref}")), "")
    if remote and _same(git, url, ref, remote, commit, head, env=env):
        return False
    try:
        git.run(
            "push",
            "--porcelain",
            "--no-verify",
            f"--force-with-lease={ref}:{remote}",
            url,
            f"{commit}:{ref}",
            what=f"push {branch} to {REMOTE} ({where})",
            env=env,
            timeout=NETWORK_TIMEOUT,
        )
    except WriteBackFailed as exc:
        denied = any(word in str(exc) for word in ("403", "denied", "Permission to"))
        raise WriteBackFailed(f"{exc}\n{CONTENTS_HINT}" if denied else str(exc)) from None
    return True


def _same(
    git: Git, url: str, ref: str, remote: str, commit: str, head: str, *, env: Mapping[str, str]
) -> bool:
    """Whether the branch's commit has our tree and our parent (fetched first when not here yet)."""
    present = git.run("cat-file", "-e", f"{remote}^{{commit}}", what="look for a commit", ok=(0, 1, 128))
    if present.returncode != 0:
        git.run(
            "fetch",
            "--no-tags",
            "--no-write-fetch-head",
            "--no-recurse-submodules",
            url,
            ref,
            what=f"fetch {ref} from {REMOTE}",
            env=env,
            timeout=NETWORK_TIMEOUT,
        )
    theirs = git.text("rev-parse", f"{remote}^{{tree}}", f"{remote}^@", what="read the branch's commit")
    ours = git.text("rev-parse", f"{commit}^{{tree}}", what="read the new commit")
    return theirs.split() == [ours, head]


def _display(url: str) -> str:
    """The URL without any user name or password in it."""
    parts = urlsplit(url)
    if not parts.netloc or "@" not in parts.netloc:
        return url
    host = parts.netloc.rsplit("@", 1)[1]
    return urlunsplit((parts.scheme, host, parts.path, parts.query, parts.fragment))
