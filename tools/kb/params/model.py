"""A chain of layers: shapes flow from the input through each layer in turn."""
import re
from dataclasses import dataclass

from .args import LayerError
from .layers import apply
from .spec import Shape, SpecError, one_line, parse_shape, parse_spec


@dataclass(frozen=True)
class Row:
    """One layer of the chain, as the table and the JSON show it."""

    name: str
    type: str
    spec: str
    output_shape: Shape
    trainable: int
    non_trainable: int
    formula: str

    @property
    def params(self) -> int:
        return self.trainable + self.non_trainable


@dataclass(frozen=True)
class Summary:
    input_shape: Shape
    rows: list[Row]

    @property
    def trainable(self) -> int:
        return sum(row.trainable for row in self.rows)

    @property
    def non_trainable(self) -> int:
        return sum(row.non_trainable for row in self.rows)

    @property
    def total(self) -> int:
        return self.trainable + self.non_trainable

    @property
    def output_shape(self) -> Shape:
        return self.rows[-1].output_shape


def calculate(spec: str, input_shape: str | Shape) -> Summary:
    """Parameters and output shapes of every layer of ``spec`` on ``input_shape``."""
    shape = start = (parse_shape(input_shape) if isinstance(input_shape, str)
                     else tuple(input_shape))
    calls = parse_spec(spec)
    rows, seen = [], {}
    for number, call in enumerate(calls, start=1):
        try:
            output = apply(call, shape)
        except LayerError as error:
            where = f"layer {number} of {len(calls)}: " if len(calls) > 1 else ""
            column = call.column if error.column is None else error.column
            raise SpecError(f"{where}{error}", one_line(spec), column) from None
        name = call.kwargs.get("name")
        if not (isinstance(name, str) and name.isprintable() and name.strip()):
            name = _unique(_snake_case(call.name), seen)
        rows.append(Row(name, call.name, call.text, output.shape, output.trainable,
                        output.non_trainable, output.formula))
        shape = output.shape
    return Summary(start, rows)


def _snake_case(name: str) -> str:
    """Keras's default layer name: ``SimpleRNN`` -> ``simple_rnn``."""
    name = re.sub("(.)([A-Z][a-z]+)", r"\1_\2", name)
    return re.sub("([a-z])([A-Z])", r"\1_\2", name).lower()


def _unique(base: str, seen: dict) -> str:
    count = seen.get(base, 0)
    seen[base] = count + 1
    return f"{base}_{count}" if count else base
