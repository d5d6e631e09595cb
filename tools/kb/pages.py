"""The site's generated Markdown: a page per term, the A-Z index, categories, tags.

Every function returns Markdown for one page; ``mkdocs_hooks`` hands them to mkdocs.
Links between pages are written as relative ``.md`` paths, which mkdocs checks and
turns into URLs.
"""
import json
import posixpath
import re
from collections import defaultdict

from .categories import CATEGORIES
from .figures import figure_for
from .knowledge import KnowledgeBase
from .links import Link, replace_links
from .model import Article, Term

GLOSSARY_INDEX = "glossary/index.md"
TAGS_PAGE = "glossary/tags.md"


def term_path(slug: str) -> str:
    return f"glossary/{slug}.md"


def category_path(category: str) -> str:
    return f"glossary/categories/{category}.md"


def article_path(slug: str) -> str:
    return f"articles/{slug}.md"


def page_path(page: Term | Article) -> str:
    return term_path(page.slug) if isinstance(page, Term) else article_path(page.slug)


def href(from_path: str, to_path: str) -> str:
    """A relative link from one source page to another, as mkdocs expects it."""
    return posixpath.relpath(to_path, posixpath.dirname(from_path) or ".")


def tag_anchor(tag: str) -> str:
    return "tag-" + "".join(ch if ch.isalnum() else "-" for ch in tag.casefold())


def with_links(kb: KnowledgeBase, markdown: str, from_path: str) -> str:
    """Turn [[target|label]] into Markdown links to the target's page."""

    def render(link: Link) -> str:
        term = kb.resolve(link.target)
        label = link.label or (term.term if term else link.target)
        if term is None:  # validation reports these; never reached in a valid build
            return label
        return f"[{label}]({href(from_path, term_path(term.slug))}){{.kb-link}}"

    return replace_links(markdown, render)


def _page_list(pages, from_path: str) -> str:
    return "\n".join(
        f"- [{p.term}]({href(from_path, page_path(p))}): {p.summary}" for p in pages
    )


def term_page(kb: KnowledgeBase, term: Term, edit_url: str | None) -> str:
    path = term_path(term.slug)
    short = next((a for a in term.aliases if is_abbreviation(a)), None)
    heading = f"{term.term} ({short})" if short and short not in term.term else term.term
    # The browser's search weighs page tags most: a term's tags are its other names, so
    # typing an alias or abbreviation finds the term's page first (the title has the rest).
    names = term.aliases or [term.term]
    out = ["---", f"title: {json.dumps(heading)}", f"tags: {json.dumps(names)}",
           "search:", "  boost: 2", "---", "", f"# {heading}", ""]
    if term.aliases:
        names = ", ".join(f"**{alias}**" for alias in term.aliases)
        out += [f'<p class="kb-aliases" markdown="span">Also called {names}</p>', ""]
    category = CATEGORIES[term.category]
    out += [
        f'<p class="kb-meta" markdown="span">Category: '
        f'[{category}]({href(path, category_path(term.category))})</p>', "",
        '!!! abstract "In one sentence"', "", f"    {term.summary}", "",
    ]
    if term.formula:
        out += ["$$", term.formula, "$$", ""]
    figure = figure_for(term.slug)
    if figure:
        caption = "Drawn from the formula when the site is built."
        out += [f'<figure class="kb-figure" data-search-exclude>{figure}'
                f"<figcaption>{caption}</figcaption></figure>", ""]
    out += [with_links(kb, term.definition.strip(), path), ""]
    if term.examples:
        out += ["## Example" + ("s" if len(term.examples) > 1 else ""), ""]
        for example in term.examples:
            if example.title:
                out += [f"**{example.title}**", ""]
            out += ["```python", example.code.rstrip(), "```", ""]
            if example.output:
                out += ["Output, checked by the test suite:", "",
                        "```text", example.output.rstrip(), "```", ""]
    out += [link_sections(kb, term), ""]
    footer = []
    if term.tags:
        tags = ", ".join(f"[{t}]({href(path, TAGS_PAGE)}#{tag_anchor(t)})" for t in term.tags)
        footer.append(f"Tags: {tags}")
    footer.append(f"[Edit `{term.path}`]({edit_url})" if edit_url else f"Source: `{term.path}`")
    out += ["---", "", '<p class="kb-footer" markdown="span">' + " · ".join(footer) + "</p>", ""]
    return "\n".join(out)


