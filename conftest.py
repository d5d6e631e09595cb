"""pytest collects every snippet of the content as its own test item.

``glossary/<slug>.yaml::example[N]`` runs an entry's example in a fresh namespace;
``docs/.../<page>.md::block[N]`` runs a page's python fences in order, in one namespace
per page. A failure points at the file and line of the snippet.
"""
import os
import traceback
from pathlib import Path

import pytest

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
os.environ.setdefault("KERAS_BACKEND", "tensorflow")
os.environ.setdefault("TF_ENABLE_ONEDNN_OPTS", "0")

from kb import snippets  # noqa: E402
from kb.project import Project  # noqa: E402

PROJECT = Project(Path(__file__).parent.resolve())


def pytest_collect_file(file_path: Path, parent):
    try:
        rel = file_path.resolve().relative_to(PROJECT.root)
    except ValueError:
        return None
    if rel.parts[0] == "glossary" and file_path.suffix == ".yaml" and len(rel.parts) == 2:
        return GlossaryFile.from_parent(parent, path=file_path)
    if rel.parts[0] == "docs" and file_path.suffix == ".md":
        return MarkdownFile.from_parent(parent, path=file_path)
    return None


class GlossaryFile(pytest.File):
    def collect(self):
        found, problems = snippets.term_snippets(PROJECT, self.path)
        if problems:
            yield BrokenFile.from_parent(self, name="load", problems=problems)
        for snippet in found:
            yield SnippetItem.from_parent(self, name=snippet.name, snippet=snippet)


class MarkdownFile(pytest.File):
    """The blocks of one page share a namespace, so later blocks continue earlier ones."""

    def collect(self):
        self.namespace = {"__name__": "__snippet__"}
        self.done = 0
        self.blocks = snippets.markdown_snippets(PROJECT, self.path)
        for snippet in self.blocks:
            yield SnippetItem.from_parent(self, name=snippet.name, snippet=snippet)


class BrokenFile(pytest.Item):
    def __init__(self, *, problems, **kwargs):
        super().__init__(**kwargs)
        self.problems = problems

    def runtest(self):
        raise snippets.SnippetFailure("the file does not load:\n" + "\n".join(self.problems), 1)

    def repr_failure(self, excinfo):
        return str(excinfo.value)


class SnippetItem(pytest.Item):
    def __init__(self, *, snippet, **kwargs):
        super().__init__(**kwargs)
        self.snippet = snippet

    def runtest(self):
        if isinstance(self.parent, MarkdownFile):
            page = self.parent
            position = page.blocks.index(self.snippet)
            for earlier in page.blocks[page.done:position]:  # when run on its own (-k)
                snippets.run(earlier, page.namespace)
            page.done = position + 1
            snippets.run(self.snippet, page.namespace)
        else:
            snippets.run(self.snippet, {"__name__": "__snippet__"})

    def reportinfo(self):
        return self.path, self.snippet.line - 1, f"{self.snippet.path}::{self.snippet.name}"

    def repr_failure(self, excinfo):
        error = excinfo.value
        if isinstance(error, snippets.SnippetFailure):
            return f"{self.snippet.path}:{error.line}: {error}"
        frames = [f for f in traceback.extract_tb(excinfo.tb) if f.filename == self.snippet.path]
        lines = self.path.read_text(encoding="utf-8").splitlines()
        shown = []
        for frame in frames:
            text = lines[frame.lineno - 1].strip() if 0 < frame.lineno <= len(lines) else ""
            shown.append(f"{frame.filename}:{frame.lineno}: {text}")
        message = "".join(traceback.format_exception_only(type(error), error)).strip()
        if not frames:
            return super().repr_failure(excinfo)
        return "\n".join([*shown, message])
