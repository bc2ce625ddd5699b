"""YAML rule packs: validated by pydantic, compiled into :class:`~pmcheck.rule.Rule` records.

A pack names section aliases and declares rules; each rule picks a kind from the closed set in
:mod:`pmcheck.rules` and gives it options. Built-in packs ship inside the wheel; a repository can
add its own by path.
"""

from __future__ import annotations

import functools
import string
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel, Field, ValidationError, field_validator

from pmcheck.errors import RulePackError
from pmcheck.finding import Severity
from pmcheck.kept_yaml import load_kept
from pmcheck.packpath import builtin_pack_dir as builtin_pack_dir
from pmcheck.packpath import builtin_packs as builtin_packs
from pmcheck.packpath import resolve_pack as resolve_pack
from pmcheck.rule import Rule, RuleDocs
from pmcheck.rules import KINDS
from pmcheck.saferegex import UNTRUSTED
from pmcheck.yamlfile import YamlFile, load_yaml, validate

RULE_ID = r"^[A-Z]{1,6}[0-9]{2,4}$"
RULE_NAME = r"^[a-z][a-z0-9-]*(\.[a-z][a-z0-9-]*)*$"


class DocsSpec(BaseModel, extra="forbid"):
    what: str = Field(description="What the rule checks.")
    why: str = Field(description="Why it matters for a blameless post-mortem.")
    example: str = Field(description="Markdown that the rule flags.")
    instead: str = Field(description="Markdown to write instead, which the rule accepts.")


class RuleSpec(BaseModel, extra="forbid"):
    id: str = Field(pattern=RULE_ID, description="Stable code, e.g. PM010.")
    name: str = Field(
        pattern=RULE_NAME, description="Readable name; dotted in packs, e.g. blame.human-error."
    )
    kind: str = Field(description="Which kind of check this rule instantiates.")
    severity: Severity = Severity.WARNING
    message: str
    suggestion: str | None = None
    docs: DocsSpec
    options: dict[str, Any] = Field(default_factory=dict)
    enabled: bool = Field(
        True,
        description="false: the rule ships switched off, for the repositories that want it; a config "
        "turns it on by its code or name (`PM035: warning`, `action-tracked: true`), or --select.",
    )
    preview: bool = Field(False, description="A new rule: runs only with `preview: true` or --preview.")
    preview_options: dict[str, Any] = Field(
        default_factory=dict,
        description="Options merged over `options` in preview mode: a change that makes the rule find more.",
    )

    @field_validator("message", "suggestion")
    @classmethod
    def _template(cls, value: str | None) -> str | None:
        problem = template_problem(value) if value is not None else None
        if problem:
            raise ValueError(problem)
        return value

    @field_validator("kind")
    @classmethod
    def _known_kind(cls, value: str) -> str:
        _load_optional_kinds()
        if value not in KINDS:
            raise ValueError(f"unknown kind {value!r}; expected one of: {', '.join(sorted(KINDS))}")
        return value


class PackSpec(BaseModel, extra="forbid"):
    pack: str = Field(pattern=RULE_NAME, description="The pack's name.")
    description: str = ""
    sections: dict[str, list[str]] = Field(
        default_factory=dict, description="Section kind → heading aliases."
    )
    rules: list[RuleSpec] = Field(default_factory=list)


@dataclass(frozen=True)
class Pack:
    """A loaded pack: its spec, where it came from, and its compiled rules."""

    spec: PackSpec
    source: str
    rules: list[Rule]


class _AnyField(dict[str, object]):
    def __missing__(self, key: str) -> str:
        return "x"


def template_problem(template: str) -> str | None:
    """Why ``template`` cannot be filled in with named values, or None when it can."""
    try:
        fields = [field for _text, field, _spec, _conversion in string.Formatter().parse(template)]
        for field in fields:
            if field is None:
                continue
            if not field or field[0].isdigit():
                return f"{{{field}}} is a positional field; name the value, e.g. {{match}}"
            if not field.isidentifier():
                return f"{{{field}}} is not a plain name; write {{name}} without dots or brackets"
        template.format_map(_AnyField())
    except (ValueError, IndexError, KeyError, AttributeError) as exc:
        return f"not a valid message template ({exc}); write a literal brace as {{{{ or }}}}"
    return None


def _load_optional_kinds() -> None:
    # The NLP kinds live in their own module so spaCy stays unimported until a document needs it.
    from pmcheck.nlp import kinds  # noqa: F401  (registers the kinds)


@functools.lru_cache(maxsize=64)
def load_pack(path: Path) -> Pack:
    """Read, validate and compile one pack file. Cached: packs are immutable during a run."""
    untrusted = builtin_pack_dir().resolve() not in path.resolve().parents
    source = load_yaml(path, RulePackError) if untrusted else load_kept(path, RulePackError)
    spec = validate(source, PackSpec, RulePackError)
    rules = [
        _compile(rule, index, spec.pack, source, untrusted=untrusted) for index, rule in enumerate(spec.rules)
    ]
    return Pack(spec=spec, source=str(path), rules=rules)


def _compile(spec: RuleSpec, index: int, pack: str, source: YamlFile, *, untrusted: bool) -> Rule:
    kind = KINDS[spec.kind]
    options = _options(kind.options, spec.options, spec, index, source, untrusted=untrusted)
    preview_options = (
        _options(
            kind.options, {**spec.options, **spec.preview_options}, spec, index, source, untrusted=untrusted
        )
        if spec.preview_options
        else None
    )
    return Rule(
        id=spec.id,
        name=spec.name,
        kind=kind,
        severity=spec.severity,
        message=spec.message,
        suggestion=spec.suggestion,
        docs=RuleDocs(spec.docs.what, spec.docs.why, spec.docs.example, spec.docs.instead),
        options=options,
        pack=pack,
        source=f"{source.path}:{source.line_of(('rules', index))}",
        extra={UNTRUSTED: untrusted},
        enabled=spec.enabled,
        preview=spec.preview,
        preview_options=preview_options,
    )


def _options(
    model: type[BaseModel],
    values: dict[str, Any],
    spec: RuleSpec,
    index: int,
    source: YamlFile,
    *,
    untrusted: bool,
) -> Any:
    try:
        return model.model_validate(values, context={UNTRUSTED: untrusted})
    except ValidationError as exc:
        problems = []
        for item in exc.errors():
            location = (
                "rules",
                index,
                "options",
                *[part for part in item["loc"] if isinstance(part, (str, int))],
            )
            dotted = ".".join(str(part) for part in location[3:]) or "options"
            problems.append(
                f"{source.path}:{source.line_of(location)}: rule {spec.id} ({spec.name}): "
                f"options.{dotted}: {item['msg']}".replace("options.options", "options")
            )
        raise RulePackError("\n".join(problems)) from None
