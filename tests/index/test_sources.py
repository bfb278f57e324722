"""The list of sources and of problems: removing, excluding, retrying, concurrent writers, a
damaged list, ``broadsheet sources`` and ``--data-dir`` after the subcommand."""

from __future__ import annotations

import json
import multiprocessing
import os
from pathlib import Path

import pytest
from test_library import FakeAnalyser, make_library, write

from index import paths
from index.cli import main
from index.library.sources import SourceList
from index.model import LibraryError


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    folder = tmp_path / "articles"
    write(folder / "austin.txt", "Austin visits Japan\n\nLloyd Austin went to Japan.\n")
    write(folder / "lovelace.txt", "Engines\n\nAda Lovelace wrote in London.\n")
    write(folder / "empty.txt", "")
    return folder


def test_a_file_that_fails_is_new_once_and_stays_in_the_problems_list(
    data_dir: Path, folder: Path
) -> None:
    library = make_library(data_dir)
    library.add_sources([folder])
    first = library.update()
    assert [Path(p.path).name for p in first.failed] == ["empty.txt"]
    assert first.failed[0].when  # when the update ran
    again = library.update()
    assert again.failed == ()  # not reported again as if it were news
    assert [Path(p.path).name for p in library.problems()] == ["empty.txt"]
    library.retry(folder / "empty.txt")
    assert [Path(p.path).name for p in library.update().failed] == ["empty.txt"]
    write(folder / "empty.txt", "Now a title\n\nAnd a body.\n")
    assert library.update().added and library.problems() == []


def test_removing_a_file_inside_a_folder_excludes_it(data_dir: Path, folder: Path) -> None:
    library = make_library(data_dir)
    library.add_sources([folder])
    library.update()
    key = paths.document_key(folder / "austin.txt")
    assert library.remove_source(folder / "austin.txt")
    report = library.update()
    assert report.removed == (key,)
    assert key not in {i.key for i in library.documents()}
    assert library.remove_source(folder / "empty.txt")  # a problem can be removed too
    library.update()
    assert library.problems() == []
    library.add_sources([folder / "austin.txt"])  # adding it again brings it back
    assert library.update().added == (key,)


def test_removing_a_folder_removes_its_articles(data_dir: Path, folder: Path) -> None:
    library = make_library(data_dir)
    library.add_sources([folder])
    library.update()
    assert library.remove_source(folder)
    assert len(library.update().removed) == 2 and library.documents() == []
    assert not library.remove_source(folder)  # not a source any more


def test_a_damaged_list_of_sources_removes_nothing(data_dir: Path, folder: Path) -> None:
    library = make_library(data_dir)
    library.add_sources([folder])
    library.update()
    (data_dir / "sources.json").write_text('{"sources": ["/a", ', "utf-8")
    with pytest.raises(LibraryError, match="damaged"):
        library.update()
    assert len(library.documents()) == 2
    assert main(["index", "--no-seeds"]) == 1  # one sentence, nothing removed
    assert len(make_library(data_dir).documents()) == 2


def _add_many(data_dir: str, folder: str, start: int, count: int) -> None:
    sources = SourceList(Path(data_dir), with_seeds=False)
    for i in range(start, start + count):
        sources.add([Path(folder) / f"{i}.txt"])


def test_two_processes_adding_sources_lose_nothing(tmp_path: Path) -> None:
    folder = tmp_path / "many"
    for i in range(100):
        write(folder / f"{i}.txt", f"Article {i}\n\nText.\n")
    data = tmp_path / "store"
    data.mkdir()
    ctx = multiprocessing.get_context("spawn")
    workers = [ctx.Process(target=_add_many, args=(str(data), str(folder), s, 50))
               for s in (0, 50)]
    for w in workers:
        w.start()
    for w in workers:
        w.join(120)
        assert w.exitcode == 0
    added = SourceList(data, with_seeds=False).added()
    assert len(added) == 100 and len(set(added)) == 100


def test_state_token_changes_when_another_instance_commits(
    data_dir: Path, folder: Path
) -> None:
    reader = make_library(data_dir)
    before = reader.state_token()
    assert reader.documents() == [] and reader.entities("person") == []  # cached now
    writer = make_library(data_dir)
    writer.add_sources([folder])
    writer.update()
    assert len(reader.documents()) == 2 and reader.entities("person")  # not the cache
    after = reader.state_token()
    assert after != before
    assert reader.state_token() == after  # stable while nothing changes
    write(folder / "turing.txt", "Turing\n\nAlan Turing in Paris.\n")
    writer.update()
    assert reader.state_token() != after


def test_identical_articles_are_listed_once_with_their_copies(
    data_dir: Path, folder: Path
) -> None:
    write(folder / "sub" / "austin-copy.txt", (folder / "austin.txt").read_text("utf-8"))
    library = make_library(data_dir)
    library.add_sources([folder])
    library.update()
    infos = library.documents()
    assert len(infos) == 2
    austin = next(i for i in infos if i.path.endswith("austin.txt"))
    assert austin.copies == (str((folder / "sub" / "austin-copy.txt").resolve()),)
    # the copy is still an article of its own: opened by its path, found by search
    copy_key = library.key_for_path(folder / "sub" / "austin-copy.txt")
    assert copy_key is not None
    assert library.article(copy_key).info.copies == (austin.path,)
    assert library.article(austin.key).info.copies == austin.copies
    found = library.search("Japan")
    assert len(found.hits) == 1 and found.total == 2  # shown once, both files counted


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this platform")
def test_a_link_loop_and_a_fifo_are_named_and_the_rest_indexed(
    data_dir: Path, folder: Path
) -> None:
    (folder / "loop.txt").symlink_to(folder / "loop.txt")
    os.mkfifo(folder / "pipe.txt")
    library = make_library(data_dir, FakeAnalyser())
    library.add_sources([folder])
    report = library.update()
    assert len(report.added) == 2
    reasons = {Path(p.path).name: p.reason for p in report.failed}
    assert set(reasons) == {"loop.txt", "pipe.txt", "empty.txt"}
    assert "regular file" in reasons["pipe.txt"]


def test_cli_sources_and_data_dir_after_the_subcommand(
    tmp_path: Path, folder: Path, capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import index.analysis

    monkeypatch.setattr(index.analysis, "Analyser", lambda **kw: FakeAnalyser())
    monkeypatch.delenv("BROADSHEET_DATA_DIR", raising=False)
    data = tmp_path / "elsewhere"
    (folder / "empty.txt").unlink()
    assert main(["index", str(folder), "--no-seeds", "--data-dir", str(data)]) == 0
    assert (data / "sources.json").exists()
    capsys.readouterr()
    assert main(["sources", "list", "--json", "--data-dir", str(data)]) == 0
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    mine = [r for r in rows if r["kind"] == "folder"]
    assert mine == [{"path": str(folder.resolve()), "kind": "folder", "articles": 2}]
    assert main(["--data-dir", str(data), "sources", "remove", str(folder / "austin.txt")]) == 0
    assert "1 removed" in capsys.readouterr().out
    assert main(["sources", "remove", str(tmp_path / "nowhere"), "--data-dir", str(data)]) == 1
    assert "not a source" in capsys.readouterr().err
    write(folder / "bad.txt", "")
    assert main(["sources", "add", str(folder / "bad.txt"), "--data-dir", str(data)]) == 1
    capsys.readouterr()
    assert main(["sources", "problems", "--json", "--data-dir", str(data)]) == 0
    (problem,) = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert problem["path"].endswith("bad.txt") and problem["reason"] and problem["when"]
