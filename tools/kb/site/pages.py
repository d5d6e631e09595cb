"""The Markdown of each page of the site: a page per term, articles and hand-written
pages with their links resolved, the home page, the A-Z index, categories, tags and the
articles index.

Content is untrusted. Text fields (names, aliases, tags, summaries, titles, link labels)
are text: ``text()`` writes them as character references wherever Markdown or HTML
could read them as markup (never as backslash escapes, which the maths extension would
read as ``\\(`` ... ``\\)``). Markdown fields (definitions, article bodies) are Markdown
that validation has already checked for raw HTML and unsafe links; code is fenced with a
fence longer than any run of backticks inside it. Only this module writes HTML, and all
of it is fixed markup around escaped text.
"""
import html
import json
import re
import string
from collections import Counter, defaultdict

from ..categories import CATEGORIES
from ..knowledge import KnowledgeBase
from ..links import FENCE, Link, replace_links, strip_fences
from ..model import Article, Term
from ..tags import TAGS, site_tags
from .abbreviations import abbreviation_of, abbreviations_of, definitions_for
from .figures import figure_for
from .layout import (
    ARTICLES_INDEX,
    GLOSSARY_INDEX,
    HOME,
    TAGS_PAGE,
    category_path,
    href,
    page_path,
    term_path,
    url_path,
)
from .reading import reading_path

# Characters Markdown or its extensions could read as markup are backslash-escaped,
# except those the maths extension reads in \( \[ \$ (and the backslash itself), which
# are written as character references; < > & " as HTML escapes.
_TEXT = str.maketrans({
    **{ch: f"&#{ord(ch)};" for ch in "\\()[]$"},
    **{ch: "\\" + ch for ch in "`*_{}#+!|"},
    "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#x27;",
})


def text(value: str) -> str:
    """A text field as Markdown that shows exactly that text (no markup, no HTML)."""
    return " ".join(value.split()).translate(_TEXT)


def fenced(code: str, language: str) -> list[str]:
    longest = max((len(run) for run in re.findall(r"`{3,}", code)), default=0)
    fence = "`" * max(3, longest + 1)
    return [f"{fence}{language}", code.rstrip(), fence]


# --- links and prose ------------------------------------------------------------------

_PROTECTED = re.compile(
    r"(?P<ticks>`+)(?!`)(?:(?!\n[ \t]*\n).)+?(?<!`)(?P=ticks)"  # a code span
    r"|\$\$.*?\$\$|\\\[.*?\\\]|\\\((?:(?!\n[ \t]*\n).)*?\\\)"  # maths
    r"|(?<![\\$\w])\$(?!\s)[^$\n]+?(?<!\s)\$",
    re.S)
# A lone * between two words or numbers (2*C, n*m) is multiplication, not emphasis.
_PRODUCT = re.compile(r"(?<=[\w)\]])(?<!\*)\*(?!\*)(?=[\w(\[])")
_WORD = re.compile(r"(?<![\w-])([A-Za-z][a-z]+)\b")
_MID_SENTENCE = re.compile(r"[a-z0-9,;)]\s+$")
_CODE_SPAN = re.compile(r"(`+)(?!`).+?(?<!`)\1", re.S)


def _outside_code(markdown: str, change) -> str:
    """``change`` applied to the prose only: code blocks, code spans and maths kept."""
    out, position = [], 0
    for fence in [*FENCE.finditer(markdown), None]:
        end = fence.start() if fence else len(markdown)
        for match in _PROTECTED.finditer(markdown, position, end):
            out += [change(markdown[position:match.start()]), match.group()]
            position = match.end()
        out.append(change(markdown[position:end]))
        if fence:
            out.append(fence.group())
            position = fence.end()
    return "".join(out)


def prose(markdown: str) -> str:
    """Content Markdown made safe to render as its author meant: a lone ``*`` between
    words (``2*C``) is written as a literal asterisk instead of opening emphasis."""
    if "*" not in markdown:
        return markdown
    return _outside_code(markdown, lambda part: _PRODUCT.sub(r"\\*", part))


