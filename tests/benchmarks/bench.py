"""The library benchmark (``make bench``): indexing, search and cold start on the BBC corpus.

It indexes ``../shared/corpus/bbc`` (relative to the repository root) into a temporary data
directory — NLP included — and prints, with the machine's figures:

* how long until every article is searchable (the text phase's commit) and until every
  article is analysed (the commit after which every article's people, places and
  statements are in the index, ``index_seconds``), from an empty data directory, and when
  the update ended (the articles written whole once more, word pairs too, in one segment);
* indexing throughput in words per second, beside bare spaCy NER on the same texts;
* search latency p50/p95 (snippets and hit offsets included) over a fixed set of queries,
  beside SQLite FTS5 (porter tokenizer) answering the same queries with ``snippet()``;
* the time a fresh process takes to open the library and answer its first query;
* the window's cold start over a bare PySide6 window's (``tests/e2e/startup.py``, run as a
  subprocess; null where it cannot run: no Xvfb);

and, as its last line, one JSON object with exactly the keys of :data:`RESULT_KEYS`.
Run it with ``nice``: the machine is shared.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))

from index.nlp import one_blas_thread  # noqa: E402  (needs the path above)

one_blas_thread()  # as `broadsheet index` does, before numpy loads

CORPUS = REPO.parent / "shared" / "corpus" / "bbc"

RESULT_KEYS = (
    "docs", "words", "searchable_seconds", "index_seconds", "update_seconds",
    "index_words_per_s",
    "spacy_ner_words_per_s", "search_p50_ms", "search_p95_ms", "fts5_p50_ms", "fts5_p95_ms",
    "cold_first_query_s", "startup_ratio", "gui_rss_mb",
)

#: (Whoosh query, the same query in FTS5's syntax); words, phrases, boolean, wildcard, fields.
QUERIES: list[tuple[str, str]] = [
    # words (stemmed on both sides)
    ("economy", "economy"),
    ("election", "election"),
    ("film", "film"),
    ("music", "music"),
    ("broadband", "broadband"),
    ("mobile", "mobile"),
    ("football", "football"),
    ("injury", "injury"),
    ("government", "government"),
    ("profits", "profits"),
    ("shares", "shares"),
    ("oil", "oil"),
    ("software", "software"),
    ("awards", "awards"),
    ("upgrade", "upgrade"),
    ("tax", "tax"),
    ("security", "security"),
    ("champion", "champion"),
    # phrases
    ('"prime minister"', '"prime minister"'),
    ('"mobile phone"', '"mobile phone"'),
    ('"interest rates"', '"interest rates"'),
    ('"world cup"', '"world cup"'),
    ('"general election"', '"general election"'),
    ('"box office"', '"box office"'),
    ('"chief executive"', '"chief executive"'),
    ('"stock market"', '"stock market"'),
    # boolean
    ("economy AND growth", "economy AND growth"),
    ("film OR music", "film OR music"),
    ("election NOT labour", "election NOT labour"),
    ("chelsea AND arsenal", "chelsea AND arsenal"),
    ("(oil OR gas) AND prices", "(oil OR gas) AND prices"),
    ("virus AND NOT games", "virus NOT games"),
    ("blair OR brown OR howard", "blair OR brown OR howard"),
    # wildcards
    ("econom*", "econom*"),
    ("digit*", "digit*"),
    ("champion*", "champion*"),
    ("comput*", "comput*"),
    ("invest*", "invest*"),
    # fields
    ("title:election", "title:election"),
    ("title:film", "title:film"),
    ("person:blair", "person:blair"),
    ('person:"tony blair"', 'person:"tony blair"'),
    ("place:china", "place:china"),
    ("place:london", "place:london"),
    ("person:brown AND tax", "person:brown AND tax"),
]

LIMIT = 10
ROUNDS = 5


def percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    k = (len(ordered) - 1) * pct / 100
    lo, hi = int(k), min(int(k) + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)


def say(*args: object) -> None:
    print(*args, flush=True)


def machine() -> None:
    import spacy
    import whoosh

    from index.nlp import load_pipeline

    nlp = load_pipeline()
    say(f"machine: {os.cpu_count()} cpus, {platform.machine()}, {platform.system()} "
        f"{platform.release()}")
    say(f"python {platform.python_version()}, whoosh {whoosh.versionstring()}, "
        f"spacy {spacy.__version__}, model {nlp.meta.get('name')} {nlp.meta.get('version')} "
        f"({', '.join(nlp.pipe_names)}), sqlite {sqlite3.sqlite_version}")


def index_corpus(data_dir: Path, corpus: Path) -> tuple[dict[str, float | None], object]:
    from index.library import Library
    from index.model import Progress

    library = Library(data_dir, with_seeds=False, processes=None)
    # The category folders, not the corpus root: its README.TXT is not an article.
    folders = sorted(p for p in corpus.iterdir() if p.is_dir())
    library.add_sources(folders or [corpus])
    last = [0.0]
    started = time.monotonic()
    searchable: list[float] = []
    analysed: list[float] = []

    def progress(p: Progress) -> None:
        now = time.monotonic()
        if p.phase == "commit" and not analysed and p.articles and \
                p.analysed == p.articles:
            analysed.append(now - started)
            seen = Library(data_dir, with_seeds=False).analysis_state()
            say(f"every article analysed after {analysed[0]:.1f} s ({seen[0]} of {seen[1]} "
                "for a new reader)")
        if p.phase == "commit" and not searchable and p.articles and \
                p.searchable == p.articles:
            searchable.append(now - started)
            # Checked from outside, as another process would: every article is there.
            seen = Library(data_dir, with_seeds=False).analysis_state()[1]
            say(f"every article searchable after {searchable[0]:.1f} s ({seen} in the "
                "index for a new reader)")
        if p.phase in ("commit", "done") or now - last[0] > 10:
            last[0] = now
            print(f"  … {p.phase} {p.done}/{p.total} {p.counts()}", file=sys.stderr,
                  flush=True)

    from index.analysis import processes_for

    files = sum(1 for f in folders for p in f.rglob("*") if p.is_file())
    processes = processes_for(files)
    say(f"indexing with {processes} spaCy process(es), "
        f"OPENBLAS_NUM_THREADS={os.environ.get('OPENBLAS_NUM_THREADS')}")
    report = library.update(progress=progress)
    docs = len(library.documents())
    words = int(report.extra.get("words", 0))
    seconds = analysed[0] if analysed else report.seconds
    say(f"indexed and analysed {docs} articles, {words} words in {seconds:.1f} s "
        f"({words / seconds:,.0f} words/s); failed: {len(report.failed)}; "
        f"searchable after {report.extra.get('searchable_seconds') or 0:.1f} s; the "
        f"update ended (word pairs written, one segment) after {report.seconds:.1f} s")
    for problem in report.failed[:5]:
        say(f"  failed: {problem.path}: {problem.reason}")
    again = library.update()
    say(f"re-index of the unchanged library: {again.seconds * 1000:.0f} ms "
        f"({again.unchanged} unchanged)")
    return {"docs": docs, "words": words, "index_seconds": seconds,
            "update_seconds": report.seconds,
            "searchable_seconds": searchable[0] if searchable else None}, library


def bare_ner(texts: list[str], sample: int) -> float:
    from index.nlp import load_pipeline

    nlp = load_pipeline()
    chosen = texts[:: max(1, len(texts) // sample)][:sample] if sample else texts
    words = sum(len(t.split()) for t in chosen)
    with nlp.select_pipes(enable=["ner"]):
        start = time.perf_counter()
        n_ents = sum(len(doc.ents) for doc in nlp.pipe(chosen, batch_size=32))
        seconds = time.perf_counter() - start
    rate = words / seconds
    say(f"bare spaCy NER (ner only, 1 process) on {len(chosen)} of the same texts: "
        f"{words} words in {seconds:.1f} s = {rate:,.0f} words/s ({n_ents} entities)")
    return rate


def fts5(library: object) -> tuple[float, float]:
    keys = [info.key for info in library.documents()]  # type: ignore[attr-defined]
    db = sqlite3.connect(":memory:")
    db.execute(
        "CREATE VIRTUAL TABLE t USING fts5(title, body, person, place, "
        "tokenize='porter unicode61')"
    )
    rows = []
    for key in keys:
        article = library.article(key)  # type: ignore[attr-defined]
        people = ", ".join(p.name for p in article.analysis.people)
        places = ", ".join(p.name for p in article.analysis.places)
        rows.append((article.info.title, article.text, people, places))
    db.executemany("INSERT INTO t (title, body, person, place) VALUES (?, ?, ?, ?)", rows)
    db.commit()
    sql = (
        "SELECT rowid, title, snippet(t, 1, '<b>', '</b>', '…', 32) FROM t "
        "WHERE t MATCH ? ORDER BY rank LIMIT ?"
    )
    times: list[float] = []
    for _, q in QUERIES:  # warm up
        db.execute(sql, (q, LIMIT)).fetchall()
    for _ in range(ROUNDS):
        for _, q in QUERIES:
            start = time.perf_counter()
            db.execute(sql, (q, LIMIT)).fetchall()
            times.append((time.perf_counter() - start) * 1000)
    p50, p95 = percentile(times, 50), percentile(times, 95)
    say(f"FTS5 (porter), {len(QUERIES)} queries x {ROUNDS}, top {LIMIT} with snippet(): "
        f"p50 {p50:.2f} ms, p95 {p95:.2f} ms")
    return p50, p95


def search(library: object) -> tuple[float, float]:
    times: list[float] = []
    totals = {}
    for q, _ in QUERIES:  # warm up
        totals[q] = library.search(q, limit=LIMIT).total  # type: ignore[attr-defined]
    for _ in range(ROUNDS):
        for q, _ in QUERIES:
            start = time.perf_counter()
            library.search(q, limit=LIMIT)  # type: ignore[attr-defined]
            times.append((time.perf_counter() - start) * 1000)
    p50, p95 = percentile(times, 50), percentile(times, 95)
    say(f"Broadsheet search, {len(QUERIES)} queries x {ROUNDS}, top {LIMIT} with snippets "
        f"and hit offsets: p50 {p50:.2f} ms, p95 {p95:.2f} ms")
    say("  hits per query: " + ", ".join(f"{q} {n}" for q, n in totals.items()))
    fuzzy = []
    for q in ("Blar~", "economi~", "chelsee~"):
        start = time.perf_counter()
        n = library.search(q, limit=LIMIT).total  # type: ignore[attr-defined]
        fuzzy.append(f"{q} {n} hits {(time.perf_counter() - start) * 1000:.1f} ms")
    say("  fuzzy (no FTS5 equivalent, not in the percentiles): " + "; ".join(fuzzy))
    return p50, p95


COLD = """
import sys, time
sys.path.insert(0, {repo!r})
start = time.perf_counter()
from index.library import Library
library = Library({data_dir!r}, with_seeds=False)
result = library.search("economy", limit=10)
print(len(result.hits), time.perf_counter() - start)
"""


def cold_first_query(data_dir: Path) -> float:
    code = COLD.format(repo=str(REPO), data_dir=str(data_dir))
    start = time.perf_counter()
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout.split()
    wall = time.perf_counter() - start
    say(f"cold process, open the library and answer a first query: {wall:.2f} s wall "
        f"(of which {float(out[1]):.2f} s after the interpreter started; {out[0]} hits)")
    return wall


def startup_ratio() -> float | None:
    """The window's cold start over a bare window's, as ``tests/e2e/startup.py`` measures
    it (the medians of 7 runs each: on a shared machine the medians of 3 swing from one
    call to the next), or None where it cannot run."""
    script = REPO / "tests" / "e2e" / "startup.py"
    try:
        run = subprocess.run([sys.executable, str(script), "--runs", "7"], cwd=REPO,
                             capture_output=True, text=True, timeout=900)
    except (OSError, subprocess.TimeoutExpired) as exc:
        say(f"start-up: could not run {script.name} ({exc})")
        return None
    import re

    found = re.search(r"ratio median broadsheet / median bare: ([0-9.]+)", run.stdout)
    if run.returncode or not found:
        say(f"start-up: {script.name} gave no ratio (exit {run.returncode}: "
            f"{(run.stderr or run.stdout).strip()[-200:]})")
        return None
    for line in run.stdout.splitlines():
        say(f"  start-up: {line}")
    return float(found.group(1))


def gui_rss_mb(corpus: Path, timeout: float = 900.0) -> float | None:
    """The window's peak resident memory (VmHWM of its own process; its update runs in a
    child process, the analysis in that one's workers) while it indexes ``corpus`` from an
    empty data directory, opened as
    a user would (``broadsheet FOLDER``) on the offscreen platform; None where /proc or
    the platform is missing."""
    program = Path(sys.executable).with_name("broadsheet")
    if not Path("/proc/self/status").exists() or not program.exists():
        return None
    from index.library import Library

    with tempfile.TemporaryDirectory(prefix="broadsheet-gui-") as tmp:
        env = dict(os.environ, QT_QPA_PLATFORM="offscreen", BROADSHEET_DATA_DIR=tmp,
                   XDG_CONFIG_HOME=str(Path(tmp) / "config"))
        window = subprocess.Popen([str(program), str(corpus)], env=env,
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        peak_kb, started, done = 0, time.monotonic(), False
        try:
            while window.poll() is None and time.monotonic() - started < timeout:
                try:
                    status = Path(f"/proc/{window.pid}/status").read_text()
                    peak_kb = max(peak_kb, int(status.split("VmHWM:")[1].split()[0]))
                except (OSError, IndexError, ValueError):
                    pass
                analysed, searchable = Library(tmp).analysis_state()
                if searchable > 1 and analysed == searchable:
                    done = True
                    break
                time.sleep(2)
        finally:
            window.terminate()
            window.wait(30)
    say(f"window peak RSS while indexing {corpus.name}: {peak_kb / 1024:.0f} MB"
        + ("" if done else " (stopped before the analysis ended)"))
    return peak_kb / 1024 if done else None


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ner-sample", type=int, default=300,
                        help="texts for the bare-NER figure (0: all of them; default 300)")
    parser.add_argument("--corpus", type=Path, default=CORPUS,
                        help="the folder to index (default: the BBC corpus)")
    parser.add_argument("--no-startup", action="store_true",
                        help="leave out the window's start-up and memory (startup_ratio, "
                        "gui_rss_mb: null)")
    args = parser.parse_args()
    if not args.corpus.is_dir():
        print(f"bench: the corpus is not at {args.corpus}", file=sys.stderr)
        return 1
    machine()
    with tempfile.TemporaryDirectory(prefix="broadsheet-bench-") as tmp:
        data_dir = Path(tmp)
        figures, library = index_corpus(data_dir, args.corpus)
        texts = [library.article(i.key).text for i in library.documents()]  # type: ignore
        ner = bare_ner(texts, args.ner_sample)
        p50, p95 = search(library)
        f50, f95 = fts5(library)
        say(f"search p95 / FTS5 p95 = {p95 / f95:.1f}x")
        library.close()  # type: ignore[attr-defined]
        cold = cold_first_query(data_dir)
    ratio = None if args.no_startup else startup_ratio()
    rss = None if args.no_startup else gui_rss_mb(args.corpus)
    searchable = figures["searchable_seconds"]
    result = {
        "docs": figures["docs"],
        "words": figures["words"],
        "searchable_seconds": None if searchable is None else round(searchable, 2),
        "index_seconds": round(figures["index_seconds"], 2),
        "update_seconds": round(figures["update_seconds"], 2),
        "index_words_per_s": round(figures["words"] / figures["index_seconds"]),
        "spacy_ner_words_per_s": round(ner),
        "search_p50_ms": round(p50, 2),
        "search_p95_ms": round(p95, 2),
        "fts5_p50_ms": round(f50, 2),
        "fts5_p95_ms": round(f95, 2),
        "cold_first_query_s": round(cold, 2),
        "startup_ratio": None if ratio is None else round(ratio, 2),
        "gui_rss_mb": None if rss is None else round(rss),
    }
    assert tuple(result) == RESULT_KEYS
    print(json.dumps(result), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
