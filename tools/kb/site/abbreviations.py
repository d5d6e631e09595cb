"""Abbreviations among the aliases (CNN, LSTM, ReLU): their hover text on every page
that uses them, and the data that links each one to its entry."""
import html
import json
import re

from ..knowledge import KnowledgeBase
from ..model import Term

_WORD = re.compile(r"[\w+#]+")


def is_abbreviation(name: str) -> bool:
    letters = [ch for ch in name if ch.isalpha()]
    capitals = sum(ch.isupper() for ch in letters)
    return (2 <= len(name) <= 8 and " " not in name and capitals >= 2 and name.isalnum()
            and name.isascii())


def abbreviations_of(term: Term) -> list[str]:
    """The term's aliases that are abbreviations, in their order."""
    return [alias for alias in term.aliases if is_abbreviation(alias)]


def abbreviation_of(term: Term) -> str | None:
    """The term's usual abbreviation: its first alias that is one."""
    return next(iter(abbreviations_of(term)), None)


def _abbreviated(knowledge_base: KnowledgeBase):
    return ((alias, term) for term in knowledge_base.terms.values() for alias in term.aliases
            if is_abbreviation(alias) and alias != term.title)


def abbreviation_map(knowledge_base: KnowledgeBase) -> dict[str, str]:
    """Every abbreviation -> the name of the term it stands for."""
    return {alias: term.title for alias, term in _abbreviated(knowledge_base)}


def abbreviations_script(knowledge_base: KnowledgeBase) -> str:
    """abbreviation -> slug, for abbreviation-links.js to link each one to its entry."""
    slugs = {alias: term.slug for alias, term in _abbreviated(knowledge_base)}
    return f"window.kbAbbreviations = {json.dumps(slugs, sort_keys=True)};\n"


def definitions_for(markdown: str, mapping: dict[str, str]) -> str:
    """Definitions for the abbr extension, only for the abbreviations a page uses, so a
    page's size does not grow with the glossary."""
    used = set(_WORD.findall(markdown)) & mapping.keys()
    return "\n".join(f"*[{alias}]: {html.escape(' '.join(mapping[alias].split()))}"
                     for alias in sorted(used))
