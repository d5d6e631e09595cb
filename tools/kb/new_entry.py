"""``kb new "Term name" --category C``: a new glossary entry, every field stubbed and
explained from ``kb.schema``, refused when its name, slug or an alias is already another
entry's (names compared as ``kb lookup`` compares them).

The stub loads without errors, so ``kb lookup`` keeps working while it is being
written; its placeholders say TODO, its related list starts with two entries of the same
category to replace, and until another entry links to it ``kb check --strict`` and
``kb build`` refuse it, so a stub is never published by accident.
"""
import json
import os
import re
import textwrap
import unicodedata
from pathlib import Path

from .categories import CATEGORIES
from .errors import KBError, UsageError
from .links import name_key
from .sanitize import UNSAFE
from .schema import NAME_PATTERN, TERM_FIELDS, TERM_REQUIRED

SCHEMA_LINE = "# yaml-language-server: $schema=../schema/entry.schema.json"


def slug_for(name: str) -> str:
    folded = unicodedata.normalize("NFKD", name)
    folded = "".join(ch for ch in folded if not unicodedata.combining(ch)).lower()
    folded = folded.replace("++", "pp").replace("#", "sharp")
    return re.sub(r"[^a-z0-9]+", "-", folded).strip("-")


def check_name(name: str, what: str) -> str:
    name = name.strip()
    if not name or not name_key(name):
        raise UsageError(f"the {what} needs letters or digits")
    if len(name) > 120 or not re.match(NAME_PATTERN, name) or UNSAFE.search(name):
        raise UsageError(f"the {what} must be plain text of at most 120 characters "
                         "(no '<', no control, bidirectional or zero-width characters)")
    return name


def conflicts(catalog, names: list[str]) -> list[str]:
    """Each name that another entry already has, or that ``kb lookup`` reads as one of
    its names (a plural, a British spelling: "relus" is *ReLU*), with its owner."""
    from .lookup import resolve_name

    found, seen = [], set()
    for name in names:
        if name_key(name) in seen:
            continue
        seen.add(name_key(name))
        owner, how = resolve_name(catalog, name_key(name))
        if owner is not None:
            record = catalog.record(owner)
            claimed = "a name" if how == "exact" else "read by kb lookup as a name"
            found.append(f"'{name}' is already {claimed} of {record['path']} "
                         f"('{record['title']}')")
    return found


def _quoted(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)  # a JSON string is a YAML string


def _comment(field: str) -> str:
    spec = TERM_FIELDS[field]
    need = "required" if field in TERM_REQUIRED else "optional"
    text = f"{field} ({need}): {spec['description']}"
    if field == "category":
        text += " Choose from: " + ", ".join(CATEGORIES) + "."
    return textwrap.fill(text, 86, initial_indent="# ", subsequent_indent="#   ")


def stub(name: str, category: str, aliases: list[str], related: list[str]) -> str:
    """The text of a new entry: every field of ``kb.schema``, in its order, with its
    description; optional fields with no value yet are left commented out."""
    values = {
        "term": _quoted(name),
        "aliases": "[" + ", ".join(_quoted(a) for a in aliases) + "]",
        "category": category,
        "tags": "[]",
        "summary": _quoted(f"TODO: say in one sentence what {name} is."),
        "definition": "|\n  TODO: Markdown that teaches the idea: what it is, why it "
                      "matters, how it is\n  used. Link other entries as `[[slug]]` or "
                      "`[[slug|label]]`.",
        "related": "[" + ", ".join(related) + "]  # TODO: at least two entries to read next",
    }
    commented = {
        "keywords": "# keywords: []",
        "formula": "# formula: |\n#   \\mathrm{f}(x) = ...   (LaTeX, without $ delimiters)",
        "examples": ("# examples:\n#   - title: A short title\n#     code: |\n"
                     "#       import keras\n#       ...\n"
                     "#       assert ...   # every example runs as a test and asserts "
                     "the entry's claim\n#     output: |\n#       what it prints, if anything"),
    }
    lines = [SCHEMA_LINE,
             "# A new glossary entry: replace every TODO, then run `kb check --strict`.",
             "# Every field is explained in docs/contributing.md.", ""]
    for field in TERM_FIELDS:
        lines.append(_comment(field))
        if field in values:
            lines.append(f"{field}: {values[field]}")
        else:
            lines.append(commented[field])
        lines.append("")
    return "\n".join(lines)


def write_new(project, catalog, name: str, category: str, aliases: list[str],
              slug: str | None = None) -> Path:
    """Write ``glossary/<slug>.yaml``; UsageError when a name is taken or the file exists."""
    if project.bundled:
        raise UsageError("kb new writes into a project; this is the knowledge base "
                         "bundled with kb (run it inside a clone of the project, or set "
                         "KB_ROOT)")
    name = check_name(name, "term name")
    aliases = [check_name(alias, "alias") for alias in aliases]
    if category not in CATEGORIES:
        from .suggest import did_you_mean

        shown = category[:60]
        raise UsageError(f"unknown category '{shown}'{did_you_mean(shown, CATEGORIES)} "
                         f"(categories: {', '.join(CATEGORIES)})")
    if slug is None and not slug_for(name):
        raise UsageError(f"'{name}' has no Latin letters or digits to make a file name of: "
                         "give --slug with lowercase words joined by hyphens")
    slug = slug_for(name) if slug is None else slug
    if not re.fullmatch(r"[a-z0-9]+(?:-[a-z0-9]+)*", slug):
        raise UsageError(f"'{slug[:60]}' is not a slug: give --slug with lowercase "
                         "words joined by hyphens")
    taken = conflicts(catalog, [name, slug, *aliases])
    if taken:
        raise UsageError("refusing to create the entry: " + "; ".join(taken)
                         + " (names are compared ignoring case and punctuation)")
    path = project.glossary_dir / f"{slug}.yaml"
    terms = [r for r in catalog.all_records() if r["kind"] == "term"]
    related = [r["slug"] for r in terms if r["category"] == category]
    related += [r["slug"] for r in terms if r["category"] != category]
    text = stub(name, category, aliases, (related + ["TODO", "TODO"])[:2])
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o644)
    except FileExistsError:
        raise UsageError(f"{project.relative(path)} already exists") from None
    except OSError as error:
        raise KBError(f"cannot write {project.relative(path)}: {error.strerror}") from None
    with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
        handle.write(text)
    return path
