"""``pmcheck report`` in a hostile output folder: it never writes or deletes through a symbolic link
or outside ``--out``, and credentials in documents never reach the published files."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pmcheck.cli import main
from pmcheck.learning_report.safe_files import UnsafePathError, delete_file, write_file

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "2026-03-02-checkout-config-push.md"
SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"


def build(out: Path, *docs: Path) -> int:
    return main(["report", *map(str, docs), "--out", str(out), "--as-of", "2026-05-01"])


def test_a_symlinked_page_is_replaced_not_written_through(tmp_path: Path) -> None:
    out = tmp_path / "site"
    assert build(out, EXAMPLE) == 0
    victim = tmp_path / "victim.txt"
    victim.write_text("precious")
    (out / "index.html").unlink()
    (out / "index.html").symlink_to(victim)
    assert build(out, EXAMPLE) == 0
    assert victim.read_text() == "precious"
    assert not (out / "index.html").is_symlink() and "<html" in (out / "index.html").read_text()


def test_a_forged_marker_and_a_symlinked_folder_delete_nothing_outside(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "site"
    assert build(out, EXAMPLE) == 0
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "a.html").write_text("keep me")
    for page in (out / "incidents").iterdir():
        page.unlink()
    (out / "incidents").rmdir()
    (out / "incidents").symlink_to(elsewhere)
    marker = json.loads((out / ".pmcheck-report.json").read_text())
    marker["files"].append("incidents/a.html")
    (out / ".pmcheck-report.json").write_text(json.dumps(marker))
    assert build(out, EXAMPLE) == 2
    assert "'incidents' is not a folder of its own (a symbolic link?)" in capsys.readouterr().err
    assert sorted(path.name for path in elsewhere.iterdir()) == ["a.html"]
    assert (elsewhere / "a.html").read_text() == "keep me"


@pytest.mark.parametrize("name", ["../outside.html", "/etc/passwd", "a/../../b", "", "."])
def test_names_that_leave_the_folder_are_refused(name: str, tmp_path: Path) -> None:
    with pytest.raises(UnsafePathError):
        write_file(tmp_path, name, b"x")
    with pytest.raises(UnsafePathError):
        delete_file(tmp_path, name)


def test_a_hard_link_in_the_folder_is_replaced_not_written_through(tmp_path: Path) -> None:
    victim = tmp_path / "victim.txt"
    victim.write_text("precious")
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "report.json").hardlink_to(victim)
    write_file(tmp_path / "out", "report.json", b"{}")
    assert victim.read_text() == "precious" and (tmp_path / "out" / "report.json").read_text() == "{}"


@pytest.mark.parametrize(
    ("line", "secret"),
    [
        (f"aws_secret_access_key={SECRET}", SECRET),
        (f"export AWS_SECRET_ACCESS_KEY={SECRET}", SECRET),
        ("DATABASE_URL=postgres://app:s3cretpw99@db.internal:5432/orders", "s3cretpw99"),
        ("Server=db;Database=orders;User Id=sa;Password=Sup3rS3cret!;", "Sup3rS3cret!"),
        ("GITLAB_TOKEN: glpat-abcdefghij1234567890", "glpat-abcdefghij1234567890"),
        ("key AccountKey=" + "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2U" * 2, "Eby8vdM02xNOcqFlq"),
        (
            "hook https://hooks.slack.com/services/T0123ABCD/B0123ABCD/abcdefghijklmnopqrstuvwx",
            "B0123ABCD/abc",
        ),
    ],
)
def test_credentials_are_flagged_and_kept_out_of_the_report(
    line: str, secret: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = EXAMPLE.read_text(encoding="utf-8")
    row = "| 13:55 | A change to the gateway's routing config is approved and merged. |"
    assert row in text
    text = text.replace(
        row, f"{row}\n| 13:57 | The deploy log shows {line.replace('|', '/')} in plain text. |"
    )
    document = tmp_path / "leak.md"
    document.write_text(text, encoding="utf-8")
    assert main(["check", "--format", "json", "--select", "PM041", str(document)]) == 1
    [finding, *_more] = json.loads(capsys.readouterr().out)["findings"]
    assert finding["rule_id"] == "PM041"
    out = tmp_path / "site"
    assert build(out, document) == 0
    published = {path: path.read_text(encoding="utf-8") for path in out.rglob("*") if path.is_file()}
    assert any("The deploy log shows" in text for text in published.values())  # the row is quoted
    for path, text in published.items():
        assert secret not in text, path
