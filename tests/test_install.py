"""`kb` as a new user gets it: the wheel built by the standard tools (`python -m build`,
sdist first, then the wheel from the sdist), installed into a fresh virtual environment,
answering from an empty directory with no project, no KB_ROOT and (where the machine
allows a network namespace) no network."""
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from helpers import ROOT

SOURCES = ("pyproject.toml", "setup.py", "MANIFEST.in", "README.md", "mkdocs.yml")
WHEEL_LIMIT = 15 * 1024 * 1024  # bytes: the content and its index, compressed


def _copy_sources(target: Path) -> Path:
    """What a clone holds that the build reads (a copy: the build never writes in ROOT)."""
    for name in SOURCES:
        shutil.copy(ROOT / name, target / name)
    ignored = shutil.ignore_patterns("__pycache__", "*.egg-info", "_bundle", ".*")
    for folder in ("tools", "glossary", "docs", "overrides"):
        if (ROOT / folder).is_dir():
            shutil.copytree(ROOT / folder, target / folder, ignore=ignored)
    return target


def _run(args, cwd, env=None, timeout=600):
    result = subprocess.run(args, cwd=cwd, capture_output=True, text=True, env=env,
                            timeout=timeout)
    assert result.returncode == 0, (args, result.stdout[-3000:], result.stderr[-3000:])
    return result


def _offline() -> list[str]:
    """A prefix that runs a command without a network, where this machine allows it."""
    unshare = shutil.which("unshare")
    if unshare and subprocess.run([unshare, "-rn", "true"], capture_output=True).returncode == 0:
        return [unshare, "-rn"]
    return []


@pytest.fixture(scope="module")
def installed(tmp_path_factory):
    """(the installed kb, the wheel, the source copy, a fresh HOME)."""
    base = tmp_path_factory.mktemp("install")
    (base / "source").mkdir()
    source = _copy_sources(base / "source")
    started = time.perf_counter()
    _run([sys.executable, "-m", "build", "--outdir", str(base / "dist"), str(source)], base)
    (wheel,) = (base / "dist").glob("dl_kb-*-py3-none-any.whl")
    assert list((base / "dist").glob("dl_kb-*.tar.gz"))
    venv = base / "venv"
    _run([sys.executable, "-m", "venv", str(venv)], base)
    _run([str(venv / "bin" / "python"), "-m", "pip", "install", "--quiet",
          "--disable-pip-version-check", str(wheel)], base)
    print(f"\nwheel: {wheel.name}, {wheel.stat().st_size / 1e6:.2f} MB; built and installed "
          f"in {time.perf_counter() - started:.0f} s")
    home = base / "home"
    home.mkdir()
    return venv / "bin" / "kb", wheel, source, home


def _kb(installed, *args, cwd: Path, offline: bool = True):
    program, _, _, home = installed
    environment = {"PATH": f"{program.parent}:/usr/bin:/bin", "HOME": str(home),
                   "LANG": "C.UTF-8", "COLUMNS": "88"}
    prefix = _offline() if offline else []
    return subprocess.run([*prefix, str(program), *args], cwd=cwd, capture_output=True,
                          text=True, env=environment, timeout=120)


def test_the_wheel_carries_the_knowledge_base_and_stays_small(installed):
    import zipfile

    _, wheel, _, _ = installed
    assert wheel.stat().st_size < WHEEL_LIMIT
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
        manifest = json.loads(archive.read("kb/_bundle/manifest.json"))
    assert {"kb/_bundle/knowledge.tar", "kb/cli.py"} <= names
    assert manifest["terms"] >= 3 and manifest["entries"] == manifest["terms"] + \
        manifest["articles"]


def test_the_installed_kb_answers_from_an_empty_directory_offline(installed, tmp_path):
    empty = tmp_path / "empty"
    empty.mkdir()
    first = _kb(installed, "lookup", "relu", cwd=empty)
    assert first.returncode == 0, first.stderr
    assert "Rectified linear unit" in first.stdout
    assert "rebuilding" not in first.stderr  # the prebuilt index answers as it is
    cache = installed[3] / ".cache" / "kb"  # ~/.cache/kb: the XDG convention's default
    (unpacked,) = cache.iterdir()
    assert (unpacked / ".kb" / "index" / "meta.json").is_file()

    search = _kb(installed, "search", "why do gradients vanish", "--limit", "3", "--json",
                 cwd=empty)
    assert search.returncode == 0, search.stderr
    assert "vanishing-gradient" in [hit["slug"] for hit in json.loads(search.stdout)]
    listed = json.loads(_kb(installed, "list", "--json", cwd=empty).stdout)
    assert len(listed) >= 3
    params = _kb(installed, "params", "Conv2D(32, (3, 3))", "--input", "28,28,1", cwd=empty)
    assert params.returncode == 0 and "320" in params.stdout
    for result in (search, params):
        assert "rebuilding" not in result.stderr


