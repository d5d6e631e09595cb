"""How `kb build` (site and index) grows with the glossary: time and page sizes.

    python scripts/benchmark_site.py                 # current content, +1,000, +5,000
    python scripts/benchmark_site.py --sizes 0 500
    python scripts/benchmark_site.py --sizes 0 --source DIR   # pad another project

Each size is a scratch copy of the project padded with synthetic entries
(scripts/synthetic.py); the build is timed once per size, in one run of this script.
"""
import argparse
import statistics
import subprocess
import tempfile
import time
from pathlib import Path

from common import KB, ROOT, cached_bytecode_env
from synthetic import generate

ENV = cached_bytecode_env()  # as an installed program runs: bytecode cached


def measure(project: Path) -> dict[str, float]:
    started = time.perf_counter()
    subprocess.run([*KB, "build"], cwd=project, check=True, capture_output=True, env=ENV)
    seconds = time.perf_counter() - started
    site = (project / "site").resolve()
    term_pages = [p for p in (site / "glossary").glob("*/index.html")
                  if p.parent.name not in ("categories", "tags")]
    sizes = [p.stat().st_size for p in term_pages]
    total = sum(p.stat().st_size for p in site.rglob("*") if p.is_file())
    return {"terms": len(term_pages), "seconds": seconds, "mean_kb": statistics.mean(sizes) / 1024,
            "max_kb": max(sizes) / 1024, "site_mb": total / 2**20}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[0, 1000, 5000],
                        help="synthetic entries added to the real content")
    parser.add_argument("--source", type=Path, default=ROOT, help="the project to copy")
    args = parser.parse_args()
    rows = []
    with tempfile.TemporaryDirectory() as scratch:
        for size in args.sizes:
            project = Path(scratch) / f"kb-{size}"
            generate(project, size, args.source)
            rows.append(measure(project))
    print("| terms | `kb build` | mean term page | largest term page | whole site |")
    print("|---|---|---|---|---|")
    for row in rows:
        print(f"| {row['terms']:,} | {row['seconds']:.1f} s | {row['mean_kb']:.1f} KB "
              f"| {row['max_kb']:.1f} KB | {row['site_mb']:.1f} MB |")


if __name__ == "__main__":
    main()
