"""Entities: people, organizations, places and groups, one identity per article.

spaCy's NER proposes names; rules from ``lexicons/entities_en.json`` fix its labels
(a name after a person title is a PERSON, a demonym before a title is NORP), link
spellings (surname to full name, acronym to long name), role descriptions ("the
Kazakh leader" to the president), generic descriptions ("the Russia-led bloc" to the
treaty organization) and personal pronouns (see :mod:`parallax.extract.coref`).

Every mention keeps its span in the analysis text. The canonical name is the
longest proper name of the cluster.
"""

from __future__ import annotations

import bisect
import functools
import re
from dataclasses import dataclass
from typing import Any

from parallax.extract.base import ExtractionContext, Extractor
from parallax.extract.coref import resolve_pronouns
from parallax.extract.textspans import (
    Cluster,
    EntityMention,
    Paragraphs,
    QuoteIndex,
    find_quotes,
)
from parallax.lexicons import load as read_lexicon
from parallax.records import Entity, Mention


@dataclass(frozen=True)
class EntityLexicon:
    person_titles: tuple[str, ...]
    role_synonyms: dict[str, tuple[str, ...]]
    org_generic_heads: dict[str, tuple[str, ...]]
    group_heads: tuple[str, ...]
    org_keywords: frozenset[str]
    person_pronouns: frozenset[str]
    keep_labels: dict[str, str]
    demonym_suffixes: tuple[str, ...]
    description_modifiers: frozenset[str]
    title_prefix: re.Pattern[str]
    title_before: re.Pattern[str]
    title_after: re.Pattern[str]
    role_description: re.Pattern[str]
    generic_description: re.Pattern[str]


def _alt(words: Any) -> str:
    """Regex alternation, longest first so that 'secretary-general' beats 'secretary'."""
    items = sorted({w for w in words if w}, key=len, reverse=True)
    if not items:
        raise ValueError("empty word group would match everything")
    return "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in items)


@functools.cache
def load_lexicon(language: str = "en") -> EntityLexicon:
    """The entity rules for ``language`` (cached)."""
    raw = read_lexicon(f"entities_{language}.json")
    titles = tuple(raw["person_titles"])
    heads = dict(raw["org_generic_heads"])
    group_heads = tuple(raw["group_heads"])
    mods = frozenset(raw["description_modifiers"])
    t = _alt(titles)
    stop = _alt(raw["not_modifiers"])
    mod_word = r"(?:(?!(?:" + stop + r")\b)[A-Z][\w.’'\-]*|[a-z]+(?:-[a-z]+)+|" + _alt(mods) + r")"
    return EntityLexicon(
        person_titles=titles,
        role_synonyms={k: tuple(v) for k, v in raw["role_synonyms"].items()},
        org_generic_heads={k: tuple(v) for k, v in heads.items()},
        group_heads=group_heads,
        org_keywords=frozenset(raw["org_keywords"]),
        person_pronouns=frozenset(raw["person_pronouns"]),
        keep_labels=dict(raw["keep_labels"]),
        demonym_suffixes=tuple(raw["demonym_suffixes"]),
        description_modifiers=mods,
        # "Kazakh President ", "special representative for Central Asia, ", "Deputy Foreign Minister "
        title_prefix=re.compile(
            r"^(?P<mods>(?:" + mod_word + r"\s+){0,3})(?P<title>" + t + r")\.?\s+(?=[A-Z])", re.IGNORECASE
        ),
        title_before=re.compile(
            r"(?P<mods>(?:" + mod_word + r"\s+){0,3})(?P<title>" + t + r")\.?"
            r"(?:\s+(?:for|of|to|at)\s+(?:the\s+)?(?:[A-Z][\w.\-’']*\s*){1,4})?,?\s+$",
            re.IGNORECASE,
        ),
        # ", the UN spokesman", ", spokesman for ..."
        title_after=re.compile(
            r"^\s*,\s+(?:the\s+|a\s+|an\s+)?(?P<mods>(?:"
            + mod_word
            + r"\s+){0,3})(?P<title>"
            + t
            + r")(?![\w\-])",
            re.IGNORECASE,
        ),
        role_description=re.compile(
            r"(?:\b(?P<det>[Tt]he)\s+)?(?P<mods>(?:" + mod_word + r"\s+){0,3})(?P<title>" + t + r")(?![\w\-])"
        ),
        generic_description=re.compile(
            r"(?:\b(?P<det>[Tt]he)\s+(?:[a-z]+\s+)?)?(?P<mods>(?:"
            + mod_word
            + r"\s+){0,3})(?P<head>"
            + _alt(list(heads) + list(group_heads))
            + r")(?![\w\-])"
        ),
    )


