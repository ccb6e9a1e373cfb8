"""HTML pages: trafilatura plus the line cleaner, metadata provenance, guards, plugins."""

from __future__ import annotations

import pytest

from parallax.clean import clean_document, register_outlet, registered_outlets, unregister_outlet
from parallax.clean import html as html_mod
from parallax.clean.html import MAX_DEPTH, parse_html, visible_text
from parallax.errors import CleaningError, ConfigError, NoArticleError
from parallax.records import Article, MetaValue, RawDocument

PARAS = [
    "The city council approved a plan on Monday to expand the tram network into three new districts, "
    "a project officials said would take about six years to complete.",
    "The expansion will add 14 kilometres of track and 22 stops, according to the transport department, "
    "which expects the first section to open before the end of the decade.",
    '"This is the biggest investment in public transport the city has made in a generation," the mayor '
    "told reporters after the vote, adding that funding had been secured from national programmes.",
    "Opponents on the council argued that the money would be better spent on buses, which they said could "
    "serve more residents sooner and at a lower cost to taxpayers.",
]

PAGE = f"""<!DOCTYPE html><html lang="en"><head>
<title>Council backs tram expansion | Example Gazette</title>
<meta property="og:title" content="Council backs tram expansion">
<meta property="og:site_name" content="Example Gazette">
<meta name="author" content="Maria Example">
<meta property="article:published_time" content="2023-05-08T09:30:00+02:00">
</head><body>
<nav><ul><li><a href="/">Home</a></li><li><a href="/news">News</a></li><li><a href="/sport">Sport</a></li></ul></nav>
<article>
<h1>Council backs tram expansion</h1>
<p>{PARAS[0]}</p>
<p>{PARAS[1]}</p>
<figure><img src="tram.jpg" alt=""><figcaption>A tram crosses the river bridge in the old town.
<span class="credit">Jan Novak/Example Gazette</span></figcaption></figure>
<p>Related: Bus fares to rise in the autumn</p>
<p>{PARAS[2]}</p>
<p>{PARAS[3]}</p>
<p>Share this story</p>
</article>
<footer><p>© 2023 Example Gazette. All rights reserved.</p><a href="/privacy">Privacy Policy</a></footer>
</body></html>"""


def _doc(html: str, metadata: dict[str, MetaValue] | None = None) -> RawDocument:
    return RawDocument(
        source="page.html",
        format="html",
        raw=html.encode("utf-8"),
        html=html,
        url="https://www.example-gazette.test/news/tram",
        metadata=metadata or {},
    )


def test_clean_html_body_and_metadata() -> None:
    a = clean_document(_doc(PAGE))
    assert [p.text for p in a.paragraphs] == PARAS
    assert a.title == "Council backs tram expansion"
    assert a.provenance["title"] == "html-metadata"
    assert a.byline == "Maria Example"
    assert a.published is not None and a.published.startswith("2023-05-08")
    assert a.provenance["published"] == "html-metadata"
    assert a.outlet == "Example Gazette" and a.provenance["outlet"] == "html-metadata"
    assert a.language == "en"
    assert a.input_format == "html"
    for p in a.paragraphs:
        assert a.raw_text[p.raw_start : p.raw_end] == p.text
    reasons = {r.text: r.reason for r in a.removed}
    assert reasons.get("Related: Bus fares to rise in the autumn") == "related-link"
    assert [(c.text, c.credit) for c in a.captions] == [
        ("A tram crosses the river bridge in the old town.", "Jan Novak/Example Gazette")
    ]


def test_clean_html_user_metadata_wins() -> None:
    a = clean_document(_doc(PAGE, {"title": MetaValue("Tram plan approved", "user-metadata")}))
    assert a.title == "Tram plan approved"
    assert a.provenance["title"] == "user-metadata"


def test_clean_html_deep_nesting_is_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(html_mod, "MAX_DEPTH", 50)
    html = "<html><body>" + "<div>" * 120 + PARAS[0] + "</div>" * 120 + "</body></html>"
    with pytest.raises(CleaningError) as err:
        clean_document(_doc(html))
    assert "nested" in str(err.value) and err.value.code == "unsafe"


def test_clean_html_pathological_nesting_never_crashes() -> None:
    depth = MAX_DEPTH * 25
    html = "<html><body>" + "<div><span>" * depth + PARAS[0] + "</span></div>" * depth + "</body></html>"
    with pytest.raises(CleaningError) as err:
        clean_document(_doc(html))
    assert "nested" in str(err.value) and err.value.code == "unsafe"


def test_clean_html_empty_or_chrome_only_is_no_article() -> None:
    with pytest.raises(NoArticleError):
        clean_document(_doc("<html><body><nav><a href='/'>Home</a></nav></body></html>"))
    with pytest.raises(NoArticleError):
        clean_document(_doc("   "))


def test_clean_html_visible_text_keeps_chrome_drops_scripts() -> None:
    html = "<html><head><style>p{}</style></head><body><nav>Home</nav><script>var x=1;</script><p>One <b>two</b></p><div>Three</div></body></html>"
    text = visible_text(parse_html(html, "t.html"))
    assert text.split("\n") == ["Home", "One two", "Three"]


def test_clean_outlet_plugin_registry() -> None:
    calls: list[str] = []

    @register_outlet("Example Gazette")
    def _plugin(article: Article) -> Article:
        calls.append(article.id)
        return article

    try:
        assert "example gazette" in registered_outlets()
        with pytest.raises(ConfigError):
            register_outlet("Example Gazette")(_plugin)
        a = clean_document(_doc(PAGE))
        assert calls == [a.id]
    finally:
        unregister_outlet("Example Gazette")
    assert "example gazette" not in registered_outlets()


def test_clean_html_metadata_reader_headline_and_dates() -> None:
    from parallax.clean.meta import headline, read_metadata

    assert headline("Council backs tram plan | Gazette", "Council backs tram plan", "Gazette") == (
        "Council backs tram plan"
    )
    assert headline("Council backs tram plan - Example Gazette", None, "Example Gazette") == (
        "Council backs tram plan"
    )
    assert headline("Tram plan: what it means", None, None) == "Tram plan: what it means"
    page = """<html lang="de-DE"><head>
    <script type="application/ld+json">{"@context": "https://schema.org", "@type": "NewsArticle",
    "headline": "Stadt baut Tram aus", "datePublished": "2023-05-08T09:30:00+02:00",
    "author": [{"@type": "Person", "name": "Maria Beispiel"}], "publisher": {"name": "Beispielzeitung"}}</script>
    </head><body><h1>Stadt baut Tram aus</h1></body></html>"""
    meta = read_metadata(parse_html(page, "p.html"))
    assert meta["title"] == "Stadt baut Tram aus"
    assert meta["published"] == "2023-05-08T09:30:00+02:00"
    assert meta["byline"] == "Maria Beispiel"
    assert meta["outlet"] == "Beispielzeitung"
    assert meta["language"] == "de"


def test_clean_html_xhtml_with_encoding_declaration_parses() -> None:
    page = '<?xml version="1.0" encoding="iso-8859-1"?>\n' + PAGE
    a = clean_document(_doc(page))
    assert [p.text for p in a.paragraphs] == PARAS


def test_clean_html_agency_name_inside_the_text_does_not_end_it() -> None:
    page = PAGE.replace(f"<p>{PARAS[1]}</p>", f"<p>{PARAS[1]}</p><p>ASSOCIATED PRESS</p>")
    a = clean_document(_doc(page))
    assert [p.text for p in a.paragraphs] == PARAS
