"""The line cleaner: splits scraped text into article fields and removed chrome.

Works on any text where one line is one block of the page (a browser's "select
all, copy", a scraper's dump, trafilatura's output). Steps:

1. every line is matched against the lexicon (share widgets, related links,
   bylines, published lines, breadcrumbs, mastheads, photo credits, ...);
2. the body is the stretch of lines with the most prose (a maximum-sum run
   where long sentence-like lines score their word count and short ones cost a
   little), cut at a footer marker;
3. pull-quotes printed twice, repeated titles and bylines are removed;
4. the headline-like line closest above the body (or above its byline/date
   block) is the title, a longer line right under it the standfirst; lines
   outside the body are removed as navigation or footer;
5. the dates printed nearest above the body are the publication dates, and
   the first paragraph's opening gives the dateline.

Every removed line keeps its reason.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Literal

from parallax.clean.dates import DateMatch, find_dates
from parallax.clean.lexicon import CleanLexicon, lexicon
from parallax.records import Caption, Dateline, Paragraph, RemovedLine

Mode = Literal["page", "extracted"]

_QUOTE_CHARS = '"“”«»„'


@dataclass(slots=True)
class Line:
    """One non-blank line (or hard-wrapped block) of the text, with its span."""

    text: str
    start: int
    end: int
    words: int
    reason: str | None = None
    role: str | None = None  # title, standfirst, body
    cut: bool = False  # a footer marker: the body does not run past it


@dataclass(slots=True)
class Hints:
    """What the caller already knows (metadata) that helps to place lines."""

    title: str | None = None
    outlet: str | None = None
    byline: str | None = None


@dataclass(slots=True)
class TextFindings:
    """What the line cleaner found in the text; the caller merges it with metadata."""

    paragraphs: list[Paragraph] = field(default_factory=list)
    captions: list[Caption] = field(default_factory=list)
    removed: list[RemovedLine] = field(default_factory=list)
    title: str | None = None
    standfirst: str | None = None
    byline: str | None = None
    section: str | None = None
    outlet: str | None = None
    dateline: Dateline | None = None
    agency: str | None = None
    published: str | None = None
    updated: str | None = None


_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")


def word_count(text: str) -> int:
    """Whitespace words, with Chinese/Japanese characters counted as about half a word each."""
    return len(text.split()) + len(_CJK.findall(text)) // 2


def norm(text: str) -> str:
    """Lower-case words only: the key for "same line" comparisons."""
    return " ".join(re.findall(r"\w+", text.lower()))


# ----------------------------------------------------------------------------- splitting


def split_lines(text: str) -> list[Line]:
    """Non-blank lines with offsets; hard-wrapped paragraphs are joined into one block."""
    lines: list[Line] = []
    for m in re.finditer(r"[^\n]+", text):
        raw = m.group(0)
        stripped = raw.strip()
        if not stripped:
            continue
        start = m.start() + (len(raw) - len(raw.lstrip()))
        lines.append(Line(stripped, start, start + len(stripped), word_count(stripped)))
    if _hard_wrapped(text, lines):
        return _join_blocks(text)
    return lines


def _squash(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def _hard_wrapped(text: str, lines: list[Line]) -> bool:
    # a line that stops mid-sentence and is continued in lower case on the next line
    # is a wrapped paragraph, not a block of its own
    if len(lines) < 4:
        return False
    wrapped = 0
    for a, b in zip(lines, lines[1:], strict=False):
        adjacent = "\n\n" not in text[a.end : b.start]
        if adjacent and 40 <= len(a.text) <= 100 and b.text[:1].islower() and a.text[-1:] not in ".!?:":
            wrapped += 1
    return wrapped >= max(2, len(lines) // 5)


def _join_blocks(text: str) -> list[Line]:
    blocks: list[Line] = []
    for m in re.finditer(r"(?:[^\n]*\S[^\n]*(?:\n|$))+", text):
        raw = m.group(0)
        stripped = raw.strip()
        if not stripped:
            continue
        start = m.start() + (len(raw) - len(raw.lstrip()))
        blocks.append(Line(_squash(stripped), start, start + len(stripped), word_count(stripped)))
    return blocks


# ----------------------------------------------------------------------------- classifying


def _any(patterns: tuple[re.Pattern[str], ...], text: str) -> re.Match[str] | None:
    for p in patterns:
        m = p.search(text)
        if m:
            return m
    return None


def _ends_sentence(text: str, lex: CleanLexicon) -> bool:
    return bool(text) and text[-1] in lex.sentence_end


def is_sentence(line: Line, lex: CleanLexicon) -> bool:
    """Ends like a sentence (or is long enough to be one)."""
    return line.words >= lex.prose_long_words or _ends_sentence(line.text, lex)


def is_prose(line: Line, lex: CleanLexicon) -> bool:
    """A line that reads like article text rather than a menu item or a heading."""
    if line.words >= lex.prose_long_words:
        return True
    return line.words >= lex.prose_min_words and _ends_sentence(line.text, lex)


@dataclass(slots=True)
class _State:
    findings: TextFindings
    lex: CleanLexicon
    hints: Hints
    published_seen: int = 0
    byline_norm: str | None = None
    #: (offset of the line, ISO date, is an update) for every dated header line
    dates: list[tuple[int, str, bool]] = field(default_factory=list)


_NOT_CRUMB = re.compile(r"[-=>]>|[$'\"(){}=;`]|^\s*(?:\d+[.)]|[-*])\s")


def _breadcrumb(text: str, lex: CleanLexicon) -> list[str] | None:
    labelled = lex.breadcrumb_prefix.match(text)
    if labelled:
        rest = text[labelled.end() :].strip()
        return _breadcrumb(rest, lex) or ([rest] if rest else [])
    # "->", "=>", code and numbered steps use the same arrows: "1. Control Panel -> Network"
    if _NOT_CRUMB.search(text):
        return None
    for sep in lex.breadcrumb_separators:
        if sep in text:
            parts = [p.strip() for p in text.split(sep)]
            if len(parts) >= 2 and all(p and len(p.split()) <= 5 and p[-1] not in ".!?" for p in parts):
                return parts
    return None


def _byline_name(text: str, lex: CleanLexicon) -> str | None:
    m = _any(lex.byline, text)
    if not m:
        return None
    name = m.group("name").strip(" ,|-")
    words = name.split()
    if not words or len(words) > 10 or words[0].lower() in lex.byline_stop_words:
        return None
    return name


_DIGIT = re.compile(r"\d")
_DATE_RESIDUE = re.compile(
    r"\b(?:mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)[a-z]*\.?|\d{1,2}[:.]\d{2}(?::\d{2})?|[ap]\.?m\.?|"
    r"\b(?:\d+\s+(?:minutes?|hours?|days?)\s+ago|gmt\d*|at|on|et|utc|bst|est|edt|pst|pdt|cst|cdt|cet|cest|ist|jst|msk)\b|"
    # weekdays and "at/on" of other languages: "sexta-feira, 22 de outubro de 2010 às 20:13"
    r"\b(?:segunda|terça|quarta|quinta|sexta)-feira|\b(?:sábado|domingo|lunes|martes|miércoles|jueves|viernes|"
    r"montag|dienstag|mittwoch|donnerstag|freitag|samstag|sonntag|lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche)\b|"
    r"(?<!\w)(?:às|à|um|le|el|am|om|de|del|du|h)(?!\w)",
    re.IGNORECASE,
)


def _published_line(line: Line, state: _State) -> bool:
    lex = state.lex
    if line.words > 30:
        return False
    prefixed = bool(lex.published_prefix.match(line.text))
    # every date has a digit (a day or a year): most lines of a page have none
    dates = [d for d in find_dates(line.text) if d.has_year] if _DIGIT.search(line.text) else []
    if not dates:
        # "Published Wed, Nov 20 20194:29 AM EST": a date line even when the date is unreadable
        return prefixed and line.words <= 15 and any(ch.isdigit() for ch in line.text)
    rest = line.text
    for d in reversed(dates):
        rest = rest[: d.start] + " " + rest[d.end :]
    residue = re.findall(r"\w+", _DATE_RESIDUE.sub(" ", rest))
    if not prefixed and len(residue) > 2:
        return False
    _record_dates(line, dates, state)
    # "Published: ... By Xinhua and Agencies" also carries the byline
    by = re.search(r"\b(?:By|BY)\s+([A-Z].{1,80})$", line.text)
    if by and state.findings.byline is None:
        name = _byline_name("By " + by.group(1), lex)
        if name:
            state.findings.byline = name
            state.byline_norm = norm(name)
    state.published_seen += 1
    return True


_RUN_IN_BYLINE = re.compile(
    r"^(?:By|BY)\s+(?P<name>[A-Z][\w.'’-]*(?:\s+(?:[A-Z][\w.'’-]*|de|van|von|al|bin)){0,4})\s*(?:,|--|—|–|\s-\s)"
)


def _record_dates(line: Line, dates: list[DateMatch], state: _State) -> None:
    for d in dates:
        before = line.text[max(0, d.start - 30) : d.start].lower()
        is_update = any(w in before for w in state.lex.updated_words) and not before.rstrip(": ").endswith(
            "published"
        )
        state.dates.append((line.start, d.iso, is_update))


def _resolve_dates(state: _State, body_start: int) -> None:
    """The dates printed nearest above the body are the article's (the page header shows today's)."""
    for want_update in (False, True):
        found = [(pos, iso) for pos, iso, upd in state.dates if upd == want_update]
        before = [x for x in found if x[0] < body_start]
        chosen = max(before)[1] if before else (min(found)[1] if found else None)
        if want_update:
            state.findings.updated = chosen
        else:
            state.findings.published = chosen


def _outlet_name(text: str, lex: CleanLexicon, hints: Hints) -> str | None:
    key = text.strip().lower()
    if hints.outlet and key == hints.outlet.strip().lower():
        return hints.outlet
    return lex.outlets.get(key)


def _classify(line: Line, state: _State) -> None:
    """Sets ``line.reason`` (and ``cut``) from the lexicon; fills header findings on the way."""
    lex, text, f = state.lex, line.text, state.findings
    if _any(lex.image_file, text):
        line.reason = "image-file"
    elif _any(lex.consent, text):
        # consent dialogs sit at the end of a page dump: nothing after them is article
        line.reason, line.cut = "cookie-notice", True
    elif line.words <= 12 and _any(lex.share_widget, text):
        line.reason = "share-widget"
    elif line.words <= 40 and _any(lex.related_link, text):
        line.reason = "related-link"
    elif line.words <= 40 and _any(lex.app_banner, text):
        line.reason = "app-banner"
    elif line.words <= 30 and _any(lex.promo, text):
        line.reason = "promotion"
    elif line.words <= 12 and _any(lex.comment_marker, text):
        line.reason = "comment"
    elif line.words <= 25 and _any(lex.comments_heading, text):
        line.reason, line.cut = "comments-heading", True
    elif line.words <= 8 and _any(lex.author_box, text):
        line.reason, line.cut = "author-box", True
    elif line.words <= 8 and _any(lex.related_heading, text):
        line.reason, line.cut = "related-heading", True
    elif line.words <= 30 and _any(lex.footer_start, text):
        line.reason, line.cut = "footer", True
    elif line.words <= 8 and _any(lex.timestamp, text):
        line.reason = "timestamp"
    elif _published_line(line, state):
        line.reason = "published-line" if state.published_seen == 1 else "repeated-published-line"
    elif line.words > lex.byline_max_words and (run_in := _RUN_IN_BYLINE.match(text)) is not None:
        # "By Jane Doe, Sports Editor -- (Agency) - The game ...": the paragraph stays body
        if f.byline is None:
            f.byline, state.byline_norm = run_in.group("name"), norm(run_in.group("name"))
    elif (name := _byline_name(text, lex)) is not None:
        # "by Jane Doe — November 18, 2019": the date counts as a publication date
        _record_dates(line, [d for d in find_dates(text) if d.has_year], state)
        if f.byline is None:
            f.byline, state.byline_norm = name, norm(name)
            line.reason = "byline"
        else:
            line.reason = "repeated-byline" if norm(name) == state.byline_norm else "byline"
    elif line.words <= 6 and (outlet := _outlet_name(text, lex, state.hints)) is not None:
        line.reason, line.cut = "masthead", True
        f.outlet = f.outlet or outlet
    elif line.words <= 20 and (parts := _breadcrumb(text, lex)) is not None:
        line.reason = "breadcrumb"
        if f.section is None:
            kept = [p for p in parts if p.lower() not in lex.breadcrumb_drop]
            f.section = " > ".join(kept) or None
    elif line.words <= 70 and (caption := _caption(text, lex)) is not None:
        line.reason = "caption"
        f.captions.append(Caption(caption[0], caption[1], line.start, line.end))
    elif line.words <= 14 and _any(lex.credit_line, text):
        line.reason = "photo-credit"


def _caption(text: str, lex: CleanLexicon) -> tuple[str, str] | None:
    """(caption, credit) of a caption line that ends with its photo credit."""
    # every credit pattern needs a closing bracket, a "Photo:" colon or an "Agency/Name" slash;
    # the patterns' lazy prefixes are slow on the long lines that have none
    if not (
        text.rstrip(" .")[-1:] in ")]"
        or ":" in text
        or "/" in text
        or text.endswith(
            ("Reuters", "AFP", "Getty", "Getty Images", "EPA", "Shutterstock", "Associated Press")
        )
    ):
        return None
    m = _any(lex.caption_trailing_credit, text)
    if not m:
        return None
    caption = lex.caption_prefix.sub("", (m.group("text") or "").strip())
    if word_count(caption) < lex.caption_min_words:
        return None
    return caption, m.group("credit").strip()


def _link_captions(lines: list[Line], state: _State, mode: Mode) -> None:
    """A caption printed twice (once with its credit, once without) is one caption; in a page
    dump, the line right above a bare credit line is that photo's caption. In an extractor's
    output the captions are gone already and the line above a credit is body text (a blog's
    paragraph under its photo): taking it as a caption lost body paragraphs."""
    lex = state.lex
    for i, line in enumerate(lines):
        if mode == "extracted" or line.reason != "photo-credit" or i == 0:
            continue
        prev = lines[i - 1]
        if (
            prev.reason is None
            and lex.caption_min_words <= prev.words <= 60
            and _ends_sentence(prev.text, lex)
        ):
            prev.reason = "caption"
            credit = lex.caption_prefix.sub("", line.text).lstrip("©").strip()
            state.findings.captions.append(Caption(prev.text, credit or None, prev.start, prev.end))
    state.findings.captions.sort(key=lambda c: c.raw_start or 0)
    caption_norms = [
        (i, norm(c.text))
        for c in state.findings.captions
        for i, ln in enumerate(lines)
        if ln.start == c.raw_start
    ]
    for i, cap in caption_norms:
        for j in range(max(0, i - 3), min(len(lines), i + 4)):
            other = lines[j]
            if other.reason is None and j != i and other.words <= 40:
                key = norm(other.text)
                if key and (cap.startswith(key) or key == cap):
                    other.reason = "caption"


# ----------------------------------------------------------------------------- body region


_LABEL = re.compile(r"^[^\s:]{1,12}:\s+\S")


def _weights(lines: list[Line], lex: CleanLexicon) -> list[float]:
    weights: list[float] = []
    streak = 0
    in_list = False  # after a line ending in ":", short lines are the list it announces
    # "Q: ..." / "A: ..." lines next to each other are an interview, not a menu
    labelled = [ln.reason is None and _LABEL.match(ln.text) is not None for ln in lines]
    dialogue = [
        labelled[i] and ((i > 0 and labelled[i - 1]) or (i + 1 < len(lines) and labelled[i + 1]))
        for i in range(len(lines))
    ]
    for i, line in enumerate(lines):
        if line.reason is not None:
            in_list = False
            # markers of related lists and comment threads break a run of prose
            strong = line.reason in (
                "related-heading",
                "comment",
                "repeated-published-line",
                "byline",
                "published-line",
                "timestamp",
            )
            weights.append(-3.0 * lex.short_line_penalty if strong else 0.0)
        elif is_prose(line, lex):
            streak = 0
            in_list = line.text.endswith(":")
            weights.append(float(line.words))
        elif in_list or dialogue[i]:
            weights.append(1.0)
        else:
            # one short line (a subhead) costs little; a menu of them costs more and more
            streak += 1
            in_list = line.text.endswith(":")
            weights.append(-float(lex.short_line_penalty * min(streak, lex.short_streak_cap)))
    return weights


def _prose_follows(lines: list[Line], at: int, weights: list[float]) -> bool:
    """Two or more prose lines right after line ``at``: an outlet's name or an "Author:" label
    printed inside the extracted text ("ASSOCIATED PRESS" over the next paragraphs), not its end."""
    return sum(1 for k in range(at + 1, min(len(lines), at + 7)) if weights[k] > 0) >= 2


def _best_run(weights: list[float], lo: int, hi: int) -> tuple[float, int, int]:
    best, best_a, best_b = 0.0, -1, -1
    run, a = 0.0, lo
    for i in range(lo, hi):
        if run <= 0:
            run, a = 0.0, i
        run += weights[i]
        if run > best:
            best, best_a, best_b = run, a, i
    return best, best_a, best_b


def _body_region(lines: list[Line], lex: CleanLexicon, mode: Mode) -> tuple[int, int] | None:
    weights = _weights(lines, lex)
    if mode == "extracted":
        # the extractor already chose the content: keep it all, only stop at a footer marker
        prose_idx = [i for i, w in enumerate(weights) if w > 0]
        if not prose_idx and not any(ln.reason is None for ln in lines):
            return None
        first = 0
        end = len(lines) - 1
        seen_prose = False
        for i, line in enumerate(lines):
            if weights[i] > 0:
                seen_prose = True
            if (
                line.cut
                and line.reason in ("footer", "masthead", "cookie-notice", "author-box")
                and seen_prose
                and not (line.reason in ("masthead", "author-box") and _prose_follows(lines, i, weights))
            ):
                end = i - 1
                break
        return first, end
    # footer markers split the page into segments and the best run never crosses one; so does
    # a "Related"/"Most read" heading once a good deal of prose came before it
    segments: list[tuple[int, int, float]] = []
    lo, prose_words, factor = 0, 0.0, 1.0
    for i, line in enumerate(lines):
        prose_words += max(0.0, weights[i])
        if not line.cut:
            continue
        reason = line.reason
        if (
            reason in ("footer", "cookie-notice", "comments-heading")
            or (reason in ("masthead", "author-box") and prose_words > 0)
            or (
                reason == "related-heading"
                and prose_words >= lex.related_cut_words
                and not _inline_box(lines, i, lex)
            )
        ):
            segments.append((lo, i, factor))
            lo, prose_words = i + 1, 0.0
            if reason == "comments-heading":
                # readers' comments are prose too, but never the article
                factor = lex.comments_factor
    segments.append((lo, len(lines), factor))
    runs: list[tuple[float, int, int]] = []
    for a, b, seg_factor in segments:
        markers = sum(1 for ln in lines[a:b] if ln.reason in ("comment", "repeated-published-line"))
        if markers >= 3:
            seg_factor = min(seg_factor, lex.comments_factor)
        score, ra, rb = _best_run(weights, a, b)
        if ra >= 0:
            runs.append((score * seg_factor, ra, rb))
    if not runs:
        return None
    # the article is the first big block of prose: lists of teasers further down can add up to more
    top = max(r[0] for r in runs)
    best = next(r for r in runs if r[0] >= lex.first_run_share * top)
    if best[1] < 0:
        return None
    start, end = best[1], best[2]
    # a short lead sentence right before the run is part of the article
    while start > 0 and lines[start - 1].reason is None and _lead_like(lines[start - 1], lex):
        start -= 1
    while end + 1 < len(lines) and lines[end + 1].reason is None and _lead_like(lines[end + 1], lex):
        end += 1
    return start, _extend_list(lines, end, lex)


def _signature(text: str) -> frozenset[str]:
    return frozenset(ch for ch in text if ch in "–—-@|:,;/•·")


def _extend_list(lines: list[Line], end: int, lex: CleanLexicon) -> int:
    """A table-like list right after the prose (dates, venues, scores: every item has a number
    and the same punctuation) still belongs to the article, optionally under a short heading."""
    j = end + 1
    if (
        j < len(lines)
        and lines[j].reason is None
        and lines[j].words <= 8
        and not any(c.isdigit() for c in lines[j].text)
    ):
        j += 1
    items: list[int] = []
    shape: frozenset[str] | None = None
    while (
        j < len(lines)
        and lines[j].reason is None
        and lines[j].words <= 25
        and any(c.isdigit() for c in lines[j].text)
    ):
        sig = _signature(lines[j].text)
        if shape is None:
            shape = sig
        elif sig != shape or not sig:
            break
        items.append(j)
        j += 1
    return items[-1] if len(items) >= lex.list_min_items else end


def _inline_box(lines: list[Line], at: int, lex: CleanLexicon) -> bool:
    """A "Related" box inside the article: a few links, then the article's prose resumes."""
    links: list[Line] = []
    for line in lines[at + 1 : at + 1 + lex.inline_box_lines]:
        if line.reason is None and is_prose(line, lex):
            for link in links:
                link.reason = "related-link"
            return True
        if line.reason is None:
            if line.words < lex.headline_min_words:
                return False
            links.append(line)
        elif line.cut and line.reason != "related-heading":
            return False
    return False


