"""Voices: whom each outlet quotes or cites, counted per story entity, with a role.

A voice is the speaker of a quote (direct or indirect), the speaker nested
inside another's quote, or the story entity a figure is attributed to. Only
people and organizations speak: a speaker whose story entity has another type
(a place, a date) or that was never resolved to an entity and has no name or
person noun ("firefighting efforts", "the initial death tally") is no voice. The
role (official, ministry, international-body, witness, expert, other) comes from
the lexicon's words found in the speaker's title ("Attorney General Anne
Lopez"), name, aliases and the words written next to its mentions ("Stephane
Dujarric, the UN spokesman"); the longest matching term wins, and
``role_evidence`` keeps the words it was read from.
"""

from __future__ import annotations

import re
from collections import defaultdict

from parallax.compare.context import StoryContext, load_lexicon, normalize_phrase
from parallax.compare.entities import EntityIndex
from parallax.records import EntityRef, FactRef, StoryEntity, Voice

#: Characters read on each side of a mention for an appositive role word.
WINDOW = 80
_CLAUSE = re.compile(r"[.;:!?\"“”,()]|\s[-–—/]\s")


def count_voices(ctx: StoryContext, index: EntityIndex) -> list[Voice]:
    """One :class:`Voice` per (outlet, speaker), most quoted first within each outlet."""
    lex = load_lexicon("voices")
    kinds = set(lex["speaker_types"])
    statement_kinds = set(load_lexicon("statements")["statement_attributions"])
    person_nouns = set(lex["person_nouns"])
    refs: dict[tuple[str, str], list[FactRef]] = defaultdict(list)
    names: dict[str, str] = {}
    entity_of: dict[str, StoryEntity | None] = {}
    context: dict[str, list[str]] = defaultdict(list)

    def add(aid: str, ref: EntityRef | None, fact_id: str, raw_text: str | None) -> None:
        if ref is None or not (ref.name or ref.entity_id):
            return
        ent = index.resolve(aid, ref)
        if ent is not None and ent.type not in kinds:
            return
        if ent is None and not _names_someone(ref.name, person_nouns):
            return
        key = ent.id if ent is not None else normalize_phrase(ref.name)
        if not key:
            return
        names[key] = ent.name if ent is not None else ref.name
        entity_of[key] = ent
        refs[(ctx.outlet_of[aid], key)].append(FactRef(aid, fact_id))
        if raw_text:
            context[key].append(raw_text)

    for aid in ctx.counted_articles():
        facts = ctx.facts[aid]
        for q in facts.quotes:
            if q.attribution not in statement_kinds:
                continue  # "Feinberg oversaw the fund": a stance is no one speaking
            add(aid, q.speaker, q.id, q.speaker_text)
            if q.nested_speaker is not None:
                add(aid, q.nested_speaker, q.id, None)
        for c in facts.claims:
            # A figure's source counts only when it is a known actor: a figure "attributed"
            # to a noun of its own sentence ("fatalities were reported") is no voice.
            if c.attributed_to is not None and c.quote_id is None and index.resolve(aid, c.attributed_to):
                add(aid, c.attributed_to, c.id, None)
    companies = _companies(ctx, index)
    roles = {key: _role(ctx, names[key], entity_of[key], context[key], companies) for key in names}
    out = []
    for (outlet, key), fact_refs in refs.items():
        ent = entity_of[key]
        role, evidence = roles[key]
        out.append(
            Voice(
                outlet=outlet, speaker=names[key], role=role, count=len(fact_refs), refs=_dedupe(fact_refs),
                entity_id=ent.id if ent is not None else None, type=ent.type if ent is not None else None,
                role_evidence=evidence,
            )
        )
    order = {o: i for i, o in enumerate(ctx.outlets)}
    out.sort(key=lambda v: (order.get(v.outlet or "", len(order)), -v.count, v.speaker))
    return out


def role_of(texts: list[str], *, person: bool = False) -> str:
    """The role whose longest term occurs in any of ``texts`` (ties: lexicon order)."""
    return role_with_evidence(texts, person=person)[0]


def role_with_evidence(texts: list[str], *, person: bool = False) -> tuple[str, str | None]:
    """The role and the text it was read from ("other", None when no term matches)."""
    lex = load_lexicon("voices")
    order = lex["person_order" if person else "order"]
    padded = [(f" {normalize_phrase(t)} ", t) for t in texts if t]
    best: tuple[int, int, str, str] | None = None  # (-term words, order, role, evidence)
    for rank, role in enumerate(order):
        for term in lex["roles"][role]:
            needle = f" {normalize_phrase(term)} "
            if not needle.strip():
                continue
            hit = next((raw for p, raw in padded if needle in p), None)
            if hit is None:
                continue
            key = (-len(needle.split()), rank, str(role), hit.strip())
            if best is None or key[:2] < best[:2]:
                best = key
    return (best[2], best[3]) if best is not None else ("other", None)


def _names_someone(name: str, person_nouns: set[str]) -> bool:
    """An unresolved speaker phrase names someone: a capitalized name or a person noun at its head."""
    toks = name.split()
    if not toks:
        return False
    if any(t[:1].isupper() for t in toks[1:]) or toks[0][:1].isupper() and len(toks) == 1:
        return True
    return normalize_phrase(toks[-1]) in person_nouns


