"""Story grouping on small hand-built articles (no model loads: hashing embedder, facts given)."""

from __future__ import annotations

import pytest

from parallax.embed import HashingEmbedder
from parallax.errors import StoreError
from parallax.group import GroupingSettings, GroupingState, StoryGrouper, story_id_for
from parallax.records import Article, ArticleFacts, Dateline, Entity, Mention, Paragraph


def make(
    aid: str,
    title: str,
    body: str,
    published: str | None,
    names: list[tuple[str, str]],
    *,
    outlet: str = "example",
    duplicate_of: str | None = None,
    dateline: list[str] | None = None,
) -> tuple[Article, ArticleFacts]:
    paragraphs = [Paragraph(p) for p in body.split("\n\n")]
    article = Article(
        id=aid,
        source=f"{aid}.txt",
        outlet=outlet,
        title=title,
        published=published,
        paragraphs=paragraphs,
        duplicate_of=duplicate_of,
        dateline=Dateline(places=dateline) if dateline else None,
    )
    text = article.text
    entities: list[Entity] = []
    for n, (name, kind) in enumerate(names, start=1):
        mentions = [Mention(name, i, i + len(name)) for i in _find_all(text, name)]
        mentions += [Mention(name, i, i + len(name), field="title") for i in _find_all(title, name)]
        entities.append(Entity(id=f"E{n}", name=name, type=kind, mentions=mentions))
    return article, ArticleFacts(article_id=aid, language="en", entities=entities)


def _find_all(text: str, needle: str) -> list[int]:
    out: list[int] = []
    start = text.find(needle)
    while start >= 0:
        out.append(start)
        start = text.find(needle, start + 1)
    return out


TURKEY = [("Turkey", "GPE"), ("Malatya", "GPE"), ("AFAD", "ORG"), ("Suleyman Soylu", "PERSON")]
PERU = [("Peru", "GPE"), ("Arequipa", "GPE"), ("Dina Boluarte", "PERSON"), ("INDECI", "ORG")]

QUAKE_TR_1 = make(
    "tr-1",
    "Magnitude 6.4 earthquake hits Malatya in eastern Turkey",
    "A magnitude 6.4 earthquake struck the province of Malatya in eastern Turkey on Monday, "
    "killing at least 12 people and collapsing dozens of buildings, the disaster agency AFAD said.\n\n"
    "Interior Minister Suleyman Soylu said rescue teams were searching the rubble in Malatya overnight.",
    "2031-03-03",
    TURKEY,
    outlet="wire-a",
)
QUAKE_TR_2 = make(
    "tr-2",
    "Deadly quake in Turkey's Malatya province kills 12",
    "At least 12 people died when a 6.4-magnitude quake shook Malatya province in eastern Turkey on Monday, "
    "AFAD, Turkey's disaster management agency, said. Buildings collapsed in the city centre.\n\n"
    "Suleyman Soylu, the interior minister, said search and rescue teams were working in the rubble.",
    "2031-03-03",
    TURKEY,
    outlet="paper-b",
)
QUAKE_TR_3 = make(
    "tr-3",
    "Earthquake in eastern Turkey: rescuers dig through rubble in Malatya",
    "Rescuers in Malatya dug through the rubble of collapsed buildings after the magnitude 6.4 earthquake "
    "that hit eastern Turkey on Monday. The disaster agency AFAD put the death toll at 12.\n\n"
    "Interior Minister Suleyman Soylu visited the province and promised tents for families.",
    "2031-03-03",
    TURKEY,
    outlet="broadcaster-c",
)
QUAKE_TR_FOLLOWUP = make(
    "tr-4",
    "Death toll from Malatya earthquake in Turkey rises to 41",
    "The death toll from Monday's magnitude 6.4 earthquake in Malatya, eastern Turkey, has risen to 41, "
    "the disaster agency AFAD said on Thursday, as rescue teams ended the search of the rubble.\n\n"
    "Interior Minister Suleyman Soylu said 1,200 families had been moved to tents in Malatya.",
    "2031-03-06",
    TURKEY,
    outlet="paper-b",
)
QUAKE_PE = make(
    "pe-1",
    "Magnitude 6.1 earthquake strikes southern Peru near Arequipa",
    "A magnitude 6.1 earthquake struck southern Peru near the city of Arequipa on Wednesday, killing at least "
    "four people and damaging buildings, the civil defence institute INDECI said.\n\n"
    "President Dina Boluarte said rescue teams had been sent to Arequipa.",
    "2031-03-05",
    PERU,
    outlet="wire-a",
)
CHILE = [("Chile", "GPE"), ("Santiago", "GPE"), ("Plaza Italia", "FAC"), ("Carabineros", "ORG")]
FRANCE = [("France", "GPE"), ("Paris", "GPE"), ("Place de la Republique", "FAC"), ("CGT", "ORG")]
PROTEST_CL = make(
    "cl-1",
    "Thousands protest pension reform in Santiago, Chile",
    "Thousands of protesters marched through Santiago on Saturday against the pension reform, and "
    "Carabineros police fired tear gas near Plaza Italia, in the Chilean capital.\n\n"
    "Police said 30 people were detained in Santiago.",
    "2031-04-12",
    CHILE,
    outlet="wire-a",
)
PROTEST_FR = make(
    "fr-1",
    "Thousands protest pension reform in Paris, France",
    "Thousands of protesters marched through Paris on Saturday against the pension reform called by the "
    "CGT union, and police fired tear gas near Place de la Republique in the French capital.\n\n"
    "Police said 30 people were detained in Paris.",
    "2031-04-12",
    FRANCE,
    outlet="wire-a",
)


