"""Each comparison part on small hand-built stories."""

from __future__ import annotations

import datetime
import math
import random
from collections import Counter

import pytest
from hypothesis import given
from hypothesis import strategies as st

from parallax.compare import compare_story
from parallax.compare.context import StoryContext, date_interval
from parallax.compare.entities import story_entities
from parallax.compare.figures import interval_of, measure_of, verdict
from parallax.compare.labels import log_odds
from parallax.compare.statements import split_sentences, word_diff
from parallax.compare.voices import role_of
from parallax.errors import PipelineError
from parallax.records import (
    Article,
    ArticleFacts,
    Entity,
    EntityRef,
    Event,
    EventDate,
    Mention,
    NumericClaim,
    Paragraph,
    Quote,
)


def art(aid: str, outlet: str, text: str, published: str | None = "2022-01-07", dup: str | None = None) -> Article:
    return Article(id=aid, source=aid, outlet=outlet, published=published, paragraphs=[Paragraph(text)], duplicate_of=dup)


def ent(eid: str, name: str, etype: str = "PERSON", aliases: tuple[str, ...] = ()) -> Entity:
    return Entity(eid, name, etype, [Mention(name, 0, len(name))], list(aliases))


def claim(cid: str, value: float | None, qualifier: str | None = None, category: str = "detained", **kw) -> NumericClaim:
    low = kw.pop("low", None)
    high = kw.pop("high", None)
    return NumericClaim(cid, f"{qualifier or ''} {value}", value, low, high, qualifier, value is None, kw.pop("unit", "people"),
                        kw.pop("counted", "people"), category, 0, 5, **kw)


def quote(qid: str, text: str, speaker: str | None, kind: str = "direct", eid: str | None = None) -> Quote:
    return Quote(qid, text, kind, EntityRef(eid, speaker) if speaker else None, "said", 0, len(text))  # type: ignore[arg-type]


# ----------------------------------------------------------------- figures


@pytest.mark.parametrize(
    ("value", "qualifier", "low", "high", "want"),
    [
        (3000, "more than", 3000, None, (3000, math.inf)),
        (8000, "about", None, None, (7200, 8800)),
        (101, "up to", None, 101, (0, 101)),
        (26, None, None, None, (26, 26)),
        (500, "nearly", None, None, (450, 500)),
        (None, "scores of", None, None, None),
    ],
)
def test_compare_interval_from_qualifier(value, qualifier, low, high, want) -> None:
    got = interval_of(claim("C1", value, qualifier, low=low, high=high))
    if want is None:
        assert got is None
    else:
        assert got is not None and got[0] == pytest.approx(want[0]) and got[1] == pytest.approx(want[1])


@given(st.floats(min_value=1, max_value=1e9), st.sampled_from(["about", "around", "more than", "up to", "at least", None]))
def test_compare_interval_holds_its_value(value: float, qualifier: str | None) -> None:
    lo, hi = interval_of(claim("C1", value, qualifier))  # type: ignore[misc]
    assert lo <= value <= hi


@pytest.mark.parametrize(
    ("a", "ad", "b", "bd", "cumulative", "want"),
    [
        ((3000, math.inf), "2022-01-07", (7200, 8800), "2022-01-10", True, "update"),
        ((7200, 8800), "2022-01-10", (3000, math.inf), "2022-01-07", True, "update"),
        ((26, 26), "2022-01-07", (40, 40), "2022-01-07", True, "conflict"),
        ((26, 26), "2022-01-07", (24, 30), "2022-01-07", True, "agree"),
        # a later lower toll is a revision, not a conflict: only one day's reports can conflict
        ((500, 500), "2022-01-07", (200, 200), "2022-01-09", True, "update"),
        ((500, 500), "2022-01-07", (200, 200), "2022-01-09", False, "update"),
        ((26, 26), "2022-01-07", (26, 26), "2022-01-08", True, "agree"),
        (None, "2022-01-07", (26, 26), "2022-01-07", True, "unclear"),
        ((26, 26), None, (40, 40), "2022-01-07", True, "unclear"),
    ],
)
def test_compare_figure_verdicts(a, ad, b, bd, cumulative, want) -> None:
    assert verdict(a, ad, b, bd, cumulative)[0] == want


