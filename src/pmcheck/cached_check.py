"""Check with the result cache: look every file up first, check only the misses, remember those."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from pmcheck.cache import ResultCache, cache_dir, settings_fingerprint, tool_fingerprint
from pmcheck.config import LoadedConfig
from pmcheck.engine import FileReport, RuleSet
from pmcheck.packpath import resolve_pack
from pmcheck.read import ReadProblem, read_text

if TYPE_CHECKING:
    from pmcheck.api import Checker, Progress

CheckMany = Callable[..., list[FileReport]]
UNUSED_BY_CHECK = {"github", "report"}


def open_cache(checker: Checker, paths: Sequence[Path], explicit: Path | None) -> ResultCache:
    """The cache of the project the first path belongs to (the folder of its config, else here)."""
    anchor = paths[0] if paths else Path.cwd()
    return ResultCache(cache_dir(explicit, checker.config_for(anchor).base), tool_fingerprint())


def check_with_cache(
    checker: Checker,
    cache: ResultCache,
    candidates: Sequence[Path],
    check_many: CheckMany,
    *,
    progress: Progress | None = None,
) -> list[FileReport]:
    """Reports in the order of ``candidates``; only files without a valid entry are checked."""
    reports: dict[int, FileReport] = {}
    misses: list[tuple[int, Path, str | None, str]] = []
    known: dict[str, str] = {}
    for index, path in enumerate(candidates):
        loaded = checker.config_for(path)
        text = read_text(path)
        if isinstance(text, ReadProblem):
            misses.append((index, path, None, ""))
            continue
        source = loaded.source or f"<defaults:{loaded.base}>"
        if source not in known:
            known[source] = _fingerprint(loaded, checker)
        settings = known[source]
        key = cache.key(text, display=str(path), settings=settings)
        found = cache.load(key)
        if found is None:
            misses.append((index, path, key, text))
            continue
        reports[index] = FileReport(path=str(path), findings=found.findings, lines=text.splitlines())
        checker.notices.extend(notice for notice in found.notices if notice not in checker.notices)
    fresh = check_many([path for _index, path, *_rest in misses], progress=progress)
    for (index, path, missed, text), report in zip(misses, fresh, strict=True):
        reports[index] = report
        # Only a complete check of exactly the text that was hashed is remembered.
        if missed and report.postmortem is not None and report.postmortem.document.source == text:
            ruleset = checker.ruleset_for(path)
            cache.store(
                missed,
                report.findings,
                checker.notices,
                reads_today=any(rule.kind.reads_today for rule in ruleset.rules),
                secrets=_secret_patterns(ruleset),
            )
    return [reports[index] for index in range(len(candidates))]


def _fingerprint(loaded: LoadedConfig, checker: Checker) -> str:
    """What the findings depend on besides the text, read without loading any rule pack."""
    from pmcheck.nlp.pipeline import pipeline_version

    config = loaded.config
    packs = [resolve_pack(reference, loaded.base) for reference in config.packs]
    pipeline = (pipeline_version(tuple(config.nlp.models)) or "none") if config.nlp.enabled else "off"
    choices = ["select", *checker.select, "ignore", *checker.ignore, "pipeline", pipeline]
    choices += ["preview", str(checker.preview)]
    # The `github:` and `report:` sections steer other commands; changing them keeps the findings.
    return settings_fingerprint(config.model_dump_json(exclude=UNUSED_BY_CHECK), packs, choices)


def _secret_patterns(ruleset: RuleSet) -> list[re.Pattern[str]]:
    """The patterns of every rule that hides what it matches (the secret rule), as it compiles them."""
    patterns: list[re.Pattern[str]] = []
    for rule in ruleset.all_rules:
        options = rule.options
        if getattr(options, "redact", False):
            flags = re.IGNORECASE if getattr(options, "ignore_case", False) else 0
            patterns.extend(re.compile(pattern.regex, flags) for pattern in options.patterns)
    return patterns
