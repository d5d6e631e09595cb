"""Content Markdown checked as the site's renderer reads it: what Python-Markdown, with
the site's extensions and their settings (``engine.markdown_config``), makes of each
term's formula and definition, alone and together as its page holds them, and of each
article's body, may hold only the elements and attributes Markdown itself writes, and
links only to http, https, mailto or pages of the site.

``kb.markup`` reads the Markdown with markdown-it (CommonMark), which gives the problems
their lines; but the site is rendered by Python-Markdown, whose reading differs
(indentation, attribute lists, reference links, spaces in link targets, a formula's own
``$$``, attributes on a diagram's fence), so the published HTML is checked as well.
"""
from html.parser import HTMLParser

from ..markup import scheme_problem
from ..problem import Problem
from .engine import markdown_config

TAGS = {"p", "a", "em", "strong", "code", "pre", "span", "div", "ul", "ol", "li", "h1", "h2",
        "h3", "h4", "h5", "h6", "blockquote", "table", "thead", "tbody", "tr", "th", "td",
        "img", "br", "hr", "abbr", "sup", "sub", "dl", "dt", "dd", "del", "ins", "details",
        "summary"}
ATTRIBUTES = {"href", "src", "alt", "title", "class", "id", "align"}
ALIGNMENT = {f"text-align: {side};" for side in ("left", "right", "center")}


class _Scan(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag not in TAGS:
            self.found.append(f"a <{tag}> element")
        for name, value in attrs:
            value = value or ""
            if name in ("href", "src"):
                problem = scheme_problem(value)
                if problem:
                    self.found.append(problem)
            elif name == "style" and tag in ("th", "td") and value in ALIGNMENT:
                continue
            elif name not in ATTRIBUTES:
                self.found.append(f"a '{name[:30]}' attribute on <{tag}>")

    handle_startendtag = handle_starttag


def _renderer(project):
    import markdown

    extensions, settings = markdown_config(project)
    return markdown.Markdown(extensions=extensions, extension_configs=settings)


def unsafe(html: str) -> list[str]:
    """What in rendered HTML is not Markdown's own output."""
    scan = _Scan()
    scan.feed(html)
    scan.close()
    return list(dict.fromkeys(scan.found))


def rendered_problems(knowledge_base) -> list[Problem]:
    """A problem for each field whose rendered HTML holds markup Markdown does not write,
    and for a term whose formula and definition do so only together (a reference link in
    one, its target in the other)."""
    from .layout import page_path
    from .pages import formula_lines, with_links

    renderer = _renderer(knowledge_base.project)

    def found(markdown_text: str) -> list[str]:
        return unsafe(renderer.reset().convert(markdown_text))

    problems = []

    def refuse(page, line, field, what, where="renders"):
        problems.append(Problem(page.path, line, field, f"{where} as HTML with "
                                f"{', '.join(what[:3])}; write plain Markdown (no attribute "
                                "lists, raw HTML or indented HTML)"))

    for term in knowledge_base.terms.values():
        definition = with_links(knowledge_base, term.definition, page_path(term))
        alone = found(definition)
        if alone:
            refuse(term, term.markdown_line, "definition", alone)
        if term.formula:
            formula = "\n".join(formula_lines(term.formula))
            together = found(formula + "\n\n" + definition)
            if together and not alone:
                formula_alone = found(formula)
                refuse(term, term.line_of("formula"), "formula", formula_alone or together,
                       "renders" if formula_alone else "with the definition, as its page "
                       "holds them, renders")
    for page in [*knowledge_base.articles.values(), *knowledge_base.pages]:
        what = found(with_links(knowledge_base, page.body, page_path(page)))
        if what:
            refuse(page, page.markdown_line, "body", what)
    return problems