def test_compare_measures_split_killed_by_group_not_detained() -> None:
    assert measure_of(claim("C1", 18, category="killed", actor="police and national guard servicemen")) == (
        "killed: security forces",
        "police and national guard servicemen",
    )
    assert measure_of(claim("C1", 3000, category="detained", actor="armed criminals"))[0] == "detained"  # type: ignore[index]
    assert measure_of(claim("C1", 5, category="killed", counted="people")) == ("killed", None)
    assert measure_of(claim("C1", 5, category="arrested")) == ("detained", None)
    # a group the lexicon does not know is no subgroup of a toll; staff keep theirs as written
    assert measure_of(claim("C1", 97, category="killed", actor="the deadliest U.S. wildfires")) == ("killed", None)
    assert measure_of(claim("C1", 101, category="staff", actor="international personnel"))[0] == (  # type: ignore[index]
        "staff: international personnel"
    )
    assert measure_of(claim("C1", 5e9, category="money", unit="USD")) == ("money (USD)", None)


def test_compare_figures_across_outlets() -> None:
    arts = [art("a", "A", "x", "2022-01-07"), art("b", "B", "y", "2022-01-10"), art("c", "C", "z", "2022-01-10")]
    facts = [
        ArticleFacts("a", claims=[claim("C1", 3000, "more than", low=3000)]),
        ArticleFacts("b", claims=[claim("C1", 8000, "about")]),
        ArticleFacts("c", claims=[claim("C1", 5000, None)]),
    ]
    comp = compare_story(arts, facts)
    (fig,) = comp.figures
    assert fig.measure == "detained"
    assert [v.outlet for v in fig.values] == ["A", "B", "C"]
    got = Counter(v.verdict for v in fig.verdicts)
    # A->B and A->C are growth; B and C disagree on the same day.
    assert got == Counter({"update": 2, "conflict": 1})
    assert [p.verdict for p in fig.series] == ["first", "conflict", "conflict"]


def test_compare_figures_series_keeps_roles_and_revisions_apart() -> None:
    arts = [art("a", "A", "x", "2023-08-15"), art("b", "B", "y", "2023-08-16"), art("c", "C", "z", "2023-08-20")]
    facts = [
        ArticleFacts("a", claims=[claim("C1", 115, None, category="killed"), claim("C2", 67, None, category="killed", role="other")]),
        ArticleFacts("b", claims=[claim("C1", 115, "at least", low=115, category="killed")]),
        ArticleFacts("c", claims=[claim("C1", 115, None, category="killed", role="previous"),
                                  claim("C2", 97, None, category="killed", previous=115, revised=True)]),
    ]  # fmt: skip
    (fig,) = compare_story(arts, facts).figures
    assert fig.measure == "killed"
    assert [(p.outlet, p.value, p.verdict, p.previous) for p in fig.series] == [
        ("A", 115, "first", None),
        ("B", 115, "same", None),
        ("C", 97, "revised", 115),
    ]
    assert {v.verdict for v in fig.verdicts} == {"update"}


# ----------------------------------------------------------------- entities


def test_compare_entities_surname_joins_only_an_unambiguous_name() -> None:
    arts = [art("a", "A", "x"), art("b", "B", "y"), art("c", "C", "z")]
    facts = [
        ArticleFacts("a", entities=[ent("E1", "Barack Obama"), ent("E2", "Michelle Obama")]),
        ArticleFacts("b", entities=[ent("E1", "Obama")]),
        ArticleFacts("c", entities=[ent("E1", "Nursultan Nazarbayev"), ent("E2", "Nazarbayev")]),
    ]
    index = story_entities(StoryContext.build(arts, facts))
    assert index.by_ref[("b", "E1")] not in (index.by_ref[("a", "E1")], index.by_ref[("a", "E2")])
    assert index.by_ref[("c", "E1")] is index.by_ref[("c", "E2")]
    assert index.by_ref[("a", "E1")] is not index.by_ref[("a", "E2")]


def test_compare_entities_acronym_and_role_alias() -> None:
    arts = [art("a", "A", "x"), art("b", "B", "y")]
    facts = [
        ArticleFacts("a", entities=[ent("E1", "North Atlantic Treaty Organization", "ORG", ("the alliance",))]),
        ArticleFacts("b", entities=[ent("E1", "NATO", "ORG"), ent("E2", "the alliance", "ORG")]),
    ]
    index = story_entities(StoryContext.build(arts, facts))
    assert len({index.by_ref[k].id for k in [("a", "E1"), ("b", "E1"), ("b", "E2")]}) == 1
    assert index.by_ref[("a", "E1")].name == "North Atlantic Treaty Organization"


