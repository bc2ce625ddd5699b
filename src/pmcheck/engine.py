"""Run the rules over documents: compile the rule set for a config, check, stamp, suppress, sort."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from pmcheck.errors import ConfigError, ModelUnavailableError, RulePackError
from pmcheck.finding import Finding, Hit, Location, Severity
from pmcheck.read import ReadProblem, read_text

if TYPE_CHECKING:
    from pydantic import ValidationError

    from pmcheck.config import LoadedConfig
    from pmcheck.postmortem import PostMortem, SectionCatalog
    from pmcheck.rule import Rule

# The config's models, the parser, the post-mortem model and the rules are imported where they run:
# a run whose findings all come from the cache never loads them.

READ_PROBLEM_KIND = "readable-file"


@dataclass
class RuleSet:
    """The rules that apply under one configuration, with the section catalog they share."""

    rules: list[Rule]
    all_rules: list[Rule]
    catalog: SectionCatalog
    loaded: LoadedConfig
    notices: list[str] = field(default_factory=list)

    def find(self, selector: str) -> Rule | None:
        wanted = selector.strip().lower()
        return next((rule for rule in self.all_rules if wanted in (rule.id.lower(), rule.name.lower())), None)


@dataclass
class FileReport:
    """Everything one document produced."""

    path: str
    findings: list[Finding]
    postmortem: PostMortem | None = None
    lines: list[str] | None = None
    """The source lines, when the findings came from the cache and no post-mortem was read."""


def build_ruleset(
    loaded: LoadedConfig,
    *,
    select: Sequence[str] = (),
    ignore: Sequence[str] = (),
    preview: bool | None = None,
) -> RuleSet:
    """Load the config's packs and apply its rule settings and the command line's selections.

    ``preview`` (the command line's ``--preview``; else the config's) lets preview rules run and
    preview options apply."""
    from pmcheck.postmortem import SectionCatalog
    from pmcheck.rulepack import load_pack, resolve_pack

    aliases: dict[str, tuple[str, ...]] = {}
    rules: list[Rule] = []
    seen_ids: dict[str, str] = {}
    for index, reference in enumerate(loaded.config.packs):
        path = resolve_pack(reference, loaded.base)
        _check_pack_place(loaded, index, path)
        pack = load_pack(path)
        for kind, names in pack.spec.sections.items():
            aliases[kind] = aliases.get(kind, ()) + tuple(names)
        for rule in pack.rules:
            if rule.id in seen_ids:
                used = seen_ids[rule.id]
                raise RulePackError(f"{rule.source}: rule id {rule.id} is already used by {used}")
            seen_ids[rule.id] = rule.source
            rules.append(rule)
    catalog = SectionCatalog(aliases).merged(loaded.config.sections)
    in_preview = loaded.config.preview if preview is None else preview
    rules = [in_preview_mode(rule, loaded.config.docs_url, preview=in_preview) for rule in rules]
    configured = [_apply_settings(rule, loaded) for rule in rules]
    all_rules = [rule for rule, _enabled in configured]
    available = [rule for rule in all_rules if in_preview or not rule.preview]
    ready = {rule.id for rule in available}
    enabled = [rule for rule, on in configured if on and rule.id in ready]
    if select:
        enabled = [rule for rule in available if any(rule.matches(name) for name in select)]
    if ignore:
        enabled = [rule for rule in enabled if not any(rule.matches(name) for name in ignore)]
    _check_selectors(loaded, all_rules, [*select, *ignore])
    return RuleSet(
        rules=enabled, all_rules=all_rules, catalog=catalog, loaded=loaded, notices=list(loaded.notices)
    )


def in_preview_mode(rule: Rule, docs_url: str, *, preview: bool) -> Rule:
    """The rule with its documentation link, and its preview options when preview mode is on."""
    options = rule.preview_options if preview and rule.preview_options is not None else rule.options
    return _replace(rule, options=options, url=rule_url(docs_url, rule.name))


def rule_url(base: str, name: str) -> str:
    return f"{base.rstrip('/')}/{name}.md"


def _check_pack_place(loaded: LoadedConfig, index: int, path: Path) -> None:
    """A pack must lie in the config's folder (or ship with pmcheck) unless the config allows more."""
    from pmcheck.packpath import builtin_pack_dir

    places = (loaded.base.resolve(), builtin_pack_dir().resolve())
    if loaded.config.packs_outside or any(place in path.resolve().parents for place in places):
        return
    raise RulePackError(
        f"{_where(loaded, ('packs', index))}: packs: {path} is outside {loaded.base}; "
        "move it there, or set `packs_outside: true` to load it anyway"
    )


def _apply_settings(rule: Rule, loaded: LoadedConfig) -> tuple[Rule, bool]:
    from pmcheck.saferegex import UNTRUSTED
    from pmcheck.validation import validated, validation_error, values

    enabled = rule.enabled
    # Broader selectors first so that a rule's own id or name has the last word.
    matching = sorted(
        ((key, value) for key, value in loaded.config.rules.items() if rule.matches(key)),
        key=lambda item: item[0].lower() in (rule.id.lower(), rule.name.lower()),
    )
    for key, setting in matching:
        # A rule its pack ships switched off is turned on only by a setting that names it, never by a
        # pack prefix or `all`: a stricter preset must not switch on checks a team never chose.
        may_turn_on = rule.enabled or key.lower() in (rule.id.lower(), rule.name.lower())
        if setting.severity == "off" or setting.enabled is False:
            enabled = False
        elif setting.severity is not None or setting.enabled:
            enabled = enabled or may_turn_on
        if setting.severity not in (None, "off"):
            rule = _replace(rule, severity=Severity(setting.severity))
        if setting.options:
            merged = {**values(rule.options), **setting.options}
            try:
                options = validated(rule.kind.options, merged, context={UNTRUSTED: True})
            except validation_error() as exc:
                raise ConfigError(_option_problems(loaded, key, rule=rule, error=exc)) from None
            rule = _replace(rule, options=options, extra={**rule.extra, UNTRUSTED: True})
    return rule, enabled


