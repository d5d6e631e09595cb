"""Measure `kb lookup` and `kb search` on the tuning and the held-out query sets.

    python scripts/search_quality.py              # all sets: Recall@1, Recall@5, MRR
    python scripts/search_quality.py --misses     # ... and every tuning query not first
    python scripts/search_quality.py --root DIR   # on another project (a scratch copy)
    python scripts/search_quality.py --queries F  # one query file only

The evaluation itself is kb.quality (see there for how queries are scored); this script
prints its tables. The query sets are this checkout's (tests/queries.yaml, the tuning
set, and the held-out sets tests/queries_heldout*.yaml, never tuned on, whose misses are
never listed) whichever project is measured.
"""
import argparse
from pathlib import Path

from common import ROOT
from kb.build import with_index
from kb.project import find_project
from kb.quality import (
    HELDOUT_SETS,
    QUERY_FILE,
    by_kind,
    evaluate_catalog,
    is_held_out,
    load_queries,
    metrics,
    misses,
)

QUERY_SETS = (("tuning", ROOT / QUERY_FILE),
              *((name, ROOT / path) for name, path in HELDOUT_SETS))


def table(results: dict, seen: frozenset = frozenset()) -> str:
    """The metrics per kind and overall; ``seen``, the positions of queries marked seen,
    adds a row without them."""
    lookup, search = by_kind(results["lookup"]), by_kind(results["search"])
    lines = ["| kind | n | lookup R@1 | lookup R@5 | lookup MRR | search R@1 | search R@5 "
             "| search MRR |", "|---|---|---|---|---|---|---|---|"]
    rows = [(f"**{kind}**" if kind == "overall" else kind, lookup[kind], search[kind])
            for kind in lookup]
    if seen:
        unseen = {command: metrics([o for i, o in enumerate(outcomes) if i not in seen])
                  for command, outcomes in results.items()}
        rows.append((f"overall without the {len(seen)} marked seen", unseen["lookup"],
                     unseen["search"]))
    for name, a, b in rows:
        lines.append(f"| {name} | {a['n']} | {a['recall@1']:.3f} | {a['recall@5']:.3f} "
                     f"| {a['mrr']:.3f} | {b['recall@1']:.3f} | {b['recall@5']:.3f} "
                     f"| {b['mrr']:.3f} |")
    overall = lookup["overall"]
    if "out-of-scope" in lookup:
        lines.append(f"\nFalse answers out of scope: lookup {overall['false']} of "
                     f"{lookup['out-of-scope']['n']} (an entry given as the answer); search "
                     f"{search['overall']['false']} (any result listed).")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", type=Path, default=ROOT,
                        help="the project (default: this one, or KB_ROOT when set)")
    parser.add_argument("--queries", type=Path, help="one query file instead of all the sets")
    parser.add_argument("--misses", action="store_true",
                        help="list queries not answered first (never a held-out set's)")
    args = parser.parse_args()

    project = find_project(args.root)
    sets = [(args.queries.name, args.queries)] if args.queries else QUERY_SETS
    queries = [(name, path, load_queries(path)) for name, path in sets]
    runs = with_index(project, lambda catalog: [
        (name, path, items, evaluate_catalog(catalog, items)) for name, path, items in queries])
    for name, path, items, results in runs:
        print(f"## {name}: {len(results['lookup'])} queries from {path.name}, "
              f"on {project.root}\n")
        seen = frozenset(i for i, item in enumerate(items) if item.get("seen"))
        print(table(results, seen) + "\n")
        if args.misses and not is_held_out(path, ROOT):
            print(misses(results) + "\n")


if __name__ == "__main__":
    main()
