"""The built site in a real browser: headless Debian Chromium driven by Playwright, at
desktop (1280 px) and phone (390 px) widths, in both themes. No request may leave the
site (every test's page asserts it), and screenshots go to KB_ARTIFACTS."""
import gzip
import os
import re
from pathlib import Path

import pytest
from helpers import kb, make_project, serve

ARTIFACTS = Path(os.environ.get("KB_ARTIFACTS", "test-artifacts")).absolute()
pytestmark = pytest.mark.skipif(bool(os.environ.get("KB_NO_BROWSER")),
                                reason="KB_NO_BROWSER is set")
WIDTHS = {"desktop": 1280, "phone": 390}
CONFIGURED = "http://127.0.0.1:8000/"  # site_url of mkdocs.yml, written into sitemap.xml


@pytest.fixture()
def open_page(browser, site_url):
    """open_page(width=1280, scheme="light", **context options) -> a page that records
    its requests and errors; on closing, no request may have left the site."""
    contexts = []

    def make(width=1280, scheme="light", **options):
        context = browser.new_context(viewport={"width": width, "height": 900},
                                      color_scheme=scheme, **options)
        contexts.append(context)
        page = context.new_page()
        page.requests, page.errors = [], []
        page.on("request", lambda request: page.requests.append(request.url))
        page.on("console", lambda m: page.errors.append(m.text)
                if m.type == "error" and "status of 404" not in m.text else None)
        page.on("pageerror", lambda error: page.errors.append(str(error)))
        page.site = site_url
        return page

    yield make
    for context in contexts:
        for page in context.pages:
            outside = [u for u in page.requests
                       if not u.startswith((page.site, "data:", "blob:", "about:"))]
            assert not outside, outside
        context.close()


@pytest.fixture()
def page(open_page):
    return open_page()


def visit(page, path: str, ready: bool = True):
    response = page.goto(page.site + path)
    page.wait_for_load_state("networkidle")
    if ready:  # maths rendered, diagrams drawn
        page.wait_for_function(
            "!document.querySelector('.arithmatex:not([data-kb-math])') && "
            "!document.querySelector('pre.mermaid')", timeout=20000)
    return response


def with_instant_navigation(page):
    """The sitemap names the configured host; served here, the theme would fall back to
    full page loads. Point it at this server, as the site is at its own address."""
    def rewrite(route):
        body = route.fetch().text().replace(CONFIGURED, page.site)
        route.fulfill(body=body, content_type="application/xml")

    page.route("**/sitemap.xml", rewrite)


# --- pages load, link and render ------------------------------------------------------

@pytest.mark.parametrize("path, heading", [
    ("", "Deep Learning Knowledge Base"),
    ("glossary/relu/", "Rectified linear unit (ReLU)"),
    ("articles/counting-parameters/", None),
    ("articles/resnet-residual-learning/", None),
    ("articles/", "Articles"),
    ("glossary/", "Glossary A-Z"),
    ("glossary/tags/", "Tags"),
    ("glossary/categories/activations/", "Activation functions"),
])
def test_pages_load_without_console_errors(page, path, heading):
    visit(page, path)
    if heading:
        assert page.locator("article h1").first.inner_text().strip().rstrip("¶") == heading
    assert page.errors == []


@pytest.mark.parametrize("query, slug", [("relu", "relu"),
                                         ("CNN", "convolutional-neural-network")])
def test_search_box_shows_the_right_entry_first(page, query, slug):
    visit(page, "")
    page.keyboard.press("/")  # the site's own shortcut to the search box
    page.keyboard.type(query, delay=50)
    # results carry the query they answer (?h=...): wait for those of the whole query
    page.wait_for_function(
        "q => { const a = document.querySelector('.md-search-result__item a');"
        " return a && a.href.includes('?h=' + q); }", arg=query.lower(), timeout=15000)
    first = page.locator(".md-search-result__item a").first
    assert f"glossary/{slug}/" in first.get_attribute("href")


def test_a_cross_link_navigates_and_a_backlink_exists(page):
    visit(page, "glossary/relu/")
    page.locator("article p a[href*='activation-function']").first.click()
    page.wait_for_url("**/glossary/activation-function/")
    visit(page, "glossary/sigmoid/")
    assert page.locator("#referenced-by ~ p.kb-links a").count() >= 1


