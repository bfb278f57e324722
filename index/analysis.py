"""The analyser: one document in, its people, places and statements out.

It runs the spaCy pipeline once per document (``nlp.pipe`` in batches when there are many)
and hands the parsed ``Doc`` to the extractors: :func:`index.entities.analyse_entities` for
people and places (with the evidence :mod:`index.evidence` weighs across a library), then
:func:`index.quotes.extract_statements`, which needs the people to name speakers. The spaCy
objects never leave this module and the extractors; callers get :class:`index.model.Analysis`.

With ``n_process`` > 1, worker processes run the whole of it — parsing *and* extraction —
and send back only the small ``Analysis`` objects: shipping parsed ``Doc``s back to the
parent (what ``nlp.pipe(n_process=...)`` does) cost the parent a third of a core on the
BBC corpus. A document whose bytes were already analysed in the same run (libraries hold
copies) reuses that analysis instead of being parsed again.
"""

from __future__ import annotations

import multiprocessing
import threading
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from typing import Any

from index.model import Analysis, Document
from index.nlp import MAX_CHUNK, load_pipeline, one_blas_thread

#: Documents sent to a worker process at a time.
WORKER_BATCH = 16


def chunks(text: str, limit: int = MAX_CHUNK) -> list[str]:
    """``text`` cut into pieces of at most about ``limit`` characters, at paragraph breaks
    where there are any (else at a line or a space), so that ``"".join(...) == text``."""
    pieces: list[str] = []
    start = 0
    while len(text) - start > limit:
        window = text[start : start + limit]
        end = start + limit  # no break at all: cut anywhere
        for separator in ("\n\n", "\n", " "):
            cut = window.rfind(separator)
            if cut > limit // 4:
                end = start + cut + len(separator)
                break
        pieces.append(text[start:end])
        start = end
    pieces.append(text[start:])
    return pieces


class Analyser:
    """Analyses documents with one loaded model (loaded when first needed, and in this
    process only where the work runs here or in forked copies of it).

    ``batch_size`` is passed to ``nlp.pipe``; ``n_process`` > 1 analyses in that many
    worker processes, worth it only for large batches (hundreds of articles).
    """

    def __init__(self, *, batch_size: int = 32, n_process: int = 1) -> None:
        self.batch_size = batch_size
        self.n_process = n_process

    def analyse(self, document: Document) -> Analysis:
        return next(self.analyse_many([document]))

    def analyse_many(self, documents: Iterable[Document]) -> Iterator[Analysis]:
        """Yields one :class:`Analysis` per document, in order, lazily: documents are
        taken from ``documents`` only as the analysis needs them."""
        if self.n_process > 1:
            return self._in_processes(documents)
        return _analyse(load_pipeline(), documents, self.batch_size)

    def _in_processes(self, documents: Iterable[Document]) -> Iterator[Analysis]:
        # Forking copies the loaded model for free, but is unsafe in a process with other
        # threads running (the window's): those start fresh interpreters instead. A worker
        # that dies (or cannot start) breaks the pool, which raises here rather than hang.
        method = "fork" if threading.active_count() == 1 else "spawn"
        if method == "fork":
            load_pipeline()  # once, here: the forked workers share it
        one_blas_thread()  # for spawned workers, which load numpy afresh
        pool = ProcessPoolExecutor(self.n_process, mp_context=multiprocessing.get_context(method))
        seen: dict[str, Analysis] = {}
        in_flight: deque[tuple[list[Document], Future[list[Analysis]]]] = deque()

        def results(batch: list[Document], job: Future[list[Analysis]]) -> Iterator[Analysis]:
            fresh = iter(job.result())
            for document in batch:
                if document.sha256 and document.sha256 in seen:
                    yield seen[document.sha256]
                else:
                    analysis = next(fresh)
                    if document.sha256:
                        seen[document.sha256] = analysis
                    yield analysis

        try:
            batch: list[Document] = []
            submitted: set[str] = set()
            unique: list[Document] = []
            for document in documents:
                batch.append(document)
                if not document.sha256 or document.sha256 not in submitted:
                    unique.append(document)
                    submitted.add(document.sha256)
                if len(batch) >= WORKER_BATCH:
                    in_flight.append((batch, pool.submit(_analyse_batch, unique)))
                    batch, unique = [], []
                    if len(in_flight) > 2 * self.n_process:
                        yield from results(*in_flight.popleft())
            if batch:
                in_flight.append((batch, pool.submit(_analyse_batch, unique)))
            while in_flight:
                yield from results(*in_flight.popleft())
        finally:
            # Also on cancel (the caller closed us): batches not started are dropped, the
            # running ones finish (a few seconds at most) and the workers exit.
            pool.shutdown(wait=True, cancel_futures=True)


def _analyse_batch(documents: list[Document]) -> list[Analysis]:
    """In a worker process: the analyses of ``documents``."""
    return list(_analyse(load_pipeline(), documents, len(documents) or 1))


def _analyse(nlp: Any, documents: Iterable[Document], batch_size: int) -> Iterator[Analysis]:
    """Parses and extracts, streaming. A document longer than
    :data:`index.nlp.MAX_CHUNK` is parsed in pieces joined back into one ``Doc`` (offsets
    unchanged); a document with the bytes of an earlier one reuses its analysis."""
    from spacy.tokens import Doc

    from index.entities import analyse_entities
    from index.quotes import extract_statements

    pending: deque[tuple[Document, bool]] = deque()  # (document, sent to the parser)
    sent: set[str] = set()
    seen: dict[str, Analysis] = {}

    def texts() -> Iterator[tuple[str, tuple[int, int]]]:
        for document in documents:
            copy = bool(document.sha256) and document.sha256 in sent
            pending.append((document, not copy))
            if copy:
                continue  # its original comes first and is analysed by then
            sent.add(document.sha256)
            pieces = chunks(document.text)
            for j, piece in enumerate(pieces):
                yield piece, (j, len(pieces))

    parts: list[Doc] = []
    for doc, (j, n) in nlp.pipe(texts(), as_tuples=True, batch_size=batch_size):
        parts.append(doc)
        if j + 1 < n:
            continue
        whole = parts[0] if n == 1 else Doc.from_docs(parts, ensure_whitespace=False)
        parts = []
        while not pending[0][1]:  # copies queued before this document
            yield seen[pending.popleft()[0].sha256]
        document = pending.popleft()[0]
        people, places, evidence = analyse_entities(whole, document)
        statements = extract_statements(whole, people)
        analysis = Analysis(tuple(people), tuple(places), tuple(statements), tuple(evidence))
        if document.sha256:
            seen[document.sha256] = analysis
        yield analysis
    while pending:  # copies at the very end
        yield seen[pending.popleft()[0].sha256]
