"""The spec grammar, parsed without eval: ``Layer(args) -> Layer(args) -> ...``.

Each layer is a Python call read by ``ast.parse(mode="eval")``; only calls, numbers,
strings, None/True/False, tuples, lists and keywords are accepted, so nothing is run.
"""
import ast
from dataclasses import dataclass, field

from ..errors import UsageError

Shape = tuple[int | None, ...]

_PREFIXES = ("keras.layers", "layers", "tf.keras.layers", "keras.src.layers")


class SpecError(UsageError):
    """A bad spec or shape; the message shows the spec with a caret under the problem."""

    def __init__(self, message: str, text: str | None = None, column: int | None = None):
        if text is not None and column is not None:
            message = f"{message}\n  {text}\n  {' ' * column}^"
        super().__init__(message)


@dataclass(frozen=True)
class LayerCall:
    """One layer as written: ``Conv2D(32, (3, 3), padding="same")``."""

    name: str
    args: tuple = ()
    kwargs: dict = field(default_factory=dict)
    text: str = ""
    column: int = 0
    places: dict = field(default_factory=dict)  # argument index or keyword -> column


def parse_spec(spec: str) -> list[LayerCall]:
    """The layers of ``spec`` in order; a SpecError points at the first problem."""
    spec = one_line(spec)
    if not spec.strip():
        raise SpecError('the spec is empty; write layers such as "Dense(64) -> Dense(10)"')
    return [_parse_layer(spec, start, end) for start, end in _segments(spec)]


def one_line(spec: str) -> str:
    """The spec with line breaks and tabs as spaces, so a caret lines up under it."""
    return spec.replace("\n", " ").replace("\t", " ").replace("\r", " ")


def parse_shape(text: str) -> Shape:
    """``"28,28,1"`` or ``"(None, 10)"`` -> ``(28, 28, 1)`` / ``(None, 10)``; no batch axis."""
    inner = text.strip()
    if not inner:
        raise SpecError("--input is empty; give the input shape without the batch axis, "
                        "e.g. --input 28,28,1 or --input None,10")
    if inner[:1] in "([" and inner[-1:] in ")]":
        inner = inner[1:-1]
    items = [item.strip() for item in inner.split(",")]
    if items and items[-1] == "" and len(items) > 1:
        items.pop()  # a trailing comma, as in (10,)
    dims = []
    for position, item in enumerate(items, start=1):
        if item.lower() in ("none", "?"):
            dims.append(None)
        elif item.isascii() and item.isdigit() and int(item) > 0:
            dims.append(int(item))
        else:
            raise SpecError(f"--input {text!r}: dimension {position} is {item!r}, not a "
                            "positive whole number or None (e.g. --input 28,28,1 or "
                            "--input None,10; leave out the batch axis)")
    return tuple(dims)


def _segments(spec: str) -> list[tuple[int, int]]:
    """(start, end) of each layer: split on ``->`` outside brackets and strings."""
    bounds, start, depth, quote, i = [], 0, 0, "", 0
    while i < len(spec):
        char = spec[i]
        if quote:
            quote = "" if char == quote else quote
        elif char in "'\"":
            quote = char
        elif char in "([{":
            depth += 1
        elif char in ")]}":
            depth -= 1
        elif spec.startswith("->", i) and depth <= 0:
            bounds.append((start, i))
            start, i = i + 2, i + 1
        i += 1
    bounds.append((start, len(spec)))
    for number, (start, end) in enumerate(bounds):
        if not spec[start:end].strip():
            arrow = start - 2 if number else end
            side = "after" if number else "before"
            raise SpecError(f"a layer is missing {side} '->'", spec, max(arrow, 0))
    return bounds