@pytest.fixture
def grouper() -> StoryGrouper:
    return StoryGrouper(embedder=HashingEmbedder(), settings=GroupingSettings(ner="capitalized"))


def test_group_two_earthquakes_same_week_different_countries_stay_apart(grouper: StoryGrouper) -> None:
    a = grouper.add(*QUAKE_TR_1)
    b = grouper.add(*QUAKE_PE)
    assert a != b


def test_group_same_event_three_outlets_join(grouper: StoryGrouper) -> None:
    ids = {grouper.add(*item) for item in (QUAKE_TR_1, QUAKE_TR_2, QUAKE_TR_3)}
    assert len(ids) == 1


def test_group_followup_three_days_later_joins(grouper: StoryGrouper) -> None:
    first = grouper.add(*QUAKE_TR_1)
    grouper.add(*QUAKE_PE)
    assert grouper.add(*QUAKE_TR_FOLLOWUP) == first


def test_group_other_country_protest_same_day_stays_apart(grouper: StoryGrouper) -> None:
    assert grouper.add(*PROTEST_CL) != grouper.add(*PROTEST_FR)


def test_group_same_text_weeks_apart_stays_apart(grouper: StoryGrouper) -> None:
    later = make("tr-late", QUAKE_TR_2[0].title or "", QUAKE_TR_2[0].text, "2031-05-20", TURKEY)
    assert grouper.add(*QUAKE_TR_1) != grouper.add(*later)


def test_group_duplicate_joins_original_and_counts_once(grouper: StoryGrouper) -> None:
    sid = grouper.add(*QUAKE_TR_1)
    grouper.add(*QUAKE_PE)
    dup = make("tr-1-copy", "Copy", "syndicated copy", "2031-03-03", [], duplicate_of="tr-1")
    assert grouper.add(*dup) == sid
    assert grouper.state.stories[sid].reports == 1
    assert grouper.stories()[sid] == ["tr-1", "tr-1-copy"]


def test_group_story_id_is_stable(grouper: StoryGrouper) -> None:
    assert grouper.add(*QUAKE_TR_1) == story_id_for("tr-1")
    assert story_id_for("tr-1").startswith("s") and len(story_id_for("tr-1")) == 13


ALL = [QUAKE_TR_1, QUAKE_PE, PROTEST_CL, QUAKE_TR_2, PROTEST_FR, QUAKE_TR_3, QUAKE_TR_FOLLOWUP]


def test_group_incremental_after_round_trip_equals_batch() -> None:
    settings = GroupingSettings(ner="capitalized")
    batch = StoryGrouper(embedder=HashingEmbedder(), settings=settings)
    batch_ids = batch.add_many(ALL)

    first = StoryGrouper(embedder=HashingEmbedder(), settings=settings)
    first.add_many(ALL[:3])
    blob = first.state.to_bytes()
    resumed = StoryGrouper(GroupingState.from_bytes(blob), embedder=HashingEmbedder(), settings=settings)
    resumed.add_many(ALL[3:])
    assert resumed.stories() == batch.stories()
    assert {a.id: resumed.story_of(a.id) for a, _ in ALL} == batch_ids
    assert GroupingState.from_bytes(resumed.state.to_bytes()).to_bytes() == resumed.state.to_bytes()


def test_group_without_facts_uses_text_names() -> None:
    grouper = StoryGrouper(embedder=HashingEmbedder(), settings=GroupingSettings(ner="capitalized"))
    ids = grouper.add_many([a for a, _ in (QUAKE_TR_1, QUAKE_TR_2, QUAKE_PE)])
    assert ids["tr-1"] == ids["tr-2"] != ids["pe-1"]


def test_group_add_is_idempotent(grouper: StoryGrouper) -> None:
    sid = grouper.add(*QUAKE_TR_1)
    assert grouper.add(*QUAKE_TR_1) == sid
    assert grouper.state.n_articles == 1


@pytest.mark.parametrize("blob", [b"", b"not an archive", b"PK\x03\x04garbage"])
def test_group_state_rejects_garbage(blob: bytes) -> None:
    with pytest.raises(StoreError):
        GroupingState.from_bytes(blob)


def test_group_state_refuses_another_embedder() -> None:
    from parallax.embed import Embedder
    from parallax.errors import ConfigError

    grouper = StoryGrouper(embedder=HashingEmbedder(), settings=GroupingSettings(ner="capitalized"))
    grouper.add(*QUAKE_TR_1)
    with pytest.raises(ConfigError):
        StoryGrouper(GroupingState.from_bytes(grouper.state.to_bytes()), embedder=Embedder())


def test_group_settings_reject_unknown_names() -> None:
    from parallax.errors import ConfigError

    with pytest.raises(ConfigError):
        GroupingSettings().replace(no_such_knob=1)
