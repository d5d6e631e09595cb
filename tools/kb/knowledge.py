"""The loaded, validated knowledge base: names resolved, links and backlinks known."""
from dataclasses import dataclass, field

from .content import load_articles, load_pages, load_terms
from .errors import InvalidKnowledgeBase
from .links import find_links, name_key
from .model import Article, Term
from .problem import Problem
from .project import Project
from .validation import validate


@dataclass
class KnowledgeBase:
    project: Project
    terms: dict[str, Term]  # slug -> term, sorted by display name
    articles: dict[str, Article]
    names: dict[str, str] = field(default_factory=dict)  # name_key -> term slug
    backlinks: dict[str, list[Term | Article]] = field(default_factory=dict)

    def resolve(self, target: str) -> Term | None:
        slug = self.names.get(name_key(target))
        return self.terms.get(slug) if slug else None

    def related(self, page: Term | Article) -> list[Term]:
        found = (self.resolve(target) for target in page.related)
        return list(dict.fromkeys(term for term in found if term is not None and term is not page))

    def linked_terms(self, page: Term | Article) -> list[Term]:
        """Terms a page points at, by [[links]] or in its related list."""
        text = page.definition if isinstance(page, Term) else page.body
        targets = [link.target for link in find_links(text)] + list(page.related)
        found = (self.resolve(target) for target in targets)
        return list(dict.fromkeys(term for term in found if term is not None and term is not page))


def check(project: Project) -> tuple[KnowledgeBase | None, list[Problem]]:
    """Load and validate everything; the knowledge base is None when anything is wrong."""
    terms, problems = load_terms(project)
    articles, article_problems = load_articles(project)
    pages, page_problems = load_pages(project)
    problems += article_problems + page_problems
    problems += validate(terms, articles, pages)
    if problems:
        return None, sorted(problems)
    return assemble(project, terms, articles), []


def load(project: Project) -> KnowledgeBase:
    knowledge, problems = check(project)
    if problems:
        raise InvalidKnowledgeBase(problems)
    return knowledge


def assemble(project: Project, terms: list[Term], articles: list[Article]) -> KnowledgeBase:
    by_name = sorted(terms, key=lambda t: (t.term.casefold(), t.slug))
    knowledge = KnowledgeBase(
        project=project,
        terms={t.slug: t for t in by_name},
        articles={a.slug: a for a in sorted(articles, key=lambda a: a.title.casefold())},
    )
    for term in terms:
        for name in term.names:
            knowledge.names.setdefault(name_key(name), term.slug)
    for page in [*knowledge.terms.values(), *knowledge.articles.values()]:
        for target in knowledge.linked_terms(page):
            knowledge.backlinks.setdefault(target.slug, []).append(page)
    return knowledge
