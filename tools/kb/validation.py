"""Checks across entries: names that clash, links that lead nowhere, summaries, code.

Per-file problems (YAML syntax, schema) come from ``content``; these are the problems
that need the whole knowledge base to see.
"""
import re
from collections.abc import Iterable

from .links import find_links, name_key
from .model import Article, Term
from .problem import Problem
from .suggest import close_matches

_ABBREVIATIONS = re.compile(r"\b(?:e\.g|i\.e|vs|etc|cf|approx|Fig|Eq|no)\.", re.I)
_SENTENCE_END = re.compile(r"[.!?](?:\s+|$)")


def validate(terms: list[Term], articles: list[Article],
             pages: list[Article] = ()) -> list[Problem]:
    """``pages`` are the hand-written pages, whose links are checked like an article's."""
    owners, problems = _name_owners(terms)
    problems += _summary_problems([*terms, *articles])
    problems += _link_problems(terms, [*articles, *pages], owners)
    problems += _example_problems(terms)
    return problems


def _name_owners(terms: list[Term]) -> tuple[dict[str, Term], list[Problem]]:
    """Every name (slug, term, alias) -> its entry; a name claimed twice is a problem.

    Slugs are claimed first, then display names, then aliases, so a clash is reported
    on the weaker name (an alias that repeats another entry's slug, say).
    """
    owners: dict[str, Term] = {}
    problems = []
    tiers = [
        [(term, term.slug, "slug") for term in terms],
        [(term, term.term, "term") for term in terms],
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
                f"('{owner.term}'); names are compared ignoring case and punctuation",
            ))
    return owners, problems


def _summary_problems(pages: Iterable[Term | Article]) -> list[Problem]:
    problems = []
    for page in pages:
        summary = page.summary.strip()
        line = page.line_of("summary")
        if not summary:
            problems.append(Problem(page.path, line, "summary", "is empty"))
            continue
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
            problems.append(Problem(path, line, field, f"unknown term '{target}'{hint}"))

    for page in [*terms, *articles]:
        for index, target in enumerate(page.related):
            check(target, page.path, page.line_of("related"), f"related[{index}]")
        if isinstance(page, Term):
            text, first_line, field = page.definition, page.line_of("definition") + 1, "definition"
        else:
            text, first_line, field = page.body, page.body_line, "body"
        for link in find_links(text):
            check(link.target, page.path, first_line + link.line - 1, field)
    return problems


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