def test_math_diagrams_and_abbreviations_render(page):
    visit(page, "glossary/gru/")
    assert page.locator(".katex").count() >= 1
    assert page.locator("abbr[data-kb-meaning]").count() >= 1
    linked = page.locator("a.kb-abbr").first  # an abbreviation links to its entry
    assert "/glossary/" in linked.get_attribute("href")
    visit(page, "articles/resnet-residual-learning/")
    assert page.locator("div.mermaid").count() > 0
    assert page.locator("div.mermaid").first.bounding_box()["height"] > 100
    assert page.errors == []


def test_abbreviation_links_survive_instant_navigation(page):
    """After a click the page is swapped in place (instant navigation): abbreviation
    links must be built from the page on screen, never from the first page loaded."""
    with_instant_navigation(page)
    visit(page, "glossary/lstm/")
    page.evaluate("window.__kb_marker = 1")
    # lstm -> gru by a link, gru -> lstm by an abbreviation, lstm -> vanishing gradient
    for link, target in (("article a[href*='/gru/']", "gru"), ("a.kb-abbr", "lstm"),
                         ("article p a[href*='/vanishing-gradient/']", "vanishing-gradient")):
        page.locator(link).first.click()
        page.wait_for_function("t => document.querySelector('link[rel=canonical]').href"
                               ".endsWith('/glossary/' + t + '/')", arg=target)
        page.wait_for_load_state("networkidle")
        assert page.evaluate("window.__kb_marker") == 1, "the click reloaded the page"
        hrefs = page.eval_on_selector_all("a.kb-abbr", "links => links.map(a => a.href)")
        assert hrefs or target != "gru", target
        for href in set(hrefs):
            assert re.fullmatch(re.escape(page.site) + r"glossary/[a-z0-9-]+/", href), href
            assert not href.endswith(f"/{target}/"), "a link to the page itself"
            status = page.evaluate("url => fetch(url, {method: 'HEAD'}).then(r => r.status)", href)
            assert status == 200, href
    assert page.errors == []


def test_the_404_page_helps_and_throws_nothing(page):
    response = visit(page, "glossary/convoluton/", ready=False)
    assert response.status == 404
    assert "Page not found" in page.locator("article h1").inner_text()
    page.wait_for_selector("[data-kb-suggest] a", timeout=10000)
    suggested = page.eval_on_selector_all("[data-kb-suggest] a", "a => a.map(x => x.href)")
    assert page.site + "glossary/convolution/" in suggested
    page.locator("article form[data-kb-search] input").type("relu", delay=30)
    page.wait_for_selector(".md-search-result__item a", timeout=15000)
    assert page.errors == []


# --- the home page, the indexes, term pages -------------------------------------------

def test_the_home_page_is_a_starting_point(page):
    visit(page, "")
    search = page.locator("article form[data-kb-search] input")
    assert search.is_visible() and search.bounding_box()["y"] < 900  # in the first screen
    counts = page.eval_on_selector_all(".kb-category-grid li .kb-count",
                                       "c => c.map(x => Number(x.textContent))")
    total = int(re.search(r"Search (\d+) terms", page.locator("article").inner_text()).group(1))
    assert len(counts) >= 5 and sum(counts) == total
    articles = page.eval_on_selector_all("article a[href*='/articles/']", "a => a.map(x => x.href)")
    visit(page, "articles/")
    listed = page.eval_on_selector_all("article li > a", "a => a.map(x => x.href)")
    assert listed and set(listed) <= set(articles)  # the reading path holds every article
    summaries = page.eval_on_selector_all("article li", "l => l.map(x => x.textContent)")
    assert all(": " in s and len(s) > 40 for s in summaries)  # each with its summary


def test_the_a_z_index_is_folded_into_letters_that_can_be_jumped_to(page):
    visit(page, "glossary/")
    assert page.evaluate("document.documentElement.scrollHeight") < 4000
    page.locator(".kb-letters a", has_text="R").click()
    page.wait_for_function("document.getElementById('letter-r').open")
    link = page.locator("#letter-r a[href$='/glossary/relu/']").first
    assert link.is_visible()
    assert page.locator(".kb-letters").bounding_box()["y"] < 150  # the bar stays on screen


