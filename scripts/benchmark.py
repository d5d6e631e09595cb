"""Time `kb` as a user meets it, and report medians and ratios measured in one run.

    python scripts/benchmark.py            # start-up, lookup, search, build
    python scripts/benchmark.py --suite    # ... and the whole test suite (one run)
    python scripts/benchmark.py --root DIR --runs 3   # on another project (a scratch copy)

Each command runs as a fresh process (a cold start) several times, the commands in turn
(so that a change in the machine's load shifts them all alike); the table gives the
median and its ratio to the same interpreter's bare start-up, `python -c pass`, started
the same way (piped, or in a terminal).
"""
import argparse
import os
import pty
import statistics
import subprocess
import sys
import time
from pathlib import Path

from common import KB_COMMAND, ROOT, cached_bytecode_env
from kb.project import find_project

PYTHON = sys.executable
ENV = cached_bytecode_env()  # kb as an installed program runs: bytecode cached


def timed(commands: list[tuple[list[str], bool]], runs: int, project: Path) -> list[float]:
    """The median time of each (command, in a terminal?), their runs interleaved (one run
    of each in turn), so that a change in the machine's load shifts them all alike and
    their ratios hold."""
    samples: list[list[float]] = [[] for _ in commands]
    for _ in range(runs):
        for (command, tty), times in zip(commands, samples, strict=True):
            started = time.perf_counter()
            if tty:
                _run_in_terminal(command, project)
            else:
                subprocess.run(command, cwd=project, stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL, check=False, env=ENV)
            times.append(time.perf_counter() - started)
    return [statistics.median(times) for times in samples]


def _run_in_terminal(command: list[str], project: Path) -> None:
    """Run with stdout on a pseudo-terminal, as when a user types the command."""
    pid, fd = pty.fork()
    if pid == 0:
        os.chdir(project)
        os.execve(command[0], command, ENV)
    while True:
        try:
            if not os.read(fd, 65536):
                break
        except OSError:
            break
    os.waitpid(pid, 0)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--suite", action="store_true", help="also time the test suite")
    parser.add_argument("--root", type=Path, default=ROOT,
                        help="the project to time (default: this one, or KB_ROOT when set)")
    args = parser.parse_args()
    project = find_project(args.root).root

    kb = KB_COMMAND  # the installed command, as a user starts it
    subprocess.run([*kb, "build"], cwd=project, check=True, capture_output=True, env=ENV)
    bare = [PYTHON, "-c", "pass"]
    cases = [
        ("`python -c pass` (bare start-up)", bare, False),
        ("`kb lookup relu` (exact, piped)", [*kb, "lookup", "relu"], False),
        ("`kb lookup CNN` (alias, piped)", [*kb, "lookup", "CNN"], False),
        ("`python -c pass` in a terminal (bare start-up there)", bare, True),
        ("`kb lookup relu --no-pager` (in a terminal)", [*kb, "lookup", "relu", "--no-pager"],
         True),
        ("`kb lookup convolushun` (corrected)", [*kb, "lookup", "convolushun"], False),
        ('`kb params "Conv2D(32, (3, 3))" --input 28,28,1`',
         [*kb, "params", "Conv2D(32, (3, 3))", "--input", "28,28,1"], False),
        ('`kb search "why do gradients vanish"`', [*kb, "search", "why do gradients vanish"],
         False),
    ]
    medians = timed([(command, tty) for _, command, tty in cases], args.runs, project)
    # each ratio is to bare start-up measured the same way: piped, or in a terminal
    rows = [(label, seconds, medians[3] if tty else medians[0])
            for (label, _, tty), seconds in zip(cases, medians, strict=True)]
    [build] = timed([([*kb, "build"], False)], 3, project)
    rows.append(("`kb build` (site + index, median of 3)", build, None))
    slowest = []
    if args.suite:
        started = time.perf_counter()
        run = subprocess.run([PYTHON, "-m", "pytest", "-q", "-n", "2", "--dist", "loadfile",
                              "--durations=10", "--durations-min=0"],
                             cwd=ROOT, check=False, capture_output=True, text=True)
        rows.append(("`pytest` (whole suite, one run)", time.perf_counter() - started, None))
        summary = [line for line in run.stdout.splitlines() if " passed" in line][-1:]
        slowest = [line for line in run.stdout.splitlines()
                   if line.strip() and line.split()[0].endswith("s")
                   and " call " in line][:10]
        from kb import snippets
        from kb.project import Project
        count = snippets.count_code_blocks(Project(ROOT))

    print(f"{os.cpu_count()} cores, Python {sys.version.split()[0]}, "
          f"{args.runs} cold runs per command unless noted\n")
    print("| command | median | ratio to bare start-up |\n|---|---|---|")
    for label, seconds, bare_seconds in rows:
        ratio = f"{seconds / bare_seconds:.1f}x" if bare_seconds else ""
        print(f"| {label} | {seconds * 1000:.0f} ms | {ratio} |")
    if args.suite:
        print(f"\n{count} content snippets; {' '.join(summary)}\n\nten slowest tests:")
        print("\n".join(f"    {line}" for line in slowest))


if __name__ == "__main__":
    main()
