"""Where the index lives on disk: generations, ``CURRENT``, the manifest and the writer lock.

Layout of the data directory (``index.paths.data_dir()``)::

    library.lock          held by the one process updating the index
    index.json            the live generation's name, written when one is swapped in: an
                          index is expected (a missing ``index/`` or ``CURRENT`` is damage)
    priority.txt          keys of articles a reader wants analysed first (appended lines)
    index/CURRENT         the name of the live index generation, replaced atomically
    index/gen-000007/     a Whoosh index, broadsheet.json (its schema version),
                          manifest.json (path, size, mtime, hash and whether analysed of
                          every article; size, mtime and CRC-32 of every Whoosh file) and
                          words.txt (the library's words, for "did you mean")

A full rebuild is written into a fresh generation directory and swapped in by replacing
``CURRENT``: a crash part-way leaves the old index in use, and the next update removes
the partial folder. Damage is detected from what the index wrote: opening a generation
checks that every Whoosh file of the manifest's commit is there with its size (and,
where its modification time changed, its CRC); an update checks every CRC first.
Nothing here knows about articles; :mod:`index.library.update` writes them and
:mod:`index.library.core` reads them.
"""

from __future__ import annotations

import contextlib
import gc
import json
import os
import re
import shutil
import sys
import time
import warnings
import zlib
from pathlib import Path
from typing import Any

import whoosh.index

from index.library import schema as S
from index.library.whoosh_fixes import patch_whoosh
from index.model import LibraryLocked

INDEX_DIR = "index"
CURRENT = "CURRENT"
VERSION_FILE = "broadsheet.json"
LOCK_FILE = "library.lock"
#: The library's words (unstemmed, one a line) for "did you mean", in the generation dir.
WORDS_FILE = "words.txt"
#: Path, size, mtime and hash of every indexed file, for a fast incremental update.
MANIFEST_FILE = "manifest.json"
#: In the data directory: the live generation, written when one is swapped in.
MARKER_FILE = "index.json"
#: In the data directory: keys of articles to analyse first, one a line.
PRIORITY_FILE = "priority.txt"
#: Whoosh's table of contents and segment files (its index is named MAIN).
_TOC = re.compile(r"^_MAIN_([0-9]+)\.toc$")


class Opened:
    """An opened generation: the Whoosh index and a searcher on it, or why it could not be."""

    def __init__(self, name: str | None, ix: Any = None, searcher: Any = None,
                 problem: str | None = None) -> None:
        self.name = name
        self.ix = ix
        self.searcher = searcher
        self.problem = problem