def test_a_term_page_reads_definition_first(page):
    visit(page, "glossary/relu/")
    first = page.locator("article h1 + p")
    assert first.get_attribute("class") == "kb-summary"
    size = page.evaluate("s => parseFloat(getComputedStyle(document.querySelector(s)).fontSize)",
                         "article .kb-summary")
    body = page.evaluate("parseFloat(getComputedStyle(document.querySelector("
                         "'article > p:not([class])')).fontSize)")
    assert size >= body >= 15
    folded = page.locator("#referenced-by ~ details.kb-more")
    assert page.locator("#referenced-by ~ p.kb-links").first.locator("a").count() <= 8
    assert folded.count() == 0 or not folded.first.evaluate("d => d.open")
    pager = page.locator("nav.kb-pager a")
    assert pager.count() >= 1
    assert all("/glossary/" in pager.nth(i).get_attribute("href") for i in range(pager.count()))


def test_abbreviation_tooltips_work_on_keyboard_and_touch(open_page):
    page = open_page(has_touch=True, is_mobile=True, width=390)
    visit(page, "glossary/lstm/")
    tip = page.locator("#kb-tip")
    plain = page.locator("article abbr[data-kb-meaning][tabindex='0']").first
    plain.tap()
    assert tip.is_visible() and "Long short-term memory" in tip.inner_text()
    page.keyboard.press("Escape")
    assert not tip.is_visible()
    visit(page, "glossary/gru/")
    link = page.locator("article a.kb-abbr").first
    link.focus()
    meaning = link.locator("abbr").get_attribute("data-kb-meaning")
    assert tip.is_visible() and meaning in tip.inner_text()
    assert page.errors == []


# --- nothing overflows ------------------------------------------------------------------

OVERFLOW = """() => {
  const out = [];
  const page = document.documentElement;
  if (page.scrollWidth > window.innerWidth + 1) out.push('page ' + page.scrollWidth);
  const column = document.querySelector('.md-content').getBoundingClientRect();
  const boxes = 'pre > code, div.arithmatex, div.mermaid, figure, table, .kb-chart';
  const code = document.querySelectorAll('article .highlight pre > code').length;
  const marked = document.querySelectorAll(
    'article .highlight[class*="language-"] pre > code').length;
  if (code && !marked) out.push('no code block is marked with its language');
  for (const el of document.querySelectorAll('article :is(' + boxes + ')')) {
    const box = el.getBoundingClientRect();
    if (box.width === 0) continue;
    const name = el.tagName + '.' + el.className + ' ' + (el.textContent || '').slice(0, 40);
    if (box.right > column.right + 2 || box.left < column.left - 2) out.push('outside: ' + name);
    if (el.scrollWidth > el.clientWidth + 1) {
      const scrolls = /auto|scroll/.test(getComputedStyle(el).overflowX);
      if (!scrolls) out.push('cut off: ' + name);
      else if (el.tabIndex < 0 && !el.matches('figure, table')) out.push('no keyboard: ' + name);
      const wraps = el.matches('.highlight[class*="language-"]:not(.language-text) pre > code');
      if (wraps) out.push('code that should wrap scrolls: ' + name);
      // a formula or diagram cut at the column's edge says there is more: it fades out
      // at the edge where more lies (the end, before it is scrolled)
      if (el.matches('div.arithmatex, div.mermaid')) {
        const mask = getComputedStyle(el).maskImage || getComputedStyle(el).webkitMaskImage || '';
        const cue = el.classList.contains('kb-more-after')
          && !el.classList.contains('kb-more-before');
        if (!cue || !/gradient/.test(mask)) out.push('no cue that it scrolls: ' + name);
      }
    }
  }
  return out;
}"""
SCROLLED_TO_THE_END = """() => [
  ...document.querySelectorAll('article :is(div.arithmatex, div.mermaid)')]
  .filter((el) => el.scrollWidth > el.clientWidth + 1)
  .map((el) => { el.scrollLeft = el.scrollWidth; return el; })"""
CUE_AT_THE_END = """() => [...document.querySelectorAll('article :is(div.arithmatex, div.mermaid)')]
  .filter((el) => el.scrollWidth > el.clientWidth + 1)
  .filter((el) => !el.classList.contains('kb-more-before') || el.classList.contains('kb-more-after')
    || !/gradient/.test(getComputedStyle(el).maskImage || getComputedStyle(el).webkitMaskImage))
  .map((el) => el.tagName + '.' + el.className + ' ' + el.textContent.slice(0, 40))"""
