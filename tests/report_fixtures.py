"""A hand-built story bundle (export shape) for the report tests, with hostile article text."""

from __future__ import annotations

from typing import Any

from parallax.export.schema import article_to_export, story_to_export
from parallax.records import (
    Article,
    ArticleFacts,
    Comparison,
    EntityRef,
    Event,
    EventDate,
    FactRef,
    Figure,
    FigureValue,
    Label,
    NumericClaim,
    Omission,
    Paragraph,
    Quote,
    RemovedLine,
    Statement,
    StatementVersion,
    Story,
    TimelineEntry,
    Verdict,
    Voice,
)

HOSTILE = '<img src=x onerror="document.title=\'pwned\'"><script>document.title="pwned"</script>'


def bundle() -> dict[str, Any]:
    (a, b), (fa, fb), story = small_story()
    return {
        "story": story_to_export(story),
        "articles": {a.id: article_to_export(a, fa), b.id: article_to_export(b, fb)},
    }


def small_story() -> tuple[list[Article], list[ArticleFacts], Story]:
    """Two outlets, one update, hostile markup in an article, a title and a summary."""
    a = Article(
        id="aaaa1111", source="a.txt", outlet="Outlet A", title="Order restored, leader says", published="2022-01-07T10:24",
        paragraphs=[Paragraph("The ministry said more than 3,000 people were detained."), Paragraph(f"Odd markup: {HOSTILE}")],
    )  # fmt: skip
    b = Article(
        id="bbbb2222",
        source="b.txt",
        outlet="Outlet B",
        title="Order fully restored",
        published="2022-01-10",
        paragraphs=[
            Paragraph('"Order has been restored," the leader said. About 8,000 people were detained.')
        ],
    )
    fa = ArticleFacts(
        article_id=a.id,
        claims=[NumericClaim("C1", "more than 3,000 people", None, 3000, None, "more than", False, "people", "people", "detained", 18, 40,
                             attributed_to=EntityRef("E1", "the ministry"), as_of="2022-01-07")],
        events=[Event("V1", "detention", "detained", EventDate("2022-01-07", "2022-01-07", None), 46, 54)],
    )  # fmt: skip
    fb = ArticleFacts(
        article_id=b.id,
        quotes=[Quote("Q1", "Order has been restored,", "direct", EntityRef("E1", "the leader"), "said", 1, 25)],
        claims=[NumericClaim("C1", "About 8,000 people", 8000, 7200, 8800, "about", False, "people", "people", "detained", 44, 62, as_of="2022-01-10")],
    )  # fmt: skip
    comparison = Comparison(
        figures=[Figure("detained", [
            FigureValue(a.id, "Outlet A", "C1", "more than 3,000 people", None, 3000, None, "more than", "2022-01-07", "the ministry"),
            FigureValue(b.id, "Outlet B", "C1", "About 8,000 people", 8000, 7200, 8800, "about", "2022-01-10", None)],
            [Verdict(a.id, b.id, "update")])],
        statements=[Statement("st1", "order restored", [
            StatementVersion(b.id, "Outlet B", "Q1", "Order has been restored,", "the leader", "direct", "2022-01-10")],
            diffs=[{"a": a.id, "b": b.id, "ops": [["equal", "Order", "Order"], ["replace", "mostly", f"fully {HOSTILE}"]]}], relation="update")],
        omissions=[Omission("figure", f"detained {HOSTILE}", ["Outlet A"], ["Outlet B"], [FactRef(a.id, "C1")])],
        voices=[Voice("Outlet B", "the leader", "official", 1, [FactRef(b.id, "Q1")])],
        labels=[Label("Outlet A", "rioters", "protesters", 2, 1)],
        timeline=[TimelineEntry(EventDate("2022-01-07", "2022-01-07", None), "detention", "people detained", ["Outlet A"], [FactRef(a.id, "V1")])],
    )  # fmt: skip
    story = Story(
        "s123",
        f"Order restored {HOSTILE}",
        [a.id, b.id],
        "2022-01-07T10:24",
        "2022-01-10",
        ["Outlet A", "Outlet B"],
        comparison=comparison,
    )
    return [a, b], [fa, fb], story


# --------------------------------------------------------------------------- a big story

from parallax.records import (  # noqa: E402
    Entity,
    Mention,
    SeriesPoint,
    StoryEntity,
    StoryEvent,
    TimeExpression,
)

OUTLETS = [
    "Reuters", "Associated Press", "BBC", "CNN", "The Guardian", "Fox News", "The Washington Post", "Al Jazeera",
    "AFP", "NPR", "The New York Times", "HuffPost", "Deutsche Welle", "France 24", "TASS", "Xinhua",
    "Hawaii News Now", "Honolulu Star-Advertiser", "Bloomberg", "NBC News",
]  # fmt: skip