class Storage:
    """The index folder of one data directory."""

    def __init__(self, data_dir: Path) -> None:
        patch_whoosh()
        self.data_dir = data_dir
        self.root = data_dir / INDEX_DIR

    def current(self) -> str | None:
        """The name of the live generation, or None when there is no index yet."""
        try:
            name = (self.root / CURRENT).read_text("utf-8").strip()
        except OSError:
            return None
        return name or None

    def open(self) -> Opened:
        """Opens the generation named in CURRENT; its ``problem`` says why not, if it is bad."""
        name = self.current()
        if name is None:
            return Opened(None, problem=self.missing())
        gen = self.root / name
        if not gen.is_dir():
            return Opened(name, problem=f"the index is damaged (its folder {name} is missing)")
        try:
            meta = json.loads((gen / VERSION_FILE).read_text("utf-8"))
            version = meta.get("schema_version")
        except (OSError, ValueError, AttributeError) as exc:
            return Opened(name, problem=f"the index is unreadable ({describe(exc)})")
        if version != S.SCHEMA_VERSION:
            return Opened(name, problem=(
                f"the index was written with schema version {version}, "
                f"this version of Broadsheet uses {S.SCHEMA_VERSION}"
            ))
        damage = self.verify(gen, full=False)
        if damage:
            return Opened(name, problem=damage)
        # Whoosh leaves open the file it failed to read: close such files here, quietly,
        # rather than have the garbage collector warn about them at some later moment.
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ResourceWarning)
            try:
                ix = whoosh.index.open_dir(str(gen))
                searcher = ix.searcher()
                reader = searcher.reader()
                if reader.doc_count():
                    next(iter(reader.all_stored_fields()), None)
            except Exception as exc:  # Whoosh raises anything from pickle to struct errors
                gc.collect()
                return Opened(name, problem=f"the index is unreadable ({describe(exc)})")
        return Opened(name, ix, searcher)

    def missing(self) -> str | None:
        """Why there is no index where one is expected (CURRENT or the index folder was
        deleted), or None for a library that was never indexed."""
        if (self.root / CURRENT).exists():
            return None
        if any(self.root.glob("gen-*")):
            return f"the index is damaged ({self.root / CURRENT} is missing)"
        if (self.data_dir / MARKER_FILE).exists():
            return f"the index is missing (the folder {self.root} was deleted)"
        return None

    def verify(self, gen: Path, *, full: bool) -> str | None:
        """What is wrong with the Whoosh files of ``gen``, checked against the manifest
        written at their commit, or None. Every file must be there with its size; a file
        whose modification time changed (or every file, when ``full``) must have its CRC.
        A manifest older than the newest commit (a writer between its commit and its
        manifest) cannot be checked against: None."""
        for _ in range(3):
            recorded = _recorded_checksums(gen)
            if recorded is None or recorded[0] != _newest_toc(gen):
                return None  # nothing to check against, or a commit under way
            problem = None
            for fname, (size, mtime_ns, crc) in recorded[1].items():
                try:
                    st = os.stat(gen / fname)
                except OSError:
                    problem = f"the index is damaged ({fname} is missing)"
                    break
                if st.st_size != size:
                    problem = (f"the index is damaged ({fname} has {st.st_size:,} bytes, "
                               f"it was written with {size:,})")
                    break
                if (full or st.st_mtime_ns != mtime_ns) and _crc32(gen / fname) != crc:
                    problem = f"the index is damaged ({fname} changed since it was written)"
                    break
            if problem is None:
                return None
            again = _recorded_checksums(gen)
            if again is not None and again[0] == recorded[0]:
                return problem  # the same commit: damage, not a writer at work
        return None

    def remove_strays(self) -> None:
        """Removes generation folders that CURRENT does not name (a rebuild that was killed
        part-way) and the folders of killed analyses; called under the writer lock, before
        an update writes."""
        name = self.current()
        for gen in self.root.glob("gen-*"):
            if gen.name != name and gen.is_dir():
                shutil.rmtree(gen, ignore_errors=True)
        # And what a killed analysis was writing beside the live one (analysisphase._Bulk).
        for scratch in self.root.glob("gen-*/.bulk-*"):
            shutil.rmtree(scratch, ignore_errors=True)

    def state_token(self) -> str:
        """A cheap token (two ``stat`` calls) that changes whenever any process commits an
        update: the live generation's name and its manifest's modification."""
        name = self.current() or ""
        try:
            st = os.stat(self.root / name / MANIFEST_FILE) if name else None
        except OSError:
            st = None
        return f"{name}:{st.st_mtime_ns}:{st.st_size}:{st.st_ino}" if st else name

    def generation_dir(self, name: str | None) -> Path | None:
        return self.root / name if name else None

    def new_generation(self) -> Path:
        self.root.mkdir(parents=True, exist_ok=True)
        # Never a name used before (a reader holding the old one would take the new index
        # for the one it has open): above every folder, CURRENT and the marker.
        names = [p.name for p in self.root.glob("gen-*")] + [self.current() or ""]
        with contextlib.suppress(OSError, ValueError, AttributeError):
            names.append(str(json.loads(
                (self.data_dir / MARKER_FILE).read_text("utf-8")).get("current")))
        numbers = [int(n[4:]) for n in names if n.startswith("gen-") and n[4:].isdigit()]
        gen = self.root / f"gen-{max(numbers, default=0) + 1:06d}"
        gen.mkdir()
        atomic_write(gen / VERSION_FILE, json.dumps({"schema_version": S.SCHEMA_VERSION}))
        return gen

    def swap_in(self, gen: Path) -> None:
        """Makes ``gen`` the live index (one atomic rename) and removes older ones."""
        atomic_write(self.root / CURRENT, gen.name + "\n")
        with contextlib.suppress(OSError):  # the marker only sharpens a message
            atomic_write(self.data_dir / MARKER_FILE, json.dumps({"current": gen.name}) + "\n")
        for old in self.root.glob("gen-*"):
            if old != gen:
                shutil.rmtree(old, ignore_errors=True)

    @staticmethod
    def read_manifest(ix: Any) -> dict[str, dict[str, Any]] | None:
        """The manifest written after the last commit, if it is of the index's current
        Whoosh generation (a crash between the two leaves an older one: None)."""
        try:
            data = json.loads((Path(ix.storage.folder) / MANIFEST_FILE).read_text("utf-8"))
            if data.get("generation") == ix.latest_generation():
                return dict(data["files"])
        except (OSError, ValueError, KeyError, AttributeError, TypeError):
            pass
        return None

    @staticmethod
    def write_manifest(ix: Any, files: dict[str, dict[str, Any]]) -> None:
        """Records the articles and the checksums of the commit just made (the CRC of a
        file already recorded with the same size and modification time is not read again:
        Whoosh never rewrites a file)."""
        folder = Path(ix.storage.folder)
        generation = ix.latest_generation()
        known = (_recorded_checksums(folder) or (0, {}))[1]
        checksums: dict[str, list[int]] = {}
        for fname in _whoosh_files(folder, generation):
            st = os.stat(folder / fname)
            old = known.get(fname)
            if old is not None and old[0] == st.st_size and old[1] == st.st_mtime_ns:
                checksums[fname] = old
            else:
                checksums[fname] = [st.st_size, st.st_mtime_ns, _crc32(folder / fname) or 0]
        atomic_write(
            folder / MANIFEST_FILE,
            json.dumps({"generation": generation, "files": files, "checksums": checksums}),
        )

    def lock(self, timeout: float) -> FileLock:
        """The writer lock: one process updates the library at a time."""
        return FileLock(self.data_dir / LOCK_FILE, timeout)


