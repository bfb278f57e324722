"""Cues of quoted speech: the speech verbs (in every form, the pipeline has no lemmatizer),
whether a token is a cue, and the parse repairs that find a cue's subject (see
:mod:`index.quotes`)."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token


# Vocabulary. The pipeline runs without the lemmatizer, so verbs are listed in every form.

_CUE_STEMS = {
    # base: (third person, past, participle/gerund...)
    "say": ("says", "said", "saying"),
    "add": ("adds", "added", "adding"),
    "tell": ("tells", "told", "telling"),
    "respond": ("responds", "responded", "responding"),
    "reply": ("replies", "replied", "replying"),
    "answer": ("answers", "answered", "answering"),
    "warn": ("warns", "warned", "warning"),
    "write": ("writes", "wrote", "written", "writing"),
    "state": ("states", "stated", "stating"),
    "explain": ("explains", "explained", "explaining"),
    "declare": ("declares", "declared", "declaring"),
    "insist": ("insists", "insisted", "insisting"),
    "claim": ("claims", "claimed", "claiming"),
    "argue": ("argues", "argued", "arguing"),
    "ask": ("asks", "asked", "asking"),
    "note": ("notes", "noted", "noting"),
    "continue": ("continues", "continued", "continuing"),
    "recall": ("recalls", "recalled", "recalling"),
    "announce": ("announces", "announced", "announcing"),
    "tweet": ("tweets", "tweeted", "tweeting"),
    "post": ("posts", "posted", "posting"),
    "joke": ("jokes", "joked", "joking"),
    "quip": ("quips", "quipped", "quipping"),
    "admit": ("admits", "admitted", "admitting"),
    "acknowledge": ("acknowledges", "acknowledged", "acknowledging"),
    "suggest": ("suggests", "suggested", "suggesting"),
    "predict": ("predicts", "predicted", "predicting"),
    "promise": ("promises", "promised", "promising"),
    "vow": ("vows", "vowed", "vowing"),
    "urge": ("urges", "urged", "urging"),
    "call": ("calls", "called", "calling"),
    "describe": ("describes", "described", "describing"),
    "insist_": (),
    "observe": ("observes", "observed", "observing"),
    "remark": ("remarks", "remarked", "remarking"),
    "comment": ("comments", "commented", "commenting"),
    "conclude": ("concludes", "concluded", "concluding"),
    "shout": ("shouts", "shouted", "shouting"),
    "yell": ("yells", "yelled", "yelling"),
    "cry": ("cries", "cried", "crying"),
    "exclaim": ("exclaims", "exclaimed", "exclaiming"),
    "mutter": ("mutters", "muttered", "muttering"),
    "complain": ("complains", "complained", "complaining"),
    "concede": ("concedes", "conceded", "conceding"),
    "confirm": ("confirms", "confirmed", "confirming"),
    "deny": ("denies", "denied", "denying"),
    "assert": ("asserts", "asserted", "asserting"),
    "report": ("reports", "reported", "reporting"),
    "testify": ("testifies", "testified", "testifying"),
    "emphasize": ("emphasizes", "emphasized", "emphasizing"),
    "emphasise": ("emphasises", "emphasised", "emphasising"),
    "stress": ("stresses", "stressed", "stressing"),
    "boast": ("boasts", "boasted", "boasting"),
    "caution": ("cautions", "cautioned", "cautioning"),
    "counter": ("counters", "countered", "countering"),
    "retort": ("retorts", "retorted", "retorting"),
    "reiterate": ("reiterates", "reiterated", "reiterating"),
    "tout": ("touts", "touted", "touting"),
    "agree": ("agrees", "agreed", "agreeing"),
    "recount": ("recounts", "recounted", "recounting"),
    "pledge": ("pledges", "pledged", "pledging"),
    "mock": ("mocks", "mocked", "mocking"),
    "blast": ("blasts", "blasted", "blasting"),
    "slam": ("slams", "slammed", "slamming"),
    "charge": ("charges", "charged", "charging"),
    "accuse": ("accuses", "accused", "accusing"),
    "quote": ("quotes", "quoted", "quoting"),
    "read": ("reads",),
    "proclaim": ("proclaims", "proclaimed", "proclaiming"),
}
CUE_WORDS = frozenset(
    w for base, forms in _CUE_STEMS.items() if not base.endswith("_") for w in (base, *forms)
)
#: Cue words that are also common nouns or adjectives; they count only when tagged as verbs.
_VERB_ONLY = frozenset({"call", "calls", "post", "posts", "state", "states", "note", "notes",
                        "report", "reports", "read", "comment", "comments", "counter",
                        "quote", "quotes", "charge", "charges", "stress", "remark", "remarks",
                        "claim", "claims", "answer", "cry", "blast", "promise", "tweet",
                        "tweets", "warning", "joke", "jokes", "reply", "vow", "vows",
                        "continuing"})
_TITLES = frozenset({
    "mr", "mrs", "ms", "miss", "dr", "prof", "professor", "sir", "dame", "lord", "lady",
    "president", "sen", "senator", "rep", "representative", "gov", "governor", "mayor",
    "judge", "gen", "general", "col", "colonel", "capt", "captain", "rev", "reverend",
    "secretary", "minister", "chancellor", "premier", "prime", "vice", "pope", "king",
    "queen", "prince", "princess", "speaker", "chairman", "chairwoman", "chief", "candidate",
    "nominee", "former", "the", "republican", "democratic", "democrat", "gop", "u.s.", "us",
})
_HONORIFICS = frozenset({"mr", "mrs", "ms", "miss", "dr", "sir", "dame", "lord", "lady",
                         "prof", "professor", "rev", "sen", "rep", "gov"})
_PERSON_PRONOUNS = frozenset({"he", "she", "him", "her", "i"})
_GROUP_PRONOUNS = frozenset({"they", "them", "we", "us"})
_ORG_HINTS = frozenset({"ORG", "GPE", "NORP"})
_EXPLETIVES = frozenset({"it", "there", "this", "that"})
_BAD_SUBJECT = frozenset({"DATE", "TIME", "CARDINAL", "ORDINAL", "PERCENT", "MONEY",
                          "QUANTITY"})


def _is_cue(tok: Token) -> bool:
    low = tok.lower_
    if low not in CUE_WORDS:
        return False
    if low in _VERB_ONLY or tok.tag_.startswith("NN"):
        return tok.pos_ in ("VERB", "AUX")
    return True


def _subject_of(verb: Token, inside: list[bool]) -> Token | None:
    """The subject of ``verb`` (climbing through xcomp/advcl/conj to a governing verb)."""
    v: Token | None = verb
    for step in range(4):
        if v is None:
            break
        for c in v.children:
            if c.dep_ in ("nsubj", "nsubjpass") and not inside[c.i]:
                if c.tag_ in ("WP", "WDT") and v.dep_ == "relcl":
                    return v.head  # "Smith, who said …"
                if c.ent_type_ in _BAD_SUBJECT:
                    continue
                if step and c.lower_ in _EXPLETIVES:
                    continue  # "Davis said it was not possible … and urged": not "it"
                return c
        if v.dep_ == "pcomp" and v.head.dep_ == "prep":  # "… before asking her"
            v = v.head.head
            continue
        if v.dep_ in ("xcomp", "conj", "advcl", "ccomp", "acl") and v.head is not v:
            # "began saying", "and said", "saying" attached to a verb
            if v.dep_ == "acl" and v.head.pos_ in ("NOUN", "PROPN", "PRON"):
                return v.head if not inside[v.head.i] else None
            v = v.head
        else:
            break
    return None


def _noun_phrase(tok: Token, inside: list[bool]) -> Span:
    """The phrase headed by ``tok``: its left modifiers, compounds and coordination."""
    doc = tok.doc
    left = tok.i
    for c in tok.lefts:
        if c.dep_ in ("det", "compound", "amod", "nummod", "poss", "nmod", "quantmod",
                      "punct") and not inside[c.i]:
            left = min(left, c.left_edge.i)
    right = tok.i
    for c in tok.rights:
        if c.dep_ in ("conj", "cc", "compound", "flat") and not inside[c.i]:
            right = max(right, c.right_edge.i if c.dep_ == "conj" else c.i)
    while right > left and doc[right].is_punct:
        right -= 1
    while left < right and (doc[left].is_punct or doc[left].ent_type_ in _BAD_SUBJECT):
        left += 1  # "on Tuesday Mr Ebbers": the date is not part of the name
    return doc[left : right + 1]


def _clause_subject(first: Token, colon: Token, inside: list[bool]) -> Token | None:
    """The subject of the clause that ends in ``colon`` (the root of ``first``'s sentence
    part), if that clause has a verb."""
    t = colon.head if colon.head.i != colon.i else colon
    for _ in range(4):
        if t.pos_ in ("VERB", "AUX"):
            for ch in t.children:
                if ch.dep_ in ("nsubj", "nsubjpass") and not inside[ch.i]:
                    return ch
        if t.head.i == t.i:
            break
        t = t.head
    return None


def _across_paragraphs(doc: Doc, i: int, j: int) -> bool:
    """Whether a paragraph break lies between tokens ``i`` and ``j`` (a headline the parser
    ran into the first sentence)."""
    lo, hi = min(i, j), max(i, j)
    return hi - lo < 200 and any(doc[k].is_space and "\n" in doc[k].text for k in range(lo, hi))


def _subject_in_paragraph(verb: Token, inside: list[bool]) -> Token | None:
    """The nearest subject before ``verb`` in its own paragraph, for a parse that hung the
    verb on a headline ("Blair blasts …¶ Tony Blair has launched an attack …, saying")."""
    doc = verb.doc
    name = None  # else the nearest name of a person ("Tony Blair", parsed as an apposition)
    hung = None  # else a noun hung on the headline ("Jackson film …¶ A PR expert has told")
    for k in range(verb.i - 1, max(verb.i - 60, -1), -1):
        t = doc[k]
        if t.is_space and "\n" in t.text:
            break
        if inside[k]:
            continue
        if t.dep_ in ("nsubj", "nsubjpass"):
            return t
        if name is None and t.pos_ == "PROPN" and t.ent_type_ == "PERSON" \
                and t.dep_ not in ("compound", "flat", "poss"):
            name = t
        if t.pos_ in ("NOUN", "PROPN") and t.head.i < k and "\n" in doc[t.head.i:k].text:
            hung = t
    return name or hung


def _gerund_subject(verb: Token, inside: list[bool]) -> Token | None:
    """"footage of Trump saying, “…”": the name right before a gerund with no subject of
    its own says it, whatever the parse hangs the gerund on."""
    if verb.tag_ != "VBG" or verb.i == 0 or any(
        c.dep_ in ("nsubj", "nsubjpass") for c in verb.children
    ):
        return None
    prev = verb.doc[verb.i - 1]
    if inside[prev.i] or prev.pos_ != "PROPN" or prev.ent_type_ not in ("PERSON", ""):
        return None
    return prev


def _nearest_name(verb: Token, inside: list[bool], between: list[int],
                  after: bool) -> Token | None:
    """A name or pronoun next to a cue verb whose parse gave it no usable subject: between
    the quotation and the verb (",” Mr X said"), else right after it (",” said Mr X"), else
    (for a cue before the quotation) before it."""
    doc = verb.doc
    if after:
        order = list(reversed(between)) + list(range(verb.i + 1, min(verb.i + 6, len(doc))))
    else:
        order = list(range(verb.i - 1, max(verb.i - 8, -1), -1))
    for i in order:
        if inside[i]:
            continue
        t = doc[i]
        if t.ent_type_ in _BAD_SUBJECT:
            continue
        if t.pos_ in ("PROPN", "PRON") and t.lower_ not in ("it", "that", "this", "me", "you"):
            while t.dep_ in ("compound", "flat") and t.head.i > t.i and not inside[t.head.i]:
                t = t.head
            return t
        if t.is_punct and t.text in ".;":
            break
    return None