PAGES_TO_MEASURE = ["", "glossary/", "glossary/tags/", "articles/", "glossary/relu/",
                    "glossary/lstm/", "glossary/convolution/", "glossary/batch-normalization/",
                    "articles/counting-parameters/", "articles/rnn-how-they-work/",
                    "articles/cnn-how-they-work/",
                    # the widest diagram (about 1,400 px) and display formulas at 390 px
                    "articles/tokenization-and-embeddings/",
                    "articles/backpropagation-worked-example/",
                    "articles/diffusion-models-step-by-step/"]


@pytest.mark.parametrize("width", WIDTHS.values(), ids=WIDTHS.keys())
def test_nothing_overflows_the_column(open_page, width):
    """Nothing is wider than the column or the page; what is, scrolls in its own box,
    can take the focus, and (a formula, a diagram) shows that it does: on a phone a
    scroll bar is drawn only while it scrolls, so the cut edge fades out instead, and
    the fade follows the scrolling."""
    page = open_page(width=width, **({"is_mobile": True, "has_touch": True}
                                     if width < 960 else {}))
    problems = {}
    scrolling = 0
    for path in PAGES_TO_MEASURE:
        visit(page, path)
        page.evaluate("document.fonts.ready")
        page.wait_for_timeout(200)
        found = page.evaluate(OVERFLOW)
        scrolling += len(page.evaluate(SCROLLED_TO_THE_END))
        page.wait_for_timeout(150)
        found += [f"no cue at the end: {name}" for name in page.evaluate(CUE_AT_THE_END)]
        if found:
            problems[path] = found[:5]
    assert not problems, problems
    assert scrolling >= 3  # the wide ones were measured


@pytest.mark.parametrize("path", ["glossary/attention-mechanism/", "glossary/lstm/"])
def test_a_formula_that_scrolls_sideways_can_be_reached_by_keyboard(open_page, path):
    page = open_page(width=390)
    visit(page, path)
    page.evaluate("document.fonts.ready")
    page.wait_for_timeout(300)
    unreachable = page.evaluate("""() => [...document.querySelectorAll('div.arithmatex')]
        .filter(box => box.scrollWidth > box.clientWidth + 1 && box.tabIndex !== 0)
        .map(box => box.textContent.slice(0, 40))""")
    assert unreachable == []


# --- figures and diagrams -------------------------------------------------------------

