"""Measure `kb lookup` and `kb search` on the query set in tests/queries.yaml.

    python scripts/search_quality.py              # tables of Recall@1, Recall@5 and MRR
    python scripts/search_quality.py --misses     # ... and every query not answered first
    python scripts/search_quality.py --root DIR   # on another project (a scratch copy)

Each query has a kind and its acceptable answers (slugs, or article:<slug>). A lookup's
ranking is its answer followed by its candidates (or only the candidates when it lists
several instead of guessing); a search's ranking is its hits. Hostile queries have no
answers: they count as found at rank 1 when nothing raises. The library is called
in-process, as tests/test_search_quality.py does.
"""
import argparse
import sys
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
QUERIES = ROOT / "tests" / "queries.yaml"
KINDS = ("exact", "abbreviation", "synonym", "variant", "plural", "misspelling", "partial",
         "question", "hostile")


@dataclass
class Outcome:
    query: str
    kind: str
    answers: list[str]
    ranking: list[str]
    rank: int | None  # 1-based rank of the first acceptable answer, None when absent
    detail: str = ""


def load_queries(path: Path = QUERIES) -> list[dict]:
    import yaml

    with open(path, encoding="utf-8") as handle:
        return yaml.safe_load(handle)


def _rank(ranking: list[str], answers: list[str]) -> int | None:
    return next((i for i, item in enumerate(ranking, 1) if item in answers), None)


def run_lookup(project, query: dict) -> Outcome:
    from kb.lookup import lookup

    answer = lookup(project, query["query"])
    first = [answer.record["id"]] if answer.record else []
    ranking = first + [candidate["id"] for candidate in answer.candidates]
    rank = 1 if query["kind"] == "hostile" else _rank(ranking, query["answers"])
    return Outcome(query["query"], query["kind"], query["answers"], ranking, rank, answer.status)


def run_search(project, query: dict) -> Outcome:
    from kb.lookup import search

    result = search(project, query["query"], limit=10)
    ranking = [hit["id"] for hit in result.hits]
    rank = 1 if query["kind"] == "hostile" else _rank(ranking, query["answers"])
    return Outcome(query["query"], query["kind"], query["answers"], ranking, rank,
                   result.note or "")


def metrics(outcomes: list[Outcome]) -> dict[str, float]:
    n = len(outcomes) or 1
    return {
        "n": len(outcomes),
        "recall@1": sum(o.rank == 1 for o in outcomes) / n,
        "recall@5": sum(o.rank is not None and o.rank <= 5 for o in outcomes) / n,
        "mrr": sum(1 / o.rank for o in outcomes if o.rank) / n,
    }


def by_kind(outcomes: list[Outcome]) -> dict[str, dict[str, float]]:
    groups = defaultdict(list)
    for outcome in outcomes:
        groups[outcome.kind].append(outcome)
    table = {kind: metrics(groups[kind]) for kind in KINDS if kind in groups}
    table |= {kind: metrics(items) for kind, items in groups.items() if kind not in table}
    table["overall"] = metrics(outcomes)
    return table


def evaluate(project, queries: list[dict]) -> dict[str, list[Outcome]]:
    return {"lookup": [run_lookup(project, q) for q in queries],
            "search": [run_search(project, q) for q in queries]}


def table(results: dict[str, list[Outcome]]) -> str:
    lookup, search = by_kind(results["lookup"]), by_kind(results["search"])
    lines = ["| kind | n | lookup R@1 | lookup R@5 | lookup MRR | search R@1 | search R@5 "
             "| search MRR |", "|---|---|---|---|---|---|---|---|"]
    for kind in lookup:
        a, b = lookup[kind], search[kind]
        name = f"**{kind}**" if kind == "overall" else kind
        lines.append(f"| {name} | {a['n']} | {a['recall@1']:.3f} | {a['recall@5']:.3f} "
                     f"| {a['mrr']:.3f} | {b['recall@1']:.3f} | {b['recall@5']:.3f} "
                     f"| {b['mrr']:.3f} |")
    return "\n".join(lines)


def misses(results: dict[str, list[Outcome]]) -> str:
    lines = []
    for command, outcomes in results.items():
        for o in outcomes:
            if o.rank != 1:
                lines.append(f"{command:6} {o.kind:12} {o.query!r}: rank {o.rank}, "
                             f"got {o.ranking[:4]} ({o.detail}); want {o.answers}")
    return "\n".join(lines) or "no misses"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", type=Path, default=ROOT, help="the project (default: this one)")
    parser.add_argument("--queries", type=Path, default=QUERIES)
    parser.add_argument("--misses", action="store_true", help="list queries not answered first")
    args = parser.parse_args()

    sys.path.insert(0, str(ROOT / "tools"))
    from kb.project import find_project

    project = find_project(args.root)
    queries = load_queries(args.queries)
    results = evaluate(project, queries)
    print(f"{len(queries)} queries from {args.queries.name}\n")
    print(table(results))
    if args.misses:
        print("\n" + misses(results))


if __name__ == "__main__":
    main()
