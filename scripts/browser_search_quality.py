"""Run the query sets through the built site's own search box, in headless Chromium.

    python scripts/browser_search_quality.py            # needs /usr/bin/chromium, `kb build`
    python scripts/browser_search_quality.py --misses   # ... and every tuning query not first
    python scripts/browser_search_quality.py --root DIR # another project's built site
    python scripts/browser_search_quality.py --queries F  # one query file only

Serves the project's site/ on 127.0.0.1, opens its home page, and types each query into
the search box as a reader would (pressing `/` first), waits for the list that answers
the whole query, and reads its links: Recall@1, Recall@5 and MRR per kind, for the tuning
set (tests/queries.yaml) and the held-out sets (tests/queries_heldout*.yaml, see
kb.quality.HELDOUT_SETS). An out-of-scope query is answered right when the box shows
no result; a hostile one when the page raises no error. Every request the page makes is
checked to stay on 127.0.0.1.
"""
import argparse
from collections import defaultdict
from pathlib import Path
from urllib.parse import urlparse

from common import ROOT, chromium, serve
from kb.project import find_project
from kb.quality import HELDOUT_SETS, KINDS, QUERY_FILE, is_held_out, load_queries

QUERY_SETS = (("tuning", ROOT / QUERY_FILE),
              *((name, ROOT / path) for name, path in HELDOUT_SETS))
RESULTS = "#kb-search-results"


def result_id(href: str) -> str | None:
    parts = [p for p in urlparse(href).path.split("/") if p]
    if len(parts) == 2 and parts[0] == "glossary":
        return parts[1]
    if len(parts) == 2 and parts[0] == "articles":
        return f"article:{parts[1]}"
    return None


def top_results(page, query: str) -> list[str]:
    """The entries the box lists for a query typed into it, best first."""
    page.keyboard.press("Escape")
    page.keyboard.press("/")
    page.keyboard.press("Control+a")
    page.keyboard.press("Backspace")
    page.keyboard.type(query, delay=5)
    page.wait_for_function(
        f"q => {{ const l = document.querySelector('{RESULTS}');"
        " return l && l.dataset.query === q; }", arg=page.evaluate(
            "() => document.querySelector('.md-search__input').value"), timeout=15000)
    hrefs = page.evaluate(f"() => [...document.querySelectorAll('{RESULTS} > li > a')]"
                          ".map(a => a.href)")
    return list(dict.fromkeys(filter(None, map(result_id, hrefs))))


def rank_of(item: dict, ranked: list[str], errors: list) -> int | None:
    kind, answers = item["kind"], item["answers"]
    if kind == "hostile":
        return None if errors else 1
    if kind == "out-of-scope":
        return None if ranked else 1
    return next((i for i, entry in enumerate(ranked, 1) if entry in answers), None)


def table(outcomes: list[tuple[str, int | None, bool]]) -> str:
    """(kind, rank, marked seen) per query: the metrics per kind and overall, and overall
    without the queries marked seen, if any."""
    groups = defaultdict(list)
    for kind, rank, _ in outcomes:
        groups[kind].append(rank)
    order = [k for k in KINDS if k in groups] + [k for k in groups if k not in KINDS]
    seen = sum(marked for _, _, marked in outcomes)
    unseen = f"overall without the {seen} marked seen"
    if seen:
        groups[unseen] = [rank for _, rank, marked in outcomes if not marked]
    lines = ["| kind | n | browser R@1 | browser R@5 | browser MRR |", "|---|---|---|---|---|"]
    for kind in [*order, "overall", *([unseen] if seen else [])]:
        ranks = [r for _, r, _ in outcomes] if kind == "overall" else groups[kind]
        n = len(ranks)
        name = f"**{kind}**" if kind == "overall" else kind
        lines.append(f"| {name} | {n} | {sum(r == 1 for r in ranks) / n:.3f} "
                     f"| {sum(r is not None and r <= 5 for r in ranks) / n:.3f} "
                     f"| {sum(1 / r for r in ranks if r) / n:.3f} |")
    false = sum(kind == "out-of-scope" and rank is None for kind, rank, _ in outcomes)
    if "out-of-scope" in groups:
        lines.append(f"\nOut of scope, a result shown: {false} of {len(groups['out-of-scope'])}.")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", type=Path, default=ROOT,
                        help="the project whose built site/ to use (default: this one, "
                             "or KB_ROOT when set)")
    parser.add_argument("--queries", type=Path, help="one query file instead of all the sets")
    parser.add_argument("--misses", action="store_true",
                        help="list every query not first (never a held-out set's)")
    args = parser.parse_args()

    site = find_project(args.root).site_dir
    if not (site / "index.html").is_file():
        parser.error(f"{site} has no built site: run `kb build` there first")
    sets = [(args.queries.name, args.queries)] if args.queries else QUERY_SETS
    errors, requests = [], []
    url, stop = serve(site)
    reports = []
    try:
        with chromium() as browser:
            page = browser.new_page()
            page.on("pageerror", lambda error: errors.append(str(error)))
            page.on("request", lambda request: requests.append(request.url))
            page.goto(url)
            page.wait_for_load_state("networkidle")
            for name, path in sets:
                outcomes, missed = [], []
                for item in load_queries(path):
                    if not item["query"].strip():
                        outcomes.append((item["kind"], 1, bool(item.get("seen"))))
                        continue
                    ranked = top_results(page, item["query"])
                    rank = rank_of(item, ranked, errors)
                    outcomes.append((item["kind"], rank, bool(item.get("seen"))))
                    if rank != 1:
                        missed.append(f"[{item['kind']}] {item['query']!r}: rank {rank}, "
                                      f"got {ranked[:4]}; want {item['answers']}")
                reports.append((name, path, outcomes, missed))
    finally:
        stop()
    elsewhere = [r for r in requests if not r.startswith(("http://127.0.0.1", "data:"))]
    for name, path, outcomes, missed in reports:
        print(f"## {name}: {len(outcomes)} queries from {path.name}, in the site's search box"
              f"\n\n{table(outcomes)}\n")
        if args.misses and not is_held_out(path, ROOT):
            print("\n".join(missed) or "no misses", end="\n\n")
    print(f"Page errors: {len(errors)}; requests off 127.0.0.1: {len(elsewhere)}")


if __name__ == "__main__":
    main()
