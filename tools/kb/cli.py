"""``kb``: the command line. A thin layer: parse, call the library, print, exit.

Exit codes: 0 found / done, 1 not found or invalid content, 2 usage error. This is the
only place where a KBError becomes a message and an exit code.
"""
import argparse
import os
import sys

from .errors import InvalidKnowledgeBase, KBError, UsageError
from .params import register as register_params

# argparse passes every message through gettext, which searches the disk for a catalogue
# on each call: about 40 calls, 2 ms of every command. Python ships no translation of
# argparse, so its messages are used as they are.
argparse._ = str


def main(argv: list[str] | None = None) -> int:
    for name in ("stdout", "stderr"):  # started with >&- or 2>&-: write to nowhere
        if getattr(sys, name) is None:
            setattr(sys, name, open(os.devnull, "w"))
    parser = _parser()
    args = parser.parse_args(argv)
    try:
        code = args.run(args)
        sys.stdout.flush()
        return code
    except InvalidKnowledgeBase as error:
        print(f"kb: {error}\nRun `kb check` after fixing these.", file=sys.stderr)
        return error.exit_code
    except KBError as error:
        print(f"kb: {_clean(str(error))}", file=sys.stderr)
        return error.exit_code
    except KeyboardInterrupt:
        print("kb: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:  # `kb list | head`: the reader left; say nothing more, and
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return getattr(args, "code", 0)  # exit as the command would have (see _lookup)
    except OSError as error:
        if error.filename is None and error.errno is not None:  # writing the output failed
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            print(f"kb: cannot write the output: {error.strerror}", file=sys.stderr)
            return 1
        raise
    except Exception as error:  # a bug: say so in one line unless asked for details
        if os.environ.get("KB_DEBUG"):
            raise
        print(f"kb: internal error: {type(error).__name__}: {_clean(str(error))[:300]} "
              "(run with KB_DEBUG=1 for the traceback)", file=sys.stderr)
        return 1


def _clean(text: str) -> str:
    from .sanitize import clean
    return clean(text)


class _Parser(argparse.ArgumentParser):
    """argparse's parser, told the help's width: left to find it, argparse imports shutil
    for every command (3 ms of a lookup). The width is found as shutil would find it."""

    def _get_formatter(self) -> argparse.HelpFormatter:
        columns = os.environ.get("COLUMNS", "")
        if not columns.isdigit():
            try:
                columns = os.get_terminal_size(sys.__stdout__.fileno()).columns
            except (AttributeError, OSError, ValueError):
                columns = 80
        return self.formatter_class(prog=self.prog, width=max(int(columns) - 2, 20))


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="kb", description="Look up, search and build the deep-learning knowledge base.")
    parser.add_argument("--version", action=_Version,
                        help="the version and which knowledge base answers")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    lookup = commands.add_parser("lookup", help="show one entry by name, alias or close spelling")
    lookup.add_argument("term", help="a term, slug or alias, such as relu or CNN")
    lookup.add_argument("--json", action="store_true", help="print JSON for scripts")
    lookup.add_argument("--open", action="store_true",
                        help="open the entry's page in the browser (the local site if built)")
    lookup.add_argument("--no-pager", action="store_true",
                        help="never page a long entry on a terminal")
    lookup.set_defaults(run=_lookup)

    search = commands.add_parser("search", help="full-text search over terms and articles")
    search.add_argument("query", nargs="+", help="words or a question")
    search.add_argument("--limit", type=int, default=10, help="results to show (default 10)")
    search.add_argument("--json", action="store_true", help="print JSON for scripts")
    search.set_defaults(run=_search)

    listing = commands.add_parser("list", help="list every term and article")
    listing.add_argument("--category", help="only terms of this category")
    listing.add_argument("--json", action="store_true", help="print JSON for scripts")
    listing.add_argument("--no-pager", action="store_true",
                         help="never page a long list on a terminal")
    listing.set_defaults(run=_list)

    check = commands.add_parser("check", help="validate every entry and article")
    check.add_argument("--strict", action="store_true",
                       help="fail on warnings too, as kb build does")
    check.add_argument("--json", action="store_true",
                       help="print the result and every problem as JSON")
    check.set_defaults(run=_check)

    build = commands.add_parser("build", help="validate, then build the site and the index")
    build.add_argument("--json", action="store_true", help="print the result as JSON")
    build.set_defaults(run=_build)

    serve = commands.add_parser("serve", help="serve the site locally, rebuilding on changes")
    serve.add_argument("--addr", default="127.0.0.1:8000", help="host:port (default %(default)s)")
    serve.set_defaults(run=_serve)

    register_params(commands)
    _register_conveniences(commands)
    return parser


