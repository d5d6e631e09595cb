"""A problem with the content, at the file, line and field where it is."""
from dataclasses import dataclass

from .sanitize import clean

ERROR, WARNING = "error", "warning"


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with the content, at a place a contributor can find.

    An error stops every build; a warning is policy (links, related terms, style) that
    ``kb check --strict`` and ``kb build`` enforce and plain ``kb check`` only reports."""

    path: str
    line: int
    field: str
    message: str
    severity: str = ERROR

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        field = f" [{self.field}]" if self.field else ""
        kind = " warning:" if self.severity == WARNING else ""
        return clean(f"{where}:{kind}{field} {self.message}")