class _Capitals:
    """Which words are names (Adam, Keras, Nesterov): those the content writes with a
    capital in mid-sentence more often than in lower case. Counted once per knowledge
    base, in one pass over its text."""

    def __init__(self, knowledge_base: KnowledgeBase):
        lower, capital = Counter(), Counter()
        for entry in [*knowledge_base.entries(), *knowledge_base.pages]:
            body = _CODE_SPAN.sub(" ", strip_fences(entry.markdown))
            for match in _WORD.finditer(body):
                word = match.group(1)
                if word.islower():
                    lower[word] += 1
                elif _MID_SENTENCE.search(body, max(0, match.start() - 3), match.start()):
                    capital[word.lower()] += 1
        self.names = {word for word, count in capital.items() if count > lower[word]}

    def mid_sentence(self, title: str) -> str:
        """A title as it reads inside a sentence: "Activation function" becomes
        "activation function"; "ReLU", "Adam" and "Nesterov momentum" stay."""
        first = title.split(" ", 1)[0]
        if (len(first) > 1 and first[0].isupper() and first[1:].islower()
                and first.isalpha() and first.lower() not in self.names):
            return title[0].lower() + title[1:]
        return title


_CAPITALS: list = [None, None]  # the knowledge base the cached counts belong to, counts


def _capitals(knowledge_base: KnowledgeBase) -> _Capitals:
    if _CAPITALS[0] is not knowledge_base:
        _CAPITALS[:] = [knowledge_base, _Capitals(knowledge_base)]
    return _CAPITALS[1]


def _starts_sentence(markdown: str, position: int) -> bool:
    """Whether a link at ``position`` begins a sentence, a list item, a heading or a
    table cell (where its title keeps its capital)."""
    line_start = markdown.rfind("\n", 0, position) + 1
    before = markdown[line_start:position]
    stripped = re.sub(r"[\s*_\"'(\[]+$", "", before)
    if stripped:
        if re.search(r"\b(?:e\.g|i\.e|cf|vs)\.$", stripped):
            return False
        return bool(re.search(r"([.!?|]|^\s*(?:[-+*]|\d+[.)]|#+|>))$", stripped))
    previous = markdown[:max(0, line_start - 1)].rstrip(" \t")
    last_line = previous[previous.rfind("\n") + 1:]
    return not last_line.strip() or bool(re.search(r"[.!?|]$", last_line.rstrip("*_ ")))


def with_links(knowledge_base: KnowledgeBase, markdown: str, from_path: str) -> str:
    """Turn [[target|label]] into Markdown links to the target's page. A link without a
    label shows the target's title, in lower case mid-sentence."""
    capitals = _capitals(knowledge_base)
    source = prose(markdown)

    def render(link: Link) -> str:
        link = knowledge_base.named(link)
        term = knowledge_base.resolve(link.target)
        label = knowledge_base.label(link)
        if term is None:  # validation reports these; never reached in a valid build
            return text(label)
        if link.label is None and not _starts_sentence(source, link.start):
            label = capitals.mid_sentence(label)
        return f"[{text(label)}]({href(from_path, term_path(term.slug))})"

    return replace_links(source, render)


# --- code that imports the project's own package --------------------------------------

_KB_IMPORT = re.compile(r"^[ \t]*(?:from[ \t]+(kb(?:\.\w+)*)[ \t]+import\b"
                        r"|import[ \t]+(kb(?:\.\w+)*)\b)", re.M)


def kb_imports(code: str) -> list[str]:
    """The modules of this project's own package ``kb`` that ``code`` imports."""
    return sorted({m.group(1) or m.group(2) for m in _KB_IMPORT.finditer(code)})


def kb_note(modules: list[str]) -> str:
    """What a reader of an example importing ``kb`` is told before it: what that is, and
    how to get it (as the README's "Install" section says)."""
    names = " and ".join(f"`{m}`" for m in modules)
    what = ("`kb.params` holds the parameter counts of Keras layers as plain functions, each "
            "checked against Keras by the project's tests; it is" if modules == ["kb.params"]
            else f"{names} {'are' if len(modules) > 1 else 'is'}")
    return (f'<p class="kb-example-note" markdown="span">{what} part of `kb`, this knowledge '
            "base's own Python package (not on PyPI). To run the example, install `kb` where "
            "Keras is: in a clone of the project, `make wheel`, then "
            "`pip install dist/dl_kb-*.whl` (see Install in the project's README).</p>")


