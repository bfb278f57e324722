"""``broadsheet index [PATH...]`` and ``broadsheet search QUERY [--limit N] [--json]``.

``index`` adds the paths to the library's sources and updates the index — the text of new
and changed articles first, then their analysis — with a progress bar on stderr when it is
a terminal ("2,225 searchable · 812 of 2,225 analysed"), then prints a summary.
``search`` prints ranked hits; with ``--json`` one object per hit per line with exactly the
keys ``key``, ``path``, ``title``, ``score``, ``snippet`` and ``hits``. Both honour
``--data-dir`` and ``BROADSHEET_DATA_DIR``. Exit codes: 0 success, 1 a user error (one line
on stderr), 2 an internal error.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
from pathlib import Path
from typing import Any, TextIO

from index.cli.codes import EXIT_OK, EXIT_USER
from index.model import Progress

#: The keys of one ``search --json`` line, in order.
JSON_KEYS = ("key", "path", "title", "score", "snippet", "hits")


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "index",
        help="add folders or files to the library and update its index",
        description="Add article folders or files to the library (optional) and bring the "
        "index up to date: only new or changed files are analysed again.",
    )
    p.add_argument("paths", nargs="*", metavar="PATH", help="folders or files to add")
    p.add_argument(
        "--rebuild", action="store_true", help="rebuild the whole index from the sources"
    )
    seeds = p.add_mutually_exclusive_group()
    seeds.add_argument(
        "--no-seeds", action="store_true",
        help="leave the bundled seed articles out (remembered for later runs)",
    )
    seeds.add_argument(
        "--seeds", action="store_true", help="put the bundled seed articles back in"
    )
    p.set_defaults(func=run_index)

    p = sub.add_parser(
        "search",
        help="search the library",
        description='Search the library: words, "phrases", AND/OR/NOT, wildcards (upgr*), '
        "fuzzy terms (Hayshi~), and the fields title:, person: and place:.",
    )
    p.add_argument("query", metavar="QUERY", help="the query (quote it for the shell)")
    p.add_argument("--limit", type=int, default=10, metavar="N", help="at most N hits (10)")
    p.add_argument("--json", action="store_true", help="one JSON object per hit per line")
    p.set_defaults(func=run_search)


def _error(message: str) -> int:
    print(f"broadsheet: {message}", file=sys.stderr)
    return EXIT_USER


class _Bar:
    """A one-line progress bar on a terminal; silent otherwise."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream
        self.enabled = stream.isatty()
        self.shown = False

    def __call__(self, p: Progress) -> None:
        if not self.enabled:
            return
        width = shutil.get_terminal_size((80, 20)).columns
        label = {"scan": "scanning", "index": "indexing", "analyse": "analysing",
                 "commit": "saving", "done": "done"}.get(p.phase, p.phase)
        pct = int(p.fraction * 100)
        filled = pct * 20 // 100
        head = f"\r[{'#' * filled}{'.' * (20 - filled)}] {pct:3d}% {label} {p.done}/{p.total} "
        counts = p.counts()
        if counts:
            head += f"· {counts} "
        name = Path(p.path).name if p.path else ""
        line = (head + name)[: max(10, width - 1)]
        self.stream.write(line.ljust(max(10, width - 1)))
        self.stream.flush()
        self.shown = True

    def finish(self) -> None:
        if self.shown:
            self.stream.write("\n")
            self.stream.flush()




