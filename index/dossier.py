"""A person's or a place's page as a Markdown dossier: what a journalist pastes into notes.

Every statement is quoted in full and cited by the title of its article; the roles, the
articles (with how often each names the entry) and the people and places seen with it
follow. Pure: an :class:`~index.model.EntityPage` in, text out.
"""

from __future__ import annotations

import re

from index.model import EntityKind, EntityPage

_MARKDOWN = re.compile(r"([\\`*_\[\]<>#|])")


def _md(text: str) -> str:
    """``text`` on one line, with Markdown's special characters escaped."""
    return _MARKDOWN.sub(r"\\\1", " ".join(text.split()))


def _title(title: str) -> str:
    return f"*{_md(title)}*" if title.strip() else "*(untitled article)*"


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def dossier(page: EntityPage) -> str:
    """The page as Markdown."""
    e = page.entity
    kind = {EntityKind.PERSON: "Person", EntityKind.PLACE: "Place",
            EntityKind.ORGANISATION: "Organisation"}.get(e.kind, str(e.kind).capitalize())
    lines = [f"# {_md(e.name)}", ""]
    facts = [kind, _plural(len(page.articles), "article"), _plural(e.mentions, "mention")]
    lines.append(" · ".join(facts))
    if e.aliases:
        lines += ["", "Also written: " + ", ".join(_md(a) for a in e.aliases)]
    if page.roles:
        lines += ["", "## Roles", ""]
        lines += [f"- {_md(role)} — {_title(title)}" for role, _key, title in page.roles]
    heading = "Statements" if e.kind == EntityKind.PERSON else "Statements in these articles"
    lines += ["", f"## {heading} ({len(page.statements)})", ""]
    if not page.statements:
        lines.append("None found.")
    for ls in page.statements:
        s = ls.statement
        speaker = s.speaker or "speaker unknown"
        lines += [f"> “{' '.join(s.text.split())}”", ">",
                  f"> — {_md(speaker)}, {_title(ls.title)}", ""]
    if lines[-1] == "":
        lines.pop()
    lines += ["", f"## Articles ({len(page.articles)})", ""]
    for a in page.articles:
        snippet = f": {_md(a.snippet)}" if a.snippet else ""
        lines.append(f"- {_title(a.title)} — {_plural(a.mentions, 'mention')}{snippet}")
    if page.people:
        lines += ["", "## People in the same articles", ""]
        lines += [f"- {_md(n)} ({_plural(c, 'article')})" for n, c in page.people]
    if page.places:
        lines += ["", "## Places in the same articles", ""]
        lines += [f"- {_md(n)} ({_plural(c, 'article')})" for n, c in page.places]
    return "\n".join(lines) + "\n"


def filename(page: EntityPage) -> str:
    """A file name for the dossier ("Lloyd Austin.md"), safe on every system."""
    stem = re.sub(r'[\\/:*?"<>|\x00-\x1f]+', " ", page.entity.name).strip(" .") or "dossier"
    return f"{stem[:80]}.md"
