"""``kb completion bash|zsh|fish``: shell completion of commands, options, their values
(categories, formats, shells) and entry names.

The scripts are thin: on each Tab they run ``kb completion --word=+W ...`` with the words
typed so far (the last is the one being completed; the ``+`` keeps a word such as ``--``
from being read as an option), and this module answers from the
command-line parser and, for entry names, the index's name table (``Catalog.names``),
so that the candidates are the same in every shell and never drift from the parser.
Entry names come from an index that is not rebuilt here (a Tab must not wait): when it
is missing or stale, the glossary's file names stand in.
"""
import argparse

from .links import name_key

SHELLS = ("bash", "zsh", "fish")
VALUE_CHOICES = {"category": "categories"}  # options whose values are the categories
NAME_COMMANDS = {"lookup"}  # commands whose positional argument is an entry name

BASH = r"""# kb completion for bash: add to ~/.bashrc
#   eval "$(kb completion bash)"
_kb_complete() {
    local word
    local -a args=()
    for word in "${COMP_WORDS[@]:1:COMP_CWORD}"; do
        args+=("--word=+$word")
    done
    local IFS=$'\n'
    COMPREPLY=($(command kb completion "${args[@]}" 2>/dev/null))
}
complete -o default -F _kb_complete kb
"""

ZSH = r"""#compdef kb
# kb completion for zsh: add to ~/.zshrc
#   eval "$(kb completion zsh)"
_kb() {
    local word
    local -a args candidates
    for word in "${(@)words[2,CURRENT]}"; do
        args+=("--word=+$word")
    done
    candidates=(${(f)"$(command kb completion "${args[@]}" 2>/dev/null)"})
    if (( ${#candidates} )); then
        compadd -Q -- "${candidates[@]}"
    else
        _files
    fi
}
if (( ! $+functions[compdef] )); then
    autoload -Uz compinit && compinit
fi
compdef _kb kb
"""

FISH = r"""# kb completion for fish: save it where fish looks first (this also shadows any
# other `kb` completion that fish ships)
#   kb completion fish > ~/.config/fish/completions/kb.fish
function __kb_complete
    set -l tokens (commandline -opc)
    set -e tokens[1]
    set -l args
    for token in $tokens
        set -a args "--word=+$token"
    end
    set -l current (commandline -ct)
    set -a args "--word=+$current"
    command kb completion $args 2>/dev/null
end
complete -c kb -f -a '(__kb_complete)'
"""

SCRIPTS = {"bash": BASH, "zsh": ZSH, "fish": FISH}


def _subcommands(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            return dict(action.choices)
    return {}


def _options(parser: argparse.ArgumentParser) -> list[str]:
    return [flag for action in parser._actions for flag in action.option_strings
            if flag.startswith("--") and action.help != argparse.SUPPRESS]


def _option(parser: argparse.ArgumentParser, flag: str) -> argparse.Action | None:
    for action in parser._actions:
        if flag in action.option_strings:
            return action
    return None


def _takes_value(action: argparse.Action | None) -> bool:
    return action is not None and action.nargs != 0


def candidates(parser: argparse.ArgumentParser, words: list[str]) -> list[str]:
    """What may complete the last of ``words`` (the words after ``kb``)."""
    words = [word[1:] if word.startswith("+") else word for word in words]
    *before, current = words or [""]
    commands = _subcommands(parser)
    command, position, skip = None, 0, False
    for word in before:
        if skip:
            skip = False
        elif word.startswith("-"):
            owner = commands.get(command, parser)
            skip = "=" not in word and _takes_value(_option(owner, word))
        elif command is None:
            command = word
        else:
            position += 1
    if command is None:
        if current.startswith("-"):
            return _matching(_options(parser), current)
        return _matching(list(commands), current)
    sub = commands.get(command)
    if sub is None:
        return []
    if current.startswith("--") and "=" in current:  # --category=lay
        flag, _, value = current.partition("=")
        return [f"{flag}={v}" for v in _values(_option(sub, flag), value)]
    if skip:  # the value of the option before it
        return _values(_option(sub, before[-1]), current)
    if current.startswith("-"):
        return _matching(_options(sub), current)
    positionals = [a for a in sub._actions if not a.option_strings]
    if command in NAME_COMMANDS and position == 0:
        return entry_names(current)
    if position < len(positionals) and positionals[position].choices:
        return _matching(list(positionals[position].choices), current)
    return []


def _values(action: argparse.Action | None, current: str) -> list[str]:
    if action is None:
        return []
    if action.choices:
        return _matching([str(c) for c in action.choices], current)
    if VALUE_CHOICES.get(action.dest) == "categories":
        from .categories import CATEGORIES

        return _matching(list(CATEGORIES), current)
    return []


def _matching(words: list[str], prefix: str) -> list[str]:
    return [word for word in words if word.startswith(prefix)]


def entry_names(prefix: str) -> list[str]:
    """The slugs of the entries one of whose names (slug, term, alias) starts like
    ``prefix``, as names compare (``kb lookup``'s rules); of those, only the ones that
    start with ``prefix`` itself, since a shell puts the candidates' common start in
    place of what was typed. What was typed comes first when it is a name already
    (``CNN``); one entry found by another of its names becomes its slug."""
    slugs, exact = _slugs_named(name_key(prefix))
    same_start = sorted(slug for slug in slugs if slug.startswith(prefix))
    if exact and prefix and prefix not in same_start:
        same_start.insert(0, prefix)
    if same_start or len(slugs) != 1:
        return same_start
    return sorted(slugs)


def _slugs_named(key: str) -> tuple[set[str], bool]:
    """The slugs of the entries with a name starting with ``key``, and whether ``key``
    is a whole name."""
    from .errors import KBError
    from .index.reader import Catalog, IndexUnusable
    from .project import find_project

    try:
        project = find_project()
    except KBError:
        return set(), False
    try:
        names = Catalog(project, quick=True).names
    except IndexUnusable:  # no rebuild on a Tab: the file names stand in
        names = {name_key(path.stem): path.stem for path in project.term_files()}
    found = {entry.removeprefix("article:") for name, entry in names.items()
             if name.startswith(key)}
    return found, key in names
