"""One error base class; the CLI turns these into a message and an exit code."""

class KBError(Exception):
    """An error meant for the user: printed as one message, never as a traceback."""

    exit_code = 1


class UsageError(KBError):
    exit_code = 2


class ProjectNotFound(KBError):
    exit_code = 2


class InvalidKnowledgeBase(KBError):
    def __init__(self, problems: list):  # of kb.problem.Problem
        self.problems = sorted(problems)
        count = len(self.problems)
        lines = "\n".join(f"  {p}" for p in self.problems)
        super().__init__(f"{count} problem(s) in the knowledge base:\n{lines}")
