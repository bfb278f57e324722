"""People's first names and their usual gender (``index/data/firstnames.tsv``).

Evidence, not proof: a name whose first word is a first name is likely a person ("Nick Hazel",
not "Mac Mini"), and "she said" rarely refers back to a "Michael". About 19,000 names in Latin
script, from the US Census (1990) and the name lists of many languages; built by
:mod:`index.firstnames_build` (sources and licences there). Read once per process, on first use.
"""

from __future__ import annotations

import functools
import unicodedata
from pathlib import Path
from typing import Literal

DATA = Path(__file__).with_name("data")

Gender = Literal["female", "male"]

_GENDERS: dict[str, Gender | None] = {"f": "female", "m": "male", "u": None}


def _key(word: str) -> str:
    return word.strip().replace("’", "'").casefold()


def _plain(word: str) -> str:
    folded = unicodedata.normalize("NFKD", word)
    return "".join(c for c in folded if not unicodedata.combining(c))


@functools.cache
def _table() -> dict[str, Gender | None]:
    """Casefolded name -> gender or None (either). The file lists each name with accents and
    without ("Göran", "Goran")."""
    with open(DATA / "firstnames.tsv", encoding="utf-8") as f:
        rows = [line.split() for line in f if not line.startswith("#")]
    return {name.casefold(): _GENDERS[code] for name, code in rows}


def _lookup(word: str) -> tuple[bool, Gender | None]:
    table = _table()
    key = _key(word)
    # "Sven-Goran", "Jean-Pierre": the first part decides if the whole is unknown
    candidates = [key, key.split("-", 1)[0]] if "-" in key else [key]
    for candidate in candidates:
        if candidate in table:
            return True, table[candidate]
        if not candidate.isascii():
            plain = _plain(candidate)
            if plain in table:
                return True, table[plain]
    return False, None


def is_first_name(word: str) -> bool:
    """Whether ``word`` is a known first name, written with a capital ("Tessa", "José",
    "Sven-Göran"). Lower-case words are ordinary words ("will", "mark"), not names."""
    word = word.strip()
    if not word or not word[0].isupper():
        return False
    return _lookup(word)[0]


def gender_of(first_name: str) -> Gender | None:
    """ "female" or "male" if people so named mostly are; None if unknown or either
    ("Jean", "Kim")."""
    first_name = first_name.strip()
    if not first_name or not first_name[0].isupper():
        return None
    return _lookup(first_name)[1]