def _with_kb_note(markdown: str) -> str:
    """An article's Markdown with the note before its first code block importing kb (a
    block indented in a list: the note opens the article instead)."""
    for fence in FENCE.finditer(markdown):
        modules = kb_imports(fence.group())
        if modules:
            at = fence.start() if fence.group()[:1] in "`~" else 0
            return f"{markdown[:at]}{kb_note(modules)}\n\n{markdown[at:]}"
    return markdown


def _link(page, from_path: str) -> str:
    return f"[{text(page.title)}]({href(from_path, page_path(page))})"


def _page_list(pages, from_path: str) -> str:
    return "\n".join(f"- {_link(p, from_path)}: {text(p.summary)}" for p in pages)


# --- term pages -----------------------------------------------------------------------

def heading(term: Term) -> str:
    """The page title: the term, with its abbreviation only when that is what the words
    of the title abbreviate (LSTM for long short-term memory, never MHA for
    self-attention or AdamW for weight decay)."""
    short = abbreviation_of(term)
    if short and short.casefold() not in term.title.casefold() and abbreviates(short, term.title):
        return f"{term.title} ({short})"
    return term.title


def abbreviates(short: str, title: str) -> bool:
    """Whether the capitals of ``short`` are initials of the words of ``title``, in order
    and starting with the first (ReLU: rectified linear unit; ResNet: residual network)."""
    capitals = [ch for ch in short if ch.isupper()]
    initials = [word[0].upper() for word in re.split(r"[\s\-/]+", title) if word]
    if len(capitals) < 2 or not initials or capitals[0] != initials[0]:
        return False
    remaining = iter(initials)
    return all(any(capital == initial for initial in remaining) for capital in capitals)


SHOWN_LINKS = 8  # links of a "Referenced by" group shown before the rest is folded


def formula_lines(formula: str) -> list[str]:
    """A term's formula as its page writes it (``site.safety`` checks what this renders)."""
    return ["$$", formula.strip(), "$$"]


def term_page(knowledge_base: KnowledgeBase, term: Term, source_url: str | None,
              neighbours: tuple[Term | None, Term | None] = (None, None)) -> str:
    """A term's page: title, the one-sentence summary set apart, names and category, the
    formula and figure, the definition, examples, links, and the category's previous and
    next terms."""
    path = term_path(term.slug)
    # The site's search weighs page tags most: a term's tags are its other names, so
    # typing an alias or abbreviation finds the term's page first.
    names = [html.escape(name) for name in (term.aliases or [term.title])]
    title = heading(term)
    out = ["---", f"tags: {json.dumps(names)}", "search:", "  boost: 2",
           "hide:", "  - navigation", "---", "",
           f"# {text(title)}", "",
           f'<p class="kb-summary" markdown="span">{text(term.summary)}</p>', ""]
    meta = []
    others = [alias for alias in term.aliases if f"({alias})" not in title]
    if others:
        meta.append("Also called " + ", ".join(f"**{text(a)}**" for a in others))
    category = CATEGORIES[term.category]
    meta.append(f"Category: [{text(category)}]({href(path, category_path(term.category))})")
    out += [f'<p class="kb-meta" markdown="span">{" · ".join(meta)}</p>', ""]
    if term.formula:
        out += [*formula_lines(term.formula), ""]
    figure = figure_for(term.slug)
    if figure:
        out += [f'<figure class="kb-figure" data-search-exclude>{figure.html}'
                f"<figcaption>{html.escape(figure.caption)}</figcaption></figure>", ""]
    out += [with_links(knowledge_base, term.definition.strip(), path), ""]
    if term.examples:
        out += ["## Example" + ("s" if len(term.examples) > 1 else ""), ""]
        noted = False
        for example in term.examples:
            modules = kb_imports(example.code)
            if modules and not noted:
                out += [kb_note(modules), ""]
                noted = True
            if example.title:
                out += [f'<p class="kb-example-title" markdown="span">'
                        f"{text(example.title)}</p>", ""]
            out += [*fenced(example.code, "python"), ""]
            if example.output:
                out += ['<p class="kb-output-label">Output, checked by the test suite:</p>',
                        "", *fenced(example.output, "text"), ""]
    out += [link_sections(knowledge_base, term), ""]
    out += [_pager(term, neighbours, path), ""]
    footer = []
    tags = site_tags(term.tags)
    if tags:
        footer.append("Tags: " + ", ".join(
            f"[{text(t)}]({href(path, TAGS_PAGE)}#{tag_anchor(t)})" for t in tags))
    source = f"`{term.path}`"
    footer.append(f"[Edit {source}]({source_url})" if source_url else f"Source: {source}")
    out += ['<p class="kb-footer" markdown="span">' + " · ".join(footer) + "</p>", ""]
    return "\n".join(out)


