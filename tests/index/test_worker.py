"""An update in a child process (:func:`index.library.worker.update_in_child`): the same
progress and report as in the caller's process, a cancel passed on, errors raised again,
a dead child said to be one, a reader's priority honoured.

The child opens the library with the factories below (module-level, so that the child can
unpickle them); their analyser is a few regular expressions, slowed down where an update
must last long enough to be interrupted."""

from __future__ import annotations

import functools
import os
import re
import threading
import time
from collections.abc import Iterable, Iterator
from pathlib import Path

import pytest

from index import paths
from index.library import Library
from index.library.storage import LOCK_FILE
from index.library.worker import UpdateProcessDied, update_in_child
from index.model import Analysis, Document, LibraryLocked, Person, Phase, Progress

WAIT = 60.0  # seconds: how long a child may take to get somewhere on a busy machine


class SlowAnalyser:
    """Finds "Ada Lovelace"; ``delay`` seconds per article."""

    def __init__(self, delay: float) -> None:
        self.delay = delay

    def analyse_many(self, documents: Iterable[Document]) -> Iterator[Analysis]:
        for document in documents:
            time.sleep(self.delay)
            mentions = tuple(m.span() for m in re.finditer("Ada Lovelace", document.text))
            people = (Person("Ada Lovelace", None, (), mentions),) if mentions else ()
            yield Analysis(people)


def _library(data_dir: Path, *, delay: float = 0.0, lock_timeout: float = 10.0) -> Library:
    return Library(data_dir, with_seeds=False, analyser=SlowAnalyser(delay), processes=1,
                   lock_timeout=lock_timeout)


def _dies(data_dir: Path) -> Library:
    os._exit(3)


def _folder(tmp_path: Path, n: int) -> Path:
    folder = tmp_path / "articles"
    folder.mkdir()
    for i in range(n):
        (folder / f"{i:03}.txt").write_text(
            f"Story {i}\n\nAda Lovelace wrote note {i} in London.\n", "utf-8")
    return folder


def test_the_child_s_update_is_the_update(data_dir: Path, tmp_path: Path) -> None:
    folder = _folder(tmp_path, 3)
    Library(data_dir, with_seeds=False).add_sources([folder])
    seen: list[Progress] = []
    caller = threading.get_ident()
    threads: set[int] = set()

    def progress(p: Progress) -> None:
        threads.add(threading.get_ident())
        seen.append(p)

    report = update_in_child(data_dir, progress, factory=functools.partial(_library))
    assert sorted(report.added) == sorted(paths.document_key(p) for p in folder.iterdir())
    assert not report.cancelled and report.extra["analysed"] == 3
    assert threads == {caller}  # progress is told in the caller's thread
    phases = [p.phase for p in seen]
    for phase in (Phase.SCAN, Phase.INDEX, Phase.COMMIT, Phase.ANALYSE):
        assert phase in phases
    assert phases[-1] == Phase.DONE and seen[-1].fraction == 1.0
    assert seen[-1].counts() == "3 searchable · 3 of 3 analysed"
    # What the child wrote, another process's Library reads.
    library = Library(data_dir, with_seeds=False)
    assert library.analysis_state() == (3, 3)
    assert [e.name for e in library.entities("person")] == ["Ada Lovelace"]


def test_a_cancel_is_passed_on_and_keeps_what_was_done(data_dir: Path, tmp_path: Path) -> None:
    folder = _folder(tmp_path, 30)
    Library(data_dir, with_seeds=False).add_sources([folder])
    analysing = threading.Event()

    def progress(p: Progress) -> None:
        if p.phase == Phase.ANALYSE:
            analysing.set()

    report = update_in_child(data_dir, progress, analysing.is_set,
                             factory=functools.partial(_library, delay=0.2))
    assert report.cancelled
    analysed, searchable = Library(data_dir, with_seeds=False).analysis_state()
    assert searchable == 30 and analysed < 30  # every article searchable, the rest waits
    again = update_in_child(data_dir, factory=functools.partial(_library))
    assert not again.cancelled and again.extra["analysed"] == 30 - analysed
    assert Library(data_dir, with_seeds=False).analysis_state() == (30, 30)


def test_the_child_s_library_error_is_raised_here(data_dir: Path, tmp_path: Path) -> None:
    fcntl = pytest.importorskip("fcntl")
    Library(data_dir, with_seeds=False).add_sources([_folder(tmp_path, 1)])
    with open(data_dir / LOCK_FILE, "a+b") as held:
        fcntl.flock(held.fileno(), fcntl.LOCK_EX)  # another writer
        with pytest.raises(LibraryLocked) as caught:
            update_in_child(data_dir, factory=functools.partial(_library, lock_timeout=0.2))
    assert "Another Broadsheet process is updating the library" in caught.value.message


def test_a_child_that_dies_is_said_to_have(data_dir: Path) -> None:
    with pytest.raises(UpdateProcessDied, match="exit code 3"):
        update_in_child(data_dir, factory=_dies)


def test_an_article_asked_for_is_analysed_next(data_dir: Path, tmp_path: Path) -> None:
    folder = _folder(tmp_path, 30)
    Library(data_dir, with_seeds=False).add_sources([folder])
    wanted = paths.document_key(folder / "029.txt")  # the last, in the child's order
    reader = Library(data_dir, with_seeds=False)
    asked: list[int] = []

    def progress(p: Progress) -> None:
        if p.phase == Phase.ANALYSE and not asked:
            asked.append(p.analysed)
            reader.prioritise(wanted)  # what the window's reader does for an article shown

    def check() -> bool:  # stops the update once the article asked for is analysed
        return bool(asked) and reader.article(wanted).analysed

    report = update_in_child(data_dir, progress, check,
                             factory=functools.partial(_library, delay=0.2))
    assert report.cancelled  # long before the end: the article was taken next
    assert reader.article(wanted).analysed
    assert reader.analysis_state()[0] < 30
