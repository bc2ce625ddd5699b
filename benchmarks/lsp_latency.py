"""How long an editor waits for diagnostics after typing stops: `pmcheck lsp` driven over stdio.

Usage: python benchmarks/lsp_latency.py [--edits 15] [--debounce 0.3] [--corpus]

Starts the server as an editor does, opens a post-mortem of about 2,000 words, waits until the
server is warm (the spaCy pipeline loaded, the document checked once), then makes ``--edits``
edits one at a time, each a word typed into a different paragraph, and times from sending the
change to receiving its diagnostics. The figure reported is that time less the debounce: what the
check itself adds once typing has paused. Median, 90th percentile and slowest.

Text: by default a 2,000-word post-mortem assembled from this repository's own examples (text
written for pmcheck); with ``--corpus`` instead each real post-mortem of 1,800 words or more in
``../shared/corpus/documents`` (read in place, never copied; line 1, a provenance comment, dropped).
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
from pathlib import Path

from lsprotocol import types
from pygls.lsp.client import LanguageClient

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpus" / "documents"


def own_document(words: int = 2000) -> str:
    """A long post-mortem: the checkout example, its sections grown with the other examples' prose."""
    base = (ROOT / "examples" / "2026-03-02-checkout-config-push.md").read_text(encoding="utf-8")
    prose = [
        paragraph.strip()
        for path in sorted((ROOT / "examples").glob("*.md"))
        for paragraph in path.read_text(encoding="utf-8").split("\n\n")
        if paragraph.strip() and not paragraph.lstrip().startswith(("#", "|", "---", "<!--"))
    ]
    extra: list[str] = []
    index = 0
    while len(base.split()) + sum(len(p.split()) for p in extra) < words:
        extra.append(prose[index % len(prose)])
        index += 1
    marker = "## Lessons learned"
    head, _, tail = base.partition(marker)
    return head + "## Discussion\n\n" + "\n\n".join(extra) + "\n\n" + marker + tail


def corpus_documents(min_words: int = 1800) -> list[tuple[str, str]]:
    found = []
    for path in sorted(CORPUS.glob("*.md")):
        text = path.read_text(encoding="utf-8").split("\n", 1)[1]
        if len(text.split()) >= min_words:
            found.append((path.name, text))
    return found


async def measure(text: str, *, edits: int, debounce: float, folder: Path) -> tuple[float, list[float]]:
    """Seconds until the first diagnostics (cold), and each edit's wait less the debounce (warm)."""
    client = LanguageClient("pmcheck-bench", "1")
    published: dict[int, float] = {}
    arrived = asyncio.Event()

    @client.feature(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    def _diagnostics(params: types.PublishDiagnosticsParams) -> None:
        published.setdefault(params.version or 0, time.perf_counter())
        arrived.set()

    async def published_version(version: int) -> float:
        while version not in published:
            arrived.clear()
            await asyncio.wait_for(arrived.wait(), 300)
        return published[version]

    await client.start_io(sys.executable, "-m", "pmcheck", "lsp", "--debounce", str(debounce))
    uri = (folder / "postmortem.md").as_uri()
    try:
        await client.initialize_async(types.InitializeParams(capabilities=types.ClientCapabilities()))
        client.initialized(types.InitializedParams())
        start = time.perf_counter()
        client.text_document_did_open(
            types.DidOpenTextDocumentParams(
                text_document=types.TextDocumentItem(uri=uri, language_id="markdown", version=1, text=text)
            )
        )
        cold = await published_version(1) - start
        paragraphs = [i for i, line in enumerate(text.split("\n")) if len(line.split()) > 8]
        waits = []
        lines = text.split("\n")
        for number in range(edits):
            line = paragraphs[number % len(paragraphs)]
            lines[line] = lines[line] + " again"
            version = number + 2
            sent = time.perf_counter()
            client.text_document_did_change(
                types.DidChangeTextDocumentParams(
                    text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=version),
                    content_changes=[types.TextDocumentContentChangeWholeDocument(text="\n".join(lines))],
                )
            )
            waits.append(await published_version(version) - sent - debounce)
        await client.shutdown_async(None)
        client.exit(None)
    finally:
        await client.stop()
    return cold, waits


def report(name: str, text: str, cold: float, waits: list[float]) -> None:
    ordered = sorted(waits)
    p90 = ordered[max(0, round(0.9 * len(ordered)) - 1)]
    print(
        f"{name}: {len(text.split()):,} words; first diagnostics {cold:.2f} s (server start, spaCy load); "
        f"after the debounce: median {statistics.median(waits):.3f} s, p90 {p90:.3f} s, "
        f"slowest {ordered[-1]:.3f} s over {len(waits)} edits"
    )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--edits", type=int, default=15)
    parser.add_argument("--debounce", type=float, default=0.3)
    parser.add_argument("--corpus", action="store_true", help="the real corpus documents of 1,800+ words")
    args = parser.parse_args()
    documents = corpus_documents() if args.corpus else [("own 2,000-word post-mortem", own_document())]
    if not documents:
        sys.exit(f"no corpus documents of 1,800+ words in {CORPUS}")
    for name, text in documents:
        # An empty folder: the default configuration, no baseline.
        with tempfile.TemporaryDirectory() as folder:
            cold, waits = asyncio.run(
                measure(text, edits=args.edits, debounce=args.debounce, folder=Path(folder))
            )
        report(name, text, cold, waits)


if __name__ == "__main__":
    main()
