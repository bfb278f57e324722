"""The world map's data (index/geo.py) and the Markdown dossier (index/dossier.py)."""

from __future__ import annotations

import json
from pathlib import Path

from test_library import make_library

from index import dossier, gazetteer, geo
from index.model import (
    EntityArticle,
    EntityKind,
    EntityPage,
    LibraryEntity,
    LibraryStatement,
    Statement,
)


def test_the_map_data_is_small_and_has_the_world() -> None:
    assert geo.DATA.stat().st_size < 300_000
    world = geo.load()
    names = {c.name for c in world.outlines}
    assert len(world.outlines) > 170 and {"France", "Japan", "Brazil"} <= names
    for country in world.outlines:
        # a ring across the 180th meridian comes twice, once beyond each edge (clipped)
        assert any(all(-180 <= lon <= 180 for lon, _ in ring) or len(country.rings) > 1
                   for ring in country.rings)
        for ring in country.rings:
            assert all(-360 <= lon <= 360 and -90 <= lat <= 90 for lon, lat in ring)
    assert "Natural Earth" in world.about


def test_places_have_points_by_name_alias_and_gazetteer() -> None:
    lat, lon = geo.point("London") or (0, 0)
    assert abs(lat - 51.5) < 0.2 and abs(lon + 0.13) < 0.2
    assert geo.point("london") == geo.point("London")
    assert geo.point("Britain") == geo.point("United Kingdom")  # a gazetteer alias
    assert geo.point("Washington") is not None and geo.point("Washington")[1] < -70  # D.C.
    assert geo.point("Atlantis") is None
    assert geo.point("Atlantis", ["Paris"]) == geo.point("Paris")
    countries = [e.canonical for e in gazetteer.load().by_name.values()
                 if e.kind == "country" and e.surface == e.canonical]
    placed = [c for c in countries if geo.point(c) is not None]
    assert len(placed) >= len(countries) - 10  # a few islands of no size have none


def _page() -> EntityPage:
    said = Statement("We are *upgrading*\n our forces", 10, 40, "Lloyd Austin", "person", "said")
    other = Statement("Not now", 50, 57, "Lloyd Austin", "person", "said")
    entity = LibraryEntity("Lloyd Austin", EntityKind.PERSON,
                           (("k1", "Austin visits [Japan]", 2), ("k2", "Talks", 1)),
                           ("Mr Austin",), (("Secretary of Defence", "k1"),))
    return EntityPage(
        entity,
        (EntityArticle("k1", "Austin visits [Japan]", 2, "…Lloyd Austin went…", (0, 12)),
         EntityArticle("k2", "Talks", 1, "", None)),
        (LibraryStatement("k1", "Austin visits [Japan]", said), LibraryStatement("k2", "Talks",
                                                                                 other)),
        (("Secretary of Defence", "k1", "Austin visits [Japan]"),),
        (("Ada Lovelace", 1),), (("Japan", 2),))


def test_the_dossier_quotes_every_statement_and_cites_its_article() -> None:
    text = dossier.dossier(_page())
    assert text.startswith("# Lloyd Austin\n\nPerson · 2 articles · 3 mentions\n")
    assert "Also written: Mr Austin" in text
    assert "- Secretary of Defence — *Austin visits \\[Japan\\]*" in text
    # quoted whole (on one line, as said), then who and where
    assert "> “We are *upgrading* our forces”\n>\n> — Lloyd Austin, *Austin visits \\[Japan\\]*" \
        in text
    assert "> “Not now”\n>\n> — Lloyd Austin, *Talks*" in text
    assert "## Statements (2)" in text and "## Articles (2)" in text
    assert "- Ada Lovelace (1 article)" in text and "- Japan (2 articles)" in text
    assert dossier.filename(_page()) == "Lloyd Austin.md"


def test_a_dossier_from_the_real_library(data_dir: Path, articles: Path) -> None:
    library = make_library(data_dir)
    library.add_sources([articles])
    library.update()
    text = dossier.dossier(library.entity_page("Mr Austin"))
    assert "> “We are upgrading our forces,”" in text or "> “We are upgrading our forces”" \
        in text
    assert "*Austin visits Japan*" in text
    page = json.dumps(library.entity_page("Japan").to_dict())
    assert "Austin visits Japan" in page
    library.close()
