"""Every built-in regular expression that reads document text, and strings made to make it backtrack.

Run as a script it times each pattern over repetitions of its own fragments at two sizes and prints
one JSON line per (pattern, string); the test reads those lines and judges the growth.
"""

from __future__ import annotations

import importlib
import itertools
import json
import pkgutil
import re
import signal
import sys
import time
from collections.abc import Iterator
from typing import Any

import regex
import yaml

import pmcheck
from pmcheck.rulepack import builtin_pack_dir

try:
    from re import _constants as sre_constants
    from re import _parser as sre_parse
except ImportError:  # Python 3.10
    import sre_constants  # type: ignore[no-redef]
    import sre_parse  # type: ignore[no-redef]

SIZES = (50_000, 100_000)
# Doubling the text may at most triple the time (quadratic would quadruple it), plus timer slack.
LINEAR_FACTOR = 3.0
SLACK = 0.05
REGEX_KINDS = {"text-pattern", "action-text"}
REGEX_KEYS = {"regex", "patterns", "allow", "unless"}
ANY_KIND_KEYS = {"guidance_cues", "REGEX"}
_CATEGORY_SAMPLES = {
    "DIGIT": "1",
    "NOT_DIGIT": "a",
    "SPACE": " ",
    "NOT_SPACE": "a",
    "WORD": "a",
    "NOT_WORD": "-",
}


def module_patterns() -> Iterator[tuple[str, Any]]:
    """Compiled patterns held by any pmcheck module, at module level or in a module-level collection."""
    for info in pkgutil.walk_packages(pmcheck.__path__, "pmcheck."):
        if info.name.endswith("__main__"):
            continue
        module = importlib.import_module(info.name)
        for name, value in vars(module).items():
            for index, item in enumerate(_flatten(value)):
                yield f"{info.name}.{name}[{index}]", item


def _flatten(value: Any) -> list[Any]:
    if isinstance(value, (re.Pattern, regex.Pattern)):
        return [value]
    if isinstance(value, (list, tuple, frozenset, set)):
        return [item for item in value if isinstance(item, (re.Pattern, regex.Pattern))]
    if isinstance(value, dict):
        return [item for item in value.values() if isinstance(item, (re.Pattern, regex.Pattern))]
    return []


def pack_patterns() -> Iterator[tuple[str, Any]]:
    """Every regular expression in the shipped rule packs, compiled as the rules compile them."""
    for path in sorted(builtin_pack_dir().glob("*.yml")):
        pack = yaml.safe_load(path.read_text(encoding="utf-8"))
        for rule in pack.get("rules", []):
            for where, text in _strings(rule.get("options", {}), ()):
                keys = set(map(str, where))
                if (rule["kind"] in REGEX_KINDS and REGEX_KEYS & keys) or ANY_KIND_KEYS & keys:
                    yield (
                        f"{path.name}:{rule['id']}:{'.'.join(map(str, where))}",
                        regex.compile(text, regex.IGNORECASE),
                    )