CONTRAST = """
  const parse = (c) => {
    const m = /rgba?\\(([^)]+)\\)/.exec(c);
    if (!m) return null;
    const p = m[1].split(/[\\s,\\/]+/).filter(Boolean).map(Number);
    return { r: p[0], g: p[1], b: p[2], a: p.length > 3 ? p[3] : 1 };
  };
  const over = (top, bottom) => ({ r: top.r * top.a + bottom.r * (1 - top.a),
    g: top.g * top.a + bottom.g * (1 - top.a), b: top.b * top.a + bottom.b * (1 - top.a), a: 1 });
  const background = (el) => {
    const layers = [];
    for (let e = el; e; e = e.parentElement) {
      const c = parse(getComputedStyle(e).backgroundColor);
      if (c && c.a > 0) layers.push(c);
      if (c && c.a === 1) break;
    }
    let colour = { r: 255, g: 255, b: 255, a: 1 };
    for (const layer of layers.reverse()) colour = over(layer, colour);
    return colour;
  };
  const opacity = (el) => {
    let o = 1;
    for (let e = el; e; e = e.parentElement) o *= Number(getComputedStyle(e).opacity);
    return o;
  };
  const luminance = (c) => {
    const f = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; };
    return 0.2126 * f(c.r) + 0.7152 * f(c.g) + 0.0722 * f(c.b);
  };
  const ratio = (a, b) => {
    const [x, y] = [luminance(a), luminance(b)].sort((p, q) => q - p);
    return (x + 0.05) / (y + 0.05);
  };
"""
TEXT_CONTRAST = """(root) => {""" + CONTRAST + """
  const out = [];
  const seen = new Set();
  const walker = document.createTreeWalker(document.querySelector(root), NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const node = walker.currentNode;
    const el = node.parentElement;
    if (!node.nodeValue.trim() || !el.getClientRects().length || opacity(el) < 0.05) continue;
    if (el.closest('svg, .katex, [hidden], .md-search, .md-tooltip, .md-clipboard')) continue;
    const style = getComputedStyle(el);
    if (style.visibility === 'hidden') continue;
    const bg = background(el);
    const fg = parse(style.color);
    if (!fg) continue;
    const colour = over({ ...fg, a: fg.a * opacity(el) }, bg);
    const size = parseFloat(style.fontSize);
    const large = size >= 24 || (size >= 18.66 && Number(style.fontWeight) >= 700);
    const r = ratio(colour, bg);
    const key = style.color + '|' + JSON.stringify(bg);
    if (r < (large ? 3 : 4.5) && !seen.has(key)) {
      seen.add(key);
      const what = node.nodeValue.trim().slice(0, 30);
      out.push(`${r.toFixed(2)} ${style.color} on ${JSON.stringify(bg)}: ${what}`);
    }
  }
  return out;
}"""
FIGURE_CONTRAST = """() => {""" + CONTRAST + """
  return [...document.querySelectorAll('.kb-series')].map((line) =>
    ratio(parse(getComputedStyle(line).stroke), background(line.closest('figure'))));
}"""


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_figures_are_legible(open_page, scheme):
    for width in WIDTHS.values():
        page = open_page(width=width, scheme=scheme)
        visit(page, "glossary/relu/")
        figure = page.locator("figure.kb-figure").first.bounding_box()
        column = page.locator("article").bounding_box()
        assert figure["width"] >= 0.9 * (column["width"] - 40)
        body = page.evaluate("parseFloat(getComputedStyle(document.querySelector("
                             "'article > p:not([class])')).fontSize)")
        ticks = page.eval_on_selector_all(".kb-tick", "t => t.map(x => parseFloat("
                                          "getComputedStyle(x).fontSize))")
        assert ticks and min(ticks) >= body - 0.5  # tick labels at body size
        assert page.locator(".kb-axis-label-x").inner_text() and page.locator(
            ".kb-axis-label-y").inner_text()
        lines = page.eval_on_selector_all(".kb-series", "l => l.map(x => [getComputedStyle(x)"
                                          ".strokeWidth, getComputedStyle(x).strokeDasharray])")
        assert lines[0][0] != lines[1][0] and lines[1][1] != "none"  # both lines stay seen
        assert min(page.evaluate(FIGURE_CONTRAST)) >= 4.5
        for path in ("glossary/self-attention/", "glossary/convolution/", "glossary/softmax/"):
            visit(page, path)
            assert page.evaluate(TEXT_CONTRAST, "figure.kb-figure") == [], path


FORCE_OPEN_SHADOW = """(() => { const attach = Element.prototype.attachShadow;
  Element.prototype.attachShadow = function (init) {
    return attach.call(this, { ...init, mode: 'open' }); }; })();"""
DIAGRAM_TEXT = """() => [...document.querySelectorAll('div.mermaid')].map((host) => {
  const svg = host.shadowRoot.querySelector('svg');
  const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
  const labels = 'text, foreignObject span, foreignObject div, foreignObject p';
  const sizes = [...svg.querySelectorAll(labels)]
    .filter((t) => t.textContent.trim())
    .map((t) => parseFloat(getComputedStyle(t).fontSize) * scale);
  return { name: svg.getAttribute('aria-label') || svg.getAttribute('aria-labelledby'),
           smallest: Math.min(...sizes) };
})"""


@pytest.mark.parametrize("width", WIDTHS.values(), ids=WIDTHS.keys())
def test_diagram_text_is_at_least_12_px(open_page, width):
    page = open_page(width=width)
    page.add_init_script(FORCE_OPEN_SHADOW)  # to measure inside the diagrams
    measured = 0
    for path in ("articles/cnn-how-they-work/", "articles/model-families-map/",
                 "articles/rnn-how-they-work/", "articles/image-captioning-vs-vqa/"):
        visit(page, path)
        page.wait_for_timeout(200)
        for diagram in page.evaluate(DIAGRAM_TEXT):
            assert diagram["name"], path
            assert diagram["smallest"] >= 11.9, (path, diagram)
            measured += 1
    assert measured >= 4


# --- accessibility ----------------------------------------------------------------------

