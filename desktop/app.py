"""The application: QApplication, one window per library, the first paint before work.

Start-up order (what a user sees first is what happens first):

1. the :class:`QApplication`, with Broadsheet's name, desktop id and the icon's small sizes;
2. the single-instance check (:mod:`desktop.instance`): if a window is already open on
   this library, the files go to it and this process exits 0; else this one listens;
3. :class:`desktop.mainwindow.MainWindow`'s frame: menus, toolbar, the reader, empty
   docks in the saved (or default) layout (no Whoosh, no spaCy, not even the panels yet);
4. ``show()``; once the window has been exposed and painted: the icon's every size, the
   single-instance server's answers, ``start()`` (the docks' contents, the library's
   threads, the incremental update) and ``open_paths(files)``.

Before the first paint nothing is loaded that the frame does not show; each of these cost
from one to seventeen hundredths of a bare PySide6 window's start-up (as instructions run,
``tests/e2e/startup.py``'s bare window): QtNetwork (the check uses ``_socket``); the ``Qt``
namespace, whose first use builds a hundred enums (the frame's modules reach it as
``QtCore.Qt`` at call time, and the docks take their places from a saved layout); widget
classes the frame does not make (PySide loads every ``QWidget`` subclass to type a plain
``QWidget`` it returns, such as a scroll area's viewport); the icon theme (the search
field's clear button); the icon's large sizes (X11 hands every size of it to the window
manager); the empty reader's font, and the actions' keys (``QFont``, ``QKeySequence``);
:mod:`dataclasses`, :mod:`json`, :mod:`hashlib`, :mod:`socket`.
``tests/desktop/test_app.py`` checks what is loaded at the first paint.

``BROADSHEET_TRACE_STARTUP=1`` prints ``broadsheet: first-paint <unix time>`` on stderr
when the first frame has been painted (see ``tests/e2e/startup.py``), and
``broadsheet: received N path(s)`` when a later launch hands files over.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtGui import QGuiApplication, QIcon
from PySide6.QtWidgets import QApplication, QWidget

from desktop import APP_NAME, DESKTOP_ID
from desktop.instance import SingleInstance
from index import __version__, paths

ORGANIZATION = "Broadsheet"
ORGANIZATION_DOMAIN = "broadsheet.github.io"
TRACE_ENV = "BROADSHEET_TRACE_STARTUP"

#: Icon sizes shipped as PNG in ``resources/icons`` (the SVG covers the rest).
ICON_SIZES = (16, 22, 24, 32, 48, 64, 128, 256, 512)

#: The largest icon size the application has before the window's first paint (a title
#: bar's, a task bar's): X11 hands every size of a window's icon to the window manager
#: when the window is made, 1.4 MB of pixels for all of them, decoded from PNG first; the
#: larger sizes and the SVG follow the first frame.
FRAME_ICON_SIZE = 64


if TYPE_CHECKING:
    from desktop.mainwindow import MainWindow

WindowFactory = Callable[[Path], "MainWindow"]


def icon(largest: int | None = None) -> QIcon:
    """Broadsheet's icon from ``resources/icons``: every PNG size and the SVG, or only the
    PNGs up to ``largest`` pixels."""
    folder = paths.resources_dir() / "icons"
    result = QIcon()
    for size in ICON_SIZES:
        png = folder / f"{DESKTOP_ID}-{size}.png"
        if (largest is None or size <= largest) and png.is_file():
            result.addFile(str(png))
    svg = folder / f"{DESKTOP_ID}.svg"
    if largest is None and svg.is_file():
        result.addFile(str(svg))
    return result


def configure(app: QGuiApplication, largest_icon: int | None = None) -> None:
    """Names, desktop id and icon: the menu entry, the task bar and the settings. The icon
    has every size, or only those up to ``largest_icon`` (see :data:`FRAME_ICON_SIZE`)."""
    app.setApplicationName(APP_NAME)
    app.setApplicationDisplayName(APP_NAME)
    app.setApplicationVersion(__version__)
    app.setOrganizationName(ORGANIZATION)
    app.setOrganizationDomain(ORGANIZATION_DOMAIN)
    app.setDesktopFileName(DESKTOP_ID)  # Wayland app id; docks match the .desktop file
    app.setWindowIcon(icon(largest_icon))


def application(argv: Sequence[str] | None = None) -> QApplication:
    """The process's QApplication, created and configured if need be, with the icon's
    small sizes: :func:`open_window` gives it every size after the first paint."""
    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else QApplication(
        list(argv) if argv is not None else sys.argv[:1]
    )
    configure(app, FRAME_ICON_SIZE)
    return app


def bring_to_front(window: QWidget) -> None:
    """Show ``window`` un-minimised, raised and (if the window manager allows) focused."""
    from PySide6.QtCore import Qt  # not at import: see the module docstring

    state = window.windowState() & ~Qt.WindowState.WindowMinimized
    window.setWindowState(state | Qt.WindowState.WindowActive)
    window.show()
    window.raise_()
    window.activateWindow()


class _AfterFirstPaint(QObject):
    """Calls ``callback`` once, after ``window``'s first expose has been painted.

    Qt paints a widget window synchronously while it handles the expose event, so a
    zero-time timer started then runs after the first frame is on screen. A fallback
    timer covers a platform that never exposes (a minimised start).
    """

    def __init__(self, window: QWidget, callback: Callable[[], None]) -> None:
        super().__init__(window)
        self._callback: Callable[[], None] | None = callback
        window.winId()  # creates the native window, so its QWindow can be watched
        handle = window.windowHandle()
        if handle is not None:
            handle.installEventFilter(self)
        self._fallback = QTimer(self, singleShot=True, interval=1000)
        self._fallback.timeout.connect(self._fire)
        self._fallback.start()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Expose and self._callback is not None:
            QTimer.singleShot(0, self._fire)
        return False

    def _fire(self) -> None:
        callback, self._callback = self._callback, None
        self._fallback.stop()
        if callback is not None:
            callback()


def _trace(message: str) -> None:
    if os.environ.get(TRACE_ENV):
        print(f"broadsheet: {message}", file=sys.stderr, flush=True)


def _main_window_class() -> WindowFactory:
    from desktop.mainwindow import MainWindow

    return MainWindow


def open_window(
    files: Sequence[Path],
    data_dir: Path | None = None,
    *,
    window_factory: WindowFactory | None = None,
) -> MainWindow | None:
    """Steps 2-4 of the module docstring, with a QApplication already made.

    Returns the window, or ``None`` when ``files`` went to a window already open.
    """
    app = QApplication.instance()
    assert isinstance(app, QApplication), "create the QApplication first (application())"
    folder = paths.data_dir(data_dir)
    files = [Path(f).absolute() for f in files]
    instance = SingleInstance(folder, app)
    if not instance.claim(files):
        instance.deleteLater()
        return None

    window = (window_factory or _main_window_class())(folder)
    instance.setParent(window)  # the server lives as long as the window

    def receive(received: list[str]) -> None:
        _trace(f"received {len(received)} path(s)")
        bring_to_front(window)
        if received:
            window.open_paths([Path(p) for p in received])

    instance.filesReceived.connect(receive)

    def after_first_paint() -> None:
        _trace(f"first-paint {time.time():.6f}")
        app.setWindowIcon(icon())  # every size, the window's too
        instance.serve()
        window.start()
        if files:
            window.open_paths(list(files))

    _AfterFirstPaint(window, after_first_paint)
    window.show()
    return window


def run(files: Sequence[Path] = (), data_dir: Path | None = None) -> int:
    """The whole program with a window: returns the exit status."""
    app = application()
    window = open_window(files, data_dir)
    if window is None:
        return 0
    return app.exec()
