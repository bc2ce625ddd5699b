"""Time ``pmcheck report`` on a large repository: 5,000 post-mortems made from the examples.

Each copy gets its own incident date (spread over about four years), so the monthly charts and
overdue actions look like a real repository's, and its own title. Prints the wall-clock seconds and
the peak memory of the ``pmcheck report`` process.

    python benchmarks/report_build.py [--documents 5000] [--keep] [-- PMCHECK REPORT OPTIONS]

Options after ``--`` go to ``pmcheck report`` (e.g. ``-- --ignore blame`` to see what the NLP rules cost).
"""

from __future__ import annotations

import argparse
import datetime as dt
import re
import sys
import tempfile
from pathlib import Path

from report_run import finish, timed

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
FIRST_DAY = dt.date(2022, 1, 1)
DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def make_documents(target: Path, count: int) -> None:
    sources = sorted(EXAMPLES.glob("*.md"))
    texts = [(source.name, source.read_text(encoding="utf-8")) for source in sources]
    for index in range(count):
        name, text = texts[index % len(texts)]
        original = DATE.match(name)
        day = FIRST_DAY + dt.timedelta(days=index * 1461 // count)
        if original:
            text = text.replace(original.group(0), day.isoformat())
            name = name.replace(original.group(0), day.isoformat())
        text = re.sub(r"^(# .+)$", rf"\1 (case {index})", text, count=1, flags=re.MULTILINE)
        text = re.sub(r"^(title: .+)$", rf"\1 (case {index})", text, count=1, flags=re.MULTILINE)
        folder = target / f"{day.year}"
        folder.mkdir(exist_ok=True)
        (folder / f"{index:05d}-{name}").write_text(text, encoding="utf-8")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, default=5000)
    parser.add_argument("--keep", action="store_true", help="keep the generated folder and print its path")
    parser.add_argument("options", nargs="*", help="options for pmcheck report (after --)")
    args = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="pmcheck-report-bench-"))
    documents, site = workdir / "postmortems", workdir / "site"
    documents.mkdir()
    make_documents(documents, args.documents)
    command = [sys.executable, "-m", "pmcheck", "report", str(documents), "--out", str(site), *args.options]
    completed, seconds, peak = timed(command)
    if completed.returncode != 0:
        print(completed.stderr, file=sys.stderr)
        return completed.returncode
    pages = len(list((site / "incidents").glob("*.html")))
    size = sum(path.stat().st_size for path in site.rglob("*") if path.is_file())
    print(f"documents: {args.documents}; options: {' '.join(args.options) or '(defaults)'}")
    print(f"pmcheck report: {seconds:.1f} s wall clock, peak memory {peak:.0f} MiB")
    print(
        f"site: {pages} incident pages, index.html {(site / 'index.html').stat().st_size / 1e6:.1f} MB, "
        f"{size / 1e6:.1f} MB in all"
    )
    return finish(workdir, keep=args.keep)


if __name__ == "__main__":
    sys.exit(main())