def link_sections(kb: KnowledgeBase, page: Term | Article) -> str:
    """A page's related terms and its backlinks ("referenced by"), as Markdown sections."""
    path = page_path(page)
    out = []
    related = kb.related(page)
    if related:
        out += ["## Related terms", "", _page_list(related, path), ""]
    referrers = kb.backlinks.get(page.slug, [])
    if referrers:
        out += ["## Referenced by", "", _page_list(referrers, path), ""]
    return "\n".join(out)


def glossary_index(kb: KnowledgeBase) -> str:
    by_letter: dict[str, list[Term]] = defaultdict(list)
    for term in kb.terms.values():
        first = term.term[:1].upper()
        by_letter[first if first.isalpha() else "#"].append(term)
    letters = sorted(by_letter)
    out = [
        "# Glossary A-Z", "",
        f"{len(kb.terms)} terms. Browse by [category](#categories), by "
        f"[tag]({href(GLOSSARY_INDEX, TAGS_PAGE)}), or jump to a letter:", "",
        '<nav class="kb-letters">' + " ".join(
            f'<a href="#letter-{letter.lower()}">{letter}</a>' for letter in letters) + "</nav>",
        "",
    ]
    for letter in letters:
        out += [f"## {letter} {{#letter-{letter.lower()}}}", ""]
        for term in by_letter[letter]:
            link = href(GLOSSARY_INDEX, term_path(term.slug))
            aliases = f" ({', '.join(term.aliases[:3])})" if term.aliases else ""
            out.append(f"- [{term.term}]({link}){aliases}: {term.summary}")
        out.append("")
    out += ["## Categories {#categories}", ""]
    for category, name in CATEGORIES.items():
        count = sum(1 for t in kb.terms.values() if t.category == category)
        out.append(f"- [{name}]({href(GLOSSARY_INDEX, category_path(category))}): {count} terms")
    return "\n".join(out) + "\n"


def category_page(kb: KnowledgeBase, category: str) -> str:
    path = category_path(category)
    terms = [t for t in kb.terms.values() if t.category == category]
    out = [f"# {CATEGORIES[category]}", "", f"{len(terms)} terms in this category.", "",
           _page_list(terms, path), ""]
    return "\n".join(out)


def tags_page(kb: KnowledgeBase) -> str:
    by_tag: dict[str, list[Term]] = defaultdict(list)
    for term in kb.terms.values():
        for tag in term.tags:
            by_tag[tag].append(term)
    out = ["# Tags", ""]
    for tag in sorted(by_tag, key=str.casefold):
        links = ", ".join(f"[{t.term}]({href(TAGS_PAGE, term_path(t.slug))})"
                          for t in by_tag[tag])
        out += [f"## {tag} {{#{tag_anchor(tag)}}}", "", links, ""]
    return "\n".join(out)


ABBREVIATIONS_SCRIPT = "assets/javascripts/abbreviations.js"


def _abbreviated(kb: KnowledgeBase):
    return ((alias, term) for term in kb.terms.values() for alias in term.aliases
            if is_abbreviation(alias) and alias != term.term)


def abbreviation_map(kb: KnowledgeBase) -> dict[str, str]:
    """Every abbreviation among the aliases (CNN, LSTM, ReLU) -> the term it stands for."""
    return {alias: term.term for alias, term in _abbreviated(kb)}


def abbreviations_script(kb: KnowledgeBase) -> str:
    """abbreviation -> slug, for abbreviation-links.js to link each one to its entry."""
    slugs = {alias: term.slug for alias, term in _abbreviated(kb)}
    return f"window.kbAbbreviations = {json.dumps(slugs, sort_keys=True)};\n"


def abbreviations_for(markdown: str, mapping: dict[str, str]) -> str:
    """Definitions for the abbr extension, only for the abbreviations a page uses, so a
    page's size does not grow with the glossary."""
    used = set(_WORD.findall(markdown)) & mapping.keys()
    return "\n".join(f"*[{alias}]: {mapping[alias]}" for alias in sorted(used))


_WORD = re.compile(r"[\w+#]+")


def is_abbreviation(name: str) -> bool:
    letters = [ch for ch in name if ch.isalpha()]
    capitals = sum(ch.isupper() for ch in letters)
    return 2 <= len(name) <= 8 and " " not in name and capitals >= 2 and name.isalnum()
