"""Damage to the index (issue 13, item 6): a deleted index folder or ``CURRENT``, garbage in a
segment file, a rebuild killed part-way. Each is detected from what the index wrote, said
(``Library.problem``, :class:`LibraryCorrupt` from a search, a line from ``broadsheet
search``, never "No articles match."), and rebuilt by the next update, bookmarks intact."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from test_library import fake_spacy, make_library  # noqa: F401  (a fixture)

from index import paths
from index.cli import main
from index.library.storage import CURRENT, INDEX_DIR, MANIFEST_FILE, Storage
from index.model import LibraryCorrupt


@pytest.fixture
def indexed(data_dir: Path, articles: Path) -> Path:
    """A data directory with the two articles indexed and one bookmark."""
    from index.bookmarks import BookmarkStore

    library = make_library(data_dir)
    library.add_sources([articles])
    library.update()
    key = paths.document_key(articles / "austin.txt")
    text = library.article(key).text
    start = text.index("went to Japan")
    with BookmarkStore(data_dir) as store:
        store.add(key, str(articles / "austin.txt"), text, start, start + 13, "a note")
    library.close()
    return data_dir


def generation(data_dir: Path) -> Path:
    return data_dir / INDEX_DIR / (data_dir / INDEX_DIR / CURRENT).read_text().strip()


def segment(data_dir: Path) -> Path:
    return max(generation(data_dir).glob("*.seg"), key=lambda p: p.stat().st_size)


def assert_rebuilt_with_bookmarks(data_dir: Path, said: str) -> None:
    from index.bookmarks import BookmarkStore

    library = make_library(data_dir)
    assert library.problem and said in library.problem
    with pytest.raises(LibraryCorrupt) as caught:
        library.search("engines")
    assert said in caught.value.message and "rebuilds" in caught.value.message
    report = library.update()
    assert said in report.extra["rebuilt"] and len(report.added) == 2
    assert library.problem is None and library.search("engines").total == 1
    assert library.search("person:Austin").total == 1
    with BookmarkStore(data_dir) as store:
        (bookmark,) = store.list()
    key = bookmark.key
    assert bookmark.note == "a note"
    assert library.article(key).text[bookmark.start : bookmark.end] == "went to Japan"
    assert [p.name for p in (data_dir / INDEX_DIR).glob("gen-*")] == [generation(data_dir).name]


def test_a_deleted_index_folder_is_detected_and_rebuilt(indexed: Path) -> None:
    import shutil

    shutil.rmtree(indexed / INDEX_DIR)
    assert_rebuilt_with_bookmarks(indexed, "missing")


def test_a_deleted_current_is_detected_and_rebuilt(indexed: Path) -> None:
    (indexed / INDEX_DIR / CURRENT).unlink()
    assert_rebuilt_with_bookmarks(indexed, "CURRENT is missing")


def test_a_deleted_generation_is_detected_and_rebuilt(indexed: Path) -> None:
    import shutil

    shutil.rmtree(generation(indexed))
    assert_rebuilt_with_bookmarks(indexed, "is missing")


def test_garbage_in_a_segment_is_detected_on_opening(indexed: Path) -> None:
    seg = segment(indexed)
    with open(seg, "r+b") as fh:  # same size: only the checksum can tell
        fh.seek(seg.stat().st_size // 2)
        fh.write(b"\x00garbage\xff" * 20)
    assert_rebuilt_with_bookmarks(indexed, "changed since it was written")


def test_a_truncated_segment_is_detected_on_opening(indexed: Path) -> None:
    seg = segment(indexed)
    with open(seg, "r+b") as fh:
        fh.truncate(seg.stat().st_size - 100)
    assert_rebuilt_with_bookmarks(indexed, "bytes, it was written with")


def test_garbage_that_hides_its_time_is_found_by_the_update(indexed: Path) -> None:
    seg = segment(indexed)
    st = seg.stat()
    with open(seg, "r+b") as fh:
        fh.seek(st.st_size // 2)
        fh.write(b"\x00garbage\xff" * 20)
    os.utime(seg, ns=(st.st_atime_ns, st.st_mtime_ns))
    storage = Storage(indexed)
    assert storage.verify(generation(indexed), full=False) is None  # sizes and times: cheap
    assert "changed since it was written" in (storage.verify(generation(indexed), full=True)
                                              or "")
    library = make_library(indexed)  # (Whoosh may or may not stumble on it when opening)
    report = library.update()  # an update checks every checksum first
    assert report.extra["rebuilt"]
    assert len(report.added) == 2 and library.search("engines").total == 1


def test_a_never_indexed_library_is_not_damaged(data_dir: Path) -> None:
    library = make_library(data_dir)
    assert library.problem is None
    assert library.search("anything").total == 0


def test_a_manifest_written_before_the_commit_is_not_taken_for_damage(indexed: Path) -> None:
    """A reader opening between a writer's commit and its manifest sees an older manifest;
    it checks nothing rather than cry damage."""
    manifest = generation(indexed) / MANIFEST_FILE
    data = json.loads(manifest.read_text())
    data["generation"] -= 1
    data["checksums"] = {"_MAIN_1.toc": [1, 1, 1]}
    manifest.write_text(json.dumps(data))
    library = make_library(indexed)
    assert library.problem is None and library.search("engines").total == 1


def test_what_a_killed_rebuild_left_is_removed(indexed: Path) -> None:
    stray = indexed / INDEX_DIR / "gen-000099"
    stray.mkdir()
    (stray / "MAIN_abc.seg").write_bytes(b"half a segment")
    library = make_library(indexed)
    assert library.problem is None and library.search("engines").total == 1
    library.update()
    assert not stray.exists()
    assert [p.name for p in (indexed / INDEX_DIR).glob("gen-*")] == [generation(indexed).name]


def test_cli_search_on_a_deleted_index_rebuilds_without_the_seeds(
    fake_spacy: None, data_dir: Path, articles: Path,  # noqa: F811  (the fixture)
    capsys: pytest.CaptureFixture[str],
) -> None:
    import shutil

    assert main(["index", "--no-seeds", str(articles)]) == 0
    shutil.rmtree(data_dir / INDEX_DIR)
    capsys.readouterr()
    assert main(["search", "engines"]) == 0
    out, err = capsys.readouterr()
    assert "missing" in err and "rebuilding" in err
    assert "No articles match." not in out and "Engines of London" in out
    library = make_library(data_dir)
    seeds = str(paths.seeds_dir())
    assert not [i for i in library.documents() if i.path.startswith(seeds)]
    assert len(library.documents()) == 2
    # A plain query rebuilt the text; a person: query asks for the analysis too.
    (data_dir / INDEX_DIR / CURRENT).unlink()
    assert main(["search", "--json", "person:Austin"]) == 0
    assert len(capsys.readouterr().out.splitlines()) == 1


def test_the_seeds_setting_is_remembered(data_dir: Path, articles: Path) -> None:
    from index.library import Library

    told = Library(data_dir, with_seeds=False)
    assert not (data_dir / "sources.json").exists()  # opening writes nothing
    told.add_sources([articles])
    told.update()
    assert Library(data_dir).with_seeds is False
    assert Library(data_dir).sources() == [articles.resolve()]
    Library(data_dir, with_seeds=True).update(analyse=False)
    assert Library(data_dir).sources()[0] == paths.seeds_dir()
