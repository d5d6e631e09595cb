"""The engine's own server, as ``kb serve`` runs it in a process of its own
(``python -m kb.site.live ARGS``, ARGS those of ``mkdocs serve``), with what it handles
badly mended here:

- a path that holds a NUL byte (``/%00``): mkdocs's server logs a traceback for it and
  answers 500; it is answered 400 Bad Request, in one log line;
- an address it cannot listen on: mkdocs ends with a traceback; it is said in one line;
- it listens with the socket library's backlog of 5 connections, so that under 20
  concurrent clients about 1% of requests waited a second (a refused SYN is resent);
  the backlog is 128;
- it logs each request line as it came, escape sequences and all, to the terminal; they
  are left out.
"""
import logging
import sys

import click
from mkdocs.__main__ import cli
from mkdocs.commands import serve
from mkdocs.livereload import LiveReloadServer, _Handler

from ..sanitize import clean

log = logging.getLogger("mkdocs.livereload")


class _CleanHandler(_Handler):
    def log_request(self, code="-", size="-"):
        self.requestline = clean(self.requestline)
        super().log_request(code, size)

    def log_message(self, format, *args):
        super().log_message(format, *(clean(str(arg)) for arg in args))


class _Server(LiveReloadServer):
    request_queue_size = 128

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.RequestHandlerClass = _CleanHandler

    def serve_request(self, request, start_response):  # request: the WSGI environ
        if "\x00" in request.get("PATH_INFO", ""):
            log.info("400 for a path with a NUL byte")
            start_response("400 Bad Request", [("Content-Type", "text/plain")])
            return [b"400 Bad Request: the path holds a NUL byte"]
        return super().serve_request(request, start_response)


def main(args: list[str]) -> int:
    serve.LiveReloadServer = _Server  # what ``mkdocs serve`` starts
    try:
        cli.main(["serve", *args], prog_name="mkdocs", standalone_mode=False)
    except click.ClickException as error:  # as mkdocs itself says it ("Aborted ...")
        error.show()
        return error.exit_code
    except click.exceptions.Abort:
        return 1
    except OSError as error:
        print(f"kb serve: cannot listen: {error.strerror}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
