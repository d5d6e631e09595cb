"""The docs tree the site engine renders: every page as a plain Markdown file, the
hand-written pages and assets, the abbreviation data, and the engine's config with the
navigation. Written from a loaded knowledge base; no kb code runs inside the engine.
"""
import html
import json
import os
import shutil
from pathlib import Path

from ..categories import CATEGORIES
from ..errors import KBError
from ..knowledge import KnowledgeBase
from ..project import is_leftover, real_inside
from . import api, pages
from .abbreviations import abbreviation_map, abbreviations_script
from .engine import CONFIG_NAME, setting, site_url
from .layout import (
    ABBREVIATIONS_DATA,
    ARTICLES_INDEX,
    GLOSSARY_INDEX,
    HOME,
    STATUS_DATA,
    TAGS_PAGE,
    TITLES_DATA,
    category_path,
    page_path,
    term_path,
)
from .reading import reading_path
from .search_data import SEARCH_DATA, search_data

DOCS = "docs"  # the tree's folder of pages, beside its config file
OVERRIDES = "overrides"  # the project's theme overrides (mkdocs.yml's custom_dir), copied
HAND_WRITTEN_NAV = (("Corrections", "corrections.md"), ("Contribute", "contributing.md"))


def tree_files(knowledge_base: KnowledgeBase) -> dict[str, str]:
    """Every generated file of the docs tree: path -> text."""
    abbreviations = abbreviation_map(knowledge_base)
    repo = setting(knowledge_base.project, "repo_url")

    def source_url(path: str) -> str | None:
        return f"{repo.rstrip('/')}/edit/main/{path}" if repo else None

    neighbours = pages.category_neighbours(knowledge_base)
    files = {
        GLOSSARY_INDEX: pages.glossary_index(knowledge_base),
        TAGS_PAGE: pages.tags_page(knowledge_base),
        ARTICLES_INDEX: pages.articles_index(knowledge_base),
        **{category_path(c): pages.category_page(knowledge_base, c) for c in CATEGORIES},
        **{term_path(t.slug): pages.term_page(knowledge_base, t, source_url(t.path),
                                              neighbours[t.slug])
           for t in knowledge_base.terms.values()},
        **{page_path(a): pages.article_page(knowledge_base, a)
           for a in knowledge_base.articles.values()},
        **{page_path(p): pages.hand_written_page(knowledge_base, p)
           for p in knowledge_base.pages},
    }
    files = {path: pages.with_abbreviations(markdown, abbreviations)
             for path, markdown in files.items()}
    files[ABBREVIATIONS_DATA] = abbreviations_script(knowledge_base)
    files[STATUS_DATA] = status_script([])
    files[TITLES_DATA] = pages.titles_data(knowledge_base)
    files[SEARCH_DATA] = search_data(knowledge_base)  # the search box's, loaded on use
    return files


_STATUS_BANNER = """
document.addEventListener("DOMContentLoaded", () => {
  if (!window.kbProblems.length) return;
  const banner = document.createElement("div");
  banner.className = "kb-problems";
  banner.setAttribute("role", "alert");
  const heading = document.createElement("strong");
  heading.textContent = "kb serve: the content has problems; this is the last good site.";
  banner.appendChild(heading);
  for (const problem of window.kbProblems) {
    const line = document.createElement("pre");
    line.textContent = problem;
    banner.appendChild(line);
  }
  document.body.prepend(banner);
});
"""


def status_script(problems: list) -> str:
    """What ``kb serve`` shows on every page while the content is invalid (nothing when
    it is valid); text only, never HTML."""
    return f"window.kbProblems = {json.dumps([str(p) for p in problems])};\n{_STATUS_BANNER}"


