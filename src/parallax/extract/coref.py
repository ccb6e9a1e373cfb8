"""Personal-pronoun coreference by rules (no coreference model is available offline).

A third-person personal pronoun outside quotation marks refers to the most recent
person who was a grammatical subject within the last two paragraphs, else to the
most recent person mentioned there. Mentions inside quotations are not
antecedents for narrative pronouns (a quote's "he" is someone the speaker talks
about). One sweep over the pronouns and the sorted mentions: linear in the text.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from parallax.extract.textspans import Cluster, EntityMention, Paragraphs, QuoteIndex

if TYPE_CHECKING:
    from spacy.tokens import Doc

#: how many paragraphs back an antecedent may be
MAX_PARAGRAPH_DISTANCE = 2


def resolve_pronouns(
    doc: Doc,
    clusters: list[Cluster],
    pronouns: frozenset[str],
    quotes: QuoteIndex,
    paragraphs: Paragraphs | None = None,
) -> int:
    """Attach each resolvable personal pronoun to its person cluster; returns how many."""
    paras = paragraphs or Paragraphs(doc.text)
    antecedents = sorted(
        (
            (m.start, c, m.subject)
            for c in clusters
            if c.type == "PERSON"
            for m in c.mentions
            if not m.in_quote
        ),
        key=lambda a: a[0],
    )
    if not antecedents:
        return 0
    last_subject: tuple[int, Cluster] | None = None  # (paragraph index, cluster)
    last_any: tuple[int, Cluster] | None = None
    k = 0
    resolved = 0
    for tok in doc:
        if tok.lower_ not in pronouns:
            continue
        start = tok.idx
        while k < len(antecedents) and antecedents[k][0] < start:
            a_start, a_cluster, a_subject = antecedents[k]
            pi = paras.index(a_start)
            last_any = (pi, a_cluster)
            if a_subject:
                last_subject = (pi, a_cluster)
            k += 1
        if quotes.containing(start) is not None:
            continue
        here = paras.index(start)
        target = None
        for cand in (last_subject, last_any):
            if cand is not None and here - cand[0] <= MAX_PARAGRAPH_DISTANCE:
                target = cand[1]
                break
        if target is None:
            continue
        subject = tok.dep_ in ("nsubj", "nsubjpass")
        target.mentions.append(
            EntityMention(start, start + len(tok.text), tok.text, "pronoun", subject=subject)
        )
        resolved += 1
        if subject:
            last_subject = (here, target)
        last_any = (here, target)
    return resolved