def test_compare_entities_shared_role_does_not_join_two_named_actors() -> None:
    arts = [art("a", "A", "x"), art("b", "B", "y")]
    facts = [
        ArticleFacts("a", entities=[ent("E1", "Jane Roe", aliases=("the spokesman",))]),
        ArticleFacts("b", entities=[ent("E1", "John Doe", aliases=("the spokesman",))]),
    ]
    index = story_entities(StoryContext.build(arts, facts))
    assert index.by_ref[("a", "E1")] is not index.by_ref[("b", "E1")]


# ----------------------------------------------------------------- statements


def test_compare_word_diff_over_words() -> None:
    ops = word_diff("Constitutional order has largely been restored", "Constitutional order has been restored")
    assert ops == [["delete", "largely", ""]]


def test_compare_split_sentences_keeps_abbreviation_free_text() -> None:
    assert split_sentences('It works. "Yes," he said. 3 more') == ["It works.", '"Yes," he said.', "3 more"]


def test_compare_same_direct_quote_with_drift() -> None:
    arts = [art("a", "A", "x"), art("b", "B", "y")]
    facts = [
        ArticleFacts("a", entities=[ent("E1", "Jane Roe")],
                     quotes=[quote("Q1", "We will rebuild every school that was destroyed in the storm", "Jane Roe", eid="E1")]),
        ArticleFacts("b", entities=[ent("E1", "Roe")],
                     quotes=[quote("Q1", "We will rebuild every single school destroyed in the storm", "Roe", eid="E1")]),
    ]
    comp = compare_story(arts, facts)
    assert not comp.statements
    (q,) = comp.quotes
    assert q.relation == "drift" and q.speakers_agree
    assert {v.article_id for v in q.versions} == {"a", "b"}
    assert q.diffs and q.diffs[0]["ops"]
    assert not [o for o in comp.omissions if o.kind == "quote"]


def test_compare_update_and_tension_from_hedges() -> None:
    arts = [art("a", "A", "x", "2022-01-07"), art("b", "B", "y", "2022-01-10")]
    facts = [
        ArticleFacts("a", entities=[ent("E1", "Jane Roe"), ent("E2", "the city council", "ORG")], quotes=[
            quote("Q1", "power has largely been restored across the whole city", "Jane Roe", "indirect", "E1"),
            quote("Q2", "power has been restored across the whole city", "the city council", "indirect", "E2"),
        ]),
        ArticleFacts("b", entities=[ent("E1", "Jane Roe")], quotes=[
            quote("Q1", "power has been restored across the whole city", "Jane Roe", "indirect", "E1"),
        ]),
    ]
    comp = compare_story(arts, facts)
    rel = {s.relation: s for s in comp.statements}
    assert "update" in rel and rel["update"].speakers_agree
    assert "largely" in (rel["update"].note or "")
    assert "tension" not in rel  # same outlet, same day: no comparison across reports
    facts[1] = ArticleFacts("b", entities=[ent("E1", "the city council", "ORG")], quotes=[
        quote("Q1", "power has been restored across the whole city", "the city council", "indirect", "E1"),
    ])
    arts[1] = art("b", "B", "y", "2022-01-07")
    rel = {s.relation: s for s in compare_story(arts, facts).statements}
    assert rel["tension"].speakers_agree is False
    assert {(v.outlet, v.speaker) for v in rel["tension"].versions} == {("A", "Jane Roe"), ("B", "the city council")}


# ----------------------------------------------------------------- omissions, duplicates


def test_compare_duplicates_count_once() -> None:
    arts = [art("a", "A", "Police detained the rioters."), art("a2", "A", "Police detained the rioters.", dup="a"),
            art("b", "B", "Nothing here.")]
    facts = [
        ArticleFacts("a", quotes=[quote("Q1", "the rioters will face the full force of the law", "Jane Roe")]),
        ArticleFacts("a2", quotes=[quote("Q1", "the rioters will face the full force of the law", "Jane Roe")]),
        ArticleFacts("b"),
    ]
    comp = compare_story(arts, facts)
    assert [(v.outlet, v.count) for v in comp.voices] == [("A", 1)]
    assert [(lb.term, lb.count) for lb in comp.labels] == [("police", 1), ("rioters", 1)]
    assert not comp.quotes  # a near-duplicate is not a second report
    (om,) = [o for o in comp.omissions if o.kind == "quote"]
    assert om.present_in == ["A"] and om.absent_from == ["B"]