def navigation(knowledge_base: KnowledgeBase) -> list:
    categories = [{name: category_path(slug)} for slug, name in CATEGORIES.items()]
    in_order = [a for _, part in reading_path(knowledge_base) for a in part]
    articles = [{"All articles": ARTICLES_INDEX},
                *({html.escape(a.title): page_path(a)} for a in in_order)]
    present = {page_path(p) for p in knowledge_base.pages}
    hand_written = [{title: name} for title, name in HAND_WRITTEN_NAV if name in present]
    return [
        {"Home": HOME},
        {"Glossary": [{"A-Z index": GLOSSARY_INDEX}, {"Categories": categories},
                      {"Tags": TAGS_PAGE}]},
        {"Articles": articles},
        *hand_written,
    ]


def config_text(knowledge_base: KnowledgeBase) -> str:
    """The tree's engine config: the project's own config plus where the pages are and
    the navigation (JSON is YAML, so no YAML library is needed to write it)."""
    config = {"INHERIT": str(knowledge_base.project.site_config.resolve()),
              "site_url": site_url(knowledge_base.project), "docs_dir": DOCS,
              "nav": navigation(knowledge_base)}
    return json.dumps(config, indent=1) + "\n"


def write_tree(knowledge_base: KnowledgeBase, tree: Path) -> None:
    """Write the complete tree into ``tree``, which must not exist yet."""
    docs = tree / DOCS
    _copy_sources(knowledge_base.project.docs_dir, docs)
    overrides = knowledge_base.project.root / OVERRIDES
    (tree / OVERRIDES).mkdir(parents=True, exist_ok=True)  # the config names it: it exists
    if overrides.is_dir():
        _copy_sources(overrides, tree / OVERRIDES)
    for path, content in tree_files(knowledge_base).items():
        target = docs / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(content, encoding="utf-8")
    api.write_api(knowledge_base, docs)  # api/: the knowledge as JSON, and its schemas
    (tree / CONFIG_NAME).write_text(config_text(knowledge_base), encoding="utf-8")


def update_tree(knowledge_base: KnowledgeBase, tree: Path) -> int:
    """Bring an existing tree up to date for ``kb serve``, rewriting only the files that
    changed (so the engine's watcher rebuilds only what it must); returns how many. A
    tree that holds a symbolic link (kb writes none) is written anew instead, so that
    nothing is written or removed through a link out of the project."""
    fresh = tree.parent / f".{tree.name}-new"
    remove(fresh)
    if tree.is_symlink() or not tree.is_dir() or has_links(tree):
        remove(tree)
        write_tree(knowledge_base, tree)
        return 1
    write_tree(knowledge_base, fresh)
    changed = 0
    wanted = set()
    for source in fresh.rglob("*"):
        if source.is_dir():
            continue
        relative = source.relative_to(fresh)
        wanted.add(relative)
        target = tree / relative
        if not target.is_file() or target.read_bytes() != source.read_bytes():
            target.parent.mkdir(parents=True, exist_ok=True)
            os.replace(source, target)
            changed += 1
    for old in [p for p in tree.rglob("*") if p.is_file()]:
        if old.relative_to(tree) not in wanted:
            old.unlink()
            changed += 1
    remove(fresh)
    return changed


def has_links(tree: Path) -> bool:
    """Whether a symbolic link is anywhere in the tree (not followed)."""
    return any(path.is_symlink() for path in tree.rglob("*"))


def remove(path: Path) -> None:
    """Remove a file, a link (never what it points at) or a directory, if there."""
    if path.is_symlink() or path.is_file():
        path.unlink()
    elif path.is_dir():
        shutil.rmtree(path)


def _copy_sources(source: Path, target: Path) -> None:
    """Hand-written pages and assets, copied as files. A symbolic link is followed only
    to a file inside ``source`` and not hidden there (``knowledge`` refuses the others);
    hidden files and editor leftovers are not published."""
    for folder, dirs, files in os.walk(source):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        here = Path(folder)
        for name in sorted(files):
            if is_leftover(name):
                continue
            path = here / name
            real = real_inside(path, source)
            if real is None:
                raise KBError(f"{path}: a symbolic link that leads out of {source.name}/, "
                              "into a hidden folder, or nowhere, is never published")
            destination = target / path.relative_to(source)
            destination.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(real, destination)
