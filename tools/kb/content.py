"""Load glossary entries and articles from disk, keeping the line of every field.

Loading never raises for bad content: each problem (unreadable file, YAML syntax,
schema violation) is returned with its file, line and field, so that ``kb check`` can
report all of them at once. Content is untrusted (it arrives by pull request): a file
is read only if it stays inside the project, is at most ``MAX_BYTES`` long, uses no
YAML anchors or aliases (no entry needs them; they make "billion laughs" bombs), no
duplicate keys and no nesting deeper than ``MAX_DEPTH``. Each file is parsed once.
"""
import datetime
import re
from pathlib import Path

import yaml
from jsonschema import Draft202012Validator

from .model import Article, Example, Term
from .problem import Problem
from .project import Project
from .sanitize import UNSAFE, short
from .schema import ARTICLE_SCHEMA, TERM_SCHEMA
from .suggest import did_you_mean

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
FRONT_MATTER = re.compile(r"\A---[ \t]*\n(.*?\n)?---[ \t]*(?:\n|\Z)", re.S)
MAX_BYTES = 256 * 1024  # the longest real entry is under 10 KB
MAX_DEPTH = 8           # an entry nests three levels: examples -> item -> code
_TYPE_NAMES = {"string": "text", "array": "a list", "object": "a mapping", "integer": "a number"}

try:  # the C loader is several times faster where libyaml is available
    _Loader = yaml.CSafeLoader
except AttributeError:  # pragma: no cover
    _Loader = yaml.SafeLoader


def load_terms(project: Project) -> tuple[list[Term], list[Problem]]:
    return _load_all(project, project.term_files(), load_term)


def load_articles(project: Project) -> tuple[list[Article], list[Problem]]:
    return _load_all(project, project.article_files(), load_article)


def load_pages(project: Project) -> tuple[list[Article], list[Problem]]:
    """Hand-written pages at the top of docs/ (home, contributing, ...): links checked too."""
    return _load_all(project, project.page_files(), load_article)


def _load_all(project: Project, paths: list[Path], load) -> tuple[list, list[Problem]]:
    loaded, problems = [], []
    for path in paths:
        item, found = load(path, project.relative(path), project.root)
        problems += found
        if item:
            loaded.append(item)
    return loaded, problems


def load_term(path: Path, rel: str, root: Path | None = None) -> tuple[Term | None, list[Problem]]:
    text, problems = read_text(path, rel, root)
    if text is None:
        return None, problems
    if path.suffix != ".yaml":
        return None, [Problem(rel, 1, "file", f"glossary files end in .yaml; rename it to "
                              f"{path.stem}.yaml")]
    if not SLUG.match(path.stem):
        problems.append(Problem(rel, 1, "slug", f"file name '{short(path.stem)}' is not a "
                                "slug: use lowercase words joined by hyphens, like "
                                "'dense-layer.yaml'"))
    data, node, found = parse_yaml(text, rel)
    problems += found
    if node is None:
        return None, problems
    lines = _key_lines(node)
    found = _schema_problems(data, TERM_SCHEMA, rel, lines)
    if found:
        return None, problems + found
    examples = [
        Example(code=item["code"], output=item.get("output"), title=item.get("title"),
                code_line=_text_line(_value_node(item_node, "code")),
                output_line=_text_line(_value_node(item_node, "output")))
        for item, item_node in zip(data.get("examples") or [],
                                   _items(_value_node(node, "examples")), strict=True)
    ]
    term = Term(
        slug=path.stem, title=data["term"].strip(), aliases=data.get("aliases") or [],
        category=data["category"], tags=data.get("tags") or [],
        keywords=data.get("keywords") or [], summary=data["summary"].strip(),
        definition=data["definition"], formula=(data.get("formula") or "").strip() or None,
        examples=examples, related=data["related"], path=rel, lines=lines,
        definition_line=_text_line(_value_node(node, "definition")),
    )
    return term, problems


