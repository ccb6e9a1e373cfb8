"""Attribution cues learned from PolNeAR: which verbs attribute a statement, belief or stance.

Speech verbs ("said", "told") are found by the rules in :mod:`parallax.extract.quotes`.
Attribution corpora (PolNeAR, PARC) also count a long tail of verbs that report a
position without speech ("backing", "thanked", "slams", "would vote for"): no lexicon
lists them all, so a logistic regression over parse features decides for each verb
whether it is such a cue. The model is plain JSON (feature weights, bias, threshold)
shipped as package data; :mod:`parallax.train.cues` trains it on PolNeAR's training
part and records the command and the data version inside the file.
"""

from __future__ import annotations

import functools
import json
import math
from dataclasses import dataclass
from importlib import resources
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from spacy.tokens import Token

#: dependents that carry what a cue verb attributes (its content)
CONTENT_DEPS = frozenset({"ccomp", "xcomp", "dobj", "prep", "dative", "attr", "oprd", "acomp", "advcl"})
_PERSON_PRONOUNS = frozenset({"i", "we", "he", "she", "they", "you", "who"})


def cue_features(tok: Token, *, in_quote: bool, lexicon_kind: str | None) -> list[str]:
    """Sparse features of a candidate cue token (a verb)."""
    lemma = tok.lemma_.lower()
    feats = [
        "bias",
        f"lemma={lemma}",
        f"tag={tok.tag_}",
        f"dep={tok.dep_}",
        f"lemma_dep={lemma}|{tok.dep_}",
        f"lex={lexicon_kind}",
        f"in_quote={in_quote}",
    ]
    subj = None
    has_content = False
    for child in tok.children:
        dep = child.dep_
        if dep in ("nsubj", "nsubjpass", "csubj"):
            subj = child
            feats.append(f"child={dep}")
        elif dep == "prep":
            feats.append(f"prep={child.lower_}")
            feats.append(f"lemma_prep={lemma}|{child.lower_}")
            has_content = True
        elif dep in CONTENT_DEPS:
            feats.append(f"child={dep}")
            feats.append(f"lemma_child={lemma}|{dep}")
            has_content = has_content or child.i > tok.i
        elif dep in ("neg", "aux", "auxpass", "agent", "mark"):
            feats.append(f"child={dep}")
    if subj is None and tok.dep_ in ("acl", "relcl", "conj", "xcomp", "advcl"):
        feats.append(f"inherits_subject={tok.dep_}")
    if subj is not None:
        s = subj.lower_
        ent = subj.ent_type_ or "none"
        feats.append(f"subj_ent={ent}")
        feats.append(f"subj_pos={subj.pos_}")
        if subj.pos_ == "PRON":
            feats.append(f"subj_pron={s}")
            feats.append(f"subj_person={s in _PERSON_PRONOUNS}")
        feats.append(f"lemma_subj={lemma}|{ent if ent != 'none' else subj.pos_}")
    feats.append(f"has_content={has_content}")
    head = tok.head
    if head is not tok:
        feats.append(f"head_lemma={head.lemma_.lower()}")
        feats.append(f"head_pos={head.pos_}")
    return feats


@dataclass(frozen=True)
class CueModel:
    weights: dict[str, float]
    bias: float
    threshold: float
    meta: dict[str, Any]

    def probability(self, features: list[str]) -> float:
        z = self.bias + sum(self.weights.get(f, 0.0) for f in features)
        if z < -30:
            return 0.0
        return 1.0 / (1.0 + math.exp(-z))


@functools.cache
def load_cue_model(language: str = "en") -> CueModel | None:
    """The shipped cue model for ``language``, or None where none was trained."""
    try:
        raw = resources.files("parallax.extract").joinpath(f"models/cues_{language}.json").read_text("utf-8")
    except (FileNotFoundError, OSError):
        return None
    data = json.loads(raw)
    return CueModel(
        weights={str(k): float(v) for k, v in data["weights"].items()},
        bias=float(data["bias"]),
        threshold=float(data["threshold"]),
        meta=dict(data.get("meta", {})),
    )
