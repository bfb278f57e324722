"""Exit codes and the one way a subcommand reports a user error."""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable
from typing import TypeVar

#: Exit codes, a contract for scripts: success, a user error (bad query, missing path; one
#: line on stderr), an internal error.
EXIT_OK, EXIT_USER, EXIT_INTERNAL = 0, 1, 2

A = TypeVar("A")


def user_error(message: str) -> int:
    """Says ``message`` on stderr, as one line, and gives the user-error exit code."""
    print(f"broadsheet: {message}", file=sys.stderr)
    return EXIT_USER


def library_errors(run: Callable[[A], int]) -> Callable[[A], int]:
    """A subcommand whose :class:`~index.model.LibraryError` (a locked, damaged or
    unwritable library, a correction that cannot be made) is a user error: its message."""

    @functools.wraps(run)
    def wrapped(args: A) -> int:
        from index.model import LibraryError

        try:
            return run(args)
        except LibraryError as exc:
            return user_error(exc.message)

    return wrapped
