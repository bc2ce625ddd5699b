"""``pmcheck lsp``: a language server over stdio (pygls).

Documents are checked on open and save at once, and on change after a pause in typing (the
debounce). Checks run on one worker thread, so the event loop never waits for them, the spaCy
pipeline is loaded once and shared, and a newer edit simply outdates an older check. Each file is
checked under the config and baseline that govern it, found by walking up from it as ``pmcheck
check`` does, so every workspace folder keeps its own settings.
"""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from lsprotocol import types
from pygls.lsp.server import LanguageServer
from pygls.uris import to_fs_path

from pmcheck import __version__
from pmcheck.api import Checker
from pmcheck.baseline import filter_findings, find_baseline, load, relative_path
from pmcheck.config_files import CONFIG_NAMES
from pmcheck.engine import check_text
from pmcheck.errors import PmcheckError
from pmcheck.finding import Finding
from pmcheck.fix import Fix, fix_text
from pmcheck.lsp import convert
from pmcheck.pyproject import PYPROJECT
from pmcheck.ruledocs import explain_text

_SETTINGS_FILES = {*CONFIG_NAMES, PYPROJECT, ".pmcheck-baseline.json"}
_WARM_UP = "# Warm-up\n\n## Summary\n\nThe cache was restarted after the deploy.\n"


@dataclass(frozen=True)
class Checked:
    """One version of a document as last checked: its findings and its lines."""

    version: int | None
    findings: list[Finding]
    lines: list[str]
    problem: str | None = None  # a config, pack or baseline error to show instead of findings


class PmcheckServer(LanguageServer):
    def __init__(self, *, debounce: float) -> None:
        super().__init__(
            "pmcheck", __version__, text_document_sync_kind=types.TextDocumentSyncKind.Incremental
        )
        self.debounce = debounce
        self.worker = ThreadPoolExecutor(max_workers=1, thread_name_prefix="pmcheck-check")
        self.checker = Checker()
        self.checked: dict[str, Checked] = {}
        self.pending: dict[str, asyncio.Task[None]] = {}

    def path_of(self, uri: str) -> Path:
        """The file a document is, or for an unsaved one a name in the first workspace folder."""
        path = to_fs_path(uri) if uri.startswith("file:") else None
        if path:
            return Path(path)
        folders = list(self.workspace.folders.values())
        root = to_fs_path(folders[0].uri) if folders else None
        return Path(root or Path.cwd()) / "untitled.md"

    def check(self, uri: str, text: str, version: int | None) -> Checked:
        """Check one version of a document (on the worker thread): findings less the baseline's."""
        path = self.path_of(uri)
        lines = text.split("\n")
        try:
            ruleset = self.checker.ruleset_for(path)
            findings = check_text(text, str(path), ruleset).findings
            findings = _without_baselined(path, findings, lines)
        except PmcheckError as exc:
            return Checked(version, [], lines, problem=str(exc))
        return Checked(version, findings, lines)

    def fixes(self, uri: str, text: str) -> tuple[Fix, ...]:
        """What `pmcheck fix` would insert (on the worker thread, asked for only with a light bulb)."""
        path = self.path_of(uri)
        try:
            return fix_text(text, path=str(path), ruleset=self.checker.ruleset_for(path)).fixes
        except PmcheckError:
            return ()

    async def refresh(self, uri: str, *, wait: float = 0.0) -> None:
        """Check the document's current text (after ``wait``) and publish, unless an edit outdated it."""
        if wait:
            await asyncio.sleep(wait)
        document = self.workspace.get_text_document(uri)
        text, version = document.source, document.version
        loop = asyncio.get_running_loop()
        result = await loop.run_in_executor(self.worker, self.check, uri, text, version)
        current = self.workspace.get_text_document(uri)
        if current.version != version or current.source != text:
            return
        self.checked[uri] = result
        if result.problem:
            self.window_show_message(
                types.ShowMessageParams(types.MessageType.Error, f"pmcheck: {result.problem}")
            )
        diagnostics = [convert.diagnostic(finding, result.lines) for finding in result.findings]
        self.text_document_publish_diagnostics(
            types.PublishDiagnosticsParams(uri=uri, diagnostics=diagnostics, version=version)
        )

    def schedule(self, uri: str, *, wait: float) -> None:
        previous = self.pending.pop(uri, None)
        if previous is not None:
            previous.cancel()
        self.pending[uri] = asyncio.ensure_future(self.refresh(uri, wait=wait))

    def reset(self) -> None:
        """Forget rule sets built for configs, after a config or baseline file was saved (configs
        themselves are read again whenever their file changes)."""
        self.checker = Checker()