def _strings(value: Any, where: tuple[Any, ...]) -> Iterator[tuple[tuple[Any, ...], str]]:
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _strings(item, (*where, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _strings(item, (*where, index))
    elif isinstance(value, str):
        yield where, value


def detector_patterns() -> Iterator[tuple[str, Any]]:
    """The patterns of every detect-secrets detector a shipped pack names."""
    from pmcheck.rules.credentials import detector_patterns as compiled

    for path in sorted(builtin_pack_dir().glob("*.yml")):
        pack = yaml.safe_load(path.read_text(encoding="utf-8"))
        for rule in pack.get("rules", []):
            names = tuple(rule.get("options", {}).get("detectors", ()))
            for label, pattern in compiled(names):
                yield f"{path.name}:{rule['id']}:detect-secrets {label}", pattern


def all_patterns() -> list[tuple[str, Any]]:
    seen: set[tuple[str, int]] = set()
    found = []
    for name, pattern in itertools.chain(module_patterns(), pack_patterns(), detector_patterns()):
        key = (pattern.pattern, pattern.flags)
        if isinstance(pattern.pattern, str) and key not in seen:
            seen.add(key)
            found.append((name, pattern))
    return found


def fragments(pattern: str) -> list[str]:
    """The literal runs of a pattern and one sample character of each class, in pattern order."""
    try:
        parsed = sre_parse.parse(pattern)
    except Exception:  # the `regex` module's own syntax: fall back to the text
        return [char for char in dict.fromkeys(pattern) if char.isprintable()][:12]
    out: list[str] = []
    _collect(list(parsed), out)
    return [item for item in out if item][:16] or ["a"]


def _collect(items: list[Any], out: list[str]) -> None:
    literal = ""
    for op, av in items:
        if op == sre_constants.LITERAL:
            literal += chr(av)
            continue
        if literal:
            out.append(literal)
            literal = ""
        if op == sre_constants.NOT_LITERAL:
            out.append(next(char for char in _OUTSIDERS if char != chr(av)))
        elif op == sre_constants.ANY:
            out.append("x")
        elif op == sre_constants.IN:
            out.extend(_class_samples(av))
        elif op == sre_constants.CATEGORY:
            out.append(_CATEGORY_SAMPLES.get(str(av).rsplit("_", 1)[-1], "a"))
        elif op in (sre_constants.MAX_REPEAT, sre_constants.MIN_REPEAT) or str(op) == "POSSESSIVE_REPEAT":
            _collect(list(av[2]), out)
        elif op == sre_constants.SUBPATTERN:
            _collect(list(av[-1]), out)
        elif op == sre_constants.BRANCH:
            for branch in av[1]:
                _collect(list(branch), out)
        elif op in (sre_constants.ASSERT, sre_constants.ASSERT_NOT):
            _collect(list(av[1]), out)
    if literal:
        out.append(literal)


_OUTSIDERS = " -1x.:aA/_#@"


def _class_samples(items: list[Any]) -> list[str]:
    negated = any(kind == sre_constants.NEGATE for kind, _value in items)
    if negated:
        members = re.compile("[" + "".join(_class_text(items)) + "]")
        return [next((char for char in _OUTSIDERS if not members.match(char)), "x")]
    samples = []
    for kind, value in items:
        if kind == sre_constants.LITERAL:
            samples.append(chr(value))
        elif kind == sre_constants.RANGE:
            samples.append(chr(value[0]))
        elif kind == sre_constants.CATEGORY:
            samples.append(_CATEGORY_SAMPLES.get(str(value).rsplit("_", 1)[-1], "a"))
    return samples[:8]


def _class_text(items: list[Any]) -> Iterator[str]:
    """The members of a parsed character class, written back as class syntax (negation dropped)."""
    categories = {"DIGIT": r"\d", "NOT_DIGIT": r"\D", "SPACE": r"\s", "NOT_SPACE": r"\S", "WORD": r"\w"}
    for kind, value in items:
        if kind == sre_constants.LITERAL:
            yield re.escape(chr(value))
        elif kind == sre_constants.RANGE:
            yield f"{re.escape(chr(value[0]))}-{re.escape(chr(value[1]))}"
        elif kind == sre_constants.CATEGORY:
            yield categories.get(str(value).split("_", 1)[-1], r"\W")


def hostile_strings(pattern: str) -> list[str]:
    """Units to repeat: runs of one to four neighbouring fragments, and all the pattern's fragments."""
    parts = fragments(pattern)
    runs = ["".join(parts[start : start + width]) for width in (1, 2, 3, 4) for start in range(len(parts))]
    return list(dict.fromkeys([*runs, "".join(parts)]))[:48]


def _time(pattern: Any, text: str) -> float:
    best = float("inf")
    for _ in range(3):
        start = time.perf_counter()
        for _match in pattern.finditer(text):
            pass
        best = min(best, time.perf_counter() - start)
    return best


class _Hang(Exception):
    pass


def _alarm(_signal: int, _frame: object) -> None:
    raise _Hang


def main() -> None:
    """One JSON line per (pattern, unit): its times at both sizes, or that it ran past the guard."""
    sizes = tuple(int(size) for size in sys.argv[1:3]) if len(sys.argv) > 2 else SIZES
    guard = float(sys.argv[3]) if len(sys.argv) > 3 else 30.0
    only = sys.argv[4] if len(sys.argv) > 4 else ""
    signal.signal(signal.SIGALRM, _alarm)
    for name, pattern in all_patterns():
        if only not in name:
            continue
        for unit in hostile_strings(pattern.pattern):
            signal.setitimer(signal.ITIMER_REAL, guard)
            texts = [(unit * (size // len(unit) + 1))[:size] for size in sizes]
            try:
                times = [_time(pattern, text) for text in texts]
                for _retry in range(3):  # a busy machine makes one reading slow; linear code stays so
                    if times[1] <= LINEAR_FACTOR * times[0] + SLACK:
                        break
                    times = min(
                        times, [_time(pattern, text) for text in texts], key=lambda t: t[1] / max(t[0], 1e-9)
                    )
            except _Hang:
                times = None
            finally:
                signal.setitimer(signal.ITIMER_REAL, 0)
            print(json.dumps({"name": name, "pattern": pattern.pattern, "unit": unit, "times": times}))
    print(json.dumps({"done": True}), flush=True)


if __name__ == "__main__":
    sys.exit(main())
