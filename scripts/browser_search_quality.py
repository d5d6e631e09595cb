"""Run the query set (tests/queries.yaml) through the built site's own search box.

    python scripts/browser_search_quality.py            # needs /usr/bin/chromium, `kb build`
    python scripts/browser_search_quality.py --misses   # ... and every query it misses
    python scripts/browser_search_quality.py --root DIR # another project's built site

Serves the project's site/ on 127.0.0.1, types each query into the search box of
headless Chromium (Playwright), reads the first five results, and reports Recall@5 per
kind: the browser answers from Material's lunr index, not from `kb`.
"""
import argparse
from collections import defaultdict
from pathlib import Path
from urllib.parse import urlparse

from common import ROOT, chromium, serve
from kb.project import find_project
from kb.quality import QUERY_FILE, load_queries


def result_id(href: str) -> str | None:
    parts = [p for p in urlparse(href).path.split("/") if p]
    if len(parts) == 2 and parts[0] == "glossary":
        return parts[1]
    if len(parts) == 2 and parts[0] == "articles":
        return f"article:{parts[1]}"
    return None


def top_results(page, query: str) -> list[str]:
    page.keyboard.press("/")
    page.keyboard.press("Control+a")
    page.keyboard.press("Backspace")
    page.keyboard.type(query, delay=15)
    # The box answers as you type: wait until what it shows stops changing.
    shown, hrefs = None, []
    for _ in range(20):
        page.wait_for_timeout(250)
        now = page.evaluate("""() => [document.querySelector('.md-search-result__meta')
            .textContent, [...document.querySelectorAll('.md-search-result__item > a')]
            .map(e => e.href)]""")
        if now == shown and "Type to start" not in now[0]:
            break
        shown, hrefs = now, now[1]
    ranked = []
    for href in hrefs:
        found = result_id(href)
        if found and found not in ranked:
            ranked.append(found)
    return ranked[:5]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", type=Path, default=ROOT,
                        help="the project whose built site/ to use (default: this one, "
                             "or KB_ROOT when set)")
    parser.add_argument("--queries", type=Path, default=ROOT / QUERY_FILE)
    parser.add_argument("--misses", action="store_true", help="list every query missed")
    args = parser.parse_args()

    site = find_project(args.root).site_dir
    if not (site / "index.html").is_file():
        parser.error(f"{site} has no built site: run `kb build` there first")
    queries = load_queries(args.queries)
    hits, totals, errors = defaultdict(int), defaultdict(int), []
    url, stop = serve(site)
    try:
        with chromium() as browser:
            page = browser.new_page()
            page.on("pageerror", lambda error: errors.append(str(error)))
            page.goto(url)
            page.wait_for_load_state("networkidle")
            for item in queries:
                kind, answers = item["kind"], item["answers"]
                totals[kind] += 1
                if not item["query"].strip():
                    hits[kind] += 1
                    continue
                ranked = top_results(page, item["query"])
                if (not answers and not errors) or set(answers) & set(ranked):
                    hits[kind] += 1
                elif args.misses:
                    print(f"miss [{kind}] {item['query']!r}: wanted {answers}, got {ranked}")
    finally:
        stop()
    print("| kind | queries | browser Recall@5 |\n|---|---|---|")
    for kind in totals:
        print(f"| {kind} | {totals[kind]} | {hits[kind] / totals[kind]:.2f} |")
    print(f"| **all** | {sum(totals.values())} | "
          f"**{sum(hits.values()) / sum(totals.values()):.2f}** |")


if __name__ == "__main__":
    main()
