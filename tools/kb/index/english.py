"""Common English words, so that search corrects a misspelling but never a word of
English: "printer not working" is not "printed not working", "insurance policy" is not
"instance policy". The list is written into the index by the build, from pyspellchecker's
English word frequencies (the only module that imports it), and read back as a set.
The site's search box gets the same list in its data file (``site.search_data``).
"""
from functools import cache
from pathlib import Path

FILE = "english.txt"  # in the index directory: one word per line, sorted
COMMON = 1000  # times a word occurs in pyspellchecker's English corpus to count as common
# (18,000 words: "printer" 2,514; "jacobean" 50, so "jacobean matrix" is still corrected)


@cache
def words() -> tuple[str, ...]:
    """The common English words (lower case, letters only), sorted."""
    from spellchecker import SpellChecker

    counts = SpellChecker(language="en", distance=1).word_frequency.dictionary
    return tuple(sorted(word for word, count in counts.items()
                        if count >= COMMON and word.isascii() and word.isalpha()))


def write(directory: Path) -> None:
    """The index's list of common English words (``words``), one per line."""
    (directory / FILE).write_text("\n".join(words()) + "\n", encoding="ascii")


def read(directory: Path) -> frozenset[str]:
    """The words ``write`` wrote (OSError when the file is missing or unreadable)."""
    return frozenset((directory / FILE).read_text(encoding="ascii").split())
