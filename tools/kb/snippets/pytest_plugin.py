"""pytest collects every snippet of the content as its own test item (Sybil-style).

``glossary/<slug>.yaml::example[N]`` runs an entry's example in a fresh namespace;
``docs/.../<page>.md::block[N]`` runs a page's python fences in order, in one namespace
per page. A failure points at the file and line of the snippet. Enabled by the root
conftest.py: ``pytest_plugins = ["kb.snippets.pytest_plugin"]``.
"""
from pathlib import Path

import pytest

from ..project import Project, find_project
from . import Snippet, SnippetFailure, markdown_fences, yaml_examples
from .runner import Runner

_runner = Runner()


def pytest_collect_file(file_path: Path, parent):
    try:
        project = find_project(Path(str(parent.config.rootpath)))
        rel = file_path.absolute().relative_to(project.root)
    except Exception:  # noqa: BLE001 - not a file of a knowledge base
        return None
    if rel.parts[0] == "glossary" and file_path.suffix == ".yaml" and len(rel.parts) == 2:
        return SnippetFile.from_parent(parent, path=file_path, project=project)
    if rel.parts[0] == "docs" and file_path.suffix == ".md":
        return SnippetFile.from_parent(parent, path=file_path, project=project)
    return None


def pytest_unconfigure(config):
    _runner.stop()


class SnippetFile(pytest.File):
    """A content file; a Markdown page's blocks share one namespace in the worker."""

    def __init__(self, *, project: Project, **kwargs):
        super().__init__(**kwargs)
        self.project = project
        self.snippets: list[Snippet] = []
        self.done = 0

    def collect(self):
        if self.path.suffix == ".md":
            self.snippets = markdown_fences(self.project, self.path)
        else:
            self.snippets, problems = yaml_examples(self.project, self.path)
            if problems:
                yield BrokenFile.from_parent(self, name="load", problems=problems)
        for snippet in self.snippets:
            yield SnippetItem.from_parent(self, name=snippet.name, snippet=snippet)

    @property
    def shares_namespace(self) -> bool:
        return self.path.suffix == ".md"


class BrokenFile(pytest.Item):
    def __init__(self, *, problems, **kwargs):
        super().__init__(**kwargs)
        self.problems = problems

    def runtest(self):
        raise SnippetFailure("the file does not load:\n" + "\n".join(self.problems), 1)

    def repr_failure(self, excinfo):
        return str(excinfo.value)


class SnippetItem(pytest.Item):
    def __init__(self, *, snippet: Snippet, **kwargs):
        super().__init__(**kwargs)
        self.snippet = snippet

    def runtest(self):
        page = self.parent
        if not page.shares_namespace:
            _runner.run(self.snippet)
            return
        namespace = self.snippet.path
        position = page.snippets.index(self.snippet)
        if namespace not in _runner.namespaces:  # first block, alone (-k), or after a kill
            page.done = 0
        for earlier in page.snippets[page.done:position]:
            _runner.run(earlier, namespace)
        page.done = position + 1
        _runner.run(self.snippet, namespace)

    def reportinfo(self):
        return self.path, self.snippet.line - 1, f"{self.snippet.path}::{self.snippet.name}"

    def repr_failure(self, excinfo):
        error = excinfo.value
        if isinstance(error, SnippetFailure):
            if "\n" in str(error) and str(error).startswith(self.snippet.path):
                return str(error)
            return f"{self.snippet.path}:{error.line}: {error}"
        return super().repr_failure(excinfo)
