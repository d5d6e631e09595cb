"""Search quality holds its floor on the tuning set, tests/queries.yaml, and the held-out
sets, tests/queries_heldout*.yaml (never tuned on), get no false answer out of scope
(see scripts/search_quality.py for the tables).

The library is called in-process on the real knowledge base, so the sets take seconds.
"""
from pathlib import Path

import pytest
from kb import quality as search_quality

ROOT = Path(__file__).resolve().parent.parent
QUERIES = ROOT / search_quality.QUERY_FILE
HELDOUT = {name: ROOT / path for name, path in search_quality.HELDOUT_SETS}

# The tuning set's floors: what it scores, so that it can only get better. They were 0.95
# until the development set of 2026-12-02 (79 questions in a reader's words, on which
# lookup R@1 was 0.73) joined the tuning set; it then scored 0.941 and 0.946. Articles'
# keywords in readers' words, counted as evidence in full, cost it 0.002 (0.939, 0.944)
# and gained a fresh development set's questions 0.044 in search MRR and 0.08 in R@5;
# with that development set (91 queries, 73 of them questions) in it, it scores 0.925
# and 0.933.
LOOKUP_RECALL_AT_1 = 0.92
SEARCH_MRR = 0.93


@pytest.fixture(scope="module")
def catalog(real_project):
    from kb.index.reader import Catalog
    from kb.project import Project

    return Catalog(Project(real_project))  # built once per session, in a copy


@pytest.fixture(scope="module")
def results(catalog):
    return search_quality.evaluate_catalog(catalog, search_quality.load_queries(QUERIES))


@pytest.fixture(scope="module")
def heldout(catalog):
    return {name: search_quality.evaluate_catalog(catalog, search_quality.load_queries(path))
            for name, path in HELDOUT.items()}


def test_the_query_sets_cover_every_kind():
    queries = search_quality.load_queries(QUERIES)
    assert len(queries) >= 120
    assert {query["kind"] for query in queries} == set(search_quality.KINDS)
    seen = {q["query"].casefold().strip() for q in queries}
    kinds = set()
    for path in HELDOUT.values():
        held = search_quality.load_queries(path)
        assert len(held) >= 150
        assert sum(query["kind"] == "out-of-scope" for query in held) >= 40
        assert sum(query["kind"] == "question" for query in held) >= 50
        kinds |= {query["kind"] for query in held}
        for query in held:
            assert bool(query["answers"]) != (query["kind"] in search_quality.UNANSWERED), query
        asked = {q["query"].casefold().strip() for q in held}
        assert not asked & seen, path.name  # no query in two sets
        seen |= asked
    assert kinds == set(search_quality.KINDS) - {"hostile"}  # between them, every kind
    for query in queries:
        assert bool(query["answers"]) != (query["kind"] in search_quality.UNANSWERED), query


def test_the_answers_name_real_entries(catalog):
    known = {record["id"] for record in catalog.all_records()}
    for path in (QUERIES, *HELDOUT.values()):
        unknown = {answer for query in search_quality.load_queries(path)
                   for answer in query["answers"]} - known
        assert not unknown, f"{path.name} names entries that do not exist: {sorted(unknown)}"


def test_lookup_recall_at_1(results):
    score = search_quality.metrics(results["lookup"])["recall@1"]
    assert score >= LOOKUP_RECALL_AT_1, search_quality.misses({"lookup": results["lookup"]})


def test_search_mrr(results):
    score = search_quality.metrics(results["search"])["mrr"]
    assert score >= SEARCH_MRR, search_quality.misses({"search": results["search"]})


@pytest.mark.parametrize("which, allowed",
                         [("tuning", 0), *((name, 0) for name in HELDOUT)])
def test_no_false_answer_out_of_scope(results, heldout, which, allowed):
    """An everyday phrase, or a glossary word in another sense, gets suggestions (exit 1),
    never an entry as its answer."""
    outcomes = (results if which == "tuning" else heldout[which])["lookup"]
    false = [o for o in outcomes if o.kind == "out-of-scope" and o.rank is None]
    assert len(false) <= allowed, "\n".join(f"{o.query!r}: answered {o.ranking[:1]}"
                                             for o in false)


