"""Where a project's files live, found from any directory inside it."""
import os
from pathlib import Path

from .errors import ProjectNotFound

INDEX_FORMAT = "5"


class Project:
    """A knowledge-base project: the directory holding mkdocs.yml and glossary/."""

    __slots__ = ("root",)

    def __init__(self, root: Path):
        self.root = root

    def __repr__(self) -> str:
        return f"Project({str(self.root)!r})"

    @property
    def glossary_dir(self) -> Path:
        return self.root / "glossary"

    @property
    def docs_dir(self) -> Path:
        return self.root / "docs"

    @property
    def articles_dir(self) -> Path:
        return self.docs_dir / "articles"

    @property
    def state_dir(self) -> Path:
        """Build products that are not committed: the index, build locks, staged sites."""
        return self.root / ".kb"

    @property
    def site_dir(self) -> Path:
        return self.root / "site"

    @property
    def mkdocs_yml(self) -> Path:
        return self.root / "mkdocs.yml"

    def relative(self, path: Path) -> str:
        try:
            return path.resolve().relative_to(self.root.resolve()).as_posix()
        except ValueError:
            return str(path)

    def term_files(self) -> list[Path]:
        return sorted(self.glossary_dir.glob("*.yaml"))

    def article_files(self) -> list[Path]:
        return sorted(self.articles_dir.glob("*.md")) if self.articles_dir.is_dir() else []


def find_project(start: Path | None = None) -> Project:
    """The nearest directory at or above ``start`` holding mkdocs.yml and glossary/."""
    env_root = os.environ.get("KB_ROOT")
    here = Path(env_root) if env_root else (start or Path.cwd())
    here = here.resolve()
    for candidate in (here, *here.parents):
        if (candidate / "glossary").is_dir() and (candidate / "mkdocs.yml").is_file():
            return Project(candidate)
    raise ProjectNotFound(
        f"no knowledge base here: {here} is not inside a project "
        "(a directory with mkdocs.yml and glossary/); cd into one or set KB_ROOT."
    )
