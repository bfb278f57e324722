"""Builds ``index/data/firstnames.tsv``, the first-name list :mod:`index.firstnames` reads.

A developer's tool, run by hand when the sources change; nothing here runs in the program
and nothing is downloaded at run time. Sources (both MIT-licensed packages on PyPI):

* ``names`` 0.3.0 (MIT, © Trey Hunner): the US Census Bureau's 1990 first-name frequency
  lists (``dist.male.first``, ``dist.female.first``; US government work, public domain).
  Names rarer than :data:`MIN_CENSUS_PERCENT` are dropped: the tail holds words ("China",
  "Love", "In").

Left out: :data:`SKIP` (particles, titles and words that the lists carry as rare names), and
places and nationality words of Broadsheet's own gazetteer unless common as names (in the
census, or in the lists of three languages or more).
* ``faker`` (MIT, © joke2k and contributors): the ``first_names_male`` and
  ``first_names_female`` of every person provider, in Latin script only (English, Irish,
  Scottish, French, German, Spanish, Italian, Dutch, Scandinavian, Slavic, African, ...).

Gender: the census decides where it counts :data:`MAJORITY` times more people of one sex, unless
the other languages lean the other way ("Jean": female in the US, male in French); else each
*language* votes once per list it has the name in (``fr_FR``, ``fr_BE`` and ``fr_CA`` are one
vote) and a gender needs :data:`MAJORITY` times the other's votes; else ``u`` (either: "Kim").

Usage::

    pip download --no-deps names==0.3.0 faker    # then unpack both, in DIR
    python -m index.firstnames_build DIR/names-0.3.0/names DIR/faker-unpacked
"""

from __future__ import annotations

import importlib
import pkgutil
import sys
import unicodedata
from collections import defaultdict
from pathlib import Path

DATA = Path(__file__).with_name("data")

#: Census names rarer than this (percent of people) are left out.
MIN_CENSUS_PERCENT = 0.004

#: Census percentage above which a name that is also a place stays in ("Georgia").
COMMON = 0.03

#: How many times the other side's votes a gender needs.
MAJORITY = 3
#: Languages leaning this much the other way overrule the census.
CONTRARY = 1.2

#: Words in the sources that, in English news, are name particles, titles or plain words
#: far more often than someone's first name.
_SKIP = """
    Al, El, Van, Von, De, Del, Della, Da, Di, Du, Des, Den, Der, La, Le, Los, Las, Bin, Ibn,
    Abu, Mac, St, In, An, The, And, Of, Sir, Lord, Lady, King, Prince, Princess, Queen, Major,
    General, Royal, Justice, Chancellor, Bishop, Pastor, Doctor, Love, China, India, Asia,
    America, Africa, Europe, Israel, Kenya, Egypt, Holland, England, Ireland, Wales, Scotland,
    Paris, Berlin, London, Sydney, Brooklyn, Dallas, Houston, Phoenix, Memphis, Boston, Denver,
    Cleveland, Camden, Chelsea, Unique, Precious, Miracle, Messiah, Legend, Royalty, Marvel,
    Rebel, Shadow, Hope, Faith, Glory, Liberty, Unity, Journey, Harmony, Destiny, Trinity,
    Genesis, Ocean, River, Sky, Summer, Winter, Autumn, Spring, Rain, Storm, Golden, Silver,
    Diamond, Crystal, Amber, Ebony, Ivory, Velvet, Treasure, Heaven, Angel, Saint, Honor, Honour,
    Major, Captain, Chief, Cardinal, Baron, Marshall, Judge, Mayor, Sheriff, Bishop, Dean,
    Premier, Pope, Sultan, Emir, Shah, Tsar, Rabbi, Imam, Reverend, Said, Tory, Labour, Council,
    My, Man, Media, Rock, Star, Young, Little, Press, Line, Red, Forum, Long, North, South, East,
    West, Park, Baby, Sun, Fed, Mart, Delta, Villa, Brit, Ham, Commodore, Orange, Lane, Nazi,
    Muslim, Us, Kent, Hong, Angeles, Bush, January, February, March, May, July, September, October,
    November, December, Monday, Tuesday, Wednesday, Thursday, Friday, Saturday, Sunday
"""
SKIP = frozenset(w.strip().casefold() for w in _SKIP.split(",") if w.strip())


def _plain(name: str) -> str:
    folded = unicodedata.normalize("NFKD", name)
    return "".join(c for c in folded if not unicodedata.combining(c))


