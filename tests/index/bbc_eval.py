"""Scores the analyser against hand-annotated BBC articles (``tests/data/bbc``).

    python tests/index/bbc_eval.py [--set dev|test|all] [--predictions FILE.jsonl] [--errors]

The gold files and the metrics are described in ``tests/data/bbc/README.md``. Without
``--predictions`` the analyser is run once, as ``python -m index analyze --json FILE...``
over every file of the set, so that it may use evidence across the articles given together.
``--errors`` lists the mistakes article by article, for the dev set only: the test set is
held out and only its aggregate figures are printed.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import subprocess
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[2]
GOLD_DIR = REPO / "tests" / "data" / "bbc"
#: The corpus lives beside the repository, in the shared folder (never copied in).
CORPUS = REPO.parent / "shared" / "corpus" / "bbc"
SETS = ("dev", "test")

Gold = dict[str, Any]
Prediction = dict[str, Any]


class GoldMismatch(Exception):
    """A gold file no longer describes the corpus file it names."""


# --- loading -------------------------------------------------------------------------


def load_gold(set_name: str, gold_dir: Path = GOLD_DIR) -> list[Gold]:
    """The gold annotations of one set, in file-name order."""
    files = sorted((gold_dir / set_name).glob("*.json"))
    return [json.loads(f.read_text(encoding="utf-8")) for f in files]


def check_corpus(gold: Iterable[Gold], corpus: Path = CORPUS) -> None:
    """Raises :class:`GoldMismatch` when a corpus file is missing or its bytes changed."""
    for g in gold:
        path = corpus / g["file"]
        if not path.is_file():
            raise GoldMismatch(f"{path}: missing (the gold file names it)")
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
        if digest != g["sha256"]:
            raise GoldMismatch(
                f"{path}: sha256 {digest} differs from the annotated {g['sha256']}; "
                "the annotation no longer fits the file"
            )


def run_analyser(paths: Sequence[Path], python: str = sys.executable) -> list[Prediction]:
    """Runs ``python -m index analyze --json`` once over ``paths``; one dict per file."""
    proc = subprocess.run(
        [python, "-m", "index", "analyze", "--json", *map(str, paths)],
        cwd=REPO, capture_output=True, text=True, encoding="utf-8", check=False,
    )
    if proc.returncode != 0:
        raise RuntimeError(f"analyze failed ({proc.returncode}): {proc.stderr.strip()}")
    return [json.loads(line) for line in proc.stdout.splitlines() if line.strip()]


def load_predictions(path: Path) -> list[Prediction]:
    lines = path.read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


def file_key(path: str) -> str:
    """``.../bbc/business/454.txt`` -> ``business/454.txt``, the key gold files use."""
    parts = Path(path).parts
    return "/".join(parts[-2:])


# --- normalising names and roles -----------------------------------------------------

HONORIFICS = frozenset({
    "mr", "mrs", "ms", "miss", "dr", "sir", "dame", "lord", "lady", "prof", "professor",
    "rev", "mister", "madam",
})
#: Words that change what a role means; a prediction that drops or adds one is wrong.
ROLE_MODIFIERS = frozenset({
    "shadow", "former", "ex", "deputy", "acting", "vice", "co", "interim", "assistant",
    "junior", "late",
})
STOPWORDS = frozenset({
    "the", "a", "an", "of", "in", "at", "for", "to", "and", "on", "by", "with", "from",
    "'s", "its", "his", "her", "their",
})


def name_key(name: str) -> str:
    """Lower case, no possessive, no punctuation, no honorifics: "Mr O'Neill's" -> "oneill"."""
    s = name.lower().replace("’", "'")
    s = re.sub(r"'s\b", "", s)
    s = re.sub(r"[^\w\s-]", "", s).replace("-", " ")
    words = [w for w in s.split() if w not in HONORIFICS]
    return " ".join(words)


def _names(entity: dict[str, Any]) -> set[str]:
    keys = {name_key(n) for n in [entity.get("name") or "", *entity.get("aliases", [])]}
    keys.discard("")
    return keys


def _surname(name: str) -> str:
    words = name_key(name).split()
    return words[-1] if words else ""


def role_key(role: str) -> str:
    s = role.lower().replace("’", "'").strip()
    s = re.sub(r"[^\w\s'-]", " ", s)
    s = re.sub(r"^(the|a|an)\s+", "", s.strip())
    return " ".join(s.split())


def _content(role: str) -> list[str]:
    return [w for w in re.split(r"[\s-]+", role) if w and w not in STOPWORDS]


def _token_f1(a: list[str], b: list[str]) -> float:
    if not a or not b:
        return 0.0
    common = sum(min(a.count(w), b.count(w)) for w in set(a))
    if not common:
        return 0.0
    p, r = common / len(b), common / len(a)
    return 2 * p * r / (p + r)


def _one(role: str) -> str:
    """Each word in the singular ("judges" -> "judge"): a title shared by several people
    ("Judges Simon Cowell, Louis Walsh and Sharon Osbourne") is each one's."""
    return " ".join(w[:-1] if len(w) > 3 and w.endswith("s") and not w.endswith("ss") else w
                    for w in role.split())


