"""Queries: every malformed or too costly query is a QueryError, a cancelled search stops,
and only damage to the index is taken for damage (index/query.py, search.run_search).

The searches run on the Whoosh searcher of a real library (the fake analyser of
``test_library``) through :func:`index.search.run_search`, the function the library calls.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from test_library import FakeAnalyser, write  # tests/index is on sys.path (no __init__)

from index.library import Library
from index.library import query as Q
from index.library.search import (
    QueryError,
    SearchCancelled,
    is_damage,
    make_snippet,
    parse_query,
    run_search,
    title_span,
)

#: Distinct words enough for one wildcard to stand for more than MAX_EXPANSION of them.
MANY = [f"zed{i:04d}" for i in range(Q.MAX_EXPANSION + 20)]


@pytest.fixture(scope="module")
def library(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Library]:
    root = tmp_path_factory.mktemp("query")
    folder = root / "texts"
    write(folder / "phones.txt", "Mobile phones\n\nThe mobile phone market grew. Phones "
          "and telephones were sold; a phoney war on prices began.\n")
    write(folder / "words.txt", "Many words\n\n" + " ".join(MANY) + "\n")
    for i in range(30):
        write(folder / f"filler{i:02d}.txt", f"Filler {i}\n\nThe market for phone {i} rose.\n")
    lib = Library(root / "data", with_seeds=False, analyser=FakeAnalyser())
    lib.add_sources([folder])
    lib.update()
    yield lib
    lib.close()


def searcher_of(library: Library) -> Any:
    """The library's live Whoosh searcher (the one its own search runs on)."""
    return library._fresh_searcher()


# ---------------------------------------------------------------------------- parsing


@pytest.mark.parametrize(
    ("query", "says"),
    [
        ("word~1/99", "longer than the word"),  # was an IndexError inside Whoosh
        ("France~9", "at most 2 differences"),
        ("Wilkinson~5", "Wilkinson~2"),
        ("phone^5000", "boost"),
        ("x" * (Q.MAX_QUERY_CHARS + 1), "too long"),
        ("(" * 300 + "a" + ")" * 300, "parentheses"),  # was a RecursionError
        ("(" * (Q.MAX_DEPTH + 1) + "a" + ")" * (Q.MAX_DEPTH + 1), "parentheses"),
    ],
)
def test_malformed_or_costly_query_is_a_query_error(query: str, says: str) -> None:
    with pytest.raises(QueryError) as caught:
        parse_query(query)
    assert says in caught.value.message
    assert "\n" not in caught.value.message


def test_a_100_kb_one_word_query_is_refused_by_its_length() -> None:
    # Whoosh's parser spent a minute on this (quadratic in the word's length).
    with pytest.raises(QueryError, match="1,000"):
        parse_query("a" * 100_000)


def test_queries_at_the_limits_still_parse() -> None:
    parse_query("(" * Q.MAX_DEPTH + "phone" + ")" * Q.MAX_DEPTH)
    parse_query("phone~2 OR phone~2/5 OR phone^1000")
    parse_query(("phone OR " * 200)[: Q.MAX_QUERY_CHARS - 6] + " phone")


# ---------------------------------------------------------------------------- expansion


@pytest.mark.parametrize(
    ("query", "says"),
    [
        ("*?*", "give more letters"),
        ("zed*", "give more letters"),
        ("[a TO zz]", "narrow the range"),
        ("[b TO zzz\n]", "narrow the range"),  # the fuzzer found one: its message had a line break
        (" OR ".join(f"zed000{i}~1" for i in range(9)), "the limit is 8"),
    ],
)
def test_a_term_standing_for_too_many_words_is_a_query_error(
    library: Library, query: str, says: str
) -> None:
    with pytest.raises(QueryError) as caught:
        run_search(searcher_of(library), query)
    assert says in caught.value.message
    assert "\n" not in caught.value.message


def test_expanded_terms_find_what_whoosh_finds(library: Library) -> None:
    searcher = searcher_of(library)
    for query in ("phone~", "phone~2", "phones~1/3", "tele*", "phon?", "[phone TO phonez]"):
        ours = {h.key for h in run_search(searcher, query, limit=100).hits}
        whoosh = {hit["key"] for hit in searcher.search(parse_query(query), limit=100)}
        assert ours == whoosh and ours, query


def test_a_bare_star_finds_every_article_cheaply(library: Library) -> None:
    result = run_search(searcher_of(library), "*")
    assert result.total == 32
    assert parse_query("*").fieldname is None  # every document, not every word of the text


# ---------------------------------------------------------------------------- cancellation


def test_should_stop_abandons_the_search(library: Library) -> None:
    asked: list[int] = []

    def stop() -> bool:
        asked.append(1)
        return True

    with pytest.raises(SearchCancelled):
        run_search(searcher_of(library), "market", should_stop=stop)
    assert asked
    with pytest.raises(SearchCancelled):
        run_search(searcher_of(library), "phone~2", should_stop=stop)
    assert run_search(searcher_of(library), "market", should_stop=lambda: False).total == 31


# ---------------------------------------------------------------------------- query or damage


def test_whoosh_failing_on_a_sound_index_is_the_query(
    library: Library, monkeypatch: pytest.MonkeyPatch
) -> None:
    from whoosh import query as wq

    def broken(self: Any, searcher: Any, context: Any = None) -> Any:
        raise IndexError("string index out of range")

    monkeypatch.setattr(wq.Term, "matcher", broken)
    with pytest.raises(QueryError, match="could not be run"):
        run_search(searcher_of(library), "market")


def test_read_errors_and_a_failing_probe_are_damage(library: Library) -> None:
    reader = searcher_of(library).reader()
    assert not is_damage(IndexError("x"), reader)
    assert is_damage(OSError("gone"), reader)

    class Unreadable:
        def doc_count(self) -> int:
            raise ValueError("bad segment")

    assert is_damage(IndexError("x"), Unreadable())


# ---------------------------------------------------------------------------- titles


def test_snippet_never_runs_the_title_into_the_body(library: Library) -> None:
    text = "Mobile phones\n\nThe mobile phone market grew."
    title = (0, 13)
    snippet = make_snippet(text, [(15 + 4, 15 + 10)], title=title)
    assert snippet == "The <b>mobile</b> phone market grew."
    # Only the title matched: the title, then the body's opening, joined by a dash.
    assert make_snippet(text, [(7, 13)], title=title) == (
        "Mobile <b>phones</b> — The mobile phone market grew."
    )
    # Through the library: no snippet starts with the headline.
    hits = run_search(searcher_of(library), "market", limit=50).hits
    assert all(not h.snippet.startswith(h.title) for h in hits)


def test_title_span_reads_stored_blocks_and_model_blocks() -> None:
    from index.model import Block

    assert title_span([("title", 0, 5, 1), ("paragraph", 7, 9, 0)]) == (0, 5)
    assert title_span([Block("title", 0, 5, 1)]) == (0, 5)
    assert title_span([("paragraph", 0, 5, 0)]) is None
    assert title_span(None) is None

