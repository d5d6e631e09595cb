"""The Markdown of each page of the site: a page per term, articles and hand-written
pages with their links resolved, the A-Z index, categories, tags and the articles index.

Content is untrusted. Text fields (names, aliases, tags, summaries, titles, link labels)
are text: ``text()`` escapes them for Markdown and HTML wherever they are written.
Markdown fields (definitions, article bodies) are Markdown that validation has already
checked for raw HTML and unsafe links; code is fenced with a fence longer than any run
of backticks inside it.
"""
import html
import json
import re
from collections import defaultdict

from ..categories import CATEGORIES
from ..knowledge import KnowledgeBase
from ..links import Link, replace_links
from ..model import Article, Term
from .abbreviations import abbreviation_of, definitions_for
from .figures import figure_for
from .layout import (
    ARTICLES_INDEX,
    GLOSSARY_INDEX,
    TAGS_PAGE,
    category_path,
    href,
    page_path,
    term_path,
)

# Characters that Markdown or its extensions read as markup; written as character
# references instead (a backslash would not do: `\(` and `\[` open maths for arithmatex).
_MARKUP = set("\\`*_{}[]<>&\"'$|~")


def text(value: str) -> str:
    """A text field as Markdown that shows exactly that text (no markup, no HTML)."""
    return "".join(f"&#{ord(ch)};" if ch in _MARKUP else ch for ch in " ".join(value.split()))


def fenced(code: str, language: str) -> list[str]:
    longest = max((len(run) for run in re.findall(r"`{3,}", code)), default=0)
    fence = "`" * max(3, longest + 1)
    return [f"{fence}{language}", code.rstrip(), fence]


def with_links(knowledge_base: KnowledgeBase, markdown: str, from_path: str) -> str:
    """Turn [[target|label]] into Markdown links to the target's page."""

    def render(link: Link) -> str:
        term = knowledge_base.resolve(link.target)
        label = text(knowledge_base.label(link))
        if term is None:  # validation reports these; never reached in a valid build
            return label
        return f"[{label}]({href(from_path, term_path(term.slug))}){{.kb-link}}"

    return replace_links(markdown, render)


def _page_list(pages, from_path: str) -> str:
    return "\n".join(
        f"- [{text(p.title)}]({href(from_path, page_path(p))}): {text(p.summary)}"
        for p in pages
    )


def heading(term: Term) -> str:
    short = abbreviation_of(term)
    return f"{term.title} ({short})" if short and short not in term.title else term.title


def term_page(knowledge_base: KnowledgeBase, term: Term, source_url: str | None) -> str:
    path = term_path(term.slug)
    # The site's search weighs page tags most: a term's tags are its other names, so
    # typing an alias or abbreviation finds the term's page first.
    names = [html.escape(name) for name in (term.aliases or [term.title])]
    out = ["---", f"tags: {json.dumps(names)}", "search:", "  boost: 2", "---", "",
           f"# {text(heading(term))}", ""]
    if term.aliases:
        aliases = ", ".join(f"**{text(alias)}**" for alias in term.aliases)
        out += [f'<p class="kb-aliases" markdown="span">Also called {aliases}</p>', ""]
    category = CATEGORIES[term.category]
    out += [
        f'<p class="kb-meta" markdown="span">Category: '
        f'[{category}]({href(path, category_path(term.category))})</p>', "",
        '!!! abstract "In one sentence"', "", f"    {text(term.summary)}", "",
    ]
    if term.formula:
        out += ["$$", term.formula, "$$", ""]
    figure = figure_for(term.slug)
    if figure:
        caption = "Drawn from the formula when the site is built."
        out += [f'<figure class="kb-figure" data-search-exclude>{figure}'
                f"<figcaption>{caption}</figcaption></figure>", ""]
    out += [with_links(knowledge_base, term.definition.strip(), path), ""]
    if term.examples:
        out += ["## Example" + ("s" if len(term.examples) > 1 else ""), ""]
        for example in term.examples:
            if example.title:
                out += [f"**{text(example.title)}**", ""]
            out += [*fenced(example.code, "python"), ""]
            if example.output:
                out += ["Output, checked by the test suite:", "",
                        *fenced(example.output, "text"), ""]
    out += [link_sections(knowledge_base, term), ""]
    footer = []
    if term.tags:
        tags = ", ".join(f"[{text(t)}]({href(path, TAGS_PAGE)}#{tag_anchor(t)})"
                         for t in term.tags)
        footer.append(f"Tags: {tags}")
    source = f"`{term.path}`"
    footer.append(f"[Edit {source}]({source_url})" if source_url else f"Source: {source}")
    out += ["---", "", '<p class="kb-footer" markdown="span">' + " · ".join(footer) + "</p>", ""]
    return "\n".join(out)