def test_compare_figure_omission_notes_words_without_number() -> None:
    arts = [art("a", "A", "Twelve were killed."), art("b", "B", "There were fatalities.")]
    facts = [ArticleFacts("a", claims=[claim("C1", 12, category="killed")]), ArticleFacts("b")]
    (om,) = compare_story(arts, facts).omissions
    assert (om.kind, om.absent_from, om.note) == ("figure", ["B"], "B reports it without a figure")


def test_compare_single_outlet_has_no_omissions() -> None:
    comp = compare_story([art("a", "A", "x")], [ArticleFacts("a", claims=[claim("C1", 3, category="killed")])])
    assert comp.omissions == [] and comp.distinctive_terms == []


def test_compare_facts_for_unknown_article() -> None:
    with pytest.raises(PipelineError, match="zzz"):
        compare_story([art("a", "A", "x")], [ArticleFacts("zzz")])


# ----------------------------------------------------------------- timeline, labels, voices


def test_compare_timeline_merges_same_type_overlapping_dates() -> None:
    arts = [art("a", "A", "x"), art("b", "B", "y", "--01-05")]
    facts = [
        ArticleFacts("a", events=[Event("V1", "protest", "rallies", EventDate("2022-01-02", "2022-01-04", None), 0, 1),
                                  Event("V2", "riot", "riots", EventDate("2022-01-03", None, None), 0, 1)]),
        ArticleFacts("b", events=[Event("V1", "protest", "protests", EventDate("--01-03", None, "Monday"), 0, 1),
                                  Event("V2", "protest", "march", EventDate("XXXX-01-09", None, None), 0, 1)]),
    ]
    tl = compare_story(arts, facts).timeline
    got = [(e.date.start, e.date.end, e.type, e.outlets) for e in tl]
    assert got == [
        ("2022-01-02", "2022-01-04", "protest", ["A", "B"]),
        ("2022-01-03", None, "riot", ["A"]),
        ("2022-01-09", None, "protest", ["B"]),
    ]


def test_compare_labels_longest_match_and_scare_quotes() -> None:
    text = 'Peaceful demonstrators met "terrorists" and counter-terrorist operation units; demonstrators left.'
    comp = compare_story([art("a", "A", text)], [ArticleFacts("a")])
    got = {lb.term: (lb.count, lb.scare_quoted, lb.actor) for lb in comp.labels}
    assert got["peaceful demonstrators"] == (1, 0, "protesters")
    assert got["demonstrators"] == (1, 0, "protesters")
    assert got["terrorists"] == (1, 1, "terrorists")
    assert got["counter-terrorist operation"][0] == 1
    assert "terrorist" not in got


def test_compare_log_odds_favours_overused_terms() -> None:
    counts = {"A": Counter({"rioters": 20, "city": 10}), "B": Counter({"protesters": 20, "city": 10})}
    out = log_odds(counts, alpha0=10.0, top_k=5, min_z=0.5, min_count=1)
    terms = {(d.outlet, d.term) for d in out}
    assert ("A", "rioters") in terms and ("B", "protesters") in terms
    assert not any(d.term == "city" for d in out)
    a = next(d for d in out if d.term == "rioters")
    b = next(d for d in out if d.term == "protesters")
    assert a.log_odds == pytest.approx(b.log_odds)


@pytest.mark.parametrize(
    ("texts", "person", "role"),
    [
        (["Stephane Dujarric", "the UN spokesman"], True, "international-body"),
        (["Kazakh interior ministry"], False, "ministry"),
        (["Kassym-Jomart Tokayev", "Kazakh President Kassym-Jomart Tokayev"], True, "official"),
        (["John Smith", "a professor of history"], True, "expert"),
        (["Anna Lee", "a local resident"], True, "witness"),
        (["John Smith"], True, "other"),
    ],
)
def test_compare_voice_roles(texts: list[str], person: bool, role: str) -> None:
    assert role_of(texts, person=person) == role


