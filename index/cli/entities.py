"""``broadsheet entities ...``: the library's people and places, and the reader's corrections.

    entities list [--kind person|place|organisation] [--hidden] [--json]
    entities show NAME [--json]
    entities rename NAME NEWNAME | merge NAME INTO | split NAME ALIAS
    entities kind NAME person|place|organisation|none | hide NAME | unhide NAME
    entities corrections [--json] | undo ID | export | import FILE

NAME is the entry's name or any of its aliases. ``list --json`` prints one object a line with
``name``, ``kind``, ``aliases``, ``articles`` (count), ``mentions`` (count) and ``roles``;
``show --json`` one object with ``name``, ``kind``, ``aliases``, ``roles``, ``articles``,
``statements`` (each with ``key``, ``start``, ``end``, ``text``), ``people`` and ``places``.
Corrections are stored beside the bookmarks and applied whenever the library is read.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from index.cli.codes import EXIT_OK, library_errors, user_error

if TYPE_CHECKING:
    from index.library import Library
    from index.model import LibraryEntity

KINDS = ("person", "place", "organisation")


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "entities",
        help="list and correct the people and places of the library",
        description="The library's people and places, and corrections to them (kept across "
        "rebuilds and edits). NAME is an entry's name or any of its aliases.",
    )
    actions = p.add_subparsers(dest="action", metavar="ACTION", required=True)
    q = actions.add_parser("list", help="every person, place or organisation")
    q.add_argument("--kind", choices=KINDS, help="only this kind (default: people and places)")
    q.add_argument("--hidden", action="store_true", help="the hidden entries instead")
    q.add_argument("--json", action="store_true", help="one JSON object per line")
    q.set_defaults(func=run_list)
    q = actions.add_parser("show", help="what the library knows about one entry")
    q.add_argument("name", metavar="NAME")
    q.add_argument("--json", action="store_true", help="one JSON object")
    q.set_defaults(func=run_show)
    for op, second, helptext in (
        ("rename", "NEWNAME", "give an entry another name (the old one stays an alias)"),
        ("merge", "INTO", "make NAME one entry with INTO"),
        ("split", "ALIAS", "take the mentions written ALIAS out of NAME into an entry"),
        ("kind", "KIND", "make NAME a person, place, organisation or none (not a name)"),
    ):
        q = actions.add_parser(op, help=helptext)
        q.add_argument("name", metavar="NAME")
        q.add_argument("value", metavar=second)
        q.set_defaults(func=run_correct, op=op)
    for op, helptext in (("hide", "leave NAME out of the panels and lists"),
                         ("unhide", "show a hidden entry again")):
        q = actions.add_parser(op, help=helptext)
        q.add_argument("name", metavar="NAME")
        q.set_defaults(func=run_correct, op=op, value="")
    q = actions.add_parser("corrections", help="the corrections in force")
    q.add_argument("--json", action="store_true", help="one JSON object per line")
    q.set_defaults(func=run_corrections)
    q = actions.add_parser("undo", help="take back a correction (its id: see corrections)")
    q.add_argument("id", type=int, metavar="ID")
    q.set_defaults(func=run_undo)
    q = actions.add_parser("export", help="print every correction as JSON")
    q.set_defaults(func=run_export)
    q = actions.add_parser("import", help="add the corrections of an export")
    q.add_argument("file", metavar="FILE")
    q.set_defaults(func=run_import)


def _library(args: argparse.Namespace) -> Library:
    from index.library import Library
    from index.paths import data_dir

    return Library(data_dir(getattr(args, "data_dir", None)))


def _row(e: LibraryEntity) -> dict[str, object]:
    return {
        "name": e.name,
        "kind": str(e.kind),
        "aliases": list(e.aliases),
        "articles": len(e.articles),
        "mentions": e.mentions,
        "roles": sorted({r for r, _ in e.roles}),
    }


@library_errors
def run_list(args: argparse.Namespace) -> int:
    kinds = [args.kind] if args.kind else ["person", "place"]
    with _library(args) as library:
        found = [e for k in kinds for e in library.entities(k, hidden=args.hidden)]
    for e in found:
        if args.json:
            print(json.dumps(_row(e), ensure_ascii=False))
        else:
            aliases = f" (also {', '.join(e.aliases)})" if e.aliases else ""
            print(f"{e.kind}\t{e.name}{aliases}\t{len(e.articles)} articles, "
                  f"{e.mentions} mentions")
    return EXIT_OK


@library_errors
def run_show(args: argparse.Namespace) -> int:
    try:
        with _library(args) as library:
            page = library.entity_page(args.name)
    except KeyError:
        return user_error(f"nothing in the library goes by {args.name!r} "
                          "(see: broadsheet entities list)")
    if args.json:
        print(json.dumps(page.to_dict(), ensure_ascii=False))
        return EXIT_OK
    e = page.entity
    print(f"{e.name} ({e.kind})")
    if e.aliases:
        print(f"  also: {', '.join(e.aliases)}")
    for role, _key, title in page.roles:
        print(f"  role: {role} — {title}")
    print(f"  {len(page.articles)} articles:")
    for a in page.articles:
        print(f"    {a.title} ({a.mentions}): {a.snippet}")
    if page.statements:
        print(f"  {len(page.statements)} statements:")
        for s in page.statements:
            print(f"    “{s.statement.text}” — {s.title}")
    if page.people:
        print("  with: " + ", ".join(f"{n} ({c})" for n, c in page.people))
    if page.places:
        print("  places: " + ", ".join(f"{n} ({c})" for n, c in page.places))
    return EXIT_OK


@library_errors
def run_correct(args: argparse.Namespace) -> int:
    with _library(args) as library:
        entity = library.find_entity(args.name)
        if entity is None:
            return user_error(f"nothing in the library goes by {args.name!r} "
                              "(see: broadsheet entities list)")
        value = args.value
        if args.op == "merge":
            into = library.find_entity(value)
            if into is None:
                return user_error(f"nothing in the library goes by {value!r}")
            value = into.name
        correction = library.correct(args.op, entity.name, value)
    shown = f" {correction.value}" if correction.value else ""
    print(f"{correction.id}: {correction.op} {correction.subject}{shown}")
    return EXIT_OK


@library_errors
def run_corrections(args: argparse.Namespace) -> int:
    with _library(args) as library:
        corrections = library.corrections()
        unused = {c.id for c in library.unused_corrections()}
    for c in corrections:
        if args.json:
            print(json.dumps({**c.to_dict(), "unused": c.id in unused}, ensure_ascii=False))
        else:
            note = "  (its subject is not in the library now)" if c.id in unused else ""
            print(f"{c.id}: {c.op} {c.subject} {c.value}".rstrip() + note)
    return EXIT_OK


@library_errors
def run_undo(args: argparse.Namespace) -> int:
    with _library(args) as library:
        c = library.undo_correction(args.id)
    print(f"undone: {c.op} {c.subject} {c.value}".rstrip())
    return EXIT_OK


@library_errors
def run_export(args: argparse.Namespace) -> int:
    from index.curation import CurationStore
    from index.paths import data_dir

    with CurationStore(data_dir(getattr(args, "data_dir", None))) as store:
        sys.stdout.write(store.export_json())
    return EXIT_OK


@library_errors
def run_import(args: argparse.Namespace) -> int:
    from index.curation import CurationStore
    from index.paths import data_dir

    try:
        text = Path(args.file).read_text("utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        return user_error(f"{args.file}: cannot read it ({exc})")
    with CurationStore(data_dir(getattr(args, "data_dir", None))) as store:
        count = store.import_json(text)
    print(f"{count} corrections imported")
    return EXIT_OK
