"""The shipped packs' parsed form is kept, as bytecode is, and gives exactly what parsing gives."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from pmcheck import kept_yaml, rulepack
from pmcheck.errors import RulePackError
from pmcheck.kept_yaml import load_kept
from pmcheck.packpath import builtin_pack_dir
from pmcheck.yamlfile import load_yaml

# Written for this test: a pack-shaped file with an alias, a nested list and a line per key.
PACK = """\
pack: kept
sections:
  impact: &names [impact, customer impact]
  summary: *names
rules:
  - id: KP001
    name: kept.words
    options: {words: [a, b], limit: 3, ratio: 0.5, strict: true, none: null}
"""


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    kept = tmp_path / "kept"
    monkeypatch.setattr(kept_yaml, "FOLDER", kept)
    monkeypatch.setattr(sys, "dont_write_bytecode", False)
    return kept


def test_a_kept_entry_gives_what_parsing_gives_and_is_what_is_read(tmp_path: Path, folder: Path) -> None:
    pack = tmp_path / "pack.yml"
    pack.write_text(PACK, encoding="utf-8")
    parsed = load_yaml(pack, RulePackError)
    first = load_kept(pack, RulePackError)
    (entry,) = folder.glob("pack.pmcheck-*.json")
    second = load_kept(pack, RulePackError)
    assert first == parsed and second == parsed
    assert second.lines[("rules", 0, "options", "ratio")] == 8
    # The entry is read: what it holds comes back (here changed by hand, as no run would change it).
    stored = json.loads(entry.read_text(encoding="utf-8"))
    stored["data"]["pack"] = "from-the-entry"
    entry.write_text(json.dumps(stored), encoding="utf-8")
    assert load_kept(pack, RulePackError).data["pack"] == "from-the-entry"


def test_a_changed_pack_is_parsed_again_and_replaces_its_entry(tmp_path: Path, folder: Path) -> None:
    pack = tmp_path / "pack.yml"
    pack.write_text(PACK, encoding="utf-8")
    load_kept(pack, RulePackError)
    pack.write_text(PACK.replace("limit: 3", "limit: 4"), encoding="utf-8")
    loaded = load_kept(pack, RulePackError)
    assert loaded.data["rules"][0]["options"]["limit"] == 4
    assert len(list(folder.glob("pack.pmcheck-*.json"))) == 1


def test_a_damaged_entry_is_ignored_and_written_anew(tmp_path: Path, folder: Path) -> None:
    pack = tmp_path / "pack.yml"
    pack.write_text(PACK, encoding="utf-8")
    load_kept(pack, RulePackError)
    (entry,) = folder.glob("pack.pmcheck-*.json")
    entry.write_bytes(b'{"data": {"pack": "half')
    assert load_kept(pack, RulePackError) == load_yaml(pack, RulePackError)
    assert json.loads(entry.read_text(encoding="utf-8"))["data"]["pack"] == "kept"


@pytest.mark.parametrize(
    "text",
    ["when: 2026-03-01\n", "1: one\n", "ratio: 1.0\n", "flag: yes\n"],
    ids=["date", "int-key", "float", "yaml-1.1-bool"],
)
def test_only_what_json_gives_back_exactly_is_kept(tmp_path: Path, folder: Path, text: str) -> None:
    pack = tmp_path / "pack.yml"
    pack.write_text(text, encoding="utf-8")
    loaded = load_kept(pack, RulePackError)
    again = load_kept(pack, RulePackError)
    assert again == loaded == load_yaml(pack, RulePackError)
    assert [type(value) for value in again.data.values()] == [type(value) for value in loaded.data.values()]
    written = list(folder.glob("pack.pmcheck-*.json"))
    assert bool(written) == (text in ("ratio: 1.0\n", "flag: yes\n"))


def test_nothing_is_written_where_python_writes_no_bytecode(
    tmp_path: Path, folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sys, "dont_write_bytecode", True)
    pack = tmp_path / "pack.yml"
    pack.write_text(PACK, encoding="utf-8")
    assert load_kept(pack, RulePackError) == load_yaml(pack, RulePackError)
    assert not folder.exists()


def test_the_shipped_packs_compile_to_the_same_rules_from_their_entries(folder: Path) -> None:
    for path in sorted(builtin_pack_dir().glob("*.yml")):
        rulepack.load_pack.cache_clear()
        parsed = rulepack.load_pack(path)  # writes the entry
        assert list(folder.glob(f"{path.stem}.pmcheck-*.json")), path
        rulepack.load_pack.cache_clear()
        served = rulepack.load_pack(path)
        assert served.spec == parsed.spec
        assert [(rule.id, rule.source, rule.options, rule.preview_options) for rule in served.rules] == [
            (rule.id, rule.source, rule.options, rule.preview_options) for rule in parsed.rules
        ]
    rulepack.load_pack.cache_clear()


def test_a_repository_pack_is_never_kept(tmp_path: Path, folder: Path) -> None:
    pack = tmp_path / "team.yml"
    pack.write_text(PACK.split("    options:")[0], encoding="utf-8")
    with pytest.raises(RulePackError):
        rulepack.load_pack(pack)  # the rule lacks its kind: the pack is refused, as before
    assert not folder.exists()
