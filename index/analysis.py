"""The analyser: one document in, its people, places and statements out.

It runs the spaCy pipeline once per document (``nlp.pipe`` in batches when there are many)
and hands the parsed ``Doc`` to the extractors: :func:`index.entities.extract_entities` for
people and places, then :func:`index.quotes.extract_statements`, which needs the people to
name speakers. The spaCy objects never leave this module and the extractors; callers get
:class:`index.model.Analysis`.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from index.model import Analysis, Document
from index.nlp import MAX_CHUNK


def chunks(text: str, limit: int = MAX_CHUNK) -> list[str]:
    """``text`` cut into pieces of at most about ``limit`` characters, at paragraph breaks
    where there are any (else at a line or a space), so that ``"".join(...) == text``."""
    pieces: list[str] = []
    start = 0
    while len(text) - start > limit:
        window = text[start : start + limit]
        cut = max(window.rfind("\n\n"), window.rfind("\n"), window.rfind(" "))
        end = start + (cut + 1 if cut > limit // 4 else limit)
        pieces.append(text[start:end])
        start = end
    pieces.append(text[start:])
    return pieces


class Analyser:
    """Analyses documents with one loaded model.

    ``batch_size`` is passed to ``nlp.pipe``; ``n_process`` > 1 forks worker processes,
    worth it only for large batches (the benchmark corpus), not for a handful of files.
    """

    def __init__(self, *, batch_size: int = 32, n_process: int = 1) -> None:
        from index.nlp import load_pipeline

        self.nlp = load_pipeline()
        self.batch_size = batch_size
        self.n_process = n_process

    def analyse(self, document: Document) -> Analysis:
        return next(self.analyse_many([document]))

    def analyse_many(self, documents: Iterable[Document]) -> Iterator[Analysis]:
        """Yields one :class:`Analysis` per document, in order, lazily.

        A document longer than :data:`index.nlp.MAX_CHUNK` is parsed in pieces that are
        joined back into one ``Doc`` (offsets unchanged) before extraction.
        """
        from spacy.tokens import Doc

        from index.entities import extract_entities
        from index.quotes import extract_statements

        pending: dict[int, Document] = {}

        def texts() -> Iterator[tuple[str, tuple[int, int, int]]]:
            for i, document in enumerate(documents):
                pending[i] = document
                pieces = chunks(document.text)
                for j, piece in enumerate(pieces):
                    yield piece, (i, j, len(pieces))

        parts: list[Doc] = []
        for doc, (i, j, n) in self.nlp.pipe(
            texts(), as_tuples=True, batch_size=self.batch_size, n_process=self.n_process
        ):
            parts.append(doc)
            if j + 1 < n:
                continue
            whole = parts[0] if n == 1 else Doc.from_docs(parts, ensure_whitespace=False)
            parts = []
            document = pending.pop(i)
            people, places = extract_entities(whole, document)
            statements = extract_statements(whole, people)
            yield Analysis(tuple(people), tuple(places), tuple(statements))
