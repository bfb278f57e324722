"""Peak memory and time of analysing one very long article (issue 13, item 3).

Run from the repository root (not part of ``make test``; minutes of CPU, run it with
``nice``)::

    nice python tests/benchmarks/long_article.py [--sizes 1,10] [--single-line 10]

It writes, in a temporary folder, articles of ordinary prose made of BBC articles
(``../shared/corpus/bbc``) concatenated to each size in MB, paragraphs kept, and the same
prose as one single line (``--single-line`` sizes), then runs
``/usr/bin/time -v python -m index analyze --json FILE`` on each (a fresh process, as a
user would) and prints the peak resident set size, the elapsed and CPU time, and what was
found; the last line is one JSON object. ``apt-get install time`` provides /usr/bin/time.
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
CORPUS = REPO.parent / "shared" / "corpus" / "bbc"
MB = 1_000_000


def prose(size: int, corpus: Path, single_line: bool) -> str:
    """``size`` characters of BBC articles, one after another (as a single line if asked)."""
    files = sorted(p for p in corpus.rglob("*.txt") if p.name != "README.TXT")
    parts: list[str] = []
    total = 0
    k = 0
    while total < size:
        text = files[k % len(files)].read_text(encoding="utf-8", errors="replace").strip()
        if single_line:
            text = re.sub(r"\s+", " ", text)
        parts.append(text)
        total += len(text) + 2
        k += 1
    return (" " if single_line else "\n\n").join(parts)[:size]


def measure(path: Path) -> dict[str, object]:
    command = ["/usr/bin/time", "-v", sys.executable, "-m", "index", "analyze", "--json",
               str(path)]
    done = subprocess.run(command, cwd=REPO, capture_output=True, text=True, check=False)
    facts = dict(
        line.strip().rsplit(": ", 1) for line in done.stderr.splitlines()
        if line.startswith("\t") and ": " in line
    )
    h, m, s = (["0", *facts["Elapsed (wall clock) time (h:mm:ss or m:ss)"].split(":")])[-3:]
    wall = int(h) * 3600 + int(m) * 60 + float(s)
    out: dict[str, object] = {
        "file": path.name,
        "mb": round(path.stat().st_size / MB, 1),
        "exit": done.returncode,
        "peak_rss_mb": round(int(facts["Maximum resident set size (kbytes)"]) / 1024),
        "wall_s": round(wall, 1),
        "cpu_s": round(float(facts["User time (seconds)"]) + float(facts["System time (seconds)"]),
                       1),
    }
    if done.returncode == 0 and done.stdout.strip():
        found = json.loads(done.stdout.splitlines()[-1])
        out.update(people=len(found["people"]), places=len(found["places"]),
                   statements=len(found["statements"]))
    else:
        out["stderr"] = done.stderr.strip().splitlines()[:3]
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="1,10", help="prose sizes in MB, comma-separated")
    parser.add_argument("--single-line", default="10", help="single-line sizes in MB")
    parser.add_argument("--corpus", type=Path, default=CORPUS)
    args = parser.parse_args()
    cases = [(float(x), False) for x in args.sizes.split(",") if x] + [
        (float(x), True) for x in args.single_line.split(",") if x]
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        for mb, single in cases:
            name = f"{'line' if single else 'prose'}_{mb:g}MB.txt"
            path = Path(tmp) / name
            path.write_text(prose(int(mb * MB), args.corpus, single), encoding="utf-8")
            result = measure(path)
            results.append(result)
            print(result, flush=True)
    print(json.dumps(results))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
