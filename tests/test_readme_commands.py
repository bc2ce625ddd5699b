"""Every shell command in the README works as written, from a fresh clone, as a newcomer runs them.

The README's shell blocks (see ``tests/readme_blocks.py``) run in bash, in order, each command with
the exit code the README promises. Blocks for pmcheck's clone start in an empty folder and share one
session, as if pasted into one terminal (so ``cd`` carries over); blocks for "the repository that
holds your post-mortems" run in a new git repository with the clone's ``.venv/bin`` first on PATH.

Not run here: the block that runs ``.ci/run`` (it installs Chromium and runs this suite), and
``pre-commit try-repo``, which ``tests/test_precommit.py`` runs from the README with the hook's
environment it builds anyway. Two stand-ins, both narrow:

- the project's URL is a local repository holding the working tree at a fresh commit;
- ``python3`` is this interpreter's own Python, and a virtual environment it creates is seeded with
  a ``.pth`` line naming this environment's site-packages (``tests/environments.py``), so the
  README's ``pip install -e .`` really runs and installs pmcheck but finds spaCy installed already.

The sample output, the JSON example's counts and the report's files are then compared with what the
installed pmcheck really produces.
"""

from __future__ import annotations

import json
import os
import re
import shlex
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
from environments import Snapshot, clean_env, git
from readme_blocks import PROJECT_URL, README, Block, blocks

HANDED_OFF = ("pre-commit try-repo ",)  # run by tests/test_precommit.py, see the module docstring
TEXT = README.read_text(encoding="utf-8")

pytestmark = pytest.mark.skipif(os.name == "nt", reason="the README's commands are POSIX shell")


@dataclass(frozen=True)
class Newcomer:
    clone: Path
    own_repository: Path
    outputs: dict[str, str]  # README command -> its stdout


def _python3_shim(folder: Path) -> Path:
    """``python3`` that seeds the virtual environments it creates (see the module docstring)."""
    folder.mkdir()
    tests = Path(__file__).parent
    shim = folder / "python3"
    seed = "import sys, pathlib, environments; environments.seeded_venv(pathlib.Path(sys.argv[1]))"
    shim.write_text(
        "#!/bin/sh\n"
        f'{shlex.quote(sys._base_executable)} "$@" || exit $?\n'  # the interpreter this venv was made from
        'if [ "$1" = -m ] && [ "$2" = venv ]; then\n'
        '  for last in "$@"; do :; done\n'
        f"  PYTHONPATH={shlex.quote(str(tests))} "
        f'{shlex.quote(sys.executable)} -c {shlex.quote(seed)} "$last"\n'
        "fi\n",
        encoding="utf-8",
    )
    shim.chmod(0o755)
    return folder


def _script(block: Block, start: Path, record: Path) -> str:
    lines = [f"cd {shlex.quote(str(start))}"]
    for index, command in enumerate(block.commands):
        if command.text.startswith(HANDED_OFF):
            continue
        out = record / f"{block.line}-{index}.out"
        lines += [
            f"{{ {command.text}\n}} > {shlex.quote(str(out))}",
            f'code=$?; if [ "$code" != {command.exit_code} ]; then',
            f'  echo {shlex.quote(f"README.md:{block.line}: {command.text}")}": exit code $code, '
            f'the README says {command.exit_code}" >&2; cat {shlex.quote(str(out))} >&2; exit 90',
            "fi",
        ]
    lines.append(f"pwd > {shlex.quote(str(record / 'pwd'))}")
    return "\n".join(lines) + "\n"