@pytest.mark.parametrize("query, slug", [("step size of the filter", "stride"),
                                         ("convolushun", "convolution")])
def test_lookup_answers_a_question_and_a_misspelling(catalog, query, slug):
    from kb.lookup import lookup, search

    answer = lookup(catalog, query)
    assert answer.record and answer.record["slug"] == slug, answer
    if answer.status == "fulltext":  # lookup and search agree
        assert search(catalog, query).hits[0]["slug"] == slug


@pytest.mark.parametrize("text, tokens", [
    ("C++", ["c++"]), ("F1 score", ["f1", "score"]), ("L1", ["l1"]),
    ("t-SNE", ["tsne", "t", "sne"]), ("régularisation", ["regular"]),
    ("nearest neighbours", ["nearest", "neighbor"]), ("colour", ["color"]),
    ("centres", ["center"]), ("analysing", ["analyz"]), ("four hours", ["four", "hour"]),
    ("Ｒｅｌｕ", ["relu"]), ("what is AND", []), ("randomly dropping", ["random", "drop"]),
])
def test_the_analyzer_keeps_technical_words(text, tokens):
    from kb.index.fulltext import analyze

    assert analyze(text) == tokens


def test_an_american_spelling_finds_a_british_text(catalog):
    """The vector database's text says "nearest neighbour"; a reader types "neighbor"."""
    from kb.lookup import search

    hits = search(catalog, "store embeddings for nearest neighbor lookup in rag").hits
    assert hits and hits[0]["slug"] == "vector-database", hits[:3]


@pytest.mark.parametrize("query, guide", [
    ("step by step example of sliding a 3x3 kernel over a small image with numbers", True),
    ("a walk-through of the backward pass", True), ("tips and tricks for GANs", True),
    ("classifier guidance", False), ("the reparameterization trick", False),
    ("worked example", True), ("steps of the update", False)])
def test_a_query_that_asks_for_a_guide(query, guide):
    from kb.index.fulltext import asks_for_a_guide

    assert asks_for_a_guide(query) is guide


def test_a_query_that_asks_for_a_guide_finds_the_article_first(catalog):
    """An article outweighs the terms it covers when the query asks for a walkthrough; the
    filter and convolution terms come first otherwise."""
    from kb.lookup import search

    query = "step by step example of sliding a 3x3 kernel over a small image with numbers"
    assert search(catalog, query).hits[0]["id"] == "article:convolution-step-by-step"
    plain = search(catalog, "sliding a 3x3 kernel over a small image with numbers").hits
    assert plain[0]["id"] != "article:convolution-step-by-step"


@pytest.mark.parametrize("query", ["wine tasting", "insurance premium", "chess opening",
                                   "mortgage interest rate"])
def test_lookup_says_did_you_mean_out_of_scope(catalog, query):
    from kb.lookup import lookup

    answer = lookup(catalog, query)
    assert answer.record is None and answer.candidates, answer


@pytest.mark.parametrize("query", [
    "pay attention", "log in", "training shoes", "weights shrink",  # once read as misspelt
    "compromising",  # an English word that British folding made a non-word ("compromizing")
    "memory card", "train tickets", "lose weight", "free sample", "stop word"])  # full text
def test_everyday_words_are_not_read_as_a_name_or_answered_by_a_loose_match(catalog, query):
    """Found by an attack (2026-12-03): two common words were corrected into a name
    ("pay attention": PagedAttention) or answered by an entry holding them apart ("memory
    card": GPU). search lists the same first as lookup would answer."""
    from kb.lookup import lookup, search

    answer = lookup(catalog, query)
    assert answer.record is None, (answer.status, answer.record["id"])
    hits = search(catalog, query).hits
    assert not hits or hits[0]["id"] not in ("paged-attention", "logits", "training-set",
                                             "chain-of-thought-prompting")


@pytest.mark.parametrize("query, slug", [
    ("shrink the weights", "weight-decay"),  # everyday words, together in a keyword
    ("randomly drop neurons during training", "dropout"),  # a longer question
    ("convoluton", "convolution"), ("bach norm", "batch-normalization")])  # misspelt
