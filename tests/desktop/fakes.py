"""The one fake the window's tests use: an analyser that needs no spaCy.

Everything else is real: the window's tests drive :class:`index.library.Library` (Whoosh,
threads, the data directory) and :class:`index.bookmarks.BookmarkStore`, so they cannot
pass on an answer the real library never gives. :class:`FakeAnalyser` finds the seed
article's people, places and quotations with regular expressions; ``test_contract.py``
holds its answers to the real analyser's rules.
"""

from __future__ import annotations

import functools
import multiprocessing
import os
import re
import time
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from index.library import Library
from index.model import Analysis, Document, Person, Place, Span, Statement


def _find(text: str, *patterns: str) -> tuple[Span, ...]:
    spans: list[Span] = []
    taken: list[Span] = []
    for pattern in patterns:
        for m in re.finditer(pattern, text):
            if any(a <= m.start() < b for a, b in taken):
                continue
            spans.append(m.span())
            taken.append(m.span())
    return tuple(sorted(spans))


def analyse(text: str) -> Analysis:
    """A hand-made analysis: enough people, places and quotations for the seed."""
    people = []
    for name, role, surname in [
        ("Lloyd Austin", "Secretary of Defence", "Austin"),
        ("Antony Blinken", "Secretary of State", "Blinken"),
        ("Yoshimasa Hayashi", "Foreign Minister", "Hayashi"),
        ("Yasukazu Hamada", "Defence Minister", "Hamada"),
        ("Joe Biden", "President", "Biden"),
        ("Fumio Kishida", "Prime Minister", "Kishida"),
    ]:
        mentions = _find(text, re.escape(name), rf"Mr {surname}", rf"\b{surname}\b")
        if mentions:
            people.append(Person(name, role, (f"Mr {surname}",), mentions))
    places = []
    for name, kind in [
        ("Japan", "country"), ("United States", "country"), ("China", "country"),
        ("Taiwan", "island"), ("Okinawa", "region"), ("Washington", "city"),
        ("East China Sea", "sea"), ("Ukraine", "country"),
    ]:
        mentions = _find(text, re.escape(name) if name != "Washington" else "WASHINGTON")
        if name == "China":
            mentions = tuple(m for m in mentions if text[m[1]:m[1] + 4] != " Sea")
        if mentions:
            places.append(Place(name, kind, (), mentions))
    statements = []
    for m in re.finditer(r"“([^”]{20,})”", text):
        after = text[m.end():m.end() + 40]
        speaker, kind = (None, "unknown")
        if "he said" in after or "Austin" in text[m.start() - 40:m.start()]:
            speaker, kind = "Lloyd Austin", "person"
        elif "they said" in after:
            speaker, kind = "the two sides", "group"
        statements.append(Statement(m.group(1), m.start(1), m.end(1), speaker, kind, "said"))
    return Analysis(tuple(people), tuple(places), tuple(statements))


class FakeAnalyser:
    """``analyse_many`` as :class:`index.analysis.Analyser` has it, by :func:`analyse`;
    ``delay`` seconds per document make an update slow enough to cancel; ``record``: a
    file each run appends its process id to."""

    def __init__(self, delay: float = 0.0, record: Path | None = None) -> None:
        self.delay = delay
        self.record = record

    def analyse_many(self, documents: Iterable[Document]) -> Iterator[Analysis]:
        if self.record is not None:
            with self.record.open("a", encoding="ascii") as f:
                f.write(f"{os.getpid()}\n")
        for document in documents:
            if self.delay:
                time.sleep(self.delay)
            yield analyse(document.text)


def library_factory(*, with_seeds: bool = True, delay: float = 0.0,
                    lock_timeout: float = 10.0, record: Path | None = None,
                    die_in_child: bool = False) -> Callable[[Path], Library]:
    """What ``MainWindow(library_factory=...)`` calls in each thread and its updates' child
    process: the real library with the fake analyser (picklable, for the child).
    ``die_in_child``: the update's child process dies (exit code 3) as it opens it."""
    return functools.partial(_library, with_seeds=with_seeds, delay=delay,
                             lock_timeout=lock_timeout, record=record,
                             die_in_child=die_in_child)


def _library(data_dir: Path, *, with_seeds: bool, delay: float, lock_timeout: float,
             record: Path | None, die_in_child: bool) -> Library:
    if die_in_child and multiprocessing.parent_process() is not None:
        os._exit(3)
    return Library(data_dir, with_seeds=with_seeds, analyser=FakeAnalyser(delay, record),
                   processes=1, lock_timeout=lock_timeout)