STRUCTURE = """() => {
  const out = [];
  const headings = [...document.querySelectorAll('article :is(h1, h2, h3, h4, h5, h6)')];
  if (headings.filter((h) => h.tagName === 'H1').length !== 1) out.push('one h1');
  let level = 0;
  for (const h of headings) {
    const here = Number(h.tagName[1]);
    if (here > level + 1) out.push('skips to ' + h.tagName + ': ' + h.textContent.slice(0, 30));
    level = here;
  }
  for (const img of document.querySelectorAll('article img')) if (!img.alt) out.push('img alt');
  for (const svg of document.querySelectorAll('article svg:not([aria-hidden=true])')) {
    if (svg.closest('[role=img], .md-clipboard, .md-icon, .twemoji, .katex')) continue;
    if (!svg.getAttribute('aria-label') && !svg.querySelector('title')) out.push('svg name');
  }
  for (const figure of document.querySelectorAll('article figure')) {
    const named = figure.querySelector('[role=img][aria-label], table caption, svg title');
    if (!named) out.push('figure without a text alternative');
  }
  return out;
}"""
FOCUS = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const s = getComputedStyle(el);
  const ring = s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2;
  const what = el.tagName + ' ' + (el.textContent || '').trim().slice(0, 20);
  return { ring: ring || s.boxShadow !== 'none', what, inContent: !!el.closest('.md-content') };
}"""
A11Y_PAGES = ["", "glossary/", "glossary/relu/", "glossary/self-attention/",
              "articles/", "articles/cnn-how-they-work/", "glossary/tags/"]


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_accessibility_headings_names_focus_and_contrast(open_page, scheme):
    page = open_page(scheme=scheme)
    problems = {}
    for path in A11Y_PAGES:
        visit(page, path)
        found = page.evaluate(STRUCTURE) + page.evaluate(TEXT_CONTRAST, "body")
        if found:
            problems[path] = found[:6]
    visit(page, "glossary/relu/")
    page.locator("article").first.click(position={"x": 1, "y": 1})
    for _ in range(12):  # tab through the content: every stop shows a ring
        page.keyboard.press("Tab")
        focused = page.evaluate(FOCUS)
        if focused and focused["inContent"] and not focused["ring"]:
            problems.setdefault("focus", []).append(focused["what"])
    assert not problems, problems


RING = """() => {""" + CONTRAST + """
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const s = getComputedStyle(el);
  const what = el.tagName + '.' + el.className + ' ' + (el.textContent || '').trim().slice(0, 20);
  if (s.outlineStyle === 'none' || parseFloat(s.outlineWidth) < 2) return { what, ratio: 0 };
  // the colours next to the ring: the element's own background for a ring drawn inside
  // it, else what lies behind the element
  const next = parseFloat(s.outlineOffset) < 0 ? background(el) : background(el.parentElement);
  return { what, ratio: ratio(parse(s.outlineColor), next),
           header: !!el.closest('.md-header, .md-tabs') };
}"""


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("width", WIDTHS.values(), ids=WIDTHS.keys())
def test_focus_rings_in_the_header_and_the_search_box_are_seen(open_page, width, scheme):
    """WCAG 1.4.11: a focus ring differs by at least 3:1 from the colours next to it. The
    header is the primary colour, the search box and its results the page's background:
    the header's controls, the box and the result the arrow keys select each show one."""
    page = open_page(width=width, scheme=scheme)
    visit(page, "glossary/relu/")
    weak = []
    seen = 0
    for _ in range(6):  # the header's controls, from the top of the page
        page.keyboard.press("Tab")
        page.wait_for_timeout(400)  # the colours settle (the search box opens on focus)
        ring = page.evaluate(RING)
        if ring and ring.get("header"):
            seen += 1
            if ring["ratio"] < 3:
                weak.append(ring)
    assert seen >= 2
    visit(page, "glossary/relu/")
    page.keyboard.press("/")
    page.keyboard.type("stride", delay=20)
    page.wait_for_function("() => document.getElementById('kb-search-results')"
                           ".dataset.query === 'stride'", timeout=15000)
    page.wait_for_timeout(400)  # the box's colours settle (a transition)
    for key in (None, "ArrowDown", "ArrowDown"):  # the box, the first result, the second
        if key:
            page.keyboard.press(key)
        ring = page.evaluate(RING)
        assert ring, key
        if ring["ratio"] < 3:
            weak.append(ring)
    assert not weak, weak


