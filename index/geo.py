"""Where places lie: the country outlines and place points the world map draws.

Read once per process from ``index/data/worldmap.json`` (built by
:mod:`index.geo_build` from Natural Earth's 1:110m outlines and the gazetteer's places; no
network, ever). Coordinates are degrees: a point is ``(lat, lon)``; an outline ring is a
list of ``(lon, lat)``.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

DATA = Path(__file__).with_name("data") / "worldmap.json"

LatLon = tuple[float, float]


@dataclass(frozen=True)
class Country:
    """A country's outline: one ring of ``(lon, lat)`` per piece of land."""

    name: str
    rings: tuple[tuple[tuple[float, float], ...], ...]


@dataclass(frozen=True, eq=False)
class World:
    outlines: tuple[Country, ...]
    points: dict[str, LatLon]
    about: str = ""
    _folded: dict[str, LatLon] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        self._folded.update((_fold(n), p) for n, p in self.points.items())

    def point(self, name: str, aliases: Iterable[str] = ()) -> LatLon | None:
        """Where the place called ``name`` (or one of ``aliases``) lies, or None: by its
        name, case-insensitively, then through the gazetteer's canonical names."""
        forms = [name, *aliases]
        for form in forms:
            found = self._folded.get(_fold(form))
            if found:
                return found
        from index import gazetteer

        table = gazetteer.load().by_name
        for form in forms:
            entry = table.get(form) or table.get(" ".join(form.split()))
            if entry is not None and entry.canonical in self.points:
                return self.points[entry.canonical]
        return None


def _fold(name: str) -> str:
    return " ".join(name.split()).casefold()


def _decode(ring: list[int]) -> tuple[tuple[float, float], ...]:
    x = y = 0
    out = []
    for i in range(0, len(ring) - 1, 2):
        x, y = x + ring[i], y + ring[i + 1]
        out.append((x / 10, y / 10))
    return tuple(out)


@functools.cache
def load(path: Path = DATA) -> World:
    """The world map's data (cached)."""
    data = json.loads(path.read_text("utf-8"))
    outlines = tuple(Country(name, tuple(_decode(r) for r in rings))
                     for name, rings in data["outlines"])
    points = {n: (float(p[0]), float(p[1])) for n, p in data["points"].items()}
    return World(outlines, points, data.get("about", ""))


def point(name: str, aliases: Iterable[str] = ()) -> LatLon | None:
    """Where the place ``name`` lies (see :meth:`World.point`)."""
    return load().point(name, aliases)
