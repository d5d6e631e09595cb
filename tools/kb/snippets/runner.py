"""Running snippets in a worker process, with the time limit enforced from outside.

The worker compiles each snippet against its real file and line (so a traceback points
into the YAML or Markdown), captures what it prints and restores the state a snippet may
change (working directory, environment, argv, seeds, Keras session). The parent waits
at most the time limit for an answer and kills the worker otherwise, so no ``except``,
``signal`` or ``os._exit`` inside a snippet can hang or end the test run; the output is
compared in the parent, where a snippet cannot reach.
"""
import multiprocessing
import os

from . import Snippet, SnippetFailure, output_matches

DEFAULT_TIMEOUT = float(os.environ.get("KB_SNIPPET_TIMEOUT", "60"))
MAX_OUTPUT = 1_000_000  # characters kept of what a snippet prints


class Runner:
    """One worker process, started on first use and again after a kill; the blocks of
    one page share a namespace in it (``namespace`` names it)."""

    def __init__(self, timeout: float = DEFAULT_TIMEOUT):
        self.timeout = timeout
        self._process = None
        self._connection = None
        self.namespaces: set[str] = set()  # namespaces alive in the current worker

    def _start(self) -> None:
        context = multiprocessing.get_context("spawn")
        parent, child = context.Pipe()
        from .worker import serve
        self._process = context.Process(target=serve, args=(child,), daemon=True)
        self._process.start()
        child.close()
        self._connection = parent
        self.namespaces = set()

    def stop(self) -> None:
        if self._process is not None:
            self._process.kill()
            self._process.join()
            self._connection.close()
        self._process = self._connection = None
        self.namespaces = set()

    def run(self, snippet: Snippet, namespace: str | None = None) -> str:
        """Run a snippet (in a fresh namespace, or in the named one that earlier snippets
        ran in); return what it printed or raise SnippetFailure."""
        if self._process is None or not self._process.is_alive():
            self._start()
        if namespace:
            self.namespaces.add(namespace)
        self._connection.send((snippet, namespace))
        if not self._connection.poll(self.timeout):
            self.stop()
            raise SnippetFailure(f"did not finish within its time limit of {self.timeout:g} s",
                                 snippet.line)
        try:
            status, payload, line = self._connection.recv()
        except (EOFError, OSError):
            self._process.join()
            code = self._process.exitcode
            self.stop()
            raise SnippetFailure(f"ended the test process (exit code {code}); a snippet "
                                 "must run to its end", snippet.line) from None
        if status == "failed":
            raise SnippetFailure(payload, line)
        printed = payload[:MAX_OUTPUT]
        if snippet.expected is not None and not output_matches(snippet.expected, printed):
            raise SnippetFailure(
                "printed output differs from the expected output\n"
                f"--- expected ({snippet.path}:{snippet.expected_line})\n"
                f"{snippet.expected.rstrip()}\n--- printed\n{printed.rstrip()}",
                snippet.expected_line or snippet.line,
            )
        return printed