def _parse_layer(spec: str, start: int, end: int) -> LayerCall:
    segment = spec[start:end]
    offset = start + len(segment) - len(segment.lstrip())
    source = segment.strip()
    try:
        tree = ast.parse(source, mode="eval")
    except SyntaxError as error:
        column = offset + max((error.offset or 1) - 1, 0)
        raise SpecError(f"cannot read the layer {source!r}: {error.msg}", spec,
                        min(column, len(spec))) from None
    except (ValueError, RecursionError, MemoryError):
        raise SpecError(f"cannot read the layer {source!r}", spec, offset) from None
    return _Reader(spec, source, offset).layer(tree.body)


class _Reader:
    """Turns the AST of one layer into a LayerCall, refusing anything but literals."""

    def __init__(self, spec: str, source: str, offset: int):
        self.spec, self.source, self.offset = spec, source, offset
        self.encoded = source.encode()

    def column(self, node: ast.AST) -> int:
        """Where ``node`` starts in the spec, in characters (the AST counts UTF-8 bytes)."""
        start = self.encoded[:getattr(node, "col_offset", 0)]
        return self.offset + len(start.decode(errors="ignore"))

    def fail(self, message: str, node: ast.AST):
        raise SpecError(message, self.spec, self.column(node))

    def layer(self, node: ast.AST) -> LayerCall:
        if isinstance(node, ast.Call):
            name = self.layer_name(node.func)
            args = tuple(self.value(arg) for arg in node.args)
            places = {i: self.column(arg) for i, arg in enumerate(node.args)}
            kwargs = {}
            for keyword in node.keywords:
                places[keyword.arg] = self.column(keyword)
                if keyword.arg is None:
                    self.fail("'**' arguments are not allowed; write each keyword", keyword)
                if keyword.arg in kwargs:
                    self.fail(f"{name}: argument '{keyword.arg}' is given twice", keyword)
                kwargs[keyword.arg] = self.value(keyword.value)
        else:
            name, args, kwargs, places = self.layer_name(node), (), {}, {}
        text = ast.get_source_segment(self.source, node) or name
        return LayerCall(name, args, kwargs, text, self.column(node), places)

    def layer_name(self, node: ast.AST) -> str:
        if isinstance(node, ast.Name):
            return node.id
        if isinstance(node, ast.Attribute):
            prefix = ast.get_source_segment(self.source, node.value) or ""
            if prefix.replace(" ", "") in _PREFIXES:
                return node.attr
        self.fail("expected a layer such as Dense(10) or Conv2D(32, (3, 3)) here", node)

    def value(self, node: ast.AST):
        if isinstance(node, ast.Constant) and not isinstance(node.value, bytes | complex):
            if node.value is not Ellipsis:
                return node.value
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub | ast.UAdd):
            number = node.operand
            if isinstance(number, ast.Constant) and type(number.value) in (int, float):
                return -number.value if isinstance(node.op, ast.USub) else number.value
        if isinstance(node, ast.Tuple | ast.List):
            items = tuple(self.value(item) for item in node.elts)
            return items if isinstance(node, ast.Tuple) else list(items)
        if isinstance(node, ast.Call):
            return self.layer(node)
        if isinstance(node, ast.Name):
            self.fail(f"'{node.id}' is not a value; quote it ('{node.id}') or use a number, "
                      "None, True or False", node)
        self.fail("only numbers, strings, None/True/False, tuples, lists and layer calls "
                  f"are allowed as arguments (found {_describe(node)})", node)


def _describe(node: ast.AST) -> str:
    kinds = {ast.BinOp: "an arithmetic expression", ast.Attribute: "an attribute",
             ast.Subscript: "a subscript", ast.Lambda: "a lambda", ast.Dict: "a dict",
             ast.Set: "a set", ast.Starred: "a '*' argument", ast.Compare: "a comparison",
             ast.BoolOp: "'and'/'or'", ast.IfExp: "an if-expression"}
    return kinds.get(type(node), f"a {type(node).__name__} expression")


def format_shape(shape: Shape) -> str:
    """A shape as Keras prints it, batch axis first: ``(None, 26, 26, 32)``."""
    return "(" + ", ".join(str(dim) for dim in (None, *shape)) + ")"
