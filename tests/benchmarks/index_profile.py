"""Where the time of indexing goes, in CPU seconds (the machine is shared: CPU time is what
other processes disturb least). Not part of ``make test``; run from the repository root
with ``nice``::

    nice python tests/benchmarks/index_profile.py update [--articles 400] [--profile N]
    nice python tests/benchmarks/index_profile.py worker [--articles 300]

``update`` indexes ``--articles`` BBC articles (every n-th file in sorted order, 0 = all of
them) into an empty data directory as ``bench.py``'s ``index_corpus`` does
(``processes=None``: one analysis process per core) and prints, for the text phase, the
analysis phase (until every article is analysed) and the last commit (the whole articles'
segment): wall seconds, the main process's CPU seconds and the worker processes' CPU
seconds. The workers' idle time is what two cores could have done in the analysis phase's
wall time less what the main process and the workers used. With ``--profile N`` the main
process runs under cProfile and its N most costly functions (cumulative) are printed.

``worker`` analyses ``--articles`` articles in this process as one analysis worker does
(:func:`index.analysis._analyse`) and splits its CPU time between the pipeline's steps
(tokenizer, senter, NER, the parse of the selected runs, the parts of speech) and the
extractors (entities, statements, quoted people), with the share of tokens parsed.
"""

from __future__ import annotations

import argparse
import cProfile
import json
import pstats
import resource
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))

from index.nlp import one_blas_thread  # noqa: E402  (needs the path above)

one_blas_thread()  # as `broadsheet index` does, before numpy loads

CORPUS = REPO.parent / "shared" / "corpus" / "bbc"


