"""Cross-article entity identity: one :class:`StoryEntity` per real actor in a story.

Each article's extractor already joined an actor's spellings into one
:class:`Entity` (name, aliases such as "the Kazakh leader", mentions). Across
articles, two entities are the same actor when they share a proper form (a
name, an acronym, an alias), when an acronym spells out the other's name
("CSTO" / "Collective Security Treaty Organization"), or when a short personal
name is the surname of exactly one longer name ("Tokayev" / "Kassym-Jomart
Tokayev"). Role descriptions ("the spokesman") alone never join two articles'
entities: too many actors share them.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from parallax.compare.context import StoryContext, load_lexicon, words
from parallax.records import Entity, EntityRef, FactRef, StoryEntity

Key = tuple[str, str]  # (article_id, entity id)


@dataclass
class EntityIndex:
    """Story entities and how to find the one an article's reference points at."""

    entities: list[StoryEntity]
    by_ref: dict[Key, StoryEntity]
    by_form: dict[str, StoryEntity]

    def resolve(self, article_id: str, ref: EntityRef | None) -> StoryEntity | None:
        if ref is None:
            return None
        if ref.entity_id is not None:
            hit = self.by_ref.get((article_id, ref.entity_id))
            if hit is not None:
                return hit
        return self.by_form.get(_form(ref.name))

    def name_of(self, article_id: str, ref: EntityRef | None) -> str | None:
        """The story-wide name of the actor a reference points at, else its own name."""
        if ref is None:
            return None
        hit = self.resolve(article_id, ref)
        return hit.name if hit is not None else (ref.name or None)


def story_entities(ctx: StoryContext) -> EntityIndex:
    """Merge the articles' entities into story entities (union-find over shared forms)."""
    lex = load_lexicon("entities")
    pronouns = set(lex["pronouns"])
    ents: dict[Key, Entity] = {}
    for aid in ctx.order:
        for e in ctx.facts[aid].entities:
            ents[(aid, e.id)] = e
    uf = _UnionFind(list(ents))
    find, union = uf.find, uf.union

    groups = _compatible_groups(lex)
    proper: dict[Key, set[str]] = {k: _proper_forms(e, pronouns) for k, e in ents.items()}
    # Pass 1: shared proper forms, within type families; then an acronym joins the
    # entity it spells out (never two spelled-out names that share initials).
    by_form: dict[tuple[int, str], list[Key]] = defaultdict(list)
    by_acronym: dict[tuple[int, str], list[Key]] = defaultdict(list)
    # Sets are walked in sorted order: the unions below depend on the order, and a
    # set's order changes from one process to the next (string hashing is salted).
    for k, forms in proper.items():
        fam = groups.get(ents[k].type, -1)
        for f in sorted(forms):
            by_form[(fam, f)].append(k)
            acro = _acronym(f, lex) if ents[k].type != "PERSON" else None
            if acro:
                by_acronym[(fam, acro)].append(k)
    for keys in by_form.values():
        for other in keys[1:]:
            union(keys[0], other)
    for fk, spelled in by_acronym.items():
        short = by_form.get(fk, [])
        if short and len({find(k) for k in spelled}) == 1:
            for k in [*spelled, *short]:
                union(short[0], k)
    # Pass 2: a personal name joins the unique longer name that contains its words and
    # ends in the same surname ("Tokayev", "President Tokayev" -> "Kassym-Jomart Tokayev").
    titles = set(lex["titles"])
    persons: dict[str, list[tuple[Key, frozenset[str]]]] = defaultdict(list)
    for k, e in ents.items():
        if e.type == "PERSON":
            for f in sorted(proper[k]):
                toks = [t for t in f.split() if t not in titles]
                if toks:
                    persons[toks[-1]].append((k, frozenset(toks)))
    for bucket in persons.values():
        for k, own in bucket:
            roots = {find(o) for o, other in bucket if own < other}
            roots.discard(find(k))
            if len(roots) == 1:
                union(k, next(iter(roots)))
    # Pass 3: an entity with only role descriptions joins one with the same description
    # in another article only when that description names a single actor story-wide.
    role_forms: dict[str, set[Key]] = defaultdict(set)
    for k, e in ents.items():
        for f in sorted(_role_forms(e, pronouns)):
            role_forms[f].add(k)
    for holders in role_forms.values():
        roots = {find(k) for k in holders}
        named = {r for r in roots if any(proper[k] for k in holders if find(k) == r)}
        if len(named) <= 1 and len(roots) > 1:
            target = next(iter(named)) if named else min(roots)
            for r in roots:
                union(r, target)
    return _build(ents, find)


