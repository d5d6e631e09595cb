"""mkdocs hooks that feed the knowledge base into the site (listed in mkdocs.yml).

on_config loads and validates the content and writes the navigation; on_files adds a
generated page per term, category and index; on_page_markdown resolves [[links]] on
every page and adds related terms and backlinks to articles.
"""
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File

from kb import knowledge, pages
from kb.categories import CATEGORIES
from kb.errors import InvalidKnowledgeBase
from kb.project import find_project

_state: dict = {}


def on_config(config):
    project = find_project(Path(config.config_file_path).parent)
    kb, problems = knowledge.check(project)
    if problems:
        raise PluginError(str(InvalidKnowledgeBase(problems)))
    _state["kb"] = kb
    _state["abbreviations"] = pages.abbreviation_map(kb)
    config.nav = _navigation(kb)
    return config


def _navigation(kb: knowledge.KnowledgeBase) -> list:
    categories = [{name: pages.category_path(slug)} for slug, name in CATEGORIES.items()]
    articles = [{a.title: pages.article_path(a.slug)} for a in kb.articles.values()]
    hand_written = [{title: name} for title, name in (("Corrections", "corrections.md"),
                                                       ("Contribute", "contributing.md"))
                    if (kb.project.docs_dir / name).is_file()]
    return [
        {"Home": "index.md"},
        {"Glossary": [{"A-Z index": pages.GLOSSARY_INDEX}, {"Categories": categories},
                      {"Tags": pages.TAGS_PAGE}]},
        {"Articles": articles},
        *hand_written,
    ]


def on_files(files, config):
    kb = _state["kb"]
    generated = {
        pages.GLOSSARY_INDEX: pages.glossary_index(kb),
        pages.TAGS_PAGE: pages.tags_page(kb),
        pages.ABBREVIATIONS_SCRIPT: pages.abbreviations_script(kb),
        **{pages.category_path(c): pages.category_page(kb, c) for c in CATEGORIES},
        **{pages.term_path(t.slug): pages.term_page(kb, t, _edit_url(config, t.path))
           for t in kb.terms.values()},
    }
    for src_uri, content in generated.items():
        files.append(File.generated(config, src_uri, content=content))
    return files


def _edit_url(config, path: str) -> str | None:
    repo = config.repo_url
    return f"{repo.rstrip('/')}/edit/main/{path}" if repo else None


def on_page_markdown(markdown, page, config, files):
    kb = _state["kb"]
    src = page.file.src_uri
    markdown = pages.with_links(kb, markdown, src)
    article = kb.articles.get(Path(src).stem) if src.startswith("articles/") else None
    if article:
        page.meta.pop("tags", None)  # article tags would outweigh term names in site search
        extras = pages.link_sections(kb, article)
        markdown = f"# {article.title}\n\n{markdown.rstrip()}\n\n{extras}"
    return f"{markdown}\n\n{pages.abbreviations_for(markdown, _state['abbreviations'])}\n"
