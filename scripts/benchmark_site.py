"""How `kb build` (site and index) grows with the glossary: time and page sizes.

    python scripts/benchmark_site.py                 # current content, +1,000, +5,000
    python scripts/benchmark_site.py --sizes 0 500
    python scripts/benchmark_site.py --sizes 0 --source DIR   # pad another project
    python scripts/benchmark_site.py --sizes 5000 --baseline /tmp/old --runs 2

Each size is a scratch copy of the project padded with synthetic entries
(scripts/synthetic.py); the build is timed once per size, in one run of this script.
With --baseline (a checkout of an earlier version, e.g. `git worktree add /tmp/old REV`)
the same content is built by both versions, alternately, --runs times each, each with
its own mkdocs.yml; the table gives the medians and their ratio.
"""
import argparse
import gzip
import shutil
import statistics
import subprocess
import tempfile
import time
from pathlib import Path

from common import KB, ROOT, cached_bytecode_env
from synthetic import generate

ENV = cached_bytecode_env()  # as an installed program runs: bytecode cached


def timed_build(project: Path, code: Path = ROOT) -> float:
    """Seconds for a clean `kb build` of ``project`` by the kb of the checkout ``code``."""
    for state in (project / "site", project / ".kb"):
        if state.is_symlink() or state.is_file():
            state.unlink()
        elif state.exists():
            shutil.rmtree(state)
    env = {**ENV, "PYTHONPATH": str(code / "tools")}
    started = time.perf_counter()
    subprocess.run([*KB, "build"], cwd=project, check=True, capture_output=True, env=env)
    return time.perf_counter() - started


def measure(project: Path) -> dict[str, float]:
    seconds = timed_build(project)
    site = (project / "site").resolve()
    term_pages = [p for p in (site / "glossary").glob("*/index.html")
                  if p.parent.name not in ("categories", "tags")]
    sizes = [p.stat().st_size for p in term_pages]
    total = sum(p.stat().st_size for p in site.rglob("*") if p.is_file())
    search = gzip.compress((site / "search" / "kb-search.json").read_bytes())
    return {"terms": len(term_pages), "seconds": seconds, "mean_kb": statistics.mean(sizes) / 1024,
            "max_kb": max(sizes) / 1024, "site_mb": total / 2**20,
            "search_kb": len(search) / 1024}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[0, 1000, 5000],
                        help="synthetic entries added to the real content")
    parser.add_argument("--source", type=Path, default=ROOT, help="the project to copy")
    parser.add_argument("--baseline", type=Path, help="a checkout of an earlier version")
    parser.add_argument("--runs", type=int, default=2, help="builds per version (A/B)")
    args = parser.parse_args()
    if args.baseline:
        return compare(args.baseline.resolve(), args.sizes, args.source, args.runs)
    rows = []
    with tempfile.TemporaryDirectory() as scratch:
        for size in args.sizes:
            project = Path(scratch) / f"kb-{size}"
            generate(project, size, args.source)
            rows.append(measure(project))
    print("| terms | `kb build` | mean term page | largest term page | whole site "
          "| search data (gzip) |")
    print("|---|---|---|---|---|---|")
    for row in rows:
        print(f"| {row['terms']:,} | {row['seconds']:.1f} s | {row['mean_kb']:.1f} KB "
              f"| {row['max_kb']:.1f} KB | {row['site_mb']:.1f} MB | {row['search_kb']:.0f} KB |")


def compare(baseline: Path, sizes: list[int], source: Path, runs: int) -> None:
    print(f"| synthetic entries | baseline ({baseline.name}) | this version | ratio |")
    print("|---|---|---|---|")
    with tempfile.TemporaryDirectory() as scratch:
        for size in sizes:
            ours, theirs = Path(scratch) / f"new-{size}", Path(scratch) / f"old-{size}"
            generate(ours, size, source)
            shutil.copytree(ours, theirs, ignore=shutil.ignore_patterns(".kb", "site"))
            shutil.copyfile(baseline / "mkdocs.yml", theirs / "mkdocs.yml")
            old, new = [], []
            for _ in range(runs):  # alternately, so that both see the same machine
                old.append(timed_build(theirs, baseline))
                new.append(timed_build(ours))
            before, after = statistics.median(old), statistics.median(new)
            print(f"| {size:,} | {before:.1f} s | {after:.1f} s | {after / before:.2f} |",
                  flush=True)


if __name__ == "__main__":
    main()
