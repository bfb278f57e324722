"""``broadsheet sources list|add|remove|problems``: the folders and files in the library.

``list`` prints one source a line (``--json``: one object a line with ``path``, ``kind`` —
``seeds``, ``folder``, ``file`` or ``missing`` — and ``articles``, the number indexed from
it); ``add PATH...`` and ``remove PATH`` change the list and update the index (``remove``
of a file inside a folder leaves that file out from then on); ``problems`` lists the files
the last update could not read (``--json``: ``path``, ``reason``, ``when``).
"""

from __future__ import annotations

import argparse
import json
from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING

from index.cli.codes import EXIT_OK, EXIT_USER, library_errors, user_error

if TYPE_CHECKING:
    from index.library import Library


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "sources",
        help="list, add or remove the library's folders and files",
        description="The folders and files the library reads, and the files it could not.",
    )
    actions = p.add_subparsers(dest="action", metavar="ACTION", required=True)
    q = actions.add_parser("list", help="the folders and files in the library")
    q.add_argument("--json", action="store_true", help="one JSON object per line")
    q.set_defaults(func=run_list)
    q = actions.add_parser("add", help="add folders or files and update the index")
    q.add_argument("paths", nargs="+", metavar="PATH")
    q.set_defaults(func=run_add)
    q = actions.add_parser("remove", help="remove a folder or file and update the index")
    q.add_argument("path", metavar="PATH")
    q.set_defaults(func=run_remove)
    q = actions.add_parser("problems", help="the files the last update could not read")
    q.add_argument("--json", action="store_true", help="one JSON object per line")
    q.set_defaults(func=run_problems)


def _library(args: argparse.Namespace) -> Library:
    from index.library import Library
    from index.paths import data_dir

    return Library(data_dir(getattr(args, "data_dir", None)), processes=None)


@library_errors
def run_list(args: argparse.Namespace) -> int:
    from index.paths import display, seeds_dir

    with _library(args) as library:
        sources = library.sources()
        counts: Counter[str] = Counter(info.source for info in library.documents())
    for source in sources:
        if source == seeds_dir():
            kind = "seeds"
        elif source.is_dir():
            kind = "folder"
        elif source.exists():
            kind = "file"
        else:
            kind = "missing"
        shown = display(source)
        if args.json:
            print(json.dumps({"path": shown, "kind": kind, "articles": counts[str(source)]},
                             ensure_ascii=False))
        else:
            print(f"{shown}  ({kind}, {counts[str(source)]} articles)")
    return EXIT_OK


def _update(library: Library) -> int:
    report = library.update()
    problems = library.problems()
    print(f"{len(report.added)} added, {len(report.updated)} updated, "
          f"{len(report.removed)} removed, {len(problems)} failed")
    for problem in problems:
        print(f"failed: {problem.path}: {problem.reason}")
    return EXIT_USER if problems else EXIT_OK


@library_errors
def run_add(args: argparse.Namespace) -> int:
    missing = [p for p in args.paths if not Path(p).expanduser().exists()]
    if missing:
        return user_error(f"{missing[0]}: no such file or folder")
    with _library(args) as library:
        library.add_sources(Path(p) for p in args.paths)
        return _update(library)


@library_errors
def run_remove(args: argparse.Namespace) -> int:
    with _library(args) as library:
        if not library.remove_source(args.path):
            return user_error(f"{args.path}: not a source of the library "
                              "(see: broadsheet sources list)")
        return _update(library)


@library_errors
def run_problems(args: argparse.Namespace) -> int:
    with _library(args) as library:
        problems = library.problems()
    for p in problems:
        if args.json:
            print(json.dumps({"path": p.path, "reason": p.reason, "when": p.when},
                             ensure_ascii=False))
        else:
            print(f"{p.path}: {p.reason} ({p.when})")
    return EXIT_OK
