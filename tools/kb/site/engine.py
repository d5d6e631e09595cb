"""The site engine, kept at arm's length: the one place that knows it is mkdocs (with
``live``, the engine's server as ``kb serve`` runs it, and ``engine_process``, its build
as ``kb build`` runs it).

``kb build`` writes a plain docs tree (see ``tree``) and runs the engine on it; ``kb
serve`` runs the engine's own server on a tree that ``kb`` keeps up to date. Moving to
another engine that reads ``mkdocs.yml`` (Zensical) means changing the commands below and
the project's ``mkdocs.yml``; ``render`` would then run one command (the sharing out of
pages below exists because mkdocs renders in one thread).
"""
import gzip
import os
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterable
from pathlib import Path

from ..errors import KBError
from ..project import Project
from ..sanitize import clean

CONFIG_NAME = "mkdocs.yml"
PAGE_SUFFIXES = (".md", ".markdown", ".mdown", ".mkdn", ".mkd")  # rendered as pages
UNPUBLISHED = ("templates",)  # folders of docs/ that mkdocs leaves out by default
MAX_PROCESSES = 4
MIN_SHARE = 200  # pages: fewer than this, and another engine process costs more than it saves
_MERGED = ("sitemap.xml", "sitemap.xml.gz")  # each process writes its own; merged
_ONCE = ("404.html",)  # each process writes the same; the first one's is kept
_URL = re.compile(r"<url>.*?</url>", re.S)


def build_command(config: Path, site: Path) -> list[str]:
    """``mkdocs build``, through ``engine_process`` (which ends with this process)."""
    # Not --quiet: it drops warnings before --strict counts them (mkdocs 1.6).
    return [sys.executable, "-m", "kb.site.engine_process", str(os.getpid()), "--strict",
            "--config-file", str(config), "--site-dir", str(site)]


def serve_command(tree: Path, address: str) -> list[str]:
    """``mkdocs serve``, through ``live`` (which answers what it handles badly)."""
    return [sys.executable, "-m", "kb.site.live", "--strict", "--livereload", "--watch-theme",
            "--config-file", str(tree / CONFIG_NAME), "--dev-addr", address]


def render(tree: Path, site: Path, apart: Iterable[str] = (), processes: int | None = None) -> None:
    """Render the docs tree into ``site`` (which must not exist); KBError if it fails.

    ``apart`` are pages (paths in the docs folder) that no navigation lists, such as term
    pages: they may be rendered by other engine processes, as many as there are cores
    (or ``processes``). Each process reads the whole tree but renders only its share,
    the rest being ``exclude_docs`` to it (mkdocs still links to excluded pages, and
    still checks that every link has a target); their pages are moved into one site and
    their sitemaps merged. The site is the same, file for file, as one process makes.
    """
    shares = _shares(tree / "docs", sorted(apart), processes)
    configs = [tree / CONFIG_NAME]
    sites = [site]
    try:
        for number, patterns in enumerate(shares, start=1):
            configs.append(_share_config(tree, number, patterns))
            sites.append(site.with_name(f"{site.name}.share-{number}"))
        if shares:  # the first process renders all that the others do not
            configs[0] = _share_config(tree, 0, _excluded_by_others(shares))
        _run([build_command(config, out) for config, out in zip(configs, sites, strict=True)])
        for share in sites[1:]:
            _merge(share, site)
    finally:
        for config in configs:
            if config.name != CONFIG_NAME:
                config.unlink(missing_ok=True)
        for share in sites[1:]:
            shutil.rmtree(share, ignore_errors=True)


def _share_config(tree: Path, number: int, excluded: list[str]) -> Path:
    """A config beside the tree's that inherits it and excludes pages (gitignore lines)."""
    path = tree / f"mkdocs.share-{number}.yml"
    path.write_text(f"INHERIT: {CONFIG_NAME}\nexclude_docs: |\n"
                    + "".join(f"  {line}\n" for line in excluded))
    return path