# ----------------------------------------------------------------- dates, scale


@given(st.dates(min_value=datetime.date(1900, 1, 1), max_value=datetime.date(2100, 12, 31)))
def test_compare_date_interval_covers_the_day(day: datetime.date) -> None:
    iso = day.isoformat()
    assert date_interval(iso) == (iso, iso)
    lo, hi = date_interval(iso[:7])  # type: ignore[misc]
    assert lo <= iso <= hi
    year, week, _ = day.isocalendar()
    lo, hi = date_interval(f"{year}-W{week:02d}")  # type: ignore[misc]
    assert lo <= iso <= hi


def test_compare_partial_dates_take_the_story_year() -> None:
    ctx = StoryContext.build([art("a", "A", "x", "--01-10"), art("b", "B", "y", "2022-01-07")], [])
    assert ctx.date_of == {"a": "2022-01-10", "b": "2022-01-07"}
    assert ctx.full_date("XXXX-01-07TMO", "a") == "2022-01-07"
    assert ctx.full_date("FUTURE_REF", "a") is None


def test_compare_large_story_stays_fast() -> None:
    rng = random.Random(0)
    vocab = [f"w{i}" for i in range(800)]
    arts, facts = [], []
    for a in range(40):
        aid = f"a{a}"
        arts.append(art(aid, f"O{a % 8}", " ".join(rng.choice(vocab) for _ in range(800)), f"2022-01-{1 + a % 9:02d}"))
        quotes = [quote(f"Q{i}", " ".join(rng.choice(vocab) for _ in range(25)) + ". More words here.", f"P{i % 15}")
                  for i in range(20)]
        claims = [claim(f"C{i}", float(rng.randint(1, 100)), category=rng.choice(["killed", "detained"])) for i in range(10)]
        events = [Event(f"V{i}", "protest", "x", EventDate(f"2022-01-{rng.randint(1, 20):02d}", None, None), 0, 1)
                  for i in range(20)]
        facts.append(ArticleFacts(aid, quotes=quotes, claims=claims, events=events))
    # Speed is measured in bench/, not here: this checks a big story goes through.
    comp = compare_story(arts, facts)
    assert comp.figures and comp.timeline


def test_compare_articles_without_facts_omit_nothing() -> None:
    arts = [art("a", "A", "Rioters were detained."), art("b", "B", "Protesters were detained.")]
    comp = compare_story(arts, [ArticleFacts("a", claims=[claim("C1", 12, category="killed")])])
    assert comp.omissions == []
    assert {(lb.outlet, lb.term) for lb in comp.labels} == {("A", "rioters"), ("B", "protesters")}


def test_compare_entities_initials_do_not_join_two_names() -> None:
    arts = [art("a", "A", "x"), art("b", "B", "y")]
    facts = [
        ArticleFacts("a", entities=[ent("E1", "Fake News", "ORG"), ent("E2", "C.I.A.", "ORG")]),
        ArticleFacts("b", entities=[ent("E1", "Fox News", "ORG"), ent("E2", "CIA", "ORG"),
                                    ent("E3", "Central Intelligence Agency", "ORG")]),
    ]
    index = story_entities(StoryContext.build(arts, facts))
    assert index.by_ref[("a", "E1")] is not index.by_ref[("b", "E1")]
    assert index.by_ref[("a", "E2")] is index.by_ref[("b", "E2")] is index.by_ref[("b", "E3")]
    assert index.by_ref[("b", "E2")].name == "Central Intelligence Agency"


def test_compare_voice_role_from_appositive_not_from_a_relative() -> None:
    text = "Mary Roe, the daughter of former President John Roe, spoke. Ann Lee, the UN spokeswoman, agreed."
    mary = Entity("E1", "Mary Roe", "PERSON", [Mention("Mary Roe", 0, 8)])
    ann_at = text.index("Ann Lee")
    ann = Entity("E2", "Ann Lee", "PERSON", [Mention("Ann Lee", ann_at, ann_at + 7)])
    facts = ArticleFacts("a", entities=[mary, ann], quotes=[
        quote("Q1", "we will keep going", "Mary Roe", eid="E1"), quote("Q2", "we agree with this", "Ann Lee", eid="E2"),
    ])
    roles = {v.speaker: v.role for v in compare_story([art("a", "A", text)], [facts]).voices}
    assert roles == {"Mary Roe": "other", "Ann Lee": "international-body"}


