"""The site's own search box, typed into in headless Chromium (Playwright), as a reader
would: a typo, a squashed name, an abbreviation and a question each show the right entry
first; the index is fetched on first use, never with a page, and from the site alone."""
import json
import os

import pytest

pytestmark = pytest.mark.skipif(bool(os.environ.get("KB_NO_BROWSER")),
                                reason="KB_NO_BROWSER is set")
RESULTS = "#kb-search-results"
BRITISH = {"neighbours": "neighbors", "Colour": "color", "centres": "centers",
           "analysing": "analyzing", "régularisation": "regularization", "four": "four",
           "your": "your", "journal": "journal", "keys": "keys"}


@pytest.fixture()
def page(browser, site_url):
    """A page of the site, with every request it makes and every error recorded; no
    request may leave 127.0.0.1."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.requests, page.errors = [], []
    page.on("request", lambda request: page.requests.append(request.url))
    page.on("pageerror", lambda error: page.errors.append(str(error)))
    page.on("console", lambda m: page.errors.append(m.text) if m.type == "error" else None)
    yield page
    assert page.errors == []
    assert all(url.startswith(("http://127.0.0.1", "data:", "blob:")) for url in page.requests), \
        [url for url in page.requests if not url.startswith("http://127.0.0.1")]
    context.close()


def type_query(page, query: str, key: str = "/") -> list[str]:
    """Open the box with a shortcut, type the query, and return the result links once the
    list answers the whole query."""
    page.keyboard.press(key)
    page.keyboard.type(query, delay=20)
    page.wait_for_function(
        f"q => {{ const l = document.querySelector('{RESULTS}');"
        " return l && l.dataset.query === q; }", arg=query, timeout=15000)
    return page.eval_on_selector_all(f"{RESULTS} > li > a", "links => links.map(a => a.href)")


@pytest.mark.parametrize("query, slug", [
    ("convoluton", "convolution"),                               # a typo
    ("dropuot", "dropout"),                                      # two letters swapped
    ("batchnorm", "batch-normalization"),                        # a squashed name
    ("CNN", "convolutional-neural-network"),                     # an abbreviation
    ("Conv2D", "convolutional-layer"),                           # a keyword, as kb lookup
    ("randomly drop neurons during training", "dropout"),        # a question
    ("how many weights does a dense layer have", "dense-layer"),  # stemmed once: dense
    ("a bigger batch than fits in memory", "gradient-accumulation"),  # bigger: big
    ("why do we need non linear activation functions", "activation-function"),
    # a long question, most of whose words are in no entry
    ("halt training automatically once the validation score no longer improves",
     "early-stopping"),
])
def test_the_right_entry_comes_first(site_url, page, query, slug):
    page.goto(site_url)
    page.wait_for_load_state("networkidle")
    links = type_query(page, query)
    assert links and f"/glossary/{slug}/" in links[0], links[:3]


def test_a_query_that_asks_for_a_guide_shows_the_article_first(site_url, page):
    page.goto(site_url)
    page.wait_for_load_state("networkidle")
    links = type_query(page, "step by step example of sliding a 3x3 kernel over a small image")
    assert links and "/articles/convolution-step-by-step/" in links[0], links[:3]


def test_an_american_spelling_finds_a_british_text(site_url, page):
    """As kb's links.fold, the box folds -our, -tre, -yse and -ise spellings together."""
    page.goto(site_url)
    page.wait_for_load_state("networkidle")
    page.wait_for_function("() => window.kbSearch")
    from kb.links import fold

    folded = page.evaluate("words => words.map(window.kbSearch.fold)", list(BRITISH))
    assert folded == list(BRITISH.values()) == [fold(word).lower() for word in BRITISH]


def test_a_comparison_lists_the_entries_it_names_first(site_url, page):
    page.goto(site_url)
    page.wait_for_load_state("networkidle")
    links = type_query(page, "difference between precision and recall")
    assert "/glossary/precision/" in links[0] and "/glossary/recall/" in links[1], links[:3]


def test_the_index_loads_on_first_use_only(site_url, page):
    page.goto(site_url + "glossary/relu/")
    page.wait_for_load_state("networkidle")
    assert not [url for url in page.requests if "kb-search" in url or "minisearch" in url]
    type_query(page, "relu", key="s")
    assert [url for url in page.requests if url.endswith("search/kb-search.json")]


