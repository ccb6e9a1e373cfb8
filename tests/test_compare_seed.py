"""The two seeds compared as one story ("The two together" in seed-expectations.md).

The facts are hand-built (tests/gold/compare/seed_facts.json) to mirror what the
extractors are specified to find, so this test pins the comparison logic alone;
tests/gold/seeds/comparison.json holds the expected findings, checked field by field.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from parallax.compare import compare_story
from parallax.records import (
    Article,
    ArticleFacts,
    Caption,
    Comparison,
    Dateline,
    Entity,
    EntityRef,
    Event,
    EventDate,
    FactRef,
    Mention,
    NumericClaim,
    Paragraph,
    Quote,
    TimeExpression,
    from_dict,
    to_dict,
)

GOLD = Path(__file__).resolve().parent / "gold"
SEED_FACTS = GOLD / "compare" / "seed_facts.json"
EXPECTED = GOLD / "seeds" / "comparison.json"


def _field_text(article: Article, field: str, index: int = 0) -> str:
    return article.field_text(field, index)  # type: ignore[arg-type]


def _locate(article: Article, find: str, field: str = "body", nth: int = 0) -> tuple[int, int]:
    text = _field_text(article, field)
    pos = -1
    for _ in range(nth + 1):
        pos = text.find(find, pos + 1)
        if pos < 0:
            raise AssertionError(f"{article.id}: {find!r} (#{nth}) not in {field}")
    return pos, pos + len(find)


def _sentence(article: Article, field: str, start: int, end: int) -> tuple[int, int]:
    text = _field_text(article, field)
    left = max(text.rfind(". ", 0, start), text.rfind("\n", 0, start))
    right_candidates = [i for i in (text.find(". ", end), text.find("\n", end)) if i >= 0]
    return (left + 1 if left >= 0 else 0), (min(right_candidates) + 1 if right_candidates else len(text))


def build_article(spec: dict[str, Any]) -> Article:
    return Article(
        id=spec["id"],
        source=spec["source"],
        outlet=spec.get("outlet"),
        title=spec.get("title"),
        standfirst=spec.get("standfirst"),
        byline=spec.get("byline"),
        dateline=Dateline(**spec["dateline"]) if spec.get("dateline") else None,
        published=spec.get("published"),
        updated=spec.get("updated"),
        language="en",
        paragraphs=[Paragraph(p["text"]) for p in spec["paragraphs"]],
        captions=[Caption(c["text"], c.get("credit")) for c in spec.get("captions", [])],
        duplicate_of=spec.get("duplicate_of"),
    )


def build_facts(article: Article, spec: dict[str, Any]) -> ArticleFacts:
    """ArticleFacts from a declarative spec: spans are found by their text."""
    names = {e["id"]: e["name"] for e in spec["entities"]}

    def ref(eid: str | None) -> EntityRef | None:
        return EntityRef(eid, names[eid]) if eid else None

    entities = []
    for e in spec["entities"]:
        mentions = []
        for fld in ("title", "standfirst", "body"):
            text = _field_text(article, fld)
            for m in e["mentions"]:
                pos = text.find(m)
                while pos >= 0:
                    mentions.append(Mention(m, pos, pos + len(m), fld))  # type: ignore[arg-type]
                    pos = text.find(m, pos + 1)
        entities.append(Entity(e["id"], e["name"], e["type"], mentions, e["aliases"], "hand"))
    times = []
    for t in spec["times"]:
        fld = t.get("field", "body")
        s, e = _locate(article, t["find"], fld, t.get("nth", 0))
        times.append(TimeExpression(t["id"], t["find"], t["value"], t["type"], s, e, fld, extractor="hand"))
    quotes = []
    for q in spec["quotes"]:
        fld = q["field"]
        s, e = _locate(article, q["find"], fld, q.get("nth", 0))
        ss, se = _sentence(article, fld, s, e)
        quotes.append(
            Quote(
                q["id"], q.get("text", q["find"]), q["kind"], ref(q["speaker"]), q["cue"], s, e, fld,
                speaker_text=q.get("speaker_text"), nested_speaker=ref(q.get("nested_speaker")),
                sentence_start=ss, sentence_end=se, extractor="hand",
            )
        )
    claims = []
    for c in spec["claims"]:
        s, e = _locate(article, c["find"])
        ss, se = _sentence(article, "body", s, e)
        claims.append(
            NumericClaim(
                c["id"], c["find"], c["value"], c["low"], c["high"], c["qualifier"], c["vague"], c["unit"],
                c["counted"], c["category"], s, e, actor=c.get("actor"), attributed_to=ref(c.get("attributed_to")),
                as_of=c.get("as_of"), scare_quoted=c.get("scare_quoted", False), quote_id=c.get("quote_id"),
                sentence_start=ss, sentence_end=se, extractor="hand",
            )
        )
    events = []
    for v in spec["events"]:
        fld = v.get("field", "body")
        s, e = _locate(article, v["find"], fld)
        date = EventDate(**v["date"]) if v["date"] else None
        events.append(
            Event(v["id"], v["type"], v["find"], date, s, e, fld, from_caption=v.get("from_caption", False), extractor="hand")
        )
    return ArticleFacts(article.id, "en", True, entities, quotes, times, claims, events, {"hand": "1"})


@cache
def seed_story() -> tuple[tuple[Article, ...], tuple[ArticleFacts, ...]]:
    data = json.loads(SEED_FACTS.read_text(encoding="utf-8"))
    articles = tuple(build_article(a) for a in data["articles"])
    facts = tuple(build_facts(a, data["facts"][a.id]) for a in articles)
    return articles, facts


@pytest.fixture(scope="module")
def comparison() -> Comparison:
    articles, facts = seed_story()
    return compare_story(articles, facts)


@pytest.fixture(scope="module")
def expected() -> dict[str, Any]:
    return json.loads(EXPECTED.read_text(encoding="utf-8"))


def _entity_with(comp: Comparison, form: str):
    hits = [e for e in comp.entities if form == e.name or form in e.aliases]
    assert hits, f"no story entity has the form {form!r}"
    return hits[0]


def test_compare_seed_entities_merge(comparison: Comparison, expected: dict[str, Any]) -> None:
    for case in expected["entities"]:
        ents = {_entity_with(comparison, f).id for f in case["same"]}
        assert len(ents) == 1, f"{case['same']} are split over {ents}"
        ent = _entity_with(comparison, case["same"][0])
        assert ent.name == case["name"]
        assert len({r.article_id for r in ent.refs}) == case["articles"]
    for a, b in expected["entities_distinct"]:
        assert _entity_with(comparison, a).id != _entity_with(comparison, b).id


def test_compare_seed_figures(comparison: Comparison, expected: dict[str, Any], skip: tuple[str, ...] = ()) -> None:
    by_measure = {f.measure: f for f in comparison.figures}
    for case in expected["figures"]:
        if case["measure"] in skip:
            continue
        fig = by_measure.get(case["measure"])
        assert fig is not None, f"measure {case['measure']!r} missing; have {sorted(by_measure)}"
        got = [(v.outlet, v.value, v.qualifier, v.as_of, v.attributed_to) for v in fig.values]
        want = [tuple(x) for x in case["values"]]
        assert got == want
        assert sorted(v.verdict for v in fig.verdicts) == sorted(case["verdicts"])
        assert [row["date"] for row in fig.timeline] == [x[3] for x in case["values"]]


def _find_statement(items, case: dict[str, Any]):
    for st in items:
        outlets_speakers = {(v.outlet, v.speaker) for v in st.versions}
        texts = " | ".join(v.text for v in st.versions)
        if st.relation == case["relation"] and all(tuple(x) in outlets_speakers for x in case["versions"]) and all(
            w in texts for w in case.get("contains", [])
        ):
            return st
    return None


def test_compare_seed_statements(comparison: Comparison, expected: dict[str, Any]) -> None:
    for case in expected["statements"]:
        st = _find_statement(comparison.statements, case)
        assert st is not None, f"no {case['relation']} statement with {case['versions']}: " + json.dumps(
            [(s.relation, [(v.outlet, v.speaker, v.text) for v in s.versions]) for s in comparison.statements], ensure_ascii=False
        )
        assert st.speakers_agree == case["speakers_agree"]
        if case.get("diff_has"):
            ops = [op for d in st.diffs for op in d["ops"]]
            assert any(case["diff_has"] in (op[1] + " " + op[2]) for op in ops), ops


def test_compare_seed_omissions(comparison: Comparison, expected: dict[str, Any], exact_ids: bool = True) -> None:
    for case in expected["omissions"]:
        hits = [
            o
            for o in comparison.omissions
            if o.kind == case["kind"]
            and case["contains"] in o.summary
            and o.absent_from == case["absent_from"]
            and o.present_in == case["present_in"]
        ]
        assert hits, f"omission {case} missing; have " + json.dumps(
            [(o.kind, o.summary[:80], o.absent_from) for o in comparison.omissions], ensure_ascii=False
        )
        if "note" in case:
            assert hits[0].note == case["note"]
        for aid, fid in case.get("refs_include", []) if exact_ids else []:
            assert FactRef(aid, fid) in hits[0].refs


def test_compare_seed_voices(comparison: Comparison, expected: dict[str, Any]) -> None:
    for outlet, want in expected["voices"].items():
        got = {(v.speaker, v.role) for v in comparison.voices if v.outlet == outlet}
        assert got == {tuple(x) for x in want}, f"{outlet}: {sorted(got)}"
    counts = {(v.outlet, v.speaker): v.count for v in comparison.voices}
    for outlet, speaker, n in expected["voice_counts"]:
        assert counts[(outlet, speaker)] == n


def test_compare_seed_labels(comparison: Comparison, expected: dict[str, Any]) -> None:
    got = {(lb.outlet, lb.term): lb for lb in comparison.labels}
    for outlet, term, count, scare in expected["labels"]:
        lb = got.get((outlet, term))
        assert lb is not None, f"{outlet} label {term!r} missing"
        assert (lb.count, lb.scare_quoted) == (count, scare), (outlet, term)
    for outlet, term in expected["labels_absent"]:
        assert (outlet, term) not in got, f"{outlet} should not use {term!r}"


def test_compare_seed_timeline(comparison: Comparison, expected: dict[str, Any]) -> None:
    got = [(e.date.start, e.type, e.outlets) for e in comparison.timeline]
    assert got == [tuple(x) for x in expected["timeline"]]


def test_compare_seed_refs_point_at_facts(comparison: Comparison) -> None:
    articles, facts = seed_story()
    ids = {
        f.article_id: {x.id for x in [*f.entities, *f.quotes, *f.claims, *f.events, *f.times]} for f in facts
    }
    refs = [r for o in comparison.omissions for r in o.refs] + [r for v in comparison.voices for r in v.refs]
    refs += [r for e in comparison.entities for r in e.refs] + [r for t in comparison.timeline for r in t.refs]
    for r in refs:
        assert r.fact_id in ids[r.article_id], r
    for st in [*comparison.statements, *comparison.quotes]:
        for v in st.versions:
            assert v.fact_id in ids[v.article_id]
    for fig in comparison.figures:
        for fv in fig.values:
            assert fv.fact_id in ids[fv.article_id]


def test_compare_seed_round_trips(comparison: Comparison) -> None:
    data = to_dict(comparison)
    assert from_dict(Comparison, json.loads(json.dumps(data))) == comparison
