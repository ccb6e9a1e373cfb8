"""Two-level grouping (events inside stories), order independence, titles, settings defined once."""

from __future__ import annotations

import dataclasses

import pytest

from parallax.embed import HashingEmbedder
from parallax.group import Grouper, GroupingSettings, GroupingState
from parallax.group.titles import event_records, group_title, headline, lede_clause
from parallax.records import Article, Paragraph


def _art(aid: str, day: str, text: str, title: str | None = None, outlet: str = "A") -> Article:
    return Article(
        id=aid,
        source=f"/data/{aid}.html",
        title=title,
        paragraphs=[Paragraph(p) for p in text.split("\n\n")],
        published=day,
        outlet=outlet,
    )


SPILL = (
    "Oil from the Deepwater Horizon rig keeps leaking into the Gulf of Mexico, BP said. "
    "Engineers at BP tried to cap the Macondo well near Louisiana as the slick spread toward the coast."
)
HEARING = (
    "BP chief Tony Hayward faced Congress over the Deepwater Horizon oil spill in the Gulf of Mexico. "
    "Lawmakers asked BP about the Macondo well and the leaking oil reaching Louisiana beaches."
)
QUAKE = (
    "A powerful earthquake struck Haiti near Port-au-Prince, flattening buildings. "
    "Rescuers in Port-au-Prince searched the rubble as Haiti counted its dead after the earthquake."
)


def _corpus() -> list[Article]:
    out = []
    for i in range(4):
        out.append(
            _art(f"spill{i}", f"2010-05-0{1 + i}", SPILL + f" Day {i} of the leak.", outlet="AB"[i % 2])
        )
    for i in range(3):
        out.append(_art(f"hear{i}", f"2010-05-1{i}", HEARING + f" Session {i}.", outlet="AB"[i % 2]))
    for i in range(3):
        out.append(_art(f"quake{i}", f"2010-05-0{2 + i}", QUAKE + f" Report {i}.", outlet="AB"[i % 2]))
    return out


def _grouper(state: GroupingState | None = None) -> Grouper:
    return Grouper(state, embedder=HashingEmbedder(), settings=GroupingSettings(ner="capitalized"))


def _partition(mapping: dict[str, str]) -> set[frozenset[str]]:
    groups: dict[str, set[str]] = {}
    for aid, sid in mapping.items():
        groups.setdefault(sid, set()).add(aid)
    return {frozenset(g) for g in groups.values()}


def test_events_nest_inside_stories_and_other_stories_stay_apart() -> None:
    grouper = _grouper()
    result = grouper.add_many(_corpus())
    quake_story = {result[f"quake{i}"] for i in range(3)}
    assert len(quake_story) == 1
    assert quake_story.isdisjoint({result[f"spill{i}"] for i in range(4)})
    nested = grouper.events_by_story()
    seen: list[str] = []
    for sid, events in nested.items():
        for ids in events.values():
            assert {result[a] for a in ids} == {sid}  # every event lies inside one story
            seen.extend(ids)
    assert sorted(seen) == sorted(result)  # every article in exactly one event


def test_day_by_day_equals_all_at_once() -> None:
    articles = _corpus()
    at_once = _grouper().add_many(list(reversed(articles)))
    daily = _grouper()
    for day in sorted({a.published for a in articles}):
        daily.add_many([a for a in articles if a.published == day])
    assert _partition(at_once) == _partition({a.id: daily.story_of(a.id) for a in articles})


def test_state_round_trip_keeps_both_levels() -> None:
    articles = _corpus()
    first = _grouper()
    first.add_many(articles[:6])
    resumed = _grouper(GroupingState.from_bytes(first.state.to_bytes()))
    resumed.add_many(articles[6:])
    straight = _grouper()
    straight.add_many(articles)
    ids = [a.id for a in articles]
    assert _partition({i: resumed.story_of(i) for i in ids}) == _partition(
        {i: straight.story_of(i) for i in ids}
    )
    assert _partition({i: resumed.event_of(i) for i in ids}) == _partition(
        {i: straight.event_of(i) for i in ids}
    )