def test_the_search_icon_puts_the_cursor_in_the_box_on_a_phone(open_page):
    """Below 960 px the header's icon is the way into search: one tap opens the box with
    the cursor in it (a phone shows its keyboard), so typing starts at once."""
    page = open_page(width=390, has_touch=True, is_mobile=True)
    visit(page, "glossary/relu/")
    page.locator(".md-header__button[for='__search']").tap()
    page.wait_for_function("document.getElementById('__search').checked")
    assert page.evaluate("document.activeElement.classList.contains('md-search__input')")
    page.keyboard.type("dropout", delay=20)
    page.wait_for_function("() => document.getElementById('kb-search-results')"
                           ".dataset.query === 'dropout'", timeout=15000)
    assert "/glossary/dropout/" in page.locator("#kb-search-results a").first.get_attribute("href")
    assert page.errors == []


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_count_of_results_is_legible(open_page, scheme):
    page = open_page(scheme=scheme)
    visit(page, "")
    page.keyboard.press("/")
    page.keyboard.type("stride", delay=20)
    page.wait_for_function("() => document.getElementById('kb-search-results')"
                           ".dataset.query === 'stride'", timeout=15000)
    page.wait_for_timeout(400)
    measured = page.evaluate("""() => {""" + CONTRAST + """
      const meta = document.querySelector('.md-search-result__meta');
      const bg = background(meta);
      const fg = parse(getComputedStyle(meta).color);
      return [meta.textContent, ratio(over({ ...fg, a: fg.a * opacity(meta) }, bg), bg)];
    }""")
    assert "matching entries" in measured[0]
    assert measured[1] >= 4.5, measured


# --- formulas and diagrams while their libraries load ------------------------------------

SOURCE_SHOWN = """() => {
  const shown = (el) => el.getClientRects().length > 0
    && getComputedStyle(el).visibility !== 'hidden';
  const maths = [...document.querySelectorAll('.arithmatex:not([data-kb-math])')];
  const code = [...document.querySelectorAll('pre.mermaid > code, pre.kb-diagram-waiting > code')];
  return { maths: maths.length, mathsShown: maths.filter(shown).length,
           diagrams: code.length, diagramsShown: code.filter(shown).length,
           drawn: document.querySelectorAll('div.mermaid').length,
           rendered: document.querySelectorAll('.katex').length };
}"""


@pytest.mark.parametrize("path", ["glossary/lstm/", "articles/rnn-how-they-work/"])
def test_no_raw_latex_or_diagram_code_shows_while_they_load(open_page, path):
    """While KaTeX and Mermaid load, formulas and diagrams show nothing rather than their
    LaTeX and diagram code; once drawn they show; on a term page, a diagram released for
    drawing (scrolled to) stays hidden too until it is drawn."""
    page = open_page(width=390)
    held = []
    page.route(re.compile(r".*/(katex|mermaid)\.min\.js$"), lambda route: held.append(route))
    page.goto(page.site + path, wait_until="commit")
    page.wait_for_selector(".arithmatex", state="attached")
    page.wait_for_timeout(500)
    page.mouse.wheel(0, 400)  # the reader scrolls: a term page's diagram is released
    page.locator("pre.mermaid, pre.kb-diagram-waiting").first.scroll_into_view_if_needed()
    page.wait_for_function("() => document.querySelector('pre.mermaid')", timeout=10000)
    page.wait_for_timeout(300)
    state = page.evaluate(SOURCE_SHOWN)
    assert state["maths"] and state["diagrams"], state
    assert state["mathsShown"] == 0 and state["diagramsShown"] == 0, state
    for route in held:
        route.continue_()
    page.wait_for_function("() => !document.querySelector('.arithmatex:not([data-kb-math])')"
                           " && !document.querySelector('pre.mermaid')", timeout=20000)
    state = page.evaluate(SOURCE_SHOWN)
    assert state["drawn"] >= 1 and state["rendered"] >= 1, state


