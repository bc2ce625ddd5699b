"""``--write-back=pr``: new issue numbers reach the post-mortems through one pull request.

A throwaway git repository is the checkout, a bare repository its ``origin`` (served over HTTP by
``git http-backend`` where credentials matter), and the fake GitHub server holds the issues and the
pull requests, with the origin linked so pull requests see its real branches.
"""

from __future__ import annotations

import base64
import os
import shutil
import subprocess
import threading
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from github import GithubException
from github_fake import FakeGitHub, Issue
from github_fake.plugin import REPO, TOKEN, make_client
from github_fake.pulls_write import link_git

from pmcheck import cli
from pmcheck.github.action_issue import parse_marker

SHA = "0123456789abcdef0123456789abcdef01234567"
BOT = "github-actions[bot]"

CHECKOUT_DOC = """\
# Checkout outage

**Date:** 2026-03-02
**Severity:** SEV2

## Action items

| ID | Action | Owner | Due | Tracking |
| --- | --- | --- | --- | --- |
| CK-1 | Reject an empty upstream list in the config loader | @alice | 2026-03-16 | |
| CK-2 | Canary config pushes in one region first | @bob | 2026-03-27 | TBD |
| CK-3 | Already tracked elsewhere | @alice | 2026-04-02 | OPS-77 |

## Follow-ups

- [ ] Add a config schema check to CI (Owner: @bob, due 2026-04-10)

## Lessons

Keep | pipes | and words here.
"""

QUEUE_DOC = """\
# Queue backlog

**Date:** 2026-01-20

## Action items

- [ ] Alert on consumer throughput (Owner: @alice, due 2026-02-01)
- [ ] Add large orders to the load tests (Owner: @bob, due 2026-02-15)
"""

DOCS = {"postmortems/2026-03-02-checkout.md": CHECKOUT_DOC, "postmortems/2026-01-20-queue.md": QUEUE_DOC}
CHECKOUT, QUEUE = DOCS


