"""Measure `kb lookup` and `kb search` on the query set in tests/queries.yaml.

    python scripts/search_quality.py              # tables of Recall@1, Recall@5 and MRR
    python scripts/search_quality.py --misses     # ... and every query not answered first
    python scripts/search_quality.py --root DIR   # on another project (a scratch copy)

The evaluation itself is kb.quality (see there for how queries are scored); this script
prints its tables. The query set is this checkout's unless --queries says otherwise,
whichever project is measured.
"""
import argparse
from pathlib import Path

from common import ROOT
from kb.project import find_project
from kb.quality import QUERY_FILE, by_kind, evaluate, load_queries, misses

QUERIES = ROOT / QUERY_FILE


def table(results: dict) -> str:
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", type=Path, default=ROOT,
                        help="the project (default: this one, or KB_ROOT when set)")
    parser.add_argument("--queries", type=Path, default=QUERIES)
    parser.add_argument("--misses", action="store_true", help="list queries not answered first")
    args = parser.parse_args()

    project = find_project(args.root)
    queries = load_queries(args.queries)
    results = evaluate(project, queries)
    print(f"{len(queries)} queries from {args.queries.name}, on {project.root}\n")
    print(table(results))
    if args.misses:
        print("\n" + misses(results))


if __name__ == "__main__":
    main()
