"""The loaded knowledge base: names resolved, links and backlinks known.

``load`` is the one place the content is read: it loads every file, validates it and
assembles the result, which the site and the index are then both written from.
"""
import os
from dataclasses import dataclass, field
from pathlib import Path

from .content import load_articles, load_pages, load_terms
from .errors import InvalidKnowledgeBase
from .links import Link, find_links, link_label, name_key
from .model import Article, Term
from .problem import ERROR, Problem
from .project import Project, is_leftover, real_inside
from .site.engine import PAGE_SUFFIXES, UNPUBLISHED
from .validation import validate


@dataclass
class KnowledgeBase:
    project: Project
    terms: dict[str, Term]  # slug -> term, sorted by display name
    articles: dict[str, Article]
    pages: list[Article] = field(default_factory=list)  # hand-written pages of docs/
    names: dict[str, str] = field(default_factory=dict)  # name_key -> term slug
    backlinks: dict[str, list[Term | Article]] = field(default_factory=dict)
    warnings: list[Problem] = field(default_factory=list)

    def resolve(self, target: str) -> Term | None:
        slug = self.names.get(name_key(target))
        return self.terms.get(slug) if slug else None

    def label(self, link: Link) -> str:
        """What a [[link]] reads as: its label, or the name of the term it points at."""
        link = self.named(link)
        term = self.resolve(link.target)
        return link_label(link, term.title if term else None)

    def named(self, link: Link) -> Link:
        """The link, without a label that is only its term's slug spelt out
        ([[vanishing-gradient|vanishing-gradient]]): it reads as the term's name, as an
        unlabelled link does, never as an id. A name spelt like the slug stays (VQ-VAE)."""
        term = self.resolve(link.target) if link.label else None
        if term is not None and "-" in term.slug and link.label == term.slug and \
                term.slug not in {name.casefold() for name in (term.title, *term.aliases)}:
            return link._replace(label=None)
        return link

    def keyword_owners(self) -> dict[str, list[str]]:
        """Each normalised keyword that no entry has as a name -> the slugs of the terms
        that list it, sorted: ``kb lookup`` answers a keyword one term lists with that
        term (``Dense``, the Keras class, is a keyword of *Dense layer*), and lists the
        terms when several do ("metric learning": *Contrastive loss*, *Triplet loss*)."""
        names = {name_key(name) for entry in self.entries() for name in entry.names}
        owners: dict[str, set[str]] = {}
        for term in self.terms.values():
            for key in {name_key(keyword) for keyword in term.keywords} - names - {""}:
                owners.setdefault(key, set()).add(term.slug)
        return {key: sorted(slugs) for key, slugs in owners.items()}

    def related(self, page: Term | Article) -> list[Term]:
        found = (self.resolve(target) for target in page.related)
        return list(dict.fromkeys(term for term in found if term is not None and term is not page))

    def linked_terms(self, page: Term | Article) -> list[Term]:
        """Terms a page points at, by [[links]] or in its related list."""
        targets = [link.target for link in find_links(page.markdown)] + list(page.related)
        found = (self.resolve(target) for target in targets)
        return list(dict.fromkeys(term for term in found if term is not None and term is not page))

    def entries(self) -> list[Term | Article]:
        return [*self.terms.values(), *self.articles.values()]


def check(project: Project, rendered: bool = False) -> tuple[KnowledgeBase | None, list[Problem]]:
    """Load and validate everything; the knowledge base is None when an error is found.
    The problems are every error and warning, sorted. ``rendered`` also checks the HTML
    the site's renderer makes of the Markdown (``site.safety``: seconds, so only for
    ``kb check`` and a site build, not for the index a lookup rebuilds)."""
    terms, problems = load_terms(project)
    articles, article_problems = load_articles(project)
    pages, page_problems = load_pages(project)
    problems += article_problems + page_problems
    docs_files, file_problems = _docs_files(project)
    problems += file_problems + validate(terms, articles, pages, docs_files)
    problems = sorted(set(problems))
    if any(p.severity == ERROR for p in problems):
        return None, problems
    knowledge_base = assemble(project, terms, articles, pages)
    if rendered:
        from .site.safety import rendered_problems

        unsafe = rendered_problems(knowledge_base)
        if unsafe:
            return None, sorted(set(problems + unsafe))
    knowledge_base.warnings = problems
    return knowledge_base, problems


def load(project: Project, strict: bool = True, rendered: bool = False) -> KnowledgeBase:
    """The knowledge base, or InvalidKnowledgeBase with every problem (warnings count
    when ``strict``; ``rendered`` as for ``check``)."""
    knowledge_base, problems = check(project, rendered)
    if knowledge_base is None or (strict and problems):
        raise InvalidKnowledgeBase(problems)
    return knowledge_base


def assemble(project: Project, terms: list[Term], articles: list[Article],
             pages: list[Article] = ()) -> KnowledgeBase:
    by_name = sorted(terms, key=lambda t: (t.title.casefold(), t.slug))
    knowledge_base = KnowledgeBase(
        project=project,
        terms={t.slug: t for t in by_name},
        articles={a.slug: a for a in sorted(articles, key=lambda a: a.title.casefold())},
        pages=list(pages),
    )
    for term in terms:
        for name in term.names:
            knowledge_base.names.setdefault(name_key(name), term.slug)
    for page in knowledge_base.entries():
        for target in knowledge_base.linked_terms(page):
            knowledge_base.backlinks.setdefault(target.slug, []).append(page)
    return knowledge_base


ACTIVE_SUFFIXES = (".html", ".htm", ".xhtml", ".svg", ".xml", ".js", ".mjs")  # a browser runs


def _docs_files(project: Project) -> tuple[list[str], list[Problem]]:
    """Every published file under docs/, relative to it (what a relative link may reach),
    and a problem for each file that the site would publish unchecked: a symbolic link
    that leads out of docs/ (or into a hidden folder, or nowhere), a page the engine
    renders that kb does not load and check, a file that a browser runs outside
    docs/assets/ (the site's own code, reviewed as code), a folder the engine leaves out."""
    found, problems = [], []
    loaded = {project.relative(path) for path in [*project.page_files(),
                                                  *project.article_files()]}
    for folder, dirs, files in os.walk(project.docs_dir):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        base = os.path.relpath(folder, project.docs_dir)
        if base == ".":
            problems += [Problem(project.relative(Path(folder) / d), 0, "file", "is a folder "
                                 "the site engine never publishes; rename it")
                         for d in dirs if d in UNPUBLISHED]
            dirs[:] = [d for d in dirs if d not in UNPUBLISHED]
        assets = base == "assets" or base.startswith("assets" + os.sep)
        for name in (name for name in sorted(files) if not is_leftover(name)):
            path = Path(folder) / name
            rel = project.relative(path)
            why = None
            if path.is_symlink() and real_inside(path, project.docs_dir) is None:
                why = ("is a symbolic link that leads out of docs/, into a hidden folder, or "
                       "nowhere; it is never published")
            elif name.lower().endswith(PAGE_SUFFIXES) and rel not in loaded:
                why = ("would be published as a page, unchecked; pages are docs/*.md and "
                       "docs/articles/*.md")
            elif name.lower().endswith(ACTIVE_SUFFIXES) and not assets:
                why = ("runs in a browser (HTML, SVG, XML or JavaScript); such files belong "
                       "in docs/assets/, with the site's code")
            if why:
                problems.append(Problem(rel, 0, "file", why))
            else:
                found.append(os.path.normpath(os.path.join(base, name)))
    return found, problems
