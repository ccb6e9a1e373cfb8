"""TimeBank 1.2 + AQUAINT (dev data): TempEval-3 scores must stay above the pinned floors."""

from __future__ import annotations

import json
from pathlib import Path

from devdata import require_devdata
from parallax.eval.timex import evaluate, load_tml, main

FLOORS = json.loads((Path(__file__).parent / "gold" / "timex" / "floors.json").read_text("utf-8"))


def test_timex_timebank_floors() -> None:
    data = require_devdata("timebank-aquaint")
    scores = evaluate(data)
    assert scores["documents"] == 256
    for name, floor in FLOORS.items():
        if not name.startswith("_"):
            assert scores[name] >= floor, f"{name} {scores[name]:.3f} < floor {floor}"


def test_timex_load_tml_offsets(tmp_path: Path) -> None:
    tml = tmp_path / "x.tml"
    tml.write_text(
        '<?xml version="1.0" ?><TimeML><DCT><TIMEX3 tid="t0" type="DATE" value="1998-01-08">19980108</TIMEX3></DCT>'
        '<TEXT>\nShares fell &amp; rose <TIMEX3 tid="t1" type="DATE" value="1998-01-07">yesterday</TIMEX3>.\n\n'
        'Trading resumes <TIMEX3 tid="t2" type="DATE" value="1998-01-09">tomorrow</TIMEX3>.\n</TEXT></TimeML>',
        encoding="utf-8",
    )
    doc = load_tml(tml)
    assert doc.dct == "1998-01-08"
    assert doc.paragraphs == ["Shares fell & rose yesterday.", "Trading resumes tomorrow."]
    assert [doc.text[g.start : g.end] for g in doc.timexes] == ["yesterday", "tomorrow"]
    scores = evaluate(tmp_path)
    assert scores["value_f1"] == 1.0 and scores["strict_f1"] == 1.0


def test_timex_eval_main_prints_rules(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / "a.tml").write_text(
        '<TimeML><DCT><TIMEX3 value="2000-01-01">x</TIMEX3></DCT><TEXT>It rained <TIMEX3 type="DATE" value="1999-12-31">'
        "yesterday</TIMEX3>.</TEXT></TimeML>",
        encoding="utf-8",
    )
    assert main([str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert "value F1 1.000" in out and "relaxed F1 x value accuracy" in out
    assert main([str(tmp_path / "missing")]) == 2
