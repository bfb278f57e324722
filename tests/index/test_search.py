"""Search: the query language, malformed queries, hits and snippets, ``broadsheet search``.

The seed article is analysed once (the session's spaCy ``analyser``) into a module-wide
library; the rest uses small texts and the fake analyser of ``test_library``.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from test_library import FakeAnalyser, write  # tests/index is on sys.path (no __init__)

from index.library import Library
from index.library.search import check_query, make_snippet, parse_query
from index.model import QueryError


@pytest.fixture(scope="module")
def seed_library(tmp_path_factory: pytest.TempPathFactory, analyser: object) -> Library:
    """The bundled seed, indexed with the real analyser, once for this module."""
    library = Library(tmp_path_factory.mktemp("seed-data"), analyser=analyser)
    report = library.update()
    assert len(report.added) >= 1 and not report.failed
    return library


def marked(library: Library, query: str) -> list[str]:
    """The text at each hit of the first result."""
    hit = library.search(query).hits[0]
    text = library.article(hit.key).text
    return [text[a:b] for a, b in hit.hits]


# ---------------------------------------------------------------------------- the seed


@pytest.mark.slow
def test_phrase_with_hyphen(seed_library: Library) -> None:
    result = seed_library.search('"anti-ship"')
    assert result.total == 1
    assert "<b>anti-ship</b>" in result.hits[0].snippet
    assert set(marked(seed_library, '"anti-ship"')) == {"anti-ship"}


@pytest.mark.slow
def test_person_by_surname_and_full_name(seed_library: Library) -> None:
    assert seed_library.search("person:Austin").total == 1
    assert seed_library.search('person:"Lloyd Austin"').total == 1
    assert seed_library.search("person:Hamada").total == 1
    assert seed_library.search("person:Nobody").total == 0
    # The reader marks every mention: "Lloyd Austin" and each "Mr Austin".
    mentions = marked(seed_library, "person:Austin")
    assert len(mentions) >= 3 and all("Austin" in m for m in mentions)


@pytest.mark.slow
def test_place(seed_library: Library) -> None:
    result = seed_library.search("place:Taiwan")
    assert result.total == 1
    assert set(marked(seed_library, "place:Taiwan")) == {"Taiwan"}
    assert "<b>Taiwan</b>" in result.hits[0].snippet


@pytest.mark.slow
def test_fuzzy_term_finds_the_right_spelling(seed_library: Library) -> None:
    assert seed_library.search("Hayshi~").total == 1
    assert set(marked(seed_library, "Hayshi~")) == {"Hayashi"}


@pytest.mark.slow
def test_stemming_and_wildcards(seed_library: Library) -> None:
    assert "upgraded" in set(marked(seed_library, "upgrade"))
    assert "upgraded" in set(marked(seed_library, "upgr*"))
    assert all(w.lower().startswith("upgrad") for w in marked(seed_library, "upgrades"))
    assert seed_library.search("Taiwan NOT Japan").total == 0
    assert seed_library.search("Taiwan AND Japan").total == 1


@pytest.mark.slow
def test_misspelling_suggests(seed_library: Library) -> None:
    result = seed_library.search("hayshi")
    assert result.total == 0 and result.hits == ()
    assert result.suggestion == "hayashi"


@pytest.mark.slow
def test_hits_in_marks_the_article(seed_library: Library) -> None:
    hit = seed_library.search("Taiwan").hits[0]
    assert seed_library.hits_in(hit.key, "Taiwan") == hit.hits
    assert seed_library.hits_in(hit.key, "zebra") == ()


# ---------------------------------------------------------------------------- malformed


@pytest.mark.parametrize(
    ("query", "says"),
    [
        ('"anti-ship', "quotation marks"),
        ("AND", "AND"),
        ("Taiwan AND", "AND"),
        ("OR Taiwan", "OR"),
        ("Taiwan AND OR Japan", "AND"),
        ("Taiwan NOT", "NOT"),
        ("(Taiwan OR Japan", "parentheses"),
        ("Taiwan)", "parentheses"),
        ("author:Austin", "Unknown field"),
        ("person:", "person:"),
        ("   ", "search for"),
    ],
)
def test_malformed_query_says_what_is_wrong(query: str, says: str, data_dir: Path) -> None:
    with pytest.raises(QueryError) as caught:
        Library(data_dir, with_seeds=False).search(query)
    assert says in caught.value.message
    assert "\n" not in caught.value.message


@pytest.mark.parametrize(
    "query",
    ['"anti-ship"', "person:Austin", 'person:"Lloyd Austin"', "title:talks", "place:Taiwan",
     "Hayshi~", "upgr*", "(Taiwan OR Japan) AND NOT Russia", "Taiwan ANDNOT Japan",
     "10:30", 'title:"two plus two"'],
)
def test_wellformed_queries_pass(query: str) -> None:
    check_query(query)
    parse_query(query)


# ---------------------------------------------------------------------------- hits, snippets


@pytest.fixture
def small_library(data_dir: Path, tmp_path: Path) -> Library:
    folder = tmp_path / "texts"
    write(folder / "one.txt", "Ship news\n\nThe anti-ship missiles were upgraded. A ship "
          "sailed. Profits <rose> & fell at the chief executive's desk.\n")
    write(folder / "two.txt", "Other news\n\nNothing about boats here, only the chief cook "
          "and an executive.\n")
    library = Library(data_dir, with_seeds=False, analyser=FakeAnalyser())
    library.add_sources([folder])
    library.update()
    return library


def test_phrase_marks_only_the_phrase(small_library: Library) -> None:
    assert marked(small_library, '"chief executive"') == ["chief executive"]
    assert small_library.search('"chief executive"').total == 1
    assert small_library.search("chief AND executive").total == 2


def test_hit_offsets_point_at_the_words(small_library: Library) -> None:
    assert marked(small_library, "ship") == ["Ship", "ship", "ship"]  # title, anti-ship, ship
    assert marked(small_library, "upgrading") == ["upgraded"]
    assert marked(small_library, "ship NOT boats") == ["Ship", "ship", "ship"]
    # What is under NOT is not marked.
    hit = small_library.search("executive NOT missiles").hits[0]
    assert hit.title == "Other news"


def test_snippet_is_escaped_html_with_bold_hits(small_library: Library) -> None:
    snippet = small_library.search("profits").hits[0].snippet
    assert "<b>Profits</b> &lt;rose&gt; &amp; fell" in snippet
    assert "\n" not in snippet


def test_ranked_hits_and_total(small_library: Library) -> None:
    result = small_library.search("news", limit=1)
    assert result.total == 2 and len(result.hits) == 1
    assert result.hits[0].score > 0
    both = small_library.search("news").hits
    assert [h.score for h in both] == sorted((h.score for h in both), reverse=True)


def test_make_snippet_centres_on_the_hits() -> None:
    text = ("Filler words come first. " * 20) + "Here the target word sits. " + (
        "More filler follows. " * 20)
    start = text.index("target")
    snippet = make_snippet(text, [(start, start + 6)])
    assert "<b>target</b>" in snippet
    assert snippet.startswith("…") and snippet.endswith("…")
    assert len(re.sub(r"</?b>", "", snippet)) < 300
    assert make_snippet("Short text.", []) == "Short text."


def test_empty_library_finds_nothing(data_dir: Path) -> None:
    result = Library(data_dir, with_seeds=False).search("anything")
    assert result.hits == () and result.total == 0


# ---------------------------------------------------------------------------- broadsheet search


@pytest.fixture
def indexed(small_library: Library) -> Library:
    small_library.close()
    return small_library


def test_cli_search_json_has_exactly_the_keys(
    indexed: Library, capsys: pytest.CaptureFixture[str]
) -> None:
    from index.cli import main

    assert main(["search", "--json", "ship OR news"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 2
    for line in lines:
        hit = json.loads(line)
        assert list(hit) == ["key", "path", "title", "score", "snippet", "hits"]
        assert all(isinstance(h, list) and len(h) == 2 for h in hit["hits"])
    assert main(["search", "--json", "--limit", "1", "news"]) == 0
    assert len(capsys.readouterr().out.splitlines()) == 1


def test_cli_search_text_output(indexed: Library, capsys: pytest.CaptureFixture[str]) -> None:
    from index.cli import main

    assert main(["search", "upgraded"]) == 0
    out = capsys.readouterr().out
    assert "1 article matches" in out and "Ship news" in out and "[upgraded]" in out


def test_cli_malformed_query_exits_1_with_one_line(
    indexed: Library, capsys: pytest.CaptureFixture[str]
) -> None:
    from index.cli import main

    assert main(["search", '"unbalanced']) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    assert len(captured.err.strip().splitlines()) == 1
    assert "quotation marks" in captured.err and "Traceback" not in captured.err


def test_cli_no_hits_suggests(indexed: Library, capsys: pytest.CaptureFixture[str]) -> None:
    from index.cli import main

    assert main(["search", "missles"]) == 0
    out = capsys.readouterr().out
    assert "No articles match." in out and "Did you mean: missiles" in out


def test_suggestions(small_library: Library) -> None:
    assert small_library.search("missles AND profits").suggestion == "missiles AND profits"
    assert small_library.search("upgradde").suggestion == "upgraded"
    assert small_library.search("ship AND zzzzzz").suggestion is None
    assert small_library.search("ship").suggestion is None  # only when nothing matched


def test_cli_bad_limit(indexed: Library, capsys: pytest.CaptureFixture[str]) -> None:
    from index.cli import main

    assert main(["search", "--limit", "0", "ship"]) == 1
    assert "--limit" in capsys.readouterr().err


@pytest.mark.parametrize(
    "query",
    ['"chief executive"', '"anti-ship missiles"', '"the anti-ship missiles were upgraded"',
     '"chief cook and an executive"', 'ship NOT "chief executive"', '"executive desk"',
     '"missiles upgraded"', '"ship"', 'title:"ship news"'],
)
def test_word_pairs_answer_phrases_as_whoosh_does(small_library: Library, query: str) -> None:
    from whoosh import query as wq

    from index.library.search import fast_phrases

    q = parse_query(query)
    with small_library._lock:
        searcher = small_library._fresh_searcher()
        plain = set(searcher.docs_for_query(q))
        paired = set(searcher.docs_for_query(fast_phrases(q)))
    assert paired == plain
    phrases = [leaf for leaf in fast_phrases(q).leaves() if isinstance(leaf, wq.Phrase)]
    if query in ('"chief executive"', '"missiles upgraded"'):
        assert not phrases  # two words: one pair term, no position walk