def _lead_like(line: Line, lex: CleanLexicon) -> bool:
    return line.words >= 4 and re.search(r"[.!?…。][\"'”’)]*$", line.text) is not None


# ----------------------------------------------------------------------------- duplicates


def _similar(a: str, b: str, threshold: float = 0.8) -> bool:
    """Most words shared between two normalised lines."""
    wa, wb = set(a.split()), set(b.split())
    return bool(wa and wb) and len(wa & wb) / max(len(wa), len(wb)) >= threshold


def _has_quotes(text: str) -> bool:
    return any(c in text for c in _QUOTE_CHARS)


def _remove_duplicates(lines: list[Line], idx: list[int], lex: CleanLexicon) -> None:
    """Pull-quotes printed twice survive once: the copy in the flow (quoted, attributed) stays."""
    keys = {i: norm(lines[i].text) for i in idx}
    sentences = [i for i in idx if lines[i].words >= lex.pull_quote_min_words and is_sentence(lines[i], lex)]
    # a pull-quote often drops its final full stop: longer ones qualify without it
    candidates = [i for i in idx if i in sentences or lines[i].words >= lex.pull_quote_min_words + 2]
    # a line printed three times or more is a repeating structure (a table, a menu), not a pull-quote
    counts = Counter(keys[i] for i in sentences)
    seen: dict[str, int] = {}
    for i in sentences:
        key = keys[i]
        if not key or lines[i].reason is not None or counts[key] != 2:
            continue
        if key in seen:
            first = seen[key]
            # identical copies: the one with quotation marks is the one in the flow
            loser = first if _has_quotes(lines[i].text) and not _has_quotes(lines[first].text) else i
            lines[loser].reason = "duplicate-pull-quote" if lines[loser].words < 80 else "duplicate-paragraph"
            if loser == first:
                seen[key] = i
            _drop_label(lines, idx, loser, lex)
            continue
        seen[key] = i
    if len(candidates) > 1500:  # quadratic containment check: skip on giant dumps
        return
    longer = sorted((i for i in idx if lines[i].reason is None), key=lambda i: -len(keys[i]))
    for i in candidates:
        if lines[i].reason is not None:
            continue
        key = keys[i]
        for j in longer:
            if j == i or lines[j].reason is not None or len(keys[j]) <= len(key):
                continue
            if f" {key} " in f" {keys[j]} ":
                lines[i].reason = "duplicate-pull-quote"
                _drop_label(lines, idx, i, lex)
                break


