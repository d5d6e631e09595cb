"""Where each page of the site lives in the docs tree, and links between them.

Paths are relative to the docs tree (``glossary/relu.md``); the engine turns them into
URLs (``glossary/relu/``) with directory URLs on.
"""
from ..categories import CATEGORIES

HOME = "index.md"
GLOSSARY_INDEX = "glossary/index.md"
TAGS_PAGE = "glossary/tags.md"
ARTICLES_INDEX = "articles/index.md"
ABBREVIATIONS_DATA = "assets/javascripts/abbreviations.js"
STATUS_DATA = "assets/javascripts/kb-status.js"  # problems `kb serve` shows on every page
TITLES_DATA = "assets/javascripts/titles.json"  # every entry's URL and names (the 404 page's)


def term_path(slug: str) -> str:
    return f"glossary/{slug}.md"


def category_path(category: str) -> str:
    return f"glossary/categories/{category}.md"


def article_path(slug: str) -> str:
    return f"articles/{slug}.md"


def page_path(page) -> str:
    """The docs-tree path of a term, an article or a hand-written page."""
    if page.kind == "term":
        return term_path(page.slug)
    return page.path.removeprefix("docs/")


def url_path(path: str) -> str:
    """The URL of a docs-tree page, relative to the site's root (directory URLs)."""
    stem = path.removesuffix(".md")
    if stem == "index" or stem.endswith("/index"):
        return stem.removesuffix("index")
    return stem + "/"


def href(from_path: str, to_path: str) -> str:
    """A relative link from one docs-tree page to another, as the engine expects it
    (``posixpath.relpath`` from the first page's folder, for normalised paths)."""
    base = from_path.split("/")[:-1]
    target = to_path.split("/")
    common = 0
    while common < len(base) and common < len(target) - 1 and base[common] == target[common]:
        common += 1
    return "/".join([".."] * (len(base) - common) + target[common:])


def generated_pages(terms) -> set[str]:
    """Every page the build writes that has no source file of its own."""
    return {GLOSSARY_INDEX, TAGS_PAGE, ARTICLES_INDEX, *(term_path(t.slug) for t in terms),
            *(category_path(c) for c in CATEGORIES)}
