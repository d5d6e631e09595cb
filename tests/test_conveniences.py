"""Terminal and editing conveniences: shell completion, `kb lookup --open`, the pager,
the progress line, `kb new`, `kb info` and `kb --version`."""
import io
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from helpers import kb, make_project

BIN = Path(sys.executable).parent  # where the `kb` command of this environment is


def _bash_complete(words: list[str], cwd: Path) -> list[str]:
    """COMPREPLY after the completion function of `kb completion bash` runs on words."""
    script = kb("completion", "bash", cwd=cwd).stdout
    quoted = " ".join("'" + w.replace("'", "'\\''") + "'" for w in words)
    program = (f"{script}\nCOMP_WORDS=({quoted}); COMP_CWORD={len(words) - 1}\n"
               "_kb_complete\nprintf '%s\\n' \"${COMPREPLY[@]}\"\n")
    result = subprocess.run(["bash", "--norc", "--noprofile", "-c", program], cwd=cwd,
                            capture_output=True, text=True, env=_shell_env(), timeout=60)
    assert result.returncode == 0, result.stderr
    return [line for line in result.stdout.splitlines() if line]


def test_bash_completes_kb_lookup_con(real_project):
    found = _bash_complete(["kb", "lookup", "con"], real_project)
    assert {"convolution", "convolutional-neural-network"} <= set(found)
    assert all(name.startswith("con") for name in found)


def test_bash_completes_commands_options_categories_and_choices(real_project):
    assert "lookup" in _bash_complete(["kb", "lo"], real_project)
    assert set(_bash_complete(["kb", "lookup", "--"], real_project)) >= {
        "--json", "--open", "--no-pager"}
    assert _bash_complete(["kb", "list", "--category", "act"], real_project) == ["activations"]
    assert _bash_complete(["kb", "export", "--format", ""], real_project) == [
        "json", "csv", "anki"]
    assert _bash_complete(["kb", "completion", "z"], real_project) == ["zsh"]


def test_completion_offers_what_was_typed_when_it_is_a_name_already(real_project):
    found = _bash_complete(["kb", "lookup", "CNN"], real_project)
    assert found == ["CNN"]


def _shell_env() -> dict:
    environment = {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ['PATH']}"}
    environment.pop("KB_ROOT", None)
    return environment


def test_zsh_completes_kb_lookup_con(real_project, tmp_path):
    if not shutil.which("zsh"):
        pytest.skip("zsh is not installed here")
    script = tmp_path / "kb.zsh"
    script.write_text(kb("completion", "zsh", cwd=real_project).stdout)
    program = (f"autoload -Uz compinit; compinit -u -D; source {script}\n"
               'compadd() { print -l -- "${@[3,-1]}"; }\n'  # compadd's -Q --, then words
               "words=(kb lookup con); CURRENT=3; _kb\n")
    result = subprocess.run(["zsh", "-f", "-c", program], cwd=real_project, text=True,
                            capture_output=True, env=_shell_env(), timeout=60)
    assert "convolution" in result.stdout.split(), result.stderr


def test_fish_completes_kb_lookup_con(real_project, tmp_path):
    if not shutil.which("fish"):
        pytest.skip("fish is not installed here")
    (tmp_path / "kb.fish").write_text(kb("completion", "fish", cwd=real_project).stdout)
    program = f'set -p fish_complete_path {tmp_path}; complete -C"kb lookup con"'
    result = subprocess.run(["fish", "--no-config", "-c", program], cwd=real_project,
                            text=True, capture_output=True, env=_shell_env(), timeout=60)
    assert "convolution" in result.stdout.split(), result.stderr


def test_completion_of_names_is_fast_enough_for_a_tab(real_project):
    started = time.perf_counter()
    for _ in range(3):
        result = kb("completion", "--word=+lookup", "--word=+rel", cwd=real_project)
    assert "relu" in result.stdout.split()
    assert (time.perf_counter() - started) / 3 < 2.0  # generous: a shared 2-core machine


def _browser_stub(tmp_path: Path) -> tuple[dict, Path]:
    opened = tmp_path / "opened.txt"
    stub = tmp_path / "browser"
    stub.write_text(f'#!/bin/sh\nprintf "%s\\n" "$1" >> {opened}\n')
    stub.chmod(0o755)
    return {"BROWSER": str(stub), "DISPLAY": ""}, opened


