"""The [[target]] / [[target|label]] cross-link syntax, shared by terms and articles."""
import re
import unicodedata
from collections import namedtuple
from collections.abc import Callable, Iterator

LINK = re.compile(r"\[\[([^\[\]|\n]+?)(?:\|([^\[\]\n]+?))?\]\]")
_FENCE = re.compile(r"^[ \t]*(`{3,}|~{3,})[^\n]*\n.*?(?:^[ \t]*\1[ \t]*$|\Z)", re.S | re.M)
_INLINE_CODE = re.compile(r"(`+)(?!`).+?(?<!`)\1")
_MATH = re.compile(r"\$\$.*?\$\$|\\\(.*?\\\)", re.S)


class Link(namedtuple("Link", "target label line start end")):
    """A [[target|label]] found in a text; ``line`` is 1-based within that text."""

    __slots__ = ()


def name_key(name: str) -> str:
    """How names compare: case, accents' forms, spaces, hyphens and punctuation ignored."""
    folded = unicodedata.normalize("NFKC", name).casefold()
    return "".join(ch for ch in folded if ch.isalnum() or ch in "+#")


def _code_spans(text: str) -> list[tuple[int, int]]:
    spans = [m.span() for m in _FENCE.finditer(text)]
    for pattern in (_INLINE_CODE, _MATH):
        spans += [m.span() for m in pattern.finditer(text)
                  if not any(a <= m.start() < b for a, b in spans)]
    return spans


def find_links(text: str) -> Iterator[Link]:
    """Every link outside code blocks, inline code and math."""
    spans = _code_spans(text)
    for match in LINK.finditer(text):
        if any(a <= match.start() < b for a, b in spans):
            continue
        label = match.group(2).strip() if match.group(2) else None
        line = text.count("\n", 0, match.start()) + 1
        yield Link(match.group(1).strip(), label, line, match.start(), match.end())


def replace_links(text: str, render: Callable[[Link], str]) -> str:
    parts, position = [], 0
    for link in find_links(text):
        parts += [text[position:link.start], render(link)]
        position = link.end
    return "".join(parts) + text[position:]