def _latin(name: str) -> bool:
    """Letters of the Latin alphabet (accents allowed), hyphens and apostrophes only."""
    plain = _plain(name).replace("-", "").replace("'", "").replace("’", "")
    return plain.isascii() and plain.isalpha() and len(plain) >= 2


def _census(names_dir: Path) -> dict[str, dict[str, float]]:
    """name -> {"m": percent, "f": percent}."""
    out: dict[str, dict[str, float]] = defaultdict(dict)
    for gender, fname in (("m", "dist.male.first"), ("f", "dist.female.first")):
        for line in (names_dir / fname).read_text(encoding="ascii").splitlines():
            parts = line.split()
            if len(parts) >= 2 and float(parts[1]) >= MIN_CENSUS_PERCENT:
                out[parts[0].capitalize()][gender] = float(parts[1])
    return out


def _faker(faker_dir: Path) -> dict[str, dict[str, set[str]]]:
    """name -> {"m": {languages}, "f": {languages}} from faker's person providers."""
    sys.path.insert(0, str(faker_dir))
    person = importlib.import_module("faker.providers.person")
    out: dict[str, dict[str, set[str]]] = defaultdict(lambda: {"m": set(), "f": set()})
    for mod in pkgutil.iter_modules(person.__path__):
        provider = importlib.import_module(f"faker.providers.person.{mod.name}").Provider
        language = mod.name.split("_")[0]
        for gender, attr in (("m", "first_names_male"), ("f", "first_names_female")):
            for name in getattr(provider, attr, ()):
                for part in str(name).split():  # "Jean Pierre" and the like
                    if _latin(part) and part[0].isupper():
                        out[part][gender].add(language)
    return out


def _places() -> set[str]:
    """Place names and nationality words Broadsheet knows (its gazetteer and demonyms)."""
    from index import gazetteer

    gaz = gazetteer.load()
    names = {*gaz.by_name, *gaz.demonyms}
    return {_plain(name).casefold() for name in names}


def build(names_dir: Path, faker_dir: Path) -> dict[str, str]:
    """name as written -> "m", "f" or "u"."""
    census = _census(names_dir)
    places = _places()
    lists = _faker(faker_dir)
    votes: dict[str, list[float]] = defaultdict(lambda: [0.0, 0.0])
    for name, by_gender in lists.items():
        votes[name][0] += len(by_gender["m"])
        votes[name][1] += len(by_gender["f"])
    out = {}
    for name in sorted(set(votes) | set(census)):
        m, f = votes[name]
        gender = "m" if m >= MAJORITY * f else "f" if f >= MAJORITY * m else "u"
        # The census counts people, where the lists only say "a name of either": its say
        # wins unless the other languages lean the other way ("Jean", "Kim").
        freq = census.get(name, {})
        cm, cf = freq.get("m", 0.0), freq.get("f", 0.0)
        if cm >= MAJORITY * cf and cm and not f >= CONTRARY * m:
            gender = "m"
        elif cf >= MAJORITY * cm and cf and not m >= CONTRARY * f:
            gender = "f"
        elif cm or cf:
            gender = "u" if gender != ("m" if cm > cf else "f") else gender
        if _plain(name).casefold() in SKIP or not _latin(name):
            continue
        # A place ("France", "Texas", "Bristol") only when many people are so named: in the
        # census ("Georgia", "Virginia") or in several languages ("Sofia", "Nigel").
        languages = set().union(*lists[name].values()) if name in lists else set()
        common = max(census.get(name, {}).values(), default=0) >= COMMON
        if _plain(name).casefold() in places and not common and len(languages) < 3:
            continue
        out[name] = gender
    # The spelling without accents too ("Goran" for "Göran"), unless listed in its own right,
    # so the program looks names up without folding them.
    for name, gender in list(out.items()):
        out.setdefault(_plain(name), gender)
    return dict(sorted(out.items()))


def main(argv: list[str]) -> None:
    rows = build(Path(argv[0]), Path(argv[1]))
    out = DATA / "firstnames.tsv"
    with open(out, "w", encoding="utf-8") as f:
        f.write(
            "# Generated by index/firstnames_build.py from names 0.3.0 (MIT; US Census 1990 "
            "first names, public domain) and faker (MIT). name<TAB>gender (m, f, u = either)\n"
        )
        for name, gender in rows.items():
            f.write(f"{name}\t{gender}\n")
    print(f"wrote {len(rows)} first names to {out}")


if __name__ == "__main__":
    main(sys.argv[1:])