def _drop_label(lines: list[Line], idx: list[int], at: int, lex: CleanLexicon) -> None:
    """The attribution label printed under a pull-quote ("Name, role") goes with it."""
    pos = idx.index(at) if at in idx else -1
    if pos < 0 or pos + 1 >= len(idx):
        return
    nxt = lines[idx[pos + 1]]
    if nxt.reason is None and nxt.words <= lex.label_max_words and not _ends_sentence(nxt.text.rstrip(), lex):
        nxt.reason = "duplicate-pull-quote"


# ----------------------------------------------------------------------------- header


def _title_candidates(lines: list[Line], body_start: int, lex: CleanLexicon) -> list[int]:
    """Headline-sized lines close above the body, and further up those a byline or date follows
    (a page may put a video, a ticker or a gallery between the header and the text)."""
    near = max(0, body_start - lex.title_window)
    far = max(0, body_start - lex.title_window_anchored)
    return [
        i
        for i in range(far, body_start)
        if lines[i].reason is None
        and lex.headline_min_words <= lines[i].words <= lex.headline_max_words
        and not lines[i].text.endswith(":")
        and (i >= near or _anchor_after(lines, i, body_start, lex) >= 10.0)
    ]


#: a byline split over lines: "By" / "Jane Doe" / "Reporter"
_BARE_BY = re.compile(r"^(?:by|written by|words by)\s*:?$", re.IGNORECASE)

