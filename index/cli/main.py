"""Broadsheet's command line: ``broadsheet COMMAND``, one module per command in this package.

Each subcommand lives in :mod:`index.cli` and registers itself here. Exit codes are a
contract for scripts: 0 success, 1 a user error (bad query, missing path; one line on
stderr), 2 an internal error.
"""

from __future__ import annotations

import argparse
import sys
import traceback
from typing import NoReturn

from index import __version__
from index.cli import analyze, bookmarks, entities, library, sources
from index.cli.codes import EXIT_INTERNAL, EXIT_OK, EXIT_USER

#: The subcommands, for the launcher that decides between the window and the command line.
SUBCOMMANDS = ("analyze", "index", "search", "bookmarks", "sources", "entities")


class _Parser(argparse.ArgumentParser):
    """argparse exits 2 on a usage error; here 2 means an internal error, so use 1."""

    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        self.exit(EXIT_USER, f"{self.prog}: error: {message}\n")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="broadsheet",
        description="A reader for a library of news articles. With no command, opens the window.",
        epilog="The window: broadsheet [--data-dir DIR] [FILE...] opens the library (adding and "
        "showing FILEs). broadsheet --install-desktop / --uninstall-desktop adds or removes the "
        "application in the desktop menu for this user.",
    )
    parser.add_argument("--version", action="version", version=f"broadsheet {__version__}")
    parser.add_argument(
        "--data-dir",
        metavar="DIR",
        help="where the index and bookmarks live (default: $BROADSHEET_DATA_DIR, else the "
        "platform's user data directory)",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    analyze.register(sub)
    library.register(sub)
    bookmarks.register(sub)
    sources.register(sub)
    entities.register(sub)
    _data_dir_everywhere(parser)
    return parser


def _data_dir_everywhere(parser: argparse.ArgumentParser) -> None:
    """``--data-dir`` is accepted after any subcommand too (``broadsheet index PATH
    --data-dir D``); given in both places, the later one wins."""
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for subparser in set(action.choices.values()):
                subparser.add_argument(
                    "--data-dir", metavar="DIR", default=argparse.SUPPRESS,
                    help="where the index and bookmarks live",
                )
                _data_dir_everywhere(subparser)


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # --help, --version, a usage error: a code, not an exit
        return exc.code if isinstance(exc.code, int) else EXIT_USER
    if not getattr(args, "func", None):
        parser.print_help(sys.stderr)
        return EXIT_USER
    try:
        return int(args.func(args))
    except KeyboardInterrupt:
        print("broadsheet: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # `broadsheet search ... | head`: the reader went away; that is not an error.
        sys.stderr.close()
        return EXIT_OK
    except Exception as exc:
        traceback.print_exc()
        print(f"broadsheet: internal error: {exc}", file=sys.stderr)
        return EXIT_INTERNAL


if __name__ == "__main__":
    sys.exit(main())
