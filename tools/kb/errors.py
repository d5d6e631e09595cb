"""One error base class; the CLI turns these into a message and an exit code."""
from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with the content, at a place a contributor can find."""

    path: str
    line: int
    field: str
    message: str

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        field = f" [{self.field}]" if self.field else ""
        return f"{where}:{field} {self.message}"


class KBError(Exception):
    """An error meant for the user: printed as one message, never as a traceback."""

    exit_code = 1


class UsageError(KBError):
    exit_code = 2


class ProjectNotFound(KBError):
    exit_code = 2


class InvalidKnowledgeBase(KBError):
    def __init__(self, problems: list[Problem]):
        self.problems = sorted(problems)
        count = len(self.problems)
        lines = "\n".join(f"  {p}" for p in self.problems)
        super().__init__(f"{count} problem(s) in the knowledge base:\n{lines}")