def load_article(path: Path, rel: str,
                 root: Path | None = None) -> tuple[Article | None, list[Problem]]:
    text, problems = read_text(path, rel, root)
    if text is None:
        return None, problems
    match = FRONT_MATTER.match(text)
    if not match:
        missing = Problem(rel, 1, "front matter", "an article starts with front matter "
                          "between '---' lines (title, summary, tags, related)")
        return None, problems + [missing]
    data, node, found = parse_yaml(match.group(1) or "", rel, line_offset=1)
    problems += found
    if node is None:
        return None, problems
    lines = _key_lines(node, line_offset=1)
    found = _schema_problems(data, ARTICLE_SCHEMA, rel, lines)
    if found:
        return None, problems + found
    body_line = text[: match.end()].count("\n") + 1
    article = Article(
        slug=path.stem, title=data["title"].strip(), summary=data["summary"].strip(),
        tags=data.get("tags") or [], keywords=data.get("keywords") or [],
        related=data.get("related") or [],
        body=text[match.end():], path=rel, body_line=body_line, lines=lines,
    )
    return article, problems


def read_text(path: Path, rel: str, root: Path | None = None) -> tuple[str | None, list[Problem]]:
    """A content file's text (UTF-8, line endings made \\n), or why it cannot be used."""
    try:
        # the file, or a folder on its way, may be a symbolic link out of the project
        if root is not None and not path.resolve(strict=True).is_relative_to(root.resolve()):
            where = ("is a symbolic link to a file" if path.is_symlink() else
                     "is in a folder that is a symbolic link to a place")
            return None, [Problem(rel, 0, "file", f"{where} outside the project; content "
                                  "must live inside it")]
        with open(path, "rb") as handle:
            raw = handle.read(MAX_BYTES + 1)
    except (OSError, RuntimeError) as error:  # missing, a directory, a loop, no permission
        reason = getattr(error, "strerror", None) or "a symbolic link loop"
        return None, [Problem(rel, 0, "file", f"cannot be read: {reason}")]
    if len(raw) > MAX_BYTES:
        return None, [Problem(rel, 0, "file", f"is larger than {MAX_BYTES // 1024} KB; "
                              "split it or shorten it")]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        return None, [Problem(rel, line, "file", f"is not UTF-8 (byte 0x{raw[error.start]:02x} "
                              f"at offset {error.start}); save the file as UTF-8")]
    if not text.strip():
        return None, [Problem(rel, 1, "file", "is empty")]
    text = text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    if control := UNSAFE.search(text):
        line = text.count("\n", 0, control.start()) + 1
        column = control.start() - text.rfind("\n", 0, control.start())
        return None, [Problem(rel, line, "file", f"{_control_name(control.group())} at "
                              f"column {column}; remove it")]
    return text, []


def _control_name(character: str) -> str:
    """How a message names a control or bidi character (printing it would run it)."""
    return f"holds the control character U+{ord(character):04X}"


def parse_yaml(text: str, rel: str, line_offset: int = 0):
    """(data, node, problems): the YAML text composed once and constructed from the node."""
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        problem = _shape_problem(node, rel, line_offset)
        if problem:
            return None, None, [problem]
        data = loader.construct_document(node)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = (mark.line + 1 + line_offset) if mark else line_offset + 1
        reason = getattr(error, "problem", None) or str(error)
        if "\t" in reason or "tab" in reason.lower():
            reason = "a tab character is used for indentation; YAML needs spaces"
        return None, None, [Problem(rel, line, "yaml", f"YAML syntax error: {short(reason, 200)}")]
    finally:
        loader.dispose()
    return data, node, []


MAX_DIGITS = 1000  # Python refuses to read an integer of more than 4,300 digits
_NUMBER_TAGS = ("tag:yaml.org,2002:int", "tag:yaml.org,2002:float")


