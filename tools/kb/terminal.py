"""What ``kb`` prints: styled text on a terminal, plain text when piped, or JSON.

Every string from the content or the query passes through ``clean`` first, so nothing
can smuggle terminal escape sequences onto the user's screen.
"""
import functools
import json
import os
import re
import sys
import textwrap

from .categories import CATEGORIES
from .sanitize import clean

_MARK_OPEN, _MARK_CLOSE = "\x01", "\x02"


def clean_highlight(text: str) -> tuple[str, list[tuple[int, int]]]:
    """An excerpt without its \x01..\x02 match markers, and where the matches were."""
    plain, spans, start = [], [], None
    for ch in text:
        if ch == _MARK_OPEN:
            start = sum(map(len, plain))
        elif ch == _MARK_CLOSE and start is not None:
            spans.append((start, sum(map(len, plain))))
            start = None
        else:
            plain.append(clean(ch))
    return "".join(plain), spans


def emit_json(value) -> None:
    sys.stdout.write(json.dumps(value, ensure_ascii=True, indent=2) + "\n")


@functools.cache
def _width() -> int:
    try:
        columns = os.get_terminal_size(sys.stdout.fileno()).columns
    except (OSError, ValueError):
        columns = os.environ.get("COLUMNS", "")
        columns = int(columns) if columns.isdigit() else 88
    return min(max(columns, 20), 100) if columns > 0 else 88  # narrow: as narrow as it reads


def _wrap(text: str, indent: str = "") -> str:
    paragraphs = clean(text).split("\n\n")
    return "\n\n".join(
        p if p.lstrip().startswith(("```", "|", "- ", "* ", "1.")) else
        textwrap.fill(" ".join(p.split()), _width(), initial_indent=indent,
                      subsequent_indent=indent)
        for p in paragraphs
    )


_ANSI = {"bold": "1", "dim": "2", "italic": "3", "underline": "4", "yellow": "33",
         "blue": "34", "magenta": "35", "cyan": "36"}
_BOLD_SPAN = re.compile(r"\*\*([^*\n]+)\*\*")
_CODE_SPAN = re.compile(r"`([^`\n]+)`")


def _paint(text: str, styles: str, styled: bool) -> str:
    """Text in ANSI styles ("bold cyan") on a terminal, unchanged otherwise.

    Hand-written rather than rich: importing rich alone takes longer than a whole
    `kb lookup`, and a lookup on a terminal must stay within twice the piped time."""
    if not styled or not styles:
        return text
    codes = ";".join(_ANSI[name] for name in styles.split())
    return f"\x1b[{codes}m{text}\x1b[0m"


def _inline(text: str, styled: bool) -> str:
    """On a terminal, **bold** and `code` spans of Markdown shown as styles."""
    if not styled:
        return text
    text = _BOLD_SPAN.sub(lambda m: _paint(m.group(1), "bold", True), text)
    return _CODE_SPAN.sub(lambda m: _paint(m.group(1), "cyan", True), text)


def use_styles() -> bool:
    """Colour and bold only on a terminal that shows them (not NO_COLOR, not TERM=dumb)."""
    return (sys.stdout.isatty() and not os.environ.get("NO_COLOR")
            and os.environ.get("TERM") != "dumb")


def lookup_text(record: dict, note: str | None, styled: bool = False) -> str:
    lines = []
    if note:
        lines += [_paint(f"({clean(note)})", "italic yellow", styled), ""]
    lines.append(_paint(clean(record["title"]), "bold cyan", styled))
    if record["aliases"]:
        lines.append(_paint("Also: " + ", ".join(clean(a) for a in record["aliases"]), "dim",
                            styled))
    if record["category"]:
        category = CATEGORIES.get(record["category"], record["category"])
        lines.append(_paint("Category: " + category, "magenta", styled))
    lines += ["", _paint(_wrap(record["summary"]), "bold", styled)]
    if record["formula"]:
        lines += ["", "Formula: " + clean(" ".join(record["formula"].split()))]
    lines += ["", _inline(_wrap(record["definition"]), styled)]
    if record["related"]:
        lines += ["", _paint("Related: ", "bold", styled)
                  + ", ".join(clean(r) for r in record["related"])]
    lines += ["", _paint(clean(record["url"]), "underline blue", styled)]
    return "\n".join(lines)


def candidates_text(candidates: list[dict]) -> str:
    return "\n".join(f"  {clean(c['slug'])}: {clean(c['summary'])}" for c in candidates)


def search_text(hits: list[dict], note: str | None, styled: bool = False) -> str:
    lines = [_paint(f"({clean(note)})", "italic yellow", styled), ""] if note else []
    for rank, hit in enumerate(hits, 1):
        excerpt, spans = clean_highlight(hit["excerpt"])
        for start, end in reversed(spans):
            word = excerpt[start:end]
            marked = _paint(word, "bold yellow", styled) if styled else f"*{word}*"
            excerpt = excerpt[:start] + marked + excerpt[end:]
        title = _paint(clean(hit["title"]), "bold cyan", styled)
        score = _paint(f"[{hit['kind']}] {hit['score']:.2f}", "dim", styled)
        lines += [f"{rank}. {title} {score}",
                  textwrap.indent(textwrap.fill(excerpt, _width() - 4), "   "),
                  "   " + _paint(hit["url"], "underline blue", styled)]
    return "\n".join(lines)
