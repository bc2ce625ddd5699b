"""Check with the result cache: look every file up first, check only the misses, remember those."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from pmcheck.cache import ResultCache, cache_dir, settings_fingerprint, tool_fingerprint
from pmcheck.config_files import config_base, config_file_for
from pmcheck.config_summary import ConfigSummary, from_record, summarize, to_record
from pmcheck.engine import FileReport, RuleSet
from pmcheck.packpath import resolve_pack
from pmcheck.pyproject import PYPROJECT
from pmcheck.read import ReadProblem, read_text

if TYPE_CHECKING:
    from pmcheck.api import Checker, Progress

CheckMany = Callable[..., list[FileReport]]


def open_cache(checker: Checker, paths: Sequence[Path], explicit: Path | None) -> ResultCache:
    """The cache of the project the first path belongs to (the folder of its config, else here)."""
    anchor = paths[0] if paths else Path.cwd()
    return ResultCache(
        cache_dir(explicit, config_base(config_file_for(anchor, checker.explicit_config))), tool_fingerprint()
    )


def cached_summary(checker: Checker, cache: ResultCache, path: Path) -> ConfigSummary:
    """The summary of the config that governs ``path``: kept in the cache under the config file's
    bytes (and those of the pyproject.toml it may shadow); validated, and kept, when it is not there."""
    config_file = config_file_for(path, checker.explicit_config)
    key = _record_key(config_file)
    if key is not None:
        found = from_record(cache.load_record(key))
        if found is not None:
            return found
    summary = summarize(checker.config_for(path))
    if key is not None:
        cache.store_record(key, to_record(summary))
    return summary


def _record_key(config_file: Path | None) -> str | None:
    """Everything a config's validation reads: its path and bytes, and the pyproject.toml beside it,
    whose [tool.pmcheck] it shadows with a notice. None when a file cannot be read."""
    if config_file is None:
        return hashlib.sha256(f"defaults\0{config_base(None)}".encode()).hexdigest()
    digest = hashlib.sha256(f"config\0{config_file}\0".encode())
    try:
        digest.update(config_file.read_bytes())
        beside = config_file.with_name(PYPROJECT)
        if config_file.name != PYPROJECT and beside.is_file():
            digest.update(b"\0pyproject\0" + beside.read_bytes())
    except OSError:
        return None
    return digest.hexdigest()


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
        summary = checker.summary_for(path)
        text = read_text(path)
        if isinstance(text, ReadProblem):
            misses.append((index, path, None, ""))
            continue
        source = summary.source or f"<defaults:{summary.base}>"
        if source not in known:
            known[source] = _fingerprint(summary, checker)
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


def _fingerprint(summary: ConfigSummary, checker: Checker) -> str:
    """What the findings depend on besides the text, read without loading any rule pack."""
    from pmcheck.nlp.pipeline import pipeline_version

    packs = [resolve_pack(reference, summary.base) for reference in summary.packs]
    pipeline = "off" if summary.models is None else (pipeline_version(summary.models) or "none")
    choices = ["select", *checker.select, "ignore", *checker.ignore, "pipeline", pipeline]
    choices += ["preview", str(checker.preview), "notices", *summary.notices]
    return settings_fingerprint(summary.findings_settings, packs, choices)


def _secret_patterns(ruleset: RuleSet) -> list[re.Pattern[str]]:
    """The patterns of every rule that hides what it matches (the secret rule), as it compiles them."""
    patterns: list[re.Pattern[str]] = []
    for rule in ruleset.all_rules:
        options = rule.options
        if getattr(options, "redact", False):
            flags = re.IGNORECASE if getattr(options, "ignore_case", False) else 0
            patterns.extend(re.compile(pattern.regex, flags) for pattern in options.patterns)
    return patterns