def _shares(docs: Path, apart: list[str], processes: int | None) -> list[list[str]]:
    """The ``exclude_docs`` patterns of each process but the first: each renders the
    pages of ``apart`` whose names start with its letters (gitignore patterns are slow
    by the thousand, so pages go by folder and first letter). Empty: one process."""
    if processes is None:
        cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
        processes = min(cores or 1, MAX_PROCESSES, 1 + len(apart) // MIN_SHARE)
    groups: dict[tuple[str, str], list[str]] = {}
    for path in apart:
        folder, _, name = path.rpartition("/")
        if name[:1].isalnum() and name[:1].isascii():
            groups.setdefault((folder, name[0].lower()), []).append(path)
    per_process = -(-len(apart) // max(processes, 1))  # the first takes the remainder
    shares: list[list[tuple[str, str]]] = []
    taken, current = 0, []
    for key in sorted(groups, reverse=True):
        if len(shares) == processes - 1:
            break
        current.append(key)
        taken += len(groups[key])
        if taken >= per_process:
            shares.append(current)
            taken, current = 0, []
    members = set(apart)
    out = []
    for keys in shares:
        patterns = ["*", "!*/"]
        for folder, letter in keys:
            patterns.append(f"!/{folder}/{letter}*.md")
            patterns += [f"/{folder}/{other.name}"
                         for other in (docs / folder).glob(f"{letter}*.md")
                         if f"{folder}/{other.name}" not in members]
        out.append(patterns)
    return out


def _excluded_by_others(shares: list[list[str]]) -> list[str]:
    """The first process's patterns: every other process's pages, not the rest."""
    out = []
    for patterns in shares:
        for line in patterns[2:]:
            out.append(line[1:] if line.startswith("!") else "!" + line)
    return out


NICENESS = 10  # added to the engine's processes': the index, written meanwhile, and a
# lookup waiting for it come first (the build takes as long)


def _yield_to_others(pid: int) -> None:
    """Lower an engine process's priority, where the system allows it."""
    try:
        niceness = min(os.getpriority(os.PRIO_PROCESS, 0) + NICENESS, 19)
        os.setpriority(os.PRIO_PROCESS, pid, niceness)
    except (AttributeError, OSError):  # no setpriority (Windows), or the process is gone
        pass


def _run(commands: list[list[str]]) -> None:
    """Run the engine commands at once; KBError with the first failure's last lines."""
    environment = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    outputs = [tempfile.TemporaryFile() for _ in commands]
    running = []
    try:
        for command, output in zip(commands, outputs, strict=True):
            running.append(subprocess.Popen(command, stdout=output, stderr=subprocess.STDOUT,
                                            env=environment))
            _yield_to_others(running[-1].pid)
        for process in running:
            process.wait()
    finally:
        for process in running:
            if process.poll() is None:
                process.kill()
                process.wait()
    for process, output in zip(running, outputs, strict=True):
        output.seek(0)
        text = output.read().decode("utf-8", "replace")
        output.close()
        if process.returncode != 0:
            lines = [clean(line) for line in text.splitlines()
                     if line.strip() and not line.startswith(("INFO", "DEBUG"))][-20:]
            raise KBError("the site did not build:\n  " + "\n  ".join(lines or ["(no output)"]))


def _merge(share: Path, site: Path) -> None:
    """Move a share's pages into the site, and its sitemap entries into the site's."""
    for path in sorted(share.rglob("*")):
        relative = path.relative_to(share)
        if path.is_dir() or relative.as_posix() in (*_MERGED, *_ONCE):
            continue
        target = site / relative
        if target.exists():
            raise KBError(f"the site did not build: two engine processes wrote {relative}")
        target.parent.mkdir(parents=True, exist_ok=True)
        os.replace(path, target)
    sitemap, extra = site / _MERGED[0], share / _MERGED[0]
    if sitemap.exists() and extra.exists():
        text = sitemap.read_text(encoding="utf-8")
        urls = "".join(f"    {url}\n" for url in _URL.findall(extra.read_text(encoding="utf-8")))
        text = text.replace("</urlset>", urls + "</urlset>", 1)
        sitemap.write_text(text, encoding="utf-8")
        (site / _MERGED[1]).write_bytes(gzip.compress(text.encode("utf-8"), mtime=0))


_BUILTIN_EXTENSIONS = ["toc", "tables", "fenced_code"]  # mkdocs adds them to every config


def markdown_config(project: Project) -> tuple[list[str], dict[str, dict]]:
    """The Markdown extensions, with their settings, that the engine renders pages with:
    those of mkdocs.yml, read by the engine's own loader (``!!python/name`` tags and
    ``INHERIT`` included), after the ones it always adds."""
    from mkdocs.exceptions import ConfigurationError
    from mkdocs.utils.yaml import yaml_load

    try:
        with open(project.site_config, encoding="utf-8") as handle:
            config = yaml_load(handle)
    except (OSError, ConfigurationError) as error:
        raise KBError(f"cannot read {project.site_config.name}: "
                      f"{clean(str(getattr(error, 'strerror', None) or error))[:200]}") from None
    names, settings = list(_BUILTIN_EXTENSIONS), {}
    for item in config.get("markdown_extensions") or []:
        name, options = next(iter(item.items())) if isinstance(item, dict) else (item, None)
        names += [] if name in names else [name]
        if options:
            settings[name] = options
    return names, settings


def setting(project: Project, key: str) -> str | None:
    """A top-level text setting of the engine's config, read without the engine (and
    without a YAML library: mkdocs.yml may hold tags that safe YAML loaders refuse)."""
    try:
        text = project.site_config.read_text(encoding="utf-8")
    except OSError:
        return None
    match = re.search(rf"^{re.escape(key)}:[ \t]*['\"]?([^'\"\s#]+)", text, re.M)
    return match.group(1) if match else None


def site_url(project: Project) -> str:
    """Where the site is published: ``KB_SITE_URL``, else ``site_url`` of ``mkdocs.yml``.
    Instant navigation works only at this address (the theme matches links against the
    sitemap, whose addresses it is), so a build for elsewhere passes its address."""
    url = os.environ.get("KB_SITE_URL") or setting(project, "site_url") or "http://127.0.0.1:8000/"
    if not re.fullmatch(r"https?://[^\s/?#<>\"']+(/[^\s?#<>\"']*)?", url):
        raise KBError(f"the site's address must be an http or https URL, not "
                      f"'{clean(url)[:80]}' (KB_SITE_URL or site_url of mkdocs.yml)")
    return url if url.endswith("/") else url + "/"
