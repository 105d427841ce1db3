"""The desk in a real browser: Playwright driving Debian's Chromium (never a downloaded browser), headless.

A uvicorn server runs in a thread on a free loopback port. The walk: front page → a story → an article
→ a related story → an actor → the map → a country page, checking content and saving screenshots.
Screenshots go to a temporary folder, or to $INTERBELLUM_SCREENSHOTS (e.g. docs/screenshots) — with
$INTERBELLUM_DESK_DB pointing at the demo store, that is how the committed ones are made:

    INTERBELLUM_DESK_DB=interbellum-demo.db INTERBELLUM_SCREENSHOTS=docs/screenshots pytest tests/test_browser.py
"""

from __future__ import annotations

import os
import socket
import threading
import time
from pathlib import Path

import pytest

CHROMIUM = "/usr/bin/chromium"

if not Path(CHROMIUM).exists():
    if os.environ.get("CI") == "true":
        raise RuntimeError(f"{CHROMIUM} is missing under CI (.ci/run installs it with apt-get)")
    pytest.skip(f"{CHROMIUM} is absent (apt-get install chromium); the browser test needs Debian's Chromium",
                allow_module_level=True)

sync_api = pytest.importorskip("playwright.sync_api")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server():
    import uvicorn

    from desk_store import desk_store
    from interbellum.desk import create_app

    db = os.environ.get("INTERBELLUM_DESK_DB") or desk_store()
    port = _free_port()
    srv = uvicorn.Server(uvicorn.Config(create_app(db), host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 15
    while not srv.started:
        if time.monotonic() > deadline or not thread.is_alive():
            pytest.fail("the desk server did not start")
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    srv.should_exit = True
    thread.join(timeout=5)


@pytest.fixture(scope="module")
def browser():
    with sync_api.sync_playwright() as p:  # one per module: a second one would share the first's event loop
        chromium = p.chromium.launch(executable_path=CHROMIUM, headless=True)
        yield chromium
        chromium.close()


@pytest.fixture(scope="module")
def page(browser):
    return browser.new_page(viewport={"width": 1280, "height": 900})


@pytest.fixture(scope="module")
def shots(tmp_path_factory) -> Path:
    target = os.environ.get("INTERBELLUM_SCREENSHOTS")
    folder = Path(target) if target else tmp_path_factory.mktemp("screenshots")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def test_walk_the_desk(server, page, shots):
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    outside: list[str] = []
    page.on("request", lambda req: None if req.url.startswith(server) else outside.append(req.url))

    page.goto(server + "/")
    assert page.locator("h1").inner_text() == "Latest stories"
    assert page.locator(".story-card").count() >= 3
    page.screenshot(path=shots / "front.png")

    page.locator(".story-card h2 a").first.click()
    page.wait_for_url("**/stories/**")
    assert page.locator("#coverage").is_visible() and page.locator(".coverage li").count() >= 1
    page.screenshot(path=shots / "story.png")

    page.locator(".coverage h3 a").first.click()
    page.wait_for_url("**/articles/**")
    assert page.locator(".body a.hl-actor").count() >= 1 and page.locator(".body .hl-place").count() >= 1
    page.screenshot(path=shots / "article.png")

    related = page.locator("ul.related a")
    if related.count() == 0:  # this article's story stands alone; take one that has neighbours
        page.goto(server + "/articles/31a37d0b5628f555")
    assert related.count() >= 1
    title = related.first.inner_text()
    related.first.click()
    page.wait_for_url("**/stories/**")
    assert page.locator("h1").inner_text().strip() == title.strip()

    page.goto(server + "/articles/31a37d0b5628f555")
    page.locator(".body a.hl-actor").first.click()
    page.wait_for_url("**/actors/**")
    assert page.locator("h1").inner_text()
    page.goto(server + "/actors/mli.mil")
    assert "Malian Armed Forces" in page.locator("h1").inner_text()
    page.screenshot(path=shots / "actor.png")

    page.goto(server + "/map")
    page.wait_for_selector("#markers .marker")
    assert page.locator("#markers .marker").count() >= 1 and page.locator("svg .land path").count() > 10
    before = page.locator("#markers .marker").count()
    page.locator("#zoom-out").click()
    page.locator("#zoom-out").click()
    assert page.locator("#markers .marker").count() <= before  # farther out, nearby places merge
    page.locator("#zoom-reset").click()
    page.screenshot(path=shots / "map.png")

    page.goto(server + "/places/country:MLI")
    assert page.locator("h1").inner_text() == "Mali" and page.locator("#now").is_visible()
    page.screenshot(path=shots / "country.png", full_page=False)

    assert not errors, errors
    assert not outside, f"the desk fetched from outside: {outside[:3]}"


PHONE = {"width": 390, "height": 844}
# Headings in page order, landmarks, and every image-like element named: checked in the page itself.
A11Y_JS = """() => {
  const levels = Array.from(document.querySelectorAll('h1, h2, h3, h4')).map(h => +h.tagName[1]);
  const skips = levels.filter((l, i) => i > 0 && l > levels[i - 1] + 1);
  const unnamed = Array.from(document.querySelectorAll('img:not([alt]), [role=img]:not([aria-label]), svg[role]:not([aria-label])'));
  const blankLinks = Array.from(document.querySelectorAll('a')).filter(a => !(a.textContent.trim() || a.getAttribute('aria-label')));
  return {h1: document.querySelectorAll('h1').length, first: levels[0], skips: skips.length,
          landmarks: ['header', 'nav', 'main', 'footer'].filter(t => document.querySelector(t)).length,
          unnamed: unnamed.length, blankLinks: blankLinks.length,
          wide: document.documentElement.scrollWidth - document.documentElement.clientWidth};
}"""


@pytest.fixture(scope="module")
def phone(browser):
    return browser.new_page(viewport=PHONE, is_mobile=True, has_touch=True)


@pytest.mark.parametrize("path", ["/", "/stories/s-0e9203f17936e20a", "/articles/31a37d0b5628f555", "/actors/mli.mil",
                                  "/places/country:MLI", "/map", "/search?q=Niger"])
def test_pages_fit_a_phone_and_are_labelled(server, phone, path):
    phone.goto(server + path)
    if path == "/map":
        phone.wait_for_selector("#markers .marker")
    found = phone.evaluate(A11Y_JS)
    assert found["wide"] <= 0, f"{path} scrolls sideways on a {PHONE['width']} px phone"
    assert found["h1"] == 1 and found["first"] == 1 and found["skips"] == 0, (path, found)
    assert found["landmarks"] == 4 and found["unnamed"] == 0 and found["blankLinks"] == 0, (path, found)


def test_phone_screenshots(server, phone, shots):
    for name, path in (("front", "/"), ("story", "/stories/s-0e9203f17936e20a"), ("article", "/articles/31a37d0b5628f555")):
        phone.goto(server + path)
        phone.screenshot(path=shots / f"phone-{name}.png")
    assert (shots / "phone-article.png").stat().st_size > 10_000
