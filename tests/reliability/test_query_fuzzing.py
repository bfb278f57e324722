"""Property-based query fuzzing (issue 13, 2 and 5): whatever is typed into the search
field, the answer is results or a :class:`QueryError` — never another exception, never
the index taken for damaged — and the library answers as before afterwards.

Hypothesis draws queries from the query grammar (words, phrases, fields known and unknown,
AND/OR/NOT, parentheses, wildcards, fuzzy terms with any numbers, ranges, boosts) mixed
with arbitrary text, on a real library of generated articles (100; 200 in soak). 200 queries in
``make test``, 2,000 in ``make soak``; the slowest is printed, not asserted.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from corpus import NamesAnalyser, library_articles
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from soak import SOAK  # tests/reliability is on sys.path (no __init__)

from index.library import Library
from index.model import LibraryCorrupt, QueryError, SearchCancelled

QUERIES = 2000 if SOAK else 200

_WORDS = ["minister", "budget", "flood", "harbour", "phone", "Japan", "London", "Paris",
          "Austin", "Lovelace", "kalo", "serta", "mi", "the", "and", "a", "report", "case",
          "AND", "OR", "NOT", "TO", "ANDNOT", "ANDMAYBE"]

word = st.one_of(
    st.sampled_from(_WORDS),
    st.sampled_from(_WORDS),
    st.text(alphabet="abcdefghijklmnopqrstuvwxyz", min_size=1, max_size=12),
    st.text(min_size=1, max_size=8),  # anything at all: quotes, colons, brackets, controls
)
number = st.one_of(st.integers(-3, 120).map(str), st.sampled_from(["", "1e308", "nan", "-"]))
term = st.one_of(
    word,
    st.tuples(word, st.sampled_from(["*", "?", "*?*", "~"])).map("".join),
    st.tuples(word, number).map(lambda t: f"{t[0]}~{t[1]}"),
    st.tuples(word, number, number).map(lambda t: f"{t[0]}~{t[1]}/{t[2]}"),
    st.tuples(word, number).map(lambda t: f"{t[0]}^{t[1]}"),
    st.sampled_from(["*", "?", "*?*", "*:*", "[a TO z]", "[TO]", "{a TO}", "[a TO]"]),
    st.tuples(word, word).map(lambda t: f"[{t[0]} TO {t[1]}]"),
    st.lists(word, min_size=1, max_size=5).map(lambda ws: '"' + " ".join(ws) + '"'),
    st.tuples(st.lists(word, min_size=1, max_size=3), number).map(
        lambda t: '"' + " ".join(t[0]) + f'"~{t[1]}'),
)
field = st.sampled_from(["", "", "", "title:", "person:", "place:", "speaker:", "quote:",
                         "text:", "date:", "*:"])
leaf = st.tuples(field, term).map("".join)
query_text = st.recursive(
    leaf,
    lambda inner: st.one_of(
        st.tuples(inner, st.sampled_from([" ", " AND ", " OR ", " NOT ", " ANDNOT "]), inner)
        .map("".join),
        inner.map(lambda q: f"({q})"),
        inner.map(lambda q: f"NOT {q}"),
        st.tuples(field, inner).map(lambda t: f"{t[0]}({t[1]})"),
    ),
    max_leaves=12,
)
hostile = st.one_of(
    query_text,
    query_text,
    query_text,
    st.text(max_size=60),
    st.integers(1, 400).map(lambda n: "(" * n + "a" + ")" * n),
    st.integers(900, 1100).map(lambda n: "a" * n),
    st.integers(1, 150).map(lambda n: " OR ".join(f"w{i}*" for i in range(n))),
    st.integers(1, 40).map(lambda n: " OR ".join(f"{w}~2" for w in _WORDS[:n % 24 + 1])),
)


@pytest.fixture(scope="module")
def library(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Library]:
    """200 generated articles, or the library in ``$BROADSHEET_FUZZ_DATA`` (a data
    directory already indexed, e.g. the BBC corpus, for a soak on real text)."""
    existing = os.environ.get("BROADSHEET_FUZZ_DATA")
    if existing:
        with Library(Path(existing), with_seeds=False) as lib:
            yield lib
        return
    root = tmp_path_factory.mktemp("fuzz")
    library_articles(root / "articles", count=200 if SOAK else 100)
    lib = Library(root / "data", with_seeds=False, analyser=NamesAnalyser(), processes=1)
    lib.add_sources([root / "articles"])
    lib.update()
    yield lib
    lib.close()


def _baseline(library: Library) -> tuple[int, tuple[str, ...]]:
    result = library.search("minister OR person:Austin")
    return result.total, tuple(h.key for h in result.hits)


def test_fuzzed_queries_give_results_or_a_query_error(
    library: Library, figures: dict[str, Any]
) -> None:
    """Through ``Library.search``, as the window and the command line search."""
    expected = _baseline(library)
    assert expected[0] > 0  # a library that answers, or "as before" would prove nothing
    seen = {"queries": 0, "query errors": 0, "slowest": (0.0, "")}

    @settings(max_examples=QUERIES, deadline=None, derandomize=True, database=None,
              suppress_health_check=list(HealthCheck))
    @given(hostile)
    def one(text: str) -> None:
        started = time.perf_counter()
        try:
            result = library.search(text)
            if result.hits:  # and the reader marks the hits in the article
                library.hits_in(result.hits[0].key, text)
        except QueryError as exc:
            assert exc.message and "\n" not in exc.message
            seen["query errors"] += 1
        took = time.perf_counter() - started
        seen["queries"] += 1
        seen["slowest"] = max(seen["slowest"], (took, text[:60]))
        assert _baseline(library) == expected  # the library answers as before

    one()
    slowest, query = seen["slowest"]
    figures["fuzzing: queries"] = seen["queries"]
    figures["fuzzing: QueryErrors"] = seen["query errors"]
    figures["fuzzing: other exceptions"] = 0
    figures["fuzzing: slowest query (s)"] = slowest
    figures["fuzzing: slowest query"] = repr(query)


@pytest.fixture(scope="module")
def small_library(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Library]:
    """20 articles: over a thousand distinct words (more than a wildcard may stand for),
    few enough documents that a query the library fails to refuse is over in seconds."""
    root = tmp_path_factory.mktemp("small")
    library_articles(root / "articles", count=20)
    lib = Library(root / "data", with_seeds=False, analyser=NamesAnalyser(), processes=1)
    lib.add_sources([root / "articles"])
    lib.update()
    yield lib
    lib.close()


#: Refused by the query's own checks (index.library.query) whoever runs it.
BROKEN = ["word~1/99", "France~99", "(" * 300 + "a" + ")" * 300, "a" * 100_000,
          "Wilkinson~9", "phone^5000"]
#: Refused only when the words a term stands for are counted (expansion bounded).
COSTLY = ["*?*", "?*", "[a TO z]", "text:[a TO]"]


@pytest.mark.parametrize("query", [*BROKEN, *COSTLY])
def test_library_search_takes_no_query_for_damage(small_library: Library, query: str) -> None:
    """Through ``Library.search``: every one of these costly or broken queries is a
    QueryError (was: LibraryCorrupt, a RecursionError, or seconds to a minute of work)."""
    try:
        small_library.search(query)
    except LibraryCorrupt as exc:  # the fault this test is about
        pytest.fail(f"{query[:30]!r} was taken for damage: {exc.message}")
    except QueryError:
        pass
    else:
        pytest.fail(f"{query[:30]!r} was run in full, not refused")
    assert small_library.search("minister").total > 0


def test_a_superseded_search_is_abandoned(small_library: Library) -> None:
    asked: list[bool] = []

    def replaced() -> bool:
        asked.append(True)
        return True

    with pytest.raises(SearchCancelled):
        small_library.search("minister OR harbour~2", should_stop=replaced)
    assert asked
    assert small_library.search("minister", should_stop=lambda: False).total > 0
