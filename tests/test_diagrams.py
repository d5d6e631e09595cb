"""The diagrams of the term pages, in headless Chromium: each is drawn once it is scrolled
to, has an accessible name, keeps its text at 12 px or more and stays in the column, at
desktop and phone width. A term page's first visit stays light: Mermaid is fetched only
when the reader gets near a diagram, also after an instant navigation."""
import os

import pytest
import test_browser
from test_browser import (
    FORCE_OPEN_SHADOW,
    OVERFLOW,
    WIDTHS,
    _weight,
    visit,
    with_instant_navigation,
)

pytestmark = pytest.mark.skipif(bool(os.environ.get("KB_NO_BROWSER")),
                                reason="KB_NO_BROWSER is set")

# slug -> the accTitle of its diagram
DIAGRAMS = {
    "lstm": "One step of an LSTM cell",
    "transformer": "A decoder-only transformer with pre-norm blocks",
    "residual-block": "A basic residual block",
    "attention-mechanism": "Scaled dot-product attention",
    "convolution": "From an input to a feature map",
}
WAITING = "article pre.kb-diagram-waiting"
open_page = test_browser.open_page  # the same fixture: pages that record requests and errors

# Every piece of text in each drawn diagram (sub- and superscripts included), at the size
# it is shown; and the diagram's accessible name. Needs FORCE_OPEN_SHADOW.
DRAWN = """() => [...document.querySelectorAll('article div.mermaid')].map((host) => {
  const svg = host.shadowRoot && host.shadowRoot.querySelector('svg');
  if (!svg) return null;
  const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
  const sizes = [];
  const walker = document.createTreeWalker(svg, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const node = walker.currentNode;
    if (!node.nodeValue.trim() || node.parentElement.closest('style')) continue;
    sizes.push(parseFloat(getComputedStyle(node.parentElement).fontSize) * scale);
  }
  const ids = (svg.getAttribute('aria-labelledby') || '').split(/\\s+/).filter(Boolean);
  const name = ids.length
    ? ids.map((id) => host.shadowRoot.getElementById(id).textContent.trim()).join(' ')
    : svg.getAttribute('aria-label');
  return { name, smallest: Math.min(...sizes), texts: sizes.length };
})"""


def _draw(page):
    """Scroll the page's diagram into view and wait until it is drawn."""
    page.locator(f"{WAITING}, article .mermaid").first.scroll_into_view_if_needed()
    page.wait_for_function(
        "() => { const d = document.querySelector('article div.mermaid');"
        " return d && d.shadowRoot && d.shadowRoot.querySelector('svg'); }", timeout=20000)
    page.wait_for_timeout(200)  # the theme puts the drawing in, then the box settles
    drawn = page.evaluate(DRAWN)
    assert len(drawn) == 1 and drawn[0], drawn
    return drawn[0]


@pytest.mark.parametrize("width", WIDTHS.values(), ids=WIDTHS.keys())
@pytest.mark.parametrize("slug", DIAGRAMS)
def test_a_term_diagram_is_drawn_named_legible_and_in_the_column(open_page, slug, width):
    page = open_page(width=width)
    page.add_init_script(FORCE_OPEN_SHADOW)
    visit(page, f"glossary/{slug}/")
    # below the first screen, it waits, with its name already given
    waiting = page.locator(WAITING)
    assert waiting.count() == 1 and page.locator("article div.mermaid").count() == 0
    assert waiting.get_attribute("role") == "img"
    assert waiting.get_attribute("aria-label") == DIAGRAMS[slug]
    assert not any("mermaid.min.js" in url for url in page.requests)
    drawn = _draw(page)
    assert drawn["name"] == DIAGRAMS[slug]
    assert drawn["texts"] >= 4
    assert drawn["smallest"] >= 11.9, drawn
    # the page does not scroll sideways, and the diagram stays in the column
    overflow = [p for p in page.evaluate(OVERFLOW) if p.startswith("page") or "mermaid" in p]
    assert overflow == []
    assert page.errors == []


def test_a_term_page_first_visit_is_light_until_the_reader_scrolls_to_its_diagram(open_page):
    page = open_page()
    page.set_viewport_size({"width": 1280, "height": 800})
    total, urls = _weight(page, "glossary/lstm/")
    assert total < 400_000, total
    assert not any("mermaid.min.js" in url for url in urls)
    assert page.locator(WAITING).count() == 1
    assert page.locator(WAITING).bounding_box()["y"] > 800  # below the first screen
    page.locator(WAITING).first.scroll_into_view_if_needed()
    page.wait_for_selector("article div.mermaid", timeout=20000)
    assert sum("mermaid.min.js" in url for url in page.requests) == 1
    assert page.errors == []


def test_a_diagram_coming_near_is_drawn_before_it_is_reached(open_page):
    page = open_page(width=390)
    visit(page, "glossary/convolution/")
    top = page.locator(WAITING).bounding_box()["y"]
    height = page.viewport_size["height"]
    assert top > height  # below the first screen, so it waits for the reader
    page.wait_for_timeout(300)
    assert page.locator(WAITING).count() == 1
    page.mouse.move(100, 300)
    page.mouse.wheel(0, top - 1.6 * height)  # the reader scrolls, to a screen short of it
    page.wait_for_selector("article div.mermaid", timeout=20000)
    assert page.locator("article div.mermaid").bounding_box()["y"] > height  # not reached
    assert page.errors == []


def test_diagrams_are_drawn_after_instant_navigation(open_page):
    page = open_page()
    page.add_init_script(FORCE_OPEN_SHADOW)
    with_instant_navigation(page)
    visit(page, "glossary/gru/")
    page.evaluate("window.__kb_marker = 1")
    page.mouse.move(100, 300)
    page.mouse.wheel(0, 40)  # the reader scrolls gru a little, then follows a link to lstm
    # A page swapped in opens unscrolled, so the lstm diagram waits for the reader. Mermaid
    # is fetched when it is scrolled to, and reused on the next page (through one without
    # a diagram).
    for hop, target in enumerate(("lstm", "recurrent-neural-network", "transformer")):
        page.locator(f"article a[href*='/{target}/']").first.click()
        page.wait_for_function("t => document.querySelector('link[rel=canonical]').href"
                               ".endsWith('/glossary/' + t + '/')", arg=target)
        page.wait_for_load_state("networkidle")
        assert page.evaluate("window.__kb_marker") == 1, "the click reloaded the page"
        if hop == 0:
            page.wait_for_timeout(300)
            assert page.locator(WAITING).count() == 1
            assert not any("mermaid.min.js" in url for url in page.requests)
        if target in DIAGRAMS:
            assert _draw(page)["name"] == DIAGRAMS[target]
    assert sum("mermaid.min.js" in url for url in page.requests) == 1
    assert page.errors == []


def test_printing_draws_the_waiting_diagrams(open_page):
    page = open_page()
    visit(page, "glossary/lstm/")
    assert page.locator(WAITING).count() == 1
    page.evaluate("window.dispatchEvent(new Event('beforeprint'))")
    page.wait_for_selector("article div.mermaid", timeout=20000)
    assert page.locator(WAITING).count() == 0
    assert page.errors == []