def test_lookup_open_opens_the_local_page_when_the_site_is_built(project, tmp_path):
    env, opened = _browser_stub(tmp_path)
    result = kb("lookup", "relu", "--open", cwd=project, env=env)
    assert result.returncode == 0, result.stderr
    address = opened.read_text().strip()
    assert address.startswith("file://") and address.endswith("/glossary/relu/index.html")
    assert Path(address.removeprefix("file://")).is_file()
    assert address in result.stdout


def test_lookup_open_uses_the_site_address_without_a_local_site(tmp_path):
    root = make_project(tmp_path / "p")
    env, opened = _browser_stub(tmp_path)
    result = kb("lookup", "sigmoid", "--open", "--json", cwd=root, env=env)
    assert result.returncode == 0, result.stderr
    assert opened.read_text().strip() == "http://127.0.0.1:8000/glossary/sigmoid/"
    assert json.loads(result.stdout)["opened"] is True


def _on_a_terminal(args: list[str], cwd: Path, env: dict, rows: int = 10) -> str:
    """Run kb with a pseudo-terminal of ``rows`` lines as stdin, stdout and stderr."""
    import fcntl
    import pty
    import struct
    import termios

    leader, follower = pty.openpty()
    fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", rows, 80, 0, 0))
    environment = {**os.environ, **env}
    environment.pop("KB_ROOT", None)
    process = subprocess.Popen([sys.executable, "-m", "kb.cli", *args], cwd=cwd,
                               stdin=follower, stdout=follower, stderr=follower,
                               env=environment)
    os.close(follower)
    output = b""
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:
            break
        if not chunk:
            break
        output += chunk
    process.wait(timeout=60)
    os.close(leader)
    return output.decode(errors="replace")


def test_a_long_entry_is_paged_on_a_terminal_unless_no_pager(project, tmp_path):
    paged = tmp_path / "paged.txt"
    env = {"PAGER": f"sh -c 'cat > {paged}'", "NO_COLOR": "1"}
    _on_a_terminal(["lookup", "relu"], project, env)
    assert "Rectified linear unit" in paged.read_text()
    paged.unlink()
    shown = _on_a_terminal(["lookup", "relu", "--no-pager"], project, env)
    assert not paged.exists() and "Rectified linear unit" in shown
    assert "\x1b[" not in shown  # NO_COLOR: plain even on a terminal
    coloured = _on_a_terminal(["lookup", "relu", "--no-pager"], project,
                              {"TERM": "xterm", "NO_COLOR": ""})
    dumb = _on_a_terminal(["lookup", "relu", "--no-pager"], project,
                          {"TERM": "dumb", "NO_COLOR": ""})
    assert "\x1b[" in coloured and "\x1b[" not in dumb  # a dumb terminal shows no colour
    piped = kb("lookup", "relu", cwd=project, env={"PAGER": f"sh -c 'cat > {paged}'"})
    assert not paged.exists() and "Rectified linear unit" in piped.stdout


def test_the_progress_line_shows_on_a_terminal_only(monkeypatch):
    from kb import progress

    class Terminal(io.StringIO):
        def isatty(self):
            return True

    monkeypatch.setattr(progress, "DELAY", 0.0)
    screen = Terminal()
    monkeypatch.setattr(sys, "stderr", screen)
    with progress.activity("kb build:"):
        progress.phase("writing the index")
        time.sleep(0.3)
        print("a note", file=sys.stderr)
        time.sleep(0.2)
    text = screen.getvalue()
    assert "kb build: writing the index" in text and "a note\n" in text
    assert text.endswith("\r\x1b[K") and sys.stderr is screen
    quick = Terminal()
    monkeypatch.setattr(sys, "stderr", quick)
    with progress.activity("kb: working", lazy=True):  # says nothing: starts nothing
        time.sleep(0.2)
    assert quick.getvalue() == ""
    with progress.activity("kb: working", lazy=True):
        print("note: rebuilding it.", file=sys.stderr)
        time.sleep(0.3)
    assert "| kb: working (0 s)" in quick.getvalue()
    piped = io.StringIO()
    monkeypatch.setattr(sys, "stderr", piped)
    with progress.activity("kb build:"):
        time.sleep(0.2)
    assert piped.getvalue() == ""


