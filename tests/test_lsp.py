"""The language server, driven as an editor drives it: a real `pmcheck lsp` process over stdio."""

from __future__ import annotations

import asyncio
import json
import sys
from collections.abc import Awaitable, Callable
from pathlib import Path

from lsprotocol import types
from pygls.lsp.client import LanguageClient
from pygls.uris import from_fs_path
from samples import queue_backlog

DOCUMENT = queue_backlog(vague_action=False)
VAGUE = "- Improve monitoring\n"


class Editor:
    """A pygls client with the diagnostics it has been sent, waited for by document version."""

    def __init__(self, client: LanguageClient) -> None:
        self.client = client
        self.published: dict[str, list[types.PublishDiagnosticsParams]] = {}
        self.arrived = asyncio.Event()

        self.messages: list[str] = []

        @client.feature(types.WINDOW_SHOW_MESSAGE)
        def _message(params: types.ShowMessageParams) -> None:
            self.messages.append(params.message)

        @client.feature(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
        def _diagnostics(params: types.PublishDiagnosticsParams) -> None:
            self.published.setdefault(params.uri, []).append(params)
            self.arrived.set()

    async def diagnostics(self, uri: str, version: int, timeout: float = 120) -> list[types.Diagnostic]:
        async def wait() -> list[types.Diagnostic]:
            while True:
                for params in self.published.get(uri, []):
                    if params.version == version:
                        return list(params.diagnostics)
                self.arrived.clear()
                await self.arrived.wait()

        return await asyncio.wait_for(wait(), timeout)

    async def actions(self, uri: str, found: types.Diagnostic) -> list[types.Command | types.CodeAction]:
        """The code actions the server offers at a diagnostic, as an editor asks for its light bulb."""
        actions = await self.client.text_document_code_action_async(
            types.CodeActionParams(
                text_document=types.TextDocumentIdentifier(uri=uri),
                range=found.range,
                context=types.CodeActionContext(diagnostics=[found]),
            )
        )
        assert actions is not None
        return actions


def in_editor(tmp_path: Path, scenario: Callable[[Editor], Awaitable[None]]) -> None:
    """Start the server, initialise it for ``tmp_path``, play ``scenario``, then shut it down."""

    async def session() -> None:
        client = LanguageClient("pmcheck-tests", "1")
        editor = Editor(client)
        await client.start_io(sys.executable, "-m", "pmcheck", "lsp", "--debounce", "0.2")
        try:
            await client.initialize_async(
                types.InitializeParams(
                    capabilities=types.ClientCapabilities(),
                    workspace_folders=[types.WorkspaceFolder(uri=from_fs_path(str(tmp_path)), name="docs")],
                )
            )
            client.initialized(types.InitializedParams())
            await scenario(editor)
            await client.shutdown_async(None)
            client.exit(None)
        finally:
            # After a failed step the server may still be running: end it rather than wait for it.
            if client._server is not None and client._server.returncode is None:
                await asyncio.sleep(0.5)
                if client._server.returncode is None:
                    client._server.kill()
            await client.stop()

    asyncio.run(session())


def _open(editor: Editor, path: Path, text: str) -> str:
    uri = from_fs_path(str(path))
    assert uri is not None
    editor.client.text_document_did_open(
        types.DidOpenTextDocumentParams(
            text_document=types.TextDocumentItem(uri=uri, language_id="markdown", version=1, text=text)
        )
    )
    return uri


def _codes(diagnostics: list[types.Diagnostic]) -> list[str]:
    return sorted(str(d.code).split()[0] for d in diagnostics)


def test_diagnostics_follow_edits_and_offer_fixes_and_suppressions(tmp_path: Path) -> None:
    in_editor(
        tmp_path, lambda editor: _diagnostics_follow_edits_and_offer_fixes_and_suppressions(editor, tmp_path)
    )


async def _diagnostics_follow_edits_and_offer_fixes_and_suppressions(editor: Editor, tmp_path: Path) -> None:
    path = tmp_path / "postmortems" / "checkout.md"
    path.parent.mkdir()
    path.write_text(DOCUMENT)
    uri = _open(editor, path, DOCUMENT)
    assert await editor.diagnostics(uri, 1) == []

    # Typing a vague, ownerless action and dropping the impact section: two new problems appear.
    edited = (
        DOCUMENT.replace("## Impact\n\nAbout 18,000 customers received their e-mail late.\n\n", "") + VAGUE
    )
    editor.client.text_document_did_change(
        types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=2),
            content_changes=[types.TextDocumentContentChangeWholeDocument(text=edited)],
        )
    )
    found = await editor.diagnostics(uri, 2)
    assert {"PM005", "PM031", "PM032", "PM034"} <= set(_codes(found))
    owner = next(d for d in found if str(d.code).startswith("PM031"))
    last = len(edited.split("\n")) - 2
    assert owner.range.start == types.Position(last, 0)
    assert owner.severity == types.DiagnosticSeverity.Error
    assert owner.source == "pmcheck" and "no owner" in owner.message
    assert owner.code_description is not None
    assert owner.code_description.href.endswith("/docs/rules/action-owner.md")

    actions = await editor.actions(uri, owner)
    titles = [action.title for action in actions if isinstance(action, types.CodeAction)]
    assert "Suppress PM031 action-owner on this line" in titles
    suppress = next(a for a in actions if isinstance(a, types.CodeAction) and "PM031" in a.title)
    assert suppress.edit is not None and suppress.edit.changes is not None
    [edit] = suppress.edit.changes[uri]
    assert edit.new_text == " <!-- pmcheck-disable-line PM031 -->"
    assert edit.range.start == types.Position(last, len("- Improve monitoring"))

    # The missing impact section: `pmcheck fix` adds it, so the editor offers it as a quick fix.
    missing = next(d for d in found if str(d.code).startswith("PM005"))
    actions = await editor.actions(uri, missing)
    fixes = [a for a in actions if isinstance(a, types.CodeAction) and a.title.startswith("pmcheck fix:")]
    assert fixes and "impact" in fixes[0].title.lower()
    assert fixes[0].edit is not None and fixes[0].edit.changes is not None
    inserted = "".join(edit.new_text for edit in fixes[0].edit.changes[uri])
    assert "## Impact" in inserted

    hover = await editor.client.text_document_hover_async(
        types.HoverParams(text_document=types.TextDocumentIdentifier(uri=uri), position=owner.range.start)
    )
    assert hover is not None and isinstance(hover.contents, types.MarkupContent)
    assert "## Why it matters" in hover.contents.value and "PM031 action-owner" in hover.contents.value


