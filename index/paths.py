"""Where Broadsheet keeps things: the one module that knows paths.

The data directory holds the index (a cache), the bookmarks (user data), the list of
sources and the window's state. It is the platform's user data directory unless
``BROADSHEET_DATA_DIR`` (or the command line's ``--data-dir``) says otherwise, so tests and
benchmarks never touch a real profile.
"""

from __future__ import annotations

import contextlib
import os
import sys
from pathlib import Path

# platformdirs and hashlib are imported where they are used: the window's start-up reads
# this module before its first frame, and with a data directory given needs neither.

APP_NAME = "broadsheet"
ENV_DATA_DIR = "BROADSHEET_DATA_DIR"

#: Extensions Broadsheet reads, lower case, with the format each one is read as.
ARTICLE_FORMATS = {
    ".txt": "txt",
    ".text": "txt",
    ".md": "md",
    ".markdown": "md",
    ".html": "html",
    ".htm": "html",
}


def data_dir(override: str | os.PathLike[str] | None = None) -> Path:
    """The data directory: ``override``, else ``$BROADSHEET_DATA_DIR``, else the platform's."""
    chosen = override or os.environ.get(ENV_DATA_DIR)
    if chosen:
        path = Path(chosen)
    else:
        import platformdirs

        path = Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))
    path = path.expanduser().resolve()
    # Where it cannot be made (a read-only place), what reads it still works and what
    # writes says what cannot be written.
    with contextlib.suppress(OSError):
        path.mkdir(parents=True, exist_ok=True)
    return path


def config_dir() -> Path:
    """Preferences (kept apart from user data): beside the data dir when overridden."""
    if os.environ.get(ENV_DATA_DIR):
        return data_dir() / "config"
    import platformdirs

    return Path(platformdirs.user_config_dir(APP_NAME, appauthor=False))


def resources_dir() -> Path:
    """The shipped ``resources/`` folder (icons, desktop entry, styles)."""
    return _shipped("resources")


def seeds_dir() -> Path:
    """The bundled library of seed articles."""
    return _shipped("seeds")


def _shipped(name: str) -> Path:
    # In a source checkout or an editable install the folder sits beside the packages;
    # in a PyInstaller bundle it is under sys._MEIPASS; in a wheel install, under
    # <prefix>/share/broadsheet.
    candidates = [Path(__file__).resolve().parent.parent / name]
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle:
        candidates.insert(0, Path(bundle) / name)
    candidates.append(Path(sys.prefix) / "share" / APP_NAME / name)
    for candidate in candidates:
        if candidate.is_dir():
            return candidate
    return candidates[0]


def is_article(path: Path) -> bool:
    return path.suffix.lower() in ARTICLE_FORMATS


def document_key(path: str | os.PathLike[str]) -> str:
    """A document's stable key: it names the file, so it survives edits to its content."""
    import hashlib

    try:
        resolved = Path(path).expanduser().resolve().as_posix()
    except (RuntimeError, OSError):  # a symlink loop ("Symlink loop from ..."): as it is
        resolved = Path(os.path.abspath(Path(path).expanduser())).as_posix()
    return hashlib.sha1(resolved.encode("utf-8", "surrogateescape")).hexdigest()[:16]


def display(path: str | os.PathLike[str]) -> str:
    """``path`` as text that can always be printed, written as UTF-8 or stored (JSON,
    SQLite, Whoosh): a file name that is not valid UTF-8 comes from the file system with
    its bad bytes as surrogate escapes, which every encoder refuses; here each becomes
    U+FFFD. For showing and reporting only: open files by the original ``path``."""
    text = os.fspath(path)
    if isinstance(text, bytes):
        text = os.fsdecode(text)
    return text.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