def test_a_name_in_everyday_words_or_misspelt_is_still_answered(catalog, query, slug):
    from kb.lookup import lookup

    answer = lookup(catalog, query)
    assert answer.record and answer.record["id"] == slug, answer.status


@pytest.mark.parametrize("query, first", [
    ("what is the difference between precision and recall", ["precision", "recall"]),
    ("RNN vs. CNN", ["recurrent-neural-network", "convolutional-neural-network"]),
])
def test_a_comparison_lists_the_entries_it_names_first(catalog, query, first):
    """Set side by side in words that say so, the entries named come first, in the
    query's order; "what is" names no entry (Inception Score's alias is IS)."""
    from kb.lookup import lookup, search

    assert [hit["id"] for hit in search(catalog, query).hits[:2]] == first
    answer = lookup(catalog, query)
    assert answer.record is None and [c["id"] for c in answer.candidates[:2]] == first


def test_a_comparison_of_something_else_lists_nothing(catalog):
    """The entries named come first only if found, or if the index knows every word."""
    from kb.lookup import search

    assert search(catalog, "difference between padding and margin in the css box model").hits == []


def test_a_name_beside_a_word_the_index_barely_knows_lists_nothing(catalog):
    """One entry's text mentions a rose: "pruning roses" is about gardening, so the entry
    it names needs as much evidence as any other; "pruning" alone still finds it."""
    from kb.index.fulltext import FullText, analyze
    from kb.lookup import search

    with FullText(catalog.whoosh_dir) as full_text:
        assert 0 < full_text.frequencies(analyze("roses"))["rose"] <= 1
    assert search(catalog, "pruning roses").hits == []
    assert search(catalog, "pruning").hits[0]["slug"] == "pruning"


def test_or_alone_does_not_make_a_comparison(catalog):
    from kb.lookup import compares

    assert compares("a CNN or an RNN") and not compares("a CNN or an RNN", outright=True)
    assert compares("CNN vs. RNN", outright=True)


def test_a_long_question_needs_less_of_its_words_matched():
    from kb.index.fulltext import MIN_EVIDENCE, least_evidence

    assert least_evidence(2) == least_evidence(4) == MIN_EVIDENCE
    assert least_evidence(5) < MIN_EVIDENCE and least_evidence(30) == least_evidence(7) > 0.3


@pytest.mark.parametrize("query, slug", [
    ("halt training automatically once the validation score no longer improves",
     "early-stopping"),
    ("after training on a new task the network has lost what it knew about the old one",
     "catastrophic-forgetting"),
])
def test_a_long_question_in_its_own_words_finds_its_entry(catalog, query, slug):
    """Most of these words are in no entry ("halt", "knew"): search still lists the entry
    first, and lookup offers it first without answering with it."""
    from kb.lookup import lookup, search

    assert search(catalog, query).hits[0]["id"] == slug
    answer = lookup(catalog, query)
    assert answer.record is None and answer.candidates[0]["id"] == slug


@pytest.mark.parametrize("query", ["insurance policy", "printer not working"])
def test_a_word_of_english_is_not_corrected_into_a_term(catalog, query):
    """'insurance' is no misspelt 'instance', 'printer' no misspelt 'printed': search
    lists nothing rather than results for a query nobody typed."""
    from kb.lookup import search

    result = search(catalog, query)
    assert result.hits == [] and not result.corrected, result


def test_a_misspelt_word_is_still_corrected(catalog):
    from kb.lookup import search

    result = search(catalog, "gradient clippng")
    assert result.hits[0]["id"] == "gradient-clipping" and result.corrected


