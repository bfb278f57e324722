"""Analysis speed, one process: selective parsing against the whole pipeline and bare NER.

Run from the repository root (not part of ``make test``; the machine is shared, so run it
with ``nice`` and read the CPU-time figures, which other processes disturb less than the
wall-clock ones)::

    nice python tests/benchmarks/analysis_speed.py [--articles 300] [--repeat 1]

It takes ``--articles`` BBC articles spread over ``../shared/corpus/bbc`` (every n-th file in
sorted order, as ``bench.py``'s bare-NER sample does) and times, on the same texts:

* ``analyse``: :class:`index.analysis.Analyser` as the library runs it (NER and senter on
  every word, tagger and parser on the selected sentences, then the extractors);
* ``full``: the whole pipeline on every word (``nlp.pipe``) and the same extractors — what
  the analyser did before selective parsing;
* ``ner``: bare spaCy NER (``select_pipes(enable=["ner"])``), the bench's
  ``spacy_ner_words_per_s``;

and prints words per second of CPU time and of wall time for each run (``--repeat`` rounds,
the fastest counting), the share of tokens parsed, and one JSON line.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))

from index.nlp import one_blas_thread  # noqa: E402  (needs the path above)

one_blas_thread()

CORPUS = REPO.parent / "shared" / "corpus" / "bbc"


def timed(run: Callable[[], object]) -> tuple[float, float]:
    cpu, wall = time.process_time(), time.perf_counter()
    run()
    return time.process_time() - cpu, time.perf_counter() - wall


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--articles", type=int, default=300)
    parser.add_argument("--corpus", type=Path, default=CORPUS)
    parser.add_argument("--repeat", type=int, default=2,
                        help="rounds of the three runs, in turn; the fastest of each counts")
    args = parser.parse_args()

    from index.analysis import Analyser, parse_runs
    from index.documents import load_document
    from index.entities import extract_entities
    from index.nlp import _merged, load_pipeline
    from index.quotes import extract_statements

    files = sorted(p for p in args.corpus.rglob("*.txt") if p.name != "README.TXT")
    chosen = files[:: max(1, len(files) // args.articles)][: args.articles]
    documents = [load_document(p) for p in chosen]
    texts = [d.text for d in documents]
    words = sum(len(t.split()) for t in texts)
    nlp = load_pipeline()
    nlp("warm up.")

    def full() -> None:
        for doc, document in zip(nlp.pipe(texts, batch_size=32), documents, strict=True):
            people, _ = extract_entities(doc, document)
            extract_statements(doc, people)

    def analyse() -> None:
        for _ in Analyser().analyse_many(documents):
            pass

    def ner() -> None:
        with nlp.select_pipes(enable=["ner"]):
            for _ in nlp.pipe(texts, batch_size=32):
                pass

    figures: dict[str, object] = {"articles": len(texts), "words": words}
    best: dict[str, tuple[float, float]] = {}
    runs = (("ner", ner), ("full", full), ("analyse", analyse))
    for k in range(args.repeat):
        # in turn, and the other way round every second round: load from other processes
        # changes over minutes
        for name, run in runs if k % 2 == 0 else runs[::-1]:
            cpu, wall = timed(run)
            print(f"{name:8} {cpu:6.1f} s CPU {words / cpu:8,.0f} words/s   "
                  f"{wall:6.1f} s wall {words / wall:8,.0f} words/s", flush=True)
            old = best.get(name, (cpu, wall))
            best[name] = (min(old[0], cpu), min(old[1], wall))
    for name, (cpu, wall) in best.items():
        figures[f"{name}_words_per_cpu_s"] = round(words / cpu)
        figures[f"{name}_words_per_s"] = round(words / wall)

    senter, ner_pipe = nlp.get_pipe("senter"), nlp.get_pipe("ner")
    parsed = total = 0
    for text in texts:
        doc = ner_pipe(senter(nlp.make_doc(text)))  # type: ignore[operator]
        total += len(doc)
        parsed += sum(b - a for a, b in _merged(parse_runs(doc), len(doc)))
    figures["parsed_share"] = round(parsed / total, 3)
    print(f"tokens parsed: {parsed:,} of {total:,} ({parsed / total:.1%})")
    print(json.dumps(figures))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
