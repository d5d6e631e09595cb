"""Run the query set (tests/queries.yaml) through the built site's own search box.

    python scripts/browser_search_quality.py            # needs /usr/bin/chromium, `kb build`
    python scripts/browser_search_quality.py --misses   # ... and every query it misses

Serves site/ on 127.0.0.1, types each query into the search box of headless Chromium
(Playwright), reads the first five results, and reports Recall@5 per kind: the browser
answers from Material's lunr index, not from `kb`.
"""
import functools
import http.server
import sys
import threading
from collections import defaultdict
from pathlib import Path
from urllib.parse import urlparse

import yaml
from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parent.parent


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
    show_misses = "--misses" in sys.argv[1:]
    queries = yaml.safe_load((ROOT / "tests" / "queries.yaml").read_text())
    handler = functools.partial(http.server.SimpleHTTPRequestHandler,
                                directory=str((ROOT / "site").resolve()))
    handler.log_message = lambda *args: None
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    hits, totals, errors = defaultdict(int), defaultdict(int), []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path="/usr/bin/chromium",
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"])
        page = browser.new_page()
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.goto(f"http://127.0.0.1:{server.server_port}/")
        page.wait_for_load_state("networkidle")
        for item in queries:
            kind, answers = item["kind"], item.get("answers") or []
            totals[kind] += 1
            if not item["query"].strip():
                hits[kind] += 1
                continue
            ranked = top_results(page, item["query"])
            if (not answers and not errors) or set(answers) & set(ranked):
                hits[kind] += 1
            elif show_misses:
                print(f"miss [{kind}] {item['query']!r}: wanted {answers}, got {ranked}")
        browser.close()
    server.shutdown()
    print("| kind | queries | browser Recall@5 |\n|---|---|---|")
    for kind in totals:
        print(f"| {kind} | {totals[kind]} | {hits[kind] / totals[kind]:.2f} |")
    print(f"| **all** | {sum(totals.values())} | "
          f"**{sum(hits.values()) / sum(totals.values()):.2f}** |")


if __name__ == "__main__":
    main()