def git(cwd: Path, *args: str) -> str:
    done = subprocess.run(["git", "-C", str(cwd), *args], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


@dataclass
class Checkout:
    work: Path
    origin: Path
    head: str

    @property
    def branch(self) -> str:
        return f"pmcheck/write-back/{self.head[:7]}"

    def remote_sha(self, branch: str | None = None) -> str:
        return git(
            self.origin, "for-each-ref", "--format=%(objectname)", f"refs/heads/{branch or self.branch}"
        )

    def state(self) -> dict[str, object]:
        """What the user would notice: branch, refs, config, worktrees and every file they see."""
        files = {
            str(path.relative_to(self.work)): path.read_bytes()
            for path in self.work.rglob("*")
            if path.is_file() and ".git" not in path.relative_to(self.work).parts
        }
        return {
            "HEAD": (self.work / ".git" / "HEAD").read_text(),
            "refs": git(self.work, "for-each-ref"),
            "config": (self.work / ".git" / "config").read_bytes(),
            "worktrees": git(self.work, "worktree", "list", "--porcelain"),
            "status": git(self.work, "status", "--porcelain", "--untracked-files=all"),
            "files": files,
        }


@pytest.fixture
def checkout(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fake_github: FakeGitHub) -> Checkout:
    """A committed checkout of two post-mortems, pushed to a bare origin the fake GitHub knows."""
    empty = tmp_path / "gitconfig"
    empty.write_text("", encoding="utf-8")
    for name, value in {
        "GIT_CONFIG_GLOBAL": str(empty),
        "GIT_CONFIG_NOSYSTEM": "1",
        "GIT_AUTHOR_NAME": "Test Author",
        "GIT_AUTHOR_EMAIL": "author@example.com",
        "GIT_COMMITTER_NAME": "Test Committer",
        "GIT_COMMITTER_EMAIL": "committer@example.com",
        "GITHUB_API_URL": fake_github.url,
        "GITHUB_TOKEN": TOKEN,
        "GITHUB_REPOSITORY": REPO,
        "GITHUB_SHA": SHA,
        "GITHUB_SERVER_URL": "https://github.com",
    }.items():
        monkeypatch.setenv(name, value)
    for name in ("GITHUB_EVENT_NAME", "GITHUB_EVENT_PATH", "GITHUB_WORKSPACE", "GITHUB_STEP_SUMMARY"):
        monkeypatch.delenv(name, raising=False)
    origin = tmp_path / "served" / "origin.git"
    origin.mkdir(parents=True)
    git(origin, "init", "-q", "--bare", "-b", "main")
    work = tmp_path / "work"
    (work / "postmortems").mkdir(parents=True)
    git(work, "init", "-q", "-b", "main")
    for name, text in DOCS.items():
        (work / name).write_text(text, encoding="utf-8")
    (work / ".pmcheck.yml").write_text("owners:\n  Alice Example: alice\n", encoding="utf-8")
    git(work, "add", ".")
    git(work, "commit", "-q", "-m", "Post-mortems")
    git(work, "remote", "add", "origin", str(origin))
    git(work, "push", "-q", "origin", "main")
    link_git(fake_github, REPO, origin)
    monkeypatch.chdir(work)
    return Checkout(work, origin, git(work, "rev-parse", "HEAD"))


def run(*argv: str) -> int:
    return cli.main(["github", "issues", *argv, "--write-interval", "0", "--max-wait", "1"])


def issue_numbers(fake: FakeGitHub) -> dict[str, int]:
    """Action key suffix (``id:CK-1``, ``text:...``) → issue number, for every pmcheck issue."""
    found = {}
    for issue in fake.issues(REPO):
        marker = parse_marker(issue.body)
        if marker is not None:
            found[marker.key.rsplit("::", 1)[1]] = issue.number
    return found


def pulls(fake: FakeGitHub) -> list[Issue]:
    return [issue for issue in fake.issues(REPO, pulls=True) if issue.is_pull]


def changed_lines(checkout: Checkout, path: str, commit: str) -> dict[int, tuple[str, str]]:
    """Line → (at HEAD, at ``commit``) for the lines of ``path`` that differ; line counts must match."""
    before = git(checkout.origin, "show", f"{checkout.head}:{path}").split("\n")
    after = git(checkout.origin, "show", f"{commit}:{path}").split("\n")
    assert len(before) == len(after)
    return {n: (old, new) for n, (old, new) in enumerate(zip(before, after, strict=True), 1) if old != new}


def secrets_in_git_dir(work: Path) -> list[str]:
    """Files under .git holding the token, in plain or base64 form (loose objects decompressed)."""
    needles = [TOKEN.encode(), base64.b64encode(f"x-access-token:{TOKEN}".encode())]
    found = []
    for path in (work / ".git").rglob("*"):
        if not path.is_file():
            continue
        data = path.read_bytes()
        if path.parent.parent.name == "objects" and len(path.parent.name) == 2:
            data = zlib.decompress(data)
        if any(needle in data for needle in needles):
            found.append(str(path))
    return found


# The pull request ---------------------------------------------------------------------------------


def test_the_first_run_opens_one_pull_request_changing_only_the_tracking_references(
    checkout: Checkout, fake_github: FakeGitHub, capsys: pytest.CaptureFixture[str]
) -> None:
    before = checkout.state()

    assert run(CHECKOUT, "--write-back=pr") == 0

    numbers = issue_numbers(fake_github)
    assert sorted(numbers) == ["id:CK-1", "id:CK-2", "text:add-config-schema-check-ci:1"]
    branch_commit = checkout.remote_sha()
    assert git(checkout.origin, "rev-parse", f"{branch_commit}^@") == checkout.head
    assert git(checkout.origin, "diff", "--name-only", checkout.head, branch_commit) == CHECKOUT
    row = "| CK-1 | Reject an empty upstream list in the config loader | @alice | 2026-03-16 |"
    canary = "| CK-2 | Canary config pushes in one region first | @bob | 2026-03-27 |"
    item = "- [ ] Add a config schema check to CI (Owner: @bob, due 2026-04-10)"
    assert changed_lines(checkout, CHECKOUT, branch_commit) == {
        10: (f"{row} |", f"{row} #{numbers['id:CK-1']} |"),
        11: (f"{canary} TBD |", f"{canary} #{numbers['id:CK-2']} |"),
        16: (item, f"{item} (#{numbers['text:add-config-schema-check-ci:1']})"),
    }
    assert git(checkout.origin, "log", "-1", "--format=%an <%ae>|%s", branch_commit) == (
        "Test Author <author@example.com>|Record corrective-action issue numbers in post-mortems"
    )
    [pull] = pulls(fake_github)
    assert (pull.pull.head_ref, pull.pull.base_ref, pull.state) == (checkout.branch, "main", "open")
    assert pull.pull.head_sha == branch_commit
    assert [entry.filename for entry in pull.pull.files] == [CHECKOUT]
    assert f"`{CHECKOUT}`" in pull.body
    for key, number in numbers.items():
        assert f"{REPO}#{number}" in pull.body, key
    assert "Reject an empty upstream list in the config loader" in pull.body
    out = capsys.readouterr().out
    assert f"pushed {checkout.branch} and opened pull request #{pull.number} into main" in out
    assert checkout.state() == before  # the user's checkout: branch, refs, config, files
    assert TOKEN not in out and secrets_in_git_dir(checkout.work) == []


def test_a_rerun_with_new_actions_updates_the_same_branch_and_pull_request(
    checkout: Checkout, fake_github: FakeGitHub, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(CHECKOUT, "--write-back=pr") == 0
    first = checkout.remote_sha()

    assert run("postmortems", "--write-back=pr") == 0  # the queue post-mortem's actions are new

    [pull] = pulls(fake_github)
    second = checkout.remote_sha()
    assert second != first and pull.pull.head_sha == second
    assert git(checkout.origin, "rev-parse", f"{second}^@") == checkout.head  # replaced, not stacked
    assert sorted(git(checkout.origin, "diff", "--name-only", checkout.head, second).split()) == sorted(DOCS)
    numbers = issue_numbers(fake_github)
    assert len(numbers) == 5 and len(set(numbers.values())) == 5
    assert sorted(changed_lines(checkout, QUEUE, second)) == [7, 8]
    [comment] = fake_github.comments(REPO, pull.number)
    assert f"updated `{checkout.branch}`" in comment.body and f"`{QUEUE}`" in comment.body
    assert f"updated {checkout.branch}; pull request #{pull.number}" in capsys.readouterr().out

    fake_github.clear_log()
    assert run("postmortems", "--write-back=pr") == 0  # nothing new: nothing pushed, nothing written

    assert checkout.remote_sha() == second
    assert fake_github.write_count() == 0
    assert "already holds these issue numbers" in capsys.readouterr().out


def test_dry_run_shows_the_pull_request_and_writes_nothing(
    checkout: Checkout, fake_github: FakeGitHub, capsys: pytest.CaptureFixture[str]
) -> None:
    git_dir = {str(p): p.read_bytes() for p in (checkout.work / ".git").rglob("*") if p.is_file()}

    assert run("postmortems", "--write-back=pr", "--dry-run") == 0

    out = capsys.readouterr().out
    assert (
        f"would push {checkout.branch} (one commit on {checkout.head[:7]} changing these lines only)" in out
        and "into main" in out
    )
    assert (
        "    10: + | CK-1 | Reject an empty upstream list in the config loader | @alice | 2026-03-16 | #NEW |"
    ) in out
    assert "    7: + - [ ] Alert on consumer throughput (Owner: @alice, due 2026-02-01) (#NEW)" in out
    assert fake_github.write_count() == 0
    assert git(checkout.origin, "for-each-ref", "--format=%(refname)") == "refs/heads/main"
    assert {str(p): p.read_bytes() for p in (checkout.work / ".git").rglob("*") if p.is_file()} == git_dir


@pytest.mark.parametrize(
    ("config", "flag", "pushed", "edited_locally"),
    [
        ("github:\n  write_back: pr\n", None, True, False),
        ("github:\n  write_back: pr\n", "--write-back=local", False, True),
        ("github:\n  write_back: pr\n", "--write-back=off", False, False),
        ("github:\n  write_back: off\n", "--write-back=pr", True, False),
        ("github:\n  write_back: local\n", None, False, True),
        ("", "--write-back", False, True),
    ],
)
def test_the_command_line_wins_over_the_config(
    checkout: Checkout, config: str, flag: str | None, pushed: bool, edited_locally: bool
) -> None:
    (checkout.work / ".pmcheck.yml").write_text(
        config + "owners:\n  Alice Example: alice\n", encoding="utf-8"
    )

    assert run(CHECKOUT, *([flag] if flag else [])) == 0

    assert bool(checkout.remote_sha()) == pushed
    assert ((checkout.work / CHECKOUT).read_text(encoding="utf-8") != CHECKOUT_DOC) == edited_locally


def test_a_document_with_uncommitted_changes_is_left_out_and_named(
    checkout: Checkout, fake_github: FakeGitHub, capsys: pytest.CaptureFixture[str]
) -> None:
    (checkout.work / QUEUE).write_text(QUEUE_DOC + "- [ ] One more, not committed (Owner: @bob)\n", "utf-8")

    assert run("postmortems", "--write-back=pr") == 0

    assert git(checkout.origin, "diff", "--name-only", checkout.head, checkout.remote_sha()) == CHECKOUT
    assert f"{QUEUE}: differs from its committed version" in capsys.readouterr().err


def test_without_a_git_identity_the_commit_is_the_actions_bots_and_the_config_stays_as_it_was(
    checkout: Checkout, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in ("GIT_AUTHOR_NAME", "GIT_AUTHOR_EMAIL", "GIT_COMMITTER_NAME", "GIT_COMMITTER_EMAIL"):
        monkeypatch.delenv(name)
    config = (checkout.work / ".git" / "config").read_bytes()

    assert run(CHECKOUT, "--write-back=pr") == 0

    bot = "github-actions[bot] <41898282+github-actions[bot]@users.noreply.github.com>"
    assert git(checkout.origin, "log", "-1", "--format=%an <%ae>|%cn <%ce>", checkout.remote_sha()) == (
        f"{bot}|{bot}"
    )
    assert (checkout.work / ".git" / "config").read_bytes() == config


# Failures -------------------------------------------------------------------------------------------


def test_a_push_that_fails_says_what_was_not_done_and_a_rerun_duplicates_nothing(
    checkout: Checkout, fake_github: FakeGitHub, capsys: pytest.CaptureFixture[str]
) -> None:
    git(checkout.work, "remote", "set-url", "origin", str(checkout.work.parent / "gone.git"))

    assert run(CHECKOUT, "--write-back=pr") == 1

    err = capsys.readouterr().err
    assert "The issue numbers were not recorded in the post-mortems: could not reach origin" in err
    assert f"  - push {checkout.branch} to origin" in err
    assert f"  - open a pull request from {checkout.branch} into main" in err
    assert "a re-run records their numbers without opening them again" in err
    assert "Traceback" not in err and TOKEN not in err
    assert len(issue_numbers(fake_github)) == 3 and pulls(fake_github) == []

    git(checkout.work, "remote", "set-url", "origin", str(checkout.origin))
    assert run(CHECKOUT, "--write-back=pr") == 0

    assert len(fake_github.issues(REPO)) == 3
    assert len(pulls(fake_github)) == 1 and checkout.remote_sha()


def test_a_token_that_may_not_open_pull_requests_gets_the_permission_named(
    checkout: Checkout,
    fake_github: FakeGitHub,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    fake_github.add_token("ghs_no_pulls", BOT, permissions={"pull_requests": "read"})
    monkeypatch.setenv("GITHUB_TOKEN", "ghs_no_pulls")

    assert run(CHECKOUT, "--write-back=pr") == 1

    err = capsys.readouterr().err
    assert "Resource not accessible by integration" in err and "permissions: pull-requests: write" in err
    assert f"  - open a pull request from {checkout.branch} into main" in err
    assert "push " not in err.split("Not done", 1)[1]  # the branch itself was pushed
    assert checkout.remote_sha() and pulls(fake_github) == []
    assert "Traceback" not in err


def test_the_default_branch_is_never_pushed(
    checkout: Checkout, fake_github: FakeGitHub, capsys: pytest.CaptureFixture[str]
) -> None:
    fake_github.repo(REPO).default_branch = checkout.branch

    assert run(CHECKOUT, "--write-back=pr") == 1

    assert f"refusing to push {checkout.branch}: it is the default branch" in capsys.readouterr().err
    assert git(checkout.origin, "for-each-ref", "--format=%(refname)") == "refs/heads/main"


# Credentials: the token reaches git as a header, never the disk or the output ---------------------


class GitHttpServer(ThreadingHTTPServer):
    """Smart HTTP over ``git http-backend`` for the repositories under ``root``, behind a token check.

    Like GitHub, it answers 401 without credentials and 400 to a request with two Authorization
    headers (what a second extraheader next to a checkout's persisted one produces).
    """

    daemon_threads = True

    def __init__(self, root: Path, accepted: set[str]) -> None:
        super().__init__(("127.0.0.1", 0), _GitHttpHandler)
        self.root = root
        self.read_only = False  # like a GITHUB_TOKEN with `contents: read`: fetches work, pushes get 403
        self.accepted = {
            "basic " + base64.b64encode(f"x-access-token:{token}".encode()).decode() for token in accepted
        }
        self.authorizations: list[list[str]] = []

    def url(self, name: str) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}/{name}"


class _GitHttpHandler(BaseHTTPRequestHandler):
    server: GitHttpServer

    def do_GET(self) -> None:
        given = self.headers.get_all("Authorization") or []
        self.server.authorizations.append(given)
        if len(given) > 1:
            self._answer(400, [], b"Duplicate header: 'Authorization'")
            return
        if not given or given[0].lower() not in {value.lower() for value in self.server.accepted}:
            self._answer(401, [("WWW-Authenticate", 'Basic realm="GitHub"')], b"")
            return
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        path, _, query = self.path.partition("?")
        if self.server.read_only and "git-receive-pack" in self.path:
            self._answer(403, [], b"Permission to acme/incidents.git denied to github-actions[bot].")
            return
        env = {
            "GIT_PROJECT_ROOT": str(self.server.root),
            "GIT_HTTP_EXPORT_ALL": "1",
            "PATH_INFO": path,
            "QUERY_STRING": query,
            "REQUEST_METHOD": self.command,
            "CONTENT_TYPE": self.headers.get("Content-Type", ""),
            "CONTENT_LENGTH": str(len(body)),
            "HTTP_CONTENT_ENCODING": self.headers.get("Content-Encoding", ""),
            "GIT_PROTOCOL": self.headers.get("Git-Protocol", ""),
            "REMOTE_USER": "x-access-token",
            "REMOTE_ADDR": "127.0.0.1",
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        }
        done = subprocess.run(["git", "http-backend"], input=body, env=env, capture_output=True, check=False)
        separator = b"\r\n\r\n" if b"\r\n\r\n" in done.stdout else b"\n\n"
        head, _, payload = done.stdout.partition(separator)
        headers = [tuple(line.split(": ", 1)) for line in head.decode().splitlines() if ": " in line]
        status = next((int(value.split()[0]) for name, value in headers if name.lower() == "status"), 200)
        self._answer(status, [(n, v) for n, v in headers if n.lower() != "status"], payload)

    do_POST = do_GET

    def _answer(self, status: int, headers: list[tuple[str, str]], payload: bytes) -> None:
        self.send_response(status)
        for name, value in headers:
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(payload)))
        self.send_header("Connection", "close")
        self.end_headers()
        self.wfile.write(payload)

    def log_message(self, format: str, *args: object) -> None:
        """Quiet."""


@pytest.fixture
def served(checkout: Checkout) -> Iterator[GitHttpServer]:
    server = GitHttpServer(checkout.origin.parent, accepted={TOKEN, "ghs_checkout_token"})
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    git(checkout.work, "remote", "set-url", "origin", server.url("origin.git"))
    yield server
    server.shutdown()
    server.server_close()


def test_over_https_the_token_is_sent_as_a_header_and_kept_off_disk_command_lines_and_output(
    checkout: Checkout,
    served: GitHttpServer,
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    config = (checkout.work / ".git" / "config").read_bytes()
    argv_log = tmp_path / "git-argv.log"
    wrapper = tmp_path / "bin" / "git"
    wrapper.parent.mkdir()
    wrapper.write_text(f'#!/bin/sh\nprintf "%s\\n" "$*" >> "{argv_log}"\nexec {shutil.which("git")} "$@"\n')
    wrapper.chmod(0o755)
    monkeypatch.setenv("PATH", f"{wrapper.parent}{os.pathsep}{os.environ['PATH']}")

    assert run(CHECKOUT, "--write-back=pr") == 0

    assert checkout.remote_sha()
    assert served.authorizations and all(len(given) == 1 for given in served.authorizations)
    captured = capsys.readouterr()
    encoded = base64.b64encode(f"x-access-token:{TOKEN}".encode()).decode()
    command_lines = argv_log.read_text()
    assert "push --porcelain" in command_lines
    for text in (captured.out, captured.err, command_lines):
        assert TOKEN not in text and encoded not in text
    assert (checkout.work / ".git" / "config").read_bytes() == config
    assert secrets_in_git_dir(checkout.work) == []


def test_a_checkouts_own_credentials_are_used_and_not_doubled(
    checkout: Checkout, served: GitHttpServer
) -> None:
    persisted = base64.b64encode(b"x-access-token:ghs_checkout_token").decode()
    key = f"http.{served.url('')}.extraheader"
    git(checkout.work, "config", key, f"AUTHORIZATION: basic {persisted}")
    config = (checkout.work / ".git" / "config").read_bytes()

    assert run(CHECKOUT, "--write-back=pr") == 0

    assert checkout.remote_sha()
    assert all(given == [f"basic {persisted}"] for given in served.authorizations)
    assert (checkout.work / ".git" / "config").read_bytes() == config


def test_a_refused_push_names_the_missing_permission(
    checkout: Checkout, served: GitHttpServer, fake_github: FakeGitHub, capsys: pytest.CaptureFixture[str]
) -> None:
    served.read_only = True

    assert run(CHECKOUT, "--write-back=pr") == 1

    err = capsys.readouterr().err
    assert f"could not push {checkout.branch} to origin ({served.url('origin.git')})" in err
    assert "403" in err and "permissions: contents: write" in err
    assert TOKEN not in err and "Traceback" not in err
    assert pulls(fake_github) == [] and not checkout.remote_sha()


# The fake's pull requests behave like GitHub's --------------------------------------------------------


def test_the_fake_allows_one_open_pull_request_per_head_and_needs_the_owner_in_a_head_filter(
    checkout: Checkout, fake_github: FakeGitHub
) -> None:
    git(checkout.work, "push", "-q", "origin", "HEAD:refs/heads/feature")
    git(checkout.work, "commit", "-q", "--allow-empty", "-m", "More")
    git(checkout.work, "push", "-q", "origin", "HEAD:refs/heads/feature")
    client = make_client(fake_github)
    repo = client.get_repo(REPO)
    try:
        pull = repo.create_pull(base="main", head="feature", title="Feature", body="Text")
        with pytest.raises(GithubException) as refused:
            repo.create_pull(base="main", head="feature", title="Again")
        with pytest.raises(GithubException) as missing:
            repo.create_pull(base="main", head="no-such-branch", title="Nothing")
        filtered = [p.number for p in repo.get_pulls(state="open", head="acme:feature")]
        other = [p.number for p in repo.get_pulls(state="open", head="acme:other")]
        bare = [p.number for p in repo.get_pulls(state="open", head="other")]
    finally:
        client.close()
    assert pull.head.sha == git(checkout.work, "rev-parse", "HEAD") and pull.base.ref == "main"
    assert refused.value.status == 422
    assert "A pull request already exists for acme:feature." in str(refused.value)
    assert missing.value.status == 422
    assert (filtered, other, bare) == ([pull.number], [], [pull.number])