def role_matches(gold: str, predicted: str) -> bool:
    """Equal, or one contains the other (on word boundaries), or content-word token F1
    of at least 0.6 — after lower-casing, dropping a leading article and putting each word
    in the singular ("Judges" is "Judge"). Never when one
    carries a modifier ("shadow", "former", "deputy", ...) the other lacks: "chancellor"
    is not "shadow chancellor"."""
    g, p = _one(role_key(gold)), _one(role_key(predicted))
    if not g or not p:
        return False
    gw, pw = set(re.split(r"[\s-]+", g)), set(re.split(r"[\s-]+", p))
    if (gw ^ pw) & ROLE_MODIFIERS:
        return False
    if g == p or f" {g} " in f" {p} " or f" {p} " in f" {g} ":
        return True
    return _token_f1(_content(g), _content(p)) >= 0.6


def predicted_roles(person: dict[str, Any]) -> list[str]:
    """The analyser gives one ``role``; a list under ``roles`` is accepted too."""
    roles = list(person.get("roles") or [])
    if person.get("role"):
        roles.append(person["role"])
    return roles


# --- matching ------------------------------------------------------------------------


def _overlap(a: Sequence[int], b: Sequence[int]) -> int:
    return max(0, min(a[1], b[1]) - max(a[0], b[0]))


def match_entities(gold: list[dict[str, Any]], pred: list[dict[str, Any]]) -> dict[int, int]:
    """One-to-one matching of predicted to gold entities: ``{gold index: pred index}``.

    A pair is a candidate when a predicted mention overlaps a gold mention of that entity,
    or when their names/aliases share a normalised form. Candidates are taken greedily,
    the pair with most overlapping mentions (then a shared name) first.
    """
    pairs = []
    for gi, g in enumerate(gold):
        gnames = _names(g)
        for pi, p in enumerate(pred):
            shared = sum(
                1 for gm in g.get("mentions", []) for pm in p.get("mentions", [])
                if _overlap(gm, pm) > 0
            )
            named = bool(gnames & _names(p))
            if shared or named:
                pairs.append((-shared, -int(named), gi, pi))
    pairs.sort()
    out: dict[int, int] = {}
    used: set[int] = set()
    for _, _, gi, pi in pairs:
        if gi not in out and pi not in used:
            out[gi] = pi
            used.add(pi)
    return out


def match_spans(gold: list[dict[str, Any]], pred: list[dict[str, Any]]) -> dict[int, int]:
    """One-to-one matching of statements by overlapping spans, largest overlap first."""
    pairs = []
    for gi, g in enumerate(gold):
        for pi, p in enumerate(pred):
            n = _overlap((g["start"], g["end"]), (p["start"], p["end"]))
            if n > 0:
                pairs.append((-n, gi, pi))
    pairs.sort()
    out: dict[int, int] = {}
    used: set[int] = set()
    for _, gi, pi in pairs:
        if gi not in out and pi not in used:
            out[gi] = pi
            used.add(pi)
    return out


