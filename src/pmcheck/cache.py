"""Remember each file's findings between runs, as ruff does, so an unchanged document costs a hash.

An entry is keyed by everything its findings depend on: the file's text and the name it is shown
under, the effective configuration (the validated config, the ``--select``/``--ignore`` choices and
the bytes of every rule pack it uses), and pmcheck itself (a hash of its own source files, because an
editable install keeps its version number while the code changes, and the spaCy pipeline's name and
version). Rules that read today's date mark their entries with the date, and an entry from another
day is not used. Modification times are never trusted. Beside the results, the cache keeps what a
run needs of each validated config file (:mod:`pmcheck.config_summary`), keyed by that file's bytes:
a run whose files are all served needs no validation.

The findings are stored before any baseline is applied, so changing a baseline costs nothing.
Excerpts, messages and suggestions are stored with secrets redacted. Every write goes to a temporary
file first and is renamed into place, so two runs at once never leave half an entry; an entry that
cannot be read is ignored and written again.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import hashlib
import json
import os
import re
import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from pmcheck import __version__
from pmcheck.finding import Finding, Severity

DIR_NAME = ".pmcheck_cache"
ENV_VAR = "PMCHECK_CACHE_DIR"
FORMAT = 1
CACHEDIR_TAG = (
    "Signature: 8a477f597d28d172789f06886806bc55\n"
    "# This file is a cache directory tag created by pmcheck.\n"
    "# For information about cache directory tags, see https://bford.info/cachedir/\n"
)
GITIGNORE = "# Created by pmcheck automatically.\n*\n"
_PACKAGE = Path(__file__).resolve().parent


def cache_dir(explicit: Path | None, project_root: Path) -> Path:
    """``--cache-dir``, else ``PMCHECK_CACHE_DIR``, else ``.pmcheck_cache`` at the project root."""
    if explicit is not None:
        return explicit
    from_env = os.environ.get(ENV_VAR)
    if from_env:
        return Path(from_env)
    return project_root / DIR_NAME


@functools.lru_cache(maxsize=2)
def tool_fingerprint(package: Path = _PACKAGE) -> str:
    """pmcheck's own source files and its version: an editable install changes the first, not the second."""
    digest = hashlib.sha256(f"{FORMAT}\0{__version__}".encode())
    for path in sorted(package.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts and path.suffix not in (".pyc", ".pyo"):
            digest.update(path.relative_to(package).as_posix().encode() + b"\0")
            digest.update(path.read_bytes())
    return digest.hexdigest()


def settings_fingerprint(config_json: str, packs: Iterable[Path], choices: Sequence[str]) -> str:
    """The effective configuration: the validated config, the packs' bytes, the rule choices and pipeline."""
    digest = hashlib.sha256(config_json.encode())
    for pack in packs:
        digest.update(b"\0pack\0" + str(pack).encode() + b"\0")
        try:
            digest.update(pack.read_bytes())
        except OSError:
            digest.update(b"<unreadable>")
    digest.update(("\0choices\0" + "\0".join(choices)).encode())
    return digest.hexdigest()


@dataclass(frozen=True)
class Cached:
    """One file's findings and the notices its check gave."""

    findings: list[Finding]
    notices: list[str]


class ResultCache:
    """Findings per file in ``<root>/<tool fingerprint>/results``, one small JSON file each."""

    def __init__(self, root: Path, tool: str, *, today: dt.date | None = None) -> None:
        self.root = root
        self.folder = root / tool[:16]
        self.today = (today or dt.date.today()).isoformat()
        self.hits = 0
        self.misses = 0
        self._prepared = False

    def key(self, text: str, *, display: str, settings: str) -> str:
        digest = hashlib.sha256(f"{display}\0{settings}\0".encode())
        digest.update(text.encode("utf-8", "surrogatepass"))
        return digest.hexdigest()

    def load(self, key: str) -> Cached | None:
        """The entry for ``key``, or None when there is none, it is damaged, or it is from another day."""
        try:
            data = json.loads(self._entry(key).read_text(encoding="utf-8"))
            if data["today"] is not None and data["today"] != self.today:
                self.misses += 1
                return None
            findings = [_finding(item) for item in data["findings"]]
            notices = [str(notice) for notice in data["notices"]]
        except (OSError, ValueError, KeyError, TypeError):
            self.misses += 1
            return None
        self.hits += 1
        return Cached(findings, notices)

    def store(
        self,
        key: str,
        findings: Sequence[Finding],
        notices: Sequence[str],
        *,
        reads_today: bool,
        secrets: Sequence[re.Pattern[str]] = (),
    ) -> None:
        data = {
            "today": self.today if reads_today else None,
            "findings": [_stored(finding, secrets) for finding in findings],
            "notices": list(notices),
        }
        try:
            self._prepare()
            write_atomically(self._entry(key), json.dumps(data, ensure_ascii=False))
        except OSError:
            pass  # a read-only or full disk makes the run slower, never wrong

    def load_record(self, key: str) -> object:
        """A record kept beside the results (a validated config's summary), or None."""
        try:
            return json.loads((self.folder / "configs" / f"{key}.json").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None

    def store_record(self, key: str, data: object) -> None:
        try:
            self._prepare()
            write_atomically(self.folder / "configs" / f"{key}.json", json.dumps(data, ensure_ascii=False))
        except OSError:
            pass

    def _entry(self, key: str) -> Path:
        return self.folder / "results" / key[:2] / f"{key}.json"

    def _prepare(self) -> None:
        if self._prepared:
            return
        prepare_root(self.root)
        self._prepared = True


def prepare_root(root: Path) -> None:
    """Create the cache folder with a ``.gitignore`` that ignores it all and a ``CACHEDIR.TAG``."""
    root.mkdir(parents=True, exist_ok=True)
    for name, text in ((".gitignore", GITIGNORE), ("CACHEDIR.TAG", CACHEDIR_TAG)):
        if not (root / name).is_file():
            write_atomically(root / name, text)


def write_atomically(path: Path, text: str) -> None:
    """Write to a temporary file beside ``path``, then rename it into place."""
    write_bytes_atomically(path, text.encode("utf-8"))


def write_bytes_atomically(path: Path, data: bytes) -> None:
    """Readers see the old file or the new one, never a part: write beside it, then rename."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=path.suffix)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def redact(text: str | None, secrets: Sequence[re.Pattern[str]]) -> str | None:
    """``text`` with every match of a secret pattern cut to its first characters."""
    if not text:
        return text
    for pattern in secrets:
        text = pattern.sub(lambda match: _masked(match.group(0)), text)
    return text


def _masked(found: str) -> str:
    return found[:4] + "…" if len(found) > 6 else "…"


def _stored(finding: Finding, secrets: Sequence[re.Pattern[str]]) -> dict[str, object]:
    data = dataclasses.asdict(finding)
    data["severity"] = finding.severity.value
    for name in ("excerpt", "message", "suggestion"):
        data[name] = redact(data[name], secrets)
    return data


def _finding(item: dict[str, object]) -> Finding:
    values = dict(item)
    values["severity"] = Severity(values["severity"])
    return Finding(**values)  # type: ignore[arg-type]