def _without_baselined(path: Path, findings: list[Finding], lines: list[str]) -> list[Finding]:
    source = find_baseline(path)
    if source is None:
        return findings
    baseline = load(source)
    where = relative_path(path, baseline)
    return findings if where is None else filter_findings(where, findings, lines, baseline).kept


def build_server(*, debounce: float = 0.3) -> PmcheckServer:
    server = PmcheckServer(debounce=debounce)

    @server.feature(types.INITIALIZED)
    async def initialized(ls: PmcheckServer, _params: types.InitializedParams) -> None:
        # Load the spaCy pipeline now, off the event loop, so the first document does not wait for it.
        loop = asyncio.get_running_loop()
        await loop.run_in_executor(ls.worker, ls.check, "untitled:warm-up", _WARM_UP, None)

    @server.feature(types.TEXT_DOCUMENT_DID_OPEN)
    async def did_open(ls: PmcheckServer, params: types.DidOpenTextDocumentParams) -> None:
        ls.schedule(params.text_document.uri, wait=0)

    @server.feature(types.TEXT_DOCUMENT_DID_CHANGE)
    async def did_change(ls: PmcheckServer, params: types.DidChangeTextDocumentParams) -> None:
        ls.schedule(params.text_document.uri, wait=ls.debounce)

    @server.feature(types.TEXT_DOCUMENT_DID_SAVE)
    async def did_save(ls: PmcheckServer, params: types.DidSaveTextDocumentParams) -> None:
        if ls.path_of(params.text_document.uri).name in _SETTINGS_FILES:
            ls.reset()
            for uri in list(ls.checked):
                ls.schedule(uri, wait=0)
            return
        ls.schedule(params.text_document.uri, wait=0)

    @server.feature(types.TEXT_DOCUMENT_DID_CLOSE)
    async def did_close(ls: PmcheckServer, params: types.DidCloseTextDocumentParams) -> None:
        uri = params.text_document.uri
        task = ls.pending.pop(uri, None)
        if task is not None:
            task.cancel()
        ls.checked.pop(uri, None)
        ls.text_document_publish_diagnostics(types.PublishDiagnosticsParams(uri=uri, diagnostics=[]))

    @server.feature(
        types.TEXT_DOCUMENT_CODE_ACTION,
        types.CodeActionOptions(code_action_kinds=[types.CodeActionKind.QuickFix]),
    )
    async def code_action(ls: PmcheckServer, params: types.CodeActionParams) -> list[types.CodeAction]:
        uri = params.text_document.uri
        checked = ls.checked.get(uri)
        if checked is None:
            return []
        diagnostics = [
            convert.diagnostic(finding, checked.lines)
            for finding in checked.findings
            if convert.overlaps(convert.finding_range(finding, checked.lines), params.range)
        ]
        text = "\n".join(checked.lines)
        loop = asyncio.get_running_loop()
        fixes = await loop.run_in_executor(ls.worker, ls.fixes, uri, text) if diagnostics else ()
        actions = convert.fix_actions(uri, text, fixes, diagnostics)
        for found in diagnostics:
            action = convert.suppress_action(uri, checked.lines, found)
            if action is not None:
                actions.append(action)
        return actions

    @server.feature(types.TEXT_DOCUMENT_HOVER)
    def hover(ls: PmcheckServer, params: types.HoverParams) -> types.Hover | None:
        checked = ls.checked.get(params.text_document.uri)
        if checked is None:
            return None
        here = [
            finding
            for finding in checked.findings
            if convert.covers(convert.finding_range(finding, checked.lines), params.position)
        ]
        if not here:
            return None
        ruleset = ls.checker.ruleset_for(ls.path_of(params.text_document.uri))
        pages = []
        for rule_id in dict.fromkeys(finding.rule_id for finding in here):
            rule = ruleset.find(rule_id)
            if rule is not None:
                link = f"\n\n[{rule.id} {rule.name} documentation]({rule.url})" if rule.url else ""
                pages.append(explain_text(rule) + link)
        if not pages:
            return None
        return types.Hover(types.MarkupContent(types.MarkupKind.Markdown, "\n\n---\n\n".join(pages)))

    @server.feature(types.SHUTDOWN)
    def shutdown(ls: PmcheckServer, _params: None) -> None:
        for task in ls.pending.values():
            task.cancel()
        ls.worker.shutdown(wait=False, cancel_futures=True)

    return server


def serve(*, debounce: float = 0.3) -> None:
    build_server(debounce=debounce).start_io()
