"""One contract, two implementations: what the window relies on from the library.

The window's tests drive the real :class:`index.library.Library`; the one stand-in left is
the analyser (:class:`fakes.FakeAnalyser` instead of spaCy). So this suite runs every
library call and value the window uses on a library analysed by the fake *and* by the real
:class:`index.analysis.Analyser`: the fake cannot hand the window an answer the real one
never gives (offsets outside the text, a statement whose text is not the text at its
offsets, a speaker who is not among the people, escaping, keys where paths were, the
errors raised). The bookmark store is the real one everywhere, so it needs no twin.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fakes import FakeAnalyser

from index.library import Library
from index.model import (
    Article,
    ArticleInfo,
    EntityKind,
    LibraryEntity,
    LibraryStatement,
    Problem,
    QueryError,
    SearchHit,
    UpdateReport,
)
from index.paths import document_key

TELECOMS = ("NEW YORK – AT&T said on Monday its network would reach more towns, "
            "Lloyd Austin said.\n\n“We will connect every town in Japan and Taiwan,” "
            "said Lloyd Austin.\n")
KYRGYZ = "BISHKEK – Kyrgyz voters went to the polls on Sunday.\n\nTurnout was low.\n"


@pytest.fixture(params=["fake analyser", pytest.param("spaCy", marks=pytest.mark.slow)])
def which_analyser(request: pytest.FixtureRequest):  # type: ignore[no-untyped-def]
    if request.param == "spaCy":
        return request.getfixturevalue("analyser")  # tests/conftest.py: one per run
    return FakeAnalyser()


@pytest.fixture
def news(tmp_path: Path) -> Path:
    folder = tmp_path / "news"
    folder.mkdir()
    (folder / "telecoms.txt").write_text(TELECOMS, encoding="utf-8")
    (folder / "kyrgyz.txt").write_text(KYRGYZ, encoding="utf-8")
    (folder / "broken.txt").write_bytes(bytes(range(256)) * 4)
    return folder


@pytest.fixture
def library(data_dir: Path, news: Path, which_analyser) -> Iterator[Library]:  # type: ignore[no-untyped-def]
    lib = Library(data_dir, analyser=which_analyser, processes=1)
    lib.add_sources([news])
    report = lib.update()
    assert report.added and not report.cancelled
    yield lib
    lib.close()


def _article(library: Library, path: Path) -> Article:
    return library.article(document_key(path))


def test_documents_are_article_infos_keyed_by_path(library: Library, news: Path) -> None:
    docs = library.documents()
    assert all(isinstance(d, ArticleInfo) for d in docs)
    by_key = {d.key: d for d in docs}
    info = by_key[document_key(news / "telecoms.txt")]
    assert info.path == str(news / "telecoms.txt") and info.source == str(news)
    assert info.title and isinstance(info.copies, tuple)
    assert library.key_for_path(news / "telecoms.txt") == info.key


def test_an_article_s_offsets_are_offsets_into_its_text(library: Library) -> None:
    for info in library.documents():
        article = library.article(info.key)
        text, analysis = article.text, article.analysis
        assert article.info.key == info.key
        ends = [0]
        for block in article.blocks:
            assert ends[-1] <= block.start < block.end <= len(text)
            ends.append(block.end)
        names = {p.name for p in analysis.people}
        for entity in (*analysis.people, *analysis.places):
            assert entity.name and list(entity.mentions) == sorted(entity.mentions)
            for start, end in entity.mentions:
                assert 0 <= start < end <= len(text) and text[start:end].strip()
        for s in analysis.statements:
            assert text[s.start:s.end] == s.text
            assert s.speaker_kind in ("person", "group", "organisation", "unknown")
            assert (s.speaker in names) == (s.speaker_kind == "person")


def test_an_unknown_article_is_a_key_error(library: Library) -> None:
    with pytest.raises(KeyError):
        library.article("0000000000000000")


def test_search_answers_escaped_snippets_and_hits_in_the_text(library: Library,
                                                            news: Path) -> None:
    result = library.search("network")
    assert result.total == 1 and result.query == "network"
    hit = result.hits[0]
    assert isinstance(hit, SearchHit) and hit.key == document_key(news / "telecoms.txt")
    assert "AT&amp;T" in hit.snippet and "<b>network</b>" in hit.snippet  # HTML, once
    text = _article(library, news / "telecoms.txt").text
    assert hit.hits and all(text[s:e].lower() == "network" for s, e in hit.hits)
    assert library.hits_in(hit.key, "network") == hit.hits
    assert library.search("zzqqxx").total == 0


def test_a_bad_query_is_a_query_error_with_a_message(library: Library) -> None:
    with pytest.raises(QueryError) as raised:
        library.search("title:(japan")
    assert raised.value.message
    with pytest.raises(QueryError):
        library.hits_in(library.documents()[0].key, "title:(japan")


def test_library_wide_people_places_and_statements(library: Library, news: Path) -> None:
    telecoms = document_key(news / "telecoms.txt")
    people = library.entities(EntityKind.PERSON)
    assert all(isinstance(e, LibraryEntity) and e.kind == EntityKind.PERSON for e in people)
    austin = next(e for e in people if e.name == "Lloyd Austin")
    assert telecoms in {key for key, _title, n in austin.articles if n > 0}
    places = library.entities(EntityKind.PLACE)
    assert {"Japan", "Taiwan"} <= {e.name for e in places}
    statements = library.statements("Lloyd Austin")
    assert statements and all(isinstance(s, LibraryStatement) for s in statements)
    assert all(s.statement.speaker == "Lloyd Austin" for s in statements)
    assert any(s.key == telecoms and "connect every town" in s.statement.text
               for s in statements)
    assert len(library.statements()) >= len(statements)


def test_an_update_reports_keys_and_new_problems_only(library: Library, news: Path) -> None:
    problems = library.problems()
    assert [Path(p.path).name for p in problems] == ["broken.txt"]
    assert isinstance(problems[0], Problem) and problems[0].reason and problems[0].when
    token = library.state_token()
    (news / "kyrgyz.txt").write_text(KYRGYZ.replace("low", "high"), encoding="utf-8")
    (news / "harbour.txt").write_text("DOVER – The harbour reopened.\n\nShips came.\n",
                                      encoding="utf-8")
    report = library.update()
    assert isinstance(report, UpdateReport)
    assert report.updated == (document_key(news / "kyrgyz.txt"),)  # keys, not paths
    assert report.added == (document_key(news / "harbour.txt"),)
    assert report.failed == ()  # broken.txt is known: not reported again
    assert library.state_token() != token
    assert "high" in _article(library, news / "kyrgyz.txt").text


def test_retry_and_remove_a_problem(library: Library, news: Path) -> None:
    broken = news / "broken.txt"
    library.retry(broken)
    assert [Path(p.path).name for p in library.update().failed] == ["broken.txt"]
    library.remove_source(broken)
    report = library.update()
    assert report.failed == () and library.problems() == []
    assert library.key_for_path(broken) is None