#: lines a header block may hold between a headline and its byline/date without breaking it
_HEADER_FILLER = frozenset(
    {
        "share-widget",
        "app-banner",
        "timestamp",
        "image-file",
        "photo-credit",
        "caption",
        "related-link",
        "comment",
    }
)
_ANCHORS = frozenset({"byline", "published-line", "repeated-published-line", "repeated-byline"})


def _anchor_after(lines: list[Line], i: int, body_start: int, lex: CleanLexicon) -> float:
    """How firmly line ``i`` heads an article: a byline, date line or standfirst follows it closely.

    "The headline sits just before the byline/dateline/standfirst": share buttons and short
    labels may come between; another headline-sized line may come between only if it is a
    standfirst (a sentence) that the byline or date then follows.
    """
    standfirst = label = False
    seen = 0
    for j in range(i + 1, min(len(lines), i + 9)):
        line = lines[j]
        if line.reason in _ANCHORS or _BARE_BY.match(line.text):
            return 10.0
        if j == body_start and seen == 0:
            return 5.0
        if line.reason in _HEADER_FILLER or line.words <= 2:
            continue
        if line.reason is not None:
            return 0.0
        seen += 1
        if not standfirst and line.words >= lex.standfirst_min_words:
            standfirst = True  # a standfirst may sit between the headline and the byline
            if j + 1 == body_start:
                return 5.0
            continue
        if not label and line.words <= 6 and not _ends_sentence(line.text, lex):
            label = True  # "Jane Doe, Business Insider", a section label, a garbled date line
            continue
        return 0.0
    return 0.0


