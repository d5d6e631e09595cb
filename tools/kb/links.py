"""The text conventions every module shares: the [[target|label]] cross-link syntax,
code fences, and how names and words are folded so that spellings meet."""
import re
import unicodedata
from collections import namedtuple
from collections.abc import Callable, Iterator

LINK = re.compile(r"\[\[([^\[\]|]+?)(?:\|([^\[\]]+?))?\]\]")
# A fenced code block (CommonMark: indented up to 3 spaces, closed by the same fence or
# by the end of the text).
FENCE = re.compile(r"^[ \t]{0,3}(`{3,}|~{3,})[^\n]*\n.*?(?:^[ \t]{0,3}\1[ \t]*$\n?|\Z)",
                   re.S | re.M)
_INLINE_CODE = re.compile(r"(`+)(?!`)[^`]+?(?<!`)\1")
# Display and inline math; an unclosed \( ends at the end of its paragraph, so a
# stray delimiter cannot make the scan quadratic.
# inline maths ends before a blank line or another \( (so that many unclosed \( are
# each scanned only as far as the next one: linear, where it had been quadratic)
_MATH = re.compile(r"\$\$(?:(?!\$\$).)*?\$\$|\\\((?:(?!\n\n|\\\().)*?\\\)", re.S)
# British spellings and their American forms: -ise (normalise), -our (neighbour, colour),
# -tre (centre, metre) and -yse (analyse); the content and its readers write both
_BRITISH = ((re.compile(r"(?<=\w\w)is(?=ations?\b|ing\b|ed\b|ers?\b|e\b|es\b|abl)"), "is", "iz"),
            (re.compile(r"(?<=\w\w)our(?=s?\b|ed\b|ing\b|hoods?\b|ite|abl|al|ful)"), "our", "or"),
            (re.compile(r"(?<=\w\w)tre(?=s?\b|d\b)"), "tre", "ter"),
            (re.compile(r"(?<=\w\w)ys(?=e\b|es\b|ed\b|ing\b)"), "ys", "yz"))


class Link(namedtuple("Link", "target label line start end")):
    """A [[target|label]] found in a text; ``line`` is 1-based within that text."""

    __slots__ = ()


def name_key(name: str) -> str:
    """How names compare: case, width, spaces, hyphens and punctuation ignored."""
    folded = unicodedata.normalize("NFKC", name).casefold()
    return "".join(ch for ch in folded if ch.isalnum() or ch in "+#")


def fold(text: str) -> str:
    """Text with accents dropped and British spellings made American, so that
    `régularisation` and `regularization`, `neighbours` and `neighbors` meet (used for
    names and for indexed words)."""
    if not text.isascii():
        text = unicodedata.normalize("NFKD", unicodedata.normalize("NFKC", text))
        text = "".join(ch for ch in text if not unicodedata.combining(ch))
    for spelling, british, american in _BRITISH:
        if british in text:
            text = spelling.sub(american, text)
    return text


def link_label(link: Link, title: str | None) -> str:
    """What a link shows: its own label, else the target's title, else the target."""
    return link.label or title or link.target


_CODE_OR_MATH = re.compile(f"{_INLINE_CODE.pattern}|{_MATH.pattern}", re.S)


def _code_spans(text: str) -> list[tuple[int, int]]:
    """Fenced blocks, then code spans and maths in the text between them, scanned from
    left to right as a renderer reads them (a backtick inside a fence never pairs with
    one outside it)."""
    spans, position = [], 0
    for fence in [*FENCE.finditer(text), None]:
        end = fence.start() if fence else len(text)
        spans += [m.span() for m in _CODE_OR_MATH.finditer(text, position, end)]
        if fence:
            spans.append(fence.span())
            position = fence.end()
    return sorted(spans)


def find_links(text: str) -> Iterator[Link]:
    """Every link outside code blocks, inline code and math. A label may wrap onto the
    next line of its file; it is read as one line."""
    spans = _code_spans(text)
    for match in LINK.finditer(text):
        if any(a <= match.start() < b for a, b in spans):
            continue
        target = " ".join(match.group(1).split())
        label = " ".join(match.group(2).split()) if match.group(2) else None
        line = text.count("\n", 0, match.start()) + 1
        yield Link(target, label, line, match.start(), match.end())


def replace_links(text: str, render: Callable[[Link], str]) -> str:
    parts, position = [], 0
    for link in find_links(text):
        parts += [text[position:link.start], render(link)]
        position = link.end
    return "".join(parts) + text[position:]


def strip_fences(markdown: str) -> str:
    return FENCE.sub("", markdown)