def _shape_problem(node, rel: str, line_offset: int) -> Problem | None:
    """The first reason the document cannot be an entry: not a mapping, an alias, a
    duplicate or non-text key, nesting too deep, a huge number or a control character.
    Walks each node once."""
    def at(n, message, field="yaml"):
        return Problem(rel, n.start_mark.line + 1 + line_offset, field, message)

    if not isinstance(node, yaml.MappingNode):
        line = (node.start_mark.line + 1 + line_offset) if node is not None else line_offset + 1
        return Problem(rel, line, "yaml", "expected a mapping of fields (field: value), "
                       "found something else")
    seen: set[int] = set()
    stack = [(node, 1, node.start_mark.line)]  # (node, depth, 0-based line where it is used)
    while stack:
        current, depth, used_at = stack.pop()
        if id(current) in seen:  # a node met twice is a YAML alias: report where it is used
            return Problem(rel, used_at + 1 + line_offset, "yaml",
                           "uses a YAML alias (*name); write the value out instead")
        seen.add(id(current))
        if depth > MAX_DEPTH:
            return at(current, f"nests deeper than {MAX_DEPTH} levels")
        if isinstance(current, yaml.MappingNode):
            keys = set()
            for key, _ in current.value:
                if not isinstance(key, yaml.ScalarNode) or key.tag != "tag:yaml.org,2002:str":
                    return at(key, "a field name must be text")
                if key.value in keys:
                    return at(key, f"'{short(key.value)}' appears twice in the same mapping; "
                              "the second would silently replace the first", key.value)
                keys.add(key.value)
            pairs = [(n, key.start_mark.line) for key, value in current.value
                     for n in (key, value)]
            stack += [(n, depth + 1, line) for n, line in reversed(pairs)]  # document order
        elif isinstance(current, yaml.SequenceNode):
            stack += [(item, depth + 1, used_at) for item in reversed(current.value)]
        elif current.tag in _NUMBER_TAGS and len(current.value) > MAX_DIGITS:
            return at(current, f"holds a number of more than {MAX_DIGITS} characters")
        elif control := UNSAFE.search(current.value):  # written as an escape, "\e"
            return at(current, f"{_control_name(control.group())}, written as an escape; "
                      "remove it")
    return None


def _key_lines(node: yaml.MappingNode, line_offset: int = 0) -> dict[str, int]:
    return {str(key.value): key.start_mark.line + 1 + line_offset for key, _ in node.value}


def _value_node(node, name: str):
    if not isinstance(node, yaml.MappingNode):
        return None
    return next((value for key, value in node.value if key.value == name), None)


def _items(node) -> list:
    return list(node.value) if isinstance(node, yaml.SequenceNode) else []


def _text_line(node) -> int | None:
    """The 1-based line of a scalar's first line of text (a block scalar starts on the
    line after its | or > indicator)."""
    if node is None:
        return None
    line = node.start_mark.line + 1
    return line + 1 if node.style in ("|", ">") else line


def _schema_problems(data: dict, schema: dict, rel: str, lines: dict[str, int]) -> list[Problem]:
    problems = []
    for error in Draft202012Validator(schema).iter_errors(data):
        path = [str(p) for p in error.absolute_path]
        field = ".".join(path) or "-"
        line = lines.get(path[0], 1) if path else 1
        if error.validator == "required":
            missing = [name for name in error.validator_value if name not in error.instance]
            problems += [Problem(rel, line, ".".join([*path, name]) if path else name,
                                 f"required field '{name}' is missing") for name in missing]
        elif error.validator == "additionalProperties":
            allowed = list(error.schema.get("properties", {}))
            for name in sorted(set(error.instance) - set(allowed)):
                where = lines.get(name, line) if not path else line
                problems.append(Problem(rel, where, ".".join([*path, short(name)]),
                                        f"unknown field '{short(name)}'"
                                        f"{did_you_mean(short(name), allowed)}"))
        elif error.validator == "enum":
            choices = error.validator_value
            problems.append(Problem(rel, line, field, f"'{short(error.instance)}' is not one "
                                    f"of the known values ({', '.join(choices)})"
                                    f"{did_you_mean(short(error.instance), choices)}"))
        elif error.validator == "type":
            wanted = _TYPE_NAMES.get(error.validator_value, error.validator_value)
            problems.append(Problem(rel, line, field, f"must be {wanted}, "
                                    f"found {_describe(error.instance)}"))
        elif error.validator == "minLength":
            problems.append(Problem(rel, line, field, "must not be empty"))
        elif error.validator == "minItems":
            problems.append(Problem(rel, line, field,
                                    f"needs at least {error.validator_value} entries"))
        elif error.validator == "pattern":
            problems.append(Problem(rel, line, field, "is a name, shown as plain text: it "
                                    "must not contain '<' or control characters"))
        elif error.validator == "maxLength":
            problems.append(Problem(rel, line, field,
                                    f"is longer than {error.validator_value} characters"))
        else:  # never error.message: it embeds the whole offending value
            problems.append(Problem(rel, line, field, f"is not valid ({error.validator})"))
    return sorted(set(problems))


def _describe(value) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return f"the boolean {str(value).lower()}"
    if isinstance(value, (int, float)):
        return f"the number {short(value)}"
    if isinstance(value, str):
        return "text"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, (datetime.date, datetime.datetime)):  # summary: 2020-01-01
        return "a date (put it in quotes to make it text)"
    if isinstance(value, bytes):
        return "binary data"
    return f"a value YAML reads as {type(value).__name__}"
