"""Search quality holds its floor on tests/queries.yaml (see scripts/search_quality.py).

The library is called in-process on the real knowledge base, so the whole set takes
seconds; the tables themselves come from `python scripts/search_quality.py`.
"""
from pathlib import Path

import pytest
from kb import quality as search_quality

ROOT = Path(__file__).resolve().parent.parent
QUERIES = ROOT / search_quality.QUERY_FILE

LOOKUP_RECALL_AT_1 = 0.95
SEARCH_MRR = 0.95


@pytest.fixture(scope="module")
def results():
    from kb.project import Project

    return search_quality.evaluate(Project(ROOT), search_quality.load_queries(QUERIES))


def test_the_query_set_covers_every_kind():
    queries = search_quality.load_queries(QUERIES)
    assert len(queries) >= 120
    kinds = {query["kind"] for query in queries}
    assert kinds == set(search_quality.KINDS)
    assert all(query["answers"] or query["kind"] == "hostile" for query in queries)


def test_the_answers_name_real_entries(results):
    from kb.index.reader import Catalog
    from kb.project import Project

    catalog = Catalog(Project(ROOT))
    known = {record["id"] for record in catalog.all_records()}
    unknown = {answer for query in search_quality.load_queries(QUERIES)
               for answer in query["answers"]} - known
    assert not unknown, f"tests/queries.yaml names entries that do not exist: {sorted(unknown)}"


def test_lookup_recall_at_1(results):
    score = search_quality.metrics(results["lookup"])["recall@1"]
    assert score >= LOOKUP_RECALL_AT_1, search_quality.misses({"lookup": results["lookup"]})


def test_search_mrr(results):
    score = search_quality.metrics(results["search"])["mrr"]
    assert score >= SEARCH_MRR, search_quality.misses({"search": results["search"]})


@pytest.mark.parametrize("text, tokens", [
    ("C++", ["c++"]), ("F1 score", ["f1", "score"]), ("L1", ["l1"]),
    ("t-SNE", ["tsne", "t", "sne"]), ("régularisation", ["regular"]),
    ("Ｒｅｌｕ", ["relu"]), ("what is AND", []),
])
def test_the_analyzer_keeps_technical_words(text, tokens):
    from kb.index.fulltext import analyze

    assert analyze(text) == tokens