def _role(
    ctx: StoryContext, name: str, ent: StoryEntity | None, extra: list[str], companies: set[str]
) -> tuple[str, str | None]:
    texts = [name, *extra]
    if ent is not None:
        texts += [*ent.aliases, *_appositives(ctx, ent)]
    person = ent is not None and ent.type == "PERSON"
    if ent is not None and normalize_phrase(ent.name) in companies:
        return "company", ent.name
    if person:
        # "BP chairman Carl-Henric Svanberg", "an adviser to BP": a title tied to one of the story's
        # companies is a company role, whatever the title word alone would say
        titles = "|".join(load_lexicon("voices")["company_titles"])
        for t in texts:
            norm = normalize_phrase(t)
            for c in companies:
                tied = re.search(
                    rf"(?:^|\s){re.escape(c)}(?:'s)?\s+(?:{titles})\b|\b(?:{titles})\s+(?:of|for|to|at|with)\s+(?:the\s+)?{re.escape(c)}(?:\s|$)",
                    norm,
                )
                if tied is None:
                    continue
                # the title must be the speaker's own: right before the name, or an appositive ("an adviser to BP")
                surname = normalize_phrase(name).split()[-1:]
                before = norm[: tied.start()].split()[-1:]
                # "BP chairman" right before the name; not "talks with BP executives"
                right_before = tied.end() >= len(norm) and not set(before) & {"with", "to", "at", "from", "of", "by", "and"}
                if (
                    right_before
                    or norm.startswith(("a ", "an ", "the "))
                    or any(w in norm[tied.end() :].split()[:3] for w in surname)
                ):
                    return "company", t
    role, evidence = role_with_evidence(texts, person=person)
    if role == "other" and person:
        # "said Iyad Ali, 37": a private person is introduced by age, an official by title
        age = next((t for t in texts if re.fullmatch(r"\s*\d{1,3}\s*", t or "")), None)
        if age is not None:
            return "witness", f"{name}, {age.strip()}"
    return role, evidence


def _companies(ctx: StoryContext, index: EntityIndex) -> set[str]:
    """The story's companies, normalized: organizations whose name or aliases carry a company word
    ("BP Plc", "the oil giant"), with their shorter forms ("bp")."""
    words_ = {normalize_phrase(w) for w in load_lexicon("voices")["company_words"]}
    out: set[str] = set()
    for ent in index.entities:
        if ent.type != "ORG":
            continue
        forms = [ent.name, *ent.aliases]
        if any(f" {w} " in f" {normalize_phrase(f)} " for f in forms for w in words_):
            for f in forms:
                norm = normalize_phrase(f)
                toks = [t for t in norm.split() if t not in words_ and t != "the"]
                if toks and f[:1].isupper():
                    out.add(" ".join(toks))
                    out.add(norm)
    return out


#: words of the longest title set off by a comma next to a name ("the special representative for
#: Central Asia, Natalia Gherman" has 6); longer is a clause ("Under pressure from President Obama,
#: BP agreed on Wednesday to set up a $20 billion fund"), not a title
MAX_TITLE_WORDS = 8


def _appositives(ctx: StoryContext, ent: StoryEntity) -> list[str]:
    """What the text says an actor is, next to its mentions.

    The words just before a mention in its clause ("UN Secretary-General Antonio
    Guterres"), a comma-set phrase right after it ("Stephane Dujarric, the UN
    spokesman") and the comma-set phrase right before it ("the special
    representative for Central Asia, Natalia Gherman").
    """
    skip = set(load_lexicon("voices")["not_appositive"])
    out = []
    for ref in ent.refs[:10]:
        facts = ctx.facts.get(ref.article_id)
        entity = next((e for e in facts.entities if e.id == ref.fact_id), None) if facts else None
        if entity is None:
            continue
        article = ctx.articles[ref.article_id]
        for m in entity.mentions[:10]:
            text = article.field_text(m.field, m.field_index)
            before = text[max(0, m.start - WINDOW) : m.start]
            after = text[m.end : m.end + WINDOW]
            out.append(" ".join(_CLAUSE.split(before)[-1].split()[-3:]))
            if after.startswith(","):
                phrase = _CLAUSE.split(after[1:])[0].strip()
                if (
                    phrase
                    and len(phrase.split()) <= MAX_TITLE_WORDS
                    and phrase.split()[0].lower() not in skip
                    and not _relational(phrase)
                ):
                    out.append(phrase)
            if before.rstrip().endswith(","):
                pieces = _CLAUSE.split(before.rstrip()[:-1])
                # a title is a short noun phrase; a long stretch is the clause the speaker said
                # ("BP agreed to set up a $20 billion fund ..., President Barack Obama said")
                if pieces and pieces[-1].strip() and len(pieces[-1].split()) <= MAX_TITLE_WORDS:
                    out.append(pieces[-1])
                elif pieces and (tail := _definite_tail(pieces[-1])):
                    # "a call between the special representative for Central Asia, Natalia Gherman":
                    # the clause is long, its last definite noun phrase is the title
                    out.append(tail)
    return out


def _definite_tail(clause: str) -> str | None:
    """The clause's last words from its last "the", when they are few enough to be a title."""
    words = clause.split()
    for i in range(len(words) - 1, max(-1, len(words) - MAX_TITLE_WORDS - 1), -1):
        if words[i].lower() == "the":
            return " ".join(words[i:]) if i < len(words) - 1 else None
    return None


def _relational(phrase: str) -> bool:
    """"the daughter of former Vice President Dick Cheney" names someone else's role."""
    lex = load_lexicon("voices")
    relations = set(lex["relation_words"])
    return any(t in relations for t in normalize_phrase(phrase).split())


def _dedupe(refs: list[FactRef]) -> list[FactRef]:
    return list(dict.fromkeys(refs))