# ----------------------------------------------------------------- paraphrases, ranked omissions, voices, labels


class TableEncoder:
    """A test encoder: texts containing a key share its vector (a controlled paraphrase); other
    texts get hashed bag-of-words vectors, orthogonal to the keyed ones."""

    name = "table"
    dim = 68

    def __init__(self, table: dict[str, list[float]]) -> None:
        self.table = table

    def encode(self, texts: list[str]):  # type: ignore[no-untyped-def]
        import numpy as np

        from parallax.embed import HashingEmbedder

        words = HashingEmbedder(64).encode(texts)
        rows = []
        for t, bow in zip(texts, words, strict=True):
            vec = next((v for k, v in self.table.items() if k in t), None)
            row = np.concatenate([np.asarray(vec, dtype=np.float32), np.zeros(64)]) if vec else np.concatenate([np.zeros(4), bow])
            rows.append(row / max(np.linalg.norm(row), 1e-9))
        return np.vstack(rows).astype(np.float32)


def test_compare_paraphrases_align_when_numbers_agree() -> None:
    arts = [art("a", "A", "x"), art("b", "B", "y"), art("c", "C", "z")]
    facts = [
        ArticleFacts("a", entities=[ent("E1", "Josh Green")],
                     quotes=[quote("Q1", "36 people have died in the fires on the island", "Josh Green", "indirect", "E1")]),
        ArticleFacts("b", entities=[ent("E1", "Josh Green")],
                     quotes=[quote("Q1", "the death toll from the blaze rose to 36 overnight", "Josh Green", "indirect", "E1")]),
        ArticleFacts("c", entities=[ent("E1", "Josh Green")],
                     quotes=[quote("Q1", "a toll of 55 was counted across Maui County by Friday", "Josh Green", "indirect", "E1")]),
    ]
    enc = TableEncoder({"36 people": [1, 0.2, 0, 0], "toll": [1, 0.25, 0, 0]})
    comp = compare_story(arts, facts, encoder=enc)
    groups = [{v.article_id for v in st.versions} for st in comp.statements]
    assert {"a", "b"} in groups  # "36 people have died" / "the death toll rose to 36"
    assert not any("c" in g and "a" in g for g in groups)  # 55 is not 36


def test_compare_omission_needs_the_fact_truly_absent() -> None:
    arts = [art("a", "A", "x"), art("b", "B", "The county said 36 people died, the governor added.")]
    facts = [
        ArticleFacts("a", claims=[claim("C1", 36, category="killed")]),
        ArticleFacts("b"),
    ]
    comp = compare_story(arts, facts, encoder=TableEncoder({}))
    assert not [o for o in comp.omissions if o.kind == "figure"]  # B gives 36 in its text


def test_compare_omissions_are_ranked_central_first() -> None:
    lede = "Jane Roe said the bridge will stay closed until the spring floods are over."
    arts = [art("a", "A", lede), art("b", "B", "Other news entirely about the weather and trains."),
            art("c", "C", "More unrelated text about football results and the league table.")]
    facts = [
        ArticleFacts("a", entities=[ent("E1", "Jane Roe")], quotes=[
            quote("Q1", "the bridge will stay closed until the spring floods are over", "Jane Roe", "indirect", "E1")
        ]),
        ArticleFacts("b", entities=[ent("E1", "Max Poe")], quotes=[
            quote("Q1", "the trains will run late all through the coming winter months", "Max Poe", "indirect", "E1")
        ]),
        ArticleFacts("c"),
    ]
    comp = compare_story(arts, facts, encoder=TableEncoder({}))
    oms = [o for o in comp.omissions if o.kind == "statement"]
    assert [o.rank for o in comp.omissions] == list(range(1, len(comp.omissions) + 1))
    assert oms and all(o.central for o in oms)  # in the lede of its article
    assert "lede" in (oms[0].reason or "")
    assert oms[0].score >= oms[-1].score


