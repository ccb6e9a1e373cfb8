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
    Statement,
    StatementVersion,
    Story,
    TimelineEntry,
    Verdict,
    Voice,
)

HOSTILE = '<img src=x onerror="document.title=\'pwned\'"><script>document.title="pwned"</script>'


def bundle() -> dict[str, Any]:
    a = Article(
        id="aaaa1111", source="a.txt", outlet="Outlet A", title="Order restored, leader says", published="2022-01-07T10:24",
        paragraphs=[Paragraph("The ministry said more than 3,000 people were detained."), Paragraph(f"Odd markup: {HOSTILE}")],
    )  # fmt: skip
    b = Article(
        id="bbbb2222", source="b.txt", outlet="Outlet B", title="Order fully restored", published="2022-01-10",
        paragraphs=[Paragraph('"Order has been restored," the leader said. About 8,000 people were detained.')],
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
    story = Story("s123", f"Order restored {HOSTILE}", [a.id, b.id], "2022-01-07T10:24", "2022-01-10", ["Outlet A", "Outlet B"], comparison=comparison)
    return {"story": story_to_export(story), "articles": {a.id: article_to_export(a, fa), b.id: article_to_export(b, fb)}}
