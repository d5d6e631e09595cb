"""``kb``: the command line. A thin layer: parse, call the library, print, exit.

Exit codes: 0 found / done, 1 not found or invalid content, 2 usage error. This is the
only place where a KBError becomes a message and an exit code.
"""
import argparse
import os
import sys

from .errors import InvalidKnowledgeBase, KBError, UsageError
from .params import register as register_params


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
    except BrokenPipeError:  # `kb list | head`: the reader left; say nothing more
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
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


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="kb", description="Look up, search and build the deep-learning knowledge base.")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    lookup = commands.add_parser("lookup", help="show one entry by name, alias or close spelling")
    lookup.add_argument("term", help="a term, slug or alias, such as relu or CNN")
    lookup.add_argument("--json", action="store_true", help="print JSON for scripts")
    lookup.set_defaults(run=_lookup)

    search = commands.add_parser("search", help="full-text search over terms and articles")
    search.add_argument("query", nargs="+", help="words or a question")
    search.add_argument("--limit", type=int, default=10, help="results to show (default 10)")
    search.add_argument("--json", action="store_true", help="print JSON for scripts")
    search.set_defaults(run=_search)

    listing = commands.add_parser("list", help="list every term and article")
    listing.add_argument("--category", help="only terms of this category")
    listing.add_argument("--json", action="store_true", help="print JSON for scripts")
    listing.set_defaults(run=_list)

    check = commands.add_parser("check", help="validate every entry and article")
    check.add_argument("--strict", action="store_true",
                       help="fail on warnings too, as kb build does")
    check.set_defaults(run=_check)

    build = commands.add_parser("build", help="validate, then build the site and the index")
    build.set_defaults(run=_build)

    serve = commands.add_parser("serve", help="serve the site locally, rebuilding on changes")
    serve.add_argument("--addr", default="127.0.0.1:8000", help="host:port (default %(default)s)")
    serve.set_defaults(run=_serve)

    register_params(commands)
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

    answer = with_index(_project(), lambda catalog: lookup.lookup(catalog, args.term),
                        quick=True)
    if answer.record is None:
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
    if args.json:
        terminal.emit_json({**answer.record, "match": answer.status, "note": answer.note})
    else:
        _out(terminal.lookup_text(answer.record, answer.note, terminal.use_styles()))
    return 0


SEARCH_FIELDS = ("slug", "title", "kind", "score", "url", "summary", "excerpt")


def _search(args) -> int:
    from . import lookup, terminal
    from .build import with_index

    if args.limit < 1:
        raise UsageError("--limit must be at least 1")
    query = " ".join(args.query)
    result = with_index(_project(), lambda catalog: lookup.search(catalog, query, args.limit))
    if args.json:
        terminal.emit_json([{k: hit[k] for k in SEARCH_FIELDS}
                            | {"excerpt": terminal.clean_highlight(hit["excerpt"])[0]}
                            for hit in result.hits])
    elif not result.hits:
        print(f"kb: no results for '{terminal.clean(query)}'", file=sys.stderr)
    else:
        _out(terminal.search_text(result.hits, result.note, terminal.use_styles()))
    return 0 if result.hits else 1


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
    records = with_index(_project(), lambda catalog: catalog.all_records())
    if args.category:
        records = [r for r in records if r["category"] == args.category]
    if args.json:
        terminal.emit_json([{k: r[k] for k in SUMMARY_FIELDS} for r in records])
        return 0
    for record in records:
        kind = "" if record["kind"] == "term" else " [article]"
        _out(f"{terminal.clean(record['slug'])}{kind}: {terminal.clean(record['summary'])}")
    return 0


def _check(args) -> int:
    from .knowledge import check

    knowledge_base, problems = check(_project())
    if knowledge_base is None or (args.strict and problems):
        raise InvalidKnowledgeBase(problems)
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
    knowledge_base = build(_project())
    print(f"built {len(knowledge_base.terms)} terms and {len(knowledge_base.articles)} "
          f"articles into site/ and the search index in {time.perf_counter() - started:.1f} s")
    return 0


def _serve(args) -> int:
    from .site.serve import parse_address, serve

    host, port = parse_address(args.addr)
    return serve(_project(), host, port)


if __name__ == "__main__":
    sys.exit(main())
