"""People and places in one article.

spaCy finds the names; this module makes them right, in a few passes over the tokens of
the parsed ``Doc`` (linear in its length; token facts are read once into lists):

1. **Candidates** from spaCy's entities, cleaned to the bare name: a leading "the",
   honorifics and titles ("Mr", "Secretary of Defence"), nationality words, a trailing
   possessive or number are cut off; a name never runs across a line break or a spaced
   dash. Nationality words ("Japanese"), lower-case words and table headings
   ("Attendance") are not names. A person the model took for an organisation together
   with their title ("Secretary of [Defence Lloyd Austin]ORG") is recovered.
2. **Lists the model reads badly**: results lists ("Pete Sampras ( U.S. ) beat ..."),
   initials ("P. Simmons"), team sheets and leaderboards where the model knows some of the
   people, and places named by the words before them ("the outskirts of Arbil").
3. **Gazetteer** (:mod:`index.gazetteer`): every known place name in the text is a place,
   also where the model missed or mislabelled it, with its canonical name ("U.S." ->
   United States) and kind. In ALL-CAPS headlines and datelines, where the model reads
   badly, names are matched in capitals and the model's people are not trusted.
4. **One label per name** in a document: a word that is part of a person's longer name
   ("Wang" of "Wang Donghai") is that person; otherwise the label the model gave the name
   most often, with the gazetteer and place words ("in Tavildara") as votes.
5. **Sports reports**: a city or county that is not where something happens is a team
   ("Leicestershire beat Somerset"), not a place; countries stay places.
6. **People** are merged: "Austin" and "Mr Austin" join "Lloyd Austin". Roles come from
   the title before the name ("US Secretary of State Antony Blinken", "Pole vaulter Yelena
   Isinbayeva"), an appositive ("Rishi Sunak, the prime minister"), a description before
   the name and a comma ("PwC's global chief executive, Samuel DiPiazza"), else a
   description that refers back to the person ("... The 32-year-old Spaniard came through",
   "said the American").
7. **Every occurrence** of a name known in the document (a person's full name or surname,
   a place) is a mention, including those the model missed.
8. The **dateline**'s place ("WASHINGTON –", "LONDON 1996-08-30") is always a mention.

Mentions are the name itself ("Austin" in "Mr Austin"), in reading order.

This module runs the passes; they live in :mod:`index.candidates` (1, 2),
:mod:`index.places` (3-5, 7-8 for places), :mod:`index.people` (6-7 for people) and
:mod:`index.roles`, on the token facts of :mod:`index.entity_text`; the cues for
:mod:`index.evidence` are collected in :mod:`index.entity_cues`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from index.candidates import _candidates
from index.entity_cues import _evidence
from index.entity_text import (
    PERSON,
    PLACE,
    _Text,
)
from index.model import Document, NameEvidence, Person, Place
from index.people import _people
from index.places import (
    _dateline,
    _gazetteer_pass,
    _is_sports,
    _places,
    _places_in_names,
    _teams,
    _vote,
)

if TYPE_CHECKING:
    from spacy.tokens import Doc


def extract_entities(doc: Doc, document: Document) -> tuple[list[Person], list[Place]]:
    """The people and places named in ``document`` (whose parsed text is ``doc``)."""
    people, places, _ = analyse_entities(doc, document)
    return people, places


def analyse_entities(
    doc: Doc, document: Document
) -> tuple[list[Person], list[Place], list[NameEvidence]]:
    """The people and places named in ``document`` (whose parsed text is ``doc``), and what
    the article shows about each name it uses, for :mod:`index.evidence`."""
    t = _Text(doc, document.text)
    cands = _gazetteer_pass(t, _candidates(t))
    _dateline(t, document, cands)
    _vote(t, cands)
    _places_in_names(t, cands)
    sports = _is_sports(t.text)
    if sports:
        _teams(t, cands)
    cands.sort(key=lambda c: (c.start, -c.end))
    people = _people(t, [c for c in cands if c.kind == PERSON], cands)
    places = _places(t, [c for c in cands if c.kind == PLACE], cands)
    listed = {t.char_span(c.start, c.end) for c in cands if c.listed and c.kind == PERSON}
    return people, places, _evidence(t, people, places, cands, sports, listed)

