"""The article files of an update's scan: what was found, how to read it, its checksum."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from index import paths
from index.model import Document


@dataclass
class _Found:
    key: str
    path: str  # resolved
    source: Path
    size: int
    mtime: float


def read_document(path: str) -> Document | str:
    """The document at ``path``, or why it cannot be read (a sentence for the user)."""
    from index.documents import DocumentError, load_document

    try:
        return load_document(Path(path))
    except DocumentError as exc:
        return getattr(exc, "reason", None) or str(exc)
    except (OSError, ValueError, RecursionError) as exc:
        return f"Cannot read the file: {_strerror(exc)}."


def _is_regular(mode: int) -> bool:
    import stat

    return stat.S_ISREG(mode)


def _strerror(exc: BaseException) -> str:
    if isinstance(exc, OSError) and exc.strerror:
        return exc.strerror
    if isinstance(exc, RecursionError):
        return "it is nested too deeply"
    return str(exc) or type(exc).__name__


def _articles_under(folder: Path, fail: Callable[[str, str], None]) -> list[tuple[str, bool]]:
    """The articles under ``folder`` (sorted, hidden ones left out), each with whether it
    is a symbolic link; links to folders are not followed (no loops). An entry that cannot
    be read is reported through ``fail`` and skipped."""
    found: list[tuple[str, bool]] = []
    suffixes = tuple(paths.ARTICLE_FORMATS)

    def walk(directory: str) -> None:
        try:
            with os.scandir(directory) as it:
                entries = sorted(it, key=lambda e: e.name)
        except OSError as exc:
            if directory != str(folder):
                fail(directory, f"Cannot read the folder: {_strerror(exc)}.")
            else:
                raise
            return
        for entry in entries:
            if entry.name.startswith("."):
                continue
            try:
                if entry.is_dir(follow_symlinks=False):
                    walk(entry.path)
                elif entry.name.lower().endswith(suffixes):
                    found.append((entry.path, entry.is_symlink()))
            except OSError as exc:
                fail(entry.path, f"Cannot read it: {_strerror(exc)}.")

    walk(str(folder))
    return found


def _key_of_resolved(posix_path: str) -> str:
    # index.paths.document_key without resolving again (2 stat calls per file): the
    # same digest of the same string, checked by tests/index/test_library.py.
    return hashlib.sha1(posix_path.encode("utf-8", "surrogateescape")).hexdigest()[:16]


def _sha256(path: str | Path) -> str | None:
    h = hashlib.sha256()
    try:
        with open(path, "rb") as fh:
            for chunk in iter(lambda: fh.read(1 << 20), b""):
                h.update(chunk)
    except OSError:
        return None
    return h.hexdigest()
