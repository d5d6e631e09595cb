"""What Markdown from the content may contain: Markdown, but no raw HTML and no link
to a `javascript:`, `data:` or other unsafe URL, and no relative link to a missing file.

The text is parsed with markdown-it (CommonMark), so that HTML and links are found as a
Markdown renderer sees them, not by pattern; code spans, code blocks and fences are
never HTML. Mermaid diagrams are fences too: Mermaid sanitises its own labels.
"""
import posixpath
from urllib.parse import unquote, urlsplit

from markdown_it import MarkdownIt

from .sanitize import short

SAFE_SCHEMES = {"http", "https", "mailto"}
_parser = MarkdownIt("commonmark")
_parser.validateLink = lambda url: True  # see every link, then judge it here


def markdown_problems(text: str, here: str, known: set[str]) -> list[tuple[int, str]]:
    """(line within the text, message) for each problem; ``here`` is the page's folder in
    the docs tree and ``known`` every docs-tree path a relative link may reach."""
    if "<" not in text and "](" not in text and "]:" not in text:
        return []  # nothing that could be HTML or a link: most entries
    problems = []
    for token in _parser.parse(text):
        line = token.map[0] + 1 if token.map else 1
        if token.type == "html_block":
            problems.append((line, _html_message(token.content)))
        breaks = 0  # line breaks inside the paragraph so far
        for child in token.children or []:
            breaks += child.type in ("softbreak", "hardbreak")
            if child.type == "html_inline":
                problems.append((line + breaks, _html_message(child.content)))
            elif child.type in ("link_open", "image"):
                url = str(child.attrs.get("href") or child.attrs.get("src") or "")
                message = url_problem(url, here, known)
                if message:
                    problems.append((line + breaks, message))
    return problems


def scheme_problem(url: str) -> str | None:
    """Why a URL may not be published whatever it points at (not a URL, or a scheme
    other than http, https and mailto), or None."""
    shown = _shown(url)
    try:
        scheme = urlsplit(url.strip()).scheme
    except ValueError:
        return f"link '{shown}' is not a valid URL"
    if scheme and scheme.lower() not in SAFE_SCHEMES:
        return (f"link '{shown}' uses the '{scheme[:20]}:' scheme; only http, https and "
                "mailto links are published")
    return None


def url_problem(url: str, here: str, known: set[str]) -> str | None:
    """Why a link target is not allowed, or None."""
    problem = scheme_problem(url)
    if problem:
        return problem
    shown = _shown(url)
    parts = urlsplit(url.strip())
    if parts.scheme:
        return None
    if parts.netloc or url.strip().startswith("//"):  # //host/…: another site, no scheme
        return (f"link '{shown}' names another site without a scheme; write it with "
                "https:// (from a page saved to disk, it would point at a file)")
    if not parts.path:  # #anchor
        return None
    target = posixpath.normpath(posixpath.join(here, unquote(parts.path)))
    candidates = {target, target + ".md", posixpath.join(target, "index.md")}
    if target.startswith("..") or not candidates & known:
        return (f"link '{shown}' points at a page or file that does not exist; link entries "
                "with [[slug]]")
    return None


def _shown(url: str) -> str:
    """A link target as a message quotes it: on one line (a newline inside it written
    \\n), cleaned and cut."""
    return short(url.replace("\n", "\\n").replace("\t", "\\t"), 80)


def _html_message(content: str) -> str:
    tag = content.strip().split()[0] if content.strip() else "<"
    return (f"raw HTML ({tag[:30]}) is not allowed in content; write Markdown, or put "
            "markup in a code span")
