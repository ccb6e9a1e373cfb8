"""Near-duplicate detection: shingles, signatures, and the threshold measured on a small fixture.

The fixture is three invented news bodies (190-230 words), each with the copies
an aggregator or a syndication partner makes (credit line appended, wire dateline
added, a few words edited, the last paragraph cut), plus one rewrite of the same
event in other words. Measured (THRESHOLD 0.8, 3-word shingles, 256 permutations):
exact Jaccard of the copies 0.83-0.98 (MinHash estimates 0.83-0.98), of the rewrite
and the unrelated pairs 0.00-0.01. On the BASIL dev set (180 articles: 60 stories,
each told by three outlets) the most similar articles by different outlets on the
same story scored 0.23; appending a credit line kept every article at 0.95 or more,
editing 2% of the words at 0.85 or more, while cutting half the body (0.42-0.50)
falls below the threshold: such a copy is stored as an article of its own.
"""

from __future__ import annotations

import itertools
import subprocess
import sys

import numpy as np
import pytest

from parallax.store import dedup

BODIES = {
    "ferry": (
        "A passenger ferry ran aground off the northern coast on Sunday evening, forcing the evacuation of "
        "more than 300 people, the regional coast guard said.\n\n"
        "Rescue boats and two helicopters took passengers to the port of Marren, where medical teams checked "
        "them for injuries. Officials said four people were treated for minor cuts and one for hypothermia.\n\n"
        "The vessel, which had left the island of Ost two hours earlier, struck a sandbank in heavy fog. "
        "The operator said the crew had followed every safety procedure and that an inquiry would begin on Monday.\n\n"
        "Divers were inspecting the hull for damage, and the ministry of transport said a salvage team "
        "would try to refloat the ship at high tide.\n\n"
        "Passengers described a sudden jolt followed by an announcement asking everyone to put on life "
        "jackets and gather on the upper deck. Several said the crew handed out blankets and kept people "
        "calm while they waited for the first boats to arrive.\n\n"
        "It was the second grounding on the route in three years. After the previous accident, local "
        "fishermen asked the authorities to mark the shifting sandbanks with more buoys, a request the "
        "harbour office said it was still studying.\n\n"
        "Ferry services between Ost and the mainland were suspended until further notice, and the operator "
        "said stranded travellers would be offered hotel rooms in Marren for the night."
    ),
    "budget": (
        "The city council approved a budget on Thursday that raises spending on public transport by a fifth "
        "while cutting the funds set aside for new road projects.\n\n"
        "The plan passed by 31 votes to 18 after a debate that lasted almost nine hours. Supporters said the "
        "money would pay for more frequent trams and two new bus lines in the eastern districts.\n\n"
        "Opposition members argued that the cuts would delay repairs to three bridges that engineers have "
        "described as urgent. The mayor promised to review the bridge works in the autumn.\n\n"
        "The budget also freezes parking fees for a year and adds funding for street lighting.\n\n"
        "Business groups welcomed the parking freeze but warned that the loss of road money could slow "
        "deliveries in the old town, where narrow streets already cause long queues every morning.\n\n"
        "Transport planners expect the new tram timetable to start in the spring, once drivers have been "
        "hired and trained. The city plans to recruit sixty drivers over the winter, with a campaign aimed "
        "at young people and workers from closed factories.\n\n"
        "The council will publish the full list of projects next week, and residents can comment on them "
        "online or at public meetings in each district until the end of the month."
    ),
    "harvest": (
        "Farmers in the southern valleys expect the smallest grain harvest in a decade after months without "
        "rain, an agricultural association warned in a report published on Wednesday.\n\n"
        "The association estimated that wheat yields would fall by about 40 percent compared with last year, "
        "and that some smaller farms could lose their entire crop.\n\n"
        "Water authorities have limited irrigation to three days a week since June. Several villages now "
        "receive drinking water by truck, local officials said.\n\n"
        "The agriculture minister said the government was preparing an emergency fund for affected farmers.\n\n"
        "Prices for flour and animal feed have already risen in local markets, traders said, and bakers in "
        "the valley towns have warned that bread could become more expensive before the end of the year.\n\n"
        "Scientists at the national weather service said the spring had been the driest since records began "
        "more than a century ago, and that the long-range forecast offered little hope of relief.\n\n"
        "Some farmers have started selling part of their herds because they cannot afford to buy hay, the "
        "association said, and it urged banks to delay loan repayments until the next harvest."
    ),
}

