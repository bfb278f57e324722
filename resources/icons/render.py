"""Render the PNG icons from the SVG (run after editing the SVG; the PNGs are committed).

    .venv/bin/python resources/icons/render.py

Uses Qt's own SVG renderer (PySide6-Essentials ships QtSvg), so no other tool is needed.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication, QImage, QPainter
from PySide6.QtSvg import QSvgRenderer

HERE = Path(__file__).resolve().parent
APP_ID = "io.github.broadsheet.Broadsheet"
SIZES = (16, 22, 24, 32, 48, 64, 128, 256, 512)


def render(svg: Path, size: int, out: Path) -> None:
    renderer = QSvgRenderer(str(svg))
    if not renderer.isValid():
        raise SystemExit(f"{svg}: not a valid SVG")
    image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
    renderer.render(painter)
    painter.end()
    if not image.save(str(out)):
        raise SystemExit(f"could not write {out}")


def main() -> int:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    QGuiApplication(sys.argv[:1])
    svg = HERE / f"{APP_ID}.svg"
    for size in SIZES:
        out = HERE / f"{APP_ID}-{size}.png"
        render(svg, size, out)
        print(out.name)
    return 0


if __name__ == "__main__":
    sys.exit(main())
