"""Check documents from Python: the functions the CLI, the GitHub layer and the tests share."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pmcheck.config_files import run_anchor
from pmcheck.config_summary import ConfigSummary, summarize
from pmcheck.discover import discover, is_excluded
from pmcheck.engine import FileReport, RuleSet, build_ruleset, check_file, read_problem_finding
from pmcheck.engine import check_text as _check_text
from pmcheck.errors import PmcheckError
from pmcheck.finding import Finding, Severity
from pmcheck.parallel import check_in_workers, worker_count
from pmcheck.read import ReadProblem
from pmcheck.run_result import RunResult

if TYPE_CHECKING:
    from pmcheck.cache import ResultCache
    from pmcheck.config import LoadedConfig

Progress = Callable[[int, int], None]


class Checker:
    """Checks files, each under the configuration that governs it; rule sets are built once per config."""

    def __init__(
        self,
        *,
        config: Path | None = None,
        select: Sequence[str] = (),
        ignore: Sequence[str] = (),
        jobs: int | None = None,
        cache: ResultCache | None = None,
        preview: bool | None = None,
        root: Path | None = None,
    ) -> None:
        self.explicit_config = config
        self.root = root  # report files by their path relative to it (a repository checkout)
        self.select = tuple(select)
        self.ignore = tuple(ignore)
        self.jobs = jobs
        self.cache = cache
        self.preview = preview
        self._rulesets: dict[str, RuleSet] = {}
        self._summaries: dict[Path, ConfigSummary] = {}
        self.notices: list[str] = []

    def config_for(self, path: Path) -> LoadedConfig:
        from pmcheck.config import config_for

        return config_for(path, self.explicit_config)

    def summary_for(self, path: Path) -> ConfigSummary:
        """What checking needs of ``path``'s config before any rule runs; with a cache, read from it
        when the config file has not changed, so the config is validated only when it did."""
        # Files of one folder share their config: it is found and summarised once per run.
        folder = path if path.is_dir() else path.parent
        if folder not in self._summaries:
            if self.cache is not None:
                from pmcheck.cached_check import cached_summary

                self._summaries[folder] = cached_summary(self, self.cache, path)
            else:
                self._summaries[folder] = summarize(self.config_for(path))
        return self._summaries[folder]

    def ruleset_for(self, path: Path) -> RuleSet:
        loaded = self.config_for(path)
        # A config file read again after it changed is a new object: its rule set is built anew.
        key = f"{loaded.source}@{id(loaded)}" if loaded.source else f"<defaults:{loaded.base}>"
        if key not in self._rulesets:
            self._rulesets[key] = build_ruleset(
                loaded, select=self.select, ignore=self.ignore, preview=self.preview
            )
        return self._rulesets[key]

    def check_file(self, path: Path, *, display: str | None = None) -> FileReport:
        if display is None and self.root is not None:
            display = path.resolve().relative_to(self.root.resolve()).as_posix()
        ruleset = self.ruleset_for(path)
        try:
            report = check_file(path, ruleset, display=display)
        except PmcheckError:
            raise
        except RecursionError:
            report = _failure(display or str(path), "the document is nested too deeply to check")
        except Exception as exc:  # one document must never stop the others
            report = _failure(
                display or str(path), f"internal error while checking ({exc.__class__.__name__}: {exc})"
            )
        self._collect_notices(ruleset)
        return report

    def check_paths(
        self, paths: Iterable[Path], *, force_exclude: bool = False, progress: Progress | None = None
    ) -> list[FileReport]:
        candidates = [
            candidate.path for candidate in discover(paths, self.summary_for, force_exclude=force_exclude)
        ]
        if self.cache is not None:
            from pmcheck.cached_check import check_with_cache

            return check_with_cache(self, self.cache, candidates, self._check_many, progress=progress)
        return self._check_many(candidates, progress=progress)

    def _check_many(
        self, candidates: Sequence[Path], *, progress: Progress | None = None
    ) -> list[FileReport]:
        workers = worker_count(len(candidates), self.jobs)
        if workers > 1:
            # Build every rule set here first, so a bad config or pack is reported once, not per worker.
            for path in candidates:
                self.ruleset_for(path)
            fresh = partial(
                Checker,
                config=self.explicit_config,
                select=self.select,
                ignore=self.ignore,
                jobs=1,
                preview=self.preview,
            )
            results = check_in_workers(self, candidates, workers, fresh=fresh)
        else:
            results = ((self.check_file(path), self.notices) for path in candidates)
        reports = []
        for index, (report, notices) in enumerate(results, start=1):
            reports.append(report)
            self.notices.extend(notice for notice in notices if notice not in self.notices)
            if progress:
                progress(index, len(candidates))
        return reports

    def run_config(self, paths: Sequence[Path]) -> LoadedConfig:
        """The config of the run as a whole, for its per-run settings (see :func:`config.run_config`)."""
        return self.config_for(run_anchor(paths))

    def fail_on(self, paths: Sequence[Path]) -> Severity:
        return self.summary_for(run_anchor(paths)).fail_on

    def _collect_notices(self, ruleset: RuleSet) -> None:
        for notice in ruleset.notices:
            if notice not in self.notices:
                self.notices.append(notice)


def _failure(path: str, message: str) -> FileReport:
    finding = Finding(
        path, 1, 1, "PM001", "readable-file", Severity.ERROR, f"cannot check this file: {message}"
    )
    return FileReport(path=path, findings=[finding])


def check_text(
    text: str,
    *,
    path: str = "<string>",
    config: Path | None = None,
    select: Sequence[str] = (),
    ignore: Sequence[str] = (),
) -> list[Finding]:
    """Check Markdown text as if it were the file ``path``; returns the findings."""
    checker = Checker(config=config, select=select, ignore=ignore)
    ruleset = checker.ruleset_for(Path(path) if path != "<string>" else Path.cwd())
    return _check_text(text, path, ruleset).findings


def run(
    paths: Sequence[Path],
    *,
    config: Path | None = None,
    select: Sequence[str] = (),
    ignore: Sequence[str] = (),
    fail_on: Severity | None = None,
    force_exclude: bool = False,
    progress: Progress | None = None,
    jobs: int | None = None,
    cache: bool = False,
    cache_dir: Path | None = None,
    preview: bool | None = None,
    root: Path | None = None,
) -> RunResult:
    """Check ``paths`` (files or folders) and gather the result; ``cache`` remembers findings per file.
    With ``root``, files are reported by their path relative to it."""
    checker = Checker(config=config, select=select, ignore=ignore, jobs=jobs, preview=preview, root=root)
    if cache:
        from pmcheck.cached_check import open_cache

        checker.cache = open_cache(checker, paths, cache_dir)
    reports = checker.check_paths(paths, force_exclude=force_exclude, progress=progress)
    return _gathered(reports, checker, fail_on or checker.fail_on(paths))


def _gathered(reports: list[FileReport], checker: Checker, fail_on: Severity) -> RunResult:
    result = RunResult(reports=reports, fail_on=fail_on, notices=checker.notices)
    for report in reports:
        if report.postmortem is not None:
            result.sources[report.path] = report.postmortem.document.lines
        elif report.lines is not None:
            result.sources[report.path] = report.lines
    return result


def run_text(
    text: str | ReadProblem,
    *,
    path: str,
    fail_on: Severity | None = None,
    force_exclude: bool = False,
    **options: Any,
) -> RunResult:
    """Check text that is not (yet) a file, such as standard input, as if it were the file ``path``:
    the config, globs and messages follow ``path``. With ``force_exclude`` an excluded path checks nothing.
    ``options`` are :class:`Checker`'s (config, select, ignore, preview)."""
    checker = Checker(**options)
    anchor = Path(path)
    reports: list[FileReport] = []
    if not (force_exclude and is_excluded(anchor, checker.config_for(anchor))):
        ruleset = checker.ruleset_for(anchor)
        if isinstance(text, ReadProblem):
            reports.append(FileReport(path=path, findings=[read_problem_finding(path, text, ruleset)]))
        else:
            reports.append(_check_text(text, path, ruleset))
        checker._collect_notices(ruleset)
    return _gathered(reports, checker, fail_on or checker.fail_on([anchor]))