def test_the_installed_kb_says_which_knowledge_base_answers(installed, tmp_path):
    _, wheel, source, _ = installed
    version = _kb(installed, "--version", cwd=tmp_path)
    assert version.returncode == 0, version.stderr
    assert version.stdout.startswith("kb 0.") and "bundled with dl-kb" in version.stdout
    described = json.loads(_kb(installed, "info", "--json", cwd=tmp_path).stdout)
    base = described["knowledge_base"]
    assert base["kind"] == "bundled" and base["index_current"] is True
    assert base["entries"] == base["terms"] + base["articles"] >= 3
    assert base["bundle"]["built"]
    inside = json.loads(_kb(installed, "info", "--json", cwd=source / "docs").stdout)
    assert inside["knowledge_base"]["kind"] == "project"
    assert Path(inside["knowledge_base"]["root"]) == source.resolve()


def test_the_installed_kb_completes_and_exports(installed, tmp_path):
    program = installed[0]
    script = _kb(installed, "completion", "bash", cwd=tmp_path).stdout
    program_text = (f"{script}\nCOMP_WORDS=(kb lookup con); COMP_CWORD=2\n_kb_complete\n"
                    "printf '%s\\n' \"${COMPREPLY[@]}\"\n")
    completed = subprocess.run(
        ["bash", "--norc", "--noprofile", "-c", program_text], cwd=tmp_path,
        capture_output=True, text=True, timeout=60,
        env={"PATH": f"{program.parent}:/usr/bin:/bin", "HOME": str(installed[3])})
    assert "convolution" in completed.stdout.split(), completed.stderr
    deck = tmp_path / "deck.apkg"
    exported = _kb(installed, "export", "--format", "anki", "-o", str(deck), cwd=tmp_path)
    assert exported.returncode == 0, exported.stderr
    assert deck.stat().st_size > 1000


def test_a_bundle_unpacks_once_with_its_index_current(tmp_path, monkeypatch):
    """The packing and unpacking alone, on a tiny project: the unpacked copy's files have
    the timestamps the index was built from, so it is used as it is."""
    from helpers import make_project
    from kb import bundle
    from kb.index.reader import Catalog

    source = make_project(tmp_path / "source")
    found = bundle.write(bundle.Project(source), tmp_path / "_bundle", "9.9")
    assert found["terms"] == 3 and found["id"].startswith("9.9-")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    project = bundle.open_installed(tmp_path / "_bundle")
    assert project.bundled and project.root == tmp_path / "cache" / "kb" / found["id"]
    Catalog(project)  # current: raises IndexUnusable otherwise
    assert not (project.root / ".kb" / "build.lock").exists()
    again = bundle.open_installed(tmp_path / "_bundle")
    assert again.root == project.root
    assert bundle.open_installed(tmp_path / "nothing") is None


def test_a_read_only_cache_falls_back_to_a_private_temporary_folder(tmp_path, monkeypatch):
    from helpers import make_project
    from kb import bundle

    if os.geteuid() == 0:
        monkeypatch.setattr(bundle, "cache_home", lambda: Path("/proc/kb-not-writable"))
    else:
        (tmp_path / "ro").mkdir(mode=0o500)
        monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "ro"))
    monkeypatch.setenv("TMPDIR", str(tmp_path / "tmp"))
    (tmp_path / "tmp").mkdir()
    import tempfile
    monkeypatch.setattr(tempfile, "tempdir", None)
    bundle.write(bundle.Project(make_project(tmp_path / "source")), tmp_path / "_b", "9.9")
    project = bundle.open_installed(tmp_path / "_b")
    assert project.root.parent.parent == tmp_path / "tmp"
    assert (project.root.parent.stat().st_mode & 0o777) == 0o700
