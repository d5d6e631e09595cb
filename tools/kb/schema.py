"""The declarative schema of a glossary entry and of an article's front matter.

Each field carries its own description; docs/contributing.md documents the same fields
and a test keeps the two in step.
"""
from .categories import CATEGORIES

_TEXT = {"type": "string", "minLength": 1}
# Names and titles reach page titles, navigation and search data: plain text only.
NAME_PATTERN = r"^[^<\x00-\x1f\x7f]*$"
_NAME = {"type": "string", "minLength": 1, "maxLength": 120, "pattern": NAME_PATTERN}
_TEXT_LIST = {"type": "array", "items": _TEXT}
_NAME_LIST = {"type": "array", "items": _NAME}
_SLUG_LIST = {"type": "array", "items": _NAME, "minItems": 2}

TERM_FIELDS: dict[str, dict] = {
    "term": {**_NAME, "description": "The display name."},
    "aliases": {**_NAME_LIST, "description": "Synonyms, abbreviations, other spellings."},
    "category": {"enum": list(CATEGORIES), "description": "One of the fixed categories."},
    "tags": {**_NAME_LIST, "description": "Tags from the documented set (tools/kb/tags.py)."},
    "keywords": {**_NAME_LIST, "description": "Other words a reader may search with."},
    "summary": {**_TEXT, "maxLength": 600, "description": "Exactly one sentence."},
    "definition": {**_TEXT, "description": "Markdown that teaches the idea."},
    "formula": {**_TEXT, "description": "LaTeX, without $ delimiters."},
    "examples": {
        "type": "array",
        "description": "Runnable examples, each a test.",
        "items": {
            "type": "object",
            "required": ["code"],
            "additionalProperties": False,
            "properties": {"code": _TEXT, "output": {"type": "string"},
                           "title": {**_TEXT, "maxLength": 200, "pattern": NAME_PATTERN}},
        },
    },
    "related": {**_SLUG_LIST, "description": "Slugs or aliases of entries to read next."},
}
TERM_REQUIRED = ["term", "category", "summary", "definition", "related"]

ARTICLE_FIELDS: dict[str, dict] = {
    "title": {**_NAME, "description": "The article's title."},
    "summary": {**_TEXT, "description": "One sentence saying what it explains."},
    "tags": {**_NAME_LIST, "description": "Tags from the documented set (tools/kb/tags.py)."},
    "keywords": {**_NAME_LIST, "description": "Other words a reader may search with."},
    "related": {**_NAME_LIST, "description": "Slugs or aliases of related terms."},
}
ARTICLE_REQUIRED = ["title", "summary"]


def object_schema(fields: dict[str, dict], required: list[str]) -> dict:
    return {
        "type": "object",
        "required": required,
        "additionalProperties": False,
        "properties": fields,
    }


TERM_SCHEMA = object_schema(TERM_FIELDS, TERM_REQUIRED)
ARTICLE_SCHEMA = object_schema(ARTICLE_FIELDS, ARTICLE_REQUIRED)