def _project():
    from .project import find_project
    return find_project()


def _out(text: str) -> None:
    """Print, whatever the terminal's encoding: what it cannot show becomes '?'."""
    encoding = sys.stdout.encoding or "utf-8"
    sys.stdout.write(text.encode(encoding, "replace").decode(encoding) + "\n")


def _lookup(args) -> int:
    from . import lookup, terminal
    from .build import with_index

    with _busy():
        answer = with_index(_project(), lambda catalog: lookup.lookup(catalog, args.term),
                            quick=True, meanwhile=True)
    if answer.record is None:
        args.code = 1  # also if the reader leaves while it is printed (`2>&1 | head -1`)
        suggestions = [c["slug"] for c in answer.candidates]
        if args.json:
            terminal.emit_json({"error": answer.note, "status": answer.status,
                                "suggestions": suggestions})
        else:
            hint = ("\nDid you mean:\n" + terminal.candidates_text(answer.candidates)
                    if answer.candidates else "\nTry `kb search` with a few words.")
            message = f"kb: {terminal.clean(answer.note or 'not found')}{hint}"
            encoding = sys.stderr.encoding or "utf-8"
            print(message.encode(encoding, "replace").decode(encoding), file=sys.stderr)
        return 1
    if args.open:
        return _open(answer.record, args.json)
    if args.json:
        terminal.emit_json({**answer.record, "match": answer.status, "note": answer.note})
    else:
        _show(terminal.lookup_text(answer.record, answer.note, terminal.use_styles()), args)
    return 0


SEARCH_FIELDS = ("slug", "title", "kind", "score", "url", "summary", "excerpt")


def _search(args) -> int:
    from . import lookup, terminal
    from .build import with_index

    if args.limit < 1:
        raise UsageError("--limit must be at least 1")
    query = " ".join(args.query)
    with _busy():
        result = with_index(_project(), lambda catalog: lookup.search(catalog, query,
                                                                      args.limit),
                            meanwhile=True)
    args.code = 0 if result.hits else 1  # (see _lookup)
    if args.json:
        terminal.emit_json([{k: hit[k] for k in SEARCH_FIELDS}
                            | {"excerpt": terminal.clean_highlight(hit["excerpt"])[0]}
                            for hit in result.hits])
    elif not result.hits:
        from .sanitize import short
        print(f"kb: no results for '{short(query, 80)}'", file=sys.stderr)
    else:
        _out(terminal.search_text(result.hits, result.note, terminal.use_styles()))
    return args.code


def _list(args) -> int:
    from . import terminal
    from .build import with_index
    from .categories import CATEGORIES
    from .index.layout import SUMMARY_FIELDS

    if args.category and args.category not in CATEGORIES:
        from .suggest import did_you_mean
        shown = terminal.clean(args.category)[:60]
        raise UsageError(f"unknown category '{shown}'{did_you_mean(shown, CATEGORIES)} "
                         f"(categories: {', '.join(CATEGORIES)})")
    with _busy():
        records = with_index(_project(), lambda catalog: catalog.all_records())
    if args.category:
        records = [r for r in records if r["category"] == args.category]
    if args.json:
        terminal.emit_json([{k: r[k] for k in SUMMARY_FIELDS} for r in records])
        return 0
    lines = []
    for record in records:
        kind = "" if record["kind"] == "term" else " [article]"
        lines.append(f"{terminal.clean(record['slug'])}{kind}: "
                     f"{terminal.clean(record['summary'])}")
    if lines:
        _show("\n".join(lines), args)
    return 0


def _check(args) -> int:
    from .knowledge import check

    if args.json:
        return _check_json(args)
    knowledge_base, problems = check(_project(), rendered=True)
    if knowledge_base is None or (args.strict and problems):
        raise InvalidKnowledgeBase(problems, limit=None)
    for problem in problems:
        print(f"  {problem}", file=sys.stderr)
    warned = f", {len(problems)} warning(s) (kb build fails on them)" if problems else ""
    print(f"ok: {len(knowledge_base.terms)} terms and {len(knowledge_base.articles)} "
          f"articles, no errors{warned}")
    return 0


