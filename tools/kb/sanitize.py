"""Text from the content or a query, made safe to print: no control or bidi characters
(terminal escapes), and never a huge value inside a message."""
import re

# C0 and C1 controls but tab and newline; bidi controls and marks; invisible characters
# (zero-width space and joiners, word joiner, BOM inside text, tag characters); line and
# paragraph separators
UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200b-\u200f\u2028-\u202e"
                    "\u2060-\u2064\u2066-\u2069\ufeff\U000e0000-\U000e007f]")


def clean(text: str) -> str:
    return UNSAFE.sub("", text)


def short(value: object, limit: int = 60) -> str:
    """A value as it may appear in a message: cleaned and cut to ``limit`` characters."""
    text = clean(value if isinstance(value, str) else str(value)[: limit + 1])
    return text if len(text) <= limit else text[: limit - 1] + "…"
