"""The analyser: one document in, its people, places and statements out.

It runs the spaCy pipeline once per document (in batches when there are many) and hands
the ``Doc`` to the extractors: :func:`index.entities.analyse_entities` for people and
places (with the evidence :mod:`index.evidence` weighs across a library), then
:func:`index.quotes.extract_statements`, which needs the people to name speakers. The spaCy
objects never leave this module and the extractors; callers get :class:`index.model.Analysis`.

With ``n_process`` > 1, worker processes run the whole of it — parsing *and* extraction —
and send back only the small ``Analysis`` objects: shipping parsed ``Doc``s back to the
parent (what ``nlp.pipe(n_process=...)`` does) cost the parent a third of a core on the
BBC corpus. A document whose bytes were already analysed in the same run (libraries hold
copies) reuses that analysis instead of being parsed again.

**Only where it is read.** NER and sentence boundaries run on every word; the tagger and
the dependency parser only on the sentences :func:`parse_runs` picks, the ones whose parse
the extractors read (see :func:`index.nlp.parse`).

**Bounded pieces.** A document longer than :data:`index.nlp.MAX_CHUNK` characters is cut
into pieces (:func:`pieces`: at a paragraph break, else a line break, else a sentence end,
else a space, else anywhere), each its own ``Doc`` analysed on its own; the results are
merged with their offsets shifted, a person or place named in several pieces becoming one
entry (a surname alone joining the one full name it ends). Memory is that of one batch of
pieces whatever the article's length, and time grows linearly with it, up to
:data:`MAX_ANALYSED` characters: beyond, a document is not analysed further
(:func:`analysis_note` words it for the user).
"""

from __future__ import annotations

import bisect
import multiprocessing
import os
import re
import threading
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from index.evidence import CAP
from index.model import (
    Analysis,
    Document,
    NameEvidence,
    Person,
    Place,
    Span,
    Statement,
)
from index.nlp import MAX_CHUNK, Run, load_pipeline, one_blas_thread, parse

if TYPE_CHECKING:
    from spacy.tokens import Doc

#: Documents sent to a worker process at a time.
WORKER_BATCH = 16

#: Characters of one document analysed at most (about 350,000 words): `analyze` of a
#: 10 MB article took 88 s of CPU and 762 MB at most (1 MB: 46 s, 687 MB), measured with
#: tests/benchmarks/long_article.py. The rest of a longer one is searchable but not
#: analysed, and :func:`analysis_note` says so.
MAX_ANALYSED = 2_000_000

#: Articles to analyse per worker process at least: starting a process and loading the
#: model in it costs 1.7 s of CPU, as much as analysing about twenty BBC articles, so two
#: processes pay from about a hundred articles on.
ARTICLES_PER_PROCESS = 50

#: Before a quotation, the sentences parsed besides the ones holding its marks: who "he"
#: is is weighed from the parse of the narrative before it (without it, the BBC dev set's
#: speaker accuracy fell from 0.993 to 0.937). Two before each mark and one after the
#: closing one, as parsed until now, gave the same output on every dev set (CoNLL++,
#: PolNeAR, BBC) as this one before the opening mark.
QUOTE_BEFORE = 1

#: After a name and a comma, how far an appositive role may reach ("Lloyd Austin, the US
#: defence secretary, said"): the extractor takes appositives of at most 8 words.
APPOSITIVE_REACH = 10

#: Sentences parsed around one that runs over a line break (a heading, a table row, a
#: dateline): the senter and the parser often cut those differently, and where they do the
#: parser's cut is the one the extractors were written for.
LINES_AROUND = 1

_SENTENCE_END = re.compile(r"[.!?…][\"'”’)\]]*\s+")
_ROLE_LABELS = frozenset({"PERSON", "GPE", "LOC"})
_ORG_LABELS = frozenset({"ORG", "NORP", "PRODUCT", "EVENT", "WORK_OF_ART", "LAW", "LANGUAGE",
                         "FAC"})


