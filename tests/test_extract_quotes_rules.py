"""Quote rules on small hand-written texts, quotation-mark pairing and robustness."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from parallax.extract import extract_article
from parallax.extract.entities import EntityExtractor
from parallax.extract.quotes import QuoteExtractor
from parallax.extract.textspans import Paragraphs, find_quotes
from parallax.records import Article, ArticleFacts, Paragraph


def run(body: str, title: str | None = None, standfirst: str | None = None) -> ArticleFacts:
    article = Article(
        id="t1",
        source="t",
        title=title,
        standfirst=standfirst,
        paragraphs=[Paragraph(p) for p in body.split("\n\n")],
        language="en",
    )
    return extract_article(article, extractors=[EntityExtractor(), QuoteExtractor()])


def one(facts: ArticleFacts, needle: str):  # type: ignore[no-untyped-def]
    found = [q for q in facts.quotes if needle in q.text]
    assert found, f"no quote with {needle!r}: {[(q.kind, q.cue, q.text) for q in facts.quotes]}"
    return found[0]


@pytest.mark.parametrize(
    ("body", "needle", "speaker", "cue", "kind"),
    [
        (
            '"We will rebuild the bridge by spring," Mayor Anna Kowalski said.',
            "rebuild the bridge",
            "Anna Kowalski",
            "said",
            "direct",
        ),
        (
            "“We will rebuild the bridge by spring,” said Anna Kowalski, the mayor.",
            "rebuild the bridge",
            "Anna Kowalski",
            "said",
            "direct",
        ),
        (
            "Anna Kowalski said: “We will rebuild the bridge by spring.”",
            "rebuild the bridge",
            "Anna Kowalski",
            "said",
            "direct",
        ),
        (
            "Mayor Anna Kowalski said that the bridge would be rebuilt by spring.",
            "the bridge would be rebuilt",
            "Anna Kowalski",
            "said",
            "indirect",
        ),
        (
            "According to Mayor Anna Kowalski, the bridge will be rebuilt by spring.",
            "the bridge will be rebuilt",
            "Anna Kowalski",
            "According to",
            "indirect",
        ),
        (
            "The bridge, Mayor Anna Kowalski insists, will be rebuilt by spring.",
            "will be rebuilt",
            "Anna Kowalski",
            "insists",
            "indirect",
        ),
        (
            "The bridge will be rebuilt by spring, Mayor Anna Kowalski told reporters.",
            "The bridge will be rebuilt",
            "Anna Kowalski",
            "told",
            "indirect",
        ),
        (
            "Mayor Anna Kowalski called on residents to avoid the river banks.",
            "residents to avoid",
            "Anna Kowalski",
            "called on",
            "indirect",
        ),
    ],
)
def test_extract_quotes_patterns(body: str, needle: str, speaker: str, cue: str, kind: str) -> None:
    q = one(run(body), needle)
    assert q.speaker is not None and q.speaker.name == speaker
    assert q.cue == cue
    assert q.kind == kind


def test_extract_quotes_pronoun_speaker_resolves_to_entity() -> None:
    facts = run(
        "Mayor Anna Kowalski visited the site on Monday.\n\n"
        "“The bridge will be rebuilt, and it will be stronger,” she said."
    )
    q = one(facts, "bridge will be rebuilt")
    assert q.speaker is not None and q.speaker.name == "Anna Kowalski"
    assert q.speaker_text == "she"
    ent = next(e for e in facts.entities if e.id == q.speaker.entity_id)
    assert "she" in {m.text for m in ent.mentions}


def test_extract_quotes_split_by_said_share_speaker_and_cue() -> None:
    facts = run(
        "“The water came in the night,” Pedro Alvarez said. “We lost everything we had in the house.”"
    )
    a, b = one(facts, "water came"), one(facts, "lost everything")
    assert a.speaker == b.speaker and a.cue == b.cue == "said"


def test_extract_quotes_multi_paragraph_quote() -> None:
    facts = run(
        "Pedro Alvarez described the night.\n\n"
        "“The water came in the night and we ran to the roof with the children.\n\n"
        "“We lost everything we had in the house,” he said."
    )
    quotes = [q for q in facts.quotes if q.kind == "direct"]
    assert len(quotes) == 1
    assert "water came" in quotes[0].text and "lost everything" in quotes[0].text
    assert quotes[0].speaker is not None and quotes[0].speaker.name == "Pedro Alvarez"


def test_extract_quotes_headline_attribution() -> None:
    facts = run("The bridge closed on Monday.", title="Bridge will be rebuilt by spring, mayor says")
    q = one(facts, "Bridge will be rebuilt")
    assert q.field == "title" and q.cue == "says"


def test_extract_quotes_nested_speaker() -> None:
    facts = run(
        "“Calls for calm were repeated by Maria Lopez during the meeting with the ministers,” "
        "spokesman Tom Baker told reporters."
    )
    q = one(facts, "Calls for calm")
    assert q.speaker is not None and q.speaker.name == "Tom Baker"
    assert q.nested_speaker is not None and q.nested_speaker.name == "Maria Lopez"


def test_extract_quotes_scare_quotes_are_not_quotes() -> None:
    facts = run("The police said 26 “armed criminals” had been “liquidated” overnight.")
    assert all(q.text not in ("armed criminals", "liquidated") for q in facts.quotes)


@pytest.mark.parametrize(
    "body",
    [
        "He said “this never ends and goes on.\n\nNext paragraph without marks.",
        'A stray ” mark here, and “another one, and " a straight one.',
        '”””“““"""',
        "“" * 500,
    ],
)
def test_extract_quotes_unbalanced_marks_do_not_crash(body: str) -> None:
    facts = run(body)
    for q in facts.quotes:
        assert 0 <= q.start <= q.end
        assert 0.0 <= q.confidence <= 1.0


