"""Regenerates docs/screenshot-light.png and docs/screenshot-dark.png.

    .venv/bin/python tests/desktop/screenshots.py [light|dark] [out.png]

The window on the seed library (indexed into a temporary data directory), Lloyd Austin
chosen in People and the second of his mentions current. Offscreen Qt has no system dark
theme, so the dark shot sets a dark palette (what a dark desktop gives the program).
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))


def dark_palette():  # type: ignore[no-untyped-def]
    from PySide6.QtGui import QColor, QPalette

    pal = QPalette()
    r = QPalette.ColorRole
    for role, colour in [
        (r.Window, "#2b2b2b"), (r.WindowText, "#e6e6e6"), (r.Base, "#1e1e1e"),
        (r.AlternateBase, "#262626"), (r.Text, "#e6e6e6"), (r.Button, "#353535"),
        (r.ButtonText, "#e6e6e6"), (r.Highlight, "#2f65ca"), (r.HighlightedText, "#ffffff"),
        (r.PlaceholderText, "#9a9a9a"), (r.ToolTipBase, "#353535"),
        (r.ToolTipText, "#e6e6e6"), (r.Link, "#6ea8fe"), (r.Mid, "#444444"),
        (r.Dark, "#202020"), (r.Light, "#505050"),
    ]:
        pal.setColor(role, QColor(colour))
    return pal


def main(scheme: str, out: Path) -> None:
    os.environ["BROADSHEET_DATA_DIR"] = tempfile.mkdtemp(prefix="broadsheet-shot-")
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from desktop.mainwindow import MainWindow
    from index.paths import data_dir

    app = QApplication([])
    app.setStyle("Fusion")
    if scheme == "dark":
        app.setPalette(dark_palette())
    window = MainWindow(data_dir())
    window.resize(1440, 900)
    window.show()
    window.start()

    def save() -> None:
        window.grab().save(str(out))
        print("saved", out)
        window.close()
        app.quit()

    def shown(_key: str) -> None:
        if window.reading.article is not None and window.reading.article.analysis.people:
            window.articleShown.disconnect(shown)
            window.people_panel.select(lambda e: e.name == "Lloyd Austin", notify=True)
            window.navigator.next()
            QTimer.singleShot(300, save)

    window.articleShown.connect(shown)
    QTimer.singleShot(300_000, app.quit)
    app.exec()


if __name__ == "__main__":
    scheme = sys.argv[1] if len(sys.argv) > 1 else "light"
    main(scheme, Path(sys.argv[2]) if len(sys.argv) > 2
         else REPO / "docs" / f"screenshot-{scheme}.png")
