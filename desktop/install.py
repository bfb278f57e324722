"""``broadsheet --install-desktop``: Broadsheet in the desktop's menu, for this user.

Writes, under ``$XDG_DATA_HOME`` (``~/.local/share`` by default), as the freedesktop
specifications say:

- ``applications/<id>.desktop`` — the shipped entry with ``Exec`` pointing at the
  program that is running now (the ``broadsheet`` script, the bundle's executable, or
  ``python -m desktop`` from a source checkout, with ``Path=`` set to the checkout);
- ``icons/hicolor/<N>x<N>/apps/<id>.png`` for every shipped size and
  ``icons/hicolor/scalable/apps/<id>.svg``;
- ``metainfo/<id>.metainfo.xml`` — the AppStream description software centres show.

``update-desktop-database`` and ``gtk-update-icon-cache`` are run when present; menus
that watch the folders pick the entry up without them. ``--uninstall-desktop`` removes
exactly these files. No Qt here.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import subprocess
import sys
import sysconfig
from collections.abc import Sequence
from pathlib import Path

from desktop import DESKTOP_ID
from index import paths

#: Characters that oblige an ``Exec`` argument to be quoted (Desktop Entry spec, "The
#: Exec key").
_RESERVED = set(" \t\n\"'\\><~|&;$*?#()`")


def data_home() -> Path:
    """``$XDG_DATA_HOME``, or ``~/.local/share`` when it is unset or not absolute."""
    value = os.environ.get("XDG_DATA_HOME", "")
    return Path(value) if value and Path(value).is_absolute() else Path.home() / ".local/share"


def program_command() -> tuple[list[str], Path | None]:
    """The command that starts the Broadsheet running now, and the working directory it
    needs (only a source checkout needs one, so that ``-m desktop`` finds the package)."""
    if getattr(sys, "frozen", False):  # a PyInstaller bundle: its executable is the program
        return [str(Path(sys.executable).absolute())], None
    argv0 = Path(sys.argv[0]) if sys.argv and sys.argv[0] else None
    if argv0 is not None and argv0.name in ("broadsheet", "broadsheet-gui", "broadsheet.exe"):
        script = argv0 if argv0.is_file() else Path(shutil.which(str(argv0)) or argv0)
        if script.is_file():
            return [str(script.absolute())], None
    command = [str(Path(sys.executable).absolute()), "-m", "desktop"]
    package_root = Path(__file__).resolve().parent.parent
    installed = {
        Path(p).resolve() for key in ("purelib", "platlib") if (p := sysconfig.get_path(key))
    }
    return command, (None if package_root in installed else package_root)


def exec_line(command: Sequence[str]) -> str:
    """``command`` quoted for a desktop entry's ``Exec`` key, followed by ``%F``."""
    return " ".join([*(_quote(arg) for arg in command), "%F"])


def _quote(arg: str) -> str:
    arg = arg.replace("%", "%%")
    if not arg or any(c in _RESERVED for c in arg):
        arg = '"' + re.sub(r'(["`$\\])', r"\\\1", arg) + '"'
    return arg.replace("\\", "\\\\")  # the key is a "string": backslashes escaped again


def desktop_entry(command: Sequence[str], workdir: Path | None = None) -> str:
    """The shipped desktop entry with ``Exec``/``TryExec`` (and ``Path``) for ``command``."""
    shipped = (paths.resources_dir() / f"{DESKTOP_ID}.desktop").read_text(encoding="utf-8")
    lines = []
    for line in shipped.splitlines():
        if line.startswith("Exec="):
            line = "Exec=" + exec_line(command)
        elif line.startswith("TryExec="):
            line = "TryExec=" + command[0].replace("\\", "\\\\")
        elif line.startswith("Path="):
            continue
        lines.append(line)
        if line.startswith("Exec=") and workdir is not None:
            lines.append("Path=" + str(workdir).replace("\\", "\\\\"))
    return "\n".join(lines) + "\n"


def targets(home: Path | None = None) -> dict[Path, Path | None]:
    """Every file :func:`install` writes, each with the shipped file it copies (``None``
    for the desktop entry, which is generated)."""
    home = home or data_home()
    icons = paths.resources_dir() / "icons"
    result: dict[Path, Path | None] = {home / "applications" / f"{DESKTOP_ID}.desktop": None}
    for png in sorted(icons.glob(f"{DESKTOP_ID}-*.png")):
        size = png.stem.rsplit("-", 1)[1]
        result[home / f"icons/hicolor/{size}x{size}/apps/{DESKTOP_ID}.png"] = png
    result[home / f"icons/hicolor/scalable/apps/{DESKTOP_ID}.svg"] = icons / f"{DESKTOP_ID}.svg"
    metainfo = f"{DESKTOP_ID}.metainfo.xml"
    result[home / "metainfo" / metainfo] = paths.resources_dir() / metainfo
    return result


def install(
    home: Path | None = None,
    command: Sequence[str] | None = None,
    workdir: Path | None = None,
) -> list[Path]:
    """Install the entry, icons and metainfo for the current user; returns the files."""
    if sys.platform in ("win32", "darwin"):
        raise OSError("--install-desktop is for Linux desktops; on Windows and macOS use "
                      "the bundle (make bundle) or the broadsheet-gui launcher")
    if command is None:
        command, workdir = program_command()
    home = home or data_home()
    written = []
    for target, source in targets(home).items():
        data = (source.read_bytes() if source is not None
                else desktop_entry(command, workdir).encode("utf-8"))
        _write_atomically(target, data)
        written.append(target)
    _refresh(home)
    return written


def uninstall(home: Path | None = None) -> list[Path]:
    """Remove what :func:`install` wrote; returns the files that were there."""
    home = home or data_home()
    removed = []
    for target in targets(home):
        if target.is_file():
            target.unlink()
            removed.append(target)
    if removed:
        _refresh(home)
    return removed


def _write_atomically(target: Path, data: bytes) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    temporary = target.with_name(f".{target.name}.tmp{os.getpid()}")
    temporary.write_bytes(data)
    temporary.chmod(0o644)
    os.replace(temporary, target)


def _refresh(home: Path) -> None:
    """Refresh the desktop's caches where the tools exist; never required."""
    commands = [
        ["update-desktop-database", "-q", str(home / "applications")],
        ["gtk-update-icon-cache", "-q", "-t", "-f", str(home / "icons/hicolor")],
    ]
    for command in commands:
        if shutil.which(command[0]) is None:
            continue
        with contextlib.suppress(OSError, subprocess.TimeoutExpired):
            subprocess.run(command, check=False, timeout=30, capture_output=True)
