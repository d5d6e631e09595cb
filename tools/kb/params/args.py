"""A layer's arguments bound like Keras binds them, with checked getters.

Each getter names the layer and the argument when the value is wrong, so the CLI can say
``Conv2D: kernel_size must be a positive whole number or a tuple of 2 of them, not 0``.
"""
from ..errors import UsageError
from .spec import LayerCall

# Arguments that never change a parameter count or an output shape.
_ANY_LAYER = {"name", "dtype", "activation", "activity_regularizer", "autocast"}
_ANY_SUFFIX = ("_initializer", "_regularizer", "_constraint")
# The names Keras 3 resolves as an activation (keras.activations.get; case matters, None
# is linear): another value is refused, as Keras refuses it ("Could not interpret
# activation function identifier"). tests/test_params_keras.py compares it with Keras's.
ACTIVATIONS = frozenset(
    "celu elu exponential gelu glu hard_shrink hard_sigmoid hard_silu hard_swish hard_tanh "
    "leaky_relu linear log_sigmoid log_softmax mish relu relu6 selu sigmoid silu soft_shrink "
    "softmax softplus softsign sparse_plus sparse_sigmoid sparsemax squareplus swish tanh "
    "tanh_shrink threshold".split())
_ACTIVATION_ARGUMENTS = ("activation", "recurrent_activation")
_SHAPE_CHANGING = ("glu",)  # splits the last axis in two halves and gates one by the other


class LayerError(UsageError):
    """A wrong argument or input shape for one layer; the model adds where it is."""

    def __init__(self, message: str, column: int | None = None):
        super().__init__(message)
        self.column = column


class Args:
    """The bound arguments of one layer call."""

    def __init__(self, layer: str, values: dict, columns: dict | None = None):
        self.layer, self.values, self.columns = layer, values, columns or {}

    def fail(self, message: str, argument: str | None = None):
        """Refuse the call; the caret goes under ``argument`` when it was written."""
        raise LayerError(f"{self.layer}: {message}", self.columns.get(argument))

    def raw(self, name: str):
        return self.values[name]

    def integer(self, name: str, minimum: int = 1) -> int:
        value = self.values[name]
        if type(value) is not int or value < minimum:
            self.fail(f"{name} must be a whole number >= {minimum}, not {value!r}", name)
        return value

    def optional_integer(self, name: str) -> int | None:
        return None if self.values[name] is None else self.integer(name)

    def integers(self, name: str, rank: int, minimum: int = 1) -> tuple[int, ...]:
        """An int or a tuple/list of ``rank`` ints, as Keras's ``kernel_size``/``strides``."""
        value = self.values[name]
        items = (value,) * rank if type(value) is int else value
        if (not isinstance(items, tuple | list) or len(items) != rank
                or any(type(i) is not int or i < minimum for i in items)):
            shape = f"a tuple of {rank} of them" if rank > 1 else "a 1-tuple"
            self.fail(f"{name} must be a whole number >= {minimum} or {shape}, not {value!r}",
                      name)
        return tuple(items)

    def flag(self, name: str) -> bool:
        value = self.values[name]
        if type(value) is not bool:
            self.fail(f"{name} must be True or False, not {value!r}", name)
        return value

    def choice(self, name: str, options: tuple) -> str:
        value = self.values[name]
        found = value.lower() if isinstance(value, str) else value
        if found not in options:
            listed = ", ".join(repr(option) for option in options)
            self.fail(f"{name} must be one of {listed}, not {value!r}", name)
        return found


def bind(call: LayerCall, positional: tuple[str, ...], defaults: dict, ignored: frozenset,
         unsupported: dict) -> Args:
    """Bind ``call`` to the Keras signature ``positional`` (names in order) and ``defaults``.

    Arguments in ``ignored`` (and initializers, regularizers, constraints, activation,
    name, dtype) are accepted and dropped; ``unsupported`` maps an argument to the reason
    it is refused when set to anything but its default.
    """
    layer, places = call.name, call.places
    if len(call.args) > len(positional):
        raise LayerError(f"{layer} takes at most {len(positional)} positional argument(s) "
                         f"({', '.join(positional)}), got {len(call.args)}",
                         places.get(len(positional)))
    values = {**defaults, "trainable": True}
    given = dict(zip(positional, call.args, strict=False))  # fewer args than names
    columns = {name: places.get(i) for i, name in enumerate(positional)}
    columns |= {name: places[name] for name in call.kwargs if name in places}
    for name, value in call.kwargs.items():
        if name in given:
            raise LayerError(f"{layer}: {name} is given twice (by position and by name)",
                             places.get(name))
        given[name] = value
    known = set(positional) | set(defaults) | {"trainable"}
    for name, value in given.items():
        if name in _ACTIVATION_ARGUMENTS and value is not None:
            _check_activation(layer, name, value, columns.get(name))
        if name in unsupported:
            if value not in (None, False):
                raise LayerError(f"{layer}: {name}={value!r} is not supported: "
                                 f"{unsupported[name]}", columns.get(name))
        elif name in known:
            values[name] = value
        elif not (name in ignored or name in _ANY_LAYER or name.endswith(_ANY_SUFFIX)):
            from ..suggest import did_you_mean
            choices = sorted(known | ignored)
            raise LayerError(f"{layer}: unknown argument '{name}'"
                             f"{did_you_mean(name, choices)} (arguments: {', '.join(choices)})",
                             columns.get(name))
    missing = [name for name in positional if name not in values]
    if missing:
        raise LayerError(f"{layer} needs {' and '.join(missing)}, "
                         f"e.g. {layer}({', '.join(_EXAMPLES.get(n, '1') for n in missing)})")
    return Args(layer, values, columns)


def _check_activation(layer: str, name: str, value, column: int | None) -> None:
    from ..suggest import did_you_mean

    if value in _SHAPE_CHANGING:
        raise LayerError(f"{layer}: {name}={value!r} is not supported: it halves the last "
                         "axis, which kb params does not compute", column)
    if not isinstance(value, str) or value not in ACTIVATIONS:
        hint = did_you_mean(value, sorted(ACTIVATIONS), whole=True) \
            if isinstance(value, str) else ""
        raise LayerError(f"{layer}: {name}={value!r} is not an activation Keras knows{hint} "
                         "(a name such as 'relu', 'gelu' or 'softmax', or None)", column)


_EXAMPLES = {"kernel_size": "3", "target_shape": "(4, 4)", "activation": "'relu'",
             "rate": "0.5", "stddev": "0.1", "layer": "LSTM(64)", "units": "64",
             "filters": "32", "input_dim": "1000", "output_dim": "64", "num_heads": "4",
             "key_dim": "16"}
