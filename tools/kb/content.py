"""Load glossary entries and articles from disk, keeping the line of every field.

Loading never raises for bad content: each problem (unreadable file, YAML syntax,
schema violation) is returned with its file, line and field, so that ``kb check`` can
report all of them at once.
"""
import re
from pathlib import Path

import yaml
from jsonschema import Draft202012Validator

from .model import Article, Example, Term
from .problem import Problem
from .project import Project
from .schema import ARTICLE_SCHEMA, TERM_SCHEMA
from .suggest import did_you_mean

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
FRONT_MATTER = re.compile(r"\A---[ \t]*\n(.*?\n)?---[ \t]*\n", re.S)
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
    return _load_all(project, sorted(project.docs_dir.glob("*.md")), load_article)


def _load_all(project: Project, paths: list[Path], load) -> tuple[list, list[Problem]]:
    loaded, problems = [], []
    for path in paths:
        item, found = load(path, project.relative(path))
        problems += found
        if item:
            loaded.append(item)
    return loaded, problems


def load_term(path: Path, rel: str) -> tuple[Term | None, list[Problem]]:
    text, problems = _read(path, rel)
    if text is None:
        return None, problems
    if not SLUG.match(path.stem):
        problems.append(Problem(rel, 1, "slug", f"file name '{path.stem}' is not a slug: "
                                "use lowercase words joined by hyphens, like 'dense-layer.yaml'"))
    data, node, found = _parse_yaml(text, rel)
    problems += found
    if node is None:
        return None, problems
    lines = _key_lines(node)
    found = _schema_problems(data, TERM_SCHEMA, rel, lines)
    if found:
        return None, problems + found
    examples = [
        Example(code=item["code"], output=item.get("output"), title=item.get("title"),
                code_line=line)
        for item, line in zip(data.get("examples") or [], _example_code_lines(node), strict=True)
    ]
    term = Term(
        slug=path.stem, term=data["term"].strip(), aliases=data.get("aliases") or [],
        category=data["category"], tags=data.get("tags") or [], summary=data["summary"].strip(),
        definition=data["definition"], formula=(data.get("formula") or "").strip() or None,
        examples=examples, related=data["related"], path=rel, lines=lines,
    )
    return term, problems


def load_article(path: Path, rel: str) -> tuple[Article | None, list[Problem]]:
    text, problems = _read(path, rel)
    if text is None:
        return None, problems
    match = FRONT_MATTER.match(text)
    if not match:
        missing = Problem(rel, 1, "front matter", "an article starts with front matter "
                          "between '---' lines (title, summary, tags, related)")
        return None, problems + [missing]
    data, node, found = _parse_yaml(match.group(1) or "", rel, line_offset=1)
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
        tags=data.get("tags") or [], related=data.get("related") or [],
        body=text[match.end():], path=rel, body_line=body_line, lines=lines,
    )
    return article, problems


def _read(path: Path, rel: str) -> tuple[str | None, list[Problem]]:
    try:
        raw = path.read_bytes()
    except OSError as error:
        return None, [Problem(rel, 0, "file", f"cannot be read: {error.strerror}")]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        return None, [Problem(rel, line, "file", f"is not UTF-8 (byte 0x{raw[error.start]:02x} "
                              f"at offset {error.start}); save the file as UTF-8")]
    if not text.strip():
        return None, [Problem(rel, 1, "file", "is empty")]
    return text.lstrip("\ufeff"), []


def _parse_yaml(text: str, rel: str, line_offset: int = 0):
    try:
        node = yaml.compose(text, Loader=_Loader)
        data = yaml.load(text, Loader=_Loader)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = (mark.line + 1 + line_offset) if mark else line_offset + 1
        reason = getattr(error, "problem", None) or str(error)
        if "\t" in reason or "tab" in reason.lower():
            reason = "a tab character is used for indentation; YAML needs spaces"
        return None, None, [Problem(rel, line, "yaml", f"YAML syntax error: {reason}")]
    if not isinstance(node, yaml.MappingNode) or not isinstance(data, dict):
        line = (node.start_mark.line + 1 + line_offset) if node is not None else line_offset + 1
        return None, None, [Problem(rel, line, "yaml", "expected a mapping of fields "
                                    "(field: value), found something else")]
    return data, node, []


def _key_lines(node: yaml.MappingNode, line_offset: int = 0) -> dict[str, int]:
    return {str(key.value): key.start_mark.line + 1 + line_offset for key, _ in node.value}


def _value_node(node: yaml.MappingNode, name: str):
    return next((value for key, value in node.value if key.value == name), None)


def _example_code_lines(node: yaml.MappingNode) -> list[int]:
    """The 1-based line of each example's first line of code."""
    examples = _value_node(node, "examples")
    lines = []
    for item in getattr(examples, "value", None) or []:
        code = _value_node(item, "code")
        line = code.start_mark.line + 1
        if code.style in ("|", ">"):  # a block scalar starts on the line after its indicator
            line += 1
        lines.append(line)
    return lines


def _schema_problems(data: dict, schema: dict, rel: str, lines: dict[str, int]) -> list[Problem]:
    problems = []
    for error in Draft202012Validator(schema).iter_errors(data):
        path = [str(p) for p in error.absolute_path]
        field = ".".join(path) or "-"
        line = lines.get(path[0], 1) if path else 1
        if error.validator == "required" and not path:
            missing = [name for name in error.validator_value if name not in error.instance]
            for name in missing:
                problems.append(Problem(rel, 1, name, f"required field '{name}' is missing"))
            continue
        if error.validator == "additionalProperties":
            allowed = list(error.schema.get("properties", {}))
            for name in sorted(set(error.instance) - set(allowed)):
                where = lines.get(name, line) if not path else line
                problems.append(Problem(rel, where, ".".join(path + [name]),
                                        f"unknown field '{name}'{did_you_mean(name, allowed)}"))
            continue
        if error.validator == "enum":
            choices = error.validator_value
            problems.append(Problem(rel, line, field, f"'{error.instance}' is not one of the "
                                    f"known values ({', '.join(choices)})"
                                    f"{did_you_mean(str(error.instance), choices)}"))
            continue
        if error.validator == "type":
            wanted = _TYPE_NAMES.get(error.validator_value, error.validator_value)
            problems.append(Problem(rel, line, field, f"must be {wanted}, "
                                    f"found {_describe(error.instance)}"))
            continue
        if error.validator == "minLength":
            problems.append(Problem(rel, line, field, "must not be empty"))
            continue
        if error.validator == "minItems":
            problems.append(Problem(rel, line, field,
                                    f"needs at least {error.validator_value} entries"))
            continue
        problems.append(Problem(rel, line, field, error.message))
    return problems


def _describe(value) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return f"the boolean {str(value).lower()}"
    if isinstance(value, (int, float)):
        return f"the number {value}"
    if isinstance(value, str):
        return "text"
    if isinstance(value, list):
        return "a list"
    return "a mapping"
