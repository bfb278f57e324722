"""Window state and preferences, kept apart from the user's data.

An ini file, ``broadsheet.ini`` under :func:`index.paths.config_dir` (beside the data
directory's ``config/`` when ``BROADSHEET_DATA_DIR`` is set, so tests never touch a real
profile). Bookmarks and the index live in the data directory; nothing here is precious.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QByteArray, QSettings

from index.paths import config_dir

#: Bumped when the docks change so that an old saved layout is not restored onto new docks.
STATE_VERSION = 1


class Settings:
    """Typed accessors over a :class:`QSettings` ini file."""

    def __init__(self, path: Path | None = None) -> None:
        if path is None:
            folder = config_dir()
            folder.mkdir(parents=True, exist_ok=True)
            path = folder / "broadsheet.ini"
        self.path = path
        self.qsettings = QSettings(str(path), QSettings.Format.IniFormat)

    def _bytes(self, name: str) -> QByteArray | None:
        value = self.qsettings.value(name)
        return value if isinstance(value, QByteArray) and not value.isEmpty() else None

    def geometry(self) -> QByteArray | None:
        return self._bytes("window/geometry")

    def state(self) -> QByteArray | None:
        return self._bytes("window/state")

    def save_window(self, geometry: QByteArray, state: QByteArray) -> None:
        self.qsettings.setValue("window/geometry", geometry)
        self.qsettings.setValue("window/state", state)

    def get_str(self, name: str, default: str = "") -> str:
        value = self.qsettings.value(name, default)
        return str(value) if value is not None else default

    def get_int(self, name: str, default: int = 0) -> int:
        value = self.qsettings.value(name, default)
        try:
            return int(value) if isinstance(value, int | float | str) else default
        except ValueError:
            return default

    def get_bool(self, name: str, default: bool = False) -> bool:
        value = self.qsettings.value(name, default)
        if isinstance(value, str):
            return value.lower() in ("1", "true", "yes")
        return bool(value)

    def last_folder(self) -> str:
        """The folder the last file dialog was left in (the home folder at first)."""
        return self.get_str("dialogs/folder") or str(Path.home())

    def set_last_folder(self, folder: str) -> None:
        self.set("dialogs/folder", folder)

    def set(self, name: str, value: object) -> None:
        self.qsettings.setValue(name, value)

    def sync(self) -> None:
        self.qsettings.sync()