REWRITE = (
    "More than three hundred passengers had to leave a ferry that hit a sandbank in thick fog near the "
    "northern coast late on Sunday.\n\n"
    "According to the coast guard, helicopters and lifeboats brought everyone ashore at Marren. A handful of "
    "people needed treatment, mostly for small injuries, and one person was suffering from the cold.\n\n"
    "The company that runs the route insisted its crew had done nothing wrong. Salvage workers hope to free "
    "the ship when the tide comes in, transport officials said."
)


def copies(body: str) -> dict[str, str]:
    paragraphs = body.split("\n\n")
    return {
        "credit-line": body + "\n\nReporting by the newsroom staff; editing by the desk.",
        "wire-dateline": "MARREN, Sunday (Wire Agency) - " + body,
        "edited-words": body.replace(" said", " told reporters", 2).replace("on ", "late on ", 1),
        "last-paragraph-cut": "\n\n".join(paragraphs[:-1]),
    }


def _sig(text: str) -> np.ndarray:
    sig = dedup.signature(text)
    assert sig is not None
    return sig


@pytest.mark.parametrize(("name", "kind"), list(itertools.product(BODIES, copies("x. y"))))
def test_store_dedup_copies_reach_threshold(name: str, kind: str) -> None:
    body = BODIES[name]
    score = dedup.similarity(_sig(body), _sig(copies(body)[kind]))
    assert score >= dedup.THRESHOLD, f"{name}/{kind}: {score:.2f}"
    assert set(dedup.band_keys(_sig(body))) & set(dedup.band_keys(_sig(copies(body)[kind])))


@pytest.mark.parametrize(("a", "b"), [*itertools.combinations(BODIES, 2), ("ferry", "rewrite")])
def test_store_dedup_different_texts_stay_apart(a: str, b: str) -> None:
    texts = {**BODIES, "rewrite": REWRITE}
    score = dedup.similarity(_sig(texts[a]), _sig(texts[b]))
    assert score <= 0.1, f"{a}/{b}: {score:.2f}"
    assert dedup.best_match(_sig(texts[a]), [(b, dedup.to_bytes(_sig(texts[b])))]) is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", set()),
        ("One, two!", {b"one two"}),
        ("A b C d", {b"a b c", b"b c d"}),
        ("Ünï  CODE\n\ncode", {"ünï code code".encode()}),
    ],
)
def test_store_dedup_shingles(text: str, expected: set[bytes]) -> None:
    assert dedup.shingles(text) == expected


@pytest.mark.parametrize("text", [BODIES["ferry"]])
def test_store_dedup_signature_is_stable_across_processes(text: str) -> None:
    # signatures are persisted, so a new process must compute the very same values
    code = "import sys; from parallax.store import dedup; print(dedup.to_bytes(dedup.signature(sys.stdin.read())).hex())"
    out = subprocess.run(
        [sys.executable, "-c", code], input=text, capture_output=True, text=True, check=True
    ).stdout
    assert bytes.fromhex(out.strip()) == dedup.to_bytes(_sig(text))
    assert dedup.signature("   ,,, ") is None


@pytest.mark.parametrize("candidates", [[("b", 0.9), ("a", 0.9), ("c", 0.95)]])
def test_store_dedup_best_match_prefers_highest_then_smallest_id(candidates: list[tuple[str, float]]) -> None:
    base = _sig(BODIES["budget"])
    rows = []
    for cid, share in candidates:
        other = base.copy()
        changed = int(round(len(base) * (1 - share)))
        other[:changed] = other[:changed] + np.uint64(1)
        rows.append((cid, dedup.to_bytes(other)))
    assert dedup.best_match(base, rows) == (
        "c",
        pytest.approx(dedup.similarity(base, dedup.from_bytes(rows[2][1]))),
    )
    assert dedup.best_match(base, rows[:2])[0] == "a"  # type: ignore[index]
