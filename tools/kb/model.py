"""Plain dataclasses for what the knowledge base holds."""
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Example:
    code: str
    output: str | None
    title: str | None
    code_line: int  # 1-based line of the code's first line in its file


@dataclass(eq=False)
class Term:
    slug: str
    term: str
    aliases: list[str]
    category: str
    tags: list[str]
    summary: str
    definition: str
    formula: str | None
    examples: list[Example]
    related: list[str]
    path: str  # relative to the project root
    lines: dict[str, int] = field(default_factory=dict)  # field -> 1-based line

    kind = "term"

    @property
    def names(self) -> list[str]:
        return [self.slug, self.term, *self.aliases]

    def line_of(self, field_name: str) -> int:
        return self.lines.get(field_name, 1)


@dataclass(eq=False)
class Article:
    slug: str
    title: str
    summary: str
    tags: list[str]
    related: list[str]
    body: str
    path: str
    body_line: int  # 1-based line where the body starts
    lines: dict[str, int] = field(default_factory=dict)

    kind = "article"

    @property
    def term(self) -> str:
        return self.title

    def line_of(self, field_name: str) -> int:
        return self.lines.get(field_name, 1)
