"""A generated folder of articles: 49 good ones beside the files a hostile user would leave.

Nothing here is copied from a real collection: the good articles are sentences built from a
small word list (deterministic), so the folder can be made anywhere, on any machine.

Each hostile file is one of three kinds:

* ``bad`` — no article can be read from it: the library must name it with a reason that
  contains the given words, and index everything else;
* ``odd`` — an article in an unusual shape (encodings, names, nesting, size, links): it
  should be indexed, and must at least never stop the others (indexed or named);
* ``ignored`` — not an article file at all (another extension): never reported.
"""

from __future__ import annotations

import codecs
import os
import random
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

GOOD_COUNT = 49

_SUBJECTS = [
    "The minister", "Lloyd Austin", "Ada Lovelace", "The council", "A spokeswoman",
    "Alan Turing", "The committee", "Engineers", "Farmers", "The new chief executive",
]
_VERBS = ["said", "announced", "warned", "agreed", "argued", "promised", "denied", "reported"]
_OBJECTS = [
    "the budget for flood defences", "a plan to rebuild the harbour", "new rules on mobile "
    "phones", "the price of coffee", "talks with Japan", "a vote on the railway", "the "
    "results of the survey", "a delay to the bridge in London", "higher taxes on fuel",
    "the future of the library in Paris", "a fund for small farms", "the tram line",
]
_WHEN = ["on Tuesday", "last week", "in the spring", "after a long debate", "this morning",
         "before the election", "at the meeting", "in a statement"]


def _sentence(rng: random.Random) -> str:
    return (f"{rng.choice(_SUBJECTS)} {rng.choice(_VERBS)} {rng.choice(_OBJECTS)} "
            f"{rng.choice(_WHEN)}.")


def article_text(i: int, paragraphs: int = 3) -> tuple[str, str]:
    """``(headline, body)`` of the ``i``-th generated article; every one different."""
    rng = random.Random(i)
    headline = f"Report {i}: {rng.choice(_OBJECTS).capitalize()}"
    paras = [" ".join(_sentence(rng) for _ in range(rng.randint(2, 4)))
             for _ in range(paragraphs)]
    paras[0] += f" Case number {i:03d} was filed."
    return headline, "\n\n".join(paras)


@dataclass
class Corpus:
    folder: Path
    good: list[Path] = field(default_factory=list)
    bad: dict[Path, tuple[str, ...]] = field(default_factory=dict)
    odd: list[Path] = field(default_factory=list)
    ignored: list[Path] = field(default_factory=list)