def pieces(text: str, limit: int = MAX_CHUNK) -> list[Span]:
    """``text`` cut into consecutive spans of at most ``limit`` characters that cover it
    (where each is cut: :func:`_cut`)."""
    spans: list[Span] = []
    start = 0
    while len(text) - start > limit:
        end = _cut(text, start, start + limit)
        spans.append((start, end))
        start = end
    spans.append((start, len(text)))
    return spans


def _cut(text: str, start: int, stop: int) -> int:
    """Where to end the piece starting at ``start``, at ``stop`` at the latest: after the
    last paragraph break, else line break, else sentence end, else space in its last three
    quarters; else at ``stop``."""
    floor = start + (stop - start) // 4
    for separator in ("\n\n", "\n"):
        cut = text.rfind(separator, floor, stop)
        if cut >= 0:
            return cut + len(separator)
    last = max((m.end() for m in _SENTENCE_END.finditer(text, floor, stop)), default=-1)
    if last >= 0:
        return last
    cut = max(text.rfind(" ", floor, stop), text.rfind("\t", floor, stop))
    return cut + 1 if cut >= 0 else stop


def analysed_length(text: str) -> int:
    """How much of ``text`` is analysed: all of it up to :data:`MAX_ANALYSED` characters,
    else up to a paragraph (or sentence...) break before that."""
    return len(text) if len(text) <= MAX_ANALYSED else _cut(text, 0, MAX_ANALYSED)


def analysis_note(document: Document) -> str | None:
    """What a user should be told about the analysis of ``document``: ``None``, or that
    only its beginning is analysed."""
    end = analysed_length(document.text)
    if end == len(document.text):
        return None
    return (f"only the first {end:,} of its {len(document.text):,} characters are analysed "
            "for people, places and statements (all of it is searchable)")


def chunks(text: str, limit: int = MAX_CHUNK) -> list[str]:
    """The texts of :func:`pieces`: ``"".join(chunks(text)) == text``."""
    return [text[a:b] for a, b in pieces(text, limit)]


def parse_runs(doc: Doc) -> list[Run]:
    """The token runs of ``doc`` (with sentence boundaries and entities) whose parse the
    extractors read:

    - around each quotation (:func:`index.quotes.find_quotations`), the sentences holding
      its opening and its closing mark, and :data:`QUOTE_BEFORE` sentences before the
      opening one: the cue, the speaker and who "he" is are read from there (the
      sentences wholly inside a long quotation are not read);
    - a name followed by a comma or a bracket and a word of office within
      :data:`APPOSITIVE_REACH` tokens: its role may be an appositive;
    - an organisation-like entity with a title word in or before it: a person the model
      took for an organisation ("Secretary of [Defence Lloyd Austin]ORG") is read from the
      parts of speech;
    - a sentence that runs over a line break, and :data:`LINES_AROUND` sentences around it.

    Speech verbs outside those sentences are not read: a statement is a quotation. On the
    development data (CoNLL++ and PolNeAR dev) the scores are those of parsing everything,
    to the third decimal; on BBC news, dense with quotations and with headlines run into
    their first sentence, three tokens in four are still parsed (the sentences across a
    line break and their neighbours are 45 % of all tokens; breaking the senter's
    sentences at line breaks instead lowered the BBC dev set's places and roles)."""
    from spacy.attrs import ENT_IOB, ENT_TYPE, IDX, SENT_START

    from index.entities_titles import is_head, is_honorific, is_title_word
    from index.quotes import find_quotations

    n = len(doc)
    if not n:
        return []
    rows = doc.to_array([IDX, SENT_START, ENT_IOB, ENT_TYPE]).tolist()
    idx = [r[0] for r in rows]
    starts = [i for i, r in enumerate(rows) if i == 0 or r[1] == 1]
    bounds = [*starts, n]

    def sentence(i: int) -> int:
        return bisect.bisect_right(starts, i) - 1

    def sentences(first: int, last: int) -> Run:
        first, last = max(0, first), min(len(starts) - 1, last)
        return bounds[first], bounds[last + 1]

    def token_at(char: int) -> int:
        return max(0, min(n - 1, bisect.bisect_right(idx, char) - 1))

    text = doc.text
    runs: list[Run] = []
    for k, a in enumerate(starts):
        b = bounds[k + 1]
        cut = text.find("\n", idx[a], idx[b - 1])
        if cut >= 0 and text[cut : idx[b - 1] + 1].strip():  # words on both sides
            runs.append(sentences(k - LINES_AROUND, k + LINES_AROUND))
    for q in find_quotations(text):
        a = sentence(token_at(q.start - 1))
        b = sentence(token_at(q.end))
        runs.append(sentences(a - QUOTE_BEFORE, a))
        runs.append(sentences(b, b))
    strings = doc.vocab.strings
    words: list[str] | None = None
    ent_start = -1
    for i, r in enumerate([*rows, [0, 0, 3, 0]]):
        if ent_start >= 0 and r[2] != 1:  # the entity that started at ent_start ends here
            label = strings[rows[ent_start][3]]
            if words is None:
                words = _token_texts(doc)
            if label in _ROLE_LABELS and i < n and words[i] in (",", "(") and any(
                is_head(w) for w in words[i + 1 : i + APPOSITIVE_REACH + 1]
            ):
                runs.append(sentences(sentence(ent_start),
                                      sentence(min(n - 1, i + APPOSITIVE_REACH))))
            elif label in _ORG_LABELS and any(
                is_title_word(w) or is_honorific(w) for w in words[max(0, ent_start - 1) : i]
            ):
                runs.append(sentences(sentence(ent_start), sentence(i - 1)))
            ent_start = -1
        if i < n and r[2] == 3:
            ent_start = i
    return runs