def test_extract_quotes_long_sentence_and_article(nlp) -> None:  # type: ignore[no-untyped-def]
    sentence = " ".join(["the minister said that the council"] * 1000) + "."
    body = "\n\n".join(
        f"“We will need {i} more days to finish the repairs,” Anna Kowalski said. "
        f"The council, officials said, met on Monday and Tokayev told reporters that work continues."
        for i in range(400)
    )
    article = Article(
        id="big", source="t", paragraphs=[Paragraph(sentence), *(Paragraph(p) for p in body.split("\n\n"))]
    )
    facts = extract_article(article, nlp=nlp, extractors=[EntityExtractor(), QuoteExtractor()])
    # Speed against bare parsing is measured by bench/bench_extract.py, not in a timed test.
    assert len(facts.quotes) >= 400


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet='ab “”"\n.,', max_size=200))
def test_find_quotes_spans_are_ordered_and_inside_text(text: str) -> None:
    paras = Paragraphs(text)
    spans = find_quotes(text, paras)
    prev_end = -1
    for q in spans:
        assert 0 <= q.outer_start <= q.start <= q.end <= q.outer_end <= len(text)
        assert q.outer_start >= prev_end
        prev_end = q.outer_end


def test_extract_quotes_reported_statement_inside_reported_speech() -> None:
    facts = run("Spokesman Tom Baker said that Secretary Maria Lopez had called for calm in the capital.")
    outer = one(facts, "had called for calm")
    assert outer.speaker is not None and outer.speaker.name == "Tom Baker"
    assert outer.nested_speaker is not None and outer.nested_speaker.name == "Maria Lopez"


def test_headline_colon_names_the_source() -> None:
    facts = run("The council met on Monday.", title="Kowalski: Bridge Will Reopen by Spring")
    q = one(facts, "Bridge Will Reopen")
    assert q.field == "title"
    assert q.speaker_text == "Kowalski"
    assert q.cue == ":"


def test_headline_rubric_is_not_a_source() -> None:
    facts = run("The council met on Monday.", title="The Latest: Bridge reopens after repairs")
    assert not [q for q in facts.quotes if q.field == "title"]


def test_continued_is_a_speech_cue() -> None:
    facts = run("“The bridge will be open to traffic again by the spring,” Mayor Anna Kowalski continued.")
    q = one(facts, "open to traffic")
    assert q.cue == "continued"
    assert q.speaker is not None and "Kowalski" in q.speaker.name


def test_reported_content_runs_to_the_quotation_it_opened() -> None:
    facts = run("Anna Kowalski said that “the bridge, which was closed in May, will reopen by spring.”")
    q = one(facts, "the bridge")
    assert q.text.rstrip("”.").endswith("will reopen by spring")


def test_particle_belongs_to_the_cue() -> None:
    facts = run("Anna Kowalski pointed out that the bridge had been closed for two years.")
    q = one(facts, "closed for two years")
    assert q.cue == "pointed out"