class _UnionFind:
    def __init__(self, keys: list[Key]) -> None:
        self.parent = {k: k for k in keys}

    def find(self, k: Key) -> Key:
        while self.parent[k] != k:
            self.parent[k] = self.parent[self.parent[k]]
            k = self.parent[k]
        return k

    def union(self, a: Key, b: Key) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


def _build(ents: dict[Key, Entity], find: Callable[[Key], Key]) -> EntityIndex:
    pronouns = set(load_lexicon("entities")["pronouns"])
    members: dict[Key, list[Key]] = defaultdict(list)
    for k in ents:
        members[find(k)].append(k)
    out: list[StoryEntity] = []
    by_ref: dict[Key, StoryEntity] = {}
    by_form: dict[str, StoryEntity] = {}
    ordered = sorted(members.values(), key=lambda ks: (-len(ks), ks[0]))
    for i, keys in enumerate(ordered, 1):
        group = [ents[k] for k in keys]
        name = _best_name(group)
        types = Counter(e.type for e in group)
        aliases: dict[str, None] = {}
        for e in group:
            for s in [e.name, *e.aliases, *(m.text for m in e.mentions)]:
                s = s.strip()
                if s and s != name and s.lower() not in pronouns:
                    aliases.setdefault(s, None)
        se = StoryEntity(
            id=f"S-E{i}",
            name=name,
            type=types.most_common(1)[0][0],
            aliases=sorted(aliases, key=str.lower),
            refs=[FactRef(aid, eid) for aid, eid in keys],
        )
        out.append(se)
        for k in keys:
            by_ref[k] = se
        for s in [name, *se.aliases]:
            by_form.setdefault(_form(s), se)
    return EntityIndex(out, by_ref, by_form)


def _best_name(group: Iterable[Entity]) -> str:
    """A full name (not shouted in capitals) most articles use, then the most complete one."""
    counts = Counter(e.name for e in group if e.name)
    if not counts:
        return ""
    return max(
        counts, key=lambda n: (n[:1].isupper(), not n.isupper(), len(n.split()) > 1, counts[n], len(n.split()), len(n))
    )


def _form(text: str) -> str:
    toks = words(text)
    if toks and toks[0] == "the":
        toks = toks[1:]
    if toks and toks[-1] == "'s":
        toks = toks[:-1]
    if len(toks) > 1 and all(len(t) == 1 for t in toks):
        return "".join(toks)  # "C.I.A." is "CIA"
    return " ".join(t[:-2] if t.endswith("'s") else t for t in toks)


def _is_proper(text: str) -> bool:
    # A name capitalizes every word but "of/the/and": "the United Nations" is one,
    # "the Russia-led bloc" and "the Kazakh president" are descriptions.
    skip = set(load_lexicon("entities")["acronym_skip"])
    toks = [t for t in text.strip().split() if t.lower() not in skip]
    return bool(toks) and all(t[:1].isupper() or t[:1].isdigit() for t in toks)


def _proper_forms(e: Entity, pronouns: set[str]) -> set[str]:
    out = set()
    for s in [e.name, *e.aliases, *(m.text for m in e.mentions)]:
        if _is_proper(s) and _form(s) not in pronouns:
            f = _form(s)
            if f:
                out.add(f)
    return out


def _role_forms(e: Entity, pronouns: set[str]) -> set[str]:
    out = set()
    for s in [*e.aliases, *(m.text for m in e.mentions)]:
        f = _form(s)
        if f and f not in pronouns and not _is_proper(s):
            out.add(f)
    return out


def _acronym(form: str, lex: dict[str, Any]) -> str | None:
    skip = set(lex["acronym_skip"])
    toks = [t for t in form.split() if t not in skip]
    if len(toks) < 2:
        return None
    return "".join(t[0] for t in toks)


def _compatible_groups(lex: dict[str, Any]) -> dict[str, int]:
    out: dict[str, int] = {}
    for i, fam in enumerate(lex["compatible_types"]):
        for t in fam:
            out[t] = i
    return out