def speaker_right(statement: dict[str, Any], predicted: dict[str, Any] | None,
                  gold_people: list[dict[str, Any]],
                  pred_people: list[dict[str, Any]]) -> bool:
    """Whether the predicted speaker of a matched statement is right.

    A named gold speaker is right when the predicted speaker shares the surname (last
    token) or a normalised name/alias with the gold person. A gold speaker that is not a
    named person (``speaker`` null) is right when the prediction names no person: no
    speaker, a speaker kind other than ``person``, and neither the name nor the surname
    of a person in the gold or the predicted people of the article.
    """
    if predicted is None:
        return False
    said = predicted.get("speaker")
    if statement.get("speaker"):
        if not said:
            return False
        person = next((p for p in gold_people if p["name"] == statement["speaker"]),
                      {"name": statement["speaker"]})
        names = _names(person)
        return name_key(said) in names or _surname(said) in {_surname(n) for n in names}
    if not said:
        return True
    if predicted.get("speaker_kind") == "person":
        return False
    key = name_key(said)
    for p in [*gold_people, *pred_people]:
        names = _names(p)
        if key in names or _surname(key) in {_surname(n) for n in names}:
            return False
    return True


# --- scoring -------------------------------------------------------------------------


@dataclass
class Count:
    """Matched / gold / predicted counts, for precision, recall and F1."""

    matched_gold: int = 0
    matched_pred: int = 0
    gold: int = 0
    pred: int = 0

    @property
    def precision(self) -> float:
        return self.matched_pred / self.pred if self.pred else 1.0

    @property
    def recall(self) -> float:
        return self.matched_gold / self.gold if self.gold else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def add(self, gold: int, pred: int, matched: int) -> None:
        self.gold += gold
        self.pred += pred
        self.matched_gold += matched
        self.matched_pred += matched


@dataclass
class Ratio:
    right: int = 0
    total: int = 0

    @property
    def value(self) -> float:
        return self.right / self.total if self.total else 1.0


@dataclass
class Scores:
    people: Count = field(default_factory=Count)
    places: Count = field(default_factory=Count)
    quotes: Count = field(default_factory=Count)
    roles: Ratio = field(default_factory=Ratio)
    speakers: Ratio = field(default_factory=Ratio)
    named_speakers: Ratio = field(default_factory=Ratio)
    articles: int = 0
    errors: dict[str, list[str]] = field(default_factory=dict)

    def figures(self) -> dict[str, float]:
        """The headline figures, by name (the test's floors use these names)."""
        return {
            "people_p": self.people.precision, "people_r": self.people.recall,
            "people_f1": self.people.f1,
            "places_p": self.places.precision, "places_r": self.places.recall,
            "places_f1": self.places.f1,
            "roles": self.roles.value,
            "quotes_p": self.quotes.precision, "quotes_r": self.quotes.recall,
            "quotes_f1": self.quotes.f1,
            "speakers": self.speakers.value, "named_speakers": self.named_speakers.value,
        }


def _snippet(text: str, limit: int = 50) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def score_article(gold: Gold, pred: Prediction, scores: Scores) -> None:
    """Adds one article's counts to ``scores`` and records its errors."""
    errors: list[str] = []
    gp, pp = gold["people"], pred.get("people", [])
    people = match_entities(gp, pp)
    scores.people.add(len(gp), len(pp), len(people))
    errors += [f"missed person: {gp[i]['name']}" for i in range(len(gp)) if i not in people]
    matched_pred = set(people.values())
    errors += [f"spurious person: {p['name']}" for i, p in enumerate(pp) if i not in matched_pred]

    for gi, g in enumerate(gp):
        if not g.get("roles"):
            continue
        scores.roles.total += 1
        got = predicted_roles(pp[people[gi]]) if gi in people else []
        if any(role_matches(r, q) for r in g["roles"] for q in got):
            scores.roles.right += 1
        else:
            errors.append(f"role of {g['name']}: wanted {g['roles']}, got {got or None}")

    gl, pl = gold["places"], pred.get("places", [])
    places = match_entities(gl, pl)
    scores.places.add(len(gl), len(pl), len(places))
    errors += [f"missed place: {gl[i]['name']}" for i in range(len(gl)) if i not in places]
    matched_pl = set(places.values())
    errors += [f"spurious place: {p['name']}" for i, p in enumerate(pl) if i not in matched_pl]

    gs, ps = gold["statements"], pred.get("statements", [])
    quotes = match_spans(gs, ps)
    scores.quotes.add(len(gs), len(ps), len(quotes))
    for gi, g in enumerate(gs):
        predicted = ps[quotes[gi]] if gi in quotes else None
        right = speaker_right(g, predicted, gp, pp)
        if predicted is not None:
            scores.speakers.total += 1
            scores.speakers.right += right
        if g.get("speaker"):
            scores.named_speakers.total += 1
            scores.named_speakers.right += right
        if predicted is None:
            errors.append(f"missed quote at {g['start']}")
        elif not right:
            wanted = g.get("speaker") or f"(not a named person: {g.get('speaker_text')})"
            errors.append(
                f"speaker at {g['start']}: wanted {wanted}, got {predicted.get('speaker')}"
                f" [{predicted.get('speaker_kind')}] «{_snippet(predicted.get('text', ''))}»"
            )
    matched_q = set(quotes.values())
    errors += [
        f"spurious quote at {p['start']}: «{_snippet(p.get('text', ''))}»"
        for i, p in enumerate(ps) if i not in matched_q
    ]
    scores.articles += 1
    scores.errors[gold["file"]] = errors


