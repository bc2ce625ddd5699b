"""Parse each distinct sentence once per process, whichever document it comes from.

A parsed sentence depends only on its text and the pipeline, never on the document it came from:
whatever a document adds (the people it names, entities recognised on demand, memoised answers)
goes into the copy that document gets, so the kept ``Doc`` stays as the parser left it. Repeated
sentences (templates, boilerplate, a document re-checked while it is edited) are parsed once.

Sentences are not kept on disk: measured on the real corpus, serialising and loading a parsed
sentence costs about as much as parsing it again, and files that did not change are served whole
by the result cache (:mod:`pmcheck.cache`).
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

BATCH_SIZE = 256
MAX_SENTENCES = 20_000
_PARSED: OrderedDict[tuple[int, str], Doc] = OrderedDict()


def parse(nlp: Language, texts: Sequence[str]) -> list[Doc]:
    """A fresh parsed ``Doc`` per text; only texts this pipeline never parsed go through it."""
    known: dict[str, Doc] = {}
    for text in texts:
        kept = _PARSED.get((id(nlp), text))
        if kept is not None:
            _PARSED.move_to_end((id(nlp), text))
            known[text] = kept
    missing = [text for text in dict.fromkeys(texts) if text not in known]
    for text, doc in zip(missing, nlp.pipe(missing, batch_size=BATCH_SIZE), strict=True):
        known[text] = _keep(nlp, text, doc)
    return [known[text].copy() for text in texts]


def _keep(nlp: Language, text: str, doc: Doc) -> Doc:
    import numpy

    # No rule reads the shared token vectors (the recogniser has its own): keep the parse, not them.
    doc.tensor = numpy.zeros((0,), dtype="float32")
    _PARSED[(id(nlp), text)] = doc
    while len(_PARSED) > MAX_SENTENCES:
        _PARSED.popitem(last=False)
    return doc
