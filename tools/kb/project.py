"""Where a project's files live, found from any directory inside it."""
import os
from pathlib import Path

from .errors import ProjectNotFound

CONTENT_SUFFIXES = (".yaml", ".yml")


class Project:
    """A knowledge-base project: the directory holding mkdocs.yml and glossary/."""

    __slots__ = ("root", "_state")
    bundled = False  # a BundledProject: the knowledge base a wheel carries

    def __init__(self, root: Path):
        self.root = root
        self._state: Path | None = None

    def __repr__(self) -> str:
        return f"Project({str(self.root)!r})"

    @property
    def glossary_dir(self) -> Path:
        return self.root / "glossary"

    @property
    def docs_dir(self) -> Path:
        """Hand-written pages, articles and assets: the sources of the site's docs tree."""
        return self.root / "docs"

    @property
    def articles_dir(self) -> Path:
        return self.docs_dir / "articles"

    @property
    def state_dir(self) -> Path:
        """Build products that are not committed: the index, the lock, staged trees;
        ``.kb/``, unless ``keep_state_in`` moved it (a checkout that cannot be written)."""
        return self._state or self.root / ".kb"

    def keep_state_in(self, directory: Path) -> None:
        self._state = directory

    @property
    def index_dir(self) -> Path:
        """A symlink to the current index (see kb.index)."""
        return self.state_dir / "index"

    @property
    def tree_dir(self) -> Path:
        """A symlink to the last docs tree the site was rendered from (see kb.site.tree)."""
        return self.state_dir / "tree"

    @property
    def lock_file(self) -> Path:
        return self.state_dir / "build.lock"

    @property
    def site_dir(self) -> Path:
        return self.root / "site"

    @property
    def site_config(self) -> Path:
        """The site engine's configuration (theme, Markdown extensions, scripts)."""
        return self.root / "mkdocs.yml"

    def relative(self, path: Path) -> str:
        try:
            return path.absolute().relative_to(self.root.absolute()).as_posix()
        except ValueError:
            return str(path)

    def term_files(self) -> list[Path]:
        """glossary/*.yaml (and *.yml, which validation asks to rename)."""
        return _content_files(self.glossary_dir, CONTENT_SUFFIXES)

    def article_files(self) -> list[Path]:
        return _content_files(self.articles_dir, (".md",))

    def page_files(self) -> list[Path]:
        """Hand-written pages at the top of docs/ (home, contributing, ...)."""
        return _content_files(self.docs_dir, (".md",))


class BundledProject(Project):
    """The knowledge base that an installed ``kb`` carries (see ``kb.bundle``), unpacked
    in the user's cache directory; ``manifest`` says what it is and when it was built."""

    __slots__ = ("manifest",)
    bundled = True

    def __init__(self, root: Path, manifest: dict):
        super().__init__(root)
        self.manifest = manifest

    def __repr__(self) -> str:
        return f"BundledProject({str(self.root)!r})"


def is_leftover(name: str) -> bool:
    """A hidden file, or an editor's lock, backup or swap file (``.#x.yaml``,
    ``#x.yaml#``, ``x.md~``): never content, never published, never a link's target."""
    return name.startswith((".", "#")) or name.endswith("~")


def real_inside(path: Path, folder: Path) -> Path | None:
    """Where a file really is, if that is inside ``folder`` and not in a hidden file or
    folder there; else None. A symbolic link may lead anywhere: to ``.git/config``,
    which holds a CI job's token, or to a secret beside the content."""
    try:
        real, base = path.resolve(strict=True), folder.resolve()
    except (OSError, RuntimeError):  # missing, or a loop
        return None
    inside = real.is_relative_to(base)
    return real if inside and not any(part.startswith(".")
                                       for part in real.relative_to(base).parts) else None


def _content_files(directory: Path, suffixes: tuple[str, ...]) -> list[Path]:
    """The files of a content directory, without editors' leftovers."""
    try:
        names = sorted(entry.name for entry in os.scandir(directory))
    except OSError:
        return []
    return [directory / name for name in names
            if name.endswith(suffixes) and not is_leftover(name)]


def find_project(start: Path | None = None, bundled: bool = True) -> Project:
    """The nearest directory at or above ``start`` holding mkdocs.yml and glossary/;
    outside any project (and without ``KB_ROOT``), the knowledge base this ``kb`` was
    installed with, if any (unless ``bundled`` is false)."""
    env_root = os.environ.get("KB_ROOT")
    try:
        here = Path(env_root) if env_root else (start or Path.cwd())
        here = here.resolve()
        for candidate in (here, *here.parents):
            if (candidate / "glossary").is_dir() and (candidate / "mkdocs.yml").is_file():
                return Project(candidate)
    except (OSError, RuntimeError) as error:  # a deleted cwd, a loop, a name too long
        raise ProjectNotFound(f"no knowledge base here: cannot resolve the directory "
                              f"({getattr(error, 'strerror', None) or error})") from None
    if bundled and not env_root:
        from .bundle import open_installed

        project = open_installed()
        if project is not None:
            return project
    raise ProjectNotFound(
        f"no knowledge base here: {here} is not inside a project "
        "(a directory with mkdocs.yml and glossary/); cd into one or set KB_ROOT."
    )
