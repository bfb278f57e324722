"""Common English words, as a dictionary writes them in lower case (``data/common_words.txt.gz``).

Evidence, not proof: a name made only of such words whose first word is no first name
("Cast Away", "Twin Peaks", "Snow Patrol", "Danger Mouse") is more often a work, a band or a
thing than a person, so the library asks it for a sign of a person (see
:mod:`index.evidence`); and a word of that kind glued before a first name ("Unseeded Nicolas
Almagro") is not part of the name.

The list holds the all-lower-case words of SCOWL size 50 (the ``american-english`` word list
of Debian's ``wamerican`` 2020.12.07; © Kevin Atkinson, permission to use, copy, modify and
distribute granted, see SCOWL's README), about 64,000 words, 170 KB compressed. It is built
by a developer, never at run time::

    python -m index.common_words /usr/share/dict/american-english

Read once per process, on first use (about 20 ms).
"""

from __future__ import annotations

import functools
import gzip
import sys
from pathlib import Path

DATA = Path(__file__).with_name("data") / "common_words.txt.gz"


@functools.cache
def _words() -> frozenset[str]:
    with gzip.open(DATA, "rt", encoding="utf-8") as f:
        return frozenset(line.strip() for line in f if line.strip() and line[0] != "#")


def is_common_word(word: str) -> bool:
    """Whether ``word``, lower-cased, is a common English word ("cast", "peaks")."""
    return word.replace("’", "'").lower() in _words()


def build(source: Path, out: Path = DATA) -> int:
    """Writes the lower-case alphabetic words of ``source`` (one word a line) to ``out``;
    returns how many."""
    words = sorted({
        w for w in source.read_text(encoding="utf-8").split()
        if w.isalpha() and w.islower() and w.isascii()
    })
    header = f"# all-lower-case words of {source.name} (SCOWL, wamerican 2020.12.07)\n"
    # mtime=0: the same words give the same bytes
    with open(out, "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0) as gz:
        gz.write((header + "\n".join(words) + "\n").encode("utf-8"))
    return len(words)


if __name__ == "__main__":  # pragma: no cover - a developer's tool
    print(build(Path(sys.argv[1])), "words")
