"""The shipped packs' parsed form is kept, as bytecode is, and gives exactly what parsing gives."""

from __future__ import annotations

import dataclasses
import json
import os
import pickle
import subprocess
import sys
from pathlib import Path

import pytest

from pmcheck import kept_yaml, rulepack
from pmcheck.errors import RulePackError
from pmcheck.kept_yaml import load_kept
from pmcheck.packpath import builtin_pack_dir
from pmcheck.rules import KINDS
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
        for validated in folder.glob("*.validated.pickle"):
            validated.unlink()  # served from the parsed entry, validated again
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


def test_the_shipped_packs_are_kept_validated_and_served_with_the_same_rules(folder: Path) -> None:
    for path in sorted(builtin_pack_dir().glob("*.yml")):
        rulepack.load_pack.cache_clear()
        validated = rulepack.load_pack(path)  # validates, writes the entry
        (entry,) = folder.glob(f"{path.stem}.pmcheck-*.validated.pickle")
        rulepack.load_pack.cache_clear()
        served = rulepack.load_pack(path)
        assert served is not validated and served == validated
        # Kinds come back as the registered ones, so checks and `needs_nlp` are the kinds' own.
        assert all(rule.kind is KINDS[rule.kind.name] for rule in served.rules)
        # The entry is what is read: a pack stored there (here changed by hand) comes back.
        changed = dataclasses.replace(validated, source="from-the-entry")
        entry.write_bytes(rulepack._dump_pack(changed))
        rulepack.load_pack.cache_clear()
        assert rulepack.load_pack(path).source == "from-the-entry"
    rulepack.load_pack.cache_clear()


def test_a_damaged_validated_entry_is_ignored_and_written_anew(folder: Path) -> None:
    path = builtin_pack_dir() / "default.yml"
    rulepack.load_pack.cache_clear()
    first = rulepack.load_pack(path)
    (entry,) = folder.glob("default.pmcheck-*.validated.pickle")
    for damage in (entry.read_bytes()[:100], b"", pickle.dumps({"pack": "not a pack"})):
        entry.write_bytes(damage)
        rulepack.load_pack.cache_clear()
        assert rulepack.load_pack(path) == first
        assert rulepack._load_pack(entry.read_bytes()) == first
    rulepack.load_pack.cache_clear()


def test_validators_that_change_give_a_new_entry_in_place_of_the_old(
    folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = builtin_pack_dir() / "default.yml"
    rulepack.load_pack.cache_clear()
    first = rulepack.load_pack(path)
    (before,) = folder.glob("default.pmcheck-*.validated.pickle")
    monkeypatch.setattr(kept_yaml, "_validators", lambda _sources: "another pmcheck or pydantic")
    rulepack.load_pack.cache_clear()
    assert rulepack.load_pack(path) == first
    (after,) = folder.glob("default.pmcheck-*.validated.pickle")
    assert after != before
    rulepack.load_pack.cache_clear()


def test_no_validated_entry_where_python_writes_no_bytecode(
    folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sys, "dont_write_bytecode", True)
    rulepack.load_pack.cache_clear()
    rulepack.load_pack(builtin_pack_dir() / "default.yml")
    assert not folder.exists()
    rulepack.load_pack.cache_clear()


def test_a_check_with_kept_packs_and_no_config_imports_no_pydantic(tmp_path: Path) -> None:
    # Written for this test: prose with no structure and no word an NLP rule looks for.
    document = tmp_path / "latency.md"
    document.write_text("# Latency report\n\nLatency rose at noon. Throughput recovered.\n", encoding="utf-8")
    script = (
        "import sys; from pathlib import Path; from pmcheck import kept_yaml; "
        f"kept_yaml.FOLDER = Path({str(tmp_path / 'kept')!r}); from pmcheck.cli import main; "
        "code = main(['check', '--no-cache', '--no-source', sys.argv[1]]); "
        "print('\\n'.join(sorted(sys.modules)), file=sys.stderr); raise SystemExit(code)"
    )
    env = {name: value for name, value in os.environ.items() if name != "PYTHONDONTWRITEBYTECODE"}
    runs = [
        subprocess.run(
            [sys.executable, "-c", script, str(document)],
            cwd=tmp_path,
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
        for _ in range(2)
    ]
    assert [run.stdout for run in runs] == [runs[0].stdout] * 2 and "PM030" in runs[0].stdout
    assert "pydantic" in runs[0].stderr.split()  # the first run validates the packs
    assert "pydantic" not in runs[1].stderr.split()


def test_a_kind_whose_code_changes_gives_a_new_entry(
    tmp_path: Path, folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Every kind's options and check are followed, wherever the kind is defined.
    sources = rulepack._kind_sources()
    for kind in KINDS.values():
        for code in (kind.options, kind.check):
            assert Path(str(sys.modules[code.__module__].__file__)).resolve() in sources
    module = tmp_path / "kind.py"
    module.write_text("MIN = 1\n", encoding="utf-8")
    monkeypatch.setattr(rulepack, "_kind_sources", lambda: (module,))
    path = builtin_pack_dir() / "default.yml"
    rulepack.load_pack.cache_clear()
    rulepack.load_pack(path)
    (before,) = folder.glob("default.pmcheck-*.validated.pickle")
    module.write_text("MIN = 2\n", encoding="utf-8")
    kept_yaml._validators.cache_clear()  # a new process reads the sources again
    rulepack.load_pack.cache_clear()
    rulepack.load_pack(path)
    (after,) = folder.glob("default.pmcheck-*.validated.pickle")
    assert after != before
    rulepack.load_pack.cache_clear()