def run_index(args: argparse.Namespace) -> int:
    from index.library import Library
    from index.model import LibraryError
    from index.nlp import one_blas_thread
    from index.paths import data_dir

    one_blas_thread()

    missing = [p for p in args.paths if not Path(p).expanduser().exists()]
    if missing:
        return _error(f"{missing[0]}: no such file or folder")
    try:
        library = Library(
            data_dir(getattr(args, "data_dir", None)),
            # Told, it is remembered; not told, as remembered (a rebuild started by
            # `search` does the same).
            with_seeds=False if args.no_seeds else (True if args.seeds else None),
            processes=None,
        )
    except LibraryError as exc:
        return _error(exc.message)
    bar = _Bar(sys.stderr)
    try:
        library.add_sources(Path(p) for p in args.paths)
        if library.problem and not args.rebuild:
            print(f"broadsheet: {library.problem}: rebuilding it", file=sys.stderr)
        report = library.update(progress=bar, rebuild=args.rebuild)
    except LibraryError as exc:
        bar.finish()
        return _error(exc.message)
    finally:
        library.close()
    bar.finish()
    problems = library.problems()
    print(
        f"{len(report.added)} added, {len(report.updated)} updated, "
        f"{len(report.removed)} removed, {report.unchanged} unchanged, "
        f"{len(problems)} failed ({report.seconds:.1f} s)"
    )
    for problem in problems:
        print(f"failed: {problem.path}: {problem.reason}")
    print(_analysis_line(report.extra))
    return EXIT_USER if problems else EXIT_OK


def _analysis_line(extra: dict[str, Any]) -> str:
    """``"2,225 searchable (in 6.1 s), 2,225 analysed"``, or how many wait."""
    searchable = int(extra.get("searchable") or 0)
    waiting = int(extra.get("waiting") or 0)
    seconds = extra.get("searchable_seconds")
    when = f" (in {seconds:.1f} s)" if isinstance(seconds, float) else ""
    line = f"{searchable:,} searchable{when}, {searchable - waiting:,} analysed"
    if waiting:
        line += f"; {waiting:,} wait for their analysis: run `broadsheet index` again"
    return line


def run_search(args: argparse.Namespace) -> int:
    from index.library import Library
    from index.model import LibraryCorrupt, LibraryError, QueryError
    from index.paths import data_dir

    if args.limit < 1:
        return _error("--limit must be at least 1")
    library = Library(data_dir(getattr(args, "data_dir", None)))
    # A rebuild for a search indexes the text (seconds); the analysis too (minutes) only
    # when the query asks for people or places.
    analyse = any(f in args.query.casefold() for f in ("person:", "place:"))
    try:
        if library.problem:
            print(f"broadsheet: {library.problem}: rebuilding it", file=sys.stderr)
            library.update(analyse=analyse)
        try:
            result = library.search(args.query, limit=args.limit)
        except LibraryCorrupt as exc:
            print(f"broadsheet: {exc.message}", file=sys.stderr)
            library.update(rebuild=True, analyse=analyse)
            result = library.search(args.query, limit=args.limit)
    except QueryError as exc:
        return _error(exc.message)
    except LibraryError as exc:
        return _error(exc.message)
    finally:
        library.close()
    out = sys.stdout
    if args.json:
        for hit in result.hits:
            d = hit.to_dict()
            out.write(json.dumps({k: d[k] for k in JSON_KEYS}, ensure_ascii=False) + "\n")
        if not result.hits and result.suggestion:
            print(f"broadsheet: no hits; did you mean: {result.suggestion}", file=sys.stderr)
        return EXIT_OK
    if not result.hits:
        print("No articles match.")
        if result.suggestion:
            print(f"Did you mean: {result.suggestion}")
        return EXIT_OK
    shown = len(result.hits)
    noun = "article matches" if result.total == 1 else "articles match"
    more = f"; the best {shown}" if shown < result.total else ""
    print(f"{result.total} {noun}{more}:")
    bold, plain = ("\x1b[1m", "\x1b[0m") if out.isatty() else ("[", "]")
    for i, hit in enumerate(result.hits, 1):
        snippet = hit.snippet.replace("<b>", bold).replace("</b>", plain)
        print(f"\n{i}. {hit.title}  ({hit.score:.2f})\n   {hit.path}\n   {_unescape(snippet)}")
    return EXIT_OK


def _unescape(text: str) -> str:
    import html

    return html.unescape(text)
