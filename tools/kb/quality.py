"""Search quality: how well ``kb lookup`` and ``kb search`` answer a query set.

Query sets, each a YAML list of ``{query, kind, answers}`` (the acceptable answers are
slugs, or ``article:<slug>``): ``tests/queries.yaml``, the tuning set that the boosts and
thresholds were tuned on, and the held-out sets (``HELDOUT_SETS``), each written before
the round it first measured and never tuned on. A lookup's ranking is its answer followed
by its candidates (or only the candidates when it lists several instead of guessing); a
search's ranking is its hits.
Queries without answers:

- ``hostile`` (query syntax, punctuation, nothing): found at rank 1 when nothing raises;
- ``out-of-scope`` (everyday phrases, a glossary word in another sense): found at rank 1
  when the lookup answers with no entry (candidates are fine: "did you mean") or the
  search lists nothing; an entry given as the answer is a *false answer*.

    queries = load_queries(root / QUERY_FILE)
    results = evaluate(project, queries)       # {"lookup": [...], "search": [...]}
    metrics(results["lookup"])["recall@1"]

``scripts/search_quality.py`` prints the tables; ``tests/test_search_quality.py`` holds
the floor. The library is called in-process, on an index opened (or rebuilt) once.
"""
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from .build import with_index
from .index.reader import Catalog
from .project import Project

QUERY_FILE = Path("tests") / "queries.yaml"  # the tuning set, relative to the project
# never tuned on, each written before the session that first measured it
HELDOUT_SETS = (("held-out", Path("tests") / "queries_heldout.yaml"),
                ("held-out 2", Path("tests") / "queries_heldout2.yaml"),
                ("held-out 3", Path("tests") / "queries_heldout3.yaml"),
                ("held-out 4", Path("tests") / "queries_heldout4.yaml"),
                ("held-out 5", Path("tests") / "queries_heldout5.yaml"),
                ("held-out 6", Path("tests") / "queries_heldout6.yaml"),
                ("held-out 7", Path("tests") / "queries_heldout7.yaml"),
                ("held-out 8", Path("tests") / "queries_heldout8.yaml"))


def is_held_out(path: Path, root: Path) -> bool:
    """Whether a query file is one of the project's held-out sets, whose per-query results
    the scripts never list (looking at them would make them tuning sets)."""
    return path.resolve() in {(root / held).resolve() for _, held in HELDOUT_SETS}


KINDS = ("exact", "abbreviation", "synonym", "variant", "plural", "misspelling", "partial",
         "question", "hostile", "out-of-scope")
UNANSWERED = ("hostile", "out-of-scope")  # kinds whose queries have no answers
SEARCH_LIMIT = 10


@dataclass
class Outcome:
    query: str
    kind: str
    answers: list[str]
    ranking: list[str]
    rank: int | None  # 1-based rank of the first acceptable answer, None when absent
    detail: str = ""


def load_queries(path: Path) -> list[dict]:
    """A query set: a list of {query, kind, answers} (no answers: hostile, out-of-scope)."""
    import yaml

    with open(path, encoding="utf-8") as handle:
        queries = yaml.safe_load(handle)
    return [{**query, "answers": query.get("answers") or []} for query in queries]


def _rank(ranking: list[str], answers: list[str]) -> int | None:
    return next((i for i, item in enumerate(ranking, 1) if item in answers), None)


def run_lookup(catalog: Catalog, query: dict) -> Outcome:
    from .lookup import lookup

    answer = lookup(catalog, query["query"])
    first = [answer.record["id"]] if answer.record else []
    ranking = first + [candidate["id"] for candidate in answer.candidates]
    if query["kind"] == "out-of-scope":
        rank = None if answer.record else 1
    else:
        rank = 1 if query["kind"] == "hostile" else _rank(ranking, query["answers"])
    return Outcome(query["query"], query["kind"], query["answers"], ranking, rank,
                   answer.status)


def run_search(catalog: Catalog, query: dict) -> Outcome:
    from .lookup import search

    result = search(catalog, query["query"], limit=SEARCH_LIMIT)
    ranking = [hit["id"] for hit in result.hits]
    if query["kind"] == "out-of-scope":
        rank = None if ranking else 1
    else:
        rank = 1 if query["kind"] == "hostile" else _rank(ranking, query["answers"])
    return Outcome(query["query"], query["kind"], query["answers"], ranking, rank,
                   result.note or "")


def evaluate_catalog(catalog: Catalog, queries: list[dict]) -> dict[str, list[Outcome]]:
    """Every query through lookup and search on an opened index."""
    return {"lookup": [run_lookup(catalog, q) for q in queries],
            "search": [run_search(catalog, q) for q in queries]}


def evaluate(project: Project, queries: list[dict]) -> dict[str, list[Outcome]]:
    """Every query through lookup and search, on the project's index (rebuilt first when
    it is missing, stale or damaged)."""
    return with_index(project, lambda catalog: evaluate_catalog(catalog, queries))


def metrics(outcomes: list[Outcome]) -> dict[str, float]:
    """n, Recall@1, Recall@5, mean reciprocal rank, and the false answers (out-of-scope
    queries given an entry)."""
    n = len(outcomes) or 1
    return {
        "n": len(outcomes),
        "false": sum(o.kind == "out-of-scope" and o.rank is None for o in outcomes),
        "recall@1": sum(o.rank == 1 for o in outcomes) / n,
        "recall@5": sum(o.rank is not None and o.rank <= 5 for o in outcomes) / n,
        "mrr": sum(1 / o.rank for o in outcomes if o.rank) / n,
    }


def by_kind(outcomes: list[Outcome]) -> dict[str, dict[str, float]]:
    """Metrics per kind of query (in KINDS order, unknown kinds after), then overall."""
    groups = defaultdict(list)
    for outcome in outcomes:
        groups[outcome.kind].append(outcome)
    table = {kind: metrics(groups[kind]) for kind in KINDS if kind in groups}
    table |= {kind: metrics(items) for kind, items in groups.items() if kind not in table}
    table["overall"] = metrics(outcomes)
    return table


def misses(results: dict[str, list[Outcome]]) -> str:
    """One line per query not answered first, for a report or an assertion message."""
    lines = []
    for command, outcomes in results.items():
        for o in outcomes:
            if o.rank != 1:
                lines.append(f"{command:6} {o.kind:12} {o.query!r}: rank {o.rank}, "
                             f"got {o.ranking[:4]} ({o.detail}); want {o.answers}")
    return "\n".join(lines) or "no misses"
