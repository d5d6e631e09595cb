"""Plain dataclasses for what the knowledge base holds.

A term and an article share one small surface: ``kind``, ``slug``, ``title``, ``names``,
``summary``, ``tags``, ``keywords``, ``related``, ``markdown`` (the text with its links) and
``markdown_line``, ``path`` and ``line_of``. Code that treats both alike uses only these.
"""
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Example:
    code: str
    output: str | None
    title: str | None
    code_line: int  # 1-based line of the code's first line in its file
    output_line: int | None = None  # 1-based line of the expected output's first line


@dataclass(eq=False)
class Term:
    slug: str
    title: str  # the entry's `term:` field
    aliases: list[str]
    category: str
    tags: list[str]  # from the documented set (kb.tags)
    keywords: list[str]  # other words a reader may search with; not shown
    summary: str
    definition: str
    formula: str | None
    examples: list[Example]
    related: list[str]
    path: str  # relative to the project root
    lines: dict[str, int] = field(default_factory=dict)  # field -> 1-based line
    definition_line: int = 1  # 1-based line of the definition's first line of text

    kind = "term"

    @property
    def names(self) -> list[str]:
        return [self.slug, self.title, *self.aliases]

    @property
    def markdown(self) -> str:
        return self.definition

    @property
    def markdown_line(self) -> int:
        return self.definition_line

    def line_of(self, field_name: str) -> int:
        return self.lines.get(field_name, 1)


@dataclass(eq=False)
class Article:
    slug: str
    title: str
    summary: str
    tags: list[str]
    keywords: list[str]
    related: list[str]
    body: str
    path: str
    body_line: int  # 1-based line where the body starts
    lines: dict[str, int] = field(default_factory=dict)

    kind = "article"
    aliases = ()
    category = None
    formula = None
    examples = ()

    @property
    def names(self) -> list[str]:
        return [self.slug, self.title]

    @property
    def markdown(self) -> str:
        return self.body

    @property
    def markdown_line(self) -> int:
        return self.body_line

    def line_of(self, field_name: str) -> int:
        return self.lines.get(field_name, 1)
