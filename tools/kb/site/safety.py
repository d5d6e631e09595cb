"""Content Markdown checked as the site's renderer reads it: what Python-Markdown, with
the site's extensions, makes of each term's definition and formula and each article's
body may hold only the elements and attributes Markdown itself writes, and links only
to http, https, mailto or pages of the site.

``kb.markup`` reads the Markdown with markdown-it (CommonMark), which gives the problems
their lines; but the site is rendered by Python-Markdown, whose reading differs
(indentation, attribute lists, reference links, spaces in link targets, a formula's own
``$$``), so the published HTML is checked as well.
"""
from html.parser import HTMLParser

from ..markup import scheme_problem
from ..problem import Problem

# mkdocs.yml's markdown_extensions (a test holds the two lists equal)
EXTENSIONS = ["abbr", "admonition", "attr_list", "md_in_html", "tables", "toc",
              "pymdownx.arithmatex", "pymdownx.highlight", "pymdownx.superfences"]
CONFIGS = {"pymdownx.arithmatex": {"generic": True}}
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


def _renderer():
    import markdown

    return markdown.Markdown(extensions=EXTENSIONS, extension_configs=CONFIGS)


def unsafe(html: str) -> list[str]:
    """What in rendered HTML is not Markdown's own output."""
    scan = _Scan()
    scan.feed(html)
    scan.close()
    return list(dict.fromkeys(scan.found))


def rendered_problems(knowledge_base) -> list[Problem]:
    """A problem for each field whose rendered HTML holds markup Markdown does not write."""
    from .layout import page_path
    from .pages import formula_lines, with_links

    renderer = _renderer()
    fields = []
    for term in knowledge_base.terms.values():
        if term.formula:
            fields.append((term, "formula", term.line_of("formula"),
                           "\n".join(formula_lines(term.formula))))
        fields.append((term, "definition", term.markdown_line, term.definition))
    for page in [*knowledge_base.articles.values(), *knowledge_base.pages]:
        fields.append((page, "body", page.markdown_line, page.body))
    problems = []
    for page, field, line, markdown_text in fields:
        if field != "formula":
            markdown_text = with_links(knowledge_base, markdown_text, page_path(page))
        found = unsafe(renderer.reset().convert(markdown_text))
        if found:
            problems.append(Problem(page.path, line, field,
                                    f"renders as HTML with {', '.join(found[:3])}; write "
                                    "plain Markdown (no attribute lists, raw HTML or "
                                    "indented HTML)"))
    return problems
