"""Code snippets of the content, and how one is run as a test.

A snippet is an example of a glossary entry or a ``python`` fence of a Markdown page.
Running one compiles it against its real file and line, so a traceback points into
the YAML or Markdown; captures what it prints; enforces a time limit; and restores the
process state (working directory, environment, seeds) that the snippet may change.
"""
import contextlib
import io
import os
import random
import re
import signal
import sys
from dataclasses import dataclass
from pathlib import Path

from markdown_it import MarkdownIt

from .content import load_term
from .project import Project

DEFAULT_TIMEOUT = float(os.environ.get("KB_SNIPPET_TIMEOUT", "60"))
MAX_OUTPUT = 1_000_000  # characters kept of what a snippet prints


@dataclass(frozen=True)
class Snippet:
    path: str  # relative to the project root
    name: str  # example[0] or block[0]
    code: str
    line: int  # 1-based line of the code's first line
    expected: str | None = None
    expected_line: int | None = None


class SnippetFailure(Exception):
    """A snippet ran but did not do what its file says, at a given line."""

    def __init__(self, message: str, line: int):
        super().__init__(message)
        self.line = line


def term_snippets(project: Project, path: Path) -> tuple[list[Snippet], list[str]]:
    """The examples of one glossary file, or the problems that stop it from loading."""
    rel = project.relative(path)
    term, problems = load_term(path, rel)
    if term is None:
        return [], [str(p) for p in problems]
    snippets = []
    for index, example in enumerate(term.examples):
        snippets.append(Snippet(rel, f"example[{index}]", example.code, example.code_line,
                                example.output, _output_line(path, example.code_line)))
    return snippets, []


def _output_line(path: Path, code_line: int) -> int:
    """The line of the ``output:`` key following an example's code (for messages)."""
    lines = path.read_text(encoding="utf-8").splitlines()
    for number in range(code_line, len(lines)):
        if lines[number].lstrip().startswith("output:"):
            return number + 1
    return code_line


def markdown_snippets(project: Project, path: Path) -> list[Snippet]:
    text = path.read_text(encoding="utf-8")
    rel = project.relative(path)
    fences = [t for t in MarkdownIt("commonmark").parse(text)
              if t.type == "fence" and t.info.strip().split()[:1] == ["python"]]
    return [Snippet(rel, f"block[{i}]", token.content, token.map[0] + 2)
            for i, token in enumerate(fences)]


def count_code_blocks(project: Project) -> int:
    """An independent count of every example and python fence, for the guard test."""
    count = 0
    for path in project.term_files():
        count += len(re.findall(r"^\s*-?\s*code:", path.read_text(encoding="utf-8"), re.M))
    for path in project.docs_dir.rglob("*.md"):
        count += len(re.findall(r"^(?:```|~~~)\s*python\b", path.read_text(encoding="utf-8"), re.M))
    return count


class _Timeout(BaseException):
    pass


def _on_alarm(signum, frame):
    raise _Timeout()


def output_matches(expected: str, actual: str) -> bool:
    """Compare trimmed output line by line; '...' stands for any text."""
    def tidy(text):
        return "\n".join(line.rstrip() for line in text.strip().splitlines())
    pattern = ".*?".join(re.escape(part) for part in tidy(expected).split("..."))
    return re.fullmatch(pattern, tidy(actual), re.S) is not None


def run(snippet: Snippet, namespace: dict, timeout: float = DEFAULT_TIMEOUT) -> str:
    """Run a snippet in ``namespace``; return what it printed or raise what went wrong."""
    code = compile("\n" * (snippet.line - 1) + snippet.code, snippet.path, "exec")
    saved_cwd, saved_env = os.getcwd(), dict(os.environ)
    saved_argv = list(sys.argv)
    _seed_everything()
    buffer = io.StringIO()
    previous = signal.signal(signal.SIGALRM, _on_alarm)
    signal.setitimer(signal.ITIMER_REAL, timeout)
    try:
        with contextlib.redirect_stdout(buffer):
            exec(code, namespace)
    except _Timeout:
        raise SnippetFailure(f"did not finish within its time limit of {timeout:g} s",
                             snippet.line) from None
    except SystemExit as error:
        raise SnippetFailure(f"called sys.exit({error.code!r}); a snippet must run to its end",
                             snippet.line) from None
    except KeyboardInterrupt:
        raise SnippetFailure("raised KeyboardInterrupt", snippet.line) from None
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
        os.chdir(saved_cwd)
        os.environ.clear()
        os.environ.update(saved_env)
        sys.argv[:] = saved_argv
        _reset_keras()
    printed = buffer.getvalue()[:MAX_OUTPUT]
    if snippet.expected is not None and not output_matches(snippet.expected, printed):
        raise SnippetFailure(
            "printed output differs from the expected output\n"
            f"--- expected ({snippet.path}:{snippet.expected_line})\n{snippet.expected.rstrip()}\n"
            f"--- printed\n{printed.rstrip()}",
            snippet.expected_line or snippet.line,
        )
    return printed


def _seed_everything(seed: int = 0) -> None:
    random.seed(seed)
    if "numpy" in sys.modules:
        sys.modules["numpy"].random.seed(seed)
    if "keras" in sys.modules:
        sys.modules["keras"].utils.set_random_seed(seed)


def _reset_keras() -> None:
    if "keras" in sys.modules:
        sys.modules["keras"].backend.clear_session()