def chosen_files(corpus: Path, articles: int) -> list[Path]:
    files = sorted(p for p in corpus.rglob("*.txt") if p.name != "README.TXT")
    if not articles:
        return files
    return files[:: max(1, len(files) // articles)][:articles]


def cpu(who: int) -> float:
    usage = resource.getrusage(who)
    return usage.ru_utime + usage.ru_stime


class Clock:
    """Wall and CPU (this process, its reaped children) at named moments."""

    def __init__(self) -> None:
        self.marks: list[tuple[str, float, float, float]] = []
        self.mark("start")

    def mark(self, name: str) -> None:
        self.marks.append((name, time.monotonic(), cpu(resource.RUSAGE_SELF),
                           cpu(resource.RUSAGE_CHILDREN)))

    def live_children(self) -> float:
        """CPU seconds of the live children (the analysis workers before they are reaped)."""
        import os

        total = 0.0
        tick = os.sysconf("SC_CLK_TCK")
        for task in Path(f"/proc/{os.getpid()}/task").iterdir():
            try:
                kids = (task / "children").read_text().split()
            except OSError:
                continue
            for pid in kids:
                try:
                    stat = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
                except OSError:
                    continue
                total += (int(stat[11]) + int(stat[12])) / tick
        return total


def update(args: argparse.Namespace) -> dict[str, Any]:
    from index.library import Library
    from index.model import Progress

    files = chosen_files(args.corpus, args.articles)
    words = sum(len(p.read_text("utf-8", errors="replace").split()) for p in files)
    with tempfile.TemporaryDirectory(prefix="broadsheet-profile-") as tmp:
        library = Library(Path(tmp), with_seeds=False, processes=None)
        if args.articles:
            library.add_sources(files)
        else:
            library.add_sources(sorted(p for p in args.corpus.iterdir() if p.is_dir()))
        clock = Clock()
        seen: set[str] = set()
        workers: list[float] = []

        def progress(p: Progress) -> None:
            if p.phase == "analyse" and "text" not in seen:
                seen.add("text")
                clock.mark("text")
            if p.phase == "commit" and p.articles and p.analysed == p.articles and \
                    "analysed" not in seen:
                seen.add("analysed")
                workers.append(clock.live_children())
                clock.mark("analysed")

        profile = cProfile.Profile() if args.profile else None
        if profile:
            profile.enable()
        library.update(progress=progress)
        if profile:
            profile.disable()
        clock.mark("end")
        library.close()
    m = {name: (wall, own, kids) for name, wall, own, kids in clock.marks}
    t0, text, analysed, end = m["start"], m["text"], m["analysed"], m["end"]
    # the workers reaped by then, and those still running
    worker_cpu = analysed[2] - text[2] + (workers[0] if workers else 0.0)
    analysis_wall = analysed[0] - text[0]
    figures = {
        "articles": len(files), "words": words,
        "text_wall": text[0] - t0[0], "text_main_cpu": text[1] - t0[1],
        "text_workers_cpu": text[2] - t0[2],
        "analysis_wall": analysis_wall, "analysis_main_cpu": analysed[1] - text[1],
        "analysis_workers_cpu": worker_cpu,
        "last_commit_wall": end[0] - analysed[0], "last_commit_main_cpu": end[1] - analysed[1],
        "index_seconds": analysed[0] - t0[0],
    }
    figures["analysis_idle_core_s"] = 2 * analysis_wall - figures["analysis_main_cpu"] - worker_cpu
    for k, v in figures.items():
        print(f"{k:24} {v:10.1f}" if isinstance(v, float) else f"{k:24} {v:10}")
    if profile:
        pstats.Stats(profile).sort_stats("cumulative").print_stats(args.profile)
    return figures


class Timed:
    """A pipeline component whose ``pipe`` and call are timed (CPU) under ``name``; its
    ``pipe`` hands on a list, so that the time of the steps before it is not counted."""

    def __init__(self, name: str, component: Any, times: dict[str, float]) -> None:
        self.name, self.component, self.times = name, component, times

    def pipe(self, docs: Iterable[Any], batch_size: int = 32) -> list[Any]:
        docs = list(docs)
        start = time.process_time()
        out = list(self.component.pipe(docs, batch_size=batch_size))
        self.times[self.name] += time.process_time() - start
        return out

    def __getattr__(self, name: str) -> Any:
        return getattr(self.component, name)

    def __call__(self, doc: Any) -> Any:
        start = time.process_time()
        out = self.component(doc)
        self.times[self.name] += time.process_time() - start
        return out


def timed_function(module: Any, name: str, times: dict[str, float], label: str) -> None:
    inner: Callable[..., Any] = getattr(module, name)

    def wrapper(*a: Any, **k: Any) -> Any:
        start = time.process_time()
        try:
            return inner(*a, **k)
        finally:
            times[label] += time.process_time() - start

    setattr(module, name, wrapper)


def worker(args: argparse.Namespace) -> dict[str, Any]:
    import index.analysis
    import index.entities
    import index.nlp
    import index.quotes
    import index.speakers
    from index.documents import load_document
    from index.nlp import _merged, load_pipeline

    documents = [load_document(p) for p in chosen_files(args.corpus, args.articles)]
    words = sum(len(d.text.split()) for d in documents)
    nlp = load_pipeline()
    nlp("warm up.")
    times: dict[str, float] = defaultdict(float)
    pipes = {name: Timed(name, nlp.get_pipe(name), times)
             for name in ("senter", "ner", "tok2vec", "tagger", "parser", "broadsheet_pos")}
    nlp.get_pipe = pipes.__getitem__  # type: ignore[method-assign]
    make_doc = nlp.make_doc

    def timed_make_doc(text: str) -> Any:
        start = time.process_time()
        try:
            return make_doc(text)
        finally:
            times["tokenizer"] += time.process_time() - start

    nlp.make_doc = timed_make_doc  # type: ignore[method-assign]
    annotate = index.nlp._annotate

    def timed_annotate(component: Any, docs: Any) -> None:
        start = time.process_time()
        annotate(component.component, docs)
        times[component.name] += time.process_time() - start

    index.nlp._annotate = timed_annotate
    parsed = total = 0
    select = index.analysis.parse_runs

    def counting_select(doc: Any) -> Any:
        nonlocal parsed, total
        start = time.process_time()
        runs = select(doc)
        times["parse_runs"] += time.process_time() - start
        total += len(doc)
        parsed += sum(b - a for a, b in _merged(runs, len(doc)))
        return runs

    index.analysis.parse_runs = counting_select
    timed_function(index.entities, "analyse_entities", times, "entities")
    timed_function(index.quotes, "extract_statements", times, "statements")
    timed_function(index.speakers, "add_quoted_people", times, "quoted_people")
    start = time.process_time()
    for _ in index.analysis._analyse(nlp, iter(documents), args.batch):
        pass
    whole = time.process_time() - start
    figures: dict[str, Any] = {"articles": len(documents), "words": words,
                               "cpu_s": whole, "words_per_cpu_s": words / whole,
                               "parsed_share": parsed / max(1, total)}
    figures.update(times)
    figures["other"] = whole - sum(times.values())
    for k, v in figures.items():
        print(f"{k:18} {v:10.3f}" if isinstance(v, float) else f"{k:18} {v:10}")
    return figures


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    sub = parser.add_subparsers(dest="what", required=True)
    u = sub.add_parser("update")
    u.add_argument("--articles", type=int, default=400, help="0: the whole corpus")
    u.add_argument("--profile", type=int, default=0)
    w = sub.add_parser("worker")
    w.add_argument("--articles", type=int, default=300)
    w.add_argument("--batch", type=int, default=16,
                   help="documents through the pipeline at once (default: a worker's batch)")
    for p in (u, w):
        p.add_argument("--corpus", type=Path, default=CORPUS)
    args = parser.parse_args()
    figures = update(args) if args.what == "update" else worker(args)
    print(json.dumps({k: round(v, 3) if isinstance(v, float) else v
                      for k, v in figures.items()}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
