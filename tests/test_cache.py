"""The result cache: re-runs reuse findings, and exactly what changed is checked again."""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from samples import queue_backlog

from pmcheck.api import Checker
from pmcheck.cache import ResultCache, tool_fingerprint
from pmcheck.cached_check import open_cache
from pmcheck.cli import main
from pmcheck.config import load_config
from pmcheck.rulepack import load_pack

PMCHECK = Path(sys.executable).with_name("pmcheck")
SRC = Path(__file__).resolve().parents[1] / "src" / "pmcheck"


def documents(folder: Path, count: int = 4) -> list[Path]:
    paths = []
    for index in range(count):
        path = folder / "docs" / f"incident-{index}.md"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(queue_backlog().replace("Queue backlog", f"Queue backlog {index}"))
        paths.append(path)
    return paths


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A project with a config (the default pack) and four post-mortems; the tests run inside it."""
    (tmp_path / ".pmcheck.yml").write_text("packs: [default]\n")
    documents(tmp_path)
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("PMCHECK_CACHE_DIR", raising=False)
    return tmp_path


def check(paths: list[Path], **options: object) -> tuple[ResultCache, list[str]]:
    """Check through the public API with a cache; the cache tells what it served and what it missed."""
    # Each run stands for a new process: configs and packs are read again.
    load_config.cache_clear()
    load_pack.cache_clear()
    checker = Checker(**options)  # type: ignore[arg-type]
    checker.cache = open_cache(checker, paths, None)
    reports = checker.check_paths(paths)
    lines = [f"{f.path}:{f.line}: {f.rule_id} {f.message}" for r in reports for f in r.findings]
    return checker.cache, lines


def entries(root: Path) -> list[Path]:
    return sorted(root.glob("*/results/*/*.json"))


def cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    code = main(["check", *args])
    return code, capsys.readouterr().out


def test_a_rerun_serves_every_file_from_the_cache_with_the_same_output(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    first = cli(capsys, "docs")
    cache_root = project / ".pmcheck_cache"
    assert (cache_root / "CACHEDIR.TAG").read_text().startswith("Signature: 8a477f597d28d172789f06886806bc55")
    assert (cache_root / ".gitignore").read_text().splitlines()[-1] == "*"
    assert len(entries(cache_root)) == 4
    assert cli(capsys, "docs") == first
    assert first[0] == 1 and "PM031 action-owner" in first[1]
    cache, _lines = check([Path("docs")])
    assert (cache.hits, cache.misses) == (4, 0)


def test_changing_one_document_checks_only_that_one_again(project: Path) -> None:
    check([Path("docs")])
    changed = project / "docs" / "incident-2.md"
    changed.write_text(changed.read_text().replace("- Improve monitoring\n", ""))
    cache, lines = check([Path("docs")])
    assert (cache.hits, cache.misses) == (3, 1)
    assert not any("incident-2.md" in line and "PM031" in line for line in lines)
    assert sum("PM031" in line for line in lines) == 3
    # The same bytes written again (a new modification time) are still a hit: content is the key.
    os.utime(project / "docs" / "incident-0.md", (1, 1))
    cache, _lines = check([Path("docs")])
    assert (cache.hits, cache.misses) == (4, 0)


def test_a_config_change_invalidates_the_files_it_governs_and_no_others(project: Path) -> None:
    other = project / "team-b"
    (other / "docs").mkdir(parents=True)
    shutil.copy(project / "docs" / "incident-0.md", other / "docs" / "incident-b.md")
    (other / ".pmcheck.yml").write_text("packs: [default]\n")
    paths = [Path("docs"), Path("team-b/docs")]
    check(paths)
    (other / ".pmcheck.yml").write_text("packs: [default]\nrules:\n  PM031: warning\n")
    cache, lines = check(paths)
    assert (cache.hits, cache.misses) == (4, 1)
    assert check(paths)[0].misses == 0
    # Sections that only other commands read keep every entry.
    (other / ".pmcheck.yml").write_text(
        "packs: [default]\nrules:\n  PM031: warning\ngithub:\n  labels: [incident]\n"
    )
    assert check(paths)[0].misses == 0
    # The command line's rule choices are part of the key too.
    cache, lines = check(paths, ignore=["PM031"])
    assert (cache.hits, cache.misses) == (0, 5)
    assert not any("PM031" in line for line in lines)


def test_a_changed_rule_pack_invalidates_the_files_that_use_it(project: Path) -> None:
    pack = project / "house.yml"
    builtin = (SRC.parents[1] / "rules" / "default.yml").read_text()
    pack.write_text(builtin.replace("pack: default", "pack: house"))
    (project / ".pmcheck.yml").write_text("packs: [house.yml]\n")
    check([Path("docs")])
    assert check([Path("docs")])[0].misses == 0
    pack.write_text(pack.read_text().replace("corrective action has no owner", "action without owner"))
    cache, lines = check([Path("docs")])
    assert (cache.hits, cache.misses) == (0, 4)
    assert any("action without owner" in line for line in lines)


def test_a_change_to_pmcheck_itself_gives_a_new_fingerprint_and_a_fresh_cache(
    project: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    copy = tmp_path_factory.mktemp("package") / "pmcheck"
    shutil.copytree(SRC, copy, ignore=shutil.ignore_patterns("__pycache__"))
    before = tool_fingerprint.__wrapped__(copy)
    assert tool_fingerprint.__wrapped__(copy) == before
    (copy / "engine.py").write_text((copy / "engine.py").read_text() + "\n# changed\n")
    assert tool_fingerprint.__wrapped__(copy) != before
    check([Path("docs")])
    stale = ResultCache(project / ".pmcheck_cache", tool_fingerprint.__wrapped__(copy))
    checker = Checker()
    checker.cache = stale
    checker.check_paths([Path("docs")])
    assert (stale.hits, stale.misses) == (0, 4)


def test_entries_of_date_reading_rules_hold_for_their_day_only(project: Path) -> None:
    root = project / ".pmcheck_cache"
    for select, expected_misses in ((["PM031", "PM032"], 4), (["PM031"], 0)):
        today = ResultCache(root, "t" * 64, today=dt.date(2026, 3, 1))
        checker = Checker(select=select)
        checker.cache = today
        checker.check_paths([Path("docs")])
        tomorrow = ResultCache(root, "t" * 64, today=dt.date(2026, 3, 2))
        checker = Checker(select=select)
        checker.cache = tomorrow
        checker.check_paths([Path("docs")])
        assert tomorrow.misses == expected_misses, select


def test_a_damaged_entry_is_ignored_and_written_again(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    first = cli(capsys, "docs")
    damaged = entries(project / ".pmcheck_cache")
    damaged[0].write_text('{"today": null, "findings": [{"path"')
    damaged[1].write_text('{"today": null, "findings": [{"no": "such field"}], "notices": []}')
    damaged[2].write_bytes(b"\x00\xff")
    assert cli(capsys, "docs") == first
    for entry in damaged[:3]:
        assert json.loads(entry.read_text())["findings"]
    assert check([Path("docs")])[0].misses == 0


def test_no_cache_reads_and_writes_nothing(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out = cli(capsys, "--no-cache", "docs")
    assert code == 1 and "PM031" in out
    assert not (project / ".pmcheck_cache").exists()


def test_the_cache_folder_can_be_chosen_by_option_or_environment(
    project: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    cli(capsys, "--cache-dir", str(tmp_path / "by-option"), "docs")
    monkeypatch.setenv("PMCHECK_CACHE_DIR", str(tmp_path / "by-env"))
    cli(capsys, "docs")
    assert len(entries(tmp_path / "by-option")) == 4
    assert len(entries(tmp_path / "by-env")) == 4
    assert (tmp_path / "by-env" / "CACHEDIR.TAG").is_file()
    assert not (project / ".pmcheck_cache").exists()


def test_secrets_in_excerpts_are_redacted_in_the_cache(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    token = "ghp_" + "a1B2c3D4e5" * 4
    path = project / "docs" / "incident-0.md"
    text = path.read_text().replace(
        "- Improve monitoring\n", f"- Improve monitoring by adding the bot token {token} to the probe\n"
    )
    path.write_text(text)
    _code, out = cli(capsys, "docs/incident-0.md")
    assert "PM034" in out  # the vague action's excerpt is the line that holds the token
    stored = "".join(entry.read_text() for entry in entries(project / ".pmcheck_cache"))
    assert "PM034" in stored and "ghp_" in stored
    assert token not in stored


def test_concurrent_runs_agree_and_leave_only_whole_entries(project: Path) -> None:
    more = documents(project, 12)
    assert len(more) == 12
    runs = [
        subprocess.Popen(
            [str(PMCHECK), "check", "--no-source", "docs"],
            cwd=project,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(4)
    ]
    outputs = [run.communicate(timeout=300) for run in runs]
    assert [run.returncode for run in runs] == [1, 1, 1, 1], outputs
    assert len({out for out, _err in outputs}) == 1
    assert "in 12 of 12 files" in outputs[0][0]
    stored = entries(project / ".pmcheck_cache")
    assert len(stored) == 12
    for entry in stored:
        assert json.loads(entry.read_text())["findings"]
    assert not list((project / ".pmcheck_cache").rglob(".tmp-*"))


def test_check_imports_no_github_report_or_fix_code(project: Path) -> None:
    script = (
        "import sys; from pmcheck.cli import main; main(['check', '--no-source', 'docs']); "
        "print('\\n'.join(sorted(sys.modules)))"
    )
    for _run in range(2):  # the first run fills the cache, the second is served from it
        done = subprocess.run(
            [sys.executable, "-c", script], cwd=project, capture_output=True, text=True, check=True
        )
        modules = set(done.stdout.split())
        assert "pmcheck.engine" in modules
        packages = ("pmcheck.github", "pmcheck.learning_report", "pmcheck.fix", "github", "pmcheck.commands")
        unwanted = {
            name for name in modules if name in packages or name.startswith(tuple(f"{p}." for p in packages))
        }
        allowed = {
            "pmcheck.commands",
            "pmcheck.commands.check",
            "pmcheck.commands.shared",
        }
        assert unwanted <= allowed and "pmcheck.commands.check" in unwanted
    # Served from the cache, not even the Markdown parser or the rules are loaded.
    assert "markdown_it" not in modules and "pmcheck.postmortem" not in modules


def served_modules(project: Path, *args: str) -> tuple[set[str], str, int]:
    """The modules a `pmcheck check` process imported, its output and its exit code."""
    script = (
        "import sys; from pmcheck.cli import main; code = main(['check', *sys.argv[1:]]); "
        "print('\\n'.join(sorted(sys.modules)), file=sys.stderr); raise SystemExit(code)"
    )
    done = subprocess.run(
        [sys.executable, "-c", script, *args], cwd=project, capture_output=True, text=True, check=False
    )
    return set(done.stderr.split()), done.stdout, done.returncode


def test_a_rerun_served_from_the_cache_validates_no_config_and_parses_no_yaml(project: Path) -> None:
    _modules, first, code = served_modules(project, "--no-source", "docs")
    modules, again, again_code = served_modules(project, "--no-source", "docs")
    assert (again, again_code) == (first, code) and "PM031" in again
    assert not {"pydantic", "yaml", "pmcheck.config", "pmcheck.rulepack", "importlib.metadata"} & modules
    # A config whose bytes changed is validated again: a broken one is reported, not served.
    (project / ".pmcheck.yml").write_text("packs: [default]\nfail_on: everything\n")
    _modules, out, code = served_modules(project, "--no-source", "docs")
    assert code == 2 and "PM031" not in out


def test_the_config_summary_follows_the_config_file_even_when_every_finding_is_served(
    project: Path,
) -> None:
    (project / ".pmcheck.yml").write_text("packs: [default]\nrules: {PM031: info, PM032: info}\n")
    _modules, _out, code = served_modules(project, "--select", "PM031,PM032", "docs")
    assert code == 0
    # A comment changes the bytes, not the settings: the summary is made again, the findings kept.
    (project / ".pmcheck.yml").write_text("# ours\npacks: [default]\nrules: {PM031: info, PM032: info}\n")
    assert check([Path("docs")], select=["PM031", "PM032"])[0].misses == 0
    # `fail_on` acts on served findings at once, and excludes on which files are checked.
    (project / ".pmcheck.yml").write_text(
        "packs: [default]\nrules: {PM031: info, PM032: info}\nfail_on: info\n"
    )
    assert check([Path("docs")], select=["PM031", "PM032"])[0].misses == 0
    modules, out, code = served_modules(project, "--select", "PM031,PM032", "docs")
    assert code == 1 and "in 4 of 4 files" in out
    (project / ".pmcheck.yml").write_text(
        "packs: [default]\nrules: {PM031: info, PM032: info}\nfail_on: info\nexclude: [docs/incident-3.md]\n"
    )
    modules, out, code = served_modules(project, "--select", "PM031,PM032", "docs")
    assert code == 1 and "incident-3.md" not in out and "in 3 of 3 files" in out
    modules, again, code = served_modules(project, "--select", "PM031,PM032", "docs")
    assert "pydantic" not in modules and (again, code) == (out, 1)


def test_a_damaged_config_summary_is_ignored_and_written_again(project: Path) -> None:
    _modules, first, code = served_modules(project, "docs")
    records = sorted((project / ".pmcheck_cache").glob("*/configs/*.json"))
    assert records
    for record in records:
        record.write_text('{"base": 1, "files": "**/*.md"')
    modules, again, again_code = served_modules(project, "docs")
    assert (again, again_code) == (first, code) and "pydantic" in modules
    assert all(json.loads(record.read_text())["files"] for record in records)
    modules, _out, _code = served_modules(project, "docs")
    assert "pydantic" not in modules


def test_a_pyproject_table_beside_the_config_is_noticed_on_a_rerun(project: Path) -> None:
    served_modules(project, "docs")
    (project / "pyproject.toml").write_text("[tool.pmcheck]\npacks = ['default', 'blame']\n")
    cache, _lines = check([Path("docs")])
    assert cache.misses == 4  # the notice that the .pmcheck.yml wins is part of every finding's run
    done = subprocess.run(
        [str(PMCHECK), "check", "docs"], cwd=project, capture_output=True, text=True, check=False
    )
    assert "[tool.pmcheck] in" in done.stdout + done.stderr
