"""The shipped rule packs kept parsed, as Python keeps a module's bytecode.

Parsing the shipped packs' YAML with the line of every key took ~50 ms of every run, more than a tenth
of checking one document. The parsed form is a pure function of a pack's bytes and of the parser, so
it is kept as JSON in pmcheck's own ``__pycache__`` folder (never packaged, never hashed as source),
named by the pack and a hash of both: a pack that changes gets a new entry, and an entry that cannot
be read is parsed again and written anew. Entries are written where Python would write bytecode (not
under ``PYTHONDONTWRITEBYTECODE``) and the folder is writable, and only for the packs pmcheck ships;
they hold no document text. What JSON cannot give back exactly (dates, keys that are not strings) is
parsed on every run, as before.

A shipped pack's *validated* form (its rules with their options, as pydantic checked them) is kept
the same way, pickled as bytecode is marshalled: named by the pack's bytes, the parser, the source of
the modules that define and validate rule packs (:data:`VALIDATING`) and every kind's options, pmcheck's,
pydantic's and Python's versions. A run that finds it builds no validator and imports no pydantic.
It is read only from pmcheck's own ``__pycache__``, which holds code Python runs anyway.
"""

from __future__ import annotations

import functools
import hashlib
import json
import pickle
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from pmcheck.errors import PmcheckError
from pmcheck.read import read_yaml_bytes

if TYPE_CHECKING:
    from pmcheck.yamlfile import YamlFile

T = TypeVar("T")
FORMAT = 1
PACKAGE = Path(__file__).resolve().parent
FOLDER = PACKAGE / "__pycache__"
# The modules whose code makes a pack's validated form (beside the kinds' own): its types, validators.
VALIDATING = (
    "errors.py",
    "finding.py",
    "kept_yaml.py",
    "packpath.py",
    "rule.py",
    "rulepack.py",
    "saferegex.py",
    "validation.py",
    "yamlfile.py",
)


def load_kept(path: Path, error: type[PmcheckError]) -> YamlFile:
    """What :func:`pmcheck.yamlfile.load_yaml` gives for ``path``, from its kept entry when there is one."""
    raw = read_yaml_bytes(path, error)
    entry = _entry(path, raw)
    kept = _read(entry, path)
    if kept is not None:
        return kept
    from pmcheck.yamlfile import parse_bytes  # PyYAML: only for a pack parsed anew

    parsed = parse_bytes(path, raw, error)
    if not sys.dont_write_bytecode:
        _write(entry, parsed)
    return parsed


def load_kept_validated(
    path: Path,
    error: type[PmcheckError],
    build: Callable[[], T],
    *,
    dump: Callable[[T], bytes],
    load: Callable[[bytes], T],
    sources: tuple[Path, ...] = (),
) -> T:
    """``build()`` (a shipped pack read and validated), from its kept entry when there is one;
    ``dump`` and ``load`` pickle it, and ``sources`` are more modules whose code it follows."""
    raw = read_yaml_bytes(path, error)
    entry = _entry(path, raw, _validators(sources), suffix="validated.pickle")
    try:
        return load(entry.read_bytes())
    except Exception:  # none yet, or damaged (unpickling can raise nearly anything): build again
        pass
    built = build()
    if not sys.dont_write_bytecode:
        try:
            data = dump(built)
        except (pickle.PicklingError, TypeError, AttributeError):
            return built
        _keep(entry, data)
    return built


def _entry(path: Path, raw: bytes, *inputs: str, suffix: str = "json") -> Path:
    digest = hashlib.sha256("\0".join((str(FORMAT), _parser(), *inputs, "")).encode())
    digest.update(raw)
    return FOLDER / f"{path.stem}.pmcheck-{digest.hexdigest()[:24]}.{suffix}"


@functools.lru_cache(maxsize=4)
def _validators(sources: tuple[Path, ...]) -> str:
    """What turns a parsed pack into its validated form: the source of :data:`VALIDATING` and of
    ``sources``, pmcheck's, pydantic's and Python's versions (pydantic found, not imported)."""
    from pmcheck import __version__

    digest = hashlib.sha256(f"{__version__}\0{sys.version}\0{_library('pydantic', 'version.py')}".encode())
    for module in sorted({PACKAGE / name for name in VALIDATING} | set(sources)):
        digest.update(module.as_posix().encode() + b"\0" + module.read_bytes())
    return digest.hexdigest()


@functools.lru_cache(maxsize=1)
def _parser() -> str:
    """What turns the bytes into the parsed form: pmcheck's YAML reader and PyYAML's version."""
    reader = Path(__file__).with_name("yamlfile.py")
    return f"{hashlib.sha256(reader.read_bytes()).hexdigest()} {_library('yaml', '__init__.py')}"


def _library(package: str, version_file: str) -> str:
    """A hash of the file of an installed package that states its version, found without importing it
    (a run served from the kept entries needs neither PyYAML nor pydantic)."""
    import importlib.util

    spec = importlib.util.find_spec(package)
    for folder in (spec.submodule_search_locations or []) if spec else []:
        stated = Path(folder) / version_file
        if stated.is_file():
            return hashlib.sha256(stated.read_bytes()).hexdigest()
    return f"<no {package}>"


def _read(entry: Path, path: Path) -> YamlFile | None:
    try:
        stored = json.loads(entry.read_bytes())
        lines = {tuple(key): int(line) for key, line in stored["lines"]}
        from pmcheck.yamlfile import YamlFile

        return YamlFile(path=str(path), data=stored["data"], lines=lines)
    except (OSError, ValueError, KeyError, TypeError):
        return None  # none yet, or damaged: parse again


def _write(entry: Path, parsed: YamlFile) -> None:
    kept = {"data": parsed.data, "lines": [[list(key), line] for key, line in parsed.lines.items()]}
    try:
        text = json.dumps(kept, ensure_ascii=False, allow_nan=False)
    except (TypeError, ValueError):
        return  # a date, a set...: JSON would not give it back
    if json.loads(text) != kept or _types(json.loads(text)) != _types(kept):
        return  # keys that are not strings, 1 against 1.0: not kept exactly
    _keep(entry, text.encode("utf-8"))


def _keep(entry: Path, data: bytes) -> None:
    from pmcheck.cache import write_bytes_atomically

    try:
        write_bytes_atomically(entry, data)
        entry.chmod(0o644)  # readable by every user of the install, as its bytecode is
    except OSError:
        return  # a read-only install: parse on every run
    stem, kept = entry.name.split(".pmcheck-")
    suffix = kept.split(".", 1)[1]
    for older in entry.parent.glob(f"{stem}.pmcheck-*.{suffix}"):
        if older != entry:
            older.unlink(missing_ok=True)  # the pack's earlier versions


def _types(value: object) -> object:
    """The value with every scalar replaced by its type, so 1 and 1.0 or 1 and True differ."""
    if isinstance(value, dict):
        return {key: _types(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_types(item) for item in value]
    return type(value)