def _everything(doc: Doc) -> list[Run]:
    return [(0, len(doc))]


def _token_texts(doc: Doc) -> list[str]:
    from spacy.attrs import ORTH

    strings = doc.vocab.strings
    return [strings[o] for o in doc.to_array(ORTH).tolist()]


def usable_cores() -> int:
    """The cores this process may run on (its CPU affinity, where the system tells)."""
    try:
        return len(os.sched_getaffinity(0)) or 1
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def processes_for(count: int) -> int:
    """How many processes to analyse ``count`` articles in: one per usable core, but one
    per :data:`ARTICLES_PER_PROCESS` articles at most (and at least one)."""
    return max(1, min(usable_cores(), count // ARTICLES_PER_PROCESS))


class Analyser:
    """Analyses documents with one loaded model (loaded when first needed, and in this
    process only where the work runs here or in forked copies of it).

    ``batch_size`` is how many texts go through the pipeline at once; ``n_process`` > 1
    analyses in that many worker processes, worth it only for large batches (see
    :func:`processes_for`). ``selective=False`` parses every sentence (what the analyser
    did before :func:`parse_runs`; for comparisons).
    """

    def __init__(self, *, batch_size: int = 32, n_process: int = 1,
                 selective: bool = True) -> None:
        self.batch_size = batch_size
        self.n_process = n_process
        self.selective = selective

    def analyse(self, document: Document) -> Analysis:
        return next(self.analyse_many([document]))

    def analyse_many(self, documents: Iterable[Document]) -> Iterator[Analysis]:
        """Yields one :class:`Analysis` per document, in order, lazily: documents are
        taken from ``documents`` only as the analysis needs them."""
        if self.n_process > 1:
            return self._in_processes(documents)
        return _analyse(load_pipeline(), documents, self.batch_size, self.selective)

    def _in_processes(self, documents: Iterable[Document]) -> Iterator[Analysis]:
        # Forking copies the loaded model for free, but is unsafe in a process with other
        # threads running (the window's): those start fresh interpreters instead. A worker
        # that dies (or cannot start) breaks the pool, which raises here rather than hang.
        method = "fork" if threading.active_count() == 1 else "spawn"
        if method == "fork":
            load_pipeline()  # once, here: the forked workers share it
        one_blas_thread()  # for spawned workers, which load numpy afresh
        pool = ProcessPoolExecutor(self.n_process, mp_context=multiprocessing.get_context(method))
        seen: dict[str, Analysis] = {}
        in_flight: deque[tuple[list[Document], Future[list[Analysis]]]] = deque()

        def results(batch: list[Document], job: Future[list[Analysis]]) -> Iterator[Analysis]:
            fresh = iter(job.result())
            for document in batch:
                if document.sha256 and document.sha256 in seen:
                    yield seen[document.sha256]
                else:
                    analysis = next(fresh)
                    if document.sha256:
                        seen[document.sha256] = analysis
                    yield analysis

        try:
            batch: list[Document] = []
            submitted: set[str] = set()
            unique: list[Document] = []
            for document in documents:
                batch.append(document)
                if not document.sha256 or document.sha256 not in submitted:
                    unique.append(document)
                    submitted.add(document.sha256)
                if len(batch) >= WORKER_BATCH:
                    in_flight.append((batch, pool.submit(_analyse_batch, unique, self.selective)))
                    batch, unique = [], []
                    if len(in_flight) > 2 * self.n_process:
                        yield from results(*in_flight.popleft())
            if batch:
                in_flight.append((batch, pool.submit(_analyse_batch, unique, self.selective)))
            while in_flight:
                yield from results(*in_flight.popleft())
        finally:
            # Also on cancel (the caller closed us): batches not started are dropped, the
            # running ones finish (a few seconds at most) and the workers exit.
            pool.shutdown(wait=True, cancel_futures=True)


def _analyse_batch(documents: list[Document], selective: bool = True) -> list[Analysis]:
    """In a worker process: the analyses of ``documents``."""
    return list(_analyse(load_pipeline(), documents, len(documents) or 1, selective))


def _analyse(nlp: Any, documents: Iterable[Document], batch_size: int,
             selective: bool = True) -> Iterator[Analysis]:
    """Parses (selectively) and extracts, streaming, piece by piece (see the module
    docstring); a document with the bytes of an earlier one reuses its analysis."""
    from index.entities import analyse_entities
    from index.quotes import extract_statements
    from index.roles import give_roles
    from index.speakers import add_quoted_people

    pending: deque[tuple[Document, bool]] = deque()  # (document, sent to the parser)
    sent: set[str] = set()
    seen: dict[str, Analysis] = {}

    def texts() -> Iterator[tuple[str, tuple[int, int, int]]]:
        for document in documents:
            copy = bool(document.sha256) and document.sha256 in sent
            pending.append((document, not copy))
            if copy:
                continue  # its original comes first and is analysed by then
            sent.add(document.sha256)
            end = analysed_length(document.text)
            spans = pieces(document.text if end == len(document.text) else document.text[:end])
            for j, (a, b) in enumerate(spans):
                yield document.text[a:b], (j, len(spans), a)

    merged = _Merged()
    select = parse_runs if selective else _everything
    for doc, (j, n, offset) in parse(nlp, texts(), select, batch_size=batch_size):
        while not pending[0][1]:  # copies queued before this document
            yield seen[pending.popleft()[0].sha256]
        document = pending[0][0]
        if n > 1:
            # the piece as a document of its own; only the first has the dateline, and
            # (0, 0) tells the extractor not to look for one in the others
            document = replace(document, text=doc.text,
                               dateline_span=document.dateline_span if j == 0 else (0, 0))
        people, places, evidence = analyse_entities(doc, document)
        if n == 1:  # (a long document's first piece may hold little but its title)
            people = named_beyond_the_title(people, document)
        statements = extract_statements(doc, people)
        people = give_roles(doc, add_quoted_people(doc.text, people, statements), len(people))
        del doc
        if n == 1:
            analysis = Analysis(tuple(people), tuple(places), tuple(statements), tuple(evidence))
        else:
            merged.add(people, places, statements, offset, evidence)
            if j + 1 < n:
                continue
            analysis, merged = merged.analysis(), _Merged()
        document = pending.popleft()[0]
        if document.sha256:
            seen[document.sha256] = analysis
        yield analysis
    while pending:  # copies at the very end
        yield seen[pending.popleft()[0].sha256]


def named_beyond_the_title(people: list[Person], document: Document) -> list[Person]:
    """``people`` less those named in the headline alone: a headline is not a sentence
    (the model reads "Can Yahoo dominate next decade?" as naming a person), and a person the
    article never names again is no one a quotation or a "he said" can refer to."""
    title = next((b for b in document.blocks[:1] if b.kind == "title"), None)
    if title is None:
        return people
    return [p for p in people if not p.mentions or any(a >= title.end for a, _ in p.mentions)]


class _Merged:
    """The analyses of a document's pieces, offsets shifted and entries merged by name."""

    def __init__(self) -> None:
        self.people: dict[str, Person] = {}
        self.places: dict[str, Place] = {}
        self.statements: list[Statement] = []
        self.evidence: dict[tuple[str, str], NameEvidence] = {}

    def add(self, people: list[Person], places: list[Place], statements: list[Statement],
            offset: int, evidence: Iterable[NameEvidence] = ()) -> None:
        for e in evidence:
            e = replace(e, mentions=_shifted(e.mentions, offset))
            was = self.evidence.get((e.key, e.kind))
            if was is not None:
                counts = dict(was.counts)
                for f, n in e.counts:
                    counts[f] = min(CAP, counts.get(f, 0) + n)
                e = replace(was, mentions=was.mentions + e.mentions,
                            aliases=_union(was.aliases, e.aliases), role=was.role or e.role,
                            counts=tuple(sorted(counts.items())))
            self.evidence[(e.key, e.kind)] = e
        for p in people:
            p = replace(p, mentions=_shifted(p.mentions, offset))
            old = self.people.get(p.name)
            self.people[p.name] = p if old is None else replace(
                old, role=old.role or p.role, aliases=_union(old.aliases, p.aliases),
                mentions=old.mentions + p.mentions)
        for pl in places:
            pl = replace(pl, mentions=_shifted(pl.mentions, offset))
            prev = self.places.get(pl.name)
            self.places[pl.name] = pl if prev is None else replace(
                prev, kind=prev.kind or pl.kind, aliases=_union(prev.aliases, pl.aliases),
                mentions=prev.mentions + pl.mentions)
        self.statements += [replace(s, start=s.start + offset, end=s.end + offset)
                            for s in statements]

    def analysis(self) -> Analysis:
        # A surname alone ("Austin", from a piece where the full name was not written)
        # joins the one person of another piece whose name it ends.
        full: dict[str, list[str]] = {}
        for name in self.people:
            if " " in name:
                full.setdefault(name.split()[-1], []).append(name)
        people = dict(self.people)
        renamed: dict[str, str] = {}
        for name, p in self.people.items():
            owners = full.get(name, [])
            if " " in name or len(owners) != 1:
                continue
            owner = people[owners[0]]
            people[owner.name] = replace(
                owner, role=owner.role or p.role,
                aliases=_union(owner.aliases, (name, *p.aliases)),
                mentions=tuple(sorted(owner.mentions + p.mentions)))
            del people[name]
            renamed[name] = owner.name
        statements = tuple(
            replace(s, speaker=renamed[s.speaker])
            if s.speaker_kind == "person" and s.speaker in renamed else s
            for s in self.statements
        )
        return Analysis(tuple(people.values()), tuple(self.places.values()), statements,
                        tuple(self.evidence.values()))


def _shifted(spans: tuple[Span, ...], offset: int) -> tuple[Span, ...]:
    return tuple((a + offset, b + offset) for a, b in spans)


def _union(a: tuple[str, ...], b: tuple[str, ...]) -> tuple[str, ...]:
    return a + tuple(x for x in b if x not in a)
