"""The library: incremental updates, rebuilds, locking, corruption, and ``broadsheet index``.

Most tests inject :class:`FakeAnalyser` (a few regular expressions instead of spaCy) to
stay fast; what they check — which articles are analysed again, what the index holds — does
not depend on how good the analysis is.
"""

from __future__ import annotations

import json
import os
import re
import threading
from collections.abc import Iterable, Iterator
from pathlib import Path

import pytest

from index import paths
from index.library import Library
from index.library.files import _key_of_resolved
from index.library.storage import CURRENT, INDEX_DIR, LOCK_FILE, VERSION_FILE
from index.model import (
    Analysis,
    Document,
    LibraryCorrupt,
    LibraryLocked,
    Person,
    Phase,
    Place,
    Progress,
    Statement,
)

KNOWN_PEOPLE = {
    "Lloyd Austin": ("Lloyd Austin", "Mr Austin"),
    "Ada Lovelace": ("Ada Lovelace", "Ms Lovelace"),
    "Alan Turing": ("Alan Turing", "Mr Turing"),
}
KNOWN_PLACES = ("Taiwan", "Japan", "London", "Paris")


class FakeAnalyser:
    """Finds the people and places above by name and quotes in curly quotation marks
    (said by the first person named); counts the documents it analysed."""

    def __init__(self, fail_after: int | None = None) -> None:
        self.analysed: list[Path] = []
        self.fail_after = fail_after

    def analyse_many(self, documents: Iterable[Document]) -> Iterator[Analysis]:
        for document in documents:
            if self.fail_after is not None and len(self.analysed) >= self.fail_after:
                raise RuntimeError("the analyser crashed")
            self.analysed.append(document.path)
            yield analyse(document.text)


def analyse(text: str) -> Analysis:
    people = []
    for name, forms in KNOWN_PEOPLE.items():
        mentions = sorted(
            (m.start(), m.end()) for form in forms for m in re.finditer(re.escape(form), text)
        )
        if mentions:
            people.append(Person(name, None, forms[1:], tuple(mentions)))
    places = [
        Place(name, "country", (), tuple((m.start(), m.end()) for m in re.finditer(name, text)))
        for name in KNOWN_PLACES
        if name in text
    ]
    speaker = people[0].name if people else None
    statements = [
        Statement(m.group(1), m.start(1), m.end(1), speaker, "person" if speaker else "unknown",
                  "said")
        for m in re.finditer(r"“([^”]+)”", text)
    ]
    return Analysis(tuple(people), tuple(places), tuple(statements))


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def make_library(data_dir: Path, analyser: FakeAnalyser | None = None, **kw: object) -> Library:
    return Library(data_dir, with_seeds=False, analyser=analyser or FakeAnalyser(), **kw)


def people(library: Library) -> dict[str, set[str]]:
    return {e.name: {a[0] for a in e.articles} for e in library.entities("person")}


# ---------------------------------------------------------------------------- updates


def test_first_update_indexes_every_article(data_dir: Path, articles: Path) -> None:
    library = make_library(data_dir)
    library.add_sources([articles])
    report = library.update()
    assert sorted(report.added) == sorted(
        paths.document_key(articles / n) for n in ("austin.txt", "lovelace.txt")
    )
    assert not report.failed and not report.cancelled
    titles = [info.title for info in library.documents()]
    assert titles == ["Austin visits Japan", "Engines of London"]
    assert library.search("engines").total == 1


def test_update_is_incremental_add_change_remove(data_dir: Path, articles: Path) -> None:
    analyser = FakeAnalyser()
    library = make_library(data_dir, analyser)
    library.add_sources([articles])
    library.update()
    austin_key = paths.document_key(articles / "austin.txt")
    lovelace_key = paths.document_key(articles / "lovelace.txt")
    assert people(library) == {"Lloyd Austin": {austin_key}, "Ada Lovelace": {lovelace_key}}

    # Add a file: only it is analysed.
    analyser.analysed.clear()
    turing = write(articles / "turing.txt", "Turing in Paris\n\nAlan Turing spoke in Paris.\n")
    report = library.update()
    assert report.added == (paths.document_key(articles / "turing.txt"),)
    assert report.unchanged == 2
    assert analyser.analysed == [turing]

    # Change a file: it is analysed again, and what it no longer says leaves the index.
    analyser.analysed.clear()
    write(articles / "austin.txt", "Austin visits Taiwan\n\nMr Turing, not Lloyd Austin, "
          "went to Taiwan.\n")
    report = library.update()
    assert report.updated == (paths.document_key(articles / "austin.txt"),)
    assert [p.name for p in analyser.analysed] == ["austin.txt"]
    assert library.search("upgrading").total == 0
    assert library.search("place:Taiwan").hits[0].key == austin_key
    assert library.search("place:Japan").total == 0
    assert not [s for s in library.statements() if s.key == austin_key]
    assert library.article(austin_key).info.title == "Austin visits Taiwan"

    # Remove a file: it leaves the index with its people, places and statements.
    analyser.analysed.clear()
    (articles / "lovelace.txt").unlink()
    report = library.update()
    assert report.removed == (paths.document_key(articles / "lovelace.txt"),)
    assert analyser.analysed == []
    assert "Ada Lovelace" not in people(library)
    assert "London" not in {e.name for e in library.entities("place")}
    assert not library.statements("Ada Lovelace")
    assert library.search("engines").total == 0
    assert library.key_for_path(articles / "lovelace.txt") is None
    with pytest.raises(KeyError):
        library.article(lovelace_key)


