"""The built site in a real browser: headless Debian Chromium driven by Playwright."""
import functools
import http.server
import os
import threading
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = Path(os.environ.get("KB_ARTIFACTS", "test-artifacts")).absolute()
pytestmark = pytest.mark.skipif(bool(os.environ.get("KB_NO_BROWSER")),
                                reason="KB_NO_BROWSER is set")


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def site_url(real_site):
    handler = functools.partial(_Quiet, directory=str(real_site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}/"
    server.shutdown()


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--no-first-run"])
        yield browser
        browser.close()


@pytest.fixture()
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.requests, page.errors = [], []
    page.on("request", lambda request: page.requests.append(request.url))
    page.on("console", lambda m: page.errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda error: page.errors.append(str(error)))
    yield page
    assert all(url.startswith(("http://127.0.0.1", "data:", "blob:")) for url in page.requests), \
        [url for url in page.requests if not url.startswith("http://127.0.0.1")]
    context.close()


@pytest.mark.parametrize("path, heading", [
    ("", "Deep Learning Knowledge Base"),
    ("glossary/relu/", "Rectified linear unit (ReLU)"),
    ("articles/counting-parameters/", None),
    ("glossary/", "Glossary A-Z"),
    ("glossary/categories/activations/", "Activation functions"),
])
def test_pages_load_without_console_errors(site_url, page, path, heading):
    page.goto(site_url + path)
    page.wait_for_load_state("networkidle")
    if heading:
        assert page.locator("article h1").first.inner_text().strip().rstrip("¶") == heading
    assert page.errors == []


@pytest.mark.parametrize("query, slug", [("relu", "relu"),
                                         ("CNN", "convolutional-neural-network")])
def test_search_box_shows_the_right_entry_first(site_url, page, query, slug):
    page.goto(site_url)
    page.wait_for_load_state("networkidle")
    page.keyboard.press("/")  # the site's own shortcut to the search box
    page.keyboard.type(query, delay=50)
    # results carry the query they answer (?h=...): wait for those of the whole query
    page.wait_for_function(
        "q => { const a = document.querySelector('.md-search-result__item a');"
        " return a && a.href.includes('?h=' + q); }", arg=query.lower(), timeout=15000)
    first = page.locator(".md-search-result__item a").first
    assert f"glossary/{slug}/" in first.get_attribute("href")


def test_a_cross_link_navigates_and_a_backlink_exists(site_url, page):
    page.goto(site_url + "glossary/relu/")
    page.locator("article a.kb-link").first.click()
    page.wait_for_load_state("networkidle")
    assert "/glossary/" in page.url and not page.url.endswith("/glossary/relu/")
    page.goto(site_url + "glossary/sigmoid/")
    backlinks = page.locator("#referenced-by + ul a")
    assert backlinks.count() >= 1


def test_math_diagrams_and_abbreviations_render(site_url, page):
    page.goto(site_url + "glossary/relu/")
    page.wait_for_load_state("networkidle")
    assert page.locator(".katex").count() >= 1
    assert page.locator("abbr[title]").count() >= 1
    linked = page.locator("a.kb-abbr").first  # an abbreviation links to its entry
    assert "/glossary/" in linked.get_attribute("href")
    page.goto(site_url + "articles/resnet-residual-learning/")
    # Material renders each diagram into a closed shadow root in place of <pre class=mermaid>
    page.wait_for_function("document.querySelectorAll('pre.mermaid').length === 0 && "
                           "document.querySelectorAll('div.mermaid').length > 0", timeout=15000)
    assert page.locator("div.mermaid").first.bounding_box()["height"] > 100


def test_screenshots_of_a_term_page_in_both_themes(site_url, browser):
    ARTIFACTS.mkdir(exist_ok=True)
    for scheme in ("light", "dark"):
        context = browser.new_context(color_scheme=scheme, viewport={"width": 1280, "height": 900})
        page = context.new_page()
        page.goto(site_url + "glossary/relu/")
        page.wait_for_load_state("networkidle")
        target = ARTIFACTS / f"relu-{scheme}.png"
        page.screenshot(path=str(target), full_page=True)
        assert target.stat().st_size > 10_000
        context.close()
