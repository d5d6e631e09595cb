"""'Did you mean ...?' for misspelt fields, categories and link targets."""
from collections.abc import Iterable


def close_matches(word: str, choices: Iterable[str], limit: int = 3,
                  cutoff: float = 70) -> list[str]:
    from rapidfuzz import fuzz, process, utils

    found = process.extract(
        word, list(choices), scorer=fuzz.WRatio, processor=utils.default_process,
        limit=limit, score_cutoff=cutoff,
    )
    return [choice for choice, _score, _index in found]


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    matches = close_matches(word, choices, limit=1)
    return f"; did you mean '{matches[0]}'?" if matches else ""
