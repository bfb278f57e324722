"""Broadsheet's window: a PySide6 client of :mod:`index`.

Importing this package imports no Qt, so ``broadsheet search …`` (see
:mod:`desktop.launch`) stays as quick as the command line it hands over to.
"""

#: The application's reverse-DNS id: the desktop entry is ``<DESKTOP_ID>.desktop``, the
#: AppStream metainfo ``<DESKTOP_ID>.metainfo.xml``, the icon ``<DESKTOP_ID>.svg``, and Qt's
#: ``setDesktopFileName`` gets the same string (Wayland's app id).
DESKTOP_ID = "io.github.broadsheet.Broadsheet"

#: Shown in the title bar and the menu; also Qt's application name, hence the X11
#: ``WM_CLASS`` class the desktop entry's ``StartupWMClass`` matches.
APP_NAME = "Broadsheet"