def _replace(rule: Rule, **changes: object) -> Rule:
    import dataclasses

    return dataclasses.replace(rule, **changes)  # type: ignore[arg-type]


def _where(loaded: LoadedConfig, location: tuple[str | int, ...]) -> str:
    """``file:line`` of a key in the config file, read again only to report an error."""
    from pmcheck.config import read_source

    if loaded.source is None:
        return ".pmcheck.yml"
    return f"{loaded.source}:{read_source(Path(loaded.source)).line_of(location)}"


def _option_problems(loaded: LoadedConfig, key: str, *, rule: Rule, error: ValidationError) -> str:
    from pmcheck.validation import problems

    found = []
    for inside, message in problems(error):
        location = ("rules", key, "options", *inside)
        dotted = ".".join(str(part) for part in location)
        found.append(f"{_where(loaded, location)}: {dotted}: {message} (rule {rule.id} {rule.name})")
    return "\n".join(found)


def _check_selectors(loaded: LoadedConfig, rules: list[Rule], extra: Iterable[str]) -> None:
    for key in [*loaded.config.rules, *extra]:
        if not any(rule.matches(key) for rule in rules):
            in_config = loaded.source is not None and key in loaded.config.rules
            where = f"{_where(loaded, ('rules', key))}: rules.{key}" if in_config else "selector"
            raise ConfigError(f"{where}: {key!r} names no rule; see `pmcheck rules --all`")


def check_text(text: str, path: str, ruleset: RuleSet) -> FileReport:
    """Check one document's text with every enabled rule."""
    from pmcheck.nlp.context import NlpContext
    from pmcheck.parse import parse_document
    from pmcheck.postmortem import read_postmortem
    from pmcheck.suppress import read_suppressions

    document = parse_document(text, path)
    postmortem = read_postmortem(document, ruleset.catalog)
    # Parsed spaCy documents are large and only needed while the rules run: they go with ``nlp``.
    nlp_rules = tuple(rule for rule in ruleset.rules if rule.kind.needs_nlp)
    nlp = NlpContext(models=tuple(ruleset.loaded.config.nlp.models), rules=nlp_rules)
    suppressions = read_suppressions(document)
    findings: list[Finding] = []
    empty = not text.strip()
    for rule in ruleset.rules:
        if empty and rule.kind.name != READ_PROBLEM_KIND:
            continue
        if rule.kind.needs_nlp and not _nlp_available(ruleset):
            continue
        try:
            for hit in rule.check(postmortem, nlp=nlp):
                if not suppressions.suppresses(rule, hit.location.line):
                    findings.append(stamp(hit, rule, path))
        except ModelUnavailableError as exc:
            _notice(ruleset, str(exc))
    return FileReport(path=path, findings=sorted(findings), postmortem=postmortem)


def check_file(path: Path, ruleset: RuleSet, *, display: str | None = None) -> FileReport:
    """Read and check one file; a file that cannot be read becomes a single finding about it."""
    shown = display or str(path)
    text = read_text(path, ruleset.loaded.config.max_file_bytes)
    if isinstance(text, ReadProblem):
        return FileReport(path=shown, findings=[read_problem_finding(shown, text, ruleset)])
    return check_text(text, shown, ruleset)


def read_problem_finding(path: str, problem: ReadProblem, ruleset: RuleSet) -> Finding:
    rule = next((rule for rule in ruleset.all_rules if rule.kind.name == READ_PROBLEM_KIND), None)
    hit = Hit(Location(problem.line, 1), problem.message)
    if rule is None:
        return Finding(path, problem.line, 1, "PM000", "unreadable-file", Severity.ERROR, problem.message)
    return stamp(hit, rule, path, message=f"cannot check this file: {problem.message}")


def stamp(hit: Hit, rule: Rule, path: str, *, message: str | None = None) -> Finding:
    location = hit.location
    return Finding(
        path=path,
        line=location.line,
        column=location.column,
        rule_id=rule.id,
        rule_name=rule.name,
        severity=rule.severity,
        message=message or hit.message,
        end_line=location.end_line,
        end_column=location.end_column,
        suggestion=hit.suggestion,
        excerpt=hit.excerpt,
        conceal=hit.conceal,
        subject=hit.subject,
        url=rule.url or None,
    )


def _nlp_available(ruleset: RuleSet) -> bool:
    """Whether NLP rules can run; says once, in the run's notices, when they cannot."""
    from pmcheck.nlp.pipeline import find_pipeline

    settings = ruleset.loaded.config.nlp
    if not settings.enabled:
        return False
    problem = find_pipeline(tuple(settings.models)).problem
    if problem:
        _notice(ruleset, problem)
    return problem is None


def _notice(ruleset: RuleSet, message: str) -> None:
    if message not in ruleset.notices:
        ruleset.notices.append(message)
