"""Text from the content or a query, made safe to print: no control or bidi characters
(terminal escapes), and never a huge value inside a message."""
import re

UNSAFE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def clean(text: str) -> str:
    return UNSAFE.sub("", text)


def short(value: object, limit: int = 60) -> str:
    """A value as it may appear in a message: cleaned and cut to ``limit`` characters."""
    text = clean(value if isinstance(value, str) else str(value)[: limit + 1])
    return text if len(text) <= limit else text[: limit - 1] + "…"
