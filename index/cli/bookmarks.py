"""``broadsheet bookmarks add | list | remove | export``: the user's bookmarked passages.

``add FILE --quote TEXT [--note NOTE]`` finds the quoted passage in the article's analysed
text (the text the reader shows: the library's copy if the file is indexed, else the file
read now); a quote that is absent, or occurs more than once, is a user error.
``list [--json]`` prints a table, or one JSON object per line with exactly the keys
``id key path quote prefix suffix start end note created orphaned``.
``remove ID`` deletes one. ``export --format md|json [--output FILE]`` writes every bookmark
to stdout or, atomically, to a file.

Every command reads a store it cannot write (a read-only data directory): ``list`` and
``export`` work there, ``add`` and ``remove`` say in one sentence what cannot be written.
File names that are not valid UTF-8 are printed with U+FFFD for their bad bytes.

Exit codes: 0 success, 1 a user error (one line on stderr), 2 an internal error.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

from index import paths
from index.bookmarks import BookmarkError, BookmarkStore, exported, find_quote
from index.cli.codes import EXIT_OK, EXIT_USER
from index.model import Bookmark


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "bookmarks",
        help="add, list, remove and export bookmarked passages",
        description="Bookmarks are passages of articles, kept apart from the index: rebuilding "
        "the index never loses them, and they follow the article when its file is edited.",
    )
    cmds = p.add_subparsers(dest="bookmarks_command", metavar="COMMAND", required=True)

    add = cmds.add_parser("add", help="bookmark a passage of an article")
    add.add_argument("file", metavar="FILE", help="the article's file")
    add.add_argument(
        "--quote", required=True, metavar="TEXT",
        help="the passage, exactly as in the article (line breaks may be typed as spaces)",
    )
    add.add_argument("--note", default="", metavar="NOTE", help="a note to keep with it")
    add.set_defaults(func=_user_errors(run_add))

    ls = cmds.add_parser("list", help="list every bookmark")
    ls.add_argument("--json", action="store_true", help="one JSON object per line")
    ls.set_defaults(func=_user_errors(run_list))

    rm = cmds.add_parser("remove", help="delete a bookmark")
    rm.add_argument("id", metavar="ID", help="the bookmark's number, as listed")
    rm.set_defaults(func=_user_errors(run_remove))

    ex = cmds.add_parser("export", help="write every bookmark as Markdown or JSON")
    ex.add_argument("--format", choices=("md", "json"), default="md", help="default: md")
    ex.add_argument("--output", metavar="FILE", help="write to FILE (atomically), not stdout")
    ex.set_defaults(func=_user_errors(run_export))


def _fail(message: str) -> int:
    print(f"broadsheet bookmarks: {message}", file=sys.stderr)
    return EXIT_USER


def _user_errors(run: Callable[[argparse.Namespace], int]) -> Callable[[argparse.Namespace], int]:
    """``run`` with a :class:`BookmarkError` (a store that cannot be read or written) made
    one line on stderr and exit 1."""

    def guarded(args: argparse.Namespace) -> int:
        try:
            return run(args)
        except BookmarkError as exc:
            return _fail(str(exc))

    guarded.__name__ = run.__name__
    guarded.__doc__ = run.__doc__
    return guarded


def _store(args: argparse.Namespace) -> BookmarkStore:
    return BookmarkStore(paths.data_dir(getattr(args, "data_dir", None)))


# ------------------------------------------------------------------ add


def _article(data_dir: Path, path: Path) -> tuple[str, str]:
    """``(analysed text, title)`` of the article: the library's copy if it has the file (the
    text the reader shows, which bookmarks must match), else the file read now."""
    try:
        from index.library import Library
        from index.model import LibraryError
    except ImportError:
        pass
    else:
        try:
            with Library(data_dir) as library:
                key = library.key_for_path(path)
                if key is not None:
                    article = library.article(key)
                    return article.text, article.info.title
        except (LibraryError, KeyError, OSError):
            pass  # an index that cannot be read is a cache: read the file itself
    from index.documents import load_document

    document = load_document(path)
    return document.text, document.title


def run_add(args: argparse.Namespace) -> int:
    from index.documents import DocumentError

    path = Path(args.file).expanduser()
    shown = paths.display(args.file)
    if not path.is_file():
        return _fail(f"{shown}: no such file")
    data_dir = paths.data_dir(args.data_dir)
    try:
        text, title = _article(data_dir, path)
    except DocumentError as exc:
        return _fail(f"{shown}: {exc.reason}")
    if not args.quote.strip():
        return _fail("the quote is empty")
    spans = find_quote(text, args.quote)
    if not spans:
        return _fail(f"the quote is not in {shown}")
    if len(spans) > 1:
        return _fail(
            f"the quote occurs {len(spans)} times in {shown}; quote more words so that it "
            "is found once"
        )
    start, end = spans[0]
    with _store(args) as store:
        bookmark = store.add(
            paths.document_key(path), str(path.resolve()), text, start, end, args.note
        )
    name = title or paths.display(path.name)
    print(f"Bookmark #{bookmark.id} in {name}: “{_short(bookmark.quote, 60)}”")
    return EXIT_OK


# ------------------------------------------------------------------ list, remove


def run_list(args: argparse.Namespace) -> int:
    with _store(args) as store:
        bookmarks = store.list()
    out = sys.stdout
    if args.json:
        for b in bookmarks:
            out.write(json.dumps(exported(b), ensure_ascii=False) + "\n")
        return EXIT_OK
    if not bookmarks:
        out.write("No bookmarks yet.\n")
        return EXIT_OK
    out.write(_table(bookmarks))
    return EXIT_OK


def _short(text: str, width: int) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= width else flat[: width - 1].rstrip() + "…"


def _table(bookmarks: list[Bookmark]) -> str:
    rows = [("ID", "ARTICLE", "PASSAGE", "NOTE", "CREATED")]
    for b in bookmarks:
        passage = _short(b.quote, 48)
        passage = f"“{passage}”" + (" (orphaned)" if b.orphaned else "")
        rows.append(
            (str(b.id), _short(paths.display(Path(b.path).name), 24), passage, _short(b.note, 30),
             b.created.replace("T", " ").removesuffix("Z"))
        )
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    lines = ["  ".join(cell.ljust(w) for cell, w in zip(r, widths, strict=True)).rstrip()
             for r in rows]
    orphans = sum(b.orphaned for b in bookmarks)
    if orphans:
        lines.append(
            f"\n{orphans} orphaned: the passage was edited away or its file is gone; the text "
            "shown is as it was."
        )
    return "\n".join(lines) + "\n"


def run_remove(args: argparse.Namespace) -> int:
    try:
        id_ = int(str(args.id).removeprefix("#"))
    except ValueError:
        return _fail(f"{args.id!r} is not a bookmark number (see `broadsheet bookmarks list`)")
    with _store(args) as store:
        try:
            bookmark = store.remove(id_)
        except BookmarkError as exc:
            return _fail(str(exc))
    print(f"Removed bookmark #{bookmark.id}: “{_short(bookmark.quote, 60)}”")
    return EXIT_OK


# ------------------------------------------------------------------ export


def _titles(data_dir: Path, bookmarks: list[Bookmark]) -> dict[str, str]:
    """Article titles for the export: the library's, else each file's own, else none."""
    titles: dict[str, str] = {}
    try:
        from index.library import Library
        from index.model import LibraryError

        with Library(data_dir) as library:
            titles = {info.key: info.title for info in library.documents()}
    except (ImportError, LibraryError, OSError):
        pass  # no titles from the library (none yet, or a place it cannot open)
    from index.documents import DocumentError, load_document

    for b in bookmarks:
        if b.key not in titles and Path(b.path).is_file():
            try:
                titles[b.key] = load_document(Path(b.path)).title
            except DocumentError:
                continue
    return titles


def run_export(args: argparse.Namespace) -> int:
    data_dir = paths.data_dir(args.data_dir)
    with BookmarkStore(data_dir) as store:
        if args.format == "json":
            text = store.export_json()
        else:
            text = store.export_markdown(_titles(data_dir, store.list()))
    if not args.output:
        sys.stdout.write(text)
        return EXIT_OK
    target = Path(args.output).expanduser()
    try:
        _atomic_write(target, text)
    except OSError as exc:
        return _fail(f"cannot write {args.output}: {exc.strerror or exc}")
    print(f"Exported bookmarks to {target}", file=sys.stderr)
    return EXIT_OK


def _atomic_write(target: Path, text: str) -> None:
    """Write ``text`` to ``target`` so that a reader sees the old file or the whole new one."""
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)  # mkstemp makes it private; an export is an ordinary file
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    try:  # make the rename itself durable
        dir_fd = os.open(target.parent, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(dir_fd)
    finally:
        os.close(dir_fd)