def _pager(term: Term, neighbours, path: str) -> str:
    previous, following = neighbours
    if previous is None and following is None:
        return ""
    category = text(CATEGORIES[term.category])
    parts = []
    if previous is not None:
        parts.append(f'<span class="kb-pager__previous">Previous in {category}: '
                     f"{_link(previous, path)}</span>")
    if following is not None:
        parts.append(f'<span class="kb-pager__next">Next in {category}: '
                     f"{_link(following, path)}</span>")
    return (f'<nav class="kb-pager" aria-label="Terms of this category" markdown="span">'
            f'{" ".join(parts)}</nav>')


def category_neighbours(knowledge_base: KnowledgeBase) -> dict[str, tuple]:
    """slug -> (previous, next) term of the same category, in the category's order."""
    by_category: dict[str, list[Term]] = defaultdict(list)
    for term in knowledge_base.terms.values():
        by_category[term.category].append(term)
    neighbours = {}
    for terms in by_category.values():
        for i, term in enumerate(terms):
            neighbours[term.slug] = (terms[i - 1] if i else None,
                                     terms[i + 1] if i + 1 < len(terms) else None)
    return neighbours


def _inline_links(pages, from_path: str) -> str:
    return " · ".join(_link(p, from_path) for p in pages)


def _link_group(label: str, pages: list, from_path: str) -> list[str]:
    """A labelled line of links, the ones past the first few folded away."""
    shown, rest = pages[:SHOWN_LINKS], pages[SHOWN_LINKS:]
    out = [f'<p class="kb-links" markdown="span"><strong>{label}</strong> '
           f"{_inline_links(shown, from_path)}</p>", ""]
    if rest:
        out += [f'<details class="kb-more" markdown="1"><summary>{len(rest)} more '
                f"{label.rstrip(':').lower()}</summary>", "",
                f'<p class="kb-links" markdown="span">{_inline_links(rest, from_path)}</p>',
                "", "</details>", ""]
    return out


def link_sections(knowledge_base: KnowledgeBase, page: Term | Article) -> str:
    """A page's related terms and its backlinks ("referenced by"), compact: names only,
    terms apart from articles, and long lists folded."""
    path = page_path(page)
    out = []
    related = knowledge_base.related(page)
    if related:
        out += ["## Related terms", "",
                f'<p class="kb-links" markdown="span">{_inline_links(related, path)}</p>', ""]
    referrers = knowledge_base.backlinks.get(page.slug, [])
    if referrers:
        out += ["## Referenced by", ""]
        terms = [p for p in referrers if p.kind == "term"]
        articles = [p for p in referrers if p.kind != "term"]
        if terms:
            out += _link_group("Terms:", terms, path)
        if articles:
            out += _link_group("Articles:", articles, path)
    return "\n".join(out)


def article_page(knowledge_base: KnowledgeBase, article: Article) -> str:
    path = page_path(article)
    body = _with_kb_note(with_links(knowledge_base, article.body, path).rstrip())
    extras = link_sections(knowledge_base, article)
    return f"# {text(article.title)}\n\n{body}\n\n{extras}"


def hand_written_page(knowledge_base: KnowledgeBase, page: Article) -> str:
    """A page of docs/ as written, with its links resolved (its title is its own)."""
    if page_path(page) == HOME:
        return home_page(knowledge_base, page)
    return with_links(knowledge_base, page.body, page_path(page))


# --- the home page and the indexes ----------------------------------------------------

