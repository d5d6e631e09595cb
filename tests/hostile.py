"""A generator of hostile glossary entries and articles, for the hostile-content tests.

Every payload tries to run `alert("kbxss")` (or to smuggle markup, links or escapes)
from a different field and in a different way; a published site must show them as text
or refuse them, never run them.
"""
import random

MARK = "kbxss"
PAYLOADS = [
    f'<img src=x onerror="alert(\'{MARK}\')">',
    f"<script>alert('{MARK}')</script>",
    f'<svg onload="alert(\'{MARK}\')"></svg>',
    f'<a href="javascript:alert(\'{MARK}\')">x</a>',
    f"[click](javascript:alert('{MARK}'))",
    f"[click](JaVaScRiPt:alert('{MARK}'))",
    f"![x](data:text/html,<script>alert('{MARK}')</script>)",
    f"<iframe src=\"javascript:alert('{MARK}')\"></iframe>",
    f'"><img src=x onerror=alert("{MARK}")>',
    f"</title><script>alert('{MARK}')</script>",
    f"$$ </div><img src=x onerror=alert('{MARK}')> $$",
    f"```\n</code></pre><img src=x onerror=alert('{MARK}')>\n```",
    f"[x]: javascript:alert('{MARK}')",
    f"<javascript:alert('{MARK}')>",
    f"&lt;img src=x onerror=alert('{MARK}')&gt;",
    f"\x1b[2J\x1b]0;{MARK}\x07",
    f"*[{MARK}]: <img src=x onerror=alert('{MARK}')>",
]
FIELDS = ["term", "aliases", "keywords", "summary", "definition", "formula", "title", "code",
          "label", "article_title", "article_summary", "article_body"]


def _quoted(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") \
        .replace("\x1b", "\\e").replace("\x07", "\\a") + '"'


def entry(number: int, field: str, payload: str) -> tuple[str, str]:
    """(file name, YAML text) of a term with the payload in one field."""
    values = {"term": f"Hostile {number}", "aliases": f"hostile alias {number}",
              "keywords": "hostile", "summary": f"A hostile entry number {number}.",
              "definition": f"Text of entry {number} that links [[relu]].",
              "formula": "x^2", "title": f"Example {number}",
              "code": f"value = {number}\nassert value == {number}"}
    if field == "label":
        values["definition"] = f"Text that links [[relu|{payload}]]."
    elif field in values:
        values[field] = (f"{values[field]} {payload}" if field not in ("code",)
                         else f"text = {payload!r}\nassert text")
    code = "\n".join("      " + line for line in values["code"].splitlines())
    text = (f"term: {_quoted(values['term'])}\naliases: [{_quoted(values['aliases'])}]\n"
            f"category: fundamentals\ntags: [activation]\n"
            f"keywords: [{_quoted(values['keywords'])}]\n"
            f"summary: {_quoted(values['summary'])}\n"
            f"definition: {_quoted(values['definition'])}\n"
            f"formula: {_quoted(values['formula'])}\n"
            f"examples:\n  - title: {_quoted(values['title'])}\n    code: |\n{code}\n"
            "related: [relu, sigmoid]\n")
    return f"hostile-{number}.yaml", text


def article(number: int, field: str, payload: str) -> tuple[str, str]:
    title, summary = f"Hostile article {number}", f"A hostile article number {number}."
    body = (f"About [[relu]], [[sigmoid]], [[vanishing gradient]], [[plain-one]] and "
            f"[[plain-two]], article {number}.\n")
    if field == "article_title":
        title += " " + payload
    elif field == "article_summary":
        summary = summary[:-1] + " " + payload + "."
    else:
        body += "\n" + payload + "\n"
    return (f"hostile-article-{number}.md",
            f"---\ntitle: {_quoted(title)}\nsummary: {_quoted(summary)}\n---\n\n{body}")


PLAIN = {name: (f"term: {name.replace('-', ' ').title()}\ncategory: fundamentals\n"
                f"summary: A plain entry the hostile articles link to.\n"
                f"definition: |\n  Plain text about [[relu]].\nrelated: [relu, sigmoid]\n")
         for name in ("plain-one", "plain-two")}


def corpus(seed: int = 0, count: int = 60):
    """(kind, name, text) triples: every payload in every field at least once in a
    while, in an order a seed fixes."""
    rng = random.Random(seed)
    pairs = [(f, p) for f in FIELDS for p in PAYLOADS]
    rng.shuffle(pairs)
    for number, (field, payload) in enumerate(pairs[:count]):
        if field.startswith("article"):
            yield ("article", *article(number, field, payload))
        else:
            yield ("term", *entry(number, field, payload))