def make_corpus(folder: Path, *, huge_bytes: int = 1_000_000) -> Corpus:
    """Writes the folder; ``huge_bytes`` is the size of the one big article."""
    folder.mkdir(parents=True)
    c = Corpus(folder)

    # ------------------------------------------------------------------ 49 good articles
    for i in range(GOOD_COUNT):
        headline, body = article_text(i)
        if i % 7 == 3:
            path = folder / "md" / f"article-{i:02d}.md"
            text = f"# {headline}\n\n{body}\n"
        elif i % 7 == 5:
            path = folder / "html" / f"article-{i:02d}.html"
            paras = "".join(f"<p>{p}</p>\n" for p in body.split("\n\n"))
            text = (f"<html><head><title>{headline}</title></head><body><article>"
                    f"<h1>{headline}</h1>\n{paras}</article></body></html>\n")
        else:
            path = folder / f"article-{i:02d}.txt"
            text = f"{headline}\n\n{body}\n"
        path.parent.mkdir(exist_ok=True)
        path.write_text(text, encoding="utf-8")
        c.good.append(path)

    def bad(name: str, data: bytes | None, *reason: str) -> Path:
        path = folder / "hostile" / name
        path.parent.mkdir(exist_ok=True)
        if data is not None:
            path.write_bytes(data)
        c.bad[path] = reason
        return path

    def odd(name: str | bytes, data: bytes) -> Path:
        hostile = folder / "hostile"
        hostile.mkdir(exist_ok=True)
        path = hostile / (os.fsdecode(name) if isinstance(name, bytes) else name)
        path.write_bytes(data)
        c.odd.append(path)
        return path

    def text(i: int) -> str:
        headline, body = article_text(1000 + i)
        return f"{headline}\n\n{body}\n"

    # ------------------------------------------------------------------ no article in them
    bad("empty.txt", b"", "empty")
    bad("blank.txt", b" \n\t\n  \n", "empty")
    bad("blank.md", b"\n\n   \n", "empty")
    bad("binary.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 8, "binary")
    bad("controls.txt", bytes(range(1, 9)) * 200, "binary")
    bad("markup-only.html", b"<html><head><script>x=1</script></head><body><nav>menu</nav>"
        b"<div></div></body></html>", "no readable text")
    fifo = bad("pipe.txt", None, "not a regular file")
    os.mkfifo(fifo)
    big = bad("too-large.txt", None, "too large")
    with big.open("wb") as fh:  # sparse: the size is refused before anything is read
        fh.truncate(21_000_000)
    loop_a, loop_b = bad("loop-a.txt", None, "symbolic links"), bad("loop-b.txt", None,
                                                                     "symbolic links")
    loop_a.symlink_to(loop_b.name)
    loop_b.symlink_to(loop_a.name)
    selfloop = bad("self-loop.txt", None, "symbolic links")
    selfloop.symlink_to(selfloop.name)

    # ------------------------------------------------------------------ articles, oddly made
    odd("utf16-bom.txt", codecs.BOM_UTF16_LE + text(1).encode("utf-16-le"))
    odd("utf16-no-bom.txt", text(2).encode("utf-16-le"))
    odd("utf32.txt", text(3).encode("utf-32"))
    odd("utf8-bom.txt", codecs.BOM_UTF8 + text(4).encode())
    odd("cp1252.txt", ("Café “prices” rise – again\n\n" + text(5)).encode("cp1252"))
    odd("cp1251.txt", ("Президент России заявил, что переговоры продолжатся.\n\n"
                       "Переговоры продолжатся на следующей неделе в Москве.\n").encode("cp1251"))
    odd("broken-utf8.txt", "He said “yes” — twice.\n\n".encode() + b"bad \xff\xfe\xfa bytes "
        b"\x80\x81 here.\n" + text(6).encode())
    odd("crlf.txt", text(7).replace("\n", "\r\n").encode())
    odd("lone-cr.txt", text(8).replace("\n", "\r").encode())
    odd("deep-list.md", ("# Deep\n\n" + "".join("  " * d + f"- item {d}\n"
                                                 for d in range(500))).encode())
    odd("deep-quote.md", ("# Quoted\n\n" + "> " * 500 + "a quotation\n").encode())
    odd("deep-divs.html", ("<html><body><h1>Deep</h1>" + "<div>" * 5000 + "<p>Inside.</p>"
                           + "</div>" * 5000 + "</body></html>").encode())
    odd("unclosed.html", b"<html><body><h1>Unclosed</h1><p>One<p>Two<div><span>three")
    odd("one-long-line.txt", (" ".join(["word"] * 40_000) + "\n").encode())
    odd(b"caf\xe9 latin1 name.txt", text(9).encode())  # a name that is not UTF-8
    odd("new\nline.txt", text(10).encode())
    odd("-dash.txt", text(11).encode())
    odd("  spaces  .txt", text(12).encode())
    odd("📰 news.txt", text(13).encode())
    odd("UPPER.TXT", text(14).encode())
    odd("n" * 200 + ".txt", text(15).encode())
    locked = odd("no-permission.txt", text(16).encode())
    locked.chmod(0)  # unreadable for anyone but root: named, or read by root
    sentence = "The harbour plan was debated again in the long council meeting. "
    odd("huge.txt", ("Huge\n\n" + sentence * (huge_bytes // len(sentence))).encode())
    outside = folder.parent / f"{folder.name}-outside"
    outside.mkdir()
    (outside / "linked.txt").write_text(text(17), encoding="utf-8")
    link = folder / "hostile" / "link-to-outside.txt"
    link.symlink_to(outside / "linked.txt")
    c.odd.append(link)
    dangling = folder / "hostile" / "dangling.txt"
    dangling.symlink_to(folder / "hostile" / "nowhere.txt")
    c.odd.append(dangling)  # a link to nothing: skipped or named, never a crash
    (folder / "hostile" / "cycle").mkdir()
    (folder / "hostile" / "cycle" / "up").symlink_to("..")  # a folder cycle
    odd_dir = folder / "hostile" / "folder.txt"  # a folder named like an article
    odd_dir.mkdir()
    (odd_dir / "inside.txt").write_text(text(18), encoding="utf-8")
    c.odd.append(odd_dir / "inside.txt")

    # ------------------------------------------------------------------ not articles at all
    for name in ("report.pdf", "notes.docx", "image.png", "no-extension"):
        path = folder / "hostile" / name
        path.write_bytes(b"\x00\x01 not an article")
        c.ignored.append(path)
    return c


_SYLLABLES = ["ka", "lo", "mi", "ser", "tan", "vo", "ru", "bel", "dor", "fi", "gan", "hu",
              "pe", "quo", "sta", "tri", "ul", "wen", "xa", "zo"]


def library_articles(folder: Path, count: int = 200) -> list[Path]:
    """``count`` plain-text articles for a search library: the generated sentences, plus
    invented words (a few thousand distinct ones), so that a wildcard or a fuzzy term can
    stand for many words, as in a real library."""
    folder.mkdir(parents=True)
    made = []
    for i in range(count):
        rng = random.Random(10_000 + i)
        headline, body = article_text(i)
        invented = " ".join(
            "".join(rng.choice(_SYLLABLES) for _ in range(rng.randint(2, 4))) for _ in range(60)
        )
        path = folder / f"article-{i:03d}.txt"
        path.write_text(f"{headline}\n\n{body}\n\n{invented.capitalize()}.\n", encoding="utf-8")
        made.append(path)
    return made


class NamesAnalyser:
    """Finds the three people and the places the generated sentences name (each mention),
    so that ``person:`` and ``place:`` have something to search; no spaCy."""

    PEOPLE = ("Lloyd Austin", "Ada Lovelace", "Alan Turing")
    PLACES = ("Japan", "London", "Paris")

    def analyse_many(self, documents: Any) -> Any:
        import re

        from index.model import Analysis, Person, Place

        for document in documents:
            text = document.text
            people = tuple(
                Person(name, None, (), tuple(m.span() for m in re.finditer(name, text)))
                for name in self.PEOPLE if name in text
            )
            places = tuple(
                Place(name, "city", (), tuple(m.span() for m in re.finditer(name, text)))
                for name in self.PLACES if name in text
            )
            yield Analysis(people, places, ())