_CREDIT_TAIL = re.compile(
    r"(?:\b(?:credit|photo|photograph|image|getty(?: images)?|reuters|ap|afp|epa|shutterstock|istock|"
    r"bloomberg|handout|pool)\b\W*\S{0,25}|\([\w.-]+\.(?:com|org|net|co\.uk)\))\W*$"
    r"|(?<=[a-z.])(?:reuters|getty|ap|afp|epa)$|\bcredit\s*:",
    re.IGNORECASE,
)


def _numbered_item(lines: list[Line], i: int) -> bool:
    """Line ``i`` follows a bare number ("1 / Headline / 2 / Headline"): a most-read list."""
    j = i - 1
    while j >= 0 and lines[j].reason in _HEADER_FILLER:
        j -= 1
    return j >= 0 and lines[j].text.strip().isdigit()


_CAPTION_MARK = re.compile(
    r"\((?:left|right|center|centre|l|r|c|top|bottom|front|back|(?:second|third) from (?:left|right))\)|\bpictured\b",
    re.IGNORECASE,
)


def _in_list_run(lines: list[Line], i: int, lex: CleanLexicon) -> bool:
    """Line ``i`` is one item of a run of headline-like lines with no body between them (a
    related-links or most-read list): the nearest content line on either side is a headline too."""
    for step in (-1, 1):
        j = i + step
        while 0 <= j < len(lines) and (lines[j].reason in _HEADER_FILLER or lines[j].words <= 1):
            if lines[j].words <= 1 and lines[j].text.strip().isdigit():
                return True  # "1 / Headline / 2 / Headline": a numbered most-read list
            j += step
        if (
            0 <= j < len(lines)
            and lines[j].reason is None
            and _headline_like(lines[j], lex)
            and not is_prose(lines[j], lex)
        ):
            return True
    return False


