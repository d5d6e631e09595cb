"""One error base class; the CLI turns these into a message and an exit code."""

class KBError(Exception):
    """An error meant for the user: printed as one message, never as a traceback."""

    exit_code = 1


class UsageError(KBError):
    exit_code = 2


class ProjectNotFound(KBError):
    exit_code = 2


class InvalidKnowledgeBase(KBError):
    """The content is not usable (or, strictly, not publishable); ``limit``: how many
    problems the message lists (``kb check`` lists them all, a build the first 200)."""

    def __init__(self, problems: list, limit: int | None = 200):  # of kb.problem.Problem
        self.problems = sorted(problems)
        count = len(self.problems)
        lines = "\n".join(f"  {p}" for p in self.problems[:limit])
        if limit is not None and count > limit:
            lines += f"\n  ... and {count - limit} more (`kb check` lists them all)"
        super().__init__(f"{count} problem(s) in the knowledge base:\n{lines}")
