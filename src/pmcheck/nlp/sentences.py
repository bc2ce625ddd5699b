"""Which sentences of a post-mortem the NLP rules read, and the cheap lexical pre-filter.

Prose only: paragraphs, list items, table cells and quotes — never code blocks, inline code, HTML
or link targets. A sentence is parsed only when it holds a trigger word of some rule, so documents
without candidates never load spaCy at all.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from pmcheck.nlp.context import NlpContext
from pmcheck.postmortem import PostMortem

MAX_SENTENCE_CHARS = 600
_SPLIT = re.compile(r"(?<=[.!?;])\s+(?=[\"'“(\[@A-Z0-9])")
_CODE_SPAN = re.compile(r"`[^`]*`")
_LINK_TARGET = re.compile(r"\s<(?:https?|mailto|ftp)[^<>]*>")
_WORD = re.compile(r"[a-z][a-z'’-]*|@[\w-]+")
# "I've", "we'd", "I'm": spaCy parses the pronoun on its own, so the pre-filter must see it too.
_CLITIC = re.compile(r"^([a-z]+)['’](?:ve|d|m|ll|re)$")
_TITLE_WORD = re.compile(r"\b[A-Z][a-z]+\b")
# The first word, after any time stamps or chat prefixes ("14:02 UTC:", "[09:41] <sam>"), which are
# skipped one at a time (a repeated group of them backtracks exponentially on "1:00 1:00 ...").
# A label such as "Trigger:" is not an opening word.
_OPENING_PREFIX = re.compile(r"[\[(]?\d{1,2}:\d{2}[^A-Za-z]*(?:UTC|GMT)?[:\s\]-]*|<[^<>]+>\s*")
_OPENING = re.compile(r"([A-Z][a-z]+)\b(?!\*{0,2}\s*:)")
_LOWER_WORD = re.compile(r"(?<![\w@])[a-z][a-z]+\b")
# Pasted conversation is quoted evidence, not the document's voice: a section titled as a chat log or
# transcript, or a line that opens with a chat speaker ("<sam> not sure", "[14:02] sam: will look").
_CHAT_SECTION = re.compile(r"\b(?:chat|slack|irc|transcripts?|conversation|logs?)\b", re.IGNORECASE)
_MARKER = re.compile(r"^\s*(?:(?:[-*+>]|\d+[.)])\s+)*")
_CHAT_LINE = re.compile(
    r"^(?:[\[(]?\d{1,2}:\d{2}(?::\d{2})?[\])]?\s*)?(?:<[\w.@-]+>\s"
    r"|(?<=[\s\]\)])(?!(?:utc|gmt|[pmec][sd]t|cest?|ist|bst)\b)[a-z][\w.-]*:\s+[a-z])"
)


def lowercase_words(postmortem: PostMortem, context: NlpContext) -> frozenset[str]:
    """Words the document writes in lower case somewhere: capitalised, they are not names."""
    if context.lowercase is None:
        context.lowercase = frozenset(_LOWER_WORD.findall(postmortem.document.source))
    return context.lowercase


IRREGULAR_FORMS: dict[str, tuple[str, ...]] = {
    "be": ("is", "are", "was", "were", "been", "being", "am", "'s", "’s"),
    "break": ("broke", "broken"),
    "blow": ("blew", "blown"),
    "catch": ("caught",),
    "cost": ("cost",),
    "do": ("did", "done", "does"),
    "fall": ("fell", "fallen"),
    "forget": ("forgot", "forgotten"),
    "have": ("had", "has"),
    "hold": ("held",),
    "know": ("knew", "known"),
    "let": ("let",),
    "lose": ("lost",),
    "make": ("made",),
    "run": ("ran",),
    "see": ("saw", "seen"),
    "take": ("took", "taken"),
    "write": ("wrote", "written"),
    "put": ("put",),
    "get": ("got", "gotten"),
    "go": ("went", "gone"),
    "leave": ("left",),
    "think": ("thought",),
    "shut": ("shut",),
    "set": ("set",),
    "cut": ("cut",),
    "misread": ("misread",),
    "mislead": ("misled",),
    "overlook": ("overlooked",),
    "drop": ("dropped",),
    "slip": ("slipped",),
    "skip": ("skipped",),
    "fire": ("fired",),
    "bring": ("brought",),
    "mistake": ("mistook", "mistaken"),
    "misunderstand": ("misunderstood",),
    "overwrite": ("overwrote", "overwritten"),
    "understand": ("understood",),
    "hear": ("heard",),
    "lead": ("led",),
    "choose": ("chose", "chosen"),
    "feel": ("felt",),
    "find": ("found",),
    "tell": ("told",),
    "wake": ("woke", "woken"),
    "pay": ("paid",),
    "begin": ("began", "begun"),
    "undo": ("undid", "undone"),
    "rewrite": ("rewrote", "rewritten"),
    "withhold": ("withheld",),
    "override": ("overrode", "overridden"),
}


def surface_forms(word: str) -> set[str]:
    """The inflected forms a pre-filter should look for: ``skip`` → skip, skips, skipped, skipping…"""
    word = word.lower()
    forms = {word, word + "s", word + "es", word + "ed", word + "d", word + "ing"}
    if word.endswith("e"):
        forms |= {word[:-1] + "ing", word[:-1] + "ed"}
    if word.endswith("y"):
        forms |= {word[:-1] + "ied", word[:-1] + "ies"}
    if len(word) >= 3 and word[-1] not in "aeiouwxy" and word[-2] in "aeiou" and word[-3] not in "aeiou":
        forms |= {word + word[-1] + "ed", word + word[-1] + "ing"}
    forms |= set(IRREGULAR_FORMS.get(word, ()))
    return forms


@dataclass(frozen=True)
class Sentence:
    """A sentence of prose with the line its text unit starts on."""

    text: str
    line: int
    words: frozenset[str]
    names: frozenset[str] = frozenset()
    opening: str = ""

    @functools.cached_property
    def folded(self) -> str:
        """Lower case with runs of white space as one space, for phrase look-ups."""
        return " ".join(self.text.lower().split())


def prose_sentences(postmortem: PostMortem, context: NlpContext) -> list[Sentence]:
    if context.sentences is None:
        context.sentences = list(_split(postmortem))
    return context.sentences


def _split(postmortem: PostMortem) -> Iterator[Sentence]:
    for unit in postmortem.document.text_units():
        if _is_chat(_source_line(postmortem, unit.line), unit.section.title if unit.section else ""):
            continue
        text = _LINK_TARGET.sub("", _CODE_SPAN.sub("CODE", unit.text))
        for piece in _SPLIT.split(text):
            for chunk in _chunks(piece.strip()):
                if chunk:
                    words = _WORD.findall(chunk.lower())
                    # spaCy splits "on-call" and "didn't"; so does the pre-filter, keeping the whole too.
                    words += [word[:-2] for word in words if word.endswith(("'s", "’s"))]
                    words += [part for word in words if "-" in word for part in word.split("-") if part]
                    words += [word[:-3] for word in words if word.endswith(("n't", "n’t"))]
                    words += [clitic.group(1) for word in words if (clitic := _CLITIC.match(word))]
                    opening = _OPENING.match(chunk, _prefix_end(chunk))
                    yield Sentence(
                        chunk,
                        unit.line,
                        frozenset(words),
                        frozenset(_TITLE_WORD.findall(chunk)),
                        opening.group(1) if opening else "",
                    )


def _prefix_end(text: str) -> int:
    """Where the text starts after its time stamps and chat prefixes."""
    position = 0
    while (prefix := _OPENING_PREFIX.match(text, position)) and prefix.end() > position:
        position = prefix.end()
    return position


def _source_line(postmortem: PostMortem, line: int) -> str:
    """The unit's first source line without its list or quote marker (inline HTML such as ``<sam>`` kept)."""
    lines = postmortem.document.lines
    raw = lines[line - 1] if 0 < line <= len(lines) else ""
    return _MARKER.sub("", raw)


def _is_chat(text: str, section_title: str) -> bool:
    return bool(_CHAT_SECTION.search(section_title)) or bool(_CHAT_LINE.match(text))


def _chunks(text: str) -> Iterable[str]:
    """Cut run-on text into pieces short enough to parse in bounded time."""
    while len(text) > MAX_SENTENCE_CHARS:
        cut = text.rfind(" ", 0, MAX_SENTENCE_CHARS)
        cut = cut if cut > MAX_SENTENCE_CHARS // 2 else MAX_SENTENCE_CHARS
        yield text[:cut]
        text = text[cut:].lstrip()
    yield text