def test_state_without_story_level_is_filled_from_its_articles() -> None:
    grouper = _grouper()
    grouper.add_many(_corpus())
    state = GroupingState.from_bytes(grouper.state.to_bytes())
    state.story_level = type(state.story_level)()
    again = _grouper(state)
    assert _partition({a: again.story_of(a) for a in grouper.state.row_of}) == _partition(
        {a: grouper.story_of(a) for a in grouper.state.row_of}
    )


def test_titles_headline_first_line_lede_clause_never_a_path() -> None:
    body = _art(
        "x1",
        "2010-05-01",
        "Oil reaches Louisiana shore\nThe slick from the BP well, officials said, hit the coast.",
    )
    assert headline(body) == "Oil reaches Louisiana shore"
    no_head = _art(
        "x2", "2010-05-01", "The slick from the BP well reached the coast on Friday, officials said."
    )
    assert headline(no_head) is None
    assert lede_clause(no_head) == "The slick from the BP well reached the coast on Friday"
    assert group_title([no_head]) == "The slick from the BP well reached the coast on Friday"
    path_titled = _art("x3", "2010-05-01", "", title="/data/x3.html")
    assert "/" not in group_title([path_titled])
    heads = [
        _art("h1", "2010-05-01", "x", title="BP oil spill reaches Louisiana"),
        _art("h2", "2010-05-02", "x", title="Oil spill from BP well reaches Louisiana marshes"),
        _art("h3", "2010-05-03", "x", title="Markets fall"),
    ]
    assert group_title(heads) in {
        "BP oil spill reaches Louisiana",
        "Oil spill from BP well reaches Louisiana marshes",
    }


def test_event_records_cover_every_member_in_time_order() -> None:
    arts = _corpus()[:5]
    events = {"e1": ["spill2", "spill3"], "e2": ["spill0", "spill1"]}
    records = event_records(arts, events)
    assert [r.id for r in records][:2] == ["e2", "e1"]
    assert sorted(a for r in records for a in r.article_ids) == sorted(a.id for a in arts)


def test_settings_are_defined_once() -> None:
    defaults = GroupingSettings()
    table = {name: default for name, default, _ in GroupingSettings.table()}
    assert set(table) == {f.name for f in dataclasses.fields(GroupingSettings)}
    assert table["split_ratio"] == defaults.split_ratio
    assert table["story_threshold"] == defaults.story_threshold
    with pytest.raises(Exception, match="unknown grouping setting"):
        defaults.replace(no_such_knob=1)


def test_an_article_linking_two_stories_does_not_merge_them_silently() -> None:
    articles = _corpus()
    grouper = _grouper()
    grouper.add_many(articles)
    before = _partition({a.id: grouper.story_of(a.id) for a in articles})
    bridge = _art("bridge", "2010-05-05", SPILL + " " + QUAKE)
    grouper.add_many([bridge])
    after = _partition({a.id: grouper.story_of(a.id) for a in articles})
    assert grouper.story_of("spill0") != grouper.story_of("quake0")
    assert after == before


def test_titles_skip_captions_credits_and_questions_in_the_lede() -> None:
    art = Article(
        id="x",
        source="feed.jsonl#3",
        paragraphs=[
            Paragraph("Credit: Reuters/Nathanael Miller/U."),
            Paragraph("S. Navy photo/Handout By Maria Golovnina and Michael Georgy"),
            Paragraph("Seals swimming along the Gulf Coast?"),
            Paragraph("Western forces hit targets along the Libyan coast on Saturday, using strikes from the sea."),
        ],
    )
    assert lede_clause(art) == "Western forces hit targets along the Libyan coast on Saturday"


def test_group_title_one_headline_does_not_win_by_being_alone() -> None:
    def art(i: str, title: str | None, lede: str) -> Article:
        return Article(id=i, source=f"feed.jsonl#{i}", title=title, published="2010-05-27", paragraphs=[Paragraph(lede)])

    arts = [
        art("a", "Seals swimming along the Gulf Coast?", "Seals are listed as sensitive resources."),
        art("b", None, "BP's top kill effort to stop the Gulf of Mexico oil leak has failed, the company said."),
        art("c", None, "The top kill effort to plug the Gulf of Mexico oil leak failed on Saturday, BP said."),
        art("d", None, "March 19, 2011 | By Jason Hanna, CNN"),
    ]
    assert "top kill" in group_title(arts)
    assert lede_clause(arts[3]) is None  # a dateline and byline are no lede
