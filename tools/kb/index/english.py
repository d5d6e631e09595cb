"""Common English words, so that search corrects a misspelling but never a word of
English: "printer not working" is not "printed not working", "insurance policy" is not
"instance policy". The list is written into the index by the build, from pyspellchecker's
English word frequencies (the only module that imports it), and read back as a set.
"""
from pathlib import Path

FILE = "english.txt"  # in the index directory: one word per line, sorted
COMMON = 1000  # times a word occurs in pyspellchecker's English corpus to count as common
# (18,000 words: "printer" 2,514; "jacobean" 50, so "jacobean matrix" is still corrected)


def write(directory: Path) -> None:
    """The index's list of common English words (lower case, letters only)."""
    from spellchecker import SpellChecker

    counts = SpellChecker(language="en", distance=1).word_frequency.dictionary
    words = sorted(word for word, count in counts.items()
                   if count >= COMMON and word.isascii() and word.isalpha())
    (directory / FILE).write_text("\n".join(words) + "\n", encoding="ascii")


def read(directory: Path) -> frozenset[str]:
    """The words ``write`` wrote (OSError when the file is missing or unreadable)."""
    return frozenset((directory / FILE).read_text(encoding="ascii").split())
