"""Where the index lives on disk: generations, ``CURRENT``, the manifest and the writer lock.

Layout of the data directory (``index.paths.data_dir()``)::

    library.lock          held by the one process updating the index
    index/CURRENT         the name of the live index generation, replaced atomically
    index/gen-000007/     a Whoosh index, broadsheet.json (its schema version),
                          manifest.json (path, size, mtime, hash of every article) and
                          words.txt (the library's words, for "did you mean")

A full rebuild is written into a fresh generation directory and swapped in by replacing
``CURRENT``: a crash part-way leaves the old index in use. Nothing here knows about
articles; :mod:`index.library.update` writes them and :mod:`index.library.core` reads them.
"""

from __future__ import annotations

import contextlib
import gc
import json
import os
import shutil
import sys
import time
import warnings
from pathlib import Path
from typing import Any

import whoosh.index

from index.library import schema as S
from index.model import LibraryLocked

INDEX_DIR = "index"
CURRENT = "CURRENT"
VERSION_FILE = "broadsheet.json"
LOCK_FILE = "library.lock"
#: The library's words (unstemmed, one a line) for "did you mean", in the generation dir.
WORDS_FILE = "words.txt"
#: Path, size, mtime and hash of every indexed file, for a fast incremental update.
MANIFEST_FILE = "manifest.json"


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
            return Opened(None)
        gen = self.root / name
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
        numbers = [
            int(p.name.split("-")[1])
            for p in self.root.glob("gen-*")
            if p.name.split("-")[1].isdigit()
        ]
        gen = self.root / f"gen-{max(numbers, default=0) + 1:06d}"
        gen.mkdir()
        atomic_write(gen / VERSION_FILE, json.dumps({"schema_version": S.SCHEMA_VERSION}))
        return gen

    def swap_in(self, gen: Path) -> None:
        """Makes ``gen`` the live index (one atomic rename) and removes older ones."""
        atomic_write(self.root / CURRENT, gen.name + "\n")
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
        atomic_write(
            Path(ix.storage.folder) / MANIFEST_FILE,
            json.dumps({"generation": ix.latest_generation(), "files": files}),
        )

    def lock(self, timeout: float) -> FileLock:
        """The writer lock: one process updates the library at a time."""
        return FileLock(self.data_dir / LOCK_FILE, timeout)


def patch_whoosh() -> None:
    """Whoosh 2.7.5 looks for a field's length column on disk (a ``stat``) for every
    posting of a field that has none, when writing a segment; remembering the answer makes
    committing the BBC corpus about twice as fast. Idempotent; does nothing if Whoosh
    changed."""
    from whoosh.codec import whoosh3

    reader_class = getattr(whoosh3, "W3PerDocReader", None)
    original = getattr(reader_class, "_cached_reader", None)
    if original is None or getattr(original, "_broadsheet", False):
        return

    def _cached_reader(self: Any, fieldname: str, column: Any) -> Any:
        readers = self._readers
        if fieldname not in readers:
            readers[fieldname] = original(self, fieldname, column)
        return readers[fieldname]

    _cached_reader._broadsheet = True  # type: ignore[attr-defined]
    reader_class._cached_reader = _cached_reader  # type: ignore[union-attr]


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
