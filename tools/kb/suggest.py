"""'Did you mean ...?' for misspelt fields, categories and link targets."""
from collections.abc import Iterable


def close_matches(word: str, choices: Iterable[str], limit: int = 3,
                  cutoff: float = 70, whole: bool = False) -> list[str]:
    """The choices closest to the word; ``whole`` compares whole strings only, so that
    a choice that merely contains the word does not win ('tahn': 'tanh', not
    'tanh_shrink')."""
    from rapidfuzz import fuzz, process, utils

    found = process.extract(
        word, list(choices), scorer=fuzz.ratio if whole else fuzz.WRatio,
        processor=utils.default_process,
        limit=limit, score_cutoff=cutoff,
    )
    return [choice for choice, _score, _index in found]


def did_you_mean(word: str, choices: Iterable[str], whole: bool = False) -> str:
    matches = close_matches(word, choices, limit=1, whole=whole)
    return f"; did you mean '{matches[0]}'?" if matches else ""