def article_page(knowledge_base: KnowledgeBase, article: Article) -> str:
    path = page_path(article)
    body = with_links(knowledge_base, article.body, path).rstrip()
    extras = link_sections(knowledge_base, article)
    return f"# {text(article.title)}\n\n{body}\n\n{extras}"


def hand_written_page(knowledge_base: KnowledgeBase, page: Article) -> str:
    """A page of docs/ as written, with its links resolved (its title is its own)."""
    return with_links(knowledge_base, page.body, page_path(page))


def link_sections(knowledge_base: KnowledgeBase, page: Term | Article) -> str:
    """A page's related terms and its backlinks ("referenced by"), as Markdown sections."""
    path = page_path(page)
    out = []
    related = knowledge_base.related(page)
    if related:
        out += ["## Related terms", "", _page_list(related, path), ""]
    referrers = knowledge_base.backlinks.get(page.slug, [])
    if referrers:
        out += ["## Referenced by", "", _page_list(referrers, path), ""]
    return "\n".join(out)


def tag_anchor(tag: str) -> str:
    return "tag-" + "".join(ch if ch.isalnum() and ch.isascii() else "-"
                            for ch in tag.casefold())


def glossary_index(knowledge_base: KnowledgeBase) -> str:
    by_letter: dict[str, list[Term]] = defaultdict(list)
    for term in knowledge_base.terms.values():
        first = term.title[:1].upper()
        by_letter[first if first.isascii() and first.isalpha() else "#"].append(term)
    letters = sorted(by_letter)
    out = [
        "# Glossary A-Z", "",
        f"{len(knowledge_base.terms)} terms. Browse by [category](#categories), by "
        f"[tag]({href(GLOSSARY_INDEX, TAGS_PAGE)}), or jump to a letter:", "",
        '<nav class="kb-letters">' + " ".join(
            f'<a href="#letter-{_letter_id(letter)}">{letter}</a>' for letter in letters)
        + "</nav>", "",
    ]
    for letter in letters:
        out += [f"## {letter} {{#letter-{_letter_id(letter)}}}", ""]
        for term in by_letter[letter]:
            link = href(GLOSSARY_INDEX, term_path(term.slug))
            aliases = (f" ({', '.join(text(a) for a in term.aliases[:3])})"
                       if term.aliases else "")
            out.append(f"- [{text(term.title)}]({link}){aliases}: {text(term.summary)}")
        out.append("")
    out += ["## Categories {#categories}", ""]
    for category, name in CATEGORIES.items():
        count = sum(1 for t in knowledge_base.terms.values() if t.category == category)
        out.append(f"- [{name}]({href(GLOSSARY_INDEX, category_path(category))}): {count} terms")
    return "\n".join(out) + "\n"


def _letter_id(letter: str) -> str:
    return "other" if letter == "#" else letter.lower()


def category_page(knowledge_base: KnowledgeBase, category: str) -> str:
    path = category_path(category)
    terms = [t for t in knowledge_base.terms.values() if t.category == category]
    out = [f"# {CATEGORIES[category]}", "", f"{len(terms)} terms in this category.", "",
           _page_list(terms, path), ""]
    return "\n".join(out)


def tags_page(knowledge_base: KnowledgeBase) -> str:
    by_tag: dict[str, list[Term]] = defaultdict(list)
    for term in knowledge_base.terms.values():
        for tag in term.tags:
            by_tag[tag].append(term)
    out = ["# Tags", ""]
    for tag in sorted(by_tag, key=str.casefold):
        links = ", ".join(f"[{text(t.title)}]({href(TAGS_PAGE, term_path(t.slug))})"
                          for t in by_tag[tag])
        out += [f"## {text(tag)} {{#{tag_anchor(tag)}}}", "", links, ""]
    return "\n".join(out)


def articles_index(knowledge_base: KnowledgeBase) -> str:
    out = ["# Articles", "", f"{len(knowledge_base.articles)} long-form articles, each with "
           "runnable, checked examples.", "",
           _page_list(knowledge_base.articles.values(), ARTICLES_INDEX), ""]
    return "\n".join(out)


def with_abbreviations(markdown: str, mapping: dict[str, str]) -> str:
    return f"{markdown}\n\n{definitions_for(markdown, mapping)}\n"
