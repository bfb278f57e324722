"""A world map drawn by the program: country outlines and the library's places.

:class:`WorldMap` is a ``QGraphicsView`` over a scene in a Miller projection (degrees of
longitude across; the Miller ordinate, in degrees, down). The outlines and the points of
places come from :mod:`index.geo` (Natural Earth's 1:110m outlines and the gazetteer's
places, shipped with the program): no tiles, no network, ever. A point's area follows its
mention count; clicking a point selects the place; the wheel (or +/-) zooms about the
mouse, dragging pans, a double click on the sea shows the whole world again.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import QPoint, QPointF, QRect, QRectF, Qt, Signal
from PySide6.QtGui import (
    QBrush,
    QColor,
    QFontMetrics,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPainterPath,
    QPalette,
    QPen,
    QPolygonF,
    QResizeEvent,
    QShowEvent,
    QWheelEvent,
)
from PySide6.QtWidgets import (
    QGraphicsEllipseItem,
    QGraphicsItem,
    QGraphicsPathItem,
    QGraphicsScene,
    QGraphicsView,
    QWidget,
)

from index import geo

if TYPE_CHECKING:
    from index.model import EntityKind, LibraryEntity

#: What is shown of the world (Miller ordinates of these latitudes): Antarctica is left out.
NORTH, SOUTH = 84.0, -58.0
#: Point radius in pixels, for the least and the most mentioned place shown.
MIN_RADIUS, MAX_RADIUS = 3.0, 13.0
#: How many of the most mentioned places are labelled.
LABELS = 12
#: How far in one can zoom (times the whole-world view).
MAX_ZOOM = 60.0
#: A press and release closer than this (pixels) is a click, not a drag.
CLICK_SLOP = 5


def project(lat: float, lon: float) -> QPointF:
    """Scene coordinates of a point: x is the longitude, y the Miller ordinate (down)."""
    lat = max(-89.0, min(89.0, lat))
    y = 1.25 * math.degrees(math.log(math.tan(math.pi / 4 + 0.4 * math.radians(lat))))
    return QPointF(lon, -y)


@dataclass(frozen=True)
class MapPlace:
    """A place to show: its name, other names it goes by, and how often it is mentioned."""

    name: str
    mentions: int = 1
    aliases: tuple[str, ...] = ()


class _Point(QGraphicsEllipseItem):
    def __init__(self, place: MapPlace, radius: float) -> None:
        super().__init__(-radius, -radius, 2 * radius, 2 * radius)
        self.place = place
        self.radius = radius
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIgnoresTransformations)
        self.setAcceptHoverEvents(True)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        count = f"{place.mentions} mention{'' if place.mentions == 1 else 's'}"
        self.setToolTip(f"{place.name} — {count}")


class WorldMap(QGraphicsView):
    """The map; see the module docstring.

    Signals:
        placeClicked(str): the name of the place whose point was clicked.
    """

    placeClicked = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("worldMap")
        self.setAccessibleName("World map")
        self._scene = QGraphicsScene(self)
        self.setScene(self._scene)
        self.setRenderHints(QPainter.RenderHint.Antialiasing)
        self.setDragMode(QGraphicsView.DragMode.ScrollHandDrag)
        self.setTransformationAnchor(QGraphicsView.ViewportAnchor.AnchorUnderMouse)
        self.setResizeAnchor(QGraphicsView.ViewportAnchor.AnchorViewCenter)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setMinimumSize(160, 100)
        top, bottom = project(NORTH, 0).y(), project(SOUTH, 0).y()
        self._world = QRectF(-180.0, top, 360.0, bottom - top)
        self.setSceneRect(self._world.adjusted(-20, -10, 20, 10))
        self._points: dict[str, _Point] = {}
        self._selected: str | None = None
        self._focus: QRectF | None = None  # what to fit on resize; None: the world
        self._zoomed = False  # the reader zoomed or panned: a resize keeps their view
        self._press: QPoint | None = None
        self.unplaced: list[str] = []
        self._draw_outlines()

    # -- drawing ----------------------------------------------------------------------

    def _colours(self) -> tuple[QColor, QColor, QColor, QColor]:
        """Sea, land, coast, point — light or dark after the palette."""
        dark = self.palette().color(QPalette.ColorRole.Window).lightness() < 128
        if dark:
            return QColor("#1d2a36"), QColor("#3a3d38"), QColor("#6b6f66"), QColor("#e8913a")
        return QColor("#dbe8f3"), QColor("#f4f1e8"), QColor("#a7a293"), QColor("#c2410c")

    def _draw_outlines(self) -> None:
        sea, land, coast, _ = self._colours()
        self.setBackgroundBrush(QBrush(sea))
        pen = QPen(coast, 0.8)
        pen.setCosmetic(True)
        for country in geo.load().outlines:
            path = QPainterPath()
            path.setFillRule(Qt.FillRule.WindingFill)
            for ring in country.rings:
                if len(ring) >= 3:
                    # One call a ring: PySide6 6.12 on Python 3.11 loses a reference to None
                    # on every call of a method returning nothing, so a call per vertex
                    # (10,000 of them) would bring the interpreter down.
                    path.addPolygon(QPolygonF([project(lat, lon) for lon, lat in ring]))
            if not self._world.contains(path.boundingRect()):  # crosses the 180th meridian
                edge = QPainterPath()
                edge.addRect(self._world.adjusted(0, -20, 0, 20))
                path = path.intersected(edge)
            item = QGraphicsPathItem(path)
            item.setPen(pen)
            item.setBrush(QBrush(land))
            item.setToolTip(country.name)
            item.setZValue(0)
            self._scene.addItem(item)

    def entities_loaded(self, kind: EntityKind, entities: list[LibraryEntity]) -> None:
        """The library's entities of a kind, as the reader thread answers: places are
        shown."""
        if kind == "place":
            self.set_places(map_places(entities))

    def set_places(self, places: Iterable[MapPlace]) -> None:
        """Shows these places (replacing those shown); those with no known position are
        listed in :attr:`unplaced`."""
        for item in self._points.values():
            self._scene.removeItem(item)
        self._points.clear()
        self.unplaced = []
        placed: list[tuple[MapPlace, QPointF]] = []
        for place in places:
            where = geo.point(place.name, place.aliases)
            if where is None:
                self.unplaced.append(place.name)
            else:
                placed.append((place, project(*where)))
        placed.sort(key=lambda p: -p[0].mentions)
        top = max((p.mentions for p, _ in placed), default=1) or 1
        _, _, _, colour = self._colours()
        edge = QPen(QColor(255, 255, 255, 220), 1.2)
        fill = QColor(colour)
        fill.setAlpha(200)
        for z, (place, pos) in enumerate(placed):
            # area follows the count: the radius goes with its square root
            share = math.sqrt(max(place.mentions, 0) / top)
            radius = MIN_RADIUS + (MAX_RADIUS - MIN_RADIUS) * share
            point = _Point(place, radius)
            point.setPos(pos)
            point.setPen(edge)
            point.setBrush(QBrush(fill))
            point.setZValue(10 + z)  # smaller points above larger ones
            self._scene.addItem(point)
            self._points.setdefault(place.name, point)
        if self._selected in self._points:
            self.select(self._selected)

    def drawForeground(self, painter: QPainter, rect: QRectF | QRect) -> None:
        """Labels the most mentioned places in view (the selected one first), leaving out
        a label that would cover another; more come as one zooms in."""
        super().drawForeground(painter, rect)
        if not self._points:
            return
        limit = int(LABELS * max(1.0, self.zoom()) ** 0.5)
        order = sorted(self._points.values(), key=lambda p: (p.place.name != self._selected,
                                                             -p.place.mentions))
        view = self.viewport().rect()
        painter.save()
        painter.resetTransform()
        font = painter.font()
        font.setPointSizeF(max(7.0, self.font().pointSizeF() * 0.9))
        painter.setFont(font)
        metrics = QFontMetrics(font)
        text = self.palette().color(QPalette.ColorRole.Text)
        halo = QColor(self.backgroundBrush().color())
        halo.setAlpha(190)
        taken: list[QRect] = []
        for item in order:
            if len(taken) >= limit:
                break
            centre = self.mapFromScene(item.pos())
            if not view.contains(centre):
                continue
            width = metrics.horizontalAdvance(item.place.name) + 4
            box = QRect(int(centre.x() + item.radius + 2), centre.y() - metrics.height() // 2,
                        width, metrics.height())
            if not view.contains(box) or any(box.intersects(t) for t in taken):
                continue
            taken.append(box)
            painter.fillRect(box, halo)
            painter.setPen(text)
            painter.drawText(box, int(Qt.AlignmentFlag.AlignCenter), item.place.name)
        painter.restore()

    def places(self) -> list[str]:
        """The names of the places shown, most mentioned first."""
        return [p.place.name for p in sorted(self._points.values(), key=lambda p: p.zValue())]

    def point_of(self, name: str) -> QPoint | None:
        """Where the place's point is in the viewport (for tests and tooltips)."""
        item = self._points.get(name)
        return self.mapFromScene(item.pos()) if item is not None else None

    # -- choosing ---------------------------------------------------------------------

    @property
    def selected(self) -> str | None:
        return self._selected

    def select(self, name: str | None) -> None:
        """Marks the place's point (and shows it, if it is outside the view)."""
        previous = self._points.get(self._selected or "")
        if previous is not None:
            previous.setPen(QPen(QColor(255, 255, 255, 220), 1.2))
        self._selected = name
        item = self._points.get(name or "")
        if item is None:
            return
        pen = QPen(self.palette().color(QPalette.ColorRole.Highlight), 3.0)
        item.setPen(pen)
        item.setZValue(5000)
        if not self.mapToScene(self.viewport().rect()).boundingRect().contains(item.pos()):
            self.centerOn(item.pos())

    def focus_on(self, name: str, degrees: float = 50.0) -> None:
        """Shows the region around the place (``degrees`` of longitude across)."""
        item = self._points.get(name)
        if item is None:
            return
        pos = item.pos()
        self._focus = QRectF(pos.x() - degrees / 2, pos.y() - degrees / 4, degrees, degrees / 2)
        self._zoomed = False
        self._fit()

    def show_world(self) -> None:
        self._focus = None
        self._zoomed = False
        self._fit()

    def _fit(self) -> None:
        self.resetTransform()
        self.fitInView(self._focus or self._world, Qt.AspectRatioMode.KeepAspectRatio)

    def zoom(self) -> float:
        """How far in the view is, relative to the whole world fitted."""
        world = min(self.viewport().width() / self._world.width(),
                    self.viewport().height() / self._world.height())
        return self.transform().m11() / world if world else 1.0

    def zoom_by(self, factor: float) -> None:
        new = self.zoom() * factor
        if new < 0.95 or new > MAX_ZOOM:
            factor = max(0.95, min(MAX_ZOOM, new)) / self.zoom()
        self.scale(factor, factor)
        self._zoomed = True

    # -- events -----------------------------------------------------------------------

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if not self._zoomed:
            self._fit()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if not self._zoomed:
            self._fit()

    def wheelEvent(self, event: QWheelEvent) -> None:
        steps = event.angleDelta().y() / 120
        if steps:
            self.zoom_by(1.25 ** steps)
        event.accept()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Plus, Qt.Key.Key_Equal):
            self.zoom_by(1.25)
        elif event.key() == Qt.Key.Key_Minus:
            self.zoom_by(0.8)
        elif event.key() == Qt.Key.Key_0:
            self.show_world()
        else:
            super().keyPressEvent(event)

    def mousePressEvent(self, event: QMouseEvent) -> None:
        self._press = event.position().toPoint()
        super().mousePressEvent(event)
        event.accept()

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        super().mouseReleaseEvent(event)
        event.accept()  # the map handles every click and drag
        press, self._press = self._press, None
        pos = event.position().toPoint()
        if press is None or (pos - press).manhattanLength() > CLICK_SLOP:
            if press is not None:
                self._zoomed = True  # a drag panned the view
            return
        point = self._point_at(pos)
        if point is not None:
            self.select(point.place.name)
            self.placeClicked.emit(point.place.name)

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:
        if self._point_at(event.position().toPoint()) is None:
            self.show_world()
        else:
            super().mouseDoubleClickEvent(event)

    def _point_at(self, pos: QPoint) -> _Point | None:
        found = [i for i in self.items(pos) if isinstance(i, _Point)]
        if not found:  # a small point: forgive a near miss
            near = [(abs(self.mapFromScene(p.pos()).x() - pos.x())
                     + abs(self.mapFromScene(p.pos()).y() - pos.y()), p)
                    for p in self._points.values()]
            near = [n for n in near if n[0] <= CLICK_SLOP + 2]
            return min(near, key=lambda n: n[0])[1] if near else None
        return max(found, key=lambda i: i.zValue())


def map_places(entities: Sequence[object]) -> list[MapPlace]:
    """:class:`MapPlace` records for the library's places (``LibraryEntity`` values)."""
    out = []
    for e in entities:
        mentions = int(getattr(e, "mentions", 0) or 0)
        out.append(MapPlace(str(getattr(e, "name", "")), max(1, mentions),
                            tuple(getattr(e, "aliases", ()) or ())))
    return out
