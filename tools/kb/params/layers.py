"""One function per Keras layer type: its output shape, its parameters and the formula.

``LAYERS`` maps a Keras class name to its LayerType: the Keras signature (positional
names in order, the defaults of the arguments that matter) and the compute function.
Shapes leave out the batch axis.
"""
from collections.abc import Callable
from dataclasses import dataclass
from math import prod

from . import formulas
from .args import Args, LayerError, bind
from .spec import LayerCall, Shape, format_shape


@dataclass(frozen=True)
class Output:
    """What a layer does to its input: output shape, parameter counts, the formula."""

    shape: Shape
    trainable: int = 0
    non_trainable: int = 0
    formula: str = "0"


@dataclass(frozen=True)
class LayerType:
    name: str
    compute: Callable[[Shape, Args], Output]
    positional: tuple[str, ...]
    defaults: dict
    ignored: frozenset
    unsupported: dict


LAYERS: dict[str, LayerType] = {}


def apply(call: LayerCall, shape: Shape) -> Output:
    """Run one layer call on an input shape (no batch axis)."""
    kind = LAYERS.get(call.name)
    if kind is None:
        from ..suggest import did_you_mean
        raise LayerError(f"unknown layer '{call.name}'{did_you_mean(call.name, LAYERS)} "
                         f"(supported: {', '.join(sorted(LAYERS))})")
    args = bind(call, kind.positional, kind.defaults, kind.ignored, kind.unsupported)
    output = kind.compute(shape, args)
    if not args.flag("trainable"):
        return Output(output.shape, 0, output.trainable + output.non_trainable, output.formula)
    return output


def _register(name: str, compute: Callable, positional: str = "", ignored: str = "",
              unsupported: dict | None = None, **defaults) -> None:
    LAYERS[name] = LayerType(name, compute, tuple(positional.split()), defaults,
                             frozenset(ignored.split()), unsupported or {})


# Formulas as text: factors joined by " x ", terms by " + ", empty terms dropped.

def _x(*factors) -> str:
    return " x ".join(str(factor) for factor in factors)


def _plus(*terms) -> str:
    return " + ".join(str(term) for term in terms if term)


def _output(shape: Shape, expression: str, total: int, non_trainable: int = 0) -> Output:
    """A layer with weights: ``expression`` is the formula, ``total`` its value."""
    return Output(tuple(shape), total - non_trainable, non_trainable, f"{expression} = {total:,}")


# Input checks shared by several layers.

_AXES = {1: "(steps, channels)", 2: "(height, width, channels)",
         3: "(depth, height, width, channels)"}


def _channels_last(a: Args, shape: Shape, rank: int) -> tuple[Shape, int | None]:
    if a.values.get("data_format") not in (None, "channels_last"):
        a.fail("only data_format='channels_last' is supported; give --input channels last",
               "data_format")
    if len(shape) != rank + 1:
        a.fail(f"expects inputs of rank {rank + 1} {_AXES[rank]} plus the batch axis, "
               f"got {format_shape(shape)}")
    return shape[:-1], shape[-1]


def _known_last(a: Args, shape: Shape, what: str = "channel") -> int:
    if not shape:
        a.fail("needs at least one input dimension")
    if shape[-1] is None:
        a.fail(f"the last ({what}) dimension of the input must be known, not None; "
               f"input {format_shape(shape)}")
    return shape[-1]