SEARCH_FORM = (
    '<form class="kb-search-form" role="search" data-kb-search>'
    '<label for="kb-search-{id}">{label}</label>'
    '<span class="kb-search-form__row">'
    '<input id="kb-search-{id}" type="search" name="q" autocomplete="off" '
    'spellcheck="false" placeholder="A term, an abbreviation or a question">'
    '<button type="submit">Search</button></span></form>'
)


def search_form(label: str, form_id: str = "main") -> str:
    """The search box of the home page (and of the 404 page): it hands what is typed to
    the site's search."""
    return SEARCH_FORM.format(id=html.escape(form_id), label=html.escape(label))


def _counts(knowledge_base: KnowledgeBase) -> Counter:
    return Counter(term.category for term in knowledge_base.terms.values())


def category_grid(knowledge_base: KnowledgeBase, from_path: str) -> list[str]:
    counts = _counts(knowledge_base)
    items = [f"- [{text(name)}]({href(from_path, category_path(slug))}) "
             f'<span class="kb-count">{counts[slug]}</span>'
             for slug, name in CATEGORIES.items() if counts[slug]]
    return ['<div class="kb-category-grid" markdown="1">', "", *items, "", "</div>", ""]


def home_page(knowledge_base: KnowledgeBase, page: Article) -> str:
    """The home page: the hand-written title and introduction, the search box, the
    hand-written first section ("Start here"), then the categories with their counts
    and the reading path, then the rest of the hand-written page (what `kb` does, how
    to contribute)."""
    body = with_links(knowledge_base, page.body, HOME).strip()
    sections = [m.start() for m in re.finditer(r"^## ", body, re.M)] + [len(body)] * 2
    intro, first, rest = (body[:sections[0]], body[sections[0]:sections[1]],
                          body[sections[1]:])
    terms, articles = len(knowledge_base.terms), len(knowledge_base.articles)
    out = ["---", "hide:", "  - navigation", "  - toc", "---", "", intro.strip(), "",
           search_form(f"Search {terms} terms and {articles} articles"), "",
           first.strip(), "",
           "## Browse by category", "", *category_grid(knowledge_base, HOME),
           f"Or the [A-Z index]({href(HOME, GLOSSARY_INDEX)}) of every term, or the "
           f"[tags]({href(HOME, TAGS_PAGE)}).", "",
           "## A reading path", "",
           f"The [articles]({href(HOME, ARTICLES_INDEX)}) explain a topic at length, with "
           "checked examples. In this order they build on each other:", ""]
    for number, (part, members) in enumerate(reading_path(knowledge_base), 1):
        out.append(f"{number}. **{text(part)}**: "
                   + ", ".join(_link(a, HOME) for a in members))
    out += ["", rest.strip(), ""]
    return "\n".join(out)


def tag_anchor(tag: str) -> str:
    return "tag-" + "".join(ch if ch.isalnum() and ch.isascii() else "-"
                            for ch in tag.casefold())


def _letter(name: str) -> str:
    first = name[:1].upper()
    return first if first.isascii() and first.isalpha() else "#"


def _letter_id(letter: str) -> str:
    return "other" if letter == "#" else letter.lower()


def glossary_index(knowledge_base: KnowledgeBase) -> str:
    """The A-Z index: a letter bar, the categories, then a folded section per letter
    listing the names of its terms (and abbreviations, pointing to their term)."""
    by_letter: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for term in knowledge_base.terms.values():
        link = href(GLOSSARY_INDEX, term_path(term.slug))
        by_letter[_letter(term.title)].append(
            (term.title.casefold(), f"- [{text(term.title)}]({link})"))
        for short in abbreviations_of(term):
            if short.casefold() != term.title.casefold():
                by_letter[_letter(short)].append(
                    (short.casefold(), f'- [{text(short)}]({link}) <span class="kb-see">'
                                       f"→ {text(term.title)}</span>"))
    letters = sorted(by_letter, key=lambda letter: (letter == "#", letter))
    terms = len(knowledge_base.terms)
    out = ["---", "hide:", "  - navigation", "  - toc", "search:", "  exclude: true", "---",
           "", "# Glossary A-Z", "",
           f"{terms} terms in {len(_counts(knowledge_base))} categories. Pick a letter, a "
           f"category or a [tag]({href(GLOSSARY_INDEX, TAGS_PAGE)}), or search.", "",
           '<nav class="kb-letters" aria-label="Letters">' + "".join(
               f'<a href="#letter-{_letter_id(letter)}">{html.escape(letter)}</a>'
               if letter in by_letter else f'<span aria-hidden="true">{letter}</span>'
               for letter in [*string.ascii_uppercase, *(["#"] if "#" in by_letter else [])])
           + "</nav>", "",
           "## Categories", "", *category_grid(knowledge_base, GLOSSARY_INDEX),
           "## Terms by letter", ""]
    unfolded = terms <= 120  # a short glossary reads best unfolded
    for letter in letters:
        entries = [line for _, line in sorted(by_letter[letter])]
        out += _folded(f"letter-{_letter_id(letter)}", "h3", html.escape(letter),
                       _count(len(entries), "entry", "entries"),
                       ['<div class="kb-columns" markdown="1">', "", *entries, "", "</div>"],
                       unfolded)
    return "\n".join(out) + "\n"