def _dated_above(lines: list[Line], i: int) -> bool:
    """A date line right above (a page header: "November 19, 2019 / Headline")."""
    j = i - 1
    while j >= 0 and (lines[j].reason in _HEADER_FILLER or lines[j].words <= 1):
        j -= 1
    return j >= 0 and lines[j].reason in ("published-line", "repeated-published-line")


def _lead_overlap(line: Line, lead_words: frozenset[str]) -> float:
    words = {w for w in re.findall(r"[^\W\d_]{4,}", line.text.lower())}
    return len(words & lead_words) / len(words) if words else 0.0


def _title_score(
    lines: list[Line], i: int, body_start: int, lead_words: frozenset[str], repeated: bool, lex: CleanLexicon
) -> float:
    """How much line ``i`` looks like the headline: its place (right before the byline, date or
    standfirst), its shape, its words (the lead repeats them), not a list item, not a caption."""
    line = lines[i]
    w = line.words
    size = 6.0 if 6 <= w <= 20 else 3.0 if 21 <= w <= 30 else 1.0 if w >= 4 else -2.0
    between = sum(1 for k in range(i + 1, body_start) if lines[k].reason is None and lines[k].words >= 3)
    score = 10.0 + size - 1.0 * min(between, 8)
    low = line.text.lower()
    if w <= 6 and (
        any(c in line.text for c in ",|@") or " - " in line.text or any(x in low for x in lex.credit_words)
    ):
        score -= 6.0  # "Name, Staff Writer", "Name | Agency": a byline or credit, not a headline
    tokens = line.text.split()
    if sum(any(ch.isdigit() for ch in t) for t in tokens) > 0.4 * len(tokens):
        score -= 6.0  # score lines and tables
    if line.text.endswith("."):
        # captions and teaser sentences end with a full stop; headlines rarely do
        score -= lex.title_full_stop_penalty
    if is_prose(line, lex):
        score -= 5.0
        if line.text.endswith("."):
            score -= 5.0  # a long sentence: a lede, a caption, run-in highlights
    if _CAPTION_MARK.search(line.text):
        score -= 10.0  # "US professor Kevin King (left) and his colleague": who is where in a photo
    if _CREDIT_TAIL.search(line.text):
        score -= 10.0  # a photo caption with its credit run in ("... in New York.Reuters")
    tail = [d for d in find_dates(line.text[-24:]) if d.has_year]
    if tail and tail[-1].end >= len(line.text[-24:]) - 2:
        score -= 10.0  # "... east of Benghazi, June 11, 2011.": a wire photo's caption
    if lex.agency_dateline.search(line.text):
        score -= 20.0  # "WASHINGTON, June 16 (Reuters) - ...": the article's first words
    anchor = _anchor_after(lines, i, body_start, lex)
    score += anchor
    if _numbered_item(lines, i):
        score -= 12.0  # a date or a comment form below does not make a most-read item a headline
    elif anchor < 10.0 and _in_list_run(lines, i, lex):
        score -= 6.0
    if _dated_above(lines, i):
        score += 4.0
    score += 8.0 * _lead_overlap(line, lead_words)
    if repeated:
        score += 3.0
    return score


def _headline_like(line: Line, lex: CleanLexicon) -> bool:
    """Short, and either capitalised like an English headline or without a closing full stop."""
    if not lex.headline_min_words <= line.words <= 20 or line.text.endswith(":"):
        return False
    long_words = [w for w in re.findall(r"[^\W\d_][\w'’-]*", line.text) if len(w) >= 4]
    capitalised = sum(w[0].isupper() for w in long_words)
    return (bool(long_words) and capitalised >= 0.6 * len(long_words)) or not _ends_sentence(line.text, lex)