def _norm(text: str) -> str:
    text = re.sub(r"[’']s$", "", text.strip())
    text = re.sub(r"^(?:the|The)\s+", "", text)
    return re.sub(r"\s+", " ", text).lower()


def _initials(name: str) -> str:
    words = [
        w
        for w in re.split(r"[\s\-]+", name)
        if w and w.lower() not in {"of", "the", "and", "for", "on", "in"}
    ]
    return "".join(w[0] for w in words if w[0].isalpha()).upper()


class EntityExtractor(Extractor):
    """People, organizations, places and groups with all their mentions."""

    name = "entities"
    version = "1"
    assigns = ("entities",)

    def __init__(self, language: str = "en") -> None:
        self.lex = load_lexicon(language)

    def __call__(self, ctx: ExtractionContext) -> None:
        text = ctx.text
        paras = Paragraphs(text)
        quotes = QuoteIndex(find_quotes(text, paras))
        builder = _Builder(ctx, self.lex, paras, quotes)
        builder.names()
        builder.acronyms()
        builder.role_descriptions()
        builder.generic_descriptions()
        resolve_pronouns(ctx.doc, builder.clusters, self.lex.person_pronouns, quotes, paras)
        ctx.entities.extend(builder.entities(self.tag))


class _Builder:
    def __init__(
        self, ctx: ExtractionContext, lex: EntityLexicon, paras: Paragraphs, quotes: QuoteIndex
    ) -> None:
        self.ctx = ctx
        self.text = ctx.text
        self.lex = lex
        self.paras = paras
        self.quotes = quotes
        self.clusters: list[Cluster] = []
        self.by_key: dict[tuple[str, str], Cluster] = {}  # (kind, normalized text) -> cluster
        self.by_surname: dict[str, Cluster | None] = {}  # None: two people share it
        self.by_acronym: dict[str, Cluster] = {}
        self.taken: list[tuple[int, int]] = []  # name spans, so descriptions don't overlap them
        self.title_set = frozenset(t.lower() for t in lex.person_titles)
        self._org_cache: dict[str, list[tuple[Cluster, list[int]]]] = {}
        self.ner_starts = {t.idx for t in ctx.doc if t.ent_type_}

    # ------------------------------------------------------------------ names

    def names(self) -> None:
        pending: list[tuple[EntityMention, str, set[str], set[str]]] = []
        for ent in self.ctx.doc.ents:
            label = self.lex.keep_labels.get(ent.label_)
            if label is None:
                continue
            start, end = self._trim(ent.start_char, ent.end_char)
            if end - start < 2 or re.search(r"\s[/\-—–|]\s", self.text[start:end]):
                continue  # "UNITED NATIONS / ALMATY - Kazakh": a dateline run together, not a name
            prefix = self.lex.title_prefix.match(self.text[start:end])
            if prefix is not None and label in ("PERSON", "ORG", "NORP", "GPE"):
                start += prefix.end()  # "Kazakh President Kassym-Jomart Tokayev": the title is not the name
            text = self.text[start:end]
            if not any(c.isupper() for c in text):
                continue
            label, roles, mods = self._relabel(ent, label, start, end, text)
            if label == "":
                continue
            root = ent.root
            m = EntityMention(
                start,
                end,
                text,
                "name",
                subject=root.dep_ in ("nsubj", "nsubjpass")
                or (root.dep_ == "appos" and root.head.dep_ in ("nsubj", "nsubjpass")),
                in_quote=self.quotes.containing(start) is not None,
            )
            pending.append((m, label, roles, mods))
        # full names first, so that a bare surname finds its person
        pending.sort(key=lambda p: -len(p[0].text.split()))
        for m, label, roles, mods in pending:
            cluster = self._find_name_cluster(m.text, label)
            if cluster is None:
                cluster = Cluster(label)
                self.clusters.append(cluster)
            self._add_name(cluster, m, label)
            cluster.roles |= roles
            cluster.modifiers |= mods
            if roles:
                cluster.person_votes += 1
            if label in ("PERSON", "ORG"):
                self.taken.append((m.start, m.end))  # places and nationalities may sit inside descriptions
        for c in self.clusters:
            if c.person_votes and c.type in ("ORG", "GROUP"):
                c.type = "PERSON"

    def _trim(self, start: int, end: int) -> tuple[int, int]:
        text = self.text
        pend = self.paras.bounds(start)[1]
        end = min(end, pend)
        m = re.match(r"(?:the|The)\s+", text[start:end])
        if m:
            start += m.end()
        while end > start and text[end - 1] in " \n\t.,;:'’\"”“-—":
            end -= 1
        if text[start:end].endswith(("’s", "'s")):
            end -= 2
        while start < end and text[start] in " \n\t\"“”'‘’(-—":
            start += 1
        return start, end

    def _relabel(
        self, ent: Any, label: str, start: int, end: int, text: str
    ) -> tuple[str, set[str], set[str]]:
        lex = self.lex
        roles: set[str] = set()
        mods: set[str] = set()
        words = text.split()
        lower_words = {w.lower().strip(".,") for w in words}
        has_org_word = bool(lower_words & lex.org_keywords)
        pstart, pend = self.paras.bounds(start)
        before = self.text[max(pstart, start - 90) : start]
        after = self.text[end : min(pend, end + 90)]
        mb = lex.title_before.search(before)
        ma = lex.title_after.match(after)
        for match in (mb, ma):
            if match is None:
                continue
            title = re.sub(r"\s+", " ", match.group("title").lower())
            words = [w.lower() for w in match.group("mods").split() if w.lower() != "the"]
            roles.add(title)
            # "Prime Minister X": the modifiers may be part of the title ("prime minister", "foreign minister")
            for i in range(len(words)):
                roles.add(" ".join([*words[i:], title]))
            mods |= set(words)
        root = ent.root
        single = len(ent) == 1
        if single and not text.isupper() and root.pos_ != "PROPN":
            return (
                "",
                set(),
                set(),
            )  # a capitalized common word at a sentence start ("Law and order", "Protests")
        if single and not text.isupper() and label in ("ORG", "PERSON", "GPE"):
            head = root.head
            if (
                root.dep_ in ("compound", "amod")
                and head.i >= ent.end
                and (head.lower_ in self.title_set or head.lower_ in lex.group_heads or head.pos_ == "NOUN")
                and text.lower().endswith(lex.demonym_suffixes)
            ):
                return "NORP", set(), set()
        if label == "NORP" and single and root.head.i >= ent.end and root.head.lower_ in self.title_set:
            return "NORP", set(), set()
        if roles and not has_org_word and label in ("ORG", "PERSON", "GPE", "NORP") and not text.isupper():
            return "PERSON", roles, mods
        if label == "PERSON" and has_org_word:
            return "ORG", set(), set()
        return label, (roles if label == "PERSON" else set()), (mods if label == "PERSON" else set())

    def _find_name_cluster(self, text: str, label: str) -> Cluster | None:
        key = _norm(text)
        for kind in (label, "PERSON", "ORG", "NORP", "GPE", "LOC"):
            c = self.by_key.get((kind, key))
            if c is not None:
                return c
        words = key.split()
        if len(words) == 1 and label in ("PERSON", "ORG", "GPE", "NORP"):
            c2 = self.by_surname.get(key)
            if c2 is not None:
                return c2
            if text.isupper() or label == "ORG":
                c3 = self.by_acronym.get(text.upper())
                if c3 is not None:
                    return c3
        if len(words) > 1 and label == "PERSON":
            c4 = self.by_surname.get(words[-1])
            if c4 is not None and any(
                _norm(m.text).split()[0] == words[0] for m in c4.mentions if len(m.text.split()) > 1
            ):
                return c4
        return None

    def _add_name(self, cluster: Cluster, m: EntityMention, label: str) -> None:
        mixed_case = cluster.mentions and not m.text.isupper()
        if mixed_case and cluster.type != label and all(x.text.isupper() for x in cluster.mentions):
            cluster.type = label  # "ACCRA" in a dateline fools the tagger; "Accra" in the text does not
        cluster.mentions.append(m)
        key = _norm(m.text)
        self.by_key.setdefault((cluster.type if cluster.type == label else label, key), cluster)
        self.by_key.setdefault((cluster.type, key), cluster)
        words = re.split(r"[\s]+", key)
        if label == "PERSON" and len(words) > 1:
            surname = words[-1]
            if surname in self.by_surname and self.by_surname[surname] is not cluster:
                self.by_surname[surname] = None
            else:
                self.by_surname[surname] = cluster
        if label == "ORG" and len(words) > 1:
            ini = _initials(m.text)
            if len(ini) >= 2:
                self.by_acronym.setdefault(ini, cluster)

    # ------------------------------------------------------------------ acronyms

    def acronyms(self) -> None:
        """ "Collective Security Treaty Organization (CSTO)": the bracketed acronym names the org."""
        ends = {m.end: c for c in self.clusters for m in c.mentions}
        for match in re.finditer(r"\(\s*([A-Z][A-Za-z0-9&.]{1,9})\s*\)", self.text):
            acr = match.group(1)
            if not acr.isupper():
                continue
            before = match.start()
            while before > 0 and self.text[before - 1] == " ":
                before -= 1
            owner = ends.get(before)
            if owner is None:
                continue
            owner.acronyms.add(acr)
            other = self.by_acronym.get(acr)
            if other is not None and other is not owner:
                self._merge(owner, other)
            self.by_acronym[acr] = owner
            if not any(m.start == match.start(1) for m in owner.mentions):
                owner.mentions.append(EntityMention(match.start(1), match.end(1), acr, "acronym"))
                self.taken.append((match.start(1), match.end(1)))
        # every later use of a declared acronym, tagged or not ("by the CSTO of the troop deployment")
        declared = {a: c for c in self.clusters for a in c.acronyms}
        if declared:
            seen = {(m.start, m.end) for c in self.clusters for m in c.mentions}
            pattern = re.compile(r"(?<![\w-])(?:" + _alt(declared) + r")(?![\w-])")
            for match in pattern.finditer(self.text):
                span = (match.start(), match.end())
                if span not in seen:
                    owner3 = declared[match.group()]
                    owner3.mentions.append(EntityMention(span[0], span[1], match.group(), "acronym"))
                    self.taken.append(span)
        # bare acronyms the NER tagged separately ("CSTO" as its own cluster)
        for c in list(self.clusters):
            if len(c.mentions) and all(m.text.isupper() and " " not in m.text for m in c.mentions):
                owner2 = self.by_acronym.get(c.mentions[0].text)
                if owner2 is not None and owner2 is not c and c in self.clusters:
                    self._merge(owner2, c)

    def _merge(self, keep: Cluster, gone: Cluster) -> None:
        keep.mentions.extend(gone.mentions)
        keep.roles |= gone.roles
        keep.modifiers |= gone.modifiers
        keep.acronyms |= gone.acronyms
        keep.person_votes += gone.person_votes
        if gone in self.clusters:
            self.clusters.remove(gone)
        for k, v in list(self.by_key.items()):
            if v is gone:
                self.by_key[k] = keep
        for k2, v2 in list(self.by_acronym.items()):
            if v2 is gone:
                self.by_acronym[k2] = keep
        for k3, v3 in list(self.by_surname.items()):
            if v3 is gone:
                self.by_surname[k3] = keep

    # ------------------------------------------------------------------ descriptions

    def role_descriptions(self) -> None:
        """ "the Kazakh president", "Kazakh leader", "the spokesman": link to a person with that role."""
        people = [c for c in self.clusters if c.type == "PERSON" and c.roles]
        if not people:
            return
        taken = _SpanSet(self.taken)
        for match in self.lex.role_description.finditer(self.text):
            det = match.group("det")
            mods_text = match.group("mods")
            title = re.sub(r"\s+", " ", match.group("title").lower())
            start, end = match.start(), match.end()
            if det is None and not any(w[:1].isupper() for w in mods_text.split()):
                continue
            if not match.group("title")[:1].islower() and det is None:
                continue  # "Kazakh President Tokayev": a title before a name, not a description
            nxt = self.text[end : end + 3]
            if re.match(r"\s+[A-Z]", nxt) or re.match(r"[’']s\b", nxt) is None and nxt.startswith(" of"):
                continue
            if taken.overlaps(start, end):
                continue
            mods = {w.lower() for w in mods_text.split()}
            wanted = {title, *self.lex.role_synonyms.get(title, ())}
            best: tuple[int, int, Cluster] | None = None
            for c in people:
                if not (c.roles & wanted):
                    continue
                if (
                    mods
                    and c.modifiers
                    and not (mods & c.modifiers)
                    and (mods - self.lex.description_modifiers)
                ):
                    continue
                score = len(mods & c.modifiers)
                before = [m.start for m in c.mentions if m.start < start]
                recency = max(before) if before else -c.first
                if best is None or (score, recency) > (best[0], best[1]):
                    best = (score, recency, c)
            if best is None:
                continue
            m_start = (
                match.start("det") if det else match.start("mods") if mods_text else match.start("title")
            )
            m = EntityMention(
                m_start,
                end,
                self.text[m_start:end],
                "description",
                in_quote=self.quotes.containing(start) is not None,
            )
            m.subject = self._is_subject(end)
            best[2].mentions.append(m)
            taken.add(m_start, end)

    def generic_descriptions(self) -> None:
        """ "the Russia-led bloc" -> the treaty organization; "Kazakh authorities" -> a group."""
        taken = _SpanSet(
            self.taken + [(m.start, m.end) for c in self.clusters for m in c.mentions if m.kind != "name"]
        )
        made: dict[str, Cluster] = {}
        for match in self.lex.generic_description.finditer(self.text):
            det = match.group("det")
            mods_text = match.group("mods")
            head = match.group("head").lower()
            start, end = match.start(), match.end()
            capital_mod = self._named_modifier(match.start("mods"), mods_text)
            if det is None and not capital_mod:
                continue
            if taken.overlaps(start, end):
                continue
            keywords = self.lex.org_generic_heads.get(head)
            m_start = match.start("det") if det else match.start("mods") if mods_text else match.start("head")
            target: Cluster | None = None
            if keywords:
                best: tuple[int, Cluster] | None = None
                for c, starts in self._orgs_for(head, keywords):
                    i = bisect.bisect_left(starts, start)
                    recency = starts[i - 1] if i else -starts[0]
                    if best is None or recency > best[0]:
                        best = (recency, c)
                target = best[1] if best else None
            if target is None:
                if head not in self.lex.group_heads or not (capital_mod or len(mods_text.split()) >= 1):
                    continue
                key = _norm(mods_text + head)
                target = made.get(key)
                if target is None:
                    for k, c in made.items():
                        if k.endswith(head) and (
                            set(k.split()) <= set(key.split()) or set(key.split()) <= set(k.split())
                        ):
                            target = c
                            break
                if target is None:
                    kind = "GROUP" if head.endswith("s") or head in ("police", "military") else "ORG"
                    target = Cluster(kind)
                    self.clusters.append(target)
                made[key] = target
            m = EntityMention(
                m_start,
                end,
                self.text[m_start:end],
                "description",
                in_quote=self.quotes.containing(start) is not None,
            )
            m.subject = self._is_subject(end)
            target.mentions.append(m)
            taken.add(m_start, end)

    def _named_modifier(self, offset: int, mods_text: str) -> bool:
        """A modifier that names someone ("Kazakh authorities"), not a capitalized first word ("Flooding forces")."""
        for w in re.finditer(r"\S+", mods_text):
            word = w.group()
            if word[:1].isupper() and (
                offset + w.start() in self.ner_starts or word.lower() in self.lex.description_modifiers
            ):
                return True
        return False

    def _orgs_for(self, head: str, keywords: tuple[str, ...]) -> list[tuple[Cluster, list[int]]]:
        """Organizations whose name fits a generic head, with their sorted mention starts (cached)."""
        if head not in self._org_cache:
            found = []
            for c in self.clusters:
                if c.type != "ORG":
                    continue
                names = " ".join(_norm(m.text) for m in c.mentions if m.kind == "name")
                if any(k in names for k in keywords):
                    found.append((c, sorted(m.start for m in c.mentions)))
            self._org_cache[head] = found
        return self._org_cache[head]

    def _is_subject(self, end: int) -> bool:
        span = self.ctx.doc.char_span(max(0, end - 1), end, alignment_mode="expand")
        return bool(span is not None and len(span) and span[-1].dep_ in ("nsubj", "nsubjpass"))

    # ------------------------------------------------------------------ output

    def entities(self, tag: str) -> list[Entity]:
        out: list[Entity] = []
        clusters = [c for c in self.clusters if c.mentions]
        clusters.sort(key=lambda c: c.first)
        for c in clusters:
            mentions = sorted({(m.start, m.end): m for m in c.mentions}.values(), key=lambda m: m.start)
            names = [m.text for m in mentions if m.kind == "name"]
            if names:
                canonical = max(names, key=lambda n: (len(n.split()), len(n)))
            elif any(m.kind == "acronym" for m in mentions):
                canonical = next(m.text for m in mentions if m.kind == "acronym")
            else:
                canonical = re.sub(r"^(?:the|The)\s+", "", max((m.text for m in mentions), key=len))
            aliases: list[str] = []
            for m in mentions:
                if m.kind == "pronoun" or m.text == canonical or m.text in aliases:
                    continue
                aliases.append(m.text)
            out.append(
                Entity(
                    id=f"E{len(out) + 1}",
                    name=canonical,
                    type=c.type,
                    mentions=[Mention(m.text, m.start, m.end) for m in mentions],
                    aliases=aliases,
                    extractor=tag,
                )
            )
        return out


class _SpanSet:
    """Spans already claimed; overlap test by bisect (descriptions never cover names)."""

    def __init__(self, spans: list[tuple[int, int]]) -> None:
        self.spans = sorted(spans)

    def overlaps(self, start: int, end: int) -> bool:
        i = bisect.bisect_left(self.spans, (end, end))
        # spans are short (names), so a few steps back cover every candidate
        for j in range(i - 1, max(-1, i - 6), -1):
            s, e = self.spans[j]
            if s < end and start < e:
                return True
        return False

    def add(self, start: int, end: int) -> None:
        bisect.insort(self.spans, (start, end))
