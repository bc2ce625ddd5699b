"""A compiled rule: one entry of a rule pack, bound to the kind that checks it."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from pmcheck.finding import Hit, Location, Severity

if TYPE_CHECKING:
    from pmcheck.nlp.context import NlpContext
    from pmcheck.postmortem import PostMortem


@dataclass(frozen=True)
class RuleDocs:
    """The four parts every rule's documentation has (ruff's headings)."""

    what: str
    why: str
    example: str
    instead: str


CheckFunction = Callable[["PostMortem", "Rule"], Iterator[Hit]]
NlpCheckFunction = Callable[["PostMortem", "Rule", "NlpContext"], Iterator[Hit]]


@dataclass(frozen=True)
class RuleKind:
    """A kind of check that YAML rules instantiate with options."""

    name: str
    options: type[Any]
    """A frozen dataclass of the kind's options (:mod:`pmcheck.validation`)."""
    check: CheckFunction
    nlp_check: NlpCheckFunction | None = None
    """For the NLP kinds: the check that shares one document's parses through the engine's context."""
    doc: str = ""
    reads_today: bool = False
    """Its findings can change with today's date, so cached results hold only for the day."""

    @property
    def needs_nlp(self) -> bool:
        return self.nlp_check is not None


class _Blank(dict[str, Any]):
    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


@dataclass(frozen=True)
class Rule:
    """A rule from a pack: identity, severity, wording, docs, and its kind with validated options."""

    id: str
    name: str
    kind: RuleKind
    severity: Severity
    message: str
    docs: RuleDocs
    options: Any
    suggestion: str | None = None
    pack: str = ""
    source: str = ""
    extra: Mapping[str, Any] = field(default_factory=dict)
    enabled: bool = True  # False: shipped switched off, until a config names it
    preview: bool = False  # a new rule that runs only in preview mode
    preview_options: Any = None  # options that find more, used instead of ``options`` in preview mode
    url: str = ""  # the rule's documentation page under the config's ``docs_url``

    @property
    def code(self) -> str:
        return f"{self.id} {self.name}"

    def matches(self, selector: str) -> bool:
        """True when a config key or suppression names this rule: id, name, or a dotted name prefix."""
        wanted = selector.strip().lower()
        name = self.name.lower()
        return wanted in (self.id.lower(), name, "all") or name.startswith(wanted.rstrip(".*") + ".")

    def hit(
        self,
        line: int,
        column: int = 1,
        *,
        end_line: int | None = None,
        end_column: int | None = None,
        excerpt: str | None = None,
        suggestion: str | None = None,
        conceal: bool = False,
        subject: str | None = None,
        values: Mapping[str, object] | None = None,
        **fields: object,
    ) -> Hit:
        """A hit with this rule's message and suggestion filled in from ``values`` and ``fields``."""
        values = _Blank({**(values or {}), **fields})
        message = self.message.format_map(values)
        advice = suggestion if suggestion is not None else self.suggestion
        return Hit(
            location=Location(line, column, end_line, end_column),
            message=message,
            suggestion=advice.format_map(values) if advice else None,
            excerpt=excerpt,
            conceal=conceal,
            subject=subject,
        )

    def check(self, postmortem: PostMortem, *, nlp: NlpContext | None = None) -> Iterator[Hit]:
        """The rule's hits; NLP kinds share ``nlp``, the document's context, with the run's other rules."""
        if nlp is not None and self.kind.nlp_check is not None:
            return self.kind.nlp_check(postmortem, self, nlp)
        return self.kind.check(postmortem, self)
