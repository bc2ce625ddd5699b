"""The shipped rule packs kept parsed, as Python keeps a module's bytecode.

Parsing the shipped packs' YAML with the line of every key took ~50 ms of every run, more than a tenth
of checking one document. The parsed form is a pure function of a pack's bytes and of the parser, so
it is kept as JSON in pmcheck's own ``__pycache__`` folder (never packaged, never hashed as source),
named by the pack and a hash of both: a pack that changes gets a new entry, and an entry that cannot
be read is parsed again and written anew. Entries are written where Python would write bytecode (not
under ``PYTHONDONTWRITEBYTECODE``) and the folder is writable, and only for the packs pmcheck ships;
they hold no document text. What JSON cannot give back exactly (dates, keys that are not strings) is
parsed on every run, as before.
"""

from __future__ import annotations

import functools
import hashlib
import json
import sys
from pathlib import Path

from pmcheck.errors import PmcheckError
from pmcheck.yamlfile import YamlFile, parse_bytes, read_yaml_bytes

FORMAT = 1
FOLDER = Path(__file__).resolve().parent / "__pycache__"


def load_kept(path: Path, error: type[PmcheckError]) -> YamlFile:
    """What :func:`pmcheck.yamlfile.load_yaml` gives for ``path``, from its kept entry when there is one."""
    raw = read_yaml_bytes(path, error)
    entry = _entry(path, raw)
    kept = _read(entry, path)
    if kept is not None:
        return kept
    parsed = parse_bytes(path, raw, error)
    if not sys.dont_write_bytecode:
        _write(entry, parsed)
    return parsed


def _entry(path: Path, raw: bytes) -> Path:
    digest = hashlib.sha256(f"{FORMAT}\0{_parser()}\0".encode())
    digest.update(raw)
    return FOLDER / f"{path.stem}.pmcheck-{digest.hexdigest()[:24]}.json"


@functools.lru_cache(maxsize=1)
def _parser() -> str:
    """What turns the bytes into the parsed form: pmcheck's YAML reader and PyYAML's version."""
    import yaml

    reader = Path(__file__).with_name("yamlfile.py")
    return f"{hashlib.sha256(reader.read_bytes()).hexdigest()} {yaml.__version__}"


def _read(entry: Path, path: Path) -> YamlFile | None:
    try:
        stored = json.loads(entry.read_bytes())
        lines = {tuple(key): int(line) for key, line in stored["lines"]}
        return YamlFile(path=str(path), data=stored["data"], lines=lines)
    except (OSError, ValueError, KeyError, TypeError):
        return None  # none yet, or damaged: parse again


def _write(entry: Path, parsed: YamlFile) -> None:
    from pmcheck.cache import write_bytes_atomically

    kept = {"data": parsed.data, "lines": [[list(key), line] for key, line in parsed.lines.items()]}
    try:
        text = json.dumps(kept, ensure_ascii=False, allow_nan=False)
    except (TypeError, ValueError):
        return  # a date, a set...: JSON would not give it back
    if json.loads(text) != kept or _types(json.loads(text)) != _types(kept):
        return  # keys that are not strings, 1 against 1.0: not kept exactly
    try:
        write_bytes_atomically(entry, text.encode("utf-8"))
        entry.chmod(0o644)  # readable by every user of the install, as its bytecode is
    except OSError:
        return  # a read-only install: parse on every run
    for older in entry.parent.glob(f"{entry.name.split('.pmcheck-')[0]}.pmcheck-*.json"):
        if older != entry:
            older.unlink(missing_ok=True)  # the pack's earlier versions


def _types(value: object) -> object:
    """The value with every scalar replaced by its type, so 1 and 1.0 or 1 and True differ."""
    if isinstance(value, dict):
        return {key: _types(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_types(item) for item in value]
    return type(value)