@pytest.mark.parametrize(
    ("texts", "person", "role"),
    [
        (["Anne Lopez", "Attorney General Anne Lopez"], True, "official"),
        (["Iain Armstrong", "an oil analyst at brokerage Brewin Dolphin"], True, "expert"),
        (["Democrats", "Even some fellow Democrats"], False, "official"),
    ],
)
def test_compare_voice_role_longest_term_wins(texts: list[str], person: bool, role: str) -> None:
    assert role_of(texts, person=person) == role


def test_compare_voices_are_people_and_organizations() -> None:
    arts = [art("a", "A", "Firefighting efforts said the fire was contained. Maui County said roads were open.")]
    facts = [ArticleFacts("a", entities=[ent("E1", "Maui County", "GPE"), ent("E2", "Lahaina", "LOC")], quotes=[
        quote("Q1", "the fire was contained by the evening", "firefighting efforts", "indirect"),
        quote("Q2", "the roads were open again", "Maui County", "indirect", "E1"),
        quote("Q3", "the harbor burned", "Lahaina", "indirect", "E2"),
    ])]
    voices = {(v.speaker, v.type) for v in compare_story(arts, facts).voices}
    assert voices == {("Maui County", "GPE")}


def test_compare_voice_company_role_from_title() -> None:
    text = "BP Plc said it would pay. BP chairman Carl-Henric Svanberg apologized."
    svan_at = text.index("Carl-Henric")
    facts = [ArticleFacts("a", entities=[
        ent("E1", "BP Plc", "ORG"),
        Entity("E2", "Carl-Henric Svanberg", "PERSON", [Mention("Carl-Henric Svanberg", svan_at, svan_at + 20)]),
    ], quotes=[
        quote("Q1", "it would pay for the damage", "BP Plc", "indirect", "E1"),
        quote("Q2", "we care about the small people", "Carl-Henric Svanberg", eid="E2"),
    ])]
    roles = {v.speaker: (v.role, v.role_evidence) for v in compare_story([art("a", "A", text)], facts).voices}
    assert roles["Carl-Henric Svanberg"][0] == "company"
    assert roles["BP Plc"][0] == "company"


def test_compare_stances_are_not_voices_or_statements() -> None:
    q = Quote("Q1", "former Florida Gov. Jeb Bush for president", "indirect", EntityRef(None, "Mike Murphy"), "backing",
              0, 10, attribution="stance")
    comp = compare_story([art("a", "A", "x"), art("b", "B", "y")], [ArticleFacts("a", quotes=[q]), ArticleFacts("b")])
    assert not comp.voices and not comp.statements
    assert not [o for o in comp.omissions if o.kind in ("statement", "quote")]


def test_compare_labels_leave_out_generic_and_unsupported_terms() -> None:
    text = "Officials said the chaos spread as rioters and protesters filled the square; the regime blamed terrorists."
    labels = {lb.term: lb for lb in compare_story([art("a", "A", text)], [ArticleFacts("a")]).labels}
    assert "officials" not in labels and "chaos" not in labels
    assert labels["rioters"].loaded and not labels["protesters"].loaded
    assert labels["rioters"].actor == "rioters" and labels["regime"].loaded


def test_compare_figures_money_never_conflicts() -> None:
    arts = [art("a", "A", "x", "2023-08-15"), art("b", "B", "y", "2023-08-15")]
    facts = [
        ArticleFacts("a", claims=[claim("C1", 5e9, None, category="money", unit="USD")]),
        ArticleFacts("b", claims=[claim("C1", 2e6, None, category="money", unit="USD")]),
    ]
    (fig,) = compare_story(arts, facts).figures
    assert fig.measure == "money (USD)"
    assert "conflict" not in {p.verdict for p in fig.series} | {v.verdict for v in fig.verdicts}


def test_compare_figure_export_keeps_verdicts_and_adds_series() -> None:
    from parallax.records import to_dict

    arts = [art("a", "A", "x", "2023-08-15"), art("b", "B", "y", "2023-08-16")]
    facts = [
        ArticleFacts("a", claims=[claim("C1", 115, None, category="killed")]),
        ArticleFacts("b", claims=[claim("C1", 97, None, category="killed", previous=115, revised=True)]),
    ]
    (fig,) = to_dict(compare_story(arts, facts))["figures"]
    assert {"measure", "values", "verdicts", "timeline", "series"} <= set(fig)
    point = fig["series"][-1]
    keys = {"as_of", "value", "low", "high", "qualifier", "outlet", "source", "previous", "revised", "verdict"}
    assert keys <= set(point)
    assert (point["value"], point["previous"], point["verdict"]) == (97, 115, "revised")


