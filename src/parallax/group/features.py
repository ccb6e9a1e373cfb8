"""What the grouper knows about one article: terms, names, places, dates, an embedding.

Names and places come from :class:`~parallax.records.ArticleFacts` when the caller
has them. Without facts (evaluation data, or a quick run) they come from the
article's own text: spaCy NER through :func:`parallax.nlp.load_nlp` (``ner="spacy"``),
or a cheap capitalised-phrase finder (``ner="capitalized"``; names only, no places).
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from importlib import resources
from typing import TYPE_CHECKING, Any

import numpy as np
from sklearn.feature_extraction.text import HashingVectorizer

from parallax.errors import ConfigError
from parallax.records import Article, ArticleFacts

if TYPE_CHECKING:
    from parallax.embed import TextEncoder
    from parallax.group.settings import GroupingSettings

#: spaCy / Parallax entity types that name a place
PLACE_TYPES = frozenset({"GPE", "LOC", "FAC"})
#: entity types the grouper keys on (dates, numbers and the like say nothing about the story)
NAME_TYPES = frozenset(
    {"PERSON", "ORG", "GPE", "LOC", "FAC", "NORP", "EVENT", "GROUP", "PRODUCT", "WORK_OF_ART", "MISC"}
)

N_FEATURES = 2**20
#: a name in the title counts as this many body mentions when picking salient names
TITLE_WEIGHT = 2.0
_YEAR = re.compile(r"\b(1[89]\d\d|20\d\d)\b")
_ISO_DAY = re.compile(r"^(\d{4})-(\d{2})-(\d{2})")
_NON_ALNUM = re.compile(r"[^0-9a-z]+")
_CAP_PHRASE = re.compile(
    r"(?<![\w'’])((?:[A-Z][\w'’.&-]*[A-Za-z0-9])(?:[ \t]+(?:(?:of|de|la|del|von|van|al|bin|for|the|and)[ \t]+)?[A-Z][\w'’.&-]*[A-Za-z0-9])*)"
)
_SENT_START = re.compile(r"(?:^|[.!?:;\"“”]\s+|\n)$")


@dataclass(frozen=True, slots=True)
class ArticleFeatures:
    """The grouping view of one article."""

    article_id: str
    #: hashed term -> sublinear term frequency (title counted twice)
    terms: dict[int, float]
    #: normalised name keys (people also under their surname)
    entities: list[str]
    places: list[str]
    #: the few names the article is mostly about (in the title, or mentioned most)
    salient: list[str]
    #: proleptic ordinal days: the article's own date (published, dateline, else events)
    day: int | None
    #: years the text names, a weak time signal when an article has no date
    years: list[int]
    embedding: np.ndarray = field(repr=False)
    duplicate_of: str | None = None


@functools.cache
def _lexicon() -> dict[str, frozenset[str]]:
    raw = json.loads(resources.files("parallax.lexicons").joinpath("group_stopwords.json").read_text("utf-8"))
    return {k: frozenset(v) for k, v in raw.items() if isinstance(v, list)}


@functools.cache
def _vectorizer() -> HashingVectorizer:
    return HashingVectorizer(
        n_features=N_FEATURES,
        ngram_range=(1, 2),
        stop_words="english",
        alternate_sign=False,
        norm=None,
        lowercase=True,
        dtype=np.float32,
    )


def normalise_name(name: str) -> str:
    """Lowercase, accents and punctuation gone, possessive and a leading 'the' dropped."""
    text = unicodedata.normalize("NFKD", name.replace("’", "'"))
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).lower()
    text = re.sub(r"\s*'\s*s\b", "", text)
    text = _NON_ALNUM.sub(" ", text).strip()
    if text.startswith("the "):
        text = text[4:]
    return text


def name_keys(name: str, kind: str) -> list[str]:
    """The index keys of one name: the full form and, for people, the surname."""
    lex = _lexicon()
    key = normalise_name(name)
    words = key.split()
    titles = lex.get("person_titles", frozenset())
    while words and words[0] in titles and len(words) > 1:
        words = words[1:]
    key = " ".join(words)
    if not key or key in lex.get("entities", frozenset()) or key.isdigit() or len(key) < 2:
        return []
    keys = [key]
    if kind == "PERSON" and len(words) > 1 and len(words[-1]) > 2:
        keys.append(words[-1])
    return keys


def parse_day(value: str | None) -> int | None:
    """Ordinal day of an ISO date (``YYYY-MM-DD...``); None for partial or yearless dates."""
    if not value:
        return None
    match = _ISO_DAY.match(value)
    if not match:
        return None
    try:
        return dt.date(int(match[1]), int(match[2]), int(match[3])).toordinal()
    except ValueError:
        return None


def article_text(article: Article) -> str:
    """Title, standfirst and body as one text."""
    return "\n\n".join(p for p in (article.title, article.standfirst, article.text) if p)


def article_day(article: Article, facts: ArticleFacts | None) -> int | None:
    """The ordinal day an article is about: published, else its dateline, else its events' median day."""
    for value in (article.published, article.dateline.date if article.dateline else None):
        day = parse_day(value)
        if day is not None:
            return day
    if facts is not None:
        days = sorted(d for d in (parse_day(e.date.start) for e in facts.events if e.date) if d is not None)
        if days:
            return days[len(days) // 2]
    return None


def _capitalised_names(text: str) -> list[tuple[int, str]]:
    """Capitalised phrases (with their offsets), skipping one-word phrases that only open a sentence."""
    out: list[tuple[int, str]] = []
    for match in _CAP_PHRASE.finditer(text):
        phrase = match.group(1)
        if " " not in phrase and _SENT_START.search(text[max(0, match.start() - 3) : match.start()] or "\n"):
            continue
        if phrase.isupper() and len(phrase) > 6:  # shouted headlines, not acronyms
            continue
        out.append((match.start(), phrase))
    return out


def _unique(items: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(items))


Names = tuple[list[str], list[str], dict[str, float]]


def _salient(weights: dict[str, float], settings: GroupingSettings) -> list[str]:
    ranked = sorted(weights.items(), key=lambda kv: (-kv[1], kv[0]))
    return [k for k, w in ranked[: settings.salient_names] if w >= settings.salient_min_weight]


def _names_from_facts(article: Article, facts: ArticleFacts) -> Names:
    entities: list[str] = []
    places: list[str] = []
    weights: dict[str, float] = {}
    for ent in facts.entities:
        if ent.type not in NAME_TYPES:
            continue
        keys = name_keys(ent.name, ent.type)
        entities.extend(keys)
        if ent.type in PLACE_TYPES:
            places.extend(keys[:1])
        else:
            weight = sum(TITLE_WEIGHT if m.field == "title" else 1.0 for m in ent.mentions) or 1.0
            for k in keys:
                weights[k] = weights.get(k, 0.0) + weight
    for event in facts.events:
        for place in event.places:
            places.extend(name_keys(place, "GPE")[:1])
    return entities, places, weights


def _dateline_places(article: Article) -> list[str]:
    if not article.dateline:
        return []
    return [k for place in article.dateline.places for k in name_keys(place, "GPE")[:1]]


def _names_from_spacy_ents(ents: Iterable[Any], title_end: int) -> Names:
    entities: list[str] = []
    places: list[str] = []
    weights: dict[str, float] = {}
    for ent in ents:
        if ent.label_ not in NAME_TYPES:
            continue
        keys = name_keys(ent.text, ent.label_)
        entities.extend(keys)
        if ent.label_ in PLACE_TYPES:
            places.extend(keys[:1])
        elif ent.label_ != "NORP":
            for k in keys:
                weights[k] = weights.get(k, 0.0) + (TITLE_WEIGHT if ent.start_char < title_end else 1.0)
    return entities, places, weights


def _load_nlp() -> Any:
    from parallax.nlp import load_nlp

    return load_nlp()


def extract_features(
    items: Sequence[tuple[Article, ArticleFacts | None]],
    settings: GroupingSettings,
    embedder: TextEncoder,
) -> list[ArticleFeatures]:
    """Features for a batch of articles (NER and embeddings run batched)."""
    texts = [article_text(a) for a, _ in items]
    lex = _lexicon()
    stop_places = lex.get("places", frozenset())

    names: list[Names] = [([], [], {}) for _ in items]
    need_ner = [i for i, (_, facts) in enumerate(items) if facts is None]
    for i, (article, facts) in enumerate(items):
        if facts is not None:
            names[i] = _names_from_facts(article, facts)
    if need_ner:
        mode = settings.ner
        if mode == "spacy":
            nlp = _load_nlp()
            limit = settings.ner_chars
            docs = nlp.pipe(
                (texts[i][:limit] for i in need_ner),
                disable=[p for p in nlp.pipe_names if p not in ("tok2vec", "ner", "transformer")],
                batch_size=32,
            )
            for i, doc in zip(need_ner, docs, strict=True):
                names[i] = _names_from_spacy_ents(doc.ents, len(items[i][0].title or ""))
        elif mode == "capitalized":
            for i in need_ner:
                title_end = len(items[i][0].title or "")
                weights: dict[str, float] = {}
                found: list[str] = []
                for start, name in _capitalised_names(texts[i][: settings.ner_chars]):
                    for k in name_keys(name, "MISC"):
                        found.append(k)
                        weights[k] = weights.get(k, 0.0) + (TITLE_WEIGHT if start < title_end else 1.0)
                names[i] = (found, [], weights)
        else:
            raise ConfigError(f"unknown grouping ner mode '{mode}'. Available: spacy, capitalized")

    term_matrix = (
        _vectorizer()
        .transform([f"{a.title or ''}\n{a.title or ''}\n{t}" for (a, _), t in zip(items, texts, strict=True)])
        .tocsr()
    )
    embeddings = embedder.encode([t[: settings.embed_chars] for t in texts])

    out: list[ArticleFeatures] = []
    for i, (article, facts) in enumerate(items):
        row = term_matrix.getrow(i)
        terms = {int(k): float(1.0 + np.log(v)) for k, v in zip(row.indices, row.data, strict=True) if v > 0}
        entities, places, weights = names[i]
        places = places + _dateline_places(article)
        years: list[int] = sorted({int(y) for y in _YEAR.findall(texts[i])})
        if facts is not None:
            years = sorted(set(years) | {int(t.value[:4]) for t in facts.times if t.value[:4].isdigit()})
        out.append(
            ArticleFeatures(
                article_id=article.id,
                terms=terms,
                entities=_unique(entities),
                places=_unique(p for p in places if p not in stop_places),
                salient=_salient(weights, settings),
                day=article_day(article, facts),
                years=years,
                embedding=embeddings[i],
                duplicate_of=article.duplicate_of,
            )
        )
    return out
