"""The ``broadsheet`` command: the window, the command line, or the desktop entry.

``broadsheet``                         opens the window on the library
``broadsheet FILE...``                 adds the files to the library and opens the first
``broadsheet --data-dir DIR [FILE...]`` the same, on another library
``broadsheet analyze|index|search|bookmarks|sources ...``, ``-h``, ``--version``
                                       the command line (:mod:`index.cli`)
``broadsheet --install-desktop``       puts Broadsheet in the desktop's menu (Linux)
``broadsheet --uninstall-desktop``     takes it out again

Nothing here imports Qt at module level: the command line must start as fast as Python
does, and must work on a machine with no display. A first word that is neither a file nor a
command is a mistake (exit 1, with the closest command); the window without a screen says
so (exit 1) instead of letting Qt abort.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path

#: First arguments that belong to the command line (:mod:`index.cli`), not the window.
CLI_OPTIONS = frozenset({"-h", "--help", "--version"})

INSTALL = "--install-desktop"
UNINSTALL = "--uninstall-desktop"


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``broadsheet`` console script; returns the exit status."""
    if getattr(sys, "frozen", False):  # a PyInstaller bundle's analysis workers start here
        import multiprocessing

        multiprocessing.freeze_support()
    args = list(sys.argv[1:] if argv is None else argv)
    if INSTALL in args or UNINSTALL in args:
        return _desktop_entry(args)
    word = _first_word(args)
    if word is not None and _maybe_command(word):
        # The command line knows its commands (importing it costs a moment, which the
        # window's start, with files or without, does not pay).
        from index.cli.main import SUBCOMMANDS
        from index.cli.main import main as cli_main

        if word in CLI_OPTIONS or word in SUBCOMMANDS:
            return cli_main(args)
        if not Path(word).expanduser().exists():
            return _not_a_command(word, SUBCOMMANDS)
    parsed = _gui_parser().parse_args(args)
    if not has_screen():
        print("broadsheet: there is no screen to open the window on (DISPLAY is not set); "
              "the command line works without one: broadsheet --help", file=sys.stderr)
        return 1
    paths = _existing(parsed.files)
    from desktop.app import run

    return run(paths, parsed.data_dir)


def gui_main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``broadsheet-gui`` script (no console on Windows).

    A windowed Windows program has no ``stdout``/``stderr`` (they are ``None``), so
    anything printed would raise; send it to the null device instead.
    """
    for name in ("stdout", "stderr"):
        if getattr(sys, name) is None:
            setattr(sys, name, open(os.devnull, "w", encoding="utf-8"))  # noqa: SIM115
    return main(argv)


def has_screen() -> bool:
    """Whether Qt has somewhere to show a window: on X11/Wayland systems a display, or a
    platform chosen explicitly (``QT_QPA_PLATFORM=offscreen``, say)."""
    if sys.platform in ("win32", "darwin") or os.environ.get("QT_QPA_PLATFORM"):
        return True
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


def _first_word(args: Sequence[str]) -> str | None:
    """The first argument after ``--data-dir DIR`` (which both the window and the
    command line understand), or None."""
    rest = list(args)
    while rest and rest[0].startswith("--data-dir"):
        del rest[: 1 if "=" in rest[0] else 2]
    return rest[0] if rest else None


def _maybe_command(word: str) -> bool:
    """Whether ``word`` may be a command rather than a file to open: an option of the
    command line, a bare word (``search``, even with a folder of that name here), or
    something that is not there."""
    if word in CLI_OPTIONS:
        return True
    path = Path(word).expanduser()
    bare = not path.suffix and len(path.parts) == 1 and not word.startswith("-")
    return bare or not path.exists()


def _not_a_command(word: str, commands: Sequence[str]) -> int:
    import difflib

    close = difflib.get_close_matches(word, commands, n=1, cutoff=0.6)
    hint = (f"did you mean '{close[0]}'?" if close
            else f"the commands are {', '.join(commands)}")
    print(f"broadsheet: '{word}' is not a command or a file; {hint}", file=sys.stderr)
    return 1


def _gui_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="broadsheet",
        description="Open the Broadsheet window; with files, add them to the library and "
        "open the first. If Broadsheet is already open on the same library, the files go "
        "to that window.",
        epilog="Command line: broadsheet --help. "
        f"Desktop menu: broadsheet {INSTALL} | {UNINSTALL}.",
        add_help=False,  # -h is the command line's (index.cli), which lists everything
    )
    parser.add_argument(
        "--data-dir",
        type=Path,
        metavar="DIR",
        help="the library's data directory (default: $BROADSHEET_DATA_DIR or the user's)",
    )
    parser.add_argument("files", nargs="*", type=Path, metavar="FILE")
    return parser


def _existing(files: Sequence[Path]) -> list[Path]:
    """Absolute paths of the files that exist (a second launch may run in another
    directory than the window it hands them to); the others are reported and dropped."""
    found: list[Path] = []
    for path in files:
        full = path.expanduser().absolute()
        if full.exists():
            found.append(full)
        else:
            print(f"broadsheet: {path}: no such file", file=sys.stderr)
    return found


def _desktop_entry(args: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="broadsheet")
    group = parser.add_mutually_exclusive_group(required=True)
    group.add_argument(INSTALL, action="store_true", help="add Broadsheet to the desktop menu")
    group.add_argument(UNINSTALL, action="store_true", help="remove it from the desktop menu")
    parsed = parser.parse_args(args)
    from desktop import install

    try:
        if parsed.install_desktop:
            written = install.install()
            for path in written:
                print(f"installed {path}")
            print("Broadsheet is in the applications menu (it may take a moment to appear).")
        else:
            removed = install.uninstall()
            for path in removed:
                print(f"removed {path}")
            if not removed:
                print("Broadsheet was not installed in the desktop menu.")
    except OSError as exc:
        print(f"broadsheet: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
