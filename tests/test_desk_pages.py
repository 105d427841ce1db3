"""The desk's HTML pages, in-process on the small desk store: content, links, 404s, no outside assets."""

from __future__ import annotations

import re

import pytest
from starlette.testclient import TestClient

from desk_store import desk_store
from interbellum.desk import create_app, pages, queries
from interbellum.desk.render import nice_date, present, timeline

BARKHANE = "s-0e9203f17936e20a"
ECOWAS_ARTICLE = "31a37d0b5628f555"
EXTERNAL_ASSET = re.compile(r'<(?:script|link|img)[^>]+(?:src|href)="(?:https?:)?//', re.I)


@pytest.fixture(scope="module")
def client():
    with TestClient(create_app(desk_store())) as c:
        yield c


@pytest.mark.parametrize(("path", "expected"), [
    ("/", ["Latest stories", "Last French troops leave Mali", '<p class="muted count">', 'name="country"']),
    ("/?country=NER", ["Soldiers in Niger say they have ousted"]),
    (f"/stories/{BARKHANE}", ["Coverage", "What happened", "1 copy of this report elsewhere", "Le Veilleur africain"]),
    (f"/articles/{ECOWAS_ARTICLE}", ["West African bloc gives Niger junta", 'class="hl-actor"', 'class="hl-place"',
                                     'class="hl-time"', "hl-event", "Related stories", "credited to Reuters"]),
    ("/actors/mli.mil", ["Malian Armed Forces", "Events over time", "Counterparts"]),
    ("/places/country:NER", ["Niger", "Present now", "Situations over time", "Events in Niger"]),
    ("/places/country:MLI", ["Operation Barkhane <em>present in</em> Mali", "15 Aug 2022", "timeline-bar"]),
    ("/map", ["<svg", 'id="map-points"', "/static/map.js"]),
    ("/search?q=Bazoum", ["Bazoum", "/articles/"]),
])
def test_pages_show_their_content(client, path, expected):
    r = client.get(path)
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    for text in expected:
        assert text in r.text, (path, text)
    assert not EXTERNAL_ASSET.search(r.text), "pages must work offline: no CDN, fonts or tiles"
    assert '<meta name="viewport"' in r.text and '<html lang="en">' in r.text


def test_article_lists_related_coverage(client):
    r = client.get(f"/articles/{ECOWAS_ARTICLE}")
    related = re.search(r'id="related">.*?</section>', r.text, re.S).group(0)
    assert "/stories/" in related and "Nothing else" not in related


def test_map_draws_outlines_and_points(client):
    r = client.get("/map")
    assert len(re.findall(r"<path d=", r.text)) > 10
    assert "</script" not in r.text.split('id="map-points"')[1].split("</script>")[0]
    assert client.get("/static/map.js").status_code == 200 and client.get("/static/desk.css").status_code == 200


@pytest.mark.parametrize("path", ["/stories/s-nope", "/articles/nope", "/actors/nope", "/places/nope", "/nowhere"])
def test_unknown_ids_give_a_404_page(client, path):
    r = client.get(path)
    assert r.status_code == 404 and r.headers["content-type"].startswith("text/html")
    assert "404" in r.text and "Back to the latest stories" in r.text


def test_bad_filter_gives_a_422_page(client):
    r = client.get("/", params={"page": 0})
    assert r.status_code == 422 and "page" in r.text


def test_a_story_page_shows_disagreeing_tolls(client, monkeypatch):
    story = queries.story(client.app.state.reader.conn(), BARKHANE)
    story["events"] = [{**story["events"][0], "fatalities": 50, "reports": [
        {"article": "a1", "outlet": "one.example", "sentence": "Twenty died.", "claimed_by": "the army",
         "fatalities": 20},
        {"article": "a2", "outlet": "two.example", "sentence": "Fifty died.", "claimed_by": None, "fatalities": 50}]}]
    monkeypatch.setattr(pages.queries, "story", lambda _conn, _id: story)
    text = client.get(f"/stories/{BARKHANE}").text
    assert "Reports disagree on the toll" in text and "20 (the army) vs 50 (two.example)" in text


@pytest.mark.parametrize(("value", "shown"), [
    ("2024-07-06", "6 Jul 2024"), ("2024-07", "Jul 2024"), ("2024", "2024"), (None, "date unknown"),
])
def test_nice_date(value, shown):
    assert nice_date(value) == shown


def test_timeline_bars_run_from_start_to_end_or_stay_open():
    spans = [{"subject": "A", "relation": "present_in", "object": "X", "start": "2020-01-01", "end": "2022-01-01"},
             {"subject": "B", "relation": "present_in", "object": "X", "start": "2021-01-01", "ongoing": True},
             {"subject": "C", "relation": "controls", "object": "X", "start": None, "ongoing": False,
              "first_reported": "2021-01-01", "last_reported": "2022-01-01"},
             {"subject": "D", "relation": "controls", "object": "X"}]
    tl = timeline(spans, today="2024-01-01")
    assert len(tl["rows"]) == 3  # D has no date at all: no bar
    first, second, third = tl["rows"]
    assert first["left"] == 0 and 45 < first["width"] < 55 and not first["open"]
    assert second["open"] and abs(second["left"] + second["width"] - 100) < 0.01
    assert third["vague"] and not third["open"] and 24 < third["left"] < 26 and 24 < third["width"] < 26
    assert [t["label"] for t in tl["ticks"]] == ["2021", "2022", "2023", "2024"]


@pytest.mark.parametrize(("span", "now"), [
    ({"ongoing": True, "end": None}, True), ({"ongoing": None, "end": None}, True),
    ({"ongoing": False, "end": None}, False), ({"ongoing": None, "end": "2022"}, False),
])
def test_present_now(span, now):
    assert bool(present([span])) is now


NESTED_LINK = re.compile(r"<a\s[^>]*>(?:(?!</a>).)*?<a\s", re.S)


def test_article_text_never_nests_links(client):
    """A name that is both an actor and a place ("Niger") is linked once: nested links break in browsers."""
    import sqlite3

    with sqlite3.connect(desk_store()) as conn:
        ids = [r[0] for r in conn.execute("SELECT id FROM articles")]
    bodies = [re.search(r'<div class="body">.*?</div>', client.get(f"/articles/{i}").text, re.S).group(0) for i in ids]
    assert any('<span class="hl-place">' in b for b in bodies), "the fixture has a name both actor and place"
    for article_id, body in zip(ids, bodies, strict=True):
        assert not NESTED_LINK.search(body), article_id
