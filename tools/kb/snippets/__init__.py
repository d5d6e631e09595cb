"""Code snippets of the content, found in their files with their real lines.

A snippet is an example of a glossary entry (``yaml_examples``) or a ``python`` fence of
a Markdown page (``markdown_fences``). ``runner`` runs them in a worker process that is
killed at its time limit; ``pytest_plugin`` makes each one a test item.
"""
import re
from dataclasses import dataclass
from pathlib import Path

from markdown_it import MarkdownIt

from ..content import load_term
from ..project import Project


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


def yaml_examples(project: Project, path: Path) -> tuple[list[Snippet], list[str]]:
    """The examples of one glossary file, or the problems that stop it from loading."""
    rel = project.relative(path)
    term, problems = load_term(path, rel, project.root)
    if term is None:
        return [], [str(p) for p in problems]
    return [Snippet(rel, f"example[{index}]", example.code, example.code_line,
                    example.output, example.output_line)
            for index, example in enumerate(term.examples)], []


def markdown_fences(project: Project, path: Path) -> list[Snippet]:
    text = path.read_text(encoding="utf-8").replace("\r\n", "\n")
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


def output_matches(expected: str, actual: str) -> bool:
    """Compare trimmed output line by line; '...' stands for any text."""
    def tidy(text):
        return "\n".join(line.rstrip() for line in text.strip().splitlines())
    pattern = ".*?".join(re.escape(part) for part in tidy(expected).split("..."))
    return re.fullmatch(pattern, tidy(actual), re.S) is not None
