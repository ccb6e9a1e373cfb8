"""What every comparison part shares: the story's articles, facts, outlets and dates.

:class:`StoryContext` pairs each article with its facts, resolves near-duplicates
(an article whose ``duplicate_of`` points at another is the same report, not a
second one), gives every article an outlet name and a reference date, and
normalizes partial dates ("--01-07", "XXXX-01-07") with the story's year.
"""

from __future__ import annotations

import datetime
import functools
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from parallax.errors import ConfigError, PipelineError
from parallax.lexicons import load as read_lexicon
from parallax.records import Article, ArticleFacts

_WORD = re.compile(r"[A-Za-z0-9]+(?:['’][A-Za-z]+)?(?:-[A-Za-z0-9]+)*")
_ISO_DAY = re.compile(r"^(\d{4})-(\d{2})-(\d{2})")
_PARTIAL_DAY = re.compile(r"^(?:--|XXXX-)(\d{2})-(\d{2})")
_ISO_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_ISO_YEAR = re.compile(r"^(\d{4})$")
_ISO_WEEK = re.compile(r"^(\d{4})-W(\d{2})$")


@functools.cache
def load_lexicon(name: str) -> dict[str, Any]:
    """The JSON lexicon ``parallax/lexicons/compare_<name>.json``."""
    data = read_lexicon(f"compare_{name}.json")
    if not isinstance(data, dict):
        raise ConfigError(f"lexicon compare_{name}.json must hold a JSON object")
    return data


def words(text: str) -> list[str]:
    """Lower-cased word tokens, curly apostrophes folded to straight ones."""
    return [w.lower().replace("’", "'") for w in _WORD.findall(text)]


def normalize_phrase(text: str) -> str:
    return " ".join(words(text))


@dataclass
class StoryContext:
    """The articles of one story with their facts, outlets and dates."""

    articles: dict[str, Article]
    facts: dict[str, ArticleFacts]
    #: article id -> the id of the report it belongs to (its own id unless a near-duplicate)
    report_of: dict[str, str]
    outlet_of: dict[str, str]
    date_of: dict[str, str | None]
    year: str | None
    order: list[str] = field(default_factory=list)

    @classmethod
    def build(cls, articles: Sequence[Article], facts: Sequence[ArticleFacts]) -> StoryContext:
        by_id = {a.id: a for a in articles}
        facts_by_id: dict[str, ArticleFacts] = {}
        for f in facts:
            if f.article_id not in by_id:
                raise PipelineError(f"facts for article '{f.article_id}' but no such article in the story")
            facts_by_id[f.article_id] = f
        for a in articles:
            # No facts: nothing was extracted, so the article can't be said to omit anything.
            facts_by_id.setdefault(a.id, ArticleFacts(article_id=a.id, supported=False))
        report_of = {a.id: _root(a.id, by_id) for a in articles}
        outlet_of = {a.id: a.outlet or a.id for a in articles}
        raw_dates = {a.id: _article_date(a) for a in articles}
        years = sorted({d[:4] for d in raw_dates.values() if d and _ISO_DAY.match(d)})
        year = years[0] if years else None
        ctx = cls(by_id, facts_by_id, report_of, outlet_of, {}, year, [a.id for a in articles])
        ctx.date_of = {aid: ctx.full_date(d) for aid, d in raw_dates.items()}
        return ctx

    @property
    def outlets(self) -> list[str]:
        """Outlets with at least one article whose facts were extracted, in first-seen order."""
        seen: dict[str, None] = {}
        for aid in self.order:
            if self.facts[aid].supported:
                seen.setdefault(self.outlet_of[aid], None)
        return list(seen)

    def counted_articles(self, *, need_facts: bool = True) -> list[str]:
        """Articles that count as their outlet's own report (same-outlet near-duplicates skipped).

        ``need_facts=False`` also keeps articles without extracted facts unless their
        language is known to be unsupported (text-only parts such as labels read them).
        """
        out = []
        for aid in self.order:
            root = self.report_of[aid]
            if root != aid and self.outlet_of.get(root) == self.outlet_of[aid]:
                continue
            facts = self.facts[aid]
            if facts.supported or (not need_facts and facts.language is None):
                out.append(aid)
        return out

    def same_report(self, a: str, b: str) -> bool:
        return self.report_of[a] == self.report_of[b]

    def full_date(self, value: str | None, article_id: str | None = None) -> str | None:
        """An ISO day for ``value``: a missing year comes from the article, else the story."""
        if not value:
            return None
        if _ISO_DAY.match(value):
            return value[:10]
        m = _PARTIAL_DAY.match(value)
        if m:
            year = None
            if article_id is not None:
                own = self.date_of.get(article_id)
                year = own[:4] if own else None
            year = year or self.year
            return f"{year}-{m.group(1)}-{m.group(2)}" if year else None
        return None

    def text_of(self, article_id: str) -> str:
        a = self.articles[article_id]
        parts = [a.title or "", a.standfirst or "", a.text, *(c.text for c in a.captions)]
        return "\n\n".join(p for p in parts if p)


def date_interval(value: str | None) -> tuple[str, str] | None:
    """The first and last ISO day a date value covers ("2022-01" -> Jan 1..31, "2022-W01" -> Jan 3..9)."""
    if not value:
        return None
    m = _ISO_DAY.match(value)
    if m:
        return value[:10], value[:10]
    m = _ISO_MONTH.match(value)
    if m:
        return f"{value}-01", f"{value}-31"
    m = _ISO_YEAR.match(value)
    if m:
        return f"{value}-01-01", f"{value}-12-31"
    m = _ISO_WEEK.match(value)
    if m:
        try:
            monday = datetime.date.fromisocalendar(int(m.group(1)), int(m.group(2)), 1)
        except ValueError:
            return None
        return monday.isoformat(), (monday + datetime.timedelta(days=6)).isoformat()
    return None


def first(items: Iterable[str | None]) -> str | None:
    return next((x for x in items if x), None)


def _article_date(article: Article) -> str | None:
    if article.published:
        return article.published[:10]
    if article.dateline and article.dateline.date:
        return article.dateline.date
    return None


def _root(article_id: str, by_id: dict[str, Article]) -> str:
    seen = {article_id}
    current = article_id
    while True:
        nxt = by_id[current].duplicate_of if current in by_id else None
        if nxt is None or nxt not in by_id or nxt in seen:
            return current
        seen.add(nxt)
        current = nxt