def test_unchanged_library_analyses_nothing(data_dir: Path, articles: Path) -> None:
    analyser = FakeAnalyser()
    library = make_library(data_dir, analyser)
    library.add_sources([articles])
    library.update()
    analyser.analysed.clear()
    report = library.update()
    assert analyser.analysed == []
    assert (report.added, report.updated, report.removed) == ((), (), ())
    assert report.unchanged == 2


def test_touched_file_with_same_content_is_not_analysed(data_dir: Path, articles: Path) -> None:
    analyser = FakeAnalyser()
    library = make_library(data_dir, analyser)
    library.add_sources([articles])
    library.update()
    analyser.analysed.clear()
    path = articles / "austin.txt"
    os.utime(path, (1_000_000_000, 1_000_000_000))
    report = library.update()
    assert analyser.analysed == [] and report.updated == () and report.unchanged == 2
    assert library.article(paths.document_key(path)).info.mtime == 1_000_000_000
    assert library.search('person:"Lloyd Austin"').total == 1  # still searchable
    analyser.analysed.clear()
    library.update()
    assert analyser.analysed == []  # the new mtime was remembered: no hashing loop


def test_new_process_sees_the_index(data_dir: Path, articles: Path) -> None:
    library = make_library(data_dir)
    library.add_sources([articles])
    library.update()
    library.close()

    def refuse(documents: Iterable[Document]) -> Iterator[Analysis]:
        raise AssertionError("opening or searching the library must not analyse anything")

    other = make_library(data_dir)
    other._analyser.analyse_many = refuse  # type: ignore[union-attr]
    assert other.search("person:Austin").total == 1
    article = other.article(paths.document_key(articles / "austin.txt"))
    assert article.text.startswith("Austin visits Japan")
    assert [p.name for p in article.analysis.people] == ["Lloyd Austin"]
    assert other.sources() == [articles.resolve()]


def test_seeds_come_first(data_dir: Path, articles: Path) -> None:
    library = Library(data_dir, analyser=FakeAnalyser())
    library.add_sources([articles])
    assert library.sources() == [paths.seeds_dir(), articles.resolve()]
    library.remove_source(articles)
    assert library.sources() == [paths.seeds_dir()]


