"""Story and event titles: the most representative headline, else the lede's first clause.

Scraped text often has no separate headline but opens with it on its own line ("Oil
reaches Louisiana shore" then the body), so a short first line without closing
punctuation counts as a headline. The most representative of a group's headlines is
the one sharing the most content words with the others (ties: the earliest, then the
shortest). Without any headline the first clause of the earliest lede stands in; a
title is never a file path or an id.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Mapping, Sequence

from parallax.records import Article, StoryEvent

#: a first line this short (words) with no closing punctuation reads as a headline
HEADLINE_MAX_WORDS = 16
#: a lede clause is cut at the first clause break after this many words
CLAUSE_MIN_WORDS = 5
#: titles longer than this (characters) are cut at a word boundary
MAX_CHARS = 140
#: a lede clause longer than this (words) is cut (scraped text glues headline and first sentence)
CLAUSE_MAX_WORDS = 16

_WORD = re.compile(r"[A-Za-z][A-Za-z'’-]+")
_CLAUSE_BREAK = re.compile(r"[,;:—–]\s|\s-\s|[.!?](?:\s|$)")
#: opening lines that are page furniture, not the story: bylines, update stamps, player notices, datelines
_FURNITURE = re.compile(
    r"^(?:by\b|page last updated|last updated|updated:?\b|published:?\b|posted:?\b|share\b|"
    r"can ?not play media|image caption|media caption|advertisement\b|\W*$)"
    r"|\|\s*(?:mon|tue|wed|thu|fri|sat|sun)\w*\b|\|\s*by\b|^[A-Z][a-z]+\.? \d{1,2}, \d{4}\b",
    re.IGNORECASE,
)
#: a caption or a photo credit ("S. Navy photo/Handout By ...", "Photograph: John Moore/Getty Images"),
#: or a question put to the reader: never the lede a title is cut from
_CAPTION = re.compile(
    r"\b(?:photo(?:graph)?s?|credit|handout|getty|file picture|pictured|image|video grab)\b", re.IGNORECASE
)
_NOT_LEDE = re.compile(rf"{_CAPTION.pattern}|\?\s*$", re.IGNORECASE)
_DATELINE = re.compile(r"^[A-Z][A-Za-z .,/'-]{1,40}\((?:AP|Reuters|CNN|AFP)\)\s*[-–—]+\s*")
_PATHLIKE = re.compile(r"^(?:[a-z]+://|/|[A-Za-z]:\\)|\.(?:html?|txt|json|gz|xml)$", re.IGNORECASE)
_STOP = frozenset(
    [
        "the",
        "a",
        "an",
        "of",
        "in",
        "on",
        "at",
        "to",
        "for",
        "and",
        "or",
        "but",
        "with",
        "from",
        "by",
        "as",
        "is",
        "are",
        "was",
        "were",
        "be",
        "been",
        "has",
        "have",
        "had",
        "its",
        "it",
        "this",
        "that",
        "after",
        "over",
        "into",
        "says",
        "said",
        "new",
    ]
)


def _clean(text: str) -> str:
    return " ".join(text.split())


def headline(article: Article) -> str | None:
    """The article's headline: its title, else a short opening line that reads as one."""
    title = _clean(article.title or "")
    if title and not _PATHLIKE.search(title) and title != article.source and not _CAPTION.search(title):
        return title
    text = (article.text or "").lstrip()
    first = _clean(text.split("\n", 1)[0]) if "\n" in text else ""
    if (
        first
        and len(first.split()) <= HEADLINE_MAX_WORDS
        and not first.endswith((".", "!", "?", ":"))
        and not _CAPTION.search(first)
    ):
        return first
    return None


def lede_clause(article: Article) -> str | None:
    """The first clause of the article's first sentence (page furniture and a dateline skipped)."""
    lines = [_clean(x) for x in (article.standfirst or article.text or "").split("\n")]
    text = next(
        (
            x
            for x in lines
            if len(x.split()) >= CLAUSE_MIN_WORDS and not _FURNITURE.search(x) and not _NOT_LEDE.search(x)
        ),
        "",
    )
    text = _DATELINE.sub("", text)
    if not text:
        return None
    for match in _CLAUSE_BREAK.finditer(text):
        if len(text[: match.start()].split()) >= 2 * CLAUSE_MIN_WORDS:
            text = text[: match.start()].strip()
            break
    words = text.split()
    return " ".join(words[:CLAUSE_MAX_WORDS]) + ("…" if len(words) > CLAUSE_MAX_WORDS else "")


def _cut(title: str) -> str:
    if len(title) <= MAX_CHARS:
        return title
    return title[:MAX_CHARS].rsplit(" ", 1)[0] + "…"


def _content_words(text: str) -> set[str]:
    return {w.lower() for w in _WORD.findall(text) if w.lower() not in _STOP}


def group_title(articles: Sequence[Article]) -> str:
    """The most representative of the articles' headlines (an article without one: its lede's first clause)."""
    originals = [a for a in articles if not a.duplicate_of] or list(articles)
    ordered = sorted(originals, key=lambda a: (a.published or "9999", a.id))
    # every article puts up its headline, or its lede's first clause when it has none: one headline
    # among twenty untitled articles does not win by being the only candidate
    heads = [h for a in ordered if (h := headline(a) or lede_clause(a))]
    if not heads:
        return f"Untitled story ({len(articles)} articles)"
    return _cut(heads[_most_representative(heads)])


def _most_representative(texts: list[str]) -> int:
    """Index of the text sharing the most content words with the others (ties: the earliest)."""
    words = [_content_words(t) for t in texts]
    df = Counter(w for ws in words for w in ws)
    # shared words summed, over the square root of the length: neither the shortest nor the longest wins
    return max(
        range(len(texts)),
        key=lambda i: (sum(df[w] - 1 for w in words[i]) / math.sqrt(len(words[i]) or 1), -i),
    )


def event_records(members: Sequence[Article], events: Mapping[str, list[str]]) -> list[StoryEvent]:
    """The events of a story as records, in time order; articles no event lists become one event each."""
    by_id = {a.id: a for a in members}
    groups = [[by_id[i] for i in ids if i in by_id] for ids in events.values()]
    ids = [eid for eid, _ in events.items()]
    covered = {a.id for g in groups for a in g}
    for a in members:
        if a.id not in covered:
            groups.append([a])
            ids.append("e" + a.id)
    out: list[StoryEvent] = []
    for eid, group in zip(ids, groups, strict=True):
        if not group:
            continue
        dates = sorted(a.published for a in group if a.published and not a.published.startswith("--"))
        out.append(
            StoryEvent(
                id=eid,
                title=group_title(group),
                article_ids=[a.id for a in group],
                first_seen=dates[0] if dates else None,
                last_seen=dates[-1] if dates else None,
                outlets=sorted({a.outlet for a in group if a.outlet}),
            )
        )
    out.sort(key=lambda e: (e.first_seen or "9999", e.id))
    return out