def _article(i: int, outlet: str, day: int, toll: int) -> tuple[Article, ArticleFacts]:
    """One article: a headline (missing for every 7th), a quote by the governor, the toll as of its day."""
    aid = f"art{i:03d}{'x' * 9}"[:12]
    s1 = f"The death toll from the wildfire rose to {toll:,} on Tuesday, officials said."
    s2 = f'"We are heartbroken," Governor Josh Green said in a statement number {i}.'
    s3 = (
        "About 1,000 people remain missing, the county said."
        if i % 3
        else f"Crews searched burned homes. {HOSTILE if i == 5 else ''}"
    )
    text = f"{s1}\n\n{s2}\n\n{s3}"
    q_start = text.index('"We') + 1
    q_end = text.index('," Governor') + 1
    c_start = text.index(f"{toll:,}")
    g_start = text.index("Governor Josh Green")
    title = None if i % 7 == 0 else f"Wildfire toll rises to {toll} [update {i}]"
    published = f"2023-08-{day:02d}T{8 + i % 10:02d}:00"
    art = Article(
        id=aid, source=f"in/{aid}.json", outlet=outlet, title=title, published=published,
        url=f"https://news.example/{aid}" if i % 2 else ("javascript:alert(1)" if i == 4 else None),
        paragraphs=[Paragraph(p) for p in text.split("\n\n")],
        removed=[RemovedLine("Share this article", "share-widget"), RemovedLine("Advertisement", "advert")],
    )  # fmt: skip
    facts = ArticleFacts(
        article_id=aid,
        entities=[
            Entity("E1", "Josh Green", "PERSON", [Mention("Governor Josh Green", g_start, g_start + len("Governor Josh Green"))]),
            Entity("E2", "Maui County", "GPE", [Mention("the county", text.index("the county"), text.index("the county") + 10)] if i % 3 else []),
        ],
        quotes=[Quote("Q1", "We are heartbroken,", "direct", EntityRef("E1", "Josh Green"), "said", q_start, q_end, sentence_start=len(s1) + 2, sentence_end=len(s1) + 2 + len(s2))],
        claims=[NumericClaim("C1", f"{toll:,}", float(toll), None, None, None, False, "people", "people", "killed", c_start, c_start + len(f"{toll:,}"), as_of=published[:10],
                             sentence_start=0, sentence_end=len(s1))],
        times=[TimeExpression("T1", "Tuesday", published[:10], "DATE", text.index("Tuesday"), text.index("Tuesday") + 7)],
        events=[Event("V1", "killing", "death toll", EventDate(published[:10], published[:10], None), text.index("death toll"), text.index("death toll") + 10)],
    )  # fmt: skip
    return art, facts


