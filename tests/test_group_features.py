"""Grouping features: name keys, dates, capitalised names, the bipartition used for splits."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from parallax.embed import HashingEmbedder
from parallax.group import GroupingSettings
from parallax.group.features import extract_features, name_keys, normalise_name, parse_day
from parallax.group.stories import _bipartition
from parallax.records import Article, Dateline, Paragraph


@pytest.mark.parametrize(
    ("name", "kind", "keys"),
    [
        ("Lindsay Lohan’s", "PERSON", ["lindsay lohan", "lohan"]),
        ("President Dina Boluarte", "PERSON", ["dina boluarte", "boluarte"]),
        ("the White House", "ORG", ["white house"]),
        ("Associated Press", "ORG", []),
        ("Monday", "DATE", []),
        ("São Paulo", "GPE", ["sao paulo"]),
    ],
)
def test_group_name_keys(name: str, kind: str, keys: list[str]) -> None:
    assert name_keys(name, kind) == keys


@given(st.text(max_size=40))
def test_group_normalise_name_is_idempotent(text: str) -> None:
    once = normalise_name(text)
    assert normalise_name(once) == once


@given(st.text(max_size=30))
def test_group_parse_day_never_raises(text: str) -> None:
    day = parse_day(text)
    assert day is None or day > 0


@pytest.mark.parametrize(
    ("value", "ok"),
    [
        ("2031-03-03", True),
        ("2031-03-03T10:00:00+02:00", True),
        ("--03-03", False),
        ("2031-02-30", False),
        ("2031-03", False),
    ],
)
def test_group_parse_day(value: str, ok: bool) -> None:
    assert (parse_day(value) is not None) is ok


def test_group_features_without_facts_capitalized() -> None:
    article = Article(
        id="a",
        source="a.txt",
        title="Quake hits Malatya",
        published="2031-03-03",
        dateline=Dateline(places=["ANKARA"]),
        paragraphs=[
            Paragraph("Rescuers in Malatya said Suleyman Soylu visited. Malatya was hit hard in 2031.")
        ],
    )
    (f,) = extract_features([(article, None)], GroupingSettings(ner="capitalized"), HashingEmbedder())
    assert "malatya" in f.entities and "suleyman soylu" in f.entities
    assert f.salient[0] == "malatya"
    assert f.day == parse_day("2031-03-03")
    assert f.years == [2031]
    assert f.terms and np.isclose(np.linalg.norm(f.embedding), 1.0)


def test_group_bipartition_finds_two_blocks() -> None:
    probs = np.full((6, 6), 0.1)
    probs[:3, :3] = 0.9
    probs[3:, 3:] = 0.9
    np.fill_diagonal(probs, 1.0)
    labels = _bipartition(probs)
    assert labels is not None
    assert len(set(labels[:3])) == 1 and len(set(labels[3:])) == 1 and labels[0] != labels[3]


def test_group_local_similarity_ignores_shared_topic_words() -> None:
    from parallax.group.stories import StoryGrouper

    texts = [
        "Somali pirates seized the Saudi supertanker Sirius Star carrying crude oil off Somalia.",
        "Pirates off Somalia hold the Sirius Star, a Saudi supertanker loaded with crude oil.",
        "Somali pirates seized the Ukrainian freighter Faina carrying tanks off Somalia.",
        "Pirates off Somalia hold the Faina, a Ukrainian freighter loaded with tanks.",
    ]
    settings = GroupingSettings(ner="capitalized")
    grouper = StoryGrouper(embedder=HashingEmbedder(), settings=settings)
    items = [
        (Article(id=f"p{i}", source=f"p{i}", title=None, paragraphs=[Paragraph(t)]), None)
        for i, t in enumerate(texts)
    ]
    for f in extract_features(items, settings, grouper.embedder):
        grouper.add_to_story(f, "s")
    sims = grouper._local_similarity([0, 1, 2, 3])
    assert sims[0, 1] > sims[0, 2] and sims[2, 3] > sims[1, 3]
    labels = _bipartition(sims)
    assert labels is not None and labels[0] == labels[1] != labels[2] == labels[3]
