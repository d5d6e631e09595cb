"""What ``kb`` prints: rich formatting on a terminal, plain text when piped, or JSON.

Every string from the content or the query passes through ``clean`` first, so nothing
can smuggle terminal escape sequences onto the user's screen.
"""
import json
import re
import shutil
import sys
import textwrap

from .categories import CATEGORIES

_UNSAFE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")
_MARK_OPEN, _MARK_CLOSE = "\x01", "\x02"


def clean(text: str) -> str:
    return _UNSAFE.sub("", text)


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


def _width() -> int:
    return min(shutil.get_terminal_size((88, 24)).columns, 100)


def _wrap(text: str, indent: str = "") -> str:
    paragraphs = clean(text).split("\n\n")
    return "\n\n".join(
        p if p.lstrip().startswith(("```", "|", "- ", "* ", "1.")) else
        textwrap.fill(" ".join(p.split()), _width(), initial_indent=indent,
                      subsequent_indent=indent)
        for p in paragraphs
    )


def lookup_plain(record: dict, note: str | None) -> str:
    lines = []
    if note:
        lines += [f"({clean(note)})", ""]
    title = clean(record["term"])
    lines.append(title)
    if record["aliases"]:
        lines.append("Also: " + ", ".join(clean(a) for a in record["aliases"]))
    if record["category"]:
        lines.append("Category: " + CATEGORIES.get(record["category"], record["category"]))
    lines += ["", _wrap(record["summary"])]
    if record["formula"]:
        lines += ["", "Formula: " + clean(" ".join(record["formula"].split()))]
    lines += ["", _wrap(record["definition"])]
    if record["related"]:
        lines += ["", "Related: " + ", ".join(clean(r) for r in record["related"])]
    lines += ["", clean(record["url"])]
    return "\n".join(lines)


def lookup_rich(record: dict, note: str | None) -> None:
    from rich.console import Console
    from rich.markdown import Markdown
    from rich.panel import Panel
    from rich.text import Text

    console = Console(highlight=False)
    if note:
        console.print(Text(clean(note), style="italic yellow"))
    header = Text(clean(record["term"]), style="bold cyan")
    if record["aliases"]:
        header.append("  (" + ", ".join(clean(a) for a in record["aliases"]) + ")", style="dim")
    if record["category"]:
        header.append("\n" + CATEGORIES.get(record["category"], ""), style="magenta")
    console.print(Panel(Text(clean(record["summary"])), title=header, title_align="left"))
    if record["formula"]:
        console.print(Text("Formula: ", style="bold") + Text(clean(record["formula"])))
    console.print(Markdown(clean(record["definition"])))
    if record["related"]:
        console.print(Text("Related: ", style="bold") + Text(", ".join(record["related"])))
    console.print(Text(clean(record["url"]), style="underline blue"))


def candidates_plain(candidates: list[dict]) -> str:
    return "\n".join(f"  {clean(c['slug'])}: {clean(c['summary'])}" for c in candidates)


def search_plain(hits: list[dict], note: str | None) -> str:
    lines = [f"({clean(note)})", ""] if note else []
    for rank, hit in enumerate(hits, 1):
        excerpt, spans = clean_highlight(hit["excerpt"])
        for start, end in reversed(spans):
            excerpt = f"{excerpt[:start]}*{excerpt[start:end]}*{excerpt[end:]}"
        lines += [f"{rank}. {clean(hit['term'])} [{hit['kind']}] {hit['score']:.2f}",
                  textwrap.indent(textwrap.fill(excerpt, _width() - 4), "   "),
                  f"   {hit['url']}"]
    return "\n".join(lines)


def search_rich(hits: list[dict], note: str | None) -> None:
    from rich.console import Console
    from rich.text import Text

    console = Console(highlight=False)
    if note:
        console.print(Text(clean(note), style="italic yellow"))
    for rank, hit in enumerate(hits, 1):
        line = Text(f"{rank}. ", style="bold")
        line.append(clean(hit["term"]), style="bold cyan")
        line.append(f"  {hit['kind']}  {hit['score']:.2f}", style="dim")
        console.print(line)
        excerpt, spans = clean_highlight(hit["excerpt"])
        text = Text("   " + excerpt)
        for start, end in spans:
            text.stylize("bold yellow", start + 3, end + 3)
        console.print(text)
        console.print(Text("   " + hit["url"], style="underline blue"))