def _window(a: Args, spatial: Shape, kernel, strides, padding: str, dilation=None) -> Shape:
    """Sizes after a sliding window (convolution or pooling), as Keras computes them."""
    sizes = []
    for axis, (size, k, s) in enumerate(zip(spatial, kernel, strides, strict=True)):
        d = dilation[axis] if dilation else 1
        if size is None:
            sizes.append(None)
        elif padding == "valid":
            out = (size - d * (k - 1) - 1) // s + 1
            if out <= 0:
                a.fail(f"the output would be empty: input size {size} on axis {axis + 1} is "
                       f"smaller than the window {d * (k - 1) + 1}; use padding='same' or "
                       "a smaller kernel or pool")
            sizes.append(out)
        else:
            sizes.append((size - 1) // s + 1)
    return tuple(sizes)


def _conv_options(a: Args, rank: int, paddings=("valid", "same")):
    kernel = a.integers("kernel_size", rank)
    strides = a.integers("strides", rank)
    dilation = a.integers("dilation_rate", rank)
    padding = a.choice("padding", paddings)
    return kernel, strides, dilation, padding


def _no_strided_dilation(a: Args, strides, dilation) -> None:
    if max(strides) > 1 and max(dilation) > 1:
        a.fail(f"strides > 1 cannot be combined with dilation_rate > 1 (Keras refuses it); "
               f"got strides={strides}, dilation_rate={dilation}")


# Dense and convolutions.

def _dense(shape: Shape, a: Args) -> Output:
    units, use_bias = a.integer("units"), a.flag("use_bias")
    inputs = _known_last(a, shape, "feature")
    expression = _plus(_x(inputs, units), use_bias and units)
    return _output((*shape[:-1], units), expression, formulas.dense(inputs, units, use_bias))


def _conv(rank: int) -> Callable:
    def compute(shape: Shape, a: Args) -> Output:
        spatial, channels = _channels_last(a, shape, rank)
        filters, groups = a.integer("filters"), a.integer("groups")
        use_bias = a.flag("use_bias")
        paddings = ("valid", "same", "causal") if rank == 1 else ("valid", "same")
        kernel, strides, dilation, padding = _conv_options(a, rank, paddings)
        _no_strided_dilation(a, strides, dilation)
        channels = _known_last(a, shape)
        if filters % groups or channels % groups:
            a.fail(f"groups={groups} must divide both filters ({filters}) and the input "
                   f"channels ({channels})", "groups")
        sizes = _window(a, spatial, kernel, strides, padding, dilation)
        total = formulas.conv(kernel, channels, filters, use_bias, groups)
        expression = _plus(_x(*kernel, channels // groups, filters), use_bias and filters)
        return _output((*sizes, filters), expression, total)
    return compute


def _conv_transpose(rank: int) -> Callable:
    def compute(shape: Shape, a: Args) -> Output:
        spatial, channels = _channels_last(a, shape, rank)
        filters, use_bias = a.integer("filters"), a.flag("use_bias")
        kernel, strides, dilation, padding = _conv_options(a, rank)
        extra = (None if a.raw("output_padding") is None
                 else a.integers("output_padding", rank, minimum=0))
        if extra and any(p >= s for p, s in zip(extra, strides, strict=True)):
            a.fail(f"output_padding {extra} must be smaller than strides {strides}",
                   "output_padding")
        _no_strided_dilation(a, strides, dilation)
        channels = _known_last(a, shape)
        sizes = tuple(_transposed_size(*axis, padding) for axis in
                      zip(spatial, kernel, strides, dilation, extra or (None,) * rank,
                          strict=True))
        total = formulas.conv(kernel, channels, filters, use_bias)
        expression = _plus(_x(*kernel, channels, filters), use_bias and filters)
        return _output((*sizes, filters), expression, total)
    return compute


def _transposed_size(size, kernel, stride, dilation, extra, padding) -> int | None:
    """Keras's output length of a transposed convolution along one axis."""
    if size is None:
        return None
    kernel = (kernel - 1) * dilation + 1
    if padding == "valid":
        extra = max(kernel, stride) - kernel if extra is None else extra
        return (size - 1) * stride + kernel + extra
    if extra is None:
        return size * stride
    return (size - 1) * stride + kernel % 2 + extra


def _depthwise(rank: int) -> Callable:
    def compute(shape: Shape, a: Args) -> Output:
        spatial, channels = _channels_last(a, shape, rank)
        multiplier, use_bias = a.integer("depth_multiplier"), a.flag("use_bias")
        kernel, strides, dilation, padding = _conv_options(a, rank)
        channels = _known_last(a, shape)
        sizes = _window(a, spatial, kernel, strides, padding, dilation)
        total = formulas.depthwise_conv(kernel, channels, multiplier, use_bias)
        expression = _plus(_x(*kernel, channels, multiplier),
                           use_bias and _x(channels, multiplier))
        return _output((*sizes, channels * multiplier), expression, total)
    return compute


def _separable(rank: int) -> Callable:
    def compute(shape: Shape, a: Args) -> Output:
        spatial, channels = _channels_last(a, shape, rank)
        filters, use_bias = a.integer("filters"), a.flag("use_bias")
        multiplier = a.integer("depth_multiplier")
        kernel, strides, dilation, padding = _conv_options(a, rank)
        channels = _known_last(a, shape)
        sizes = _window(a, spatial, kernel, strides, padding, dilation)
        total = formulas.separable_conv(kernel, channels, filters, multiplier, use_bias)
        expression = _plus(_x(*kernel, channels, multiplier),
                           _x(channels, multiplier, filters), use_bias and filters)
        return _output((*sizes, filters), expression, total)
    return compute


_CONV = dict(strides=1, padding="valid", data_format=None, dilation_rate=1, use_bias=True)
for _rank in (1, 2, 3):
    _register(f"Conv{_rank}D", _conv(_rank), "filters kernel_size strides padding data_format "
              "dilation_rate groups activation use_bias", groups=1, activation=None, **_CONV,
              unsupported={"lora_rank": "LoRA weights are not counted"}, ignored="lora_alpha")
    _register(f"Conv{_rank}DTranspose", _conv_transpose(_rank), "filters kernel_size strides "
              "padding output_padding data_format dilation_rate activation use_bias",
              output_padding=None, activation=None, **_CONV)
for _rank in (1, 2):
    _register(f"DepthwiseConv{_rank}D", _depthwise(_rank), "kernel_size strides padding "
              "depth_multiplier data_format dilation_rate activation use_bias",
              depth_multiplier=1, activation=None, **_CONV)
    _register(f"SeparableConv{_rank}D", _separable(_rank), "filters kernel_size strides "
              "padding data_format dilation_rate depth_multiplier activation use_bias",
              depth_multiplier=1, activation=None, **_CONV)
_register("Dense", _dense, "units activation use_bias", activation=None, use_bias=True,
          unsupported={"lora_rank": "LoRA weights are not counted",
                       "quantization_config": "quantized weights are not counted"},
          ignored="lora_alpha")


# Recurrent layers.

def _recurrent(kind: str) -> Callable:
    def compute(shape: Shape, a: Args) -> Output:
        units, use_bias = a.integer("units"), a.flag("use_bias")
        if len(shape) != 2:
            hint = ("; the layer before must return sequences (return_sequences=True)"
                    if len(shape) == 1 else "")
            a.fail(f"expects inputs of rank 2 (timesteps, features) plus the batch axis, "
                   f"got {format_shape(shape)}{hint}")
        n, m = _known_last(a, shape, "feature"), units
        if kind == "SimpleRNN":
            total = formulas.simple_rnn(n, m, use_bias)
            expression = _plus(_x(n, m), _x(m, m), use_bias and m)
        elif kind == "LSTM":
            total = formulas.lstm(n, m, use_bias)
            expression = f"4 x ({_plus(_x(n, m), _x(m, m), use_bias and m)})"
        else:
            reset_after = a.flag("reset_after")
            total = formulas.gru(n, m, reset_after, use_bias)
            bias = use_bias and (_x(2, m) if reset_after else m)
            expression = f"3 x ({_plus(_x(n, m), _x(m, m), bias)})"
        sequences = a.flag("return_sequences")
        return _output((shape[0], m) if sequences else (m,), expression, total)
    return compute


_RNN_IGNORED = ("recurrent_activation dropout recurrent_dropout seed go_backwards stateful "
                "unroll use_cudnn unit_forget_bias")
_RNN_UNSUPPORTED = {"return_state": "it returns several tensors; kb params follows one chain"}
_register("SimpleRNN", _recurrent("SimpleRNN"), "units activation use_bias", activation="tanh",
          use_bias=True, return_sequences=False, ignored=_RNN_IGNORED,
          unsupported=_RNN_UNSUPPORTED)
_register("LSTM", _recurrent("LSTM"), "units activation recurrent_activation use_bias",
          activation="tanh", recurrent_activation="sigmoid", use_bias=True,
          return_sequences=False, ignored=_RNN_IGNORED, unsupported=_RNN_UNSUPPORTED)
_register("GRU", _recurrent("GRU"), "units activation recurrent_activation use_bias",
          activation="tanh", recurrent_activation="sigmoid", use_bias=True,
          return_sequences=False, reset_after=True, ignored=_RNN_IGNORED,
          unsupported=_RNN_UNSUPPORTED)

_RECURRENT = ("SimpleRNN", "LSTM", "GRU")


def _bidirectional(shape: Shape, a: Args) -> Output:
    inner = a.raw("layer")
    if not isinstance(inner, LayerCall) or inner.name not in _RECURRENT:
        a.fail(f"wraps a recurrent layer ({', '.join(_RECURRENT)}), e.g. "
               f"Bidirectional(LSTM(64)); got {getattr(inner, 'text', repr(inner))}", "layer")
    mode = a.choice("merge_mode", ("concat", "sum", "ave", "mul", None))
    if mode is None:
        a.fail("merge_mode=None returns two tensors; kb params follows one chain",
               "merge_mode")
    one = apply(inner, shape)
    units = one.shape[-1]
    out = (*one.shape[:-1], 2 * units if mode == "concat" else units)
    expression = one.formula.rsplit(" = ", 1)[0]
    total = 2 * (one.trainable + one.non_trainable)
    return Output(out, 2 * one.trainable, 2 * one.non_trainable,
                  f"2 x ({expression}) = {total:,}")


_register("Bidirectional", _bidirectional, "layer merge_mode", merge_mode="concat",
          unsupported={"backward_layer": "give only the forward layer",
                       "weights": "weights are not read"})


# Embedding, normalization, attention.

def _embedding(shape: Shape, a: Args) -> Output:
    vocab, dim = a.integer("input_dim"), a.integer("output_dim")
    return _output((*shape, dim), _x(vocab, dim), formulas.embedding(vocab, dim))


_register("Embedding", _embedding, "input_dim output_dim", ignored="mask_zero lora_alpha",
          unsupported={"lora_rank": "LoRA weights are not counted",
                       "input_length": "Keras 3 removed it; give the length in --input",
                       "weights": "weights are not read",
                       "quantization_config": "quantized weights are not counted"})


def _axis(a: Args, shape: Shape, axis) -> int:
    """A Keras axis (counting the batch axis) as an index into ``shape``."""
    rank = len(shape) + 1
    if type(axis) is not int or not -rank <= axis < rank or axis % rank == 0:
        a.fail(f"axis {axis!r} is not a feature axis of the input {format_shape(shape)}",
               "axis")
    index = axis % rank - 1
    if shape[index] is None:
        a.fail(f"the input dimension on axis {axis} must be known, not None; "
               f"input {format_shape(shape)}")
    return index


def _batch_norm(shape: Shape, a: Args) -> Output:
    channels = shape[_axis(a, shape, a.raw("axis"))]
    center, scale = a.flag("center"), a.flag("scale")
    factor = int(center) + int(scale) + 2
    return _output(shape, _x(factor, channels), formulas.batch_norm(channels, center, scale),
                       non_trainable=2 * channels)


_register("BatchNormalization", _batch_norm, "axis momentum epsilon center scale", axis=-1,
          momentum=0.99, epsilon=1e-3, center=True, scale=True, ignored="synchronized",
          unsupported={"renorm": "batch renormalization's extra statistics are not counted",
                       "renorm_clipping": "", "renorm_momentum": ""})


def _layer_norm(shape: Shape, a: Args) -> Output:
    axes = a.raw("axis")
    axes = list(axes) if isinstance(axes, tuple | list) else [axes]
    indices = sorted({_axis(a, shape, axis) for axis in axes})
    features = prod(shape[index] for index in indices)
    center, scale = a.flag("center"), a.flag("scale")
    dims = _x(*(shape[index] for index in indices))
    factor = int(center) + int(scale)
    expression = "0" if not factor else dims if factor == 1 else f"2 x {dims}"
    return _output(shape, expression, formulas.layer_norm(features, center, scale))


_register("LayerNormalization", _layer_norm, "axis epsilon center scale", axis=-1,
          epsilon=1e-3, center=True, scale=True, ignored="rms_scaling")


def _attention(shape: Shape, a: Args) -> Output:
    heads, key_dim = a.integer("num_heads"), a.integer("key_dim")
    value_dim = a.optional_integer("value_dim") or key_dim
    use_bias, use_gate = a.flag("use_bias"), a.flag("use_gate")
    if len(shape) < 2:
        a.fail(f"expects inputs of rank 2 or more (sequence, features) plus the batch axis, "
               f"got {format_shape(shape)}")
    d = _known_last(a, shape, "feature")
    out = a.raw("output_shape")
    out = (d,) if out is None else (out,) if type(out) is int else out
    if not isinstance(out, tuple | list) or any(type(i) is not int or i < 1 for i in out):
        a.fail(f"output_shape must be a whole number or a tuple of them, not {out!r}",
               "output_shape")
    out_dim = prod(out)
    total = formulas.multi_head_attention(d, heads, key_dim, value_dim, use_bias, out_dim,
                                          use_gate)
    query = _plus(_x(d, heads, key_dim), use_bias and _x(heads, key_dim))
    value = _plus(_x(d, heads, value_dim), use_bias and _x(heads, value_dim))
    values = 2 if use_gate else 1
    projections = ([f"{2 + values} x ({query})"] if key_dim == value_dim
                   else [f"2 x ({query})", f"{values} x ({value})" if use_gate else value])
    output = _plus(_x(heads, value_dim, *out), use_bias and _x(*out))
    return _output((*shape[:-1], *out), _plus(*projections, output), total)


_register("MultiHeadAttention", _attention, "num_heads key_dim value_dim dropout use_bias "
          "output_shape", value_dim=None, dropout=0.0, use_bias=True, output_shape=None,
          use_gate=False, ignored="attention_axes flash_attention seed sliding_window")


# Layers without weights.

def _same(shape: Shape, a: Args) -> Output:
    return Output(shape)


def _spatial_dropout(rank: int) -> Callable:
    def compute(shape: Shape, a: Args) -> Output:
        _channels_last(a, shape, rank)
        return Output(shape)
    return compute


_register("Dropout", _same, "rate noise_shape seed", noise_shape=None, seed=None)
_register("AlphaDropout", _same, "rate noise_shape seed", noise_shape=None, seed=None)
_register("GaussianDropout", _same, "rate seed", seed=None)
_register("GaussianNoise", _same, "stddev seed", seed=None)
_register("Activation", _same, "activation")
_register("ReLU", _same, "max_value negative_slope threshold", max_value=None,
          negative_slope=0.0, threshold=0.0)
_register("LeakyReLU", _same, "negative_slope", negative_slope=0.3)
_register("ELU", _same, "alpha", alpha=1.0)
_register("Softmax", _same, "axis", axis=-1)
for _rank in (1, 2, 3):
    _register(f"SpatialDropout{_rank}D", _spatial_dropout(_rank),
              "rate seed" if _rank == 1 else "rate data_format seed", data_format=None,
              seed=None)


def _flatten(shape: Shape, a: Args) -> Output:
    if a.raw("data_format") not in (None, "channels_last"):
        a.fail("only data_format='channels_last' is supported")
    return Output((None if None in shape else prod(shape),))


_register("Flatten", _flatten, "data_format", data_format=None)


def _reshape(shape: Shape, a: Args) -> Output:
    target = a.raw("target_shape")
    if (not isinstance(target, tuple | list) or not target
            or any(type(i) is not int or (i < 1 and i != -1) for i in target)
            or list(target).count(-1) > 1):
        a.fail(f"target_shape must be a tuple of positive whole numbers with at most one -1, "
               f"not {target!r}", "target_shape")
    target = tuple(target)
    if None in shape:
        return Output(tuple(None if i == -1 else i for i in target))
    size, known = prod(shape), prod(i for i in target if i != -1)
    if -1 in target and size % known == 0:
        return Output(tuple(size // known if i == -1 else i for i in target))
    if -1 not in target and size == known:
        return Output(target)
    a.fail(f"cannot reshape {format_shape(shape)} ({size:,} values) to {target}",
           "target_shape")


_register("Reshape", _reshape, "target_shape")


def _pooling(rank: int) -> Callable:
    def compute(shape: Shape, a: Args) -> Output:
        spatial, channels = _channels_last(a, shape, rank)
        pool = a.integers("pool_size", rank)
        strides = pool if a.raw("strides") is None else a.integers("strides", rank)
        padding = a.choice("padding", ("valid", "same"))
        return Output((*_window(a, spatial, pool, strides, padding), channels))
    return compute


def _global_pooling(rank: int) -> Callable:
    def compute(shape: Shape, a: Args) -> Output:
        _, channels = _channels_last(a, shape, rank)
        return Output((1,) * rank + (channels,) if a.flag("keepdims") else (channels,))
    return compute


for _rank in (1, 2, 3):
    for _kind in ("Max", "Average"):
        _register(f"{_kind}Pooling{_rank}D", _pooling(_rank),
                  "pool_size strides padding data_format", strides=None, padding="valid",
                  data_format=None, **({"pool_size": 2} if _kind == "Max" else {}))
        _register(f"Global{_kind}Pooling{_rank}D", _global_pooling(_rank),
                  "data_format keepdims", data_format=None, keepdims=False)