def _newest_toc(folder: Path) -> int | None:
    newest = None
    with contextlib.suppress(OSError):
        for name in os.listdir(folder):
            m = _TOC.match(name)
            if m and (newest is None or int(m.group(1)) > newest):
                newest = int(m.group(1))
    return newest


def _whoosh_files(folder: Path, generation: int) -> list[str]:
    """The files of Whoosh's commit ``generation``: its table of contents and the files of
    the segments it lists (not older files a reader may still hold open)."""
    from whoosh.filedb.filestore import FileStorage
    from whoosh.index import TOC

    toc = TOC.read(FileStorage(str(folder)), "MAIN", generation)
    prefixes = tuple(f"{segment.segment_id()}." for segment in toc.segments)
    names = [n for n in os.listdir(folder) if n.startswith(prefixes)]
    return [TOC._filename("MAIN", generation), *sorted(names)]


def _recorded_checksums(folder: Path) -> tuple[int, dict[str, list[int]]] | None:
    """The Whoosh generation and checksums the manifest recorded, if it has them."""
    try:
        data = json.loads((folder / MANIFEST_FILE).read_text("utf-8"))
        return int(data["generation"]), {
            str(k): [int(x) for x in v] for k, v in data["checksums"].items()
        }
    except (OSError, ValueError, KeyError, AttributeError, TypeError):
        return None


def _crc32(path: Path) -> int | None:
    crc = 0
    try:
        with open(path, "rb") as fh:
            for chunk in iter(lambda: fh.read(1 << 20), b""):
                crc = zlib.crc32(chunk, crc)
    except OSError:
        return None
    return crc


def atomic_write(path: Path, text: str) -> None:
    """Writes ``text`` to ``path`` so that a reader sees the old file or the new, never half."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        with open(tmp, "w", encoding="utf-8") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise


def describe(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return f"{type(exc).__name__}: {text[0]}" if text else type(exc).__name__


def locked_message(data_dir: Path) -> str:
    return (
        f"Another Broadsheet process is updating the library in {data_dir}; "
        "try again when it has finished."
    )


class FileLock:
    """An exclusive lock on a file, held by one process at a time, with a timeout."""

    def __init__(self, path: Path, timeout: float, message: str | None = None) -> None:
        self.path = path
        self.timeout = timeout
        self.message = message or locked_message(path.parent)
        self._fh: Any = None

    def __enter__(self) -> FileLock:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fh = open(self.path, "a+b")  # held until __exit__
        deadline = time.monotonic() + self.timeout
        while True:
            try:
                _lock_file(fh)
                break
            except OSError:
                if time.monotonic() >= deadline:
                    fh.close()
                    raise LibraryLocked(self.message) from None
                time.sleep(0.02)
        self._fh = fh
        return self

    def __exit__(self, *exc: object) -> None:
        if self._fh is not None:
            with contextlib.suppress(OSError):
                _unlock_file(self._fh)
            self._fh.close()
            self._fh = None


if sys.platform == "win32":  # pragma: no cover - exercised on Windows only
    import msvcrt

    def _lock_file(fh: Any) -> None:
        fh.seek(0)
        msvcrt.locking(fh.fileno(), msvcrt.LK_NBLCK, 1)

    def _unlock_file(fh: Any) -> None:
        fh.seek(0)
        msvcrt.locking(fh.fileno(), msvcrt.LK_UNLCK, 1)

else:
    import fcntl

    def _lock_file(fh: Any) -> None:
        fcntl.flock(fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)

    def _unlock_file(fh: Any) -> None:
        fcntl.flock(fh.fileno(), fcntl.LOCK_UN)
