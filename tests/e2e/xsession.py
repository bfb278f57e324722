"""A headless X session for end-to-end runs: Xvfb, the windows on it, a screenshot.

Used by the end-to-end tests and by ``startup.py`` (the start-up benchmark). Needs the
Debian packages ``xvfb`` and ``x11-utils`` (``xwininfo``), and the libraries PySide6's
xcb plugin loads (``libxcb-cursor0`` and friends, see the Makefile's APT_PACKAGES).
"""

from __future__ import annotations

import os
import re
import select
import shutil
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]

#: ``xwininfo -tree`` lines: ``0x1a00007 "title": ("instance" "Class")  800x600+0+0 ...``
_TREE_LINE = re.compile(r'^\s*(0x[0-9a-f]+) (?:"(.*)"|\(has no name\)): \("([^"]*)" "([^"]*)"\)')


def missing_tools() -> list[str]:
    return [tool for tool in ("Xvfb", "xwininfo") if shutil.which(tool) is None]


@dataclass(frozen=True)
class XWindow:
    id: str
    title: str
    instance: str
    klass: str


class Xvfb:
    """``with Xvfb() as x:`` — a private X server; ``x.display`` is its ``DISPLAY``."""

    def __init__(self, size: str = "1280x800x24") -> None:
        self.size = size
        self.display = ""
        self._proc: subprocess.Popen[bytes] | None = None

    def __enter__(self) -> Xvfb:
        read_end, write_end = os.pipe()
        self._proc = subprocess.Popen(
            ["Xvfb", "-displayfd", str(write_end), "-screen", "0", self.size, "-nolisten",
             "tcp", "-noreset"],
            pass_fds=(write_end,), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        os.close(write_end)
        number = b""
        deadline = time.monotonic() + 30
        while not number.endswith(b"\n") and time.monotonic() < deadline:
            ready, _, _ = select.select([read_end], [], [], 1.0)
            if ready:
                chunk = os.read(read_end, 16)
                if not chunk:
                    break
                number += chunk
        os.close(read_end)
        if not number.strip():
            self.__exit__()
            raise RuntimeError("Xvfb did not start")
        self.display = f":{number.decode().strip()}"
        return self

    def __exit__(self, *exc: object) -> None:
        if self._proc is not None:
            self._proc.terminate()
            try:
                self._proc.wait(10)
            except subprocess.TimeoutExpired:
                self._proc.kill()
                self._proc.wait()
            self._proc = None

    def env(self, base: dict[str, str] | None = None, **extra: str) -> dict[str, str]:
        env = dict(os.environ if base is None else base)
        env.pop("WAYLAND_DISPLAY", None)
        env.update(DISPLAY=self.display, QT_QPA_PLATFORM="xcb", **extra)
        return env

    def windows(self, klass: str | None = None, viewable: bool = True) -> list[XWindow]:
        """Top-level client windows (by ``WM_CLASS`` class), mapped ones only by default."""
        out = subprocess.run(["xwininfo", "-root", "-tree"], env=self.env(),
                             capture_output=True, text=True, timeout=30).stdout
        found = []
        for line in out.splitlines():
            m = _TREE_LINE.match(line)
            if m and (klass is None or m.group(4) == klass):
                found.append(XWindow(m.group(1), m.group(2) or "", m.group(3), m.group(4)))
        if viewable:
            found = [w for w in found if self._viewable(w.id)]
        return found

    def _viewable(self, window_id: str) -> bool:
        out = subprocess.run(["xwininfo", "-id", window_id], env=self.env(),
                             capture_output=True, text=True, timeout=30).stdout
        return "IsViewable" in out

    def screenshot(self, path: Path) -> Path:
        """The whole screen as a PNG, grabbed with Qt (no ImageMagick needed)."""
        code = (
            "import sys\n"
            "from PySide6.QtGui import QGuiApplication\n"
            "app = QGuiApplication(sys.argv[:1])\n"
            "ok = app.primaryScreen().grabWindow(0).save(sys.argv[1])\n"
            "sys.exit(0 if ok else 1)\n"
        )
        subprocess.run([sys.executable, "-c", code, str(path)], env=self.env(), check=True,
                       timeout=60, capture_output=True)
        return path


class Lines:
    """Collects a process's stderr lines on a thread, so a test can wait for one."""

    def __init__(self, stream) -> None:  # type: ignore[no-untyped-def]
        self.lines: list[str] = []
        self._stream = stream
        self._cond = threading.Condition()
        self._thread = threading.Thread(target=self._pump, args=(stream,), daemon=True)
        self._thread.start()

    def _pump(self, stream) -> None:  # type: ignore[no-untyped-def]
        for line in stream:
            with self._cond:
                self.lines.append(line.rstrip("\n"))
                self._cond.notify_all()

    def wait_for(self, predicate: Callable[[str], bool], timeout: float) -> str | None:
        deadline = time.monotonic() + timeout
        with self._cond:
            while True:
                for line in self.lines:
                    if predicate(line):
                        return line
                remaining = deadline - time.monotonic()
                if remaining <= 0 or not self._thread.is_alive():
                    return None
                self._cond.wait(min(remaining, 0.5))

    def close(self) -> None:
        """After the process has ended: finish reading and close the pipe."""
        self._thread.join(10)
        self._stream.close()

    def text(self) -> str:
        with self._cond:
            return "\n".join(self.lines)


def wait_until(condition: Callable[[], object], timeout: float, interval: float = 0.1) -> object:
    """Poll ``condition`` until it is truthy (returned) or ``timeout`` passes (``None``)."""
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() >= deadline:
            return None
        time.sleep(interval)


def xdg_env(root: Path) -> dict[str, str]:
    """A private home for one run: data, config, XDG dirs, all under ``root``."""
    runtime = root / "runtime"
    runtime.mkdir(parents=True, exist_ok=True)
    runtime.chmod(0o700)
    return {
        "HOME": str(root / "home"),
        "XDG_DATA_HOME": str(root / "xdg-data"),
        "XDG_CONFIG_HOME": str(root / "xdg-config"),
        "XDG_CACHE_HOME": str(root / "xdg-cache"),
        "XDG_RUNTIME_DIR": str(runtime),
        "BROADSHEET_DATA_DIR": str(root / "data"),
    }


def parse_exec(value: str, files: Sequence[str]) -> list[str]:
    """A desktop entry's ``Exec`` as a desktop runs it: unescape, split, expand ``%F``."""
    value = value.replace("\\\\", "\\")
    args: list[str] = []
    current, quoted, started, i = "", False, False, 0
    while i < len(value):
        c = value[i]
        if quoted and c == "\\" and i + 1 < len(value) and value[i + 1] in '"`$\\':
            current += value[i + 1]
            i += 1
        elif c == '"':
            quoted, started = not quoted, True
        elif c == " " and not quoted:
            if current or started:
                args.append(current)
            current, started = "", False
        else:
            current += c
        i += 1
    if current or started:
        args.append(current)
    argv: list[str] = []
    for arg in args:
        if arg == "%F":
            argv.extend(files)
        else:
            argv.append(arg.replace("%%", "%"))
    return argv


def read_entry(path: Path) -> dict[str, str]:
    entry: dict[str, str] = {}
    section = ""
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("["):
            section = line.strip()
        elif section == "[Desktop Entry]" and "=" in line and not line.startswith("#"):
            key, value = line.split("=", 1)
            entry[key.strip()] = value.strip()
    return entry
