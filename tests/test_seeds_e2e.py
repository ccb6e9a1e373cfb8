"""The first acceptance case end to end: `analyze` on the two seeds, the real pipeline,
checked against "The two together" in shared/spec/seed-expectations.md."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from conftest import EXAMPLES
from parallax.cli import app

runner = CliRunner()


@pytest.fixture(scope="module")
def result(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    tmp = tmp_path_factory.mktemp("seeds")
    db, html = str(tmp / "p.db"), tmp / "report.html"
    out = runner.invoke(app, ["analyze", str(EXAMPLES), "--db", db, "--html", str(html)])
    assert out.exit_code == 0, out.output
    data = json.loads(runner.invoke(app, ["export", "--format", "json", "--db", db]).stdout)
    data["_html"] = html.read_text(encoding="utf-8")
    data["_terminal"] = out.output
    return data


def _by_outlet(data: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {a["outlet"]: a for a in data["articles"]}


def test_seeds_one_story_and_year_from_story_context(result: dict[str, Any]) -> None:
    arts = _by_outlet(result)
    assert len(result["stories"]) == 1
    story = result["stories"][0]
    assert sorted(story["article_ids"]) == sorted(a["id"] for a in result["articles"])
    tass = arts["TASS"]
    assert tass["published"] == "2022-01-10"
    assert tass["provenance"]["published"] == "story-context"
    assert tass["dateline"]["places"] == ["Nur-Sultan"]
    # with the year known, TASS's dates resolve: protests on 2022-01-02
    assert any(e["type"] == "protest" and (e["date"] or {}).get("start") == "2022-01-02" for e in tass["events"])


def test_seeds_entities_merge_across_outlets(result: dict[str, Any]) -> None:
    entities = result["stories"][0]["entities"]
    tokayev = [e for e in entities if "Tokayev" in e["name"]]
    assert len(tokayev) == 1
    assert {"Tokayev", "Kassym-Jomart Tokayev"} <= {tokayev[0]["name"], *tokayev[0]["aliases"]}
    csto = [e for e in entities if "CSTO" in [e["name"], *e["aliases"]] or "Collective Security Treaty Organization" in [e["name"], *e["aliases"]]]
    assert len(csto) == 1


def test_seeds_detentions_are_an_update_not_a_conflict(result: dict[str, Any]) -> None:
    figures = result["stories"][0]["comparison"]["figures"]
    detained = next(f for f in figures if f["measure"] == "detained")
    by_outlet = {v["outlet"]: v for v in detained["values"]}
    assert by_outlet["China Daily"]["low"] == 3000 and by_outlet["China Daily"]["qualifier"] == "more than"
    assert by_outlet["China Daily"]["as_of"].startswith("2022-01-07")
    assert by_outlet["TASS"]["value"] == 8000 and by_outlet["TASS"]["qualifier"] == "about"
    assert by_outlet["TASS"]["as_of"].startswith("2022-01-10")
    assert {v["verdict"] for v in detained["verdicts"]} == {"update"}


def test_seeds_restoration_update_and_tension(result: dict[str, Any]) -> None:
    statements = result["stories"][0]["comparison"]["statements"]
    relations = {s["relation"] for s in statements}
    assert "update" in relations and "tension" in relations


def test_seeds_death_tolls_omitted_by_tass(result: dict[str, Any]) -> None:
    omissions = result["stories"][0]["comparison"]["omissions"]
    tolls = [o for o in omissions if o["kind"] == "figure" and o["summary"].startswith("killed")]
    assert len(tolls) == 2
    assert all(o["present_in"] == ["China Daily"] and o["absent_from"] == ["TASS"] for o in tolls)
    un = [o for o in omissions if o["absent_from"] == ["TASS"] and ("Guterres" in o["summary"] or "Dujarric" in o["summary"])]
    assert un, "TASS does not carry the UN's calls for restraint"


def test_seeds_voices_per_outlet(result: dict[str, Any]) -> None:
    voices = result["stories"][0]["comparison"]["voices"]
    tass = {v["speaker"] for v in voices if v["outlet"] == "TASS"}
    china = {v["speaker"] for v in voices if v["outlet"] == "China Daily"}
    assert any("Tokayev" in s for s in tass) and all("Dujarric" not in s and "Guterres" not in s for s in tass)
    for name in ("Tokayev", "Guterres", "Dujarric", "Gherman", "interior ministry"):
        assert any(name.lower() in s.lower() for s in china), name


def test_seeds_labels_per_outlet(result: dict[str, Any]) -> None:
    labels = result["stories"][0]["comparison"]["labels"]
    terms = {(lab["outlet"], lab["term"]) for lab in labels}
    assert ("TASS", "terrorists") in terms and ("TASS", "militants") in terms
    armed = [lab for lab in labels if lab["outlet"] == "China Daily" and lab["term"] == "armed criminals"]
    assert armed and armed[0]["scare_quoted"] >= 1


def test_seeds_reports_show_it(result: dict[str, Any]) -> None:
    # the compact terminal: the detentions as a change over time, from one figure to the next
    assert "detained: more than 3,000 (01-07) → about 8,000 (01-10)" in result["_terminal"]
    html = result["_html"]
    assert 'id="fig-' in html and ">detained<" in html.replace("<h3>detained ", "<h3>>detained<")
    assert "1 update" in html or 'class="badge update"' in html
    assert html.count('class="article"') == 2


def test_seeds_every_comparison_ref_points_at_a_fact(result: dict[str, Any]) -> None:
    facts = {(a["id"], f["id"]) for a in result["articles"] for k in ("quotes", "claims", "events", "times", "entities") for f in a[k]}
    comp = result["stories"][0]["comparison"]
    refs = [(v["article_id"], v["fact_id"]) for f in comp["figures"] for v in f["values"]]
    refs += [(r["article_id"], r["fact_id"]) for o in comp["omissions"] for r in o["refs"]]
    refs += [(r["article_id"], r["fact_id"]) for t in comp["timeline"] for r in t["refs"]]
    assert refs and all(r in facts for r in refs), [r for r in refs if r not in facts]


def test_seeds_export_is_written_as_documented(result: dict[str, Any], tmp_path: Path) -> None:
    story = result["stories"][0]
    assert set(story["comparison"]) >= {"figures", "statements", "quotes", "omissions", "voices", "labels", "timeline"}
    for fig in story["comparison"]["figures"]:
        for v in fig["verdicts"]:
            assert set(v) >= {"a", "b", "verdict"} and v["verdict"] in {"agree", "update", "conflict", "unclear"}
