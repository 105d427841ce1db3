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
def page():
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True)
        tab = browser.new_page(viewport={"width": 1280, "height": 900})
        yield tab
        browser.close()


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
