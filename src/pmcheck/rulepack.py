"""YAML rule packs: validated by pydantic, compiled into :class:`~pmcheck.rule.Rule` records.

A pack names section aliases and declares rules; each rule picks a kind from the closed set in
:mod:`pmcheck.rules` and gives it options. Built-in packs ship inside the wheel, and are kept in their
validated form beside their bytecode (:mod:`pmcheck.kept_yaml`): a run that reads them anew builds
no pydantic validator. A repository can add its own by path; those are validated on every run.
"""

from __future__ import annotations

import functools
import io
import pickle
import string
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

from pmcheck.errors import RulePackError
from pmcheck.finding import Severity
from pmcheck.kept_yaml import load_kept, load_kept_validated
from pmcheck.packpath import builtin_pack_dir as builtin_pack_dir
from pmcheck.packpath import builtin_packs as builtin_packs
from pmcheck.packpath import resolve_pack as resolve_pack
from pmcheck.rule import Rule, RuleDocs, RuleKind
from pmcheck.rules import KINDS
from pmcheck.saferegex import UNTRUSTED
from pmcheck.validation import FORBID_EXTRA, After, about, problems, validated, validation_error

if TYPE_CHECKING:
    from pmcheck.yamlfile import YamlFile

RULE_ID = r"^[A-Z]{1,6}[0-9]{2,4}$"
RULE_NAME = r"^[a-z][a-z0-9-]*(\.[a-z][a-z0-9-]*)*$"


@dataclass(frozen=True, kw_only=True)
class DocsSpec:
    __pydantic_config__ = FORBID_EXTRA
    what: str = field(metadata=about("What the rule checks."))
    why: str = field(metadata=about("Why it matters for a blameless post-mortem."))
    example: str = field(metadata=about("Markdown that the rule flags."))
    instead: str = field(metadata=about("Markdown to write instead, which the rule accepts."))


def _template(value: str | None, _info: object) -> str | None:
    problem = template_problem(value) if value is not None else None
    if problem:
        raise ValueError(problem)
    return value


def _known_kind(value: str, _info: object) -> str:
    _load_optional_kinds()
    if value not in KINDS:
        raise ValueError(f"unknown kind {value!r}; expected one of: {', '.join(sorted(KINDS))}")
    return value


@dataclass(frozen=True, kw_only=True)
class RuleSpec:
    __pydantic_config__ = FORBID_EXTRA
    id: str = field(metadata=about("Stable code, e.g. PM010.", pattern=RULE_ID))
    name: str = field(
        metadata=about("Readable name; dotted in packs, e.g. blame.human-error.", pattern=RULE_NAME)
    )
    kind: Annotated[str, After(_known_kind)] = field(
        metadata=about("Which kind of check this rule instantiates.")
    )
    severity: Severity = Severity.WARNING
    message: Annotated[str, After(_template)]
    suggestion: Annotated[str | None, After(_template)] = None
    docs: DocsSpec
    options: dict[str, Any] = field(default_factory=dict)
    enabled: bool = field(
        default=True,
        metadata=about(
            "false: the rule ships switched off, for the repositories that want it; a config "
            "turns it on by its code or name (`PM035: warning`, `action-tracked: true`), or --select."
        ),
    )
    preview: bool = field(
        default=False, metadata=about("A new rule: runs only with `preview: true` or --preview.")
    )
    preview_options: dict[str, Any] = field(
        default_factory=dict,
        metadata=about(
            "Options merged over `options` in preview mode: a change that makes the rule find more."
        ),
    )


@dataclass(frozen=True, kw_only=True)
class PackSpec:
    __pydantic_config__ = FORBID_EXTRA
    pack: str = field(metadata=about("The pack's name.", pattern=RULE_NAME))
    description: str = ""
    sections: dict[str, list[str]] = field(
        default_factory=dict, metadata=about("Section kind → heading aliases.")
    )
    rules: list[RuleSpec] = field(default_factory=list)


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
    if builtin_pack_dir().resolve() not in path.resolve().parents:
        from pmcheck.yamlfile import load_yaml

        return _read_pack(load_yaml(path, RulePackError), path, untrusted=True)
    return load_kept_validated(
        path,
        RulePackError,
        lambda: _read_pack(load_kept(path, RulePackError), path, untrusted=False),
        dump=_dump_pack,
        load=_load_pack,
        sources=_kind_sources(),
    )


def _kind_sources() -> tuple[Path, ...]:
    """The files that define every kind's options and check: a kept pack follows their code."""
    _load_optional_kinds()
    names = {
        base.__module__ for kind in KINDS.values() for base in kind.options.__mro__ if base is not object
    }
    names |= {kind.check.__module__ for kind in KINDS.values()}
    files = (getattr(sys.modules.get(name), "__file__", None) for name in names)
    return tuple(sorted(Path(file).resolve() for file in files if file))


class _PackPickler(pickle.Pickler):
    def persistent_id(self, obj: object) -> str | None:
        return obj.name if isinstance(obj, RuleKind) else None  # a kind is kept by its name


class _PackUnpickler(pickle.Unpickler):
    def persistent_load(self, pid: object) -> RuleKind:
        _load_optional_kinds()
        return KINDS[str(pid)]


def _dump_pack(pack: Pack) -> bytes:
    out = io.BytesIO()
    _PackPickler(out, protocol=pickle.HIGHEST_PROTOCOL).dump(pack)
    return out.getvalue()


def _load_pack(data: bytes) -> Pack:
    pack = _PackUnpickler(io.BytesIO(data)).load()
    if not isinstance(pack, Pack):
        raise TypeError(f"a kept pack holds {type(pack).__name__}")
    return pack


def _read_pack(source: YamlFile, path: Path, *, untrusted: bool) -> Pack:
    from pmcheck.yamlfile import validate

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
    model: type[Any],
    values: dict[str, Any],
    spec: RuleSpec,
    index: int,
    source: YamlFile,
    *,
    untrusted: bool,
) -> Any:
    try:
        return validated(model, values, context={UNTRUSTED: untrusted})
    except validation_error() as exc:
        found = []
        for inside, message in problems(exc):
            location = ("rules", index, "options", *inside)
            dotted = ".".join(str(part) for part in inside) or "options"
            found.append(
                f"{source.path}:{source.line_of(location)}: rule {spec.id} ({spec.name}): "
                f"options.{dotted}: {message}".replace("options.options", "options")
            )
        raise RulePackError("\n".join(found)) from None