def test_results_show_kind_aliases_and_summary_as_text(site_url, page):
    page.goto(site_url)
    page.wait_for_load_state("networkidle")
    type_query(page, "backpropagation", key="f")
    items = page.locator(f"{RESULTS} > li")
    kinds = items.locator(".kb-search-kind").all_inner_texts()
    assert kinds[0].lower() == "term" and "article" in [k.lower() for k in kinds]
    first = items.first
    assert "backprop" in first.locator(".kb-search-aliases").inner_text()
    summary = first.locator("p").last.inner_text()
    assert "\\(" not in summary and "$$" not in summary and len(summary) > 20
    # only entries: never the Tags page, a category or the A-Z index
    hrefs = page.eval_on_selector_all(f"{RESULTS} > li > a", "a => a.map(x => x.href)")
    assert all("/glossary/tags/" not in h and "/categories/" not in h for h in hrefs)


def test_keyboard_moves_through_results_and_opens_one(site_url, page):
    page.goto(site_url)
    page.wait_for_load_state("networkidle")
    links = type_query(page, "stride")
    page.keyboard.press("ArrowDown")
    focused = page.evaluate("() => document.activeElement.href")
    assert focused == links[0]
    page.keyboard.press("Enter")
    page.wait_for_url("**/glossary/stride/**")
    assert page.locator("mark[data-md-highlight]").count() >= 1  # the words, on the page
    page.keyboard.press("/")
    page.keyboard.press("Escape")
    assert not page.evaluate("() => document.getElementById('__search').checked")


def test_tabbing_out_of_the_box_closes_it(site_url, page):
    """The box dims the page while open: when the keyboard focus leaves it, it closes."""
    page.goto(site_url)
    page.wait_for_load_state("networkidle")
    type_query(page, "stride")
    is_open = "() => document.getElementById('__search').checked"
    inside = "() => !!document.activeElement.closest('.md-search')"
    for _ in range(4):  # the input, the results, then out of the box
        if not page.evaluate(inside):
            break
        assert page.evaluate(is_open)
        page.keyboard.press("Tab")
    assert not page.evaluate(inside) and not page.evaluate(is_open)


