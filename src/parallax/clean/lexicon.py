"""Loads the cleaner's heuristics from ``parallax/lexicons/clean_*.json``.

The patterns are data so that a new outlet's chrome is a JSON edit, not a code
branch; this module only compiles them once.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from typing import Any

from parallax.errors import ConfigError
from parallax.lexicons import load as read_lexicon


def _load(name: str) -> dict[str, Any]:
    data = read_lexicon(name)
    if not isinstance(data, dict):
        raise ConfigError(f"cleaner lexicon {name} must hold a JSON object", code="bad-lexicon")
    return data


def _anchored(pattern: str) -> bool:
    """``^...`` with no ``|`` outside brackets: the whole pattern only matches at the start."""
    if not pattern.startswith("^"):
        return False
    depth, i, in_class = 0, 1, False
    while i < len(pattern):
        ch = pattern[i]
        if ch == "\\":
            i += 2
            continue
        if in_class:
            in_class = ch != "]"
        elif ch == "[":
            in_class = True
            if pattern[i + 1 : i + 2] == "]":
                i += 1  # "[]...]": a literal ] first in a class
        elif ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
        elif ch == "|" and depth == 0:
            return False
        i += 1
    return True


def _compile(
    patterns: list[str], name: str, flags: int = re.IGNORECASE, *, merge: bool = False
) -> tuple[re.Pattern[str], ...]:
    """The group's patterns compiled. With ``merge``, those anchored at the start become one
    ``^(?:a|b|...)`` pattern: the cleaner tries every group on every line of a page, and one
    anchored alternation fails as fast as one pattern (an unanchored alternation of ``^``
    patterns would be tried at every position of the line)."""
    if not patterns:  # an empty group would silently match nothing; say so instead
        raise ConfigError(f"cleaner lexicon group '{name}' is empty", code="bad-lexicon")
    try:
        compiled = [re.compile(p, flags) for p in patterns]  # a bad pattern is named on its own
        if not merge:
            return tuple(compiled)
        anchored = [p[1:] for p in patterns if _anchored(p)]
        rest = [c for p, c in zip(patterns, compiled, strict=True) if not _anchored(p)]
        if len(anchored) < 2:
            return tuple(compiled)
        return (re.compile("^(?:" + "|".join(f"(?:{p})" for p in anchored) + ")", flags), *rest)
    except re.error as exc:
        raise ConfigError(f"bad regex in cleaner lexicon group '{name}': {exc}", code="bad-lexicon") from exc


@dataclass(frozen=True, slots=True)
class CleanLexicon:
    """The compiled contents of ``clean_patterns.json`` (with each language's lists of
    ``clean_chrome.json`` added), ``clean_outlets.json`` and ``clean_dates.json``."""

    share_widget: tuple[re.Pattern[str], ...]
    related_link: tuple[re.Pattern[str], ...]
    related_heading: tuple[re.Pattern[str], ...]
    footer_start: tuple[re.Pattern[str], ...]
    app_banner: tuple[re.Pattern[str], ...]
    image_file: tuple[re.Pattern[str], ...]
    comment_marker: tuple[re.Pattern[str], ...]
    comments_heading: tuple[re.Pattern[str], ...]
    consent: tuple[re.Pattern[str], ...]
    timestamp: tuple[re.Pattern[str], ...]
    author_box: tuple[re.Pattern[str], ...]
    #: newsletter, subscription, app and site promotion lines (clean_chrome.json, per language)
    promo: tuple[re.Pattern[str], ...]
    title_window: int
    title_min_score: float
    standfirst_pair_margin: float
    title_prefix: re.Pattern[str]
    title_full_stop_penalty: float
    title_window_anchored: int
    credit_words: tuple[str, ...]
    headline_max_words: int
    standfirst_min_words: int
    byline: tuple[re.Pattern[str], ...]
    byline_stop_words: frozenset[str]
    byline_max_words: int
    published_prefix: re.Pattern[str]
    updated_words: frozenset[str]
    breadcrumb_separators: tuple[str, ...]
    breadcrumb_drop: frozenset[str]
    breadcrumb_prefix: re.Pattern[str]
    credit_line: tuple[re.Pattern[str], ...]
    caption_trailing_credit: tuple[re.Pattern[str], ...]
    caption_prefix: re.Pattern[str]
    dateline: tuple[re.Pattern[str], ...]
    agency_dateline: re.Pattern[str]
    dateline_search_lines: int
    caption_min_words: int
    sentence_end: str
    headline_min_words: int
    prose_min_words: int
    prose_long_words: int
    short_line_penalty: int
    short_streak_cap: int
    label_max_words: int
    pull_quote_min_words: int
    related_cut_words: int
    inline_box_lines: int
    list_min_items: int
    comments_factor: float
    first_run_share: float
    #: lower-cased name -> canonical outlet name
    outlets: dict[str, str]
    #: agency marker as written (case-sensitive) -> canonical outlet name
    agencies: dict[str, str]
    #: registrable domain -> canonical outlet name
    domains: dict[str, str]
    months: dict[str, int]
    zones: dict[str, float]
    #: regional zone name -> IANA zone (the offset depends on the date)
    zone_names: dict[str, str]


@cache
def lexicon() -> CleanLexicon:
    """The cleaner lexicon (loaded and compiled once per process)."""
    p = _load("clean_patterns.json")
    o = _load("clean_outlets.json")
    d = _load("clean_dates.json")
    groups = (
        "share_widget",
        "related_link",
        "related_heading",
        "footer_start",
        "app_banner",
        "image_file",
        "comment_marker",
        "comments_heading",
        "consent",
        "timestamp",
        "author_box",
    )
    chrome = _load("clean_chrome.json")
    merged: dict[str, list[str]] = {g: list(p[g]) for g in groups}
    merged["promo"] = []
    for lang, lists in chrome.items():
        if lang.startswith("_"):
            continue
        for group, patterns in lists.items():
            if group not in merged:
                raise ConfigError(
                    f"clean_chrome.json: unknown group '{group}' for '{lang}'", code="bad-lexicon"
                )
            merged[group].extend(patterns)
    compiled = {g: _compile(merged[g], g, merge=True) for g in (*groups, "promo")}
    agencies = "|".join(sorted((re.escape(a) for a in o["agencies"]), key=len, reverse=True))
    return CleanLexicon(
        **compiled,
        # case-sensitive: a byline name starts with a capital ("By John Smith", not "by the way")
        byline=_compile(p["byline"], "byline", 0),
        title_window=int(p["title_window"]),
        title_min_score=float(p["title_min_score"]),
        standfirst_pair_margin=float(p["standfirst_pair_margin"]),
        title_prefix=re.compile(p["title_prefix"], re.IGNORECASE),
        title_full_stop_penalty=float(p["title_full_stop_penalty"]),
        title_window_anchored=int(p["title_window_anchored"]),
        credit_words=tuple(w.lower() for w in p["credit_words"]),
        headline_max_words=int(p["headline_max_words"]),
        standfirst_min_words=int(p["standfirst_min_words"]),
        byline_max_words=int(p["byline_max_words"]),
        byline_stop_words=frozenset(w.lower() for w in p["byline_stop_words"]),
        published_prefix=re.compile(p["published_prefix"], re.IGNORECASE),
        updated_words=frozenset(p["updated_words"]),
        breadcrumb_separators=tuple(p["breadcrumb_separators"]),
        breadcrumb_prefix=re.compile(p["breadcrumb_prefix"], re.IGNORECASE),
        breadcrumb_drop=frozenset(w.lower() for w in p["breadcrumb_drop"]),
        credit_line=_compile(p["credit_line"], "credit_line", 0),
        caption_trailing_credit=_compile(p["caption_trailing_credit"], "caption_trailing_credit", 0),
        caption_prefix=re.compile(p["caption_prefix"]),
        dateline=_compile(
            [
                x.replace("{places}", p["dateline_places"]).replace("{agencies}", agencies)
                for x in p["dateline"]
            ],
            "dateline",
            0,
        ),
        agency_dateline=re.compile(p["agency_dateline"].replace("{agencies}", agencies)),
        dateline_search_lines=int(p["dateline_search_lines"]),
        caption_min_words=int(p["caption_min_words"]),
        sentence_end=p["sentence_end"],
        headline_min_words=int(p["headline_min_words"]),
        prose_min_words=int(p["prose_min_words"]),
        prose_long_words=int(p["prose_long_words"]),
        short_line_penalty=int(p["short_line_penalty"]),
        short_streak_cap=int(p["short_streak_cap"]),
        label_max_words=int(p["label_max_words"]),
        pull_quote_min_words=int(p["pull_quote_min_words"]),
        related_cut_words=int(p["related_cut_words"]),
        inline_box_lines=int(p["inline_box_lines"]),
        list_min_items=int(p["list_min_items"]),
        comments_factor=float(p["comments_factor"]),
        first_run_share=float(p["first_run_share"]),
        outlets={k.lower(): v for k, v in o["outlets"].items()},
        agencies=dict(o["agencies"]),
        domains={k.lower(): v for k, v in o["domains"].items()},
        months={k.lower(): int(v) for k, v in d["months"].items()},
        zones={k.lower(): float(v) for k, v in d["zones"].items()},
        zone_names={k.lower(): str(v) for k, v in d.get("zone_names", {}).items()},
    )
