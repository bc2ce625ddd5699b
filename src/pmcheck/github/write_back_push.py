"""Send a write-back proposal: commit the edits, push the pmcheck branch, open its pull request.

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
import tempfile
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit, urlunsplit

from pmcheck.errors import GitHubError
from pmcheck.github.gateway import PERMISSION_HINTS, WriteRefused
from pmcheck.github.write_back_pr import (
    BRANCH_PREFIX,
    REMOTE,
    Git,
    Proposal,
    WriteBackFailed,
    commit_message,
    pull_body,
)

if TYPE_CHECKING:
    from pmcheck.github.gateway import Gateway, PullInfo

# Used only when git has no identity configured (typical of CI): GitHub shows such commits as the
# Actions bot's, where an address of the form <name>@users.noreply.github.com would credit whichever
# GitHub account happens to be called <name>.
FALLBACK_NAME = "github-actions[bot]"
FALLBACK_EMAIL = "41898282+github-actions[bot]@users.noreply.github.com"
NETWORK_TIMEOUT = 300.0
PULL_TITLE = "Record the issue numbers of corrective actions in the post-mortems"


@dataclass(frozen=True)
class Published:
    branch: str
    base: str
    pull: PullInfo
    opened: bool  # a new pull request (else the one already open)
    pushed: bool  # the branch moved (else it already held these edits)


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
        raise WriteBackFailed(f"{exc}\n{PERMISSION_HINTS['pull-requests']}", not_done) from None
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
        raise WriteBackFailed(f"{exc}\n{PERMISSION_HINTS['contents']}" if denied else str(exc)) from None
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