def test_add_missing_source_is_an_error(data_dir: Path, tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        make_library(data_dir).add_sources([tmp_path / "nowhere"])


def test_unreadable_file_is_reported_and_others_indexed(data_dir: Path, articles: Path) -> None:
    write(articles / "empty.txt", "")
    library = make_library(data_dir)
    library.add_sources([articles])
    report = library.update()
    assert len(report.added) == 2
    assert [Path(p.path).name for p in report.failed] == ["empty.txt"]
    assert "empty" in report.failed[0].reason


def test_key_is_the_document_key(articles: Path) -> None:
    path = (articles / "austin.txt").resolve()
    assert _key_of_resolved(str(path)) == paths.document_key(path)


def test_library_wide_entities_and_statements(data_dir: Path, articles: Path) -> None:
    write(articles / "more.txt", "Austin again\n\nLloyd Austin, Lloyd Austin and Mr Austin. "
          "“Again,” said Mr Austin.\n")
    library = make_library(data_dir)
    library.add_sources([articles])
    library.update()
    austin = next(e for e in library.entities("person") if e.name == "Lloyd Austin")
    assert [(title, n) for _, title, n in austin.articles] == [
        ("Austin again", 4), ("Austin visits Japan", 2)
    ]
    said = library.statements("lloyd austin")
    assert sorted(s.statement.text for s in said) == ["Again,", "We are upgrading our forces,"]
    assert {s.title for s in said} == {"Austin again", "Austin visits Japan"}
    assert len(library.statements()) == 3
    assert library.entities("organisation") == []  # only the reader makes organisations
    with pytest.raises(ValueError):
        library.entities("band")


def test_bookmarks_follow_an_edited_article(data_dir: Path, articles: Path) -> None:
    from index.bookmarks import BookmarkStore

    library = make_library(data_dir)
    library.add_sources([articles])
    library.update()
    path = articles / "austin.txt"
    key = paths.document_key(path)
    text = library.article(key).text
    start = text.index("went to Japan")
    with BookmarkStore(data_dir) as store:
        store.add(key, str(path), text, start, start + len("went to Japan"))
    write(path, "Austin visits Japan\n\nA new first sentence. " + text.split("\n\n", 1)[1])
    library.update()
    new_text = library.article(key).text
    with BookmarkStore(data_dir) as store:
        (bookmark,) = store.list(key)
    assert new_text[bookmark.start : bookmark.end] == "went to Japan"


def test_search_goes_on_while_articles_are_analysed(data_dir: Path, articles: Path) -> None:
    library = make_library(data_dir)
    library.add_sources([articles])
    library.update()
    write(articles / "turing.txt", "Turing in Paris\n\nAlan Turing spoke in Paris.\n")
    found: list[int] = []

    class SearchingAnalyser(FakeAnalyser):
        def analyse_many(self, documents: Iterable[Document]) -> Iterator[Analysis]:
            searcher = threading.Thread(target=lambda: found.append(
                library.search("engines").total))
            searcher.start()
            searcher.join(timeout=30)
            yield from super().analyse_many(documents)

    library._analyser = SearchingAnalyser()
    library.update()
    assert found == [1]
    assert library.search("Turing").total == 1


def test_bookmarks_follow_an_edit_through_a_rebuild(data_dir: Path, articles: Path) -> None:
    from index.bookmarks import BookmarkStore

    library = make_library(data_dir)
    library.add_sources([articles])
    library.update()
    path = articles / "austin.txt"
    key = paths.document_key(path)
    text = library.article(key).text
    start = text.index("went to Japan")
    with BookmarkStore(data_dir) as store:
        store.add(key, str(path), text, start, start + len("went to Japan"))
    write(path, "Correction first.\n\n" + text)
    library.update(rebuild=True)
    with BookmarkStore(data_dir) as store:
        (bookmark,) = store.list(key)
    assert library.article(key).text[bookmark.start : bookmark.end] == "went to Japan"


# ---------------------------------------------------------------------------- progress, cancel


def test_progress_tells_two_counts_and_reaches_100_when_both_are_done(
    data_dir: Path, articles: Path
) -> None:
    seen: list[Progress] = []
    library = make_library(data_dir)
    library.add_sources([articles])
    library.update(progress=seen.append)
    assert seen[-1].phase == "done" and seen[-1].fraction == 1.0
    assert all(p.fraction < 1.0 for p in seen[:-1])
    fractions = [p.fraction for p in seen]
    assert fractions == sorted(fractions)  # it never goes back
    phases = [p.phase for p in seen]
    # The text of both, one commit; then their analysis, one more commit.
    assert [(p.done, p.total) for p in seen if p.phase == "index"] == [(1, 2), (2, 2)]
    assert [(p.done, p.total) for p in seen if p.phase == "analyse"] == [(1, 2), (2, 2)]
    assert {Path(p.path).name for p in seen if p.phase == "analyse"} == {
        "austin.txt", "lovelace.txt"}
    text_commit = phases.index("commit")
    assert phases.index("index") < text_commit < phases.index("analyse")
    # The text; the analysis (every article analysed); the whole articles, word pairs too.
    assert phases[-3:] == ["commit", "commit", "done"] and phases.count("commit") == 3
    assert seen[-3].counts() == "2 searchable · 2 of 2 analysed"
    searchable = seen[text_commit]
    assert (searchable.searchable, searchable.analysed, searchable.articles) == (2, 0, 2)
    assert searchable.counts() == "2 searchable · 0 of 2 analysed"
    assert seen[-1].counts() == "2 searchable · 2 of 2 analysed"


def test_progress_counts_in_words() -> None:
    p = Progress(Phase.ANALYSE, 812, 2225, "", searchable=2225, analysed=812, articles=2225,
                 completed=0.4)
    assert p.counts() == "2,225 searchable · 812 of 2,225 analysed"
    assert p.fraction == 0.4
    assert Progress(Phase.COMMIT, 2, 2, completed=1.0).fraction == 0.99  # not yet done
    assert Progress(Phase.DONE, 0, 0).fraction == 1.0
    assert Progress(Phase.ANALYSE, 1, 2).counts() == ""  # an old-style progress


def test_a_long_update_shows_its_articles_as_it_goes(
    data_dir: Path, articles: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import index.library.analysisphase

    library = make_library(data_dir)
    library.add_sources([articles])
    library.update()
    for i in range(5):
        write(articles / f"more{i}.txt", f"Report {i}\n\nAlan Turing spoke in Paris.\n")
    monkeypatch.setattr(index.library.analysisphase, "COMMIT_EVERY", 2)
    seen: list[tuple[int, tuple[int, int], int, int]] = []  # what another reader sees

    def watch(p: Progress) -> None:
        if p.phase == "commit":  # announced once it is made
            reader = make_library(data_dir)
            seen.append((len(reader.documents()), reader.analysis_state(),
                         reader.search("Turing").total, reader.search("person:Turing").total))

    library.update(progress=watch)
    # Every article listed and searchable at the first commit, before any is analysed;
    # then the analysis arrives two by two, with the person: field.
    assert seen == [(7, (2, 7), 5, 0), (7, (4, 7), 5, 2), (7, (6, 7), 5, 4),
                    (7, (7, 7), 5, 5), (7, (7, 7), 5, 5)]  # the last: the whole articles


def test_an_article_not_analysed_yet_says_so(data_dir: Path, articles: Path) -> None:
    library = make_library(data_dir)
    library.add_sources([articles])
    report = library.update(analyse=False)
    assert len(report.added) == 2 and report.extra["waiting"] == 2
    key = paths.document_key(articles / "austin.txt")
    assert [i.analysed for i in library.documents()] == [False, False]
    article = library.article(key)
    assert not article.analysed and article.analysis.people == ()
    assert library.search("upgrading").total == 1  # searchable all the same
    assert library.search('"went to Japan"').total == 1  # phrases from the text's positions
    assert library.search("person:Austin").total == 0
    assert library.analysis_state() == (0, 2)
    report = library.update()
    assert report.extra["analysed"] == 2 and report.added == () and report.unchanged == 2
    article = library.article(key)
    assert article.analysed and [p.name for p in article.analysis.people] == ["Lloyd Austin"]
    assert library.search('"went to Japan"').total == 1  # now from the word pairs
    assert library.search("person:Austin").total == 1
    assert library.analysis_state() == (2, 2)


def test_a_reader_sees_an_article_written_again(data_dir: Path, articles: Path) -> None:
    library = make_library(data_dir)
    library.add_sources([articles])
    library.update()
    key = paths.document_key(articles / "austin.txt")
    reader = make_library(data_dir)
    assert reader.search("upgrading").total == 1  # its searcher is open
    write(articles / "austin.txt", "Austin visits Taiwan\n\nLloyd Austin went to Taiwan.\n")
    library.update()
    # Whoosh's refresh kept the old copy of the article, with the deletions it had then.
    assert reader.search("upgrading").total == 0
    assert reader.article(key).text.startswith("Austin visits Taiwan")
    assert [p.name for p in reader.article(key).analysis.places] == ["Taiwan"]


def test_cancelled_update_leaves_every_article_searchable(
    data_dir: Path, articles: Path
) -> None:
    library = make_library(data_dir)
    library.add_sources([articles])
    library.update()
    for i in range(5):
        write(articles / f"extra{i}.txt", f"Extra {i}\n\nAlan Turing in Paris, part {i}.\n")
    analysed: list[Progress] = []

    def progress(p: Progress) -> None:
        if p.phase == "analyse":
            analysed.append(p)

    report = library.update(progress=progress, cancel=lambda: len(analysed) >= 2)
    assert report.cancelled
    assert len(report.added) == 5  # every new article is in the index ...
    assert report.extra["analysed"] == 2 and report.extra["waiting"] == 3  # ... two analysed
    infos = library.documents()
    assert len(infos) == 7 and sum(not i.analysed for i in infos) == 3
    for info in infos:  # what was committed is whole: every article opens
        article = library.article(info.key)
        assert article.text and article.analysed == info.analysed
    assert len(people(library)["Alan Turing"]) == 2
    assert library.search("Turing").total == 5
    # The next update analyses the rest, and only them.
    analyser = FakeAnalyser()
    library._analyser = analyser
    report = library.update()
    assert report.added == () and report.unchanged == 7 and report.extra["analysed"] == 3
    assert len(analyser.analysed) == 3
    assert len(people(library)["Alan Turing"]) == 5


def test_cancel_while_indexing_text_keeps_what_was_indexed(
    data_dir: Path, articles: Path
) -> None:
    library = make_library(data_dir)
    library.add_sources([articles])
    library.update()
    for i in range(5):
        write(articles / f"extra{i}.txt", f"Extra {i}\n\nAlan Turing in Paris, part {i}.\n")
    indexed: list[Progress] = []

    def progress(p: Progress) -> None:
        if p.phase == "index":
            indexed.append(p)

    report = library.update(progress=progress, cancel=lambda: len(indexed) >= 2)
    assert report.cancelled and len(report.added) == 2 and report.extra["analysed"] == 0
    assert library.search("Turing").total == 2
    report = library.update()
    assert len(report.added) == 3 and report.extra["analysed"] == 5
    assert library.search("person:Turing").total == 5


def test_an_interrupted_analysis_goes_on_where_it_stopped(
    data_dir: Path, articles: Path
) -> None:
    make_library(data_dir).add_sources([articles])
    crashing = make_library(data_dir, FakeAnalyser(fail_after=1))
    with pytest.raises(RuntimeError):
        crashing.update()
    reader = make_library(data_dir)
    assert len(reader.documents()) == 2 and reader.analysis_state() == (1, 2)
    assert reader.search("engines").total == 1
    analyser = FakeAnalyser()
    report = make_library(data_dir, analyser).update()
    assert report.extra["analysed"] == 1 and len(analyser.analysed) == 1
    assert make_library(data_dir).analysis_state() == (2, 2)


def test_an_article_asked_for_is_analysed_next(data_dir: Path, tmp_path: Path) -> None:
    folder = tmp_path / "many"
    for i in range(8):
        write(folder / f"a{i}.txt", f"Article {i}\n\nAlan Turing in Paris, part {i}.\n")
    library = make_library(data_dir)
    library.add_sources([folder])
    library.update(analyse=False)
    wanted = paths.document_key(folder / "a6.txt")
    also = paths.document_key(folder / "a4.txt")
    window = make_library(data_dir)  # another instance: the window's reader
    window.prioritise(wanted)
    order: list[str] = []
    phases: list[str] = []

    def progress(p: Progress) -> None:
        phases.append(p.phase)
        if p.phase == "analyse":
            order.append(Path(p.path).name)
            if len(order) == 2:  # asked for while the update runs
                window.prioritise(also)

    analyser = FakeAnalyser()
    library._analyser = analyser
    library.update(progress=progress)
    assert order[0] == "a6.txt"  # asked for before the update
    assert order[2] == "a4.txt"  # asked for during it: the next the analyser takes
    assert sorted(order) == [f"a{i}.txt" for i in range(8)]
    # Each asked-for article is committed at once, for the reader waiting for it.
    analyse_at = [i for i, ph in enumerate(phases) if ph == "analyse"]
    assert phases[analyse_at[0] + 1] == "commit" and phases[analyse_at[2] + 1] == "commit"
    assert phases[analyse_at[1] + 1] == "analyse"  # the others in one batch
    assert not (data_dir / "priority.txt").exists()  # done with


def test_cancelled_rebuild_keeps_the_old_index(data_dir: Path, articles: Path) -> None:
    library = make_library(data_dir)
    library.add_sources([articles])
    library.update()
    seen: list[Progress] = []
    report = library.update(progress=seen.append, cancel=lambda: True, rebuild=True)
    assert report.cancelled
    assert "done" not in [p.phase for p in seen]
    assert library.search("engines").total == 1
    assert len(list((data_dir / INDEX_DIR).glob("gen-*"))) == 1


def test_crash_in_the_text_of_a_rebuild_keeps_the_old_index(
    data_dir: Path, articles: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import index.documents

    make_library(data_dir).add_sources([articles])
    library = make_library(data_dir)
    library.update()
    before = (data_dir / INDEX_DIR / CURRENT).read_text()

    def crash(path: Path) -> Document:
        raise RuntimeError("the reader crashed")

    monkeypatch.setattr(index.documents, "load_document", crash)
    with pytest.raises(RuntimeError):
        make_library(data_dir).update(rebuild=True)
    assert (data_dir / INDEX_DIR / CURRENT).read_text() == before
    assert len(list((data_dir / INDEX_DIR).glob("gen-*"))) == 1
    assert make_library(data_dir).search("person:Austin").total == 1


def test_crash_in_the_analysis_of_a_rebuild_leaves_it_searchable(
    data_dir: Path, articles: Path
) -> None:
    make_library(data_dir).add_sources([articles])
    library = make_library(data_dir)
    library.update()
    crashing = make_library(data_dir, FakeAnalyser(fail_after=1))
    with pytest.raises(RuntimeError):
        crashing.update(rebuild=True)
    assert len(list((data_dir / INDEX_DIR).glob("gen-*"))) == 1
    reader = make_library(data_dir)
    assert reader.search("engines").total == 1 and reader.analysis_state() == (1, 2)
    assert make_library(data_dir).update().extra["analysed"] == 1


def test_rebuild_replaces_the_index(data_dir: Path, articles: Path) -> None:
    library = make_library(data_dir)
    library.add_sources([articles])
    library.update()
    report = library.update(rebuild=True)
    assert report.extra["rebuilt"] and len(report.added) == 2
    assert [p.name for p in (data_dir / INDEX_DIR).glob("gen-*")] == [
        (data_dir / INDEX_DIR / CURRENT).read_text().strip()
    ]
    assert library.search("engines").total == 1


# ---------------------------------------------------------------------------- lock, corruption


def test_second_writer_gets_a_clear_message(data_dir: Path, articles: Path) -> None:
    fcntl = pytest.importorskip("fcntl")
    library = make_library(data_dir, lock_timeout=0.2)
    library.add_sources([articles])
    with open(data_dir / LOCK_FILE, "a+b") as held:
        fcntl.flock(held.fileno(), fcntl.LOCK_EX)  # another process, as far as flock knows
        with pytest.raises(LibraryLocked) as caught:
            library.update()
    assert "Another Broadsheet process is updating the library" in caught.value.message
    assert library.update().added  # free again


def _current_generation(data_dir: Path) -> Path:
    return data_dir / INDEX_DIR / (data_dir / INDEX_DIR / CURRENT).read_text().strip()


def test_corrupt_index_is_detected_and_rebuilt(data_dir: Path, articles: Path) -> None:
    library = make_library(data_dir)
    library.add_sources([articles])
    library.update()
    library.close()
    for f in _current_generation(data_dir).iterdir():
        if f.suffix in (".toc", ".seg"):
            f.write_bytes(b"\x00garbage" * 10)

    damaged = make_library(data_dir)
    assert damaged.problem and "damaged" in damaged.problem
    with pytest.raises(LibraryCorrupt):  # never "no articles match"
        damaged.search("engines")
    report = damaged.update()
    assert "damaged" in report.extra["rebuilt"]
    assert len(report.added) == 2
    assert damaged.problem is None
    assert damaged.search("engines").total == 1


def test_other_schema_version_is_rebuilt(data_dir: Path, articles: Path) -> None:
    library = make_library(data_dir)
    library.add_sources([articles])
    library.update()
    (_current_generation(data_dir) / VERSION_FILE).write_text(json.dumps({"schema_version": 0}))
    reopened = make_library(data_dir)
    assert reopened.problem and "schema version 0" in reopened.problem
    report = reopened.update()
    assert "schema version" in report.extra["rebuilt"] and len(report.added) == 2


# ---------------------------------------------------------------------------- broadsheet index


@pytest.fixture
def fake_spacy(monkeypatch: pytest.MonkeyPatch) -> None:
    """The command line builds its own Analyser: make it the fake one."""
    import index.analysis

    monkeypatch.setattr(index.analysis, "Analyser", lambda **kw: FakeAnalyser())


def test_cli_index_then_search(
    fake_spacy: None, articles: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from index.cli import main

    assert main(["index", "--no-seeds", str(articles)]) == 0
    out = capsys.readouterr().out
    assert "2 added, 0 updated, 0 removed, 0 unchanged, 0 failed" in out
    assert main(["search", "--json", "engines"]) == 0
    (line,) = capsys.readouterr().out.splitlines()
    assert json.loads(line)["title"] == "Engines of London"
    assert main(["index", "--no-seeds"]) == 0
    assert "0 added, 0 updated, 0 removed, 2 unchanged" in capsys.readouterr().out


def test_cli_index_reports_failures(
    fake_spacy: None, articles: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from index.cli import main

    write(articles / "empty.txt", "")
    assert main(["index", "--no-seeds", str(articles)]) == 1  # the others are indexed
    out = capsys.readouterr().out
    assert "2 added" in out and "1 failed" in out
    assert f"failed: {articles.resolve() / 'empty.txt'}: empty" in out
    # named again on the next run (the command line keeps no memory of what it said)
    assert main(["index", "--no-seeds"]) == 1
    assert "1 failed" in capsys.readouterr().out


def test_cli_index_missing_path_is_a_user_error(
    fake_spacy: None, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from index.cli import main

    assert main(["index", str(tmp_path / "nowhere")]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "no such file or folder" in err[0]


def test_cli_index_locked_is_a_user_error(
    fake_spacy: None, data_dir: Path, articles: Path, capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    fcntl = pytest.importorskip("fcntl")
    import index.library

    monkeypatch.setattr(index.library.Library.__init__, "__kwdefaults__",
                        {**index.library.Library.__init__.__kwdefaults__, "lock_timeout": 0.1})
    from index.cli import main

    with open(data_dir / LOCK_FILE, "a+b") as held:
        fcntl.flock(held.fileno(), fcntl.LOCK_EX)
        assert main(["index", "--no-seeds", str(articles)]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "Another Broadsheet process" in err[0]


def test_cli_honours_data_dir_option(
    fake_spacy: None, tmp_path: Path, articles: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from index.cli import main

    other = tmp_path / "elsewhere"
    assert main(["--data-dir", str(other), "index", "--no-seeds", str(articles)]) == 0
    assert (other / INDEX_DIR / CURRENT).exists()
    capsys.readouterr()
    assert main(["--data-dir", str(other), "search", "--json", "engines"]) == 0
    assert len(capsys.readouterr().out.splitlines()) == 1


def test_progress_bar_only_on_a_terminal() -> None:
    import io

    from index.cli.library import _Bar

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    steps = [Progress("analyse", 1, 2, "/a/one.txt"), Progress("commit", 2, 2),
             Progress("done", 2, 2)]
    terminal, pipe = Terminal(), io.StringIO()
    for stream in (terminal, pipe):
        bar = _Bar(stream)
        for step in steps:
            bar(step)
        bar.finish()
    assert pipe.getvalue() == ""
    frames = terminal.getvalue().split("\r")
    assert "50% analysing 1/2 one.txt" in frames[1]
    assert "99% saving" in frames[2] and "100% done" in frames[3]


def test_text_indexed_in_processes_is_the_same(
    data_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Many texts are indexed by worker processes, each writing a segment the commit adds:
    the library holds what one process would have written."""
    import index.library.textphase
    from index.bookmarks import BookmarkStore

    folder = tmp_path / "many"
    for i in range(9):
        write(folder / f"a{i}.txt", f"Report {i}\n\nAlan Turing spoke in Paris, part {i}.\n")
    write(folder / "empty.txt", "")
    serial = make_library(tmp_path / "serial")
    serial.add_sources([folder])
    serial.update()
    monkeypatch.setattr(index.library.textphase, "PARALLEL_TEXT_FROM", 2)
    monkeypatch.setattr(os, "cpu_count", lambda: 2)
    library = make_library(data_dir)
    library.add_sources([folder])
    report = library.update(analyse=False)
    assert len(report.added) == 9 and [Path(p.path).name for p in report.failed] == [
        "empty.txt"]
    assert len(list((data_dir / INDEX_DIR).glob("gen-*/*.seg"))) == 2  # one per worker
    assert library.search('"spoke in Paris"').total == 9
    library.update()
    assert library.documents() == serial.documents()
    for query in ("Turing", '"spoke in Paris"', "person:Turing", "part AND 3"):
        assert library.search(query).total == serial.search(query).total > 0
    # An edit goes through the workers too: the old copy leaves, bookmarks follow.
    key = paths.document_key(folder / "a3.txt")
    text = library.article(key).text
    start = text.index("Paris")
    with BookmarkStore(data_dir) as store:
        store.add(key, str(folder / "a3.txt"), text, start, start + 5)
    for i in range(9):
        write(folder / f"a{i}.txt", f"Report {i}\n\nNow Ada Lovelace in Paris, part {i}.\n")
    report = library.update()
    assert len(report.updated) == 9 and report.unchanged == 0
    assert library.search("Turing").total == 0 and library.search("Lovelace").total == 9
    assert len(library.documents()) == 9
    with BookmarkStore(data_dir) as store:
        (bookmark,) = store.list(key)
    assert library.article(key).text[bookmark.start : bookmark.end] == "Paris"
    assert bookmark.start != start


def test_an_analysis_ends_in_one_segment_and_merges_give_the_same_answers(
    data_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An analysis in several commits ends with its whole articles in one segment; a
    library built in several updates has several segments, with short postings lists
    inlined in the term table (index.library.whoosh_fixes.patch_whoosh), and merging them
    reads those back: every kind of query answers the same in all three."""
    import whoosh.index

    import index.library.analysisphase

    def article(i: int) -> str:
        return (f"Report {i}\n\nAlan Turing spoke in Paris to Ada Lovelace about engines, "
                f"part {i}. “Engines weave patterns,” said Mr Turing.\n")

    whole, parts = tmp_path / "whole", tmp_path / "parts"
    for i in range(12):
        write(whole / f"a{i}.txt", article(i))
    monkeypatch.setattr(index.library.analysisphase, "COMMIT_EVERY", 3)
    one = make_library(tmp_path / "one")
    one.add_sources([whole])
    commits: list[Progress] = []
    one.update(progress=lambda p: commits.append(p) if p.phase == "commit" else None)
    assert len(commits) == 1 + 4 + 1  # the text, four batches of three, the whole articles
    assert len(list(generation_dir(tmp_path / "one").glob("*.seg"))) == 1
    parts.mkdir()
    several = make_library(data_dir)
    several.add_sources([parts])
    for start in (0, 4, 8):
        for i in range(start, start + 4):
            write(parts / f"a{i}.txt", article(i))
        several.update()
    assert len(list(generation_dir(data_dir).glob("*.seg"))) > 1
    queries = ("Turing", '"spoke in Paris"', '"Turing spoke in Paris"', "engin*", "Lovelase~",
               "person:Turing", 'person:"Ada Lovelace"', "place:Paris", "part AND 7",
               "title:report", "patterns NOT 11")

    def answers(library: Library) -> dict[str, list[str]]:
        return {q: sorted(Path(h.path).name for h in library.search(q, limit=50).hits)
                for q in queries}

    expected = answers(one)
    assert all(expected.values())
    assert answers(several) == expected
    several.close()
    whoosh.index.open_dir(str(generation_dir(data_dir))).writer().commit(optimize=True)
    merged = make_library(data_dir)
    assert len(list(generation_dir(data_dir).glob("*.seg"))) == 1
    assert answers(merged) == expected


def generation_dir(data_dir: Path) -> Path:
    return data_dir / INDEX_DIR / (data_dir / INDEX_DIR / CURRENT).read_text().strip()


def test_articles_analysed_before_a_crash_get_their_pairs_without_nlp(
    data_dir: Path, articles: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Killed after its batches were committed but before its last commit, an analysis
    leaves articles analysed without their word pairs: the next update writes them whole
    from what the index stores, without analysing them again."""
    import index.library.analysisphase
    from index.library import schema as S

    monkeypatch.setattr(index.library.analysisphase, "COMMIT_EVERY", 1)

    def killed(self: object, bulk: object) -> None:
        raise RuntimeError("killed before the last commit")

    with monkeypatch.context() as m:
        m.setattr(index.library.analysisphase._AnalysisPhase, "finish", killed)
        library = make_library(data_dir)
        library.add_sources([articles])
        with pytest.raises(RuntimeError):
            library.update()
    reader = make_library(data_dir)
    assert reader.analysis_state() == (2, 2)  # the panels have their analysis
    key = paths.document_key(articles / "austin.txt")
    assert reader._stored_fields(key)[S.ANALYSED] == S.UNPAIRED  # type: ignore[index]
    assert reader.search("person:Austin").total == 1
    assert reader.search('"went to Japan"').total == 1  # from positions: no pairs yet
    analyser = FakeAnalyser()
    report = make_library(data_dir, analyser).update()
    assert analyser.analysed == [] and report.extra["waiting"] == 0
    after = make_library(data_dir)
    assert after._stored_fields(key)[S.ANALYSED] == S.YES  # type: ignore[index]
    assert after._waiting(after._fresh_searcher()) == 0  # phrases from the pairs again
    assert after.search('"went to Japan"').total == 1
    assert [p.name for p in after.article(key).analysis.people] == ["Lloyd Austin"]


def test_the_list_shows_another_instance_s_commit(data_dir: Path, articles: Path) -> None:
    reader = make_library(data_dir)  # the window's reader, polling state_token()
    assert reader.documents() == []
    writer = make_library(data_dir)  # `broadsheet index` in another process
    writer.add_sources([articles])
    writer.update(analyse=False)
    assert len(reader.documents()) == 2 and not any(i.analysed for i in reader.documents())
    writer.update()
    assert all(i.analysed for i in reader.documents())
