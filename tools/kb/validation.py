"""Every content rule, each with its severity.

Per-file problems (YAML syntax, schema) come from ``content``; these rules need the
whole knowledge base. Errors make the content unusable (a name claimed twice, a link to
nowhere, raw HTML, an example that does not parse); warnings are the project's policy
(at least two related terms, a backlink, five links per article, tags from the documented
set, Keras 3 style, an example that asserts something), which ``kb check --strict`` and
``kb build`` enforce.
"""
import itertools
import posixpath
import re
from collections.abc import Iterable

from .links import FENCE, find_links, name_key
from .markup import markdown_problems
from .model import Article, Term
from .problem import WARNING, Problem
from .site.layout import generated_pages, page_path
from .suggest import close_matches
from .tags import tag_problem

_ABBREVIATIONS = re.compile(r"\b(?:e\.g|i\.e|vs|etc|cf|approx|Fig|Eq|no)\.", re.I)
_SENTENCE_END = re.compile(r"[.!?](?:\s+|$)")
_OLD_KERAS = re.compile(r"(?<!`)(?:\binput_shape\s*=(?!=)|\btensorflow\.keras\b|\btf\.keras\.\w)")
MAX_PARAGRAPH = 8_000  # characters: the renderer's inline parsing grows with its square
_PARAGRAPH = re.compile(r"(?:^|\n[ \t]*\n)(?=[^\n])")
MIN_RELATED = 2
MIN_ARTICLE_LINKS = 5
SMALL_GLOSSARY = 20  # below this many terms (test projects) articles may link fewer


def validate(terms: list[Term], articles: list[Article], pages: list[Article] = (),
             docs_files: Iterable[str] = ()) -> list[Problem]:
    """``pages`` are the hand-written pages, checked like articles but for policy;
    ``docs_files`` the files under docs/ that a relative link may point at."""
    owners, problems = _name_owners(terms)
    problems += _summary_problems([*terms, *articles])
    problems += _link_problems(terms, [*articles, *pages], owners)
    known = {*docs_files, *generated_pages(terms)}
    problems += _markup_problems([*terms, *articles, *pages], known)
    problems += _example_problems(terms)
    problems += _policy_problems(terms, articles, owners)
    return problems


def _name_owners(terms: list[Term]) -> tuple[dict[str, Term], list[Problem]]:
    """Every name (slug, term, alias) -> its entry; a name claimed twice is a problem.

    Slugs are claimed first, then display names, then aliases, so a clash is reported
    on the weaker name (an alias that repeats another entry's name, say).
    """
    owners: dict[str, Term] = {}
    problems = []
    tiers = [
        [(term, term.slug, "slug") for term in terms],
        [(term, term.title, "term") for term in terms],
        [(term, alias, "aliases") for term in terms for alias in term.aliases],
    ]
    for term, name, field in (claim for tier in tiers for claim in tier):
        key = name_key(name)
        if not key:
            problems.append(Problem(term.path, term.line_of(field), field,
                                    f"'{name}' has no letters or digits"))
            continue
        owner = owners.setdefault(key, term)
        if owner is not term:
            what = "slug" if field == "slug" else "name"
            problems.append(Problem(
                term.path, term.line_of(field), field,
                f"{what} '{name}' is already claimed by {owner.path} "
                f"('{owner.title}'); names are compared ignoring case and punctuation",
            ))
    return owners, problems


def _summary_problems(pages: Iterable[Term | Article]) -> list[Problem]:
    problems = []
    for page in pages:
        summary = page.summary.strip()
        line = page.line_of("summary")
        sentences = len(_SENTENCE_END.findall(_ABBREVIATIONS.sub("", summary)))
        if not summary.endswith((".", "!", "?")):
            problems.append(Problem(page.path, line, "summary",
                                    "must be one sentence ending with a full stop"))
        elif sentences > 1:
            problems.append(Problem(page.path, line, "summary", f"must be one sentence, "
                                    f"found {sentences}; move the rest into the definition"))
    return problems


def _link_problems(terms: list[Term], articles: list[Article],
                   owners: dict[str, Term]) -> list[Problem]:
    problems = []
    slug_of = {name: term.slug for term in terms for name in term.names}

    def check(target: str, path: str, line: int, field: str):
        if name_key(target) not in owners:
            guesses = close_matches(target, slug_of, limit=1)
            hint = f"; did you mean '{slug_of[guesses[0]]}'?" if guesses else ""
            problems.append(Problem(path, line, field, f"unknown term '{target[:80]}'{hint}"))

    for page in [*terms, *articles]:
        for index, target in enumerate(page.related):
            check(target, page.path, page.line_of("related"), f"related[{index}]")
        field = "definition" if page.kind == "term" else "body"
        for link in find_links(page.markdown):
            check(link.target, page.path, page.markdown_line + link.line - 1, field)
    return problems