def _opens_with_headline(lines: list[Line], start: int, end: int, lex: CleanLexicon) -> bool:
    """The first body line is a headline: headline-like, or short above a much longer paragraph."""
    first = lines[start]
    if _headline_like(first, lex):
        return True
    nxt = next((ln for ln in lines[start + 1 : end + 1] if ln.reason is None), None)
    # "The UN base is full of vehicles." above a long paragraph is a lede or a caption
    return (
        nxt is not None
        and lex.headline_min_words <= first.words <= 14
        and nxt.words >= 1.5 * first.words
        and not first.text.endswith(".")
    )


def _adjacent(lines: list[Line], a: int, b: int, lex: CleanLexicon) -> bool:
    """No other headline-sized line between lines ``a`` < ``b``."""
    return all(
        lines[k].reason is not None or lines[k].words < lex.headline_min_words for k in range(a + 1, b)
    )


def _set_header(lines: list[Line], body_start: int, body_end: int, state: _State) -> bool:
    """Title and standfirst from the lines above the body; True when the title is the body's
    first line (a dump that opens with its headline, or one whose headline the body run took in)."""
    lex, f = state.lex, state.findings
    cands = _title_candidates(lines, body_start, lex)
    first_line = body_start < body_end and _opens_with_headline(lines, body_start, body_end, lex)
    if first_line:
        cands.append(body_start)
    if not cands:
        return False
    title_i: int | None = None
    if state.hints.title:
        key = norm(state.hints.title)
        title_i = next((i for i in cands if norm(lines[i].text) == key), None)
    stand_i: int | None = None
    if title_i is None:
        lead_from = body_start + 1 if first_line else body_start
        lead = " ".join(ln.text for ln in lines[lead_from : body_end + 1][:6] if ln.reason is None)
        lead_words = frozenset(re.findall(r"[^\W\d_]{4,}", lead.lower()))
        counts = Counter(norm(ln.text) for ln in lines)
        scored = [
            (_title_score(lines, i, lead_from, lead_words, counts[norm(lines[i].text)] > 1, lex), -n, i)
            for n, i in enumerate(cands)
        ]
        top = max(scored)
        if top[0] < lex.title_min_score:
            # nothing reads like this page's headline: no title rather than a caption or a link
            return False
        best = top[2]
        pos = cands.index(best)
        prev = cands[pos - 1] if pos > 0 else None
        score_of = {i: sc for sc, _, i in scored}
        if prev is not None and score_of[prev] < top[0] - lex.standfirst_pair_margin:
            prev = None  # a list item or a label above a standfirst-sized line is not its headline
        # "Headline / longer standfirst" printed together: the first is the title
        if (
            prev is not None
            and _adjacent(lines, prev, best, lex)
            and 5 <= lines[prev].words < lines[best].words
            and lines[best].words >= lex.standfirst_min_words
            and not lines[prev].text.endswith(".")
            and not _CREDIT_TAIL.search(lines[prev].text)
        ):
            title_i, stand_i = prev, best
        else:
            title_i = best
    if stand_i is None:
        pos = cands.index(title_i)
        nxt = cands[pos + 1] if pos + 1 < len(cands) else None
        if (
            nxt is not None
            and _adjacent(lines, title_i, nxt, lex)
            and lines[nxt].words >= lex.standfirst_min_words
        ):
            stand_i = nxt
    lines[title_i].role = "title"
    f.title = lex.title_prefix.sub("", lines[title_i].text)
    if stand_i is not None and stand_i < body_start:
        lines[stand_i].role = "standfirst"
        f.standfirst = lines[stand_i].text
    return title_i == body_start


# ----------------------------------------------------------------------------- dateline


def _dateline(text: str, lex: CleanLexicon) -> tuple[Dateline, str | None] | None:
    head = text[:160]
    m = next((found for pat in lex.dateline if (found := pat.match(head))), None)
    if not m:
        return None
    raw_places = [p.strip() for p in m.group("places").split("/")]
    if any(sum(ch.isalpha() for ch in p) < 2 for p in raw_places):
        return None
    names = [_place_case(p) for p in raw_places]
    date = None
    groups = m.groupdict()
    if groups.get("date"):
        dates = find_dates(groups["date"])
        date = dates[0].iso if dates else None
    agency_raw = (groups.get("agency") or "").strip()
    agency = lex.agencies.get(agency_raw) or lex.agencies.get(agency_raw.upper()) if agency_raw else None
    if agency_raw and agency is None and agency_raw.isupper():
        agency = agency_raw
    return Dateline(names, date), agency


def _place_case(place: str) -> str:
    if not place.isupper():
        return place
    return re.sub(r"[A-Z\u00c0-\u00de]+", lambda w: w.group(0).capitalize(), place)


# ----------------------------------------------------------------------------- agency dateline


def _headline_run_in(prefix: str) -> int | None:
    """Where the wire's "PLACE | date" header starts in ``prefix`` when a headline of three or
    more words runs in before it; None when there is no such headline."""
    bar = prefix.rfind("|")
    if bar < 0 or not [d for d in find_dates(prefix[bar + 1 :]) if d.has_year]:
        return None
    tokens = list(re.finditer(r"\S+", prefix[:bar]))
    place_at = len(tokens)
    while place_at > 0:
        word = tokens[place_at - 1].group(0)
        prev = tokens[place_at - 2].group(0) if place_at >= 2 else ""
        # "TRIPOLI/SFAX, Tunisia": upper-case places, and a region after a comma
        if word.isupper() or (word[:1].isupper() and prev.endswith(",") and prev[:-1].isupper()):
            place_at -= 1
        else:
            break
    if place_at == len(tokens) or place_at < 3:
        return None
    return tokens[place_at].start()


