"""What a first visit to the site's pages costs in a browser: requests, bytes, and time
until the page is ready (maths rendered, diagrams drawn), in headless Chromium.

    python scripts/benchmark_pages.py                 # the project's built site/
    python scripts/benchmark_pages.py --site DIR --runs 5

Each run is a fresh browser context (empty cache), served from 127.0.0.1. The plain
http.server used here does not compress, so "gzip" is what a server that compresses
would send (each response compressed at level 6; fonts and images as they are).
"""
import argparse
import gzip
import re
import statistics
from pathlib import Path

from common import ROOT, chromium, serve

PAGES = [("term page (LSTM)", "glossary/lstm/"), ("term page (ReLU)", "glossary/relu/"),
         ("home", ""), ("A-Z index", "glossary/"),
         ("article with diagrams", "articles/cnn-how-they-work/")]
READY = ("!document.querySelector('.arithmatex:not([data-kb-math])') && "
         "!document.querySelector('pre.mermaid')")
UNSQUEEZABLE = re.compile(r"\.(woff2?|png|jpe?g|gif|webp)(\?|$)")


def visit(browser, url: str) -> dict:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    bodies = {}

    def record(response):
        try:
            bodies[response.url] = response.body()
        except Exception:  # redirects and aborted requests have no body
            pass

    page.on("response", record)
    page.goto(url)
    page.wait_for_function(READY, timeout=30000)
    ready = page.evaluate("performance.now()")
    timing = page.evaluate("(() => { const t = performance.getEntriesByType('navigation')[0];"
                           " return [t.domContentLoadedEventEnd, t.loadEventEnd]; })()")
    page.wait_for_load_state("networkidle")
    raw = sum(len(body) for body in bodies.values())
    squeezed = sum(len(body) if UNSQUEEZABLE.search(u) else len(gzip.compress(body, 6))
                   for u, body in bodies.items())
    context.close()
    return {"requests": len(bodies), "bytes": raw, "gzip": squeezed,
            "dcl": timing[0], "load": timing[1], "ready": ready}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--site", type=Path, default=ROOT / "site", help="a built site")
    parser.add_argument("--runs", type=int, default=3, help="first visits per page")
    args = parser.parse_args()
    url, stop = serve(args.site)
    rows = []
    try:
        with chromium() as browser:
            visit(browser, url)  # warm the server and the browser, not measured
            for name, path in PAGES:
                runs = [visit(browser, url + path) for _ in range(args.runs)]
                rows.append((name, runs))
    finally:
        stop()
    print("| page | requests | transferred | gzip | DOMContentLoaded | load | ready |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for name, runs in rows:
        m = {key: statistics.median(run[key] for run in runs) for key in runs[0]}
        print(f"| {name} | {m['requests']:.0f} | {m['bytes'] / 1024:,.0f} KB "
              f"| {m['gzip'] / 1024:,.0f} KB | {m['dcl']:.0f} ms | {m['load']:.0f} ms "
              f"| {m['ready']:.0f} ms |")


if __name__ == "__main__":
    main()