def test_compare_figures_leave_out_counts_of_other_nationals() -> None:
    # "One Briton is confirmed dead" in coverage of Haiti is a subset of the toll, not the toll
    arts = [art("a", "A", "x", "2010-01-22"), art("b", "B", "y", "2010-01-22")]
    haiti = [ent("E1", "Haiti", "GPE"), ent("E2", "Haitians", "NORP")]
    facts = [
        ArticleFacts("a", entities=[*haiti, ent("E3", "Briton", "NORP")],
                     claims=[claim("C1", 200000, None, category="killed"),
                             claim("C2", 1, None, category="killed", counted="Briton", actor="Briton")]),
        ArticleFacts("b", entities=haiti, claims=[claim("C1", 200000, None, category="killed")]),
    ]  # fmt: skip
    (fig,) = compare_story(arts, facts).figures
    assert [v.value for v in fig.values] == [200000, 200000]


def test_compare_scale_word_is_no_number_and_disagreeing_numbers_never_link() -> None:
    from parallax.compare.statements import numbers_in

    assert numbers_in("Obama has cut $716 billion from Medicare") == {"716"}
    assert "1000000000" in numbers_in("a billion people")
    arts = [art("a", "A", "x"), art("b", "B", "y")]
    facts = [
        ArticleFacts("a", quotes=[quote("Q1", "Obama has cut $716 billion from Medicare to pay for the law", None)]),
        ArticleFacts("b", quotes=[quote("Q1", "Obama has cut $700 billion from Medicare to pay for the law", None)]),
    ]
    comp = compare_story(arts, facts, encoder=TableEncoder({}))
    assert not comp.quotes and not comp.statements


def test_compare_outlet_carrying_a_fact_outside_quotes_is_present() -> None:
    said = "the bridge will stay closed until the spring floods are over"
    arts = [art("a", "A", f'"{said}," Jane Roe said.'), art("b", "B", f"Officials say {said}."),
            art("c", "C", "Unrelated text about football results and the league table.")]
    facts = [ArticleFacts("a", quotes=[quote("Q1", said, "Jane Roe")]), ArticleFacts("b"), ArticleFacts("c")]
    comp = compare_story(arts, facts, encoder=TableEncoder({}))
    om = next(o for o in comp.omissions if o.kind == "quote")
    assert om.present_in == ["A", "B"] and om.absent_from == ["C"]


def test_compare_voice_title_is_short_and_age_makes_a_witness() -> None:
    text = (
        "Under pressure from President Barack Obama, BP Plc agreed on Wednesday to set up a fund for claims. "
        '"We salute France," said Iyad Ali, 37.'
    )
    ob, ia = text.index("Barack Obama"), text.index("Iyad Ali")
    ents = [Entity("E1", "Barack Obama", "PERSON", [Mention("Barack Obama", ob, ob + 12)]),
            Entity("E2", "BP Plc", "ORG", [Mention("BP Plc", text.index("BP Plc"), text.index("BP Plc") + 6)]),
            Entity("E3", "Iyad Ali", "PERSON", [Mention("Iyad Ali", ia, ia + 8)])]
    facts = ArticleFacts("a", entities=ents, quotes=[
        quote("Q1", "BP will pay every claim", "Barack Obama", eid="E1"), quote("Q2", "We salute France", "Iyad Ali", eid="E3"),
    ])
    roles = {v.speaker: v.role for v in compare_story([art("a", "A", text)], [facts]).voices}
    assert roles["Barack Obama"] == "official" and roles["Iyad Ali"] == "witness"


def test_compare_figures_leave_out_spans_of_time() -> None:
    # "38 days after the blowout" is a measured quantity of no figure of the story
    arts = [art("a", "A", "x", "2010-05-28"), art("b", "B", "y", "2010-05-28")]
    facts = [
        ArticleFacts("a", claims=[claim("C1", 38, None, category="measure", unit="day")]),
        ArticleFacts("b", claims=[claim("C1", 5000, None, category="measure", unit="ft")]),
    ]
    assert [f.measure for f in compare_story(arts, facts).figures] == ["measure (ft)"]
