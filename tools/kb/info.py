"""``kb info`` and ``kb --version``: which knowledge base answers, and how current it is."""
import json
import os
import time

from .errors import KBError
from .project import Project

DISTRIBUTION = "dl-kb"


def version() -> str:
    from importlib import metadata

    try:
        return metadata.version(DISTRIBUTION)
    except metadata.PackageNotFoundError:
        return "unknown (not installed)"


def _when(seconds: float) -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(seconds))


def describe(project: Project | None, full: bool = True) -> dict:
    """What ``kb info --json`` prints. ``full`` also counts terms and articles and says
    whether the index is current (which reads the index's records)."""
    info = {"version": version(), "knowledge_base": None}
    if project is None:
        return info
    base = {"kind": "bundled" if project.bundled else "project", "root": str(project.root)}
    if project.bundled:
        manifest = project.manifest
        base |= {"bundle": {"id": manifest.get("id"), "version": manifest.get("version"),
                            "built": manifest.get("built")}}
    if full:
        from .build import kept_elsewhere

        elsewhere = kept_elsewhere(project)
        if elsewhere is not None and not _current(project):
            project.keep_state_in(elsewhere)
            base["index_kept_in"] = str(elsewhere)
    index = _index(project, full)
    base |= index
    if full:
        from .site.engine import site_url

        site = project.site_dir / "index.html"
        base["site"] = {"built": _when(site.stat().st_mtime) if site.is_file() else None,
                        "path": str(project.site_dir) if site.is_file() else None,
                        "url": site_url(project)}
    info["knowledge_base"] = base
    return info


def _current(project: Project) -> bool:
    from .index.reader import Catalog, IndexUnusable

    try:
        Catalog(project)
        return True
    except IndexUnusable:
        return False


def _index(project: Project, full: bool) -> dict:
    """Entry counts and the index's build date, from the index without checking it (for
    ``--version``) or opened and checked (for ``kb info``)."""
    found = {"entries": None, "terms": None, "articles": None, "index_built": None,
             "index_current": None}
    try:
        meta_file = project.index_dir.resolve(strict=True) / "meta.json"
        meta = json.loads(meta_file.read_text())
        found["entries"] = meta.get("entries")
        found["index_built"] = _when(meta_file.stat().st_mtime)
    except (OSError, RuntimeError, ValueError, AttributeError):
        meta = None
    if not full:
        return found
    from .index.reader import Catalog, IndexUnusable

    try:
        records = Catalog(project).all_records()
        found["index_current"] = True
    except IndexUnusable:
        found["index_current"] = False
        terms, articles = len(project.term_files()), len(project.article_files())
        found |= {"entries": terms + articles, "terms": terms, "articles": articles}
        return found
    terms = sum(record["kind"] == "term" for record in records)
    found |= {"entries": len(records), "terms": terms, "articles": len(records) - terms}
    return found


def find() -> Project | None:
    from .project import find_project

    try:
        return find_project()
    except KBError:
        return None


def version_text() -> str:
    """``kb --version``: the program's version and the knowledge base that answers."""
    described = describe(find(), full=False)
    return f"kb {described['version']}\n{_source_line(described['knowledge_base'])}"


def _source_line(base: dict | None) -> str:
    if base is None:
        return ("knowledge base: none here (not inside a project, and this kb was "
                "installed without one)")
    count = f"{base['entries']} entries" if base["entries"] is not None else "not indexed yet"
    if base["kind"] == "bundled":
        bundle = base["bundle"]
        return (f"knowledge base: bundled with dl-kb {bundle['version']} ({count}, built "
                f"{bundle['built']}), unpacked in {base['root']}")
    built = f", index built {base['index_built']}" if base["index_built"] else ""
    return f"knowledge base: project at {base['root']} ({count}{built})"


def info_text(described: dict) -> str:
    base = described["knowledge_base"]
    lines = [f"kb {described['version']}", _source_line(base)]
    if base is None:
        return "\n".join(lines)
    if base["terms"] is not None:
        lines.append(f"entries: {base['entries']} ({base['terms']} terms, "
                     f"{base['articles']} articles)")
    if base["index_current"]:
        kept = (f" in {base['index_kept_in']} (this checkout cannot be written)"
                if base.get("index_kept_in") else "")
        lines.append(f"index: current, built {base['index_built']}{kept}")
    else:
        lines.append("index: missing or older than the content; the next lookup or "
                     "search rebuilds it")
    site = base["site"]
    lines.append(f"site: built {site['built']} in {site['path']}" if site["built"]
                 else "site: not built here (kb lookup --open uses the published address)")
    lines.append(f"site address: {site['url']}")
    if base["kind"] == "bundled":
        lines.append(f"cache: {os.path.dirname(base['root'])} (safe to delete; unpacked "
                     "again on the next use)")
    return "\n".join(lines)