def test_kb_new_writes_a_stub_that_loads_and_refuses_taken_names(tmp_path):
    root = make_project(tmp_path / "p")
    result = kb("new", "Leaky ReLU", "--category", "activations", "--alias", "LReLU",
                cwd=root)
    assert result.returncode == 0, result.stderr
    stub = (root / "glossary" / "leaky-relu.yaml").read_text()
    assert stub.startswith("# yaml-language-server: $schema=../schema/entry.schema.json")
    for field in ("term", "aliases", "category", "tags", "summary", "definition", "formula",
                  "examples", "related"):
        assert f"# {field} (" in stub, field
    check = kb("check", cwd=root)
    assert check.returncode == 0, check.stderr  # loads: lookups keep working meanwhile
    strict = kb("check", "--strict", cwd=root)  # but it is never published as it is
    assert strict.returncode == 1 and "leaky-relu.yaml" in strict.stderr
    assert json.loads(kb("lookup", "LReLU", "--json", cwd=root).stdout)["slug"] == "leaky-relu"
    for name, alias in (("relu", None), ("SIGMOID", None), ("Brand new", "rectifier"),
                        ("Leaky-ReLU", None), ("relus", None), ("Brand new", "sigmoids")):
        args = ["new", name, "--category", "activations"] + (["--alias", alias] if alias else [])
        refused = kb(*args, cwd=root)
        assert refused.returncode == 2 and "already" in refused.stderr, (name, refused.stderr)
    assert kb("new", "X", "--category", "nope", cwd=root).returncode == 2
    for hidden in ("Zed\u200b", "Bad\u202e", "Esc\x1b[1m"):  # refused, never written:
        refused = kb("new", hidden, "--category", "activations", cwd=root)  # `kb check`
        assert refused.returncode == 2 and "zero-width" in refused.stderr  # would refuse it
    assert kb("lookup", "relu", cwd=root).returncode == 0


def test_kb_new_says_why_it_cannot_make_a_file_name(tmp_path):
    """A name with no Latin letter was refused as "'' is not a slug", and an empty
    --slug was ignored (the name's slug used instead): both found by an attack."""
    root = make_project(tmp_path / "p")
    greek = kb("new", "Ω-сеть", "--category", "layers", cwd=root)
    assert greek.returncode == 2 and "'Ω-сеть' has no Latin letters" in greek.stderr
    assert "--slug" in greek.stderr and "''" not in greek.stderr
    empty = kb("new", "Brand new", "--slug", "", "--category", "layers", cwd=root)
    assert empty.returncode == 2 and "'' is not a slug" in empty.stderr
    assert not (root / "glossary" / "brand-new.yaml").exists()
    given = kb("new", "Ω-сеть", "--slug", "omega-net", "--category", "layers", cwd=root)
    assert given.returncode == 0 and (root / "glossary" / "omega-net.yaml").is_file()


def test_info_and_version_say_which_knowledge_base_answers(project, tmp_path):
    described = json.loads(kb("info", "--json", cwd=project).stdout)
    base = described["knowledge_base"]
    assert base["kind"] == "project" and Path(base["root"]) == project.resolve()
    assert (base["entries"], base["terms"], base["articles"]) == (4, 3, 1)
    assert base["index_current"] is True and base["site"]["built"]
    version = kb("--version", cwd=project).stdout
    assert version.startswith("kb ") and f"project at {project.resolve()}" in version
    assert "4 entries" in version
    from kb.bundle import manifest

    if manifest() is None:  # this kb carries no knowledge base (a clone's editable install)
        nowhere = kb("info", cwd=tmp_path)
        assert nowhere.returncode == 1 and "none here" in nowhere.stdout


def test_check_and_build_print_json_when_asked(tmp_path):
    root = make_project(tmp_path / "p", {"broken.yaml": "term: Broken\ncategory: nope\n"})
    result = kb("check", "--json", cwd=root)
    assert result.returncode == 1
    report = json.loads(result.stdout)
    assert report["ok"] is False and report["errors"] >= 1
    assert {"path": "glossary/broken.yaml", "line": 2, "field": "category"}.items() <= \
        next(p for p in report["problems"] if p["field"] == "category").items()
    (root / "glossary" / "broken.yaml").unlink()
    built = kb("build", "--json", cwd=root)
    assert built.returncode == 0, built.stderr
    assert json.loads(built.stdout)["terms"] == 3


@pytest.mark.parametrize("columns, width", [("10", 20), ("60", 60), ("500", 100), ("", 88)])
def test_the_text_is_as_wide_as_the_terminal_says_within_bounds(monkeypatch, columns, width):
    """COLUMNS=10 once gave 88 columns, wider than COLUMNS=30 (found by an attack)."""
    from kb import terminal

    def no_terminal(fd):
        raise OSError("not a terminal")

    monkeypatch.setattr(terminal.os, "get_terminal_size", no_terminal)
    monkeypatch.setenv("COLUMNS", columns)
    terminal._width.cache_clear()
    try:
        assert terminal._width() == width
    finally:
        terminal._width.cache_clear()