def _build(args) -> int:
    import time

    from .build import build

    started = time.perf_counter()
    with _busy("kb build:", lazy=False):
        knowledge_base = build(_project())
    if args.json:
        from .terminal import emit_json
        emit_json({"terms": len(knowledge_base.terms), "articles": len(knowledge_base.articles),
                   "seconds": round(time.perf_counter() - started, 2),
                   "site": str(knowledge_base.project.site_dir)})
        return 0
    print(f"built {len(knowledge_base.terms)} terms and {len(knowledge_base.articles)} "
          f"articles into site/ and the search index in {time.perf_counter() - started:.1f} s")
    return 0


def _serve(args) -> int:
    from .site.serve import parse_address, serve

    host, port = parse_address(args.addr)
    return serve(_project(), host, port)


# --- installed use, data, editing and terminal conveniences ---------------------------

class _Version(argparse.Action):
    """``kb --version``: worked out only when asked (it looks for the knowledge base)."""

    def __init__(self, option_strings, dest, **kwargs):
        kwargs.update(nargs=0, default=argparse.SUPPRESS)
        super().__init__(option_strings, dest, **kwargs)

    def __call__(self, parser, namespace, values, option_string=None):
        from .info import version_text

        _out(version_text())
        parser.exit()


def _register_conveniences(commands) -> None:
    info = commands.add_parser("info", help="which knowledge base answers, its entries and "
                               "build dates")
    info.add_argument("--json", action="store_true", help="print JSON for scripts")
    info.set_defaults(run=_info)

    export = commands.add_parser("export", help="write the entries as JSON, CSV or an Anki "
                                 "deck")
    export.add_argument("--format", choices=("json", "csv", "anki"), default="json",
                        help="json (full records), csv (one row each) or anki (a deck of "
                        "the terms); default %(default)s")
    export.add_argument("--output", "-o", metavar="FILE",
                        help="where to write (default: standard output; for anki "
                        "deep-learning-glossary.apkg)")
    export.add_argument("--category", help="only terms of this category")
    export.add_argument("--json", action="store_true",
                        help="when writing a file, report it as JSON")
    export.set_defaults(run=_export)

    new = commands.add_parser("new", help="write a stub glossary entry, every field explained")
    new.add_argument("name", help="the term's display name, such as \"Focal loss\"")
    new.add_argument("--category", required=True, help="the term's category")
    new.add_argument("--alias", action="append", default=[], metavar="NAME",
                     help="another name of the term (repeatable)")
    new.add_argument("--slug", help="the file name without .yaml (default: from the name)")
    new.add_argument("--json", action="store_true", help="print JSON for scripts")
    new.set_defaults(run=_new)

    completion = commands.add_parser("completion", help="print the shell completion script")
    completion.add_argument("shell", nargs="?", choices=("bash", "zsh", "fish"),
                            help="bash, zsh or fish")
    completion.add_argument("--word", action="append", metavar="WORD",
                            help="(used by the scripts) the words typed so far; prints "
                            "what may complete the last one")
    completion.set_defaults(run=_completion)


def _busy(label: str = "kb: working", lazy: bool = True):
    """A progress line on stderr while long work runs, on a terminal only; ``lazy``: only
    once the work has said something on stderr (an index rebuild does)."""
    if not sys.stderr.isatty():
        from contextlib import nullcontext
        return nullcontext()
    from .progress import activity
    return activity(label, lazy)


def _show(text: str, args) -> None:
    """Output, paged on a terminal when longer than the screen (not with --no-pager)."""
    if getattr(args, "no_pager", False) or not sys.stdout.isatty():
        _out(text)
        return
    from .pager import show
    show(text)


def _page_address(project, record: dict) -> str:
    """The entry's page: the local site's file when it is built, else its address."""
    from .site.layout import term_path, url_path

    source = term_path(record["slug"]) if record["kind"] == "term" else \
        record["path"].removeprefix("docs/")
    local = project.site_dir / url_path(source) / "index.html"
    return local.absolute().as_uri() if local.is_file() else record["url"]


