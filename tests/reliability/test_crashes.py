"""Crashes, concurrent writers and damage (issue 13, 4 and 6; the bookmarks' kill -9).

* ``kill -9`` of a bookmark writer at random moments, N times: every bookmark it reported
  is there and the database is sound;
* two processes adding 100 sources each at once: none lost; ``kill -9`` of a source
  writer: the list is never damaged;
* a damaged list of sources: the update refuses, and no article is removed;
* the index folder deleted, ``CURRENT`` deleted, garbage in a segment: noticed, said, and
  rebuilt by the next update, with the bookmarks intact.
"""

from __future__ import annotations

import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from corpus import NamesAnalyser, library_articles
from soak import SOAK  # tests/reliability is on sys.path (no __init__)

from index.bookmarks import BookmarkStore
from index.library import Library
from index.model import LibraryCorrupt, LibraryError

REPO = Path(__file__).resolve().parents[2]
KILLS = 200 if SOAK else 10

_BOOKMARK_WRITER = """
import sys
from pathlib import Path
from index.bookmarks import BookmarkStore
text = "The minister said the plan was fair and would be debated in the spring. " * 20
store = BookmarkStore(Path(sys.argv[1]))
print("ready", flush=True)
i = 0
while True:
    start = (i * 7) % 1000
    b = store.add("k%d" % (i % 5), "/news/%d.txt" % (i % 5), text, start, start + 40, sys.argv[2])
    print(b.id, flush=True)
    i += 1
"""

_SOURCE_WRITER = """
import sys
from pathlib import Path
from index.library import Library
library = Library(Path(sys.argv[1]), with_seeds=False)
print("ready", flush=True)
for name in sys.argv[3:]:
    library.add_sources([Path(sys.argv[2]) / name])
    print(name, flush=True)
"""


def _spawn(script: str, *args: str) -> subprocess.Popen[str]:
    env = dict(os.environ, PYTHONPATH=str(REPO))
    proc = subprocess.Popen([sys.executable, "-c", script, *args], stdout=subprocess.PIPE,
                            text=True, env=env, cwd=REPO)
    assert proc.stdout is not None and proc.stdout.readline() == "ready\n"
    return proc


def _kill(proc: subprocess.Popen[str], after: float) -> list[str]:
    """SIGKILL ``proc`` ``after`` seconds from now; every complete line it printed."""
    time.sleep(after)
    os.kill(proc.pid, signal.SIGKILL)
    assert proc.stdout is not None
    out = proc.stdout.read()
    proc.stdout.close()
    proc.wait()
    return out.split("\n")[:-1]  # the last, unfinished line is not a report


def test_kill_9_of_bookmark_writers_loses_nothing_reported(
    data_dir: Path, figures: dict[str, Any]
) -> None:
    rng = random.Random(13)
    reported: set[int] = set()
    for n in range(KILLS):
        proc = _spawn(_BOOKMARK_WRITER, str(data_dir), f"kill-{n}")
        reported |= {int(x) for x in _kill(proc, rng.uniform(0.0, 0.15))}
    with sqlite3.connect(data_dir / "bookmarks.sqlite3") as db:
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    with BookmarkStore(data_dir) as store:
        ids = {b.id for b in store.list()}
    assert reported <= ids
    figures["kill -9 of bookmark writers"] = (
        f"{KILLS} kills, {len(reported)} bookmarks reported, {len(reported - ids)} lost"
    )


def test_two_processes_adding_sources_lose_none(tmp_path: Path, figures: dict[str, Any]) -> None:
    data = tmp_path / "sources-data"
    data.mkdir()
    names = {tag: [f"{tag}{i:03d}" for i in range(100)] for tag in ("a", "b")}
    for name in (n for ns in names.values() for n in ns):
        (tmp_path / name).mkdir()
    procs = [_spawn(_SOURCE_WRITER, str(data), str(tmp_path), *names[tag]) for tag in names]
    for proc in procs:
        proc.communicate(timeout=300)
        assert proc.returncode == 0
    kept = {p.name for p in Library(data, with_seeds=False).sources()}
    lost = {n for ns in names.values() for n in ns} - kept
    assert lost == set()
    figures["two processes x 100 source adds"] = f"{len(lost)} lost"


def test_kill_9_of_a_source_writer_never_damages_the_list(tmp_path: Path) -> None:
    data = tmp_path / "sources-data"
    data.mkdir()
    rng = random.Random(4)
    reported: list[str] = []
    for n in range(5 if not SOAK else 50):
        names = [f"k{n:02d}-{i:03d}" for i in range(200)]
        for name in names:
            (tmp_path / name).mkdir()
        reported += _kill(_spawn(_SOURCE_WRITER, str(data), str(tmp_path), *names),
                          rng.uniform(0.0, 0.3))
        json.loads((data / "sources.json").read_text("utf-8"))  # never half written
    kept = {p.name for p in Library(data, with_seeds=False).sources()}
    assert set(reported) <= kept


@pytest.fixture
def built(tmp_path: Path) -> Iterator[tuple[Path, Path]]:
    """A data directory with 30 indexed articles and one bookmark."""
    articles = tmp_path / "articles"
    library_articles(articles, count=30)
    data = tmp_path / "data"
    with Library(data, with_seeds=False, analyser=NamesAnalyser()) as library:
        library.add_sources([articles])
        library.update()
        info = library.documents()[0]
        text = library.article(info.key).text
    with BookmarkStore(data) as store:
        store.add(info.key, info.path, text, 0, 10, "keep me")
    yield data, articles


def test_a_damaged_source_list_removes_no_article(built: tuple[Path, Path]) -> None:
    data, _ = built
    (data / "sources.json").write_bytes(b'{"sources": ["/a", ')
    with Library(data, with_seeds=False, analyser=NamesAnalyser()) as library:
        with pytest.raises(LibraryError, match="damaged"):
            library.update()
        assert len(library.documents()) == 30


def _damage_index_folder(data: Path) -> None:
    import shutil

    shutil.rmtree(data / "index")


def _damage_current(data: Path) -> None:
    (data / "index" / "CURRENT").unlink()


def _damage_segment(data: Path) -> None:
    gen = data / "index" / (data / "index" / "CURRENT").read_text().strip()
    segment = max((p for p in gen.iterdir() if p.suffix == ".seg"), key=lambda p: p.stat().st_size)
    raw = bytearray(segment.read_bytes())
    rng = random.Random(6)
    for _ in range(64):
        raw[rng.randrange(len(raw) // 4, len(raw))] ^= 0xFF
    segment.write_bytes(bytes(raw))


@pytest.mark.parametrize("damage", [_damage_index_folder, _damage_current, _damage_segment])
def test_index_damage_is_noticed_said_and_rebuilt(built: tuple[Path, Path], damage: Any) -> None:
    data, _ = built
    damage(data)
    with Library(data, with_seeds=False, analyser=NamesAnalyser()) as library:
        said = library.problem
        if said is None:
            with pytest.raises(LibraryCorrupt):
                library.search("minister")
        library.update()
        assert len(library.documents()) == 30
        assert library.search("minister").total > 0
    with BookmarkStore(data) as store:
        assert [b.note for b in store.list()] == ["keep me"]
