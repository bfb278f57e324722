"""The command line: ``broadsheet analyze | index | search | bookmarks | sources``.

:mod:`index.cli.main` builds the parser; each subcommand lives in its own module here and
registers itself with ``register(subparsers)``; :mod:`index.cli.codes` holds the exit codes.
"""

from index.cli.main import main

__all__ = ["main"]