def test_an_articles_keywords_are_evidence_in_full_and_its_tags_are_not(catalog):
    """An article's keywords are phrases of readers looking for it: each finds it with all
    its words in strong fields. Its tags name topics it covers among others, so a tag
    alone is weak evidence for it (a term's tags are strong)."""
    from kb.index.fulltext import FullText

    articles = [r for r in catalog.all_records() if r["kind"] == "article"]
    with FullText(catalog.whoosh_dir) as full_text:
        for record in articles:
            for phrase in record["keywords"]:
                found = {hit.id: hit for hit in full_text.search(phrase, 100)}
                assert record["id"] in found, (record["id"], phrase)
                assert found[record["id"]].strong == 1.0, (record["id"], phrase)
        tagged = next(r for r in articles if "keras" in r["tags"])
        found = {hit.id: hit for hit in full_text.search("keras", 500, keep=frozenset(
            [tagged["id"]]))}
        assert found[tagged["id"]].strong < 1.0 or "keras" in tagged["title"].casefold()


def test_every_hit_shown_has_a_marked_excerpt_of_its_own(catalog):
    """Excerpts are highlighted only for the hits returned (``FullText.excerpt``), after
    the re-ranking, at any limit: each still marks the query's words (a hit left with its
    plain summary fails)."""
    from kb.lookup import search

    for limit in (10, 3):
        hits = search(catalog, "why do gradients vanish", limit=limit).hits
        assert len(hits) == limit
        for hit in hits:
            assert "\x01" in hit["excerpt"] and "\x02" in hit["excerpt"], hit["id"]


def test_an_entrys_other_names_are_not_searched_in_definitions(catalog, monkeypatch):
    """A query word that names an entry ("parameters": *Parameter*) also searches for
    that entry's other one-word names ("param"), in names, tags, keywords and summaries
    only: in definitions they are common words (at 20,000 entries 2,773 definitions hold
    "param"), which made Whoosh's part of a search twice as slow (README, "At scale")."""
    from kb.index.fulltext import EXPANSION_FIELDS, FullText
    from whoosh.query import AndNot, Term

    searched = []
    with FullText(catalog.whoosh_dir) as full_text:
        search = full_text.searcher.search
        monkeypatch.setattr(full_text.searcher, "search",
                            lambda query, **options: searched.append(query) or
                            search(query, **options))
        hits = full_text.search("learning parameters", 10,
                                {"parameters": ("parameter", ["param"])})
    assert hits
    expansion = [clause for clause in searched[0].subqueries if isinstance(clause, AndNot)]
    assert len(expansion) == 1
    fields = {term.fieldname for term in expansion[0].a.subqueries
              if isinstance(term, Term)}
    assert fields == set(EXPANSION_FIELDS) and "body" not in fields


def test_a_keyword_that_several_terms_list_is_answered_with_all_of_them(catalog, real_project):
    """A keyword of one term answers with it; one that several terms list ("metric
    learning": *Contrastive loss* and *Triplet loss*; "SAM") is not a guess between them
    nor a misspelling of something else (it was *Meta-learning*): the lookup lists them."""
    from kb.knowledge import load
    from kb.lookup import lookup
    from kb.project import find_project

    owners = load(find_project(real_project, bundled=False)).keyword_owners()
    shared = {key: slugs for key, slugs in owners.items() if len(slugs) > 1}
    assert len(shared) >= 20
    for key, slugs in shared.items():
        answer = lookup(catalog, key)
        if answer.status == "completed":  # the start of exactly one entry's names
            continue
        assert answer.record is None and answer.status == "ambiguous", (key, answer.status)
        assert [c["slug"] for c in answer.candidates] == slugs[:5], key
    answer = lookup(catalog, "metric learning")
    assert {c["slug"] for c in answer.candidates} == {"contrastive-loss", "triplet-loss"}
    answer = lookup(catalog, "Dense")  # the Keras class, a keyword of one term
    assert (answer.status, answer.record["slug"]) == ("keyword", "dense-layer")


@pytest.mark.parametrize("query, several", [
    ("cat", False), ("bank account", False), ("memory card", False),
    ("embedd", True), ("normalization layers", True)])
def test_a_did_you_mean_says_several_only_for_several(catalog, query, several):
    """'kb lookup cat' said "several entries match it" over one suggestion."""
    from kb.lookup import lookup

    answer = lookup(catalog, query)
    assert answer.status == "ambiguous" and answer.candidates, answer.status
    assert (len(answer.candidates) > 1) == several, answer.candidates
    assert ("several entries match it" in answer.note) == several, answer.note
