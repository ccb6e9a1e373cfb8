"""The JSON API and the web pages (no browser): shapes, errors, security, filters, search.

The store holds the big fixture story (60 articles from 20 outlets, a long figure series,
hostile markup in titles) and the small one, facts and indexes included.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from parallax.store import open_store
from parallax.web import create_app
from report_fixtures import HOSTILE, web_store

pytestmark = pytest.mark.xdist_group("web")


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> str:
    path = str(tmp_path_factory.mktemp("web") / "p.db")
    web_store(path)
    return path


@pytest.fixture(scope="module")
def client(db: str) -> Iterator[TestClient]:
    with TestClient(create_app(db), base_url="http://127.0.0.1:8765") as c:
        yield c


# --------------------------------------------------------------------------- API shapes


def test_web_api_articles_and_article(client: TestClient) -> None:
    rows = client.get("/api/articles").json()
    assert len(rows) == 62 and {"id", "outlet", "title", "published", "url"} <= set(rows[0])
    one = client.get(f"/api/articles/{rows[0]['id']}").json()
    assert one["id"] == rows[0]["id"] and one["paragraphs"]
    assert {r["outlet"] for r in client.get("/api/articles", params={"outlet": "TASS"}).json()} == {"TASS"}
    assert len(client.get("/api/articles", params={"limit": 5, "offset": 60}).json()) == 2


def test_web_api_stories_carry_counts_and_filter(client: TestClient) -> None:
    response = client.get("/api/stories")
    rows = response.json()
    assert response.headers["x-total-count"] == "2"
    big = next(r for r in rows if r["id"] == "storybig0001")
    assert (big["articles"], len(big["outlets"]), big["conflicts"], big["revisions"], big["omissions"]) == (
        60,
        20,
        2,
        1,
        30,
    )
    assert len(big["article_ids"]) == 60 and big["outlets"][0] in (
        "Associated Press",
        "BBC",
        "CNN",
        "Reuters",
        "The Guardian",
    )
    assert [r["id"] for r in client.get("/api/stories", params={"outlet": "Outlet A"}).json()] == ["s123"]
    assert [r["id"] for r in client.get("/api/stories", params={"entity": "josh green"}).json()] == [
        "storybig0001"
    ]
    assert [r["id"] for r in client.get("/api/stories", params={"q": "heartbroken"}).json()] == [
        "storybig0001"
    ]
    assert [
        r["id"]
        for r in client.get("/api/stories", params={"since": "2022-01-01", "until": "2022-01-08"}).json()
    ] == ["s123"]
    assert [r["id"] for r in client.get("/api/stories", params={"sort": "omissions"}).json()] == [
        "storybig0001",
        "s123",
    ]


def test_web_api_search_pages_through_articles_quotes_and_figures(client: TestClient) -> None:
    first = client.get("/api/search", params={"q": "heartbroken", "size": 50}).json()
    assert first["total"] == 120 and first["counts"] == {"article": 60, "quote": 60} and first["pages"] == 3
    assert "«heartbroken»" in first["hits"][0]["snippet"]
    ids = {
        (h["kind"], h["article_id"])
        for p in (1, 2, 3)
        for h in client.get("/api/search", params={"q": "heartbroken", "size": 50, "page": p}).json()["hits"]
    }
    assert len(ids) == 120  # pages don't overlap
    quotes = client.get("/api/search", params={"q": "heartbroken", "kind": "quote", "outlet": "TASS"}).json()
    assert quotes["total"] == 1 and quotes["hits"][0]["title"] == "Josh Green"
    # stemming: "official" finds "officials"; a figure is found by what it counts ("kill": killed)
    assert client.get("/api/search", params={"q": "official", "kind": "figure"}).json()["total"] == 60
    assert client.get("/api/search", params={"q": "kill"}).json()["counts"] == {"figure": 60}
    assert (
        client.get("/api/search", params={"q": '"death toll" wildfire', "until": "2023-08-09"}).json()[
            "total"
        ]
        == 6
    )


def test_web_api_entity_and_outlet(client: TestClient) -> None:
    ent = client.get("/api/entities/Josh Green").json()
    assert ent["name"] == "Josh Green" and ent["total_articles"] == 60 and len(ent["naming"]) == 20
    assert ent["naming"][0]["forms"] == {"Governor Josh Green": 5}
    assert sum(q["count"] for q in ent["quoters"]) == 60
    outlet = client.get("/api/outlets/TASS").json()
    assert outlet["articles"] == 1 and [s["id"] for s in outlet["stories"]] == ["storybig0001"]
    assert {v["name"] for v in outlet["voices"]} == {"Josh Green", "Maui County", "a resident"}


def test_web_openapi_lists_the_api(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    assert {"/api/articles", "/api/articles/{article_id}", "/api/articles/{article_id}/facts", "/api/stories",
            "/api/stories/{story_id}", "/api/export", "/api/search"} <= set(spec["paths"])  # fmt: skip
    assert "ErrorEnvelope" in spec["components"]["schemas"]


# --------------------------------------------------------------------------- errors: one envelope


@pytest.mark.parametrize(
    ("path", "status", "words"),
    [
        ("/api/articles/doesnotexist", 404, "doesnotexist"),
        ("/api/no/such/route", 404, "/api/no/such/route"),
        ("/nowhere", 404, "/nowhere"),
        ("/api/articles?limit=0", 422, "limit"),
        ("/api/stories?since=yesterday", 422, "since"),
        ("/api/search?q=x&kind=bogus", 422, "kind"),
        ("/api/articles/art001xxxxxx/facts?kind=bogus", 400, "unknown kind 'bogus'"),
        ("/api/entities/nobody%20at%20all", 404, "nobody at all"),
    ],
)
def test_web_errors_share_one_envelope(client: TestClient, path: str, status: int, words: str) -> None:
    response = client.get(path)
    assert response.status_code == status
    body = response.json()
    assert body == {"ok": False, "error": body["error"], "status": status} and words in body["error"]


def test_web_method_not_allowed_and_html_errors(client: TestClient) -> None:
    response = client.post("/api/stories")
    assert response.status_code == 405 and response.json()["ok"] is False
    page = client.get("/stories/nope", headers={"accept": "text/html"})
    assert (
        page.status_code == 404
        and "text/html" in page.headers["content-type"]
        and "no stored story" in page.text
    )


def test_web_facts_kind_filter(client: TestClient) -> None:
    data = client.get("/api/articles/art001xxxxxx/facts", params={"kind": "quotes"}).json()
    assert list(data) == ["quotes"] and data["quotes"][0]["text"] == "We are heartbroken,"


# --------------------------------------------------------------------------- security


def test_web_security_headers_on_pages_api_and_errors(client: TestClient) -> None:
    for path in ("/", "/api/stories", "/nowhere", "/stories/storybig0001"):
        headers = client.get(path).headers
        csp = headers["content-security-policy"]
        assert "script-src 'self'" in csp and "frame-ancestors 'none'" in csp and "unsafe-inline" not in csp
        assert headers["x-content-type-options"] == "nosniff" and headers["x-frame-options"] == "DENY"


@pytest.mark.parametrize(
    "host", ["evil.example", "evil.example:8765", "127.0.0.1.evil.example", "[::2]:8765"]
)
def test_web_foreign_host_cannot_read_the_export(db: str, host: str) -> None:
    # DNS rebinding: a page on evil.example resolves its own name to 127.0.0.1
    with TestClient(create_app(db), base_url="http://127.0.0.1:8765") as c:
        response = c.get("/api/export", headers={"host": host})
    assert response.status_code == 400
    assert response.json()["ok"] is False and "allow-host" in response.json()["error"]
    assert response.headers["x-frame-options"] == "DENY"


def test_web_allowed_hosts(db: str) -> None:
    app = create_app(db, host="127.0.0.1", allow_hosts=["parallax.lan"])
    with TestClient(app, base_url="http://127.0.0.1:8765") as c:
        for host in ("127.0.0.1:8765", "localhost:8765", "[::1]:8765", "parallax.lan", "PARALLAX.LAN:80"):
            assert c.get("/api/stories", headers={"host": host}).status_code == 200, host
        assert c.get("/api/stories", headers={"host": "other.lan"}).status_code == 400


def test_web_docs_load_from_package_files(client: TestClient) -> None:
    page = client.get("/docs")
    assert page.status_code == 200
    # nothing from another origin: every script and stylesheet is served here
    assets = [a for a in re.findall(r'(?:src|href)="([^"]+)"', page.text) if a != "data:,"]  # "data:,": no favicon
    assert assets and all(a.startswith("/") for a in assets), assets
    assert "<script>" not in page.text  # no inline script: the CSP would block it
    for asset in assets:
        got = client.get(asset)
        assert got.status_code == 200 and len(got.content) > 100, asset
    assert "SwaggerUIBundle" in client.get("/static/swagger/swagger-ui-bundle.js").text
    assert client.get("/static/swagger/index.html").status_code == 404  # only the files /docs needs


def test_web_create_app_takes_the_database_not_the_environment(
    db: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PARALLAX_DB", str(tmp_path / "elsewhere.db"))
    with TestClient(create_app(db), base_url="http://127.0.0.1") as c:
        assert c.get("/api/stories").headers["x-total-count"] == "2"
    with open_store(db) as store, TestClient(create_app(store=store), base_url="http://127.0.0.1") as c:
        assert len(c.get("/api/articles").json()) == 62


# --------------------------------------------------------------------------- pages


def test_web_pages_escape_hostile_text_and_never_print_none(client: TestClient) -> None:
    for path in (
        "/",
        "/stories/s123",
        "/stories/storybig0001",
        "/articles/aaaa1111",
        "/search?q=order",
        "/outlets/Outlet%20A",
    ):
        html = client.get(path).text
        assert HOSTILE not in html and "<script>document" not in html, path
        assert ">None<" not in html and "None</" not in html, path
    # a missing headline shows as the beginning of the text, never "None"
    assert "“The death toll from the wildfire rose to 36 on Tuesday, officials said." in client.get("/stories/storybig0001").text
    # a javascript: URL from the metadata is never a link
    assert "javascript:" not in client.get("/stories/storybig0001").text


def test_web_story_page_columns_by_coverage_and_cells_link_to_spans(client: TestClient) -> None:
    html = client.get("/stories/storybig0001").text
    head = re.search(r'<table class="sbs">.*?</tr>', html, re.S)
    assert head is not None
    columns = re.findall(r"<th>(.*?)</th>", head.group(0))
    assert len(columns) == 6 and columns[-1] == "16 more outlets"  # statement, 4 outlets, the rest
    assert '<svg class="chart"' in html and "<script" not in html
    # every figure point and every quote cell goes to the article, at its span
    links = set(re.findall(r'href="(/articles/[^"]+)"', html))
    assert (
        "/articles/art010xxxxxx#f-art010xxxxxx-C1" in links
        and "/articles/art001xxxxxx#f-art001xxxxxx-Q1" in links
    )
    article = client.get("/articles/art010xxxxxx").text
    assert 'id="f-art010xxxxxx-C1"' in article and 'class="f f-figure"' in article


def test_web_article_page_marks_facts_and_lists_removed_lines(client: TestClient) -> None:
    html = client.get("/articles/art001xxxxxx").text
    for kind in ("quote", "figure", "date", "event"):
        assert f'class="f f-{kind}"' in html
    assert 'class="f f-entity" id="f-art001xxxxxx-E1" href="/entities/josh%20green"' in html
    assert "share-widget" in html and "https://news.example/art001xxxxxx" in html
    assert 'href="/stories/storybig0001"' in html


def test_web_overview_paginates(db: str) -> None:
    from parallax.export import views

    with open_store(db) as store:
        first = views.overview(store, size=1)
        second = views.overview(store, size=1, page=2)
        past = views.overview(store, size=1, page=9)
    assert first["paging"]["pages"] == 2 and first["rows"][0]["id"] != second["rows"][0]["id"]
    assert past["paging"]["page"] == 2 and past["rows"][0]["id"] == second["rows"][0]["id"]
