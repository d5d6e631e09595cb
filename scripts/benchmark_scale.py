"""How `kb lookup`, `kb search` and the index build grow with the number of entries.

    python scripts/benchmark_scale.py                      # 1k, 5k and 20k synthetic entries
    python scripts/benchmark_scale.py --sizes 1000 --runs 5

For each size, scripts/synthetic.py writes a scratch copy of the project padded with that
many synthetic entries; the index is built once in a fresh process (kb.build.build_index:
load, validate, write the index; no site) and timed; then each command runs as a fresh
process (a cold start) several times, alternating with `python -c pass`, and the table
gives medians and their ratio to that bare start-up, all measured in this one run.
Targets at 20,000 entries: lookup (exact) at most 6x bare, search at most 25x, build
under 2 minutes.
"""
import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from common import KB_COMMAND, ROOT, cached_bytecode_env
from synthetic import generate

PYTHON = sys.executable
CASES = [
    ("lookup (exact)", ["lookup", "batch normalization"]),
    ("lookup (alias)", ["lookup", "CNN"]),
    ("lookup (misspelt)", ["lookup", "convolushun"]),
    ("search (question)", ["search", "how many parameters does an LSTM have"]),
    ("search (one word)", ["search", "dropout"]),
]
LIMITS = {"lookup (exact)": 6, "search (question)": 25}
# As on a user's machine, compiled bytecode is cached (the first, warm-up run writes it).
ENV = cached_bytecode_env()


def run(command: list[str], cwd: Path) -> float:
    started = time.perf_counter()
    subprocess.run(command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                   check=False, env=ENV)
    return time.perf_counter() - started


def measure(project: Path, runs: int) -> dict[str, float]:
    """Medians of cold runs; bare start-up is interleaved so that drift hits both."""
    samples: dict[str, list[float]] = {"bare": []}
    for label, args in CASES:
        samples[label] = []
        run([*KB_COMMAND, *args], project)  # warm the disk cache, as a user's second run is
    for _ in range(runs):
        samples["bare"].append(run([PYTHON, "-c", "pass"], project))
        for label, args in CASES:
            samples[label].append(run([*KB_COMMAND, *args], project))
    return {label: statistics.median(values) for label, values in samples.items()}


def build(project: Path) -> float:
    code = ("from kb.build import build_index; from kb.project import find_project; "
            "build_index(find_project())")
    started = time.perf_counter()
    subprocess.run([PYTHON, "-c", code], cwd=project, check=True, capture_output=True, env=ENV)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 5000, 20000])
    parser.add_argument("--runs", type=int, default=11, help="cold runs per command")
    parser.add_argument("--source", type=Path, default=ROOT, help="the project to copy")
    parser.add_argument("--keep", type=Path, help="write the copies here instead of /tmp")
    args = parser.parse_args()

    rows = []
    with tempfile.TemporaryDirectory(prefix="kb-scale-") as scratch:
        base = args.keep or Path(scratch)
        for size in args.sizes:
            project = base / f"kb-{size}"
            generate(project, size, args.source)
            entries = len(list((project / "glossary").glob("*.yaml")))
            seconds = build(project)
            times = measure(project, args.runs)
            rows.append((size, entries, seconds, times))
            print(f"measured {size} synthetic entries", file=sys.stderr)

    print(f"{os.cpu_count()} cores, Python {sys.version.split()[0]}, median of {args.runs} "
          "cold runs per command (piped), ratio to bare `python -c pass` in parentheses\n")
    labels = [label for label, _ in CASES]
    print("| synthetic entries | glossary entries | index build | bare start-up | "
          + " | ".join(labels) + " |")
    print("|---" * (4 + len(labels)) + "|")
    for size, entries, seconds, times in rows:
        bare = times["bare"]
        cells = [f"{times[label] * 1000:.0f} ms ({times[label] / bare:.1f}x)" for label in labels]
        print(f"| {size:,} | {entries:,} | {seconds:.1f} s | {bare * 1000:.0f} ms | "
              + " | ".join(cells) + " |")
    size, _, seconds, times = rows[-1]
    verdicts = [f"{label} {times[label] / times['bare']:.1f}x (limit {limit}x)"
                for label, limit in LIMITS.items()] + [f"build {seconds:.0f} s (limit 120 s)"]
    print(f"\nAt {size:,} synthetic entries: " + "; ".join(verdicts) + ".")
    if len(rows) > 1:
        small, _, small_build, small_times = rows[0]
        large, _, large_build, large_times = rows[-1]
        growth = {label: (large_times[label] - small_times[label]) / (large - small) * 1e6
                  for label in labels}
        print(f"From {small:,} to {large:,} entries, each extra 1,000 entries adds "
              f"{(large_build - small_build) / (large - small) * 1000:.1f} s to the build and "
              + ", ".join(f"{ms:.1f} ms to {label}" for label, ms in growth.items()) + ".")


if __name__ == "__main__":
    main()