def test_announced_object_is_the_content() -> None:
    facts = run("Mayor Anna Kowalski announced her resignation on Monday.")
    q = one(facts, "her resignation")
    assert q.cue == "announced"
    assert q.speaker is not None and "Kowalski" in q.speaker.name


def test_asked_if_clause_is_the_content() -> None:
    facts = run("Mayor Anna Kowalski asked if the residents planned to attend the hearing.")
    q = one(facts, "planned to attend")
    assert q.cue == "asked"


# ----------------------------------------------------------------- attribution kinds, unknown speakers, link boxes


def test_learned_cue_finds_a_stance_with_its_source() -> None:
    facts = run("Senator Maria Lopez thanked the volunteers for their work after the storm.")
    q = one(facts, "the volunteers")
    assert q.attribution == "stance"
    assert q.speaker is not None and "Lopez" in q.speaker.name
    assert q.speaker_text == "Senator Maria Lopez"


def test_agreeing_to_act_is_a_stance_not_a_statement() -> None:
    facts = run("The company agreed to set up a fund for the victims of the spill.")
    q = one(facts, "a fund")
    assert q.attribution == "stance"


def test_speech_stays_speech() -> None:
    facts = run("Anna Kowalski said that the bridge will reopen by spring.")
    assert one(facts, "the bridge will reopen").attribution == "speech"


def test_speaker_that_names_no_one_is_left_unresolved() -> None:
    facts = run("The initial tally said that at least 36 people had died in the fire.")
    q = one(facts, "36 people")
    assert q.speaker is None
    assert q.speaker_text == "The initial tally"


def test_related_links_box_is_not_quoted() -> None:
    body = (
        "The council met on Monday to discuss the bridge.\n\n"
        "Telegraph Costs could spiral - 2 hrs ago USA Today OBAMA: BP plans fund for workers - 11 hrs ago "
        "France24 Chief vows to fix the coast, the mayor said - 12 hrs ago"
    )
    facts = run(body)
    assert not [q for q in facts.quotes if "BP plans" in q.text or "vows" in (q.cue or "")]


def test_headline_line_in_the_body_is_not_quoted() -> None:
    facts = run('The council met on Monday.\n\nMayor Kowalski: "We Will Rebuild the Old Bridge by Spring" Says Council')
    assert not [q for q in facts.quotes if "Rebuild" in q.text]


def test_cue_after_a_quotation_with_its_own_clause_is_not_its_cue() -> None:
    facts = run('President Obama welcomed the test. "This is good news" BP says it is encouraged by the first data.')
    assert not [q for q in facts.quotes if q.text.startswith("This is good news") and q.speaker and q.speaker.name == "BP"]


def test_title_followed_by_a_naming_participle_is_not_a_quote() -> None:
    facts = run('The study, titled "The long-term fate of the oil spill in the Atlantic," uses a simulator called OFES.')
    assert not [q for q in facts.quotes if "long-term fate" in q.text and q.kind == "direct"]


@pytest.mark.parametrize("line", ["WRAPUP: BP says the test shuts off the oil leak from the Gulf well", "Fri Jul 16: no signs of leaking on Friday after the new cap"])
def test_rubric_or_date_before_a_colon_is_no_speaker(line: str) -> None:
    facts = run(f"The council met on Monday.\n\n{line}.")
    assert not [q for q in facts.quotes if q.cue == ":"]


@pytest.mark.parametrize(
    ("body", "needle", "speaker_text"),
    [
        # "according to X" without commas: the clause before it, the sentence before, the quotation it opens
        ("Clinton leads Sanders by 271 pledged delegates according to a count by The Associated Press.",
         "Clinton leads Sanders by 271 pledged delegates", "a count by The Associated Press"),
        ("Most voters want a change of course. That's according to early results of exit polls.",
         "Most voters want a change of course", "early results of exit polls"),
        # polls: a share parsed as a number, a one-word answer
        ("About 4 in 10 say they want the next president to have more liberal policies.",
         "they want the next president", "About 4 in 10"),
        ("In December, 55 percent said so.", "so", "55 percent"),
    ],
)
def test_extract_quotes_polnear_style_attributions(body: str, needle: str, speaker_text: str) -> None:
    q = next((q for q in run(body).quotes if q.text.startswith(needle)), None)
    assert q is not None, [(x.cue, x.text) for x in run(body).quotes]
    assert q.speaker_text == speaker_text