def _open(record: dict, as_json: bool) -> int:
    import webbrowser

    from . import terminal

    address = _page_address(_project(), record)
    if address.startswith(("http://127.0.0.1", "http://localhost")):
        print("kb: the site is not built here, so this opens the local server's address; "
              "run `kb serve` for it to answer (or `kb build`)", file=sys.stderr)
    opened = webbrowser.open(address)
    if as_json:
        terminal.emit_json({"slug": record["slug"], "title": record["title"],
                            "url": address, "opened": opened})
    elif opened:
        _out(f"opened {terminal.clean(record['title'])}: {address}")
    else:
        print(f"kb: no browser could be started; the page is {address}", file=sys.stderr)
    return 0 if opened else 1


def _info(args) -> int:
    from . import info, terminal

    described = info.describe(info.find())
    if args.json:
        terminal.emit_json(described)
    else:
        _out(info.info_text(described))
    return 0 if described["knowledge_base"] else 1


def _export(args) -> int:
    from pathlib import Path

    from . import export, terminal
    from .build import with_index

    if args.category:
        _check_category(args.category)
    with _busy():
        records = with_index(_project(), lambda catalog: catalog.all_records())
    if args.category:
        records = [r for r in records if r["category"] == args.category]
    output = args.output or (export.DEFAULT_ANKI_FILE if args.format == "anki" else "-")
    if args.format == "anki":
        if output == "-":
            raise UsageError("an Anki deck is a file: give --output FILE.apkg")
        with _busy("kb export:", lazy=False):
            count = export.write_anki(records, Path(output))
    else:
        text = export.to_json(records) if args.format == "json" else export.to_csv(records)
        if output == "-":
            sys.stdout.write(text)
            return 0
        try:
            Path(output).write_text(text, encoding="utf-8", newline="")
        except OSError as error:
            raise KBError(f"cannot write {output}: {error.strerror}") from None
        count = len(records)
    if args.json:
        terminal.emit_json({"format": args.format, "path": str(Path(output).absolute()),
                            "entries": count})
    else:
        what = "notes" if args.format == "anki" else "entries"
        _out(f"wrote {count} {what} to {output}")
    return 0


def _check_category(category: str) -> None:
    from . import terminal
    from .categories import CATEGORIES

    if category not in CATEGORIES:
        from .suggest import did_you_mean
        shown = terminal.clean(category)[:60]
        raise UsageError(f"unknown category '{shown}'{did_you_mean(shown, CATEGORIES)} "
                         f"(categories: {', '.join(CATEGORIES)})")


def _new(args) -> int:
    from . import terminal
    from .build import with_index
    from .new_entry import write_new

    _check_category(args.category)
    project = _project()
    path = with_index(project, lambda catalog: write_new(
        project, catalog, args.name, args.category, args.alias, args.slug))
    relative = project.relative(path)
    if args.json:
        terminal.emit_json({"path": relative, "slug": path.stem})
    else:
        _out(f"wrote {relative}: replace every TODO in it, then run `kb check --strict`")
    return 0


def _check_json(args) -> int:
    """``kb check --json``: every problem as a record; exit 1 as ``kb check`` would."""
    from .knowledge import check
    from .problem import ERROR
    from .terminal import emit_json

    knowledge_base, problems = check(_project(), rendered=True)
    failed = knowledge_base is None or (args.strict and bool(problems))
    emit_json({
        "ok": not failed,
        "terms": len(knowledge_base.terms) if knowledge_base else None,
        "articles": len(knowledge_base.articles) if knowledge_base else None,
        "errors": sum(p.severity == ERROR for p in problems),
        "warnings": sum(p.severity != ERROR for p in problems),
        "problems": [{"path": p.path, "line": p.line, "field": p.field,
                      "message": _clean(p.message), "severity": p.severity}
                     for p in problems],
    })
    return 1 if failed else 0


def _completion(args) -> int:
    from .completion import SCRIPTS, candidates

    if args.word is not None:
        found = candidates(_parser(), args.word)
        if found:
            _out("\n".join(found))
        return 0
    if args.shell is None:
        raise UsageError("name a shell: kb completion bash, kb completion zsh or "
                         "kb completion fish")
    sys.stdout.write(SCRIPTS[args.shell])
    return 0


if __name__ == "__main__":
    sys.exit(main())