def test_formula_and_diagram_source_shows_if_their_libraries_never_come(open_page):
    """The source is hidden only while it may still be drawn: if the libraries fail it
    shows at once; if they do not arrive it shows after a few seconds (an animation that
    is jumped to its end here)."""
    page = open_page(width=390)
    page.route(re.compile(r".*/(katex|mermaid)\.min\.js$"), lambda route: route.abort())
    visit(page, "articles/rnn-how-they-work/", ready=False)
    page.wait_for_function("() => !document.querySelector('pre.mermaid')"
                           " && !document.querySelector('.arithmatex:not([data-kb-math])')",
                           timeout=10000)
    code = page.locator("article pre > code", has_text="flowchart").first
    assert code.evaluate("c => getComputedStyle(c).visibility") == "visible"
    maths = page.locator("div.arithmatex").first
    assert maths.evaluate("m => getComputedStyle(m).visibility") == "visible"
    assert "\\" in maths.inner_text()  # the LaTeX, as written

    page = open_page(width=390)
    held = []
    page.route(re.compile(r".*/(katex|mermaid)\.min\.js$"), lambda route: held.append(route))
    page.goto(page.site + "articles/rnn-how-they-work/", wait_until="commit")
    page.wait_for_selector("pre.mermaid > code", state="attached")
    page.wait_for_timeout(300)
    hidden = "el => getComputedStyle(el).visibility"
    first = page.locator(".arithmatex:not([data-kb-math])").first
    diagram = page.locator("pre.mermaid > code").first
    assert first.evaluate(hidden) == "hidden" and diagram.evaluate(hidden) == "hidden"
    page.evaluate("document.getAnimations().forEach((a) => a.finish())")
    assert first.evaluate(hidden) == "visible" and diagram.evaluate(hidden) == "visible"
    for route in held:
        route.abort()


# --- light pages -----------------------------------------------------------------------

def _weight(page, path: str) -> tuple[int, list[str]]:
    """Bytes a first visit transfers (gzip-compressed where a server would compress)."""
    bodies = {}

    def record(response):
        try:
            bodies[response.url] = response.body()
        except Exception:  # a redirect or an aborted request has no body
            pass

    page.on("response", record)
    visit(page, path)
    page.wait_for_timeout(300)
    total = 0
    for url, body in bodies.items():
        squeezable = not re.search(r"\.(woff2?|png|jpe?g|gif|webp)(\?|$)", url)
        total += len(gzip.compress(body, 6)) if squeezable else len(body)
    return total, list(bodies)


def test_a_term_page_is_light_on_a_first_visit(open_page):
    page = open_page()
    total, urls = _weight(page, "glossary/lstm/")
    assert total < 400_000, total
    assert not any("mermaid.min.js" in u or "kb-search" in u or "search_index" in u for u in urls)
    assert any("katex.min.js" in u for u in urls)  # the page has maths
    page = open_page()
    _, urls = _weight(page, "glossary/")
    assert not any("katex.min" in u or "mermaid.min" in u for u in urls)


# --- screenshots, for people to look at -----------------------------------------------

def test_screenshots_in_both_themes_at_desktop_and_phone_width(open_page):
    ARTIFACTS.mkdir(exist_ok=True)
    for scheme in ("light", "dark"):
        for name, width in WIDTHS.items():
            page = open_page(width=width, scheme=scheme)
            for path, label in (("glossary/relu/", "relu"), ("", "home"),
                                ("glossary/", "a-z"), ("articles/cnn-how-they-work/", "article")):
                visit(page, path)
                target = ARTIFACTS / f"{label}-{scheme}-{name}.png"
                page.screenshot(path=str(target), full_page=True)
                assert target.stat().st_size > 10_000


def test_a_site_built_for_its_address_navigates_in_place(browser, tmp_path):
    """KB_SITE_URL: built for the address it is served at, a click swaps the page in
    place (the theme finds the link in the sitemap) instead of loading it whole."""
    import socket

    root = make_project(tmp_path / "p")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    address = f"http://127.0.0.1:{port}/"
    built = kb("build", cwd=root, env={"KB_SITE_URL": address})
    assert built.returncode == 0, built.stderr
    assert address + "glossary/relu/" in (root / "site" / "sitemap.xml").read_text()
    with serve((root / "site").resolve(), port) as url:
        page = browser.new_page()
        page.goto(url + "glossary/relu/")
        page.wait_for_load_state("networkidle")
        page.evaluate("window.__kb_marker = 1")
        page.locator("article a[href*='/sigmoid/']").first.click()
        page.wait_for_function("document.querySelector('h1').textContent.includes('Sigmoid')")
        assert page.evaluate("window.__kb_marker") == 1, "the click reloaded the page"
        page.close()
    wrong = kb("build", cwd=root, env={"KB_SITE_URL": "javascript:alert(1)"})
    assert wrong.returncode == 1 and "must be an http or https URL" in wrong.stderr
    assert "internal error" not in wrong.stderr