@pytest.fixture(scope="module")
def newcomer(snapshot: Snapshot, tmp_path_factory: pytest.TempPathFactory) -> Newcomer:
    home = tmp_path_factory.mktemp("newcomer")
    record = home / "record"
    record.mkdir()
    clone_place = home / "work"
    clone_place.mkdir()
    own = home / "our-postmortems"
    own.mkdir()
    git("init", "--quiet", cwd=own, home=snapshot.home)
    shims = _python3_shim(home / "shims")
    project = home / "github.com" / "pmcheck" / "pmcheck"  # cloned into ./pmcheck, as from the URL
    project.parent.mkdir(parents=True)
    project.symlink_to(snapshot.repo, target_is_directory=True)
    env = clean_env(snapshot.home) | {"PATH": f"{shims}{os.pathsep}{os.environ['PATH']}"}
    env.pop("VIRTUAL_ENV", None)
    here = clone_place
    outputs: dict[str, str] = {}
    for block in blocks():
        if block.runs_the_suite:
            continue
        if block.in_users_repository:
            start, block_env = own, env | {"PATH": f"{here / '.venv' / 'bin'}{os.pathsep}{env['PATH']}"}
        else:
            start, block_env = here, env
        script = _script(block, start, record).replace(PROJECT_URL, str(project))
        done = subprocess.run(
            ["bash", "--noprofile", "--norc", "-c", script],
            env=block_env,
            capture_output=True,
            text=True,
            timeout=900,
            check=False,
        )
        assert done.returncode == 0, done.stderr[-4000:]
        if not block.in_users_repository:
            here = Path((record / "pwd").read_text(encoding="utf-8").strip())
        for index, command in enumerate(block.commands):
            out = record / f"{block.line}-{index}.out"
            if out.exists():
                outputs[command.text] = out.read_text(encoding="utf-8")
    return Newcomer(clone=here, own_repository=own, outputs=outputs)


def _fenced_after(heading: str, info: str) -> str:
    section = TEXT.split(heading, 1)[1]
    return section.split(f"```{info}\n", 1)[1].split("```", 1)[0]


def test_the_clone_step_gives_a_clone_with_pmcheck_installed_from_it(newcomer: Newcomer) -> None:
    assert (newcomer.clone / ".git").is_dir() and (newcomer.clone / "pyproject.toml").is_file()
    where = subprocess.run(
        [str(newcomer.clone / ".venv" / "bin" / "python"), "-c", "import pmcheck; print(pmcheck.__file__)"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert where.startswith(str(newcomer.clone / "src")), "pip install -e . installed the clone itself"


def test_the_sample_output_is_what_the_examples_give(newcomer: Newcomer) -> None:
    sample = _fenced_after("Output looks like this", "text").splitlines()
    real = newcomer.outputs[".venv/bin/pmcheck check examples/"].splitlines()
    position = 0
    for line in sample:
        assert line in real[position:], f"README sample line not in the real output (in order): {line}"
        position = real.index(line, position) + 1
    assert any(line.startswith("examples/") and line.endswith(")") and ":" not in line for line in sample), (
        "the sample shows a per-file header"
    )
    assert sample[-1] == real[-1], "the summary line, with its counts"


def test_the_json_example_has_the_real_counts_and_fields(newcomer: Newcomer) -> None:
    documented = json.loads(_fenced_after("**JSON output**", "json"))
    command = re.search(r"for `pmcheck ([^`]+)`", TEXT.split("**JSON output**", 1)[1])
    assert command, "the README names the command its JSON example comes from"
    done = subprocess.run(
        [str(newcomer.clone / ".venv" / "bin" / "pmcheck"), *shlex.split(command.group(1))],
        cwd=newcomer.clone,
        capture_output=True,
        text=True,
        check=False,
    )
    real = json.loads(done.stdout)
    assert documented["summary"] == real["summary"]
    assert documented.keys() == real.keys()
    assert documented["findings"][0].keys() == real["findings"][0].keys()
    assert (documented["schema_version"], documented["pmcheck_version"]) == (
        real["schema_version"],
        real["pmcheck_version"],
    )


def test_explain_prints_the_docs_without_the_patterns(newcomer: Newcomer) -> None:
    out = newcomer.outputs[".venv/bin/pmcheck explain PM101"]
    assert out.startswith("# PM101 blame.person-cause") and "## Use instead" in out
    assert '"LEMMA"' not in out and "--verbose" in out


def test_the_report_command_writes_the_site_the_readme_describes(newcomer: Newcomer) -> None:
    site = newcomer.own_repository / "site"
    assert {"index.html", "report.css", "report.json"} <= {path.name for path in site.iterdir()}
    assert 'href="report.css"' in (site / "index.html").read_text(encoding="utf-8")
    assert "`report.css`" in TEXT.split("## Publishing", 1)[1]


def test_every_shell_block_but_the_suite_ran() -> None:
    runnable = [block for block in blocks() if not block.runs_the_suite]
    assert len([block for block in blocks() if block.runs_the_suite]) == 1
    assert any(block.in_users_repository for block in runnable)
    assert any(c.text.startswith("git clone " + PROJECT_URL) for block in runnable for c in block.commands)