def _split_at_dateline(lines: list[Line], start: int, end: int, state: _State) -> tuple[int, int]:
    """An agency dateline ("Washington (CNN) --", "TRIPOLI (Reuters) -") opens the article.

    Within the first lines of the body run: what precedes it on its own line is run-in chrome
    (CNN's story highlights, Reuters' "PLACE | date" header) and is split off; lines above it
    are the header (headline, byline, photo caption), not body. Returns the new (start, end).
    """
    lex = state.lex
    for k in range(start, min(end + 1, start + lex.dateline_search_lines)):
        line = lines[k]
        if line.reason is not None:
            continue
        m = lex.agency_dateline.search(line.text)
        if m is None:
            continue
        cut = m.start()
        first_word = (m.group("place") or "").split(" ", 1)[0]
        if first_word.lower() in lex.zones:
            # "ZAWIYAH, Libya | Sat Jun 11, 2011 5:08 pm EDT ZAWIYAH, Libya (Reuters) -": the zone
            # belongs to the date before it, not to the place
            cut += len(first_word) + 1
        if cut > 0:
            prefix = line.text[:cut].rstrip()
            split = _headline_run_in(prefix)
            new: list[Line] = []
            if split:
                # "EU to urge sanctions on Syria UNITED NATIONS | Mon Aug 22, 2011 5:01 pm EDT": the
                # headline, then the wire's place and date
                words = prefix[:split].rstrip()
                headline = Line(words, line.start, line.start + len(words), word_count(words))
                new.append(headline)
                rest = prefix[split:].lstrip()
                offset = line.start + len(prefix) - len(rest)
                head = Line(rest, offset, offset + len(rest), word_count(rest))
            else:
                head = Line(prefix, line.start, line.start + len(prefix), word_count(prefix))
            dated = [d for d in find_dates(head.text) if d.has_year]
            if dated and head.words <= 15:
                head.reason = "published-line"
                _record_dates(head, dated, state)
            else:
                head.reason = "highlights"
            new.append(head)
            line.text = line.text[cut:]
            line.start += cut
            line.words = word_count(line.text)
            lines[k:k] = new
            k, end = k + len(new), end + len(new)
        return k, end
    return start, end


def _caps_links(lines: list[Line], start: int, end: int) -> None:
    """A line in capitals inside the body ("CO-FOUNDER 'PROUD' OF HOME DEPOT EMPLOYEES ...",
    "GET FOX BUSINESS ON THE GO BY CLICKING HERE") is a link to another story or a promotion;
    shorter capitals ("BOYS SOCCER", "WHO IS THE FRONT-RUNNER?") are subheads and stay."""
    for line in lines[start + 1 : end + 1]:
        if line.reason is not None or not 9 <= line.words <= 20:
            continue
        letters = [c for c in line.text if c.isalpha()]
        if len(letters) >= 12 and sum(c.isupper() for c in letters) >= 0.9 * len(letters):
            line.reason = "related-link"


# ----------------------------------------------------------------------------- entry point


def clean_lines(text: str, *, mode: Mode = "page", hints: Hints | None = None) -> TextFindings:
    """Find the article in ``text``: body paragraphs (offsets into ``text``) and header fields."""
    lex = lexicon()
    hints = hints or Hints()
    state = _State(TextFindings(), lex, hints)
    if hints.byline:
        state.byline_norm = norm(hints.byline)
    f = state.findings
    lines = split_lines(text)
    for line in lines:
        _classify(line, state)
    _link_captions(lines, state, mode)
    region = _body_region(lines, lex, mode)
    if region is None:
        f.removed = [RemovedLine(ln.text, ln.reason or "no-article", ln.start, ln.end) for ln in lines]
        return f
    start, end = region
    start, end = _split_at_dateline(lines, start, end, state)
    _caps_links(lines, start, end)
    _resolve_dates(state, lines[start].start)
    inside = [i for i in range(start, end + 1) if lines[i].reason is None]
    _remove_duplicates(lines, inside, lex)
    if mode == "page" and _set_header(lines, start, end, state):
        start += 1  # the headline opened the body run: it is not body
    for line in lines[end + 1 :]:
        if line.reason == "masthead":
            line.reason = "footer"
    title_key = norm(f.title or hints.title or "")
    seen_body = 0
    for i, line in enumerate(lines):
        if line.reason is not None or line.role is not None:
            continue
        key = norm(line.text)
        # near the top of the body, a headline printed again with small edits is still the headline
        if title_key and (
            key == title_key or (seen_body < 2 and not is_prose(line, lex) and _similar(key, title_key))
        ):
            line.reason = "repeated-title"
        elif state.byline_norm and key == state.byline_norm:
            line.reason = "repeated-byline"
        elif i < start:
            line.reason = "navigation"
        elif i > end:
            line.reason = "footer"
        else:
            line.role = "body"
            seen_body += 1
    f.paragraphs = [Paragraph(ln.text, ln.start, ln.end) for ln in lines if ln.role == "body"]
    f.removed = [RemovedLine(ln.text, ln.reason, ln.start, ln.end) for ln in lines if ln.reason is not None]
    if f.paragraphs:
        found = _dateline(f.paragraphs[0].text, lex)
        if found:
            f.dateline, f.agency = found
    return f