def _count(number: int, one: str, many: str) -> str:
    return f"{number} {one if number == 1 else many}"


def _folded(anchor: str, level: str, title: str, count: str, body: list[str],
            unfolded: bool = False) -> list[str]:
    """A section that opens when its title is clicked or its #anchor is jumped to;
    ``title`` is HTML."""
    return [f'<details class="kb-fold" id="{anchor}"{" open" if unfolded else ""} markdown="1">',
            f'<summary><{level}>{title}</{level}> <span class="kb-count">{count}</span>'
            "</summary>", "", *body, "", "</details>", ""]


def category_page(knowledge_base: KnowledgeBase, category: str) -> str:
    path = category_path(category)
    terms = [t for t in knowledge_base.terms.values() if t.category == category]
    out = [f"# {text(CATEGORIES[category])}", "", f"{len(terms)} terms in this category.", "",
           _page_list(terms, path), ""]
    return "\n".join(out)


def tags_page(knowledge_base: KnowledgeBase) -> str:
    """The documented tags that entries use, each with what it means and its terms."""
    by_tag: dict[str, list[Term]] = defaultdict(list)
    for term in knowledge_base.terms.values():
        for tag in site_tags(term.tags):
            by_tag[tag].append(term)
    tags = sorted(by_tag, key=str.casefold)
    out = ["---", "hide:", "  - toc", "search:", "  exclude: true", "---", "", "# Tags", "",
           f"{len(tags)} tags group terms across categories: open one to see its terms.", ""]
    for tag in tags:
        out += _folded(tag_anchor(tag), "h2", html.escape(tag),
                       _count(len(by_tag[tag]), "term", "terms"),
                       [f'<p class="kb-tag-about" markdown="span">{text(_sentence(TAGS[tag]))}</p>',
                        "", f'<p class="kb-links" markdown="span">'
                        f"{_inline_links(by_tag[tag], TAGS_PAGE)}</p>"])
    return "\n".join(out)


def _sentence(phrase: str) -> str:
    return phrase[:1].upper() + phrase[1:] + "."


def articles_index(knowledge_base: KnowledgeBase) -> str:
    """The articles in reading order, in parts, each with its one-line summary."""
    out = ["# Articles", "",
           f"{len(knowledge_base.articles)} articles, each explaining a topic at length with "
           "runnable, checked examples. They are listed in a suggested reading order: "
           "each part builds on the ones before it.", ""]
    for number, (part, members) in enumerate(reading_path(knowledge_base), 1):
        out += [f"## {number}. {text(part)}", "", _page_list(members, ARTICLES_INDEX), ""]
    return "\n".join(out)


def titles_data(knowledge_base: KnowledgeBase) -> str:
    """[url, title, *aliases] of every term and article, as JSON: what the 404 page
    suggests from (text only; the page builds its links with textContent)."""
    rows = [[url_path(page_path(entry)), entry.title, *entry.aliases]
            for entry in knowledge_base.entries()]
    return json.dumps(rows, ensure_ascii=False, separators=(",", ":")) + "\n"


def with_abbreviations(markdown: str, mapping: dict[str, str]) -> str:
    return f"{markdown}\n\n{definitions_for(markdown, mapping)}\n"