def test_the_box_answers_a_terms_own_keyword_as_kb_lookup_does(site_url, page,
                                                              real_project):
    """A keyword that one term lists and no entry has as a name: the box puts first what
    kb lookup answers (that term, unless the keyword starts one term's name), for a
    sample of them (KnowledgeBase.keyword_owners)."""
    from helpers import kb
    from kb.knowledge import load
    from kb.project import find_project

    owners = load(find_project(real_project, bundled=False)).keyword_owners()
    listed = {key: slugs[0] for key, slugs in owners.items() if len(slugs) == 1}
    keywords = sorted(key for key in listed if key.isalnum())
    wrong, as_listed = [], 0
    for key in keywords[::max(1, len(keywords) // 12)]:
        answer = json.loads(kb("lookup", key, "--json", cwd=real_project).stdout)
        as_listed += answer.get("slug") == listed[key]
        page.goto(site_url)
        page.wait_for_load_state("networkidle")
        links = type_query(page, key)
        if not links or f"/glossary/{answer.get('slug')}/" not in links[0]:
            wrong.append((key, answer.get("slug"), links[:1]))
    assert len(keywords) > 100 and as_listed >= 10 and not wrong, (as_listed, wrong)


def test_a_keyword_that_several_terms_list_shows_them_all_first(site_url, page,
                                                              real_project):
    """As kb lookup lists them: "metric learning", a keyword of Contrastive loss and
    Triplet loss, is not read as a misspelling of Meta-learning; so for a sample of the
    keywords that several terms list (KnowledgeBase.keyword_owners)."""
    from urllib.parse import urlparse

    from kb.knowledge import load
    from kb.project import find_project

    owners = load(find_project(real_project, bundled=False)).keyword_owners()
    shared = sorted((key, slugs) for key, slugs in owners.items()
                    if len(slugs) > 1 and key.isalpha())
    assert ("metriclearning", ["contrastive-loss", "triplet-loss"]) in shared
    wrong = []
    for key, slugs in [("metric learning", ["contrastive-loss", "triplet-loss"]),
                       *shared[::max(1, len(shared) // 8)]]:
        page.goto(site_url)
        page.wait_for_load_state("networkidle")
        links = type_query(page, key)
        shown = {urlparse(link).path.rstrip("/").split("/")[-1] for link in links[:len(slugs)]}
        if shown != set(slugs[:len(links)]):
            wrong.append((key, slugs, links[:len(slugs)]))
    assert not wrong, wrong


def test_a_corrected_query_highlights_the_word_it_was_corrected_to(site_url, page):
    """"convoluton" finds Convolution: its page highlights "convolution", the word the
    query was read as, not the typo (which is on no page)."""
    page.goto(site_url)
    page.wait_for_load_state("networkidle")
    links = type_query(page, "convoluton")
    assert "/glossary/convolution/" in links[0]
    page.keyboard.press("Enter")
    page.wait_for_url("**/glossary/convolution/**")
    page.wait_for_selector("mark[data-md-highlight]", state="attached", timeout=10000)
    marked = {m.casefold() for m in page.eval_on_selector_all(
        "mark[data-md-highlight]", "marks => marks.map((m) => m.textContent)")}
    assert "convolution" in marked, marked


STOP_WORDS = {"the", "of", "a", "an", "is", "and", "to", "in", "how", "what", "does"}


@pytest.mark.parametrize("how", ["fresh load", "after a search"])
def test_highlighting_never_marks_stop_words(site_url, page, how):
    """A page opened with ?h= marks the words, never "the", "of" or "a": on a fresh load
    too, before the search data (which lists the stop words) is in the page."""
    if how == "after a search":
        page.goto(site_url)
        page.wait_for_load_state("networkidle")
        type_query(page, "what is the stride of a convolution")
        page.keyboard.press("Enter")
        page.wait_for_url("**/glossary/**")
    else:
        page.goto(site_url + "glossary/convolution/?h=the+of+a+is+convolution+stride")
    page.wait_for_load_state("networkidle")
    page.wait_for_selector("mark[data-md-highlight]", state="attached", timeout=10000)
    page.wait_for_timeout(300)
    marked = {m.casefold() for m in page.eval_on_selector_all(
        "mark[data-md-highlight]", "marks => marks.map((m) => m.textContent)")}
    assert marked and not marked & STOP_WORDS, marked


def test_out_of_scope_shows_no_entry(site_url, page):
    page.goto(site_url)
    page.wait_for_load_state("networkidle")
    assert type_query(page, "wine tasting") == []
    assert "No matching entries" in page.locator(".md-search-result__meta").inner_text()


@pytest.mark.parametrize("query", [
    "attention span of children",   # names an entry, but is about something else
    "weight loss diet",             # two words of names, in another sense
    "transformer toys for kids",
    "pruning roses",                # a name, and a word one entry mentions in passing
    "difference between padding and margin in the css box model",  # a comparison, of CSS
    "pay attention",                # English words, a plausible misspelling of a name
    "training shoes",               # ... one of them a word of English, never corrected
])
def test_a_near_miss_shows_no_entry(site_url, page, query):
    page.goto(site_url)
    page.wait_for_load_state("networkidle")
    assert type_query(page, query) == []


def test_an_english_word_is_checked_as_spelt_not_as_folded(site_url, page):
    """British folding makes "compromising" "compromizing", no English word: the box
    (and kb, tests/test_search_quality.py) read it as a misspelt *CoT prompting*
    (found by an attack). Spelt as typed, it is English, and never a misspelt name."""
    page.goto(site_url)
    page.wait_for_load_state("networkidle")
    links = type_query(page, "compromising")
    assert not links or "/glossary/chain-of-thought-prompting/" not in links[0], links[:3]


def test_the_box_stems_as_kb_search_does(real_site, page, site_url):
    """The box's Porter2 stemmer gives the stems of kb search (whoosh.lang.porter2), and
    its stop words, comparatives, contrasting words, evidence thresholds and common
    English words come from the data file, which has kb search's."""
    from kb.index import english, fulltext
    from kb.index.fulltext import COMPARATIVES, STOP
    from kb.lookup import CONTRASTING, MENTION_BOOST
    from whoosh.lang.porter2 import stem

    data = json.loads((real_site / "search" / "kb-search.json").read_text())
    assert set(data["stop"]) == set(STOP) and data["comparatives"] == COMPARATIVES
    assert set(data["contrasting"]) == CONTRASTING
    assert data["guide"] == list(fulltext.GUIDE_PHRASES)
    evidence = data["evidence"]
    assert (evidence["min"], evidence["keep"], evidence["strong"], evidence["body"],
            evidence["rare"]) == (fulltext.MIN_EVIDENCE, fulltext.KEEP_EVIDENCE,
                                  fulltext.MIN_STRONG, fulltext.BODY_EVIDENCE, fulltext.RARE)
    assert [fulltext.least_evidence(n) for n in range(1, 12)] == [
        max(evidence["least"], evidence["min"] - evidence["step"]
            * max(n - evidence["longQuery"], 0)) for n in range(1, 12)]
    assert (evidence["power"], evidence["expansion"], evidence["mention"]) == (
        fulltext.EVIDENCE_POWER, fulltext.EXPANSION_BOOST, MENTION_BOOST)
    assert data["english"].split() == list(english.words())
    words = sorted({word for doc in data["docs"] for word in doc["b"].split()
                    if word.isalpha()})[:3000]
    page.goto(site_url)
    page.wait_for_load_state("networkidle")
    page.wait_for_function("() => window.kbSearch")
    stems = page.evaluate("words => words.map(window.kbSearch.stem)", words)
    assert stems == [stem(word) for word in words]


def test_the_data_holds_entries_as_text_and_no_generated_sections(real_site):
    data = json.loads((real_site / "search" / "kb-search.json").read_text())
    docs = data["docs"]
    assert {doc["k"] for doc in docs} == {"t", "a"}
    relu = next(doc for doc in docs if doc["u"] == "glossary/relu/")
    assert "Rectified" in relu["t"] and relu["s"]
    # entries only (no Tags page, category or index), their own text only: the words of a
    # term's "Related terms" and "Referenced by" lists are not part of it
    assert not any(doc["u"].startswith(("glossary/tags", "glossary/categories")) or
                   doc["u"] in ("", "glossary/") for doc in docs)
    sigmoid = next(doc for doc in docs if doc["u"] == "glossary/sigmoid/")
    assert "referenced" not in sigmoid["b"].split()



def test_the_box_applies_kb_lookups_keyword_rule_to_every_keyword(real_project, page,
                                                                  site_url):
    """The box computes which keywords answer with a term itself (shipping the answer
    would add 27 KB to its data): for every keyword, the same terms as kb lookup's
    ``KnowledgeBase.keyword_owners``."""
    from kb.knowledge import load
    from kb.project import find_project

    owners = load(find_project(real_project, bundled=False)).keyword_owners()
    page.goto(site_url)
    page.wait_for_load_state("networkidle")
    page.wait_for_function("() => window.kbSearch")
    found = page.evaluate("() => window.kbSearch.owners()")
    slugs = {key: sorted(url.rstrip("/").split("/")[-1] for url in urls)
             for key, urls in found.items()}
    assert len(owners) > 1000 and slugs == owners


def test_search_data_of_another_build_is_refused_with_a_message(site_url, page, real_site):
    """A data file of another format (a stale copy next to a newer search.js) is not
    scored with missing thresholds: the box says the index could not be loaded."""
    data = json.loads((real_site / "search" / "kb-search.json").read_text())
    stale = json.dumps({**data, "format": data["format"] - 1})
    page.route("**/search/kb-search.json",
               lambda route: route.fulfill(body=stale, content_type="application/json"))
    page.goto(site_url)
    page.wait_for_load_state("networkidle")
    page.keyboard.press("/")
    page.keyboard.type("relu", delay=20)
    page.wait_for_function("() => document.querySelector('.md-search-result__meta')"
                           ".textContent.includes('could not be loaded')", timeout=15000)
    page.errors.clear()  # the refusal is reported on the console too