def big_story(outlets: int = 20, articles: int = 60) -> tuple[list[Article], list[ArticleFacts], Story]:
    """A realistic big story: ``articles`` articles from ``outlets`` outlets (coverage uneven:
    the first outlets carry most), a toll reported over three weeks (a long series with
    updates, one revision and two conflicts, and ~1,700 pairwise verdicts), statements carried
    by most outlets, many omissions, voices and labels for every outlet, events, a timeline."""
    names = OUTLETS[:outlets]
    weights = [max(1, 8 - i // 2) for i in range(len(names))]
    pool = [o for o, w in zip(names, weights, strict=True) for _ in range(w)]
    arts, facts = [], []
    for i in range(articles):
        outlet = names[i] if i < len(names) else pool[(i * 7) % len(pool)]
        day = 9 + (i * 21) // articles
        toll = 36 + i * 2 if i != articles // 2 else 97
        a, f = _article(i, outlet, day, toll)
        arts.append(a)
        facts.append(f)
    series = []
    for i, (a, f) in enumerate(zip(arts, facts, strict=True)):
        c = f.claims[0]
        verdict = "first" if i == 0 else "update"
        if i == articles // 2:
            verdict, previous, revised = "revised", 115.0, True
        else:
            previous, revised = None, False
        if i in (10, 11):
            verdict = "conflict"
        series.append(SeriesPoint(a.id, "C1", a.outlet, c.as_of, c.value, qualifier=None, source="Maui County" if i % 2 else None,
                                  previous=previous, revised=revised, verdict=verdict))  # fmt: skip
    pairs = [Verdict(arts[i].id, arts[j].id, "conflict" if (i, j) == (10, 11) else ("agree" if (i + j) % 3 else "update"), "C1", "C1")
             for i in range(articles) for j in range(i + 1, articles)]  # fmt: skip
    values = [
        FigureValue(
            a.id,
            a.outlet,
            "C1",
            f.claims[0].text,
            f.claims[0].value,
            None,
            None,
            None,
            f.claims[0].as_of,
            None,
        )
        for a, f in zip(arts, facts, strict=True)
    ]
    missing = [SeriesPoint(a.id, "C1", a.outlet, a.published[:10] if a.published else None, 1000.0 - k * 40, qualifier="about", verdict="update")
               for k, a in enumerate(arts[::3])]  # fmt: skip
    statements = [
        Statement(f"st{k}", f"the governor is heartbroken ({k})",
                  [StatementVersion(a.id, a.outlet, "Q1", "We are heartbroken,", "Josh Green", "direct", a.published) for a in arts[k::2]],
                  relation="same")
        for k in range(4)
    ]  # fmt: skip
    omissions = [
        Omission(
            "figure",
            f"about 1,000 people missing (fact {k})",
            names[: 12 - k % 5],
            names[12 - k % 5 :],
            [FactRef(arts[1].id, "C1")],
        )
        for k in range(30)
    ]
    voices = [
        Voice(o, sp, role, n, [FactRef(arts[0].id, "Q1")])
        for o in names
        for sp, role, n in (
            ("Josh Green", "official", 3),
            ("Maui County", "official", 2),
            ("a resident", "witness", 1),
        )
    ]
    labels = [
        Label(o, term, "fire", k + 1)
        for k, o in enumerate(names)
        for term in ("wildfire", "inferno" if k % 2 else "blaze")
    ]
    timeline = [
        TimelineEntry(
            EventDate(f"2023-08-{d:02d}", f"2023-08-{d:02d}", None),
            "killing",
            f"toll reported ({d})",
            names[:3],
            [FactRef(arts[0].id, "V1")],
        )
        for d in range(9, 20)
    ]
    third = articles // 3
    events = [
        StoryEvent("ev1", "The fire and the first toll", [a.id for a in arts[:third]], arts[0].published, arts[third - 1].published, sorted({a.outlet or "" for a in arts[:third]})),
        StoryEvent("ev2", "The search for the missing", [a.id for a in arts[third : 2 * third]], arts[third].published, arts[2 * third - 1].published, sorted({a.outlet or "" for a in arts[third : 2 * third]})),
        StoryEvent("ev3", "The toll revised", [a.id for a in arts[2 * third :]], arts[2 * third].published, arts[-1].published, sorted({a.outlet or "" for a in arts[2 * third :]})),
    ]  # fmt: skip
    comparison = Comparison(
        figures=[Figure("killed", values, pairs, series=series), Figure("missing", [], [], series=missing)],
        statements=statements,
        omissions=omissions,
        voices=voices,
        labels=labels,
        timeline=timeline,
        entities=[StoryEntity("S-E1", "Josh Green", "PERSON", ["Governor Josh Green"], [FactRef(a.id, "E1") for a in arts]),
                  StoryEntity("S-E2", "Maui County", "GPE", [], [FactRef(a.id, "E2") for a in arts[1::3]])],
    )  # fmt: skip
    dates = sorted(a.published for a in arts if a.published)
    story = Story(
        "storybig0001",
        "Maui wildfire toll <b>rises</b>",
        [a.id for a in arts],
        dates[0],
        dates[-1],
        sorted(names),
        comparison=comparison,
        events=events,
    )
    return arts, facts, story


def big_bundle(outlets: int = 20, articles: int = 60) -> dict[str, Any]:
    arts, facts, story = big_story(outlets, articles)
    return {
        "story": story_to_export(story),
        "articles": {a.id: article_to_export(a, f) for a, f in zip(arts, facts, strict=True)},
    }


def fill_store(store: Any, arts: list[Article], facts: list[ArticleFacts], stories: list[Story]) -> None:
    """Store articles, their facts and the stories as the pipeline would."""
    from parallax.records import RawDocument

    for a, f in zip(arts, facts, strict=True):
        raw = RawDocument(source=a.source, format="jsonl", raw=a.text.encode("utf-8"), text=a.text, url=a.url)
        store.add_article(raw, a)
        store.save_facts(f)
    store.save_stories(stories)


def web_store(url: str) -> None:
    """A store with the big story (20 outlets) and the small one, facts and indexes included."""
    from parallax.store import open_store

    big_arts, big_facts, big = big_story()
    arts, facts, small = small_story()
    with open_store(url) as store:
        fill_store(store, big_arts + arts, big_facts + facts, [big, small])
