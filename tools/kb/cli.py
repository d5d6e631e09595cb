"""``kb``: the command line. A thin layer: parse, call the library, print, exit.

Exit codes: 0 found / done, 1 not found or invalid content, 2 usage error.
"""
import argparse
import os
import sys

from .errors import InvalidKnowledgeBase, KBError, UsageError
from .params import register as register_params


def main(argv: list[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    try:
        return args.run(args)
    except InvalidKnowledgeBase as error:
        print(f"kb: {error}\nRun `kb check` after fixing these.", file=sys.stderr)
        return error.exit_code
    except KBError as error:
        print(f"kb: {error}", file=sys.stderr)
        return error.exit_code
    except KeyboardInterrupt:
        print("kb: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:  # `kb list | head`: the reader left; say nothing more
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except Exception as error:  # a bug: say so in one line unless asked for details
        if os.environ.get("KB_DEBUG"):
            raise
        print(f"kb: internal error: {type(error).__name__}: {error} "
              "(run with KB_DEBUG=1 for the traceback)", file=sys.stderr)
        return 1


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


def _lookup(args) -> int:
    from . import lookup, render

    answer = lookup.lookup(_project(), args.term)
    if answer.record is None:
        suggestions = [c["slug"] for c in answer.candidates]
        if args.json:
            render.emit_json({"error": answer.note, "status": answer.status,
                              "suggestions": suggestions})
        else:
            hint = ("\nDid you mean:\n" + render.candidates_text(answer.candidates)
                    if answer.candidates else "\nTry `kb search` with a few words.")
            print(f"kb: {render.clean(answer.note or 'not found')}{hint}", file=sys.stderr)
        return 1
    if args.json:
        render.emit_json({**answer.record, "match": answer.status, "note": answer.note})
    else:
        print(render.lookup_text(answer.record, answer.note, render.use_styles()))
    return 0


def _search(args) -> int:
    from . import lookup, render

    if args.limit < 1:
        raise UsageError("--limit must be at least 1")
    query = " ".join(args.query)
    result = lookup.search(_project(), query, args.limit)
    if args.json:
        render.emit_json([{k: hit[k] for k in ("slug", "term", "kind", "score", "url", "summary")}
                          | {"excerpt": render.clean_highlight(hit["excerpt"])[0]}
                          for hit in result.hits])
    elif not result.hits:
        print(f"kb: no results for '{render.clean(query)}'", file=sys.stderr)
    else:
        print(render.search_text(result.hits, result.note, render.use_styles()))
    return 0 if result.hits else 1


def _list(args) -> int:
    from . import render
    from .categories import CATEGORIES
    from .lookup import open_catalog

    if args.category and args.category not in CATEGORIES:
        from .suggest import did_you_mean
        raise UsageError(f"unknown category '{args.category}'"
                         f"{did_you_mean(args.category, CATEGORIES)} "
                         f"(categories: {', '.join(CATEGORIES)})")
    records = open_catalog(_project()).all_records()
    if args.category:
        records = [r for r in records if r["category"] == args.category]
    keys = ("slug", "term", "kind", "aliases", "category", "summary", "related", "url")
    if args.json:
        render.emit_json([{k: r[k] for k in keys} for r in records])
        return 0
    for record in records:
        kind = "" if record["kind"] == "term" else " [article]"
        print(f"{render.clean(record['slug'])}{kind}: {render.clean(record['summary'])}")
    return 0


def _check(args) -> int:
    from .knowledge import check

    project = _project()
    kb, problems = check(project)
    if problems:
        raise InvalidKnowledgeBase(problems)
    print(f"ok: {len(kb.terms)} terms and {len(kb.articles)} articles, no problems")
    return 0


def _build(args) -> int:
    import time

    from .build import build

    started = time.perf_counter()
    project = _project()
    kb = build(project)
    print(f"built {len(kb.terms)} terms and {len(kb.articles)} articles into "
          "site/ and the search index "
          f"in {time.perf_counter() - started:.1f} s")
    return 0


def _serve(args) -> int:
    import logging

    from mkdocs.commands.serve import serve

    from .build import build_index

    project = _project()
    build_index(project)
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(levelname)s - %(message)s"))
    logging.getLogger("mkdocs").addHandler(handler)
    logging.getLogger("mkdocs").setLevel(logging.INFO)
    try:
        serve(config_file=str(project.mkdocs_yml), dev_addr=args.addr, livereload=True)
    except OSError as error:  # the address is taken, or not ours to bind
        raise KBError(f"cannot serve on {args.addr}: {error.strerror or error}") from None
    return 0


if __name__ == "__main__":
    sys.exit(main())