def test_each_workspace_folder_keeps_its_config_and_baseline(tmp_path: Path) -> None:
    in_editor(tmp_path, lambda editor: _each_workspace_folder_keeps_its_config_and_baseline(editor, tmp_path))


async def _each_workspace_folder_keeps_its_config_and_baseline(editor: Editor, tmp_path: Path) -> None:
    strict, relaxed = tmp_path / "strict", tmp_path / "relaxed"
    for folder in (strict, relaxed):
        folder.mkdir()
    (relaxed / ".pmcheck.yml").write_text("rules:\n  action-owner: off\n")
    text = DOCUMENT + VAGUE
    uri_strict = _open(editor, strict / "a.md", text)
    uri_relaxed = _open(editor, relaxed / "a.md", text)
    assert "PM031" in _codes(await editor.diagnostics(uri_strict, 1))
    assert "PM031" not in _codes(await editor.diagnostics(uri_relaxed, 1))
    # The config edited outside the editor applies from the next check on.
    (relaxed / ".pmcheck.yml").write_text("rules:\n  vague-action: off\n")
    editor.client.text_document_did_change(
        types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri=uri_relaxed, version=2),
            content_changes=[types.TextDocumentContentChangeWholeDocument(text=text)],
        )
    )
    changed = _codes(await editor.diagnostics(uri_relaxed, 2))
    assert "PM031" in changed and "PM034" not in changed

    # A baseline beside the document holds its old findings back.
    (strict / "b.md").write_text(text)
    baseline = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "pmcheck", "baseline", "b.md", cwd=strict
    )
    assert await baseline.wait() == 0
    assert json.loads((strict / ".pmcheck-baseline.json").read_text())["findings"]
    uri_b = _open(editor, strict / "b.md", text)
    assert await editor.diagnostics(uri_b, 1) == []


def test_a_broken_config_is_shown_not_fatal(tmp_path: Path) -> None:
    in_editor(tmp_path, lambda editor: _a_broken_config_is_shown_not_fatal(editor, tmp_path))


async def _a_broken_config_is_shown_not_fatal(editor: Editor, tmp_path: Path) -> None:
    (tmp_path / ".pmcheck.yml").write_text("rules: [\n")
    uri = _open(editor, tmp_path / "a.md", DOCUMENT)
    assert await editor.diagnostics(uri, 1) == []
    assert any(".pmcheck.yml:" in message and "invalid YAML" in message for message in editor.messages)
    # The server is still answering.
    fine = tmp_path / "ok"
    fine.mkdir()
    (fine / ".pmcheck.yml").write_text("fail_on: error\n")
    uri_ok = _open(editor, fine / "b.md", DOCUMENT + VAGUE)
    assert "PM031" in _codes(await editor.diagnostics(uri_ok, 1))
