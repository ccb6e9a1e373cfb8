"""The line cleaner on project-written fixtures: wire datelines, related links, pull-quotes, edge cases."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from parallax.clean import clean_document, clean_text
from parallax.clean.dates import find_dates, normalize_iso, parse_date
from parallax.clean.text import clean_lines, split_lines
from parallax.errors import CleaningError, NoArticleError
from parallax.records import RawDocument

FIXTURES = Path(__file__).resolve().parent / "gold" / "cleaning" / "fixtures"


def _fixture(name: str):
    return clean_text((FIXTURES / name).read_text(encoding="utf-8"), source=name)


def _reasons(article) -> dict[str, str]:
    return {r.text: r.reason for r in article.removed}


def test_clean_text_wire_dateline_reuters() -> None:
    a = _fixture("wire_reuters.txt")
    assert a.title == "Oil prices climb as supply worries mount"
    assert a.byline == "Jane Doe, John Roe"
    assert a.outlet == "Reuters" and a.provenance["outlet"] == "text"
    assert a.dateline is not None
    assert a.dateline.places == ["London"]
    assert a.dateline.date == "--03-03"
    assert a.published is None  # no year in the text: never guessed
    assert a.paragraphs[0].text.startswith("LONDON, March 3 (Reuters) - Oil prices rose")
    assert len(a.paragraphs) == 4
    reasons = _reasons(a)
    assert reasons["Related: Oil output cuts extended into next quarter"] == "related-link"
    assert reasons["© 2023 Example Media Group. All rights reserved."] == "footer"
    assert reasons["4 MIN READ"] == "app-banner"
    assert reasons["Skip to main content"] == "app-banner"
    assert reasons["World"] == "navigation"


def test_clean_text_related_lines_and_pull_quote() -> None:
    a = _fixture("related_page.txt")
    assert a.title == "Scientists map the deep ocean floor in new detail"
    assert a.section == "News > Science"
    assert (a.published, a.updated) == ("2021-06-02T14:05", "2021-06-02T16:40")
    reasons = _reasons(a)
    assert reasons["Related: How sonar changed the study of the sea"] == "related-link"
    assert reasons["READ MORE: Mapping the sea floor, one ship at a time"] == "related-link"
    assert reasons["Share on Facebook"] == "share-widget"
    assert reasons["Home > News > Science"] == "breadcrumb"
    # the unquoted pull-quote and its label go; the quoted copy in the flow stays
    assert (
        reasons["We were surprised by how much activity we could see on the floor of the trench"]
        == "duplicate-pull-quote"
    )
    assert reasons["Dr. Ana Lopez, chief scientist"] == "duplicate-pull-quote"
    assert a.text.count("We were surprised") == 1
    assert [c.text for c in a.captions] == ["A sonar image of the trench floor."]
    assert a.captions[0].credit == "Institute handout/Photo"
    # nothing after the comments heading is article
    assert "Great article" not in a.text
    assert len(a.paragraphs) == 5


@pytest.mark.parametrize(
    ("line", "places", "date", "outlet"),
    [
        (
            "NEW YORK (AP) — Stocks fell sharply on Monday as investors sold shares across the board today.",
            ["New York"],
            None,
            "Associated Press",
        ),
        (
            "WASHINGTON, Jan 5 (Reuters) - The Senate passed the bill late on Wednesday after a long debate.",
            ["Washington"],
            "--01-05",
            "Reuters",
        ),
        (
            "MOSCOW, February 24, 2022. /TASS/. The ministry said the talks would resume next week in Minsk.",
            ["Moscow"],
            "2022-02-24",
            "TASS",
        ),
        (
            "KYIV / BRUSSELS - Officials met on Tuesday to discuss the aid package for the coming winter.",
            ["Kyiv", "Brussels"],
            None,
            None,
        ),
    ],
)
def test_clean_text_dateline_patterns(
    line: str, places: list[str], date: str | None, outlet: str | None
) -> None:
    text = f"Headline for a test story here\n\n{line}\n\nA second paragraph follows with more words so that the body is long enough.\n"
    a = clean_text(text)
    assert a.dateline is not None
    assert a.dateline.places == places
    assert a.dateline.date == date
    assert a.outlet == outlet


def test_clean_text_no_article_raises() -> None:
    with pytest.raises(NoArticleError):
        clean_text("Home\nNews\nSport\nWeather\nContact us\n")
    with pytest.raises(NoArticleError):
        clean_text("")


def test_clean_text_undecodable_raises_cleaning_error() -> None:
    doc = RawDocument(source="bad.txt", format="text", raw=b"\xff\xfe\x00bad")
    with pytest.raises(CleaningError):
        clean_document(doc)


def test_clean_text_hard_wrapped_paragraphs_are_joined() -> None:
    para = (
        "The council voted on Tuesday to approve the new budget for the coming year,\n"
        "which includes money for schools, roads and a new library in the north of\n"
        "the city, officials said after the meeting ended late in the evening.\n"
    )
    text = "Council approves budget\n\n" + para + "\n" + para.replace("council", "board") + "\n" + para
    lines = split_lines(text)
    assert all("\n" in text[ln.start : ln.end] for ln in lines[1:])
    a = clean_text(text)
    assert a.paragraphs and "\n" not in a.paragraphs[0].text


def test_clean_text_cjk_counts_as_prose() -> None:
    body = "この記事では、新しい図書館の開館について説明します。市は来月から利用者の受け付けを始めると発表しました。"
    more = "図書館には約二十万冊の本が置かれ、子ども向けの部屋や学習室も用意されるということです。"
    a = clean_text(f"ホーム\nニュース\n新しい図書館が開館\n{body}\n{more}\n")
    assert [p.text for p in a.paragraphs] == [body, more]


def test_clean_text_exact_repeated_structure_is_kept() -> None:
    row = "Portion: 1 cup of rice, 1 cup of beans, and a spoon of oil."
    intro = "This weekly meal plan lists every meal for the whole week, with the portions for each of the days in it."
    text = "\n".join([intro, row, "Meal 1", row, "Meal 2", row, "Meal 3", intro.replace("weekly", "daily")])
    a = clean_text(text)
    assert sum(p.text == row for p in a.paragraphs) == 3


@pytest.mark.parametrize(
    ("text", "iso"),
    [
        ("Published: 10:24, January 07, 2022", "2022-01-07T10:24"),
        ("Jan 5, 2022 at 3:45 p.m. EST", "2022-01-05T15:45-05:00"),
        ("7 January 2022 14:05 GMT", "2022-01-07T14:05+00:00"),
        ("2022-01-07T10:24:00+08:00", "2022-01-07T10:24:00+08:00"),
        ("NUR-SULTAN, January 10. /TASS/.", "--01-10"),
        ("he may 5 times", None),
        ("13.11.2019, 23:06", "2019-11-13T23:06"),
        ("By Tess Bonn - 11/19/19 06:56 AM EST", "2019-11-19T06:56-05:00"),
        ("05/06/2019", None),
        ("publiziert am 25. September 2018", "2018-09-25"),
        ("Nov 15, 20195:45 AM", "2019-11-15T05:45"),
        # zones as printed become offsets; "GMT+10" is not "GMT" (it was stored as +00:00)
        ("9 August 2023 18:48 GMT+10", "2023-08-09T18:48+10:00"),
        ("Published 18:48 GMT+10, 9 August 2023", "2023-08-09T18:48+10:00"),
        ("August 9, 2023 10:15 a.m. HST", "2023-08-09T10:15-10:00"),
        ("2019-11-20 16:29 +0530", "2019-11-20T16:29+05:30"),
        ("January 7, 2022 08:30 Beijing time", "2022-01-07T08:30+08:00"),
        ("Thu 13 Jan 2022 11.45 GMT", "2022-01-13T11:45+00:00"),
        # regional names follow the season of the date they go with
        ("Updated 3:04 PM ET, Sat January 8, 2022", "2022-01-08T15:04-05:00"),
        ("July 8, 2022 3:04 PM ET", "2022-07-08T15:04-04:00"),
        # no zone printed: none invented
        ("Jan 7, 2022 10:24 local time", "2022-01-07T10:24"),
        ("Posted Wed 9 Aug 2023 at 6pm", "2023-08-09T18:00"),
        # numbers that are no time
        ("May 5, 2023 12 people died", "2023-05-05"),
        ("January 3, 2022 at 1.5 million", "2022-01-03"),
    ],
)
def test_clean_dates_parse(text: str, iso: str | None) -> None:
    assert parse_date(text) == iso


def test_clean_dates_normalize_metadata() -> None:
    assert normalize_iso("2022-01-07") == "2022-01-07"
    assert normalize_iso("January 7, 2022") == "2022-01-07"
    assert normalize_iso("sometime") is None


@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=400))
@settings(max_examples=150, deadline=None)
def test_clean_dates_never_invent_a_year(text: str) -> None:
    for d in find_dates(text):
        if not d.has_year:
            assert d.iso.startswith("--")
        else:
            assert d.iso[2:4] in text  # "11/19/19" reads as 2019; a year is never made up


_LINE = st.one_of(
    st.sampled_from(
        ["Home", "Share this story", "READ MORE: x", "By Jane Doe", "© 2020 X", "", "Related", "China Daily"]
    ),
    st.text(alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\n"), max_size=120),
    st.lists(
        st.sampled_from(["the", "council", "said", "on", "Tuesday", "budget", "of", '"', "."]),
        min_size=5,
        max_size=40,
    ).map(" ".join),
)


@given(st.lists(_LINE, max_size=30))
@settings(max_examples=150, deadline=None)
def test_clean_lines_offsets_always_valid(lines: list[str]) -> None:
    text = "\n".join(lines)
    found = clean_lines(text)

    def squash(s: str) -> str:  # hard-wrapped blocks are joined with single spaces
        return " ".join(s.split())

    for p in found.paragraphs:
        assert p.raw_start is not None and p.raw_end is not None
        assert squash(text[p.raw_start : p.raw_end]) == squash(p.text)
    for r in found.removed:
        assert r.reason
        assert squash(text[r.raw_start : r.raw_end]) == squash(r.text)
    starts = [p.raw_start for p in found.paragraphs]
    assert starts == sorted(starts)


def test_clean_text_run_in_byline_paragraph_stays_body() -> None:
    lead = (
        "By Sam Reed, Associate NFL Editor -- (Sports Network) - Postseason football returns to the old field "
        "on Saturday when the home side meets the visitors in a game that both teams need to win."
    )
    text = "\n".join(
        [
            "Home side ready for the visitors",
            lead,
            "The second paragraph adds more of the story, with detail.",
        ]
    )
    a = clean_text(text)
    assert a.paragraphs[0].text == lead
    assert a.byline == "Sam Reed"


def test_clean_text_code_arrows_are_no_breadcrumb() -> None:
    intro = (
        "To change the adapter settings on the machine, follow these steps in the order they are given here."
    )
    step = "1. Control Panel -> Network and Internet -> Network and Sharing Center -> Change adapter settings"
    a = clean_text("\n".join(["How to change the adapter", intro, step, intro.replace("steps", "moves")]))
    assert step in a.text


def test_clean_text_cnn_run_in_highlights_leave_the_body() -> None:
    text = "\n".join(
        [
            "By the Wire Staff A pilot on the deck of the carrier on April 21, 2011 in the sea.",
            "NEW: Vehicles are among the targets struck Airstrikes hit the western town "
            "Washington (CNN) -- The alliance used attack helicopters for the first time on Saturday as part of "
            "its operation, officials said, in a move to raise the pressure on the government.",
            "The helicopters struck vehicles and equipment near the coast, a spokesman said in a statement.",
        ]
    )
    a = clean_text(text)
    assert a.paragraphs[0].text.startswith("Washington (CNN) -- The alliance")
    assert a.raw_text[a.paragraphs[0].raw_start : a.paragraphs[0].raw_end] == a.paragraphs[0].text
    assert any(r.reason == "highlights" and r.text.startswith("NEW:") for r in a.removed)
    assert a.dateline is not None and a.dateline.places == ["Washington"]


def test_clean_text_reuters_header_gives_date_and_zone() -> None:
    text = "\n".join(
        [
            "ZAWIYAH, Libya | Sat Jun 11, 2011 5:08 pm EDT ZAWIYAH, Libya (Reuters) - Troops fought gun battles "
            "with rebels in the town on Saturday, witnesses said, as the conflict moved closer to the capital.",
            "The fighting went on into the evening, residents said by telephone from the town centre.",
        ]
    )
    a = clean_text(text)
    assert a.published == "2011-06-11T17:08-04:00"
    assert a.paragraphs[0].text.startswith("ZAWIYAH, Libya (Reuters) - Troops")
    assert a.dateline is not None and a.dateline.places == ["Zawiyah"]


def test_clean_text_headline_is_the_line_the_byline_follows_not_a_list_item() -> None:
    body = (
        "The council voted on Tuesday to approve the new budget for the coming year, which includes money for "
        "schools, roads and a new library in the north of the city, officials said."
    )
    text = "\n".join(
        [
            "Home",
            "News",
            "Council approves budget for new library",
            "By Jane Doe",
            "Most Popular",
            "1",
            "Storm closes schools across the region",
            "2",
            "Police name suspect in bank robbery",
            "3",
            "Team wins the cup after a late goal",
            "Photo: a librarian sorts books in the old building. Credit: EPA",
            body,
            body.replace("council", "board"),
        ]
    )
    a = clean_text(text)
    assert a.title == "Council approves budget for new library"
    assert a.byline == "Jane Doe"


def test_clean_text_no_title_rather_than_a_caption() -> None:
    caption = "A rebel fighter stands guard at a checkpoint east of the city of Benghazi, June 11, 2011."
    body = (
        "Troops loyal to the government fought gun battles with rebels in the town on Saturday, witnesses said, "
        "as the conflict moved closer to the capital and residents fled."
    )
    a = clean_text("\n".join([caption, body, body.replace("Saturday", "Sunday")]))
    assert a.title is None


def test_clean_text_wire_credit_in_brackets_is_a_caption() -> None:
    body = (
        "The administration pursued a new moratorium on offshore drilling on Tuesday after the spill, officials "
        "said, while a video circulating online showed the secretary at a hearing."
    )
    a = clean_text(
        "\n".join(["Secretary of Energy Steven Chu (AP).", body, body.replace("Tuesday", "Monday")])
    )
    assert [(c.text, c.credit) for c in a.captions] == [("Secretary of Energy Steven Chu", "AP")]
    assert a.title is None


def test_clean_text_promotion_and_caps_links_leave_the_body_with_their_reason() -> None:
    para = (
        "The retailer earned $2.8 billion in the third quarter as revenue rose 3.5 percent, the company said "
        "on Tuesday, while sales at stores open at least a year were below expectations."
    )
    text = "\n".join(
        [
            "Retailer sales miss, shares fall",
            "By Jane Doe",
            para,
            "CO-FOUNDER 'PROUD' OF EMPLOYEES LIVING OUT THEIR AMERICAN DREAM",
            para.replace("retailer", "chain"),
            "WHO IS THE FRONT-RUNNER?",
            para.replace("Tuesday", "Monday"),
            "Stay up to date with the company. Subscribe to our newsletter.",
            "GET BUSINESS NEWS ON THE GO BY CLICKING HERE",
            para.replace("third", "fourth"),
        ]
    )
    a = clean_text(text)
    reasons = {r.text: r.reason for r in a.removed}
    assert reasons["CO-FOUNDER 'PROUD' OF EMPLOYEES LIVING OUT THEIR AMERICAN DREAM"] == "related-link"
    assert reasons["Stay up to date with the company. Subscribe to our newsletter."] == "promotion"
    assert reasons["GET BUSINESS NEWS ON THE GO BY CLICKING HERE"] == "promotion"
    assert "WHO IS THE FRONT-RUNNER?" in a.text  # a subhead in capitals stays
    assert len(a.paragraphs) == 5


def test_clean_text_chrome_lexicon_per_language() -> None:
    para = (
        "Pemerintah kota mengumumkan rencana baru untuk memperluas jaringan trem ke tiga distrik baru, "
        "sebuah proyek yang menurut para pejabat akan memakan waktu sekitar enam tahun."
    )
    text = "\n".join(
        ["Kota memperluas jaringan trem", para, "Bagikan ini:", "Cetak", "Surat elektronik", para]
    )
    a = clean_text(text)
    reasons = {r.text: r.reason for r in a.removed}
    assert reasons["Cetak"] == "share-widget" and reasons["Surat elektronik"] == "share-widget"


def test_clean_text_reuters_run_in_headline_becomes_the_title() -> None:
    text = "\n".join(
        [
            "EU, U.S. to urge U.N. sanctions on Syria UNITED NATIONS | Mon Aug 22, 2011 5:01 pm EDT "
            "UNITED NATIONS (Reuters) - A European and U.S. draft resolution will call for sanctions against the "
            "government, diplomats said on Monday, in a move that was expected to face opposition.",
            "The draft would also freeze assets, according to a copy seen by reporters at the United Nations.",
        ]
    )
    a = clean_text(text)
    assert a.title == "EU, U.S. to urge U.N. sanctions on Syria"
    assert a.published == "2011-08-22T17:01-04:00"
    assert a.paragraphs[0].text.startswith("UNITED NATIONS (Reuters) - A European")


@pytest.mark.parametrize(
    ("line", "caption", "credit"),
    [
        (
            "Police said the man fled on foot after the crash. (AP Photo/Evan Vucci)",
            "Police said the man fled on foot after the crash.",
            "AP Photo/Evan Vucci",
        ),
        (
            "The hospital where the patients sought treatmentCredit: EPA",
            "The hospital where the patients sought treatment",
            "EPA",
        ),
        (
            "The road to retiring early isn't easy.Kathrin Ziegler/Getty",
            "The road to retiring early isn't easy.",
            "Kathrin Ziegler/Getty",
        ),
        (
            "The logo is displayed outside of an office in New York.Reuters",
            "The logo is displayed outside of an office in New York.",
            "Reuters",
        ),
    ],
)
def test_clean_text_captions_keep_their_credit_apart(line: str, caption: str, credit: str) -> None:
    body = (
        "The council voted on Tuesday to approve the new budget for the coming year, which includes money for "
        "schools, roads and a new library in the north of the city, officials said."
    )
    a = clean_text(
        "\n".join(["Council approves budget for new library", body, line, body.replace("council", "board")])
    )
    assert (caption, credit) in [(c.text, c.credit) for c in a.captions]
    assert line not in a.text


def test_clean_text_comment_timestamps_are_no_publication_date() -> None:
    body = (
        "Forces loyal to the government shelled the town on Saturday, residents said, as rebels tried to hold "
        "the road to the coast against a new attack from the south."
    )
    text = "\n".join(
        [
            body,
            body.replace("Saturday", "Sunday"),
            "April 23, 2011 at 6:07 pm | Pathetic Europeans.",
            "April 24, 2011 at 7:43 pm | Reply Why now?",
        ]
    )
    a = clean_text(text)
    assert a.published is None
    assert {r.reason for r in a.removed if r.text.startswith("April")} == {"comment"}
