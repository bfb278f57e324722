"""The Whoosh schema of the library index, one commented field at a time.

The index is a cache: everything in it can be rebuilt from the source files, so every
field a reader needs to *show* an article is stored (text, blocks, analysis) and opening
an article never runs spaCy. Bump :data:`SCHEMA_VERSION` whenever a field, an analyzer or
the stored layout changes: an index written with another version is rebuilt from the
sources (see :class:`index.library.Library`).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from whoosh import fields
from whoosh.analysis import Filter, StemmingAnalyzer, Token

from index.model import Person, Place

#: Version of the layout below, stored beside the index; a mismatch triggers a rebuild.
SCHEMA_VERSION = 5

# Field names, used everywhere instead of string literals.
KEY = "key"
PATH = "path"
SOURCE = "source"
TITLE = "title"
DATELINE = "dateline"
TEXT = "text"
PAIRS = "pairs"
PERSON = "person"
PLACE = "place"
SIZE = "size"
MTIME = "mtime"
SHA256 = "sha256"
FORMAT = "format"
ENCODING = "encoding"
WARNINGS = "warnings"
BLOCKS = "blocks"
ANALYSIS = "analysis"
DATELINE_SPAN = "dateline_span"
ANALYSED = "analysed"

#: Values of :data:`ANALYSED`: an article is written with its text first (searchable at
#: once, no people, places or statements yet, no word pairs: NO), again as soon as it is
#: analysed, without its word pairs (readers see the analysis: UNPAIRED), and once more
#: whole when the update ends (YES), all of them in one new segment.
YES = "yes"
NO = "no"
UNPAIRED = "unpaired"

#: Fields a user may name in a query (``title:…``, ``person:…``, ``place:…``); ``text`` is
#: the default field and may be named too.
QUERY_FIELDS = (TEXT, TITLE, PERSON, PLACE)

#: The analyzer of ``text`` and ``title``: Whoosh's regex tokenizer, lower case, English
#: stop words and Porter stems, so "upgrade" finds "upgraded". The snippet builder in
#: :mod:`index.search` re-tokenises stored text the same way; keep them in step.
TEXT_ANALYZER = StemmingAnalyzer()


class _Pairs(Filter):
    """Joins each token to the one before it, after stop words are dropped and words
    stemmed — the positions a Whoosh phrase of :data:`TEXT` would match as neighbours."""

    def __call__(self, tokens: Iterator[Token]) -> Iterator[Token]:
        previous = None
        for token in tokens:
            current = token.text
            if previous is not None:
                token.text = f"{previous} {current}"
                yield token
            previous = current


PAIR_ANALYZER = StemmingAnalyzer() | _Pairs()


def make_schema() -> fields.Schema:
    return fields.Schema(
        # The document key (index.paths.document_key): SHA-1 of the resolved path, so it is
        # unique per file and survives edits; the only unique field, the one
        # update_document/delete_by_term use.
        **{
            KEY: fields.ID(stored=True, unique=True),
            # The absolute path. Not unique on its own terms (the key already is), but
            # indexed so a path can be looked up without hashing it again.
            PATH: fields.ID(stored=True),
            # The library source (folder or file) the article was found under, for the
            # "source" column of ArticleInfo; stored only.
            SOURCE: fields.STORED(),
            # The title, searchable with ``title:``, boosted because a word in the title says
            # more about an article than one in its body.
            TITLE: fields.TEXT(analyzer=TEXT_ANALYZER, stored=True, field_boost=2.0),
            # The dateline as the document gives it ("WASHINGTON"); shown, not searched. Its
            # span in the text is what the analyser needs of it (the analysis reads the
            # stored text, not the file, so its offsets are those of what is indexed).
            DATELINE: fields.STORED(),
            DATELINE_SPAN: fields.STORED(),
            # Whether the article is analysed (YES) or only its text is indexed so far (NO):
            # indexed, so that a search can tell cheaply whether every article has its word
            # pairs, and an update which articles are left to analyse.
            ANALYSED: fields.ID(stored=True),
            # The analysed text: searched (with positions, for phrases), stored for snippets
            # and the reader. Not ``spelling=True``: Whoosh's spelling field more than doubles
            # the indexing time; "did you mean" uses the library's word list instead
            # (index.search.suggest, words.txt beside the index).
            TEXT: fields.TEXT(analyzer=TEXT_ANALYZER, stored=True, phrase=True),
            # The same text as pairs of neighbouring stems ("prime minist"): a two-word
            # phrase is then one posting list instead of a walk over two words' positions
            # (index.search.fast_phrases), the slowest queries made as fast as a word.
            # Written with the analysis, not with the text: it is three quarters of the
            # cost of indexing a text, and a phrase is answered from TEXT's positions while
            # some article has no pairs yet (index.library.core.Library.search).
            PAIRS: fields.TEXT(analyzer=PAIR_ANALYZER, phrase=False),
            # (Written with the analysis.) People and places by canonical name, aliases,
            # and each word of the canonical name, all lower-cased: person:"Lloyd Austin",
            # person:Austin and person:"Mr Austin" all find the article. Comma-separated so
            # a name stays one term.
            PERSON: fields.KEYWORD(lowercase=True, commas=True, scorable=True),
            PLACE: fields.KEYWORD(lowercase=True, commas=True, scorable=True),
            # What the incremental update compares: size and mtime first (cheap), the SHA-256
            # of the content when they differ.
            SIZE: fields.STORED(),
            MTIME: fields.STORED(),
            SHA256: fields.STORED(),
            # How the file was read (format, encoding, decoder warnings), for the reader.
            FORMAT: fields.STORED(),
            ENCODING: fields.STORED(),
            WARNINGS: fields.STORED(),
            # The document's blocks as [kind, start, end, level] lists, and the analysis as
            # Analysis.to_dict() in a JSON string (Whoosh unpickles every stored field of a
            # hit; a string unpickles far faster than nested dicts, and only the reader and
            # person:/place: marks parse it): opening an article needs no NLP.
            BLOCKS: fields.STORED(),
            ANALYSIS: fields.STORED(),
        }
    )


def _keywords(names: Iterable[tuple[str, tuple[str, ...]]], *, words: bool) -> str:
    terms: dict[str, None] = {}
    for name, aliases in names:
        for form in (name, *aliases):
            form = " ".join(form.replace(",", " ").split()).lower()
            if form:
                terms[form] = None
        if words:
            for word in name.replace(",", " ").split():
                terms[word.lower()] = None
    return ",".join(terms)


def person_keywords(people: Iterable[Person]) -> str:
    """The ``person`` field's value: every name form and every word of each name."""
    return _keywords(((p.name, p.aliases) for p in people), words=True)


def place_keywords(places: Iterable[Place]) -> str:
    """The ``place`` field's value: every name form, but not the words of a name on their
    own (``place:China`` should not find an article that only names the East China Sea)."""
    return _keywords(((p.name, p.aliases) for p in places), words=False)