def score(gold: list[Gold], predictions: list[Prediction]) -> Scores:
    """Scores predictions (matched to gold by ``file``) against gold; an article the
    predictions lack counts as one where nothing was found."""
    by_file = {file_key(p["file"]): p for p in predictions}
    scores = Scores()
    for g in gold:
        score_article(g, by_file.get(g["file"], {}), scores)
    return scores


def evaluate(set_names: Sequence[str], predictions: list[Prediction] | None = None,
             corpus: Path = CORPUS) -> dict[str, Scores]:
    """Scores each named set; runs the analyser once over all of them unless given
    ``predictions``."""
    gold = {name: load_gold(name) for name in set_names}
    everything = [g for name in set_names for g in gold[name]]
    check_corpus(everything, corpus)
    if predictions is None:
        predictions = run_analyser([corpus / g["file"] for g in everything])
    return {name: score(gold[name], predictions) for name in set_names}


# --- reporting -----------------------------------------------------------------------


def table(results: dict[str, Scores]) -> str:
    head = f"{'set':<5} {'n':>3} | {'people P/R/F1':<17} | {'places P/R/F1':<17} | " \
           f"{'roles':>5} | {'quotes P/R/F1':<17} | {'speakers':>8} | {'named':>5}"
    lines = [head, "-" * len(head)]
    for name, s in results.items():
        def prf(c: Count) -> str:
            return f"{c.precision:.3f} {c.recall:.3f} {c.f1:.3f}"
        lines.append(
            f"{name:<5} {s.articles:>3} | {prf(s.people):<17} | {prf(s.places):<17} | "
            f"{s.roles.value:>5.3f} | {prf(s.quotes):<17} | {s.speakers.value:>8.3f} | "
            f"{s.named_speakers.value:>5.3f}"
        )
    lines.append(
        "counts: " + "; ".join(
            f"{name}: {s.people.gold} people, {s.places.gold} places, {s.roles.total} with "
            f"roles, {s.quotes.gold} quotes ({s.named_speakers.total} by named people)"
            for name, s in results.items()
        )
    )
    return "\n".join(lines)


def error_listing(scores: Scores) -> str:
    lines = []
    for file, errors in scores.errors.items():
        if errors:
            lines.append(f"{file}:")
            lines += [f"  {e}" for e in errors]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--set", choices=[*SETS, "all"], default="all")
    parser.add_argument("--predictions", type=Path,
                        help="JSON lines as `python -m index analyze --json` prints them")
    parser.add_argument("--errors", action="store_true",
                        help="list each dev article's mistakes (never the held-out test set's)")
    args = parser.parse_args(argv)
    names = list(SETS) if args.set == "all" else [args.set]
    predictions = load_predictions(args.predictions) if args.predictions else None
    try:
        results = evaluate(names, predictions)
    except GoldMismatch as exc:
        print(f"bbc_eval: {exc}", file=sys.stderr)
        return 2
    print(table(results))
    if args.errors and "dev" in results:
        print()
        print(error_listing(results["dev"]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