def _markup_problems(pages: list[Term | Article], known: set[str]) -> list[Problem]:
    """Raw HTML, unsafe URLs and relative links to files that do not exist."""
    problems = []
    for page in pages:
        field = "definition" if page.kind == "term" else "body"
        here = posixpath.dirname(page_path(page))
        for line, message in markdown_problems(page.markdown, here, known):
            problems.append(Problem(page.path, page.markdown_line + line - 1, field, message))
        for line, size in _long_paragraphs(page.markdown):
            problems.append(Problem(page.path, page.markdown_line + line - 1, field,
                                    f"a paragraph of {size:,} characters; split it (at most "
                                    f"{MAX_PARAGRAPH:,} outside code blocks)"))
    return problems


def _long_paragraphs(markdown: str) -> list[tuple[int, int]]:
    """(line, length) of each paragraph, code blocks left out, above MAX_PARAGRAPH."""
    if len(markdown) <= MAX_PARAGRAPH:
        return []
    text = FENCE.sub(lambda fence: "\n" * fence.group().count("\n"), markdown)
    starts = [match.end() for match in _PARAGRAPH.finditer(text)] + [len(text)]
    return [(text.count("\n", 0, start) + 1, end - start)
            for start, end in itertools.pairwise(starts) if end - start > MAX_PARAGRAPH]


def _example_problems(terms: list[Term]) -> list[Problem]:
    problems = []
    for term in terms:
        for index, example in enumerate(term.examples):
            padded = "\n" * (example.code_line - 1) + example.code
            try:
                compile(padded, term.path, "exec")
            except SyntaxError as error:
                problems.append(Problem(term.path, error.lineno or example.code_line,
                                        f"examples[{index}].code",
                                        f"Python syntax error: {error.msg}"))
    return problems


def _policy_problems(terms: list[Term], articles: list[Article],
                     owners: dict[str, Term]) -> list[Problem]:
    def warn(page, field, message, line=None):
        return Problem(page.path, line or page.line_of(field), field, message, WARNING)

    problems = []
    linked: set[str] = set()
    for page in [*terms, *articles]:
        targets = {owners[key].slug for key in map(name_key, page.related) if key in owners}
        in_text = {owners[key].slug for key in (name_key(link.target)
                                                 for link in find_links(page.markdown))
                   if key in owners}
        linked |= (targets | in_text) - {page.slug}
        problems += [warn(page, "tags", message) for message in map(tag_problem, page.tags)
                     if message is not None]
        if page.kind == "term" and len(targets - {page.slug}) < MIN_RELATED:
            problems.append(warn(page, "related", f"needs at least {MIN_RELATED} related "
                                 "entries other than itself"))
        if (page.kind == "article" and len(in_text) < MIN_ARTICLE_LINKS
                and len(terms) >= SMALL_GLOSSARY):
            problems.append(warn(page, "body", f"links to {len(in_text)} terms; an article "
                                 f"links to at least {MIN_ARTICLE_LINKS}", page.body_line))
        for number, text in _lines(page):
            if _OLD_KERAS.search(text) and "on purpose" not in text:
                problems.append(warn(page, "style", "Keras 3 style: use keras.Input(shape=...)"
                                     " and `import keras`, not input_shape= or tf.keras",
                                     number))
    for term in terms:
        if term.slug not in linked:
            problems.append(warn(term, "term", "no other entry or article links to it; "
                                 "add it to the related list or text of an entry"))
        for index, example in enumerate(term.examples):
            if not re.search(r"\bassert\w*|\btesting\.assert", example.code):
                problems.append(warn(term, f"examples[{index}].code", "the example asserts "
                                     "nothing; assert the entry's claim", example.code_line))
    return problems


def _lines(page: Term | Article) -> Iterable[tuple[int, str]]:
    """The lines of a page's text and code, each with its line in the file."""
    for offset, text in enumerate(page.markdown.splitlines()):
        if "`input_shape=`" not in text and "`tensorflow.keras`" not in text:
            yield page.markdown_line + offset, text
    for example in page.examples:
        for offset, text in enumerate(example.code.splitlines()):
            if "applications." not in text:  # keras.applications still take input_shape
                yield example.code_line + offset, text
